"""The API of the sub-procedure records, the Art. 13 checklist, joint meetings and the supervision ledger.

Views stay thin: find the case or record among those the user may see (404), check who may act (403, 409)
before reading the body, validate it (400 naming the field), call one service and shape the output.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api import AgencyOutputSerializer
from agencies.roles import Role
from procedure.records import (
    RECORD_RULES,
    allowed_record_actions,
    check_may_acknowledge_referral,
    check_may_answer_copy_request,
    check_may_answer_locate,
    check_may_decide_arrest,
    check_may_dispose_property,
    check_may_end_measure,
    check_may_record_meetings,
    check_record_action,
)
from procedure.states import CaseState
from refusal_cases.api import Pagination
from refusal_cases.schema import PAGE_PARAMETER, paginated
from workflow.api.cases import EvidenceOutputSerializer
from workflow.cases import selectors
from workflow.cases.uploads import ALLOWED_MIME
from workflow.models.records import (
    ArrestDecision,
    CoerciveMeasureKind,
    LocateResult,
    PerformanceKind,
    PropertyMeasure,
)
from workflow.records import selectors as record_selectors
from workflow.records import services as record_services
from workflow.supervision import ledger

TAG = "records"
ERRORS = {400: OpenApiResponse(description="Bad input: the body names the field."),
          403: OpenApiResponse(description="Your role or agency may not do this."),
          404: OpenApiResponse(description="Unknown, or a case you may not see."),
          409: OpenApiResponse(description="Not possible in the case's current state, or already done.")}


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="display_name")


def _person(**kwargs):
    return PersonSerializer(allow_null=True, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Output shapes, one per record (shared by the lists, the creates and the answers)


class ArrestRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    suspect_name = serializers.CharField()
    grounds = serializers.CharField()
    requested_by = _person()
    requesting_agency = AgencyOutputSerializer()
    requested_at = serializers.DateTimeField()
    deadline = serializers.SerializerMethodField()
    decision = serializers.ChoiceField(choices=ArrestDecision.choices, allow_blank=True)
    decision_reason = serializers.CharField()
    decided_by = _person()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_deadline(self, obj) -> dict | None:
        d = obj.deadline
        if d is None:
            return None
        return {"id": d.pk, "kind": d.kind, "due_date": d.due_date.isoformat(), "status": d.status,
                "met_at": d.met_at.isoformat() if d.met_at else None}


class CoerciveMeasureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.ChoiceField(choices=CoerciveMeasureKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    person_name = serializers.CharField()
    taken_on = serializers.DateField()
    legal_basis = serializers.CharField()
    place = serializers.CharField()
    note = serializers.CharField()
    arrest_request = serializers.IntegerField(source="arrest_request_id", allow_null=True)
    agency = AgencyOutputSerializer()
    recorded_by = _person()
    active = serializers.BooleanField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()


class PropertyControlOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    measure = serializers.ChoiceField(choices=PropertyMeasure.choices)
    measure_display = serializers.CharField(source="get_measure_display")
    description = serializers.CharField()
    location = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    controlled_on = serializers.DateField()
    controlling_agency = AgencyOutputSerializer()
    recorded_by = _person()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    disposed_on = serializers.DateField(allow_null=True)
    disposal_note = serializers.CharField()
    handed_to = AgencyOutputSerializer(allow_null=True)


class WarningOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    warned_on = serializers.DateField()
    content = serializers.CharField()
    performance_due = serializers.DateField(allow_null=True)
    given_by = AgencyOutputSerializer()
    recorded_by = _person()


class PerformanceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.ChoiceField(choices=PerformanceKind.choices)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    performed_on = serializers.DateField()
    extent = serializers.CharField()
    description = serializers.CharField()
    warning = serializers.IntegerField(source="warning_id", allow_null=True)
    after_warning = serializers.BooleanField()
    case_state = serializers.CharField()
    recorded_by = _person()
    amount_recovered = serializers.DecimalField(source="case.amount_recovered", max_digits=16, decimal_places=2)
    amount_owed = serializers.DecimalField(source="case.amount_owed", max_digits=16, decimal_places=2)


class EvidenceCopyRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    description = serializers.CharField()
    requested_by = _person()
    requested_at = serializers.DateTimeField()
    status = serializers.CharField()
    shared_evidence = serializers.SerializerMethodField()
    answer_note = serializers.CharField()
    answered_by = _person()
    answered_at = serializers.DateTimeField(allow_null=True)

    def get_shared_evidence(self, obj) -> list[dict]:
        items = EvidenceOutputSerializer(obj.shared_evidence.all(), many=True).data
        for item in items:
            item["file_url"] = f"/api/evidence/{item['id']}/file/"
        return items


class LocateRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    defendant_name = serializers.CharField()
    last_known_address = serializers.CharField()
    note = serializers.CharField()
    requesting_court = AgencyOutputSerializer()
    police_agency = AgencyOutputSerializer()
    requested_by = _person()
    requested_at = serializers.DateTimeField()
    letter = serializers.SerializerMethodField()
    result = serializers.CharField()
    result_detail = serializers.SerializerMethodField()
    answered_by = _person()
    answered_at = serializers.DateTimeField(allow_null=True)

    def get_letter(self, obj) -> dict | None:
        return _letter(obj.letter)

    def get_result_detail(self, obj) -> str | None:
        # Where a defendant lives is for the organs; the creditor learns only whether they were found.
        user = self.context["request"].user
        return None if user.role == Role.CREDITOR else obj.result_detail


class ObstructionReferralOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    official_name = serializers.CharField()
    official_position = serializers.CharField()
    conduct = serializers.CharField()
    referring_court = AgencyOutputSerializer()
    receiver = AgencyOutputSerializer()
    referred_by = _person()
    referred_at = serializers.DateTimeField()
    letter = serializers.SerializerMethodField()
    acknowledged_by = _person()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledgment_note = serializers.CharField()

    def get_letter(self, obj) -> dict | None:
        return _letter(obj.letter)


def _letter(document) -> dict | None:
    if document is None:
        return None
    return {"id": document.pk, "kind": document.kind, "number": document.number,
            "pdf_url": f"/api/documents/{document.pk}/pdf/"}


# ---------------------------------------------------------------------------------------------------------------
# Lists and creates on a case


def _paginated(view, request, queryset, output):
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(output(page, many=True, context={"request": request}).data)


class CaseRecordApi(APIView):
    """GET the case's records of one kind; POST adds one (the record's name is the event in the case's chain)."""

    record = ""
    Output: type[serializers.Serializer]
    InputSerializer: type[serializers.Serializer]

    def list_queryset(self, user, case):
        raise NotImplementedError

    def create(self, case, user, data):
        raise NotImplementedError

    def get(self, request, pk):
        case = selectors.case_get(user=request.user, case_id=pk)
        return _paginated(self, request, self.list_queryset(request.user, case), self.Output)

    def post(self, request, pk):
        case = selectors.case_get(user=request.user, case_id=pk)
        check_record_action(case=case, user=request.user, name=self.record)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.create(case, request.user, serializer.validated_data)
        return Response(self.Output(record, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _case_record_schema(record: str, output, body, summary: str):
    rule = RECORD_RULES[record]
    who = "; ".join(f"{a.role} ({a.position}{', while ' + ' / '.join(a.states) if a.states else ''})"
                    for a in rule.actors)
    return extend_schema_view(
        get=extend_schema(tags=[TAG], summary=f"The case's {record} records", parameters=[PAGE_PARAMETER],
                          responses={200: paginated(output)}),
        post=extend_schema(tags=[TAG], summary=summary, description=f"{rule.article}. Who: {who}.", request=body,
                           responses={201: output, **ERRORS}),
    )


class ArrestRequestInput(serializers.Serializer):
    grounds = serializers.CharField(max_length=20000)
    suspect_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    custody = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="Is the suspect held now? Decides the counting of the period.")


@_case_record_schema("arrest_request", ArrestRequestOutput, ArrestRequestInput,
                     "The police ask the procuratorate to approve an arrest (opens arrest_review)")
class CaseArrestRequestsApi(CaseRecordApi):
    record = "arrest_request"
    Output = ArrestRequestOutput
    InputSerializer = ArrestRequestInput

    def list_queryset(self, user, case):
        return record_selectors.arrest_request_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.arrest_request_create(case_id=case.pk, actor=user, **data)


class CoerciveMeasureInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CoerciveMeasureKind.choices)
    legal_basis = serializers.CharField(max_length=300)
    person_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    taken_on = serializers.DateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    arrest_request = serializers.IntegerField(required=False, allow_null=True, default=None)


