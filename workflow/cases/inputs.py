"""What each transition's body takes (api.md "Transition bodies"): a serializer built from its row's inputs."""

from functools import cache

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency
from agencies.roles import AgencyKind
from procedure.conditions import received_on_refusal
from procedure.positions import needs_jurisdiction_reason
from procedure.states import PRIVATE_CATEGORIES, Outcome
from procedure.transitions import TRANSITIONS


class TransitionInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    def validate(self, attrs):
        case = self.context.get("case")
        court = attrs.get("trial_court")
        if case is not None and court is not None and needs_jurisdiction_reason(case, court) \
                and not attrs.get("jurisdiction_reason"):
            raise serializers.ValidationError(
                {"trial_court": [_("Art. 2: the trial court of another region needs a jurisdiction_reason.")]}
            )
        received_on = attrs.get("received_on")
        refusal = received_on_refusal(case, received_on) if case is not None and received_on else None
        if refusal:
            raise serializers.ValidationError({"received_on": [refusal]})
        return attrs


def _field(name: str, required: bool) -> serializers.Field:
    if name == "reason":
        return serializers.CharField(max_length=5000, trim_whitespace=True, required=required)
    if name == "explanation":
        return serializers.CharField(max_length=20000, trim_whitespace=True, required=required)
    if name == "received_on":
        return serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="The day the police received the materials; default today.")
    if name == "trial_court":
        return serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(kind=AgencyKind.COURT))
    if name == "jurisdiction_reason":
        return serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    if name == "outcome":
        return serializers.ChoiceField(choices=Outcome.choices)
    if name == "sentence":
        return serializers.CharField(max_length=5000, trim_whitespace=True)
    if name == "missing":
        return serializers.ListField(child=serializers.ChoiceField(choices=list(PRIVATE_CATEGORIES)),
                                     allow_empty=False)
    if name == "terms":
        return serializers.CharField(max_length=10000, trim_whitespace=True)
    raise KeyError(name)


# The schema names each body by what it asks for (a client generator makes one class of each).
_NAMES = {"reason": "ReasonInput", "explanation": "ExplanationInput", "received_on": "ReceiptInput",
          "trial_court": "TrialCourtInput", "outcome": "JudgmentInput", "missing": "SupplementInput",
          "terms": "TermsInput"}


@cache
def _serializer(inputs: tuple) -> type[TransitionInput]:
    if not inputs:
        return TransitionInput
    fields = {field.name: _field(field.name, field.required) for field in inputs}
    return type(_NAMES[inputs[0].name], (TransitionInput,), {**fields, "__module__": __name__})


def input_serializer(name: str) -> type[TransitionInput]:
    return _serializer(TRANSITIONS[name].inputs)
