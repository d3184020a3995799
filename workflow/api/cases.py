"""The case API of api.md. Views parse input, call one selector or service and shape the output."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api import AgencyOutputSerializer
from documents.models import MaterialText
from documents.serializers import DocumentOutputSerializer
from procedure.conditions import missing_private_categories, missing_transfer_categories
from procedure.deadlines import DeadlineKind
from procedure.disclosure import Disclosure, disclosure
from procedure.states import CaseState, DeadlineStatus, EvidenceCategory, PartyKind
from procedure.transitions import TRANSITIONS
from refusal_cases.api import DeferredJoinPagination
from workflow.cases import selectors, services
from workflow.cases.documents import document_list_for_case
from workflow.cases.inputs import input_serializer
from workflow.cases.proposals import pending_approval
from workflow.cases.transitions import allowed_transitions, fire
from workflow.models import Approval, CaseEvent, Deadline, Evidence


class PartyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=PartyKind.choices, required=False, allow_blank=True, default="",
        help_text="Left out: `entity` when the name ends as an organisation's does (…有限公司), else `person`.")
    id_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="",
        help_text="A citizen identity number (GB 11643-1999) for a person, a unified social credit code "
                  "(GB 32100-2015) for an entity; checked by its check character.")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    user = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        party, problem = services.party_clean(attrs)
        if problem is not None:
            raise serializers.ValidationError({"id_number": [problem]})
        return party


class EvidenceOutputSerializer(serializers.ModelSerializer):
    added_by = serializers.CharField(source="added_by.username")
    text_status = serializers.SerializerMethodField(
        help_text="Reading of the material's text (OCR of scans): pending, done, failed or unsupported.")

    class Meta:
        model = Evidence
        fields = ["id", "category", "title", "sha256", "size", "added_by", "added_at", "shared_with_creditor",
                  "text_status"]

    def get_text_status(self, obj) -> str:
        layer = getattr(obj, "text_layer", None)  # none yet: the job has not run
        return layer.status if layer is not None else MaterialText.Status.PENDING


class DeadlineOutputSerializer(serializers.ModelSerializer):
    owed_by = AgencyOutputSerializer()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = ["id", "case", "case_number", "kind", "legal_basis", "owed_by", "start_date", "due_date", "custody",
                  "status", "met_at", "explanation", "provisional"]

    def get_explanation(self, obj) -> str:
        request = self.context.get("request")
        if request is not None and getattr(request, "LANGUAGE_CODE", "").startswith("en") and obj.explanation_en:
            return obj.explanation_en
        return obj.explanation


class CaseDeadlineSerializer(DeadlineOutputSerializer):
    class Meta(DeadlineOutputSerializer.Meta):
        fields = [f for f in DeadlineOutputSerializer.Meta.fields if f not in ("case", "case_number")]


class EventOutputSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)

    class Meta:
        model = CaseEvent
        fields = ["seq", "at", "actor", "agency", "transition", "from_state", "to_state", "payload", "hash"]


class ApprovalOutputSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    proposed_by = serializers.CharField(source="proposed_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    body = serializers.SerializerMethodField()

    class Meta:
        model = Approval
        fields = ["id", "case", "case_number", "transition", "from_state", "proposed_by", "proposed_at", "body",
                  "status", "decided_by", "decided_at", "reason"]

    def get_body(self, obj) -> dict:
        request = self.context.get("request")
        if request is None:
            return dict(obj.body)
        return disclosure(request.user).payload(obj.transition, obj.body)


def _party(case, who: str, *, reader: Disclosure) -> dict:
    data = reader.party(case, who)
    if who == "applicant":
        data["user"] = case.applicant_user.username if case.applicant_user_id else None
    return data


@extend_schema_field(AgencyOutputSerializer)
class AgencyField(serializers.Field):
    """An agency as AgencyOutputSerializer shows it, shaped once per agency and response: a page of cases names
    the same few agencies again and again."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, agency) -> dict:
        shaped = self.context.setdefault("shaped_agencies", {})
        if agency.pk not in shaped:
            shaped[agency.pk] = AgencyOutputSerializer(agency).data
        return shaped[agency.pk]


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.SerializerMethodField()
    origin = serializers.CharField()
    enforcement_case_number = serializers.CharField()
    executing_court = AgencyField()
    police_agency = AgencyField(allow_null=True)
    procuratorate = AgencyField(allow_null=True)
    trial_court = AgencyField(allow_null=True)
    applicant = serializers.SerializerMethodField()
    debtor = serializers.SerializerMethodField()
    basis_document = serializers.CharField()
    amount_owed = serializers.DecimalField(max_digits=16, decimal_places=2)
    amount_recovered = serializers.DecimalField(max_digits=16, decimal_places=2)
    cross_region = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    state_changed_at = serializers.DateTimeField()

    def get_state_display(self, obj) -> str:
        # Not Model.get_state_display(), which rebuilds the whole choices mapping on every call.
        return str(CaseState(obj.state).label)

    def _reader(self) -> Disclosure:
        return disclosure(self.context["request"].user)

    def get_applicant(self, obj) -> dict:
        return _party(obj, "applicant", reader=self._reader())

    def get_debtor(self, obj) -> dict:
        return _party(obj, "debtor", reader=self._reader())