@_case_record_schema("coercive_measure", CoerciveMeasureOutput, CoerciveMeasureInput,
                     "Record a coercive measure against the suspect")
class CaseCoerciveMeasuresApi(CaseRecordApi):
    record = "coercive_measure"
    Output = CoerciveMeasureOutput
    InputSerializer = CoerciveMeasureInput

    def list_queryset(self, user, case):
        return record_selectors.coercive_measure_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.coercive_measure_create(case_id=case.pk, actor=user, **data)


class PropertyControlInput(serializers.Serializer):
    measure = serializers.ChoiceField(choices=PropertyMeasure.choices)
    description = serializers.CharField(max_length=500)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False,
                                      allow_null=True, default=None)
    controlled_on = serializers.DateField(required=False, allow_null=True, default=None)


@_case_record_schema("property_control", PropertyControlOutput, PropertyControlInput,
                     "Seize, distrain or freeze property of the suspect or defendant")
class CasePropertyControlsApi(CaseRecordApi):
    record = "property_control"
    Output = PropertyControlOutput
    InputSerializer = PropertyControlInput

    def list_queryset(self, user, case):
        return record_selectors.property_control_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.property_control_create(case_id=case.pk, actor=user, **data)


class WarningInput(serializers.Serializer):
    content = serializers.CharField(max_length=10000)
    warned_on = serializers.DateField(required=False, allow_null=True, default=None)
    performance_due = serializers.DateField(required=False, allow_null=True, default=None)


