"""Reads of the sub-procedure records, the Art. 13 checklist and the supervision ledger, filtered by visibility.

A record is seen by whoever sees its case (procedure.md §1), with three exceptions: the arrest review and the
Art. 18 referral are internal to the organs (a creditor never sees them), a referral is seen only by the
referring court and the receiving agency (the clue concerns an official and is confidential), and a request
addressed to an agency outside the case (a locate request to another police agency, a referral to a discipline
commission) is seen by that agency too.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.roles import Role
from procedure.states import PRIVATE_CATEGORIES, PRIVATE_REQUIRED_CATEGORIES, TERMINAL_STATES, DeadlineStatus
from procedure.states import EvidenceCategory as C
from workflow.cases.selectors import case_list, visibility_q
from workflow.models import Case, CaseEvent, Deadline, Evidence
from workflow.models.records import (
    ArrestRequest,
    CoerciveMeasure,
    EvidenceCopyRequest,
    JointMeeting,
    LocateRequest,
    ObstructionReferral,
    Performance,
    PropertyControl,
    Warning,
)

NOTHING = Q(pk__in=[])


def _case_visible(user) -> Q:
    return visibility_q(user, prefix="case__")


def _agency_officer(user) -> bool:
    return user.is_authenticated and user.role != Role.CREDITOR and bool(user.agency_id)


def _on_case(qs: QuerySet, case) -> QuerySet:
    return qs.filter(case=case) if case is not None else qs


def arrest_request_list(*, user, case=None) -> QuerySet[ArrestRequest]:
    """Arrest reviews stay between police and procuratorate (and the courts of the case); never the creditor."""
    q = _case_visible(user) if _agency_officer(user) else NOTHING
    return _on_case(ArrestRequest.objects.filter(q), case).select_related(
        "case", "requested_by", "requesting_agency", "decided_by", "deadline")


def coercive_measure_list(*, user, case=None) -> QuerySet[CoerciveMeasure]:
    return _on_case(CoerciveMeasure.objects.filter(_case_visible(user)), case).select_related(
        "case", "recorded_by", "agency", "ended_by")


def property_control_list(*, user, case=None) -> QuerySet[PropertyControl]:
    return _on_case(PropertyControl.objects.filter(_case_visible(user)), case).select_related(
        "case", "controlling_agency", "recorded_by", "disposed_by", "handed_to")


def warning_list(*, user, case=None) -> QuerySet[Warning]:
    return _on_case(Warning.objects.filter(_case_visible(user)), case).select_related("case", "given_by",
                                                                                     "recorded_by")


def performance_list(*, user, case=None) -> QuerySet[Performance]:
    return _on_case(Performance.objects.filter(_case_visible(user)), case).select_related("case", "recorded_by",
                                                                                         "agency")


def evidence_copy_request_list(*, user, case=None) -> QuerySet[EvidenceCopyRequest]:
    return _on_case(EvidenceCopyRequest.objects.filter(_case_visible(user)), case).select_related(
        "case", "requested_by", "answered_by").prefetch_related("shared_evidence")


def locate_request_list(*, user, case=None) -> QuerySet[LocateRequest]:
    """The case's agencies and creditor, and the police agency asked (which may hold no position in the case)."""
    q = _case_visible(user)
    if _agency_officer(user):
        q |= Q(police_agency_id=user.agency_id)
    return _on_case(LocateRequest.objects.filter(q), case).select_related(
        "case", "requesting_court", "police_agency", "requested_by", "answered_by", "letter")


def obstruction_referral_list(*, user, case=None) -> QuerySet[ObstructionReferral]:
    """Only the referring executing court and the receiving agency: the clue concerns an official."""
    if not _agency_officer(user):
        return ObstructionReferral.objects.none()
    q = Q(case__executing_court_id=user.agency_id) | Q(receiver_id=user.agency_id)
    return _on_case(ObstructionReferral.objects.filter(q), case).select_related(
        "case", "referring_court", "receiver", "referred_by", "acknowledged_by", "letter")


def joint_meeting_list(*, user) -> QuerySet[JointMeeting]:
    """Art. 19: the meetings of the user's region, for the officers of that region's agencies."""
    if not _agency_officer(user):
        return JointMeeting.objects.none()
    return JointMeeting.objects.filter(region_code=user.agency.region_code).select_related(
        "convened_by", "created_by").prefetch_related("attendees__agency", "cases")