class CaseDetailSerializer(CaseSummarySerializer):
    summary = serializers.CharField()
    jurisdiction_reason = serializers.CharField()
    internal_note = serializers.SerializerMethodField()
    custody = serializers.BooleanField()
    outcome = serializers.CharField()
    sentence = serializers.CharField()
    reconciliation_terms = serializers.CharField()
    supplementary_rounds = serializers.IntegerField()
    evidence = serializers.SerializerMethodField()
    deadlines = CaseDeadlineSerializer(many=True)
    documents = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    missing_transfer_categories = serializers.SerializerMethodField()
    missing_private_categories = serializers.SerializerMethodField()
    pending_approval = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="What to check again, `{field, message}`: e.g. a creditor account linked in another name than "
                  "the applicant's.")

    def get_internal_note(self, obj) -> str | None:
        return self._reader().internal(obj.internal_note)

    def _materials(self, obj) -> list:
        reader = self._reader()
        return [e for e in obj.evidence.all() if reader.material(e)]

    def get_evidence(self, obj) -> list[dict]:
        return EvidenceOutputSerializer(self._materials(obj), many=True).data

    @extend_schema_field(EventOutputSerializer(many=True))
    def get_events(self, obj) -> list[dict]:
        reader, visible = self._reader(), {e.pk for e in self._materials(obj)}
        shown = []
        for event in obj.events.all():
            payload = reader.event_payload(event, visible)
            if payload is not None:
                shown.append({**EventOutputSerializer(event).data, "payload": payload})
        return shown

    def get_documents(self, obj) -> list[dict]:
        docs = document_list_for_case(case=obj, user=self.context["request"].user)
        return DocumentOutputSerializer(docs, many=True, context=self.context).data

    def get_allowed_transitions(self, obj) -> list[str]:
        return allowed_transitions(case=obj, user=self.context["request"].user)

    def get_missing_transfer_categories(self, obj) -> list[str]:
        return missing_transfer_categories(obj)

    def get_missing_private_categories(self, obj) -> list[str]:
        return missing_private_categories(obj)

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_warnings(self, obj) -> list[dict]:
        if self._reader().creditor:
            return []
        return services.case_warnings(obj)

    @extend_schema_field(ApprovalOutputSerializer(allow_null=True))
    def get_pending_approval(self, obj) -> dict | None:
        approval = pending_approval(obj, reader=self.context["request"].user)
        return None if approval is None else ApprovalOutputSerializer(approval, context=self.context).data


class CaseListApi(ListAPIView):
    serializer_class = CaseSummarySerializer
    pagination_class = DeferredJoinPagination

    class CaseFilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=CaseState.choices, required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
        q = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    class CaseCreateInputSerializer(serializers.Serializer):
        enforcement_case_number = serializers.CharField(max_length=100)
        executing_court = serializers.IntegerField(required=False, allow_null=True)
        police_agency = serializers.IntegerField(required=False, allow_null=True)
        procuratorate = serializers.IntegerField(required=False, allow_null=True)
        applicant = PartyInputSerializer()
        debtor = PartyInputSerializer()
        basis_document = serializers.CharField(max_length=200)
        amount_owed = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
        summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
        jurisdiction_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
        internal_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
        duplicate_reason = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=2000,
            help_text="Why a second case is filed while one of the same court and enforcement case number is "
                      "still open (otherwise 409 naming it); kept in the creation event.")

    def _filters(self) -> dict:
        filters = self.CaseFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.validated_data

    def get_queryset(self):
        # The page's agencies are read apart, in one query (paginate_queryset).
        return (selectors.case_list(user=self.request.user, **self._filters())
                .select_related(None).select_related("applicant_user"))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_agencies(page)

    def list_count(self) -> int | None:
        return selectors.case_count(user=self.request.user, **self._filters())

    def list_page_ids(self, bottom: int, top: int) -> list[int] | None:
        return selectors.case_page_ids(user=self.request.user, bottom=bottom, top=top, **self._filters())

    @extend_schema(parameters=[CaseFilterSerializer], responses=CaseSummarySerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CaseCreateInputSerializer, responses={201: CaseDetailSerializer})
    def post(self, request):
        serializer = self.CaseCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_create(actor=request.user, **serializer.validated_data)
        return Response(case_detail_data(request, case.pk), status=status.HTTP_201_CREATED)


