"""The API of the sub-procedure records on a case, the Art. 13 checklist and the evidence download.

Views stay thin: find the case among those the user may see (404), check who may act (403, 409) before reading
the body, validate it with the record's input serializer (400 naming the field), call the record's service and
shape the output. The answers to a record are in workflow.api.record_answers; joint meetings and the supervision
ledger in workflow.api.supervision.
"""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api import AgencyOutputSerializer
from agencies.roles import Role
from procedure.records import RECORD_RULES, allowed_record_actions, check_record_action
from refusal_cases.api import Pagination
from refusal_cases.schema import PAGE_PARAMETER, paginated
from workflow.api.cases import EvidenceOutputSerializer
from workflow.cases import selectors
from workflow.cases.transitions import allowed_transitions
from workflow.cases.uploads import ALLOWED_MIME
from workflow.models.records import (
    ArrestDecision,
    CoerciveMeasureKind,
    PerformanceKind,
    PropertyMeasure,
)
from workflow.records import selectors as record_selectors
from workflow.records import services as record_services
from workflow.records.inputs import RECORD_INPUTS
from workflow.supervision.meetings import joint_meeting_list

TAG = "records"
ERRORS = {400: OpenApiResponse(description="Bad input: the body names the field."),
          403: OpenApiResponse(description="Your role or agency may not do this."),
          404: OpenApiResponse(description="Unknown, or a case you may not see."),
          409: OpenApiResponse(description="Not possible in the case's current state, or already done.")}


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="display_name")