@_case_record_schema("warning", WarningOutput, WarningInput, "Record a warning given to the debtor")
class CaseWarningsApi(CaseRecordApi):
    record = "warning"
    Output = WarningOutput
    InputSerializer = WarningInput

    def list_queryset(self, user, case):
        return record_selectors.warning_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.warning_create(case_id=case.pk, actor=user, **data)


class PerformanceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PerformanceKind.choices)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    performed_on = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    warning = serializers.IntegerField(required=False, allow_null=True, default=None)


@_case_record_schema("performance", PerformanceOutput, PerformanceInput,
                     "Record that the debtor paid or delivered (the amount recovered follows)")
class CasePerformancesApi(CaseRecordApi):
    record = "performance"
    Output = PerformanceOutput
    InputSerializer = PerformanceInput

    def list_queryset(self, user, case):
        return record_selectors.performance_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.performance_record(case_id=case.pk, actor=user, **data)


class EvidenceCopyRequestInput(serializers.Serializer):
    description = serializers.CharField(max_length=10000, help_text="Which materials fixed in enforcement.")


@_case_record_schema("evidence_copy_request", EvidenceCopyRequestOutput, EvidenceCopyRequestInput,
                     "The private prosecutor asks the executing court for evidence copies")
class CaseEvidenceCopyRequestsApi(CaseRecordApi):
    record = "evidence_copy_request"
    Output = EvidenceCopyRequestOutput
    InputSerializer = EvidenceCopyRequestInput

    def list_queryset(self, user, case):
        return record_selectors.evidence_copy_request_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.evidence_copy_request_create(case_id=case.pk, actor=user, **data)


class LocateRequestInput(serializers.Serializer):
    police_agency = serializers.IntegerField(required=False, allow_null=True, default=None,
                                             help_text="Defaults to the case's police agency.")
    defendant_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    last_known_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


@_case_record_schema("locate_request", LocateRequestOutput, LocateRequestInput,
                     "The trial court asks the police to locate the defendant (issues the letter)")
class CaseLocateRequestsApi(CaseRecordApi):
    record = "locate_request"
    Output = LocateRequestOutput
    InputSerializer = LocateRequestInput

    def list_queryset(self, user, case):
        return record_selectors.locate_request_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.locate_request_create(case_id=case.pk, actor=user, **data)