def case_detail_data(request, case_id) -> dict:
    case = selectors.case_get(user=request.user, case_id=case_id, related=True)
    return CaseDetailSerializer(case, context={"request": request}).data


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, pk):
        return Response(case_detail_data(request, pk))


class EvidenceCreateApi(APIView):
    parser_classes = [MultiPartParser]  # the one upload of the API: multipart, every other body is JSON

    class EvidenceInputSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=EvidenceCategory.choices)
        title = serializers.CharField(max_length=200)
        file = serializers.FileField()

    @extend_schema(request=EvidenceInputSerializer, responses={201: EvidenceOutputSerializer})
    def post(self, request, pk):
        case = selectors.case_get(user=request.user, case_id=pk)
        serializer = self.EvidenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = services.evidence_add(case_id=case.pk, actor=request.user, **serializer.validated_data)
        return Response(EvidenceOutputSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceRemoveApi(APIView):
    class EvidenceRemoveInputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    @extend_schema(
        parameters=[EvidenceRemoveInputSerializer],
        responses={204: None, 409: None},
        description="Take back a material added by mistake while the case is a draft (`?reason=` optional); the "
                    "removal stays in the case's events. 409 once the case was submitted.")
    def delete(self, request, pk, evidence_id):
        case = selectors.case_get(user=request.user, case_id=pk)
        serializer = self.EvidenceRemoveInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        if not selectors.evidence_list(case=case, user=request.user).filter(pk=evidence_id).exists():
            raise exceptions.NotFound()
        services.evidence_remove(case_id=case.pk, evidence_id=evidence_id, actor=request.user,
                                 **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


def transition_view(name: str):
    """One endpoint per transition, so that OpenAPI describes each body."""
    body = input_serializer(name)
    rule = TRANSITIONS[name]

    class TransitionApi(APIView):
        @extend_schema(
            operation_id=f"cases_transition_{name}",
            summary=f"{name}: {' / '.join(rule.sources)} → {rule.target}",
            description=f"Who: {', '.join(a.role for a in rule.actors)}"
                        + (f", approved by {', '.join(a.role for a in rule.approvers)} (202 with the pending approval "
                           "when proposed; the approver fires it at once)" if rule.approvers else "")
                        + f". {rule.article}",
            request=body,
            responses={200: CaseDetailSerializer, **({202: ApprovalOutputSerializer} if rule.approvers else {}),
                       400: None, 403: None, 404: None, 409: None},
            tags=["transitions"],
        )
        def post(self, request, pk):
            try:
                data = request.data
            except (exceptions.UnsupportedMediaType, exceptions.ParseError):
                selectors.case_get(user=request.user, case_id=pk)  # a case the user may not see stays a 404
                raise
            fired = fire(case_id=pk, name=name, actor=request.user, data=data)
            if isinstance(fired, Approval):  # proposed, awaiting approval (procedure.md §3 "Approvals")
                return Response(ApprovalOutputSerializer(fired, context={"request": request}).data,
                                status=status.HTTP_202_ACCEPTED)
            return Response(case_detail_data(request, fired.pk))

    TransitionApi.__name__ = f"{name.title().replace('_', '')}Api"
    return TransitionApi.as_view()


class UnknownTransitionApi(APIView):
    @extend_schema(exclude=True)
    def post(self, request, pk, name):
        fire(case_id=pk, name=name, actor=request.user, data=request.data)  # raises 404 for an unknown name


class DeadlineListApi(ListAPIView):
    serializer_class = DeadlineOutputSerializer
    pagination_class = DeferredJoinPagination

    class DeadlineFilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=DeadlineStatus.choices, required=False)
        kind = serializers.ChoiceField(choices=DeadlineKind.choices, required=False)

    def _filters(self) -> dict:
        filters = self.DeadlineFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.validated_data

    def get_queryset(self):
        return selectors.deadline_list(user=self.request.user, **self._filters())

    def list_count(self) -> int | None:
        return selectors.deadline_count(user=self.request.user, **self._filters())

    @extend_schema(parameters=[DeadlineFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


__all__ = ["OpenApiParameter", "inline_serializer"]
