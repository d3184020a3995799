"""The API of the joint mechanism of Art. 19: joint meetings and the supervision ledger (with its exports)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api import AgencyOutputSerializer
from agencies.roles import Role
from procedure.records import check_may_record_meetings
from procedure.states import CaseState
from refusal_cases.api import Pagination
from refusal_cases.replica import replica_reads
from refusal_cases.schema import PAGE_PARAMETER, paginated
from workflow.api.records import ERRORS, TAG, person_field, respond_paginated
from workflow.cases import selectors
from workflow.supervision import ledger, meetings

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
    created_by = person_field()
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
        return respond_paginated(self, request, meetings.joint_meeting_list(user=request.user), JointMeetingOutput)

    @extend_schema(tags=[TAG], summary="Record a joint meeting (a liaison of a court, procuratorate or police)",
                   request=InputSerializer, responses={201: JointMeetingOutput, **ERRORS})
    def post(self, request):
        check_may_record_meetings(request.user)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = meetings.joint_meeting_create(actor=request.user, **serializer.validated_data)
        meeting = meetings.joint_meeting_get(user=request.user, meeting_id=meeting.pk)
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
        meeting = meetings.joint_meeting_get(user=request.user, meeting_id=pk)
        return Response(JointMeetingOutput(meeting, context={"request": request}).data)

    @extend_schema(tags=[TAG], summary="Complete the minutes, decisions, attendees or cases", request=InputSerializer,
                   responses={200: JointMeetingOutput, **ERRORS})
    def patch(self, request, pk):
        meetings.joint_meeting_get(user=request.user, meeting_id=pk)
        check_may_record_meetings(request.user)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "add_cases" in changes:
            changes["cases"] = changes.pop("add_cases")
        meetings.joint_meeting_update(meeting_id=pk, actor=request.user, **changes)
        meeting = meetings.joint_meeting_get(user=request.user, meeting_id=pk)
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
    correction_notice_on = serializers.DateField(allow_null=True)
    correction_replied_on = serializers.DateField(allow_null=True)
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
    return ledger.supervision_cases(user=request.user, **filters.validated_data)


class SupervisionLedgerApi(APIView):
    @extend_schema(tags=[TAG], summary="Every case in which supervision was requested, with its state and deadlines",
                   parameters=[LedgerFilter, PAGE_PARAMETER],
                   responses={200: paginated(LedgerRowOutput), 403: ERRORS[403]})
    @replica_reads
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(_ledger_cases(request), request, view=self)
        rows = ledger.supervision_ledger(cases=page)
        return paginator.get_paginated_response(LedgerRowOutput(rows, many=True).data)


@replica_reads
def _export(request, *, fmt: str) -> HttpResponse:
    rows = ledger.supervision_ledger(cases=_ledger_cases(request))
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