class ObstructionReferralInput(serializers.Serializer):
    receiver = serializers.IntegerField(help_text="A discipline commission or a procuratorate.")
    official_name = serializers.CharField(max_length=200)
    official_position = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    conduct = serializers.CharField(max_length=20000)


@_case_record_schema("obstruction_referral", ObstructionReferralOutput, ObstructionReferralInput,
                     "Refer an official who obstructed enforcement (issues the letter)")
class CaseObstructionReferralsApi(CaseRecordApi):
    record = "obstruction_referral"
    Output = ObstructionReferralOutput
    InputSerializer = ObstructionReferralInput

    def list_queryset(self, user, case):
        return record_selectors.obstruction_referral_list(user=user, case=case)

    def create(self, case, user, data):
        return record_services.obstruction_referral_create(case_id=case.pk, actor=user, **data)


# ---------------------------------------------------------------------------------------------------------------
# Inboxes of records addressed to an agency, and the answers


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
            return _paginated(self, request, qs.order_by("-id"), output)

    return InboxApi


ArrestRequestInboxApi = _inbox(record_selectors.arrest_request_list, ArrestRequestOutput, {"decision": ""})
EvidenceCopyRequestInboxApi = _inbox(record_selectors.evidence_copy_request_list, EvidenceCopyRequestOutput,
                                     {"status": "pending"})
LocateRequestInboxApi = _inbox(record_selectors.locate_request_list, LocateRequestOutput, {"result": ""})
ObstructionReferralInboxApi = _inbox(record_selectors.obstruction_referral_list, ObstructionReferralOutput,
                                     {"acknowledged_at__isnull": True})


class RecordActionApi(APIView):
    """POST an answer to one record: 404 if the user may not see it, 403/409 before the body is read."""

    Output: type[serializers.Serializer]
    InputSerializer: type[serializers.Serializer]

    def visible(self, user):
        raise NotImplementedError

    def check(self, record, user):
        raise NotImplementedError

    def act(self, record, user, data):
        raise NotImplementedError

    def post(self, request, pk):
        record = self.visible(request.user).filter(pk=pk).first()
        if record is None:
            raise Http404
        self.check(record, request.user)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.act(record, request.user, serializer.validated_data)
        return Response(self.Output(record, context={"request": request}).data)


def _action_schema(summary: str, body, output, article: str):
    return extend_schema(tags=[TAG], summary=summary, description=article, request=body,
                         responses={200: output, **ERRORS})


class ArrestDecisionApi(RecordActionApi):
    Output = ArrestRequestOutput

    @extend_schema_serializer(component_name="ArrestDecisionInput")
    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=ArrestDecision.choices)
        reason = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="",
                                       help_text="Required for a denial.")

    def visible(self, user):
        return record_selectors.arrest_request_list(user=user)

    def check(self, record, user):
        check_may_decide_arrest(record, user)

    def act(self, record, user, data):
        return record_services.arrest_request_decide(request_id=record.pk, actor=user, **data)

    @_action_schema("The procuratorate approves or denies the arrest (meets arrest_review)", InputSerializer,
                    ArrestRequestOutput, "CPL Art. 90, 91; Opinions Art. 9. Who: procurator, procurator_general.")
    def post(self, request, pk):
        return super().post(request, pk)