def joint_meeting_get(*, user, meeting_id) -> JointMeeting:
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise Http404 from None
    meeting = joint_meeting_list(user=user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


def evidence_for_download(*, user, evidence_id) -> Evidence:
    """A material's file, for those who see the case; a creditor gets only their own materials and those the
    executing court shared with them (Art. 15). Anything else is 404, as if it did not exist."""
    try:
        evidence_id = int(evidence_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = Evidence.objects.filter(visibility_q(user, prefix="case__"), pk=evidence_id)
    if user.role == Role.CREDITOR:
        qs = qs.filter(Q(added_by=user) | Q(shared_with_creditor=True))
    evidence = qs.first()
    if evidence is None:
        raise Http404
    return evidence


# ---------------------------------------------------------------------------------------------------------------
# The Art. 13 checklist of a private prosecution


@dataclass
class ChecklistItem:
    category: str
    label: str
    required: bool
    present: bool
    materials: list = field(default_factory=list)
    requested: bool = False  # named in the filing division's latest request for supplements
    supplied_since_request: bool = False


@dataclass
class PrivateChecklist:
    items: list[ChecklistItem]
    missing: list[str]
    requested_outstanding: list[str]
    supplement_requested_at: datetime | None
    supplement_note: str
    ready_to_file: bool


def private_checklist(*, user, case: Case) -> PrivateChecklist:
    """Art. 13: for each material, whether the case has one; what the court asked to be supplemented and is still
    outstanding. "present" counts exactly what `file_private_prosecution` counts."""
    materials = list(case.evidence.filter(category__in=PRIVATE_CATEGORIES).select_related("added_by"))
    request = (CaseEvent.objects.filter(case=case, transition="request_supplement").order_by("-seq")
               .values("at", "payload").first())
    requested = set((request or {}).get("payload", {}).get("missing", [])) if request else set()
    items = []
    for category in PRIVATE_CATEGORIES:
        of_kind = [m for m in materials if m.category == category]
        shown = of_kind
        if user.role == Role.CREDITOR:
            shown = [m for m in of_kind if m.added_by_id == user.pk or m.shared_with_creditor]
        items.append(ChecklistItem(
            category=category,
            label=str(C(category).label),
            required=category in PRIVATE_REQUIRED_CATEGORIES,
            present=bool(of_kind),
            materials=shown,
            requested=category in requested,
            supplied_since_request=bool(request) and any(m.added_at > request["at"] for m in of_kind),
        ))
    missing = [i.category for i in items if i.required and not i.present]
    outstanding = [i.category for i in items if i.requested and not i.supplied_since_request]
    return PrivateChecklist(
        items=items,
        missing=missing,
        requested_outstanding=outstanding,
        supplement_requested_at=request["at"] if request else None,
        supplement_note=(request or {}).get("payload", {}).get("note", "") if request else "",
        ready_to_file=not missing,
    )


# ---------------------------------------------------------------------------------------------------------------
# The supervision ledger (Art. 19; Art. 7, 8): every case in which supervision was requested, to its end

SUPERVISION_OPENED_BY = ("request_supervision", "request_explanation")
LEDGER_STEPS = (
    "request_supervision", "request_explanation", "submit_explanation", "accept_explanation", "order_filing",
    "decline_supervision", "file_case", "advise_private_prosecution",
)
RESULTS = ("accept_explanation", "order_filing", "decline_supervision")


@dataclass
class LedgerRow:
    case: Case
    requested_on: date | None = None
    requested_by: str = ""
    reason: str = ""
    explanation_requested_on: date | None = None
    explanation_submitted_on: date | None = None
    result: str = ""
    result_on: date | None = None
    filed_after_order_on: date | None = None
    private_prosecution_advised_on: date | None = None
    # {"id", "kind", "due_date", "status", "owed_by"} of each deadline still running
    open_deadlines: list[dict] = field(default_factory=list)
    overdue: bool = False

    @property
    def finished(self) -> bool:
        return self.case.state in TERMINAL_STATES


def supervision_cases(*, user, region_code: str = "", state: str = "") -> QuerySet[Case]:
    """The cases the user sees in which supervision of the police's filing was requested (Art. 7, 8 ¶1)."""
    if not _agency_officer(user):
        return Case.objects.none()
    opened = CaseEvent.objects.filter(case=OuterRef("pk"), transition__in=SUPERVISION_OPENED_BY)
    qs = case_list(user=user).filter(Exists(opened))
    if region_code:
        qs = qs.filter(executing_court__region_code=region_code)
    if state:
        qs = qs.filter(state=state)
    # Only what a row shows: loading whole cases was most of the time of a region's export.
    agency_fields = ("id", "name", "kind", "region_code", "region_name")
    return (qs.select_related(None).select_related("executing_court", "police_agency", "procuratorate")
            .only("id", "number", "origin", "state", "enforcement_case_number", "debtor_name",
                  *(f"{position}__{f}" for position in ("executing_court", "police_agency", "procuratorate")
                    for f in agency_fields))
            .order_by("id"))


def supervision_ledger(*, cases) -> list[LedgerRow]:
    """One row per case, from its supervision events and its running deadlines: three queries in all, reading
    plain values rather than model instances, so that a region's whole ledger exports in seconds."""
    cases = list(cases)
    rows = {case.pk: LedgerRow(case=case) for case in cases}
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    events = (CaseEvent.objects.filter(case_id__in=rows, transition__in=LEDGER_STEPS).order_by("case_id", "seq")
              .values_list("case_id", "transition", "at", "agency__name", "payload"))
    for case_id, transition, at, agency_name, payload in events.iterator(chunk_size=5000):
        row = rows[case_id]
        on = at.astimezone(zone).date()
        if transition in SUPERVISION_OPENED_BY and row.requested_on is None:
            row.requested_on, row.requested_by = on, agency_name or ""
            row.reason = str((payload or {}).get("reason", ""))
        if transition == "request_explanation":
            row.explanation_requested_on = on
        elif transition == "submit_explanation":
            row.explanation_submitted_on = on
        elif transition in RESULTS:
            row.result, row.result_on = transition, on
        elif transition == "file_case" and row.result == "order_filing":
            row.filed_after_order_on = on
        elif transition == "advise_private_prosecution" and row.requested_on is not None:
            row.private_prosecution_advised_on = on
    running = (Deadline.objects.filter(case_id__in=rows, met_at__isnull=True,
                                       status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])
               .order_by("due_date", "id").values_list("case_id", "id", "kind", "due_date", "status", "owed_by__name"))
    for case_id, pk, kind, due_date, status, owed_by in running.iterator(chunk_size=5000):
        row = rows[case_id]
        row.open_deadlines.append({"id": pk, "kind": kind, "due_date": due_date, "status": status,
                                   "owed_by": owed_by})
        row.overdue = row.overdue or status == DeadlineStatus.OVERDUE or due_date < today
    return [rows[case.pk] for case in cases]
