"""What adding each sub-procedure record, and giving each answer to one, asks for: one input serializer each.

The API validates its request bodies with them and the pages build their forms from them, so a field asked for
in the browser is exactly a field the API asks for. The services check again what the law requires.
"""

from rest_framework import serializers

from workflow.models.records import (
    ArrestDecision,
    CoerciveMeasureKind,
    ComplaintDecision,
    LocateResult,
    PerformanceKind,
    PropertyMeasure,
)

# ---------------------------------------------------------------------------------------------------------------
# Records added to a case


class ArrestRequestInput(serializers.Serializer):
    grounds = serializers.CharField(max_length=20000)
    suspect_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    detained = serializers.BooleanField(help_text="Is the suspect held under a detention now? 7 days to decide if "
                                                  "so (CPL Art. 91 ¶3), else 15.")
    complex_case = serializers.BooleanField(required=False, default=False,
                                            help_text="A major or complex case: 20 days for a suspect not detained.")


class CoerciveMeasureInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CoerciveMeasureKind.choices)
    legal_basis = serializers.CharField(max_length=300)
    person_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    taken_on = serializers.DateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    arrest_request = serializers.IntegerField(required=False, allow_null=True, default=None)


class PropertyControlInput(serializers.Serializer):
    measure = serializers.ChoiceField(choices=PropertyMeasure.choices)
    description = serializers.CharField(max_length=500)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False,
                                      allow_null=True, default=None)
    controlled_on = serializers.DateField(required=False, allow_null=True, default=None)


class WarningInput(serializers.Serializer):
    content = serializers.CharField(max_length=10000)
    warned_on = serializers.DateField(required=False, allow_null=True, default=None)
    performance_due = serializers.DateField(required=False, allow_null=True, default=None)


class PerformanceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PerformanceKind.choices)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    performed_on = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    warning = serializers.IntegerField(required=False, allow_null=True, default=None)


class EvidenceCopyRequestInput(serializers.Serializer):
    description = serializers.CharField(max_length=10000, help_text="Which materials fixed in enforcement.")


class LocateRequestInput(serializers.Serializer):
    police_agency = serializers.IntegerField(required=False, allow_null=True, default=None,
                                             help_text="Defaults to the case's police agency.")
    defendant_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    last_known_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ObstructionReferralInput(serializers.Serializer):
    receiver = serializers.IntegerField(help_text="A discipline commission or a procuratorate.")
    official_name = serializers.CharField(max_length=200)
    official_position = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    conduct = serializers.CharField(max_length=20000)


class SupervisionComplaintInput(serializers.Serializer):
    reason = serializers.CharField(max_length=10000, help_text="Why the police should have filed the case.")


class CorrectionNoticeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=10000, help_text="What the police let pass and must correct.")


RECORD_INPUTS: dict[str, type[serializers.Serializer]] = {
    "arrest_request": ArrestRequestInput,
    "coercive_measure": CoerciveMeasureInput,
    "property_control": PropertyControlInput,
    "warning": WarningInput,
    "performance": PerformanceInput,
    "evidence_copy_request": EvidenceCopyRequestInput,
    "locate_request": LocateRequestInput,
    "obstruction_referral": ObstructionReferralInput,
    "supervision_complaint": SupervisionComplaintInput,
    "correction_notice": CorrectionNoticeInput,
}


# ---------------------------------------------------------------------------------------------------------------
# Answers to a record


class ArrestDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ArrestDecision.choices)
    reason = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="",
                                   help_text="Required for a denial.")


class CoerciveMeasureEndInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class PropertyReleaseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    released_on = serializers.DateField(required=False, allow_null=True, default=None)


class PropertyHandOverInput(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    handed_on = serializers.DateField(required=False, allow_null=True, default=None)


class EvidenceCopyAnswerInput(serializers.Serializer):
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text="Ids of the case's materials to share with the creditor.")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class LocateAnswerInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=LocateResult.choices)
    detail = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                   help_text="Where the defendant is; required when found.")


class ReferralAcknowledgeInput(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DetentionExtendInput(serializers.Serializer):
    days = serializers.ChoiceField(choices=[7, 30], help_text="7 days; 30 for roving, repeated or gang crimes "
                                                             "(CPL Art. 91 ¶2).")
    reason = serializers.CharField(max_length=5000)


class ComplaintAnswerInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ComplaintDecision.choices)
    reason = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="",
                                   help_text="Required for a refusal.")


class CorrectionReplyInput(serializers.Serializer):
    reply = serializers.CharField(max_length=20000)


ANSWER_INPUTS: dict[str, type[serializers.Serializer]] = {
    "decide_arrest_request": ArrestDecisionInput,
    "end_coercive_measure": CoerciveMeasureEndInput,
    "release_property": PropertyReleaseInput,
    "hand_over_property": PropertyHandOverInput,
    "answer_evidence_copy_request": EvidenceCopyAnswerInput,
    "answer_locate_request": LocateAnswerInput,
    "acknowledge_obstruction_referral": ReferralAcknowledgeInput,
    "extend_detention": DetentionExtendInput,
    "answer_supervision_complaint": ComplaintAnswerInput,
    "reply_correction_notice": CorrectionReplyInput,
}