class CoerciveMeasureEndApi(RecordActionApi):
    Output = CoerciveMeasureOutput

    @extend_schema_serializer(component_name="CoerciveMeasureEndInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=5000)
        ended_on = serializers.DateField(required=False, allow_null=True, default=None)

    def visible(self, user):
        return record_selectors.coercive_measure_list(user=user)

    def check(self, record, user):
        check_may_end_measure(record, user)

    def act(self, record, user, data):
        return record_services.coercive_measure_end(measure_id=record.pk, actor=user, **data)

    @_action_schema("End a coercive measure", InputSerializer, CoerciveMeasureOutput,
                    "Art. 6. Who: police_investigator of the agency that took it.")
    def post(self, request, pk):
        return super().post(request, pk)


class PropertyReleaseApi(RecordActionApi):
    Output = PropertyControlOutput

    @extend_schema_serializer(component_name="PropertyReleaseInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=5000)
        released_on = serializers.DateField(required=False, allow_null=True, default=None)

    def visible(self, user):
        return record_selectors.property_control_list(user=user)

    def check(self, record, user):
        check_may_dispose_property(record, user)

    def act(self, record, user, data):
        return record_services.property_control_release(control_id=record.pk, actor=user, **data)

    @_action_schema("Release controlled property", InputSerializer, PropertyControlOutput,
                    "Art. 6, 14. Who: the controlling agency's police_investigator or trial_judge.")
    def post(self, request, pk):
        return super().post(request, pk)


class PropertyHandOverApi(RecordActionApi):
    Output = PropertyControlOutput

    @extend_schema_serializer(component_name="PropertyHandOverInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
        handed_on = serializers.DateField(required=False, allow_null=True, default=None)

    def visible(self, user):
        return record_selectors.property_control_list(user=user)

    def check(self, record, user):
        check_may_dispose_property(record, user)

    def act(self, record, user, data):
        return record_services.property_control_hand_over(control_id=record.pk, actor=user, **data)

    @_action_schema("Hand controlled property to the executing court", InputSerializer, PropertyControlOutput,
                    "Art. 6, 14. Who: the controlling agency's police_investigator or trial_judge.")
    def post(self, request, pk):
        return super().post(request, pk)


class EvidenceCopyAnswerApi(RecordActionApi):
    Output = EvidenceCopyRequestOutput

    @extend_schema_serializer(component_name="EvidenceCopyAnswerInput")
    class InputSerializer(serializers.Serializer):
        evidence = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                         help_text="Ids of the case's materials to share with the creditor.")
        note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def visible(self, user):
        return record_selectors.evidence_copy_request_list(user=user)

    def check(self, record, user):
        check_may_answer_copy_request(record, user)

    def act(self, record, user, data):
        return record_services.evidence_copy_request_answer(request_id=record.pk, actor=user, **data)

    @_action_schema("The executing court shares evidence copies with the private prosecutor", InputSerializer,
                    EvidenceCopyRequestOutput, "Art. 15. Who: enforcement_judge of the executing court.")
    def post(self, request, pk):
        return super().post(request, pk)


class LocateAnswerApi(RecordActionApi):
    Output = LocateRequestOutput

    @extend_schema_serializer(component_name="LocateAnswerInput")
    class InputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(choices=LocateResult.choices)
        detail = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                       help_text="Where the defendant is; required when found.")

    def visible(self, user):
        return record_selectors.locate_request_list(user=user)

    def check(self, record, user):
        check_may_answer_locate(record, user)

    def act(self, record, user, data):
        return record_services.locate_request_answer(request_id=record.pk, actor=user, **data)

    @_action_schema("The police answer a locate request", InputSerializer, LocateRequestOutput,
                    "Art. 16. Who: police_investigator of the police agency asked.")
    def post(self, request, pk):
        return super().post(request, pk)


class ReferralAcknowledgeApi(RecordActionApi):
    Output = ObstructionReferralOutput

    @extend_schema_serializer(component_name="ReferralAcknowledgeInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def visible(self, user):
        return record_selectors.obstruction_referral_list(user=user)

    def check(self, record, user):
        check_may_acknowledge_referral(record, user)

    def act(self, record, user, data):
        return record_services.obstruction_referral_acknowledge(referral_id=record.pk, actor=user, **data)

    @_action_schema("The receiving agency acknowledges a referral", InputSerializer, ObstructionReferralOutput,
                    "Art. 18. Who: discipline_officer of the discipline commission, or procurator / "
                    "procurator_general of the procuratorate, it was sent to.")
    def post(self, request, pk):
        return super().post(request, pk)


# ---------------------------------------------------------------------------------------------------------------
# Everything on one case, for the case page


class CaseRecordsApi(APIView):
    @extend_schema_serializer(component_name="CaseRecordsOutput")
    class OutputSerializer(serializers.Serializer):
        allowed_record_actions = serializers.ListField(child=serializers.CharField())
        arrest_requests = ArrestRequestOutput(many=True)
        coercive_measures = CoerciveMeasureOutput(many=True)
        property_controls = PropertyControlOutput(many=True)
        warnings = WarningOutput(many=True)
        performances = PerformanceOutput(many=True)
        evidence_copy_requests = EvidenceCopyRequestOutput(many=True)
        locate_requests = LocateRequestOutput(many=True)
        obstruction_referrals = ObstructionReferralOutput(many=True)
        joint_meetings = serializers.ListField(child=serializers.DictField())

    @extend_schema(tags=[TAG], summary="All sub-procedure records of a case and what the user may add now",
                   responses={200: OutputSerializer, 404: ERRORS[404]})
    def get(self, request, pk):
        user = request.user
        case = selectors.case_get(user=user, case_id=pk)
        meetings = (record_selectors.joint_meeting_list(user=user).filter(cases=case)
                    .values("id", "held_on", "title"))
        data = {
            "allowed_record_actions": allowed_record_actions(case=case, user=user),
            "arrest_requests": record_selectors.arrest_request_list(user=user, case=case),
            "coercive_measures": record_selectors.coercive_measure_list(user=user, case=case),
            "property_controls": record_selectors.property_control_list(user=user, case=case),
            "warnings": record_selectors.warning_list(user=user, case=case),
            "performances": record_selectors.performance_list(user=user, case=case),
            "evidence_copy_requests": record_selectors.evidence_copy_request_list(user=user, case=case),
            "locate_requests": record_selectors.locate_request_list(user=user, case=case),
            "obstruction_referrals": record_selectors.obstruction_referral_list(user=user, case=case),
            "joint_meetings": [{**m, "held_on": m["held_on"].isoformat()} for m in meetings],
        }
        return Response(self.OutputSerializer(data, context={"request": request}).data)


# ---------------------------------------------------------------------------------------------------------------
# The Art. 13 checklist


class PrivateChecklistApi(APIView):
    @extend_schema_serializer(component_name="PrivateChecklistOutput")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="PrivateChecklistItem")
        class ItemSerializer(serializers.Serializer):
            category = serializers.CharField()
            label = serializers.CharField()
            required = serializers.BooleanField()
            present = serializers.BooleanField()
            requested = serializers.BooleanField(help_text="Named in the court's latest request for supplements.")
            supplied_since_request = serializers.BooleanField()
            materials = EvidenceOutputSerializer(many=True)

        case = serializers.IntegerField()
        state = serializers.CharField()
        items = ItemSerializer(many=True)
        missing = serializers.ListField(child=serializers.CharField(),
                                        help_text="Required categories without a material.")
        requested_outstanding = serializers.ListField(child=serializers.CharField())
        supplement_requested_at = serializers.DateTimeField(allow_null=True)
        supplement_note = serializers.CharField()
        ready_to_file = serializers.BooleanField()
        may_file_now = serializers.BooleanField()
        upload_url = serializers.CharField()

    @extend_schema(tags=[TAG], summary="Art. 13 checklist of a private prosecution: present and missing",
                   responses={200: OutputSerializer, 404: ERRORS[404]})
    def get(self, request, pk):
        from workflow.cases.transitions import allowed_transitions  # noqa: PLC0415

        case = selectors.case_get(user=request.user, case_id=pk)
        checklist = record_selectors.private_checklist(user=request.user, case=case)
        data = {
            "case": case.pk, "state": case.state, "items": checklist.items, "missing": checklist.missing,
            "requested_outstanding": checklist.requested_outstanding,
            "supplement_requested_at": checklist.supplement_requested_at,
            "supplement_note": checklist.supplement_note, "ready_to_file": checklist.ready_to_file,
            "may_file_now": "file_private_prosecution" in allowed_transitions(case=case, user=request.user),
            "upload_url": f"/api/cases/{case.pk}/evidence/",
        }
        return Response(self.OutputSerializer(data).data)


# ---------------------------------------------------------------------------------------------------------------
# Evidence file download

EVIDENCE_TYPES = [*ALLOWED_MIME, "application/octet-stream"]  # the type sniffed at upload, else a plain download


class EvidenceFileApi(APIView):
    @extend_schema(tags=[TAG], summary="Download an evidence material (a creditor: own or shared with them)",
                   responses={**{(200, mime): OpenApiTypes.BINARY for mime in EVIDENCE_TYPES}, 404: ERRORS[404]})
    def get(self, request, pk):
        evidence = record_selectors.evidence_for_download(user=request.user, evidence_id=pk)
        response = FileResponse(evidence.file.open("rb"), as_attachment=True,
                                filename=evidence.original_name or f"evidence-{evidence.pk}",
                                content_type=evidence.content_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# ---------------------------------------------------------------------------------------------------------------
# Joint meetings (Art. 19)


class JointMeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    held_on = serializers.DateField()
    title = serializers.CharField()
    place = serializers.CharField()
    attendees = serializers.SerializerMethodField()
    other_attendees = serializers.CharField()
    minutes = serializers.CharField()
    decisions = serializers.CharField()
    cases = serializers.SerializerMethodField()
    convened_by = AgencyOutputSerializer()
    created_by = _person()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_attendees(self, obj) -> list[dict]:
        return [{"username": u.username, "full_name": u.display_name, "role": u.role,
                 "agency": u.agency.name if u.agency_id else None} for u in obj.attendees.all()]

    def get_cases(self, obj) -> list[dict]:
        # Only the cases the reader may see: a meeting does not widen who sees a case.
        user = self.context["request"].user
        visible = set(selectors.case_list(user=user).filter(pk__in=[c.pk for c in obj.cases.all()])
                      .values_list("pk", flat=True))
        return [{"id": c.pk, "number": c.number, "state": c.state} for c in obj.cases.all() if c.pk in visible]


class JointMeetingListApi(APIView):
    @extend_schema_serializer(component_name="JointMeetingListInput")
    class InputSerializer(serializers.Serializer):
        held_on = serializers.DateField()
        title = serializers.CharField(max_length=200)
        place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        attendees = serializers.ListField(child=serializers.CharField(max_length=150), required=False, default=list,
                                          help_text="Usernames of officers of the region.")
        other_attendees = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
        minutes = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
        decisions = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
        cases = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    @extend_schema(tags=[TAG], summary="Joint meetings of the user's region (Art. 19)", parameters=[PAGE_PARAMETER],
                   responses={200: paginated(JointMeetingOutput)})
    def get(self, request):
        return _paginated(self, request, record_selectors.joint_meeting_list(user=request.user), JointMeetingOutput)

    @extend_schema(tags=[TAG], summary="Record a joint meeting (a liaison of a court, procuratorate or police)",
                   request=InputSerializer, responses={201: JointMeetingOutput, **ERRORS})
    def post(self, request):
        check_may_record_meetings(request.user)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = record_services.joint_meeting_create(actor=request.user, **serializer.validated_data)
        meeting = record_selectors.joint_meeting_get(user=request.user, meeting_id=meeting.pk)
        return Response(JointMeetingOutput(meeting, context={"request": request}).data, status=status.HTTP_201_CREATED)


class JointMeetingDetailApi(APIView):
    @extend_schema_serializer(component_name="JointMeetingDetailInput")
    class InputSerializer(serializers.Serializer):
        held_on = serializers.DateField(required=False)
        title = serializers.CharField(max_length=200, required=False)
        place = serializers.CharField(max_length=200, required=False, allow_blank=True)
        attendees = serializers.ListField(child=serializers.CharField(max_length=150), required=False)
        other_attendees = serializers.CharField(max_length=5000, required=False, allow_blank=True)
        minutes = serializers.CharField(max_length=50000, required=False, allow_blank=True)
        decisions = serializers.CharField(max_length=20000, required=False, allow_blank=True)
        add_cases = serializers.ListField(child=serializers.IntegerField(), required=False,
                                          help_text="Cases to add; a case once discussed stays in the record.")

    @extend_schema(tags=[TAG], responses={200: JointMeetingOutput, 404: ERRORS[404]})
    def get(self, request, pk):
        meeting = record_selectors.joint_meeting_get(user=request.user, meeting_id=pk)
        return Response(JointMeetingOutput(meeting, context={"request": request}).data)

    @extend_schema(tags=[TAG], summary="Complete the minutes, decisions, attendees or cases", request=InputSerializer,
                   responses={200: JointMeetingOutput, **ERRORS})
    def patch(self, request, pk):
        record_selectors.joint_meeting_get(user=request.user, meeting_id=pk)
        check_may_record_meetings(request.user)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "add_cases" in changes:
            changes["cases"] = changes.pop("add_cases")
        record_services.joint_meeting_update(meeting_id=pk, actor=request.user, **changes)
        meeting = record_selectors.joint_meeting_get(user=request.user, meeting_id=pk)
        return Response(JointMeetingOutput(meeting, context={"request": request}).data)


# ---------------------------------------------------------------------------------------------------------------
# The supervision ledger


class LedgerFilter(serializers.Serializer):
    region_code = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True, default="")
    state = serializers.ChoiceField(choices=CaseState.choices, required=False, allow_blank=True, default="")


class LedgerRowOutput(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk")
    number = serializers.CharField(source="case.number")
    origin = serializers.CharField(source="case.origin")
    enforcement_case_number = serializers.CharField(source="case.enforcement_case_number")
    debtor = serializers.CharField(source="case.debtor_name")
    executing_court = AgencyOutputSerializer(source="case.executing_court")
    police_agency = AgencyOutputSerializer(source="case.police_agency", allow_null=True)
    procuratorate = AgencyOutputSerializer(source="case.procuratorate", allow_null=True)
    requested_on = serializers.DateField(allow_null=True)
    requested_by = serializers.CharField()
    reason = serializers.CharField()
    explanation_requested_on = serializers.DateField(allow_null=True)
    explanation_submitted_on = serializers.DateField(allow_null=True)
    result = serializers.CharField(help_text="accept_explanation, order_filing, decline_supervision or empty")
    result_on = serializers.DateField(allow_null=True)
    filed_after_order_on = serializers.DateField(allow_null=True)
    private_prosecution_advised_on = serializers.DateField(allow_null=True)
    state = serializers.CharField(source="case.state")
    state_display = serializers.CharField(source="case.get_state_display")
    open_deadlines = serializers.SerializerMethodField()
    overdue = serializers.BooleanField()
    finished = serializers.BooleanField()

    def get_open_deadlines(self, obj) -> list[dict]:
        return [{**d, "due_date": d["due_date"].isoformat()} for d in obj.open_deadlines]


def _ledger_cases(request):
    if request.user.role == Role.CREDITOR or not request.user.agency_id:
        raise PermissionDenied(_("The supervision ledger is kept by the organs."))
    filters = LedgerFilter(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return record_selectors.supervision_cases(user=request.user, **filters.validated_data)


class SupervisionLedgerApi(APIView):
    @extend_schema(tags=[TAG], summary="Every case in which supervision was requested, with its state and deadlines",
                   parameters=[LedgerFilter, PAGE_PARAMETER],
                   responses={200: paginated(LedgerRowOutput), 403: ERRORS[403]})
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(_ledger_cases(request), request, view=self)
        rows = record_selectors.supervision_ledger(cases=page)
        return paginator.get_paginated_response(LedgerRowOutput(rows, many=True).data)


def _export(request, *, fmt: str) -> HttpResponse:
    rows = record_selectors.supervision_ledger(cases=_ledger_cases(request))
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(ledger.write_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            ledger.write_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="supervision-ledger-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


class SupervisionLedgerCsvApi(APIView):
    @extend_schema(tags=[TAG], summary="The supervision ledger as CSV (UTF-8)", parameters=[LedgerFilter],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY, 403: ERRORS[403]})
    def get(self, request):
        return _export(request, fmt="csv")


class SupervisionLedgerXlsxApi(APIView):
    @extend_schema(
        tags=[TAG], summary="The supervision ledger as an Excel workbook", parameters=[LedgerFilter],
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
                   403: ERRORS[403]},
    )
    def get(self, request):
        return _export(request, fmt="xlsx")

