"""What each transition asks for (api.md "Transition bodies"): one serializer per transition."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency
from agencies.roles import AgencyKind
from procedure.states import PRIVATE_CATEGORIES, Outcome
from procedure.transitions import RULES


class TransitionInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ReasonInput(TransitionInput):
    reason = serializers.CharField(max_length=5000, trim_whitespace=True)


class ExplanationInput(TransitionInput):
    explanation = serializers.CharField(max_length=20000, trim_whitespace=True)


class CustodyInput(TransitionInput):
    custody = serializers.BooleanField(required=False, allow_null=True, default=None)


class TrialCourtInput(CustodyInput):
    trial_court = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(kind=AgencyKind.COURT))
    jurisdiction_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, attrs):
        case = self.context.get("case")
        court = attrs["trial_court"]
        if case is not None and court.region_code != case.executing_court.region_code and not attrs.get(
            "jurisdiction_reason"
        ):
            raise serializers.ValidationError(
                {"trial_court": [_("Art. 2: the trial court of another region needs a jurisdiction_reason.")]}
            )
        return attrs


class JudgmentInput(TransitionInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    sentence = serializers.CharField(max_length=5000, trim_whitespace=True)


class SupplementInput(TransitionInput):
    missing = serializers.ListField(child=serializers.ChoiceField(choices=list(PRIVATE_CATEGORIES)), allow_empty=False)


class TermsInput(TransitionInput):
    terms = serializers.CharField(max_length=10000, trim_whitespace=True)


class AcceptInput(CustodyInput):
    pass


INPUTS: dict[str, type[TransitionInput]] = {
    name: ReasonInput for name, rule in RULES.items() if rule.required == ("reason",)
}
INPUTS.update(
    {
        "submit_explanation": ExplanationInput,
        "indict": TrialCourtInput,
        "accept_private_prosecution": TrialCourtInput,
        "render_judgment": JudgmentInput,
        "request_supplement": SupplementInput,
        "reconcile": TermsInput,
        "file_case": CustodyInput,
        "transfer_for_prosecution": CustodyInput,
        "resubmit_for_prosecution": CustodyInput,
    }
)


def input_serializer(name: str) -> type[TransitionInput]:
    return INPUTS.get(name, TransitionInput)
