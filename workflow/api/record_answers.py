"""The API of the records addressed to an agency: its inboxes, and the answers it gives (decide an arrest, end a
measure, release or hand over property, share evidence copies, answer a locate request, acknowledge a referral).

An answer is refused before its body is read: 404 when the user may not see the record, 403 when the user's role
or agency may not give it, 409 when it was already given (workflow.records.selectors.check_may_answer).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from procedure.records import ANSWER_RULES
from refusal_cases.schema import PAGE_PARAMETER, paginated
from workflow.api.records import (
    ERRORS,
    TAG,
    ArrestRequestOutput,
    CoerciveMeasureOutput,
    CorrectionNoticeOutput,
    EvidenceCopyRequestOutput,
    LocateRequestOutput,
    ObstructionReferralOutput,
    PropertyControlOutput,
    SupervisionComplaintOutput,
    respond_paginated,
)
from workflow.records import selectors as record_selectors
from workflow.records import services as record_services
from workflow.records.inputs import ANSWER_INPUTS

# ---------------------------------------------------------------------------------------------------------------
# Inboxes of records addressed to an agency


class PendingFilter(serializers.Serializer):
    pending = serializers.BooleanField(required=False, allow_null=True, default=None)


def _inbox(selector, output, pending_q):
    class InboxApi(APIView):
        @extend_schema(tags=[TAG], parameters=[PendingFilter, PAGE_PARAMETER], responses={200: paginated(output)})
        def get(self, request):
            filters = PendingFilter(data=request.query_params)
            filters.is_valid(raise_exception=True)
            qs = selector(user=request.user)
            pending = filters.validated_data["pending"]
            if pending is not None:
                qs = qs.filter(**pending_q) if pending else qs.exclude(**pending_q)
            return respond_paginated(self, request, qs.order_by("-id"), output)

    return InboxApi


ArrestRequestInboxApi = _inbox(record_selectors.arrest_request_list, ArrestRequestOutput, {"decision": ""})
EvidenceCopyRequestInboxApi = _inbox(record_selectors.evidence_copy_request_list, EvidenceCopyRequestOutput,
                                     {"status": "pending"})
LocateRequestInboxApi = _inbox(record_selectors.locate_request_list, LocateRequestOutput, {"result": ""})
SupervisionComplaintInboxApi = _inbox(record_selectors.supervision_complaint_list, SupervisionComplaintOutput,
                                      {"answer": ""})
CorrectionNoticeInboxApi = _inbox(record_selectors.correction_notice_list, CorrectionNoticeOutput,
                                  {"replied_at__isnull": True})
ObstructionReferralInboxApi = _inbox(record_selectors.obstruction_referral_list, ObstructionReferralOutput,
                                     {"acknowledged_at__isnull": True})


# ---------------------------------------------------------------------------------------------------------------
# Answers


class RecordActionApi(APIView):
    """POST an answer to one record: 404 if the user may not see it, 403/409 before the body is read."""

    answer = ""
    Output: type[serializers.Serializer]

    def post(self, request, pk):
        user = request.user
        record = record_selectors.answered_record_get(user=user, answer=self.answer, record_id=pk)
        record_selectors.check_may_answer(user=user, answer=self.answer, record=record)
        serializer = ANSWER_INPUTS[self.answer](data=request.data)
        serializer.is_valid(raise_exception=True)
        record = record_services.record_answer(answer=self.answer, record_id=record.pk, actor=user,
                                               data=serializer.validated_data)
        return Response(self.Output(record, context={"request": request}).data)


def _answer_api(answer: str, output, summary: str) -> type[RecordActionApi]:
    """The view that gives one answer to a record; its description says who gives it, from procedure.records."""
    rule = ANSWER_RULES[answer]
    view = type(f"{answer.title().replace('_', '')}Api", (RecordActionApi,),
                {"answer": answer, "Output": output, "__module__": __name__})
    return extend_schema_view(post=extend_schema(tags=[TAG], summary=summary,
                                                 description=f"{rule.article}. Who: {rule.who}.",
                                                 request=ANSWER_INPUTS[answer], responses={200: output, **ERRORS}))(view)
#: answer -> the view that gives it (routed in workflow/api/urls.py)
ANSWER_APIS = {answer: _answer_api(answer, output, summary) for answer, output, summary in [
    ("decide_arrest_request", ArrestRequestOutput,
     "The procuratorate approves or denies the arrest (meets arrest_review)"),
    ("end_coercive_measure", CoerciveMeasureOutput, "End a coercive measure"),
    ("release_property", PropertyControlOutput, "Release controlled property"),
    ("hand_over_property", PropertyControlOutput, "Hand controlled property to the executing court"),
    ("answer_evidence_copy_request", EvidenceCopyRequestOutput,
     "The executing court shares evidence copies with the private prosecutor"),
    ("answer_locate_request", LocateRequestOutput, "The police answer a locate request"),
    ("acknowledge_obstruction_referral", ObstructionReferralOutput, "The receiving agency acknowledges a referral"),
    ("extend_detention", CoerciveMeasureOutput, "Extend the detention period to 7 or 30 days"),
    ("answer_supervision_complaint", SupervisionComplaintOutput,
     "The procuratorate answers the creditor's complaint: require an explanation, or refuse"),
    ("reply_correction_notice", CorrectionNoticeOutput, "The police reply to a correction notice"),
]}