def person_field(**kwargs):
    return PersonSerializer(allow_null=True, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Output shapes, one per record (shared by the lists, the creates and the answers)


class ArrestRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    suspect_name = serializers.CharField()
    grounds = serializers.CharField()
    detained = serializers.BooleanField()
    requested_by = person_field()
    requesting_agency = AgencyOutputSerializer()
    requested_at = serializers.DateTimeField()
    deadline = serializers.SerializerMethodField()
    decision = serializers.ChoiceField(choices=ArrestDecision.choices, allow_blank=True)
    decision_reason = serializers.CharField()
    decided_by = person_field()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_deadline(self, obj) -> dict | None:
        return _deadline(obj.deadline)


def _deadline(d) -> dict | None:
    if d is None:
        return None
    return {"id": d.pk, "kind": d.kind, "due_date": d.due_date.isoformat(), "status": d.status,
            "legal_basis": d.legal_basis, "met_at": d.met_at.isoformat() if d.met_at else None}


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
    deadline = serializers.SerializerMethodField()
    agency = AgencyOutputSerializer()
    recorded_by = person_field()
    active = serializers.BooleanField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()

    def get_deadline(self, obj) -> dict | None:
        return _deadline(obj.deadline)


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
    recorded_by = person_field()
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
    recorded_by = person_field()


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
    recorded_by = person_field()
    amount_recovered = serializers.DecimalField(source="case.amount_recovered", max_digits=16, decimal_places=2)
    amount_owed = serializers.DecimalField(source="case.amount_owed", max_digits=16, decimal_places=2)


class EvidenceCopyRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    description = serializers.CharField()
    requested_by = person_field()
    requested_at = serializers.DateTimeField()
    status = serializers.CharField()
    shared_evidence = serializers.SerializerMethodField()
    answer_note = serializers.CharField()
    answered_by = person_field()
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
    requested_by = person_field()
    requested_at = serializers.DateTimeField()
    letter = serializers.SerializerMethodField()
    result = serializers.CharField()
    result_detail = serializers.SerializerMethodField()
    answered_by = person_field()
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
    referred_by = person_field()
    referred_at = serializers.DateTimeField()
    letter = serializers.SerializerMethodField()
    acknowledged_by = person_field()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledgment_note = serializers.CharField()

    def get_letter(self, obj) -> dict | None:
        return _letter(obj.letter)


class SupervisionComplaintOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    reason = serializers.CharField()
    case_state = serializers.CharField()
    filed_by = person_field()
    filed_at = serializers.DateTimeField()
    answer = serializers.CharField(help_text="explanation_requested, refused, or empty while pending.")
    answer_reason = serializers.CharField()
    answered_by = person_field()
    answered_at = serializers.DateTimeField(allow_null=True)


class CorrectionNoticeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    reason = serializers.CharField()
    deadline = serializers.SerializerMethodField(help_text="The police deadline that passed.")
    issued_by = person_field()
    procuratorate = AgencyOutputSerializer()
    police_agency = AgencyOutputSerializer()
    issued_at = serializers.DateTimeField()
    letter = serializers.SerializerMethodField()
    reply = serializers.CharField()
    replied_by = person_field()
    replied_at = serializers.DateTimeField(allow_null=True)

    def get_deadline(self, obj) -> dict | None:
        return _deadline(obj.deadline)

    def get_letter(self, obj) -> dict | None:
        return _letter(obj.letter)


def _letter(document) -> dict | None:
    if document is None:
        return None
    return {"id": document.pk, "kind": document.kind, "number": document.number,
            "pdf_url": f"/api/documents/{document.pk}/pdf/"}


# ---------------------------------------------------------------------------------------------------------------
# Lists and creates on a case


def respond_paginated(view, request, queryset, output):
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(output(page, many=True, context={"request": request}).data)


class CaseRecordApi(APIView):
    """GET the case's records of one kind; POST adds one (the record's name is the event in the case's chain)."""

    record = ""
    Output: type[serializers.Serializer]

    def get(self, request, pk):
        case = selectors.case_get(user=request.user, case_id=pk)
        records = record_selectors.RECORD_LISTS[self.record](user=request.user, case=case)
        return respond_paginated(self, request, records, self.Output)

    def post(self, request, pk):
        case = selectors.case_get(user=request.user, case_id=pk)
        check_record_action(case=case, user=request.user, name=self.record)
        serializer = RECORD_INPUTS[self.record](data=request.data)
        serializer.is_valid(raise_exception=True)
        record = record_services.record_create(record=self.record, case_id=case.pk, actor=request.user,
                                               data=serializer.validated_data)
        return Response(self.Output(record, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _case_record_schema(record: str, output, summary: str):
    rule = RECORD_RULES[record]
    who = "; ".join(f"{a.role} ({a.position}{', while ' + ' / '.join(a.states) if a.states else ''})"
                    for a in rule.actors)
    return extend_schema_view(
        get=extend_schema(tags=[TAG], summary=f"The case's {record} records", parameters=[PAGE_PARAMETER],
                          responses={200: paginated(output)}),
        post=extend_schema(tags=[TAG], summary=summary, description=f"{rule.article}. Who: {who}.",
                           request=RECORD_INPUTS[record], responses={201: output, **ERRORS}),
    )


def _case_record_api(record: str, output, summary: str) -> type[CaseRecordApi]:
    """The list-and-create view of one record kind on a case."""
    name = "Case" + "".join(part.title() for part in record.split("_")) + "sApi"
    return _case_record_schema(record, output, summary)(
        type(name, (CaseRecordApi,), {"record": record, "Output": output, "__module__": __name__}))


#: record kind -> its list-and-create view on a case, routed at cases/{id}/<kind, dashed, plural>/
CASE_RECORD_APIS = {record: _case_record_api(record, output, summary) for record, output, summary in [
    ("arrest_request", ArrestRequestOutput, "The police ask the procuratorate to approve an arrest (opens arrest_review)"),
    ("coercive_measure", CoerciveMeasureOutput, "Record a coercive measure against the suspect"),
    ("property_control", PropertyControlOutput, "Seize, distrain or freeze property of the suspect or defendant"),
    ("warning", WarningOutput, "Record a warning given to the debtor"),
    ("performance", PerformanceOutput, "Record that the debtor paid or delivered (the amount recovered follows)"),
    ("evidence_copy_request", EvidenceCopyRequestOutput, "The private prosecutor asks the executing court for evidence copies"),
    ("locate_request", LocateRequestOutput, "The trial court asks the police to locate the defendant (issues the letter)"),
    ("obstruction_referral", ObstructionReferralOutput, "Refer an official who obstructed enforcement (issues the letter)"),
    ("supervision_complaint", SupervisionComplaintOutput, "The creditor asks the procuratorate to supervise a non-filing or withdrawal"),
    ("correction_notice", CorrectionNoticeOutput, "The procurator notifies the police to correct a missed period (issues the letter)"),
]}


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
        supervision_complaints = SupervisionComplaintOutput(many=True)
        correction_notices = CorrectionNoticeOutput(many=True)
        joint_meetings = serializers.ListField(child=serializers.DictField())

    @extend_schema(tags=[TAG], summary="All sub-procedure records of a case and what the user may add now",
                   responses={200: OutputSerializer, 404: ERRORS[404]})
    def get(self, request, pk):
        user = request.user
        case = selectors.case_get(user=user, case_id=pk)
        meetings = joint_meeting_list(user=user).filter(cases=case).values("id", "held_on", "title")
        data = {
            "allowed_record_actions": allowed_record_actions(case=case, user=user),
            **record_selectors.case_records(user=user, case=case),
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
