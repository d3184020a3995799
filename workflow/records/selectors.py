"""Reads of the sub-procedure records and the Art. 13 checklist, filtered by visibility; who may answer a record.

A record is seen by whoever sees its case (procedure.md §1), with three exceptions: the arrest review and the
Art. 18 referral are internal to the organs (a creditor never sees them), a referral is seen only by the
referring court and the receiving agency (the clue concerns an official and is confidential), and a request
addressed to an agency outside the case (a locate request to another police agency, a referral to a discipline
commission) is seen by that agency too.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from agencies.roles import Role
from procedure import records as rules
from procedure.disclosure import disclosure
from procedure.errors import TransitionConflict
from procedure.states import PRIVATE_CATEGORIES, PRIVATE_REQUIRED_CATEGORIES
from procedure.states import EvidenceCategory as C
from workflow.cases.selectors import visibility_q
from workflow.models import Case, CaseEvent, Evidence
from workflow.models import records as r

NOTHING = Q(pk__in=[])


def _case_visible(user) -> Q:
    return visibility_q(user, prefix="case__")


def agency_officer(user) -> bool:
    """An officer of an agency (not a creditor, not an account without an agency)."""
    return user.is_authenticated and user.role != Role.CREDITOR and bool(user.agency_id)


def _on_case(qs: QuerySet, case) -> QuerySet:
    return qs.filter(case=case) if case is not None else qs


def arrest_request_list(*, user, case=None) -> QuerySet[r.ArrestRequest]:
    """Arrest reviews stay between police and procuratorate (and the courts of the case); never the creditor."""
    q = _case_visible(user) if agency_officer(user) else NOTHING
    return _on_case(r.ArrestRequest.objects.filter(q), case).select_related(
        "case", "requested_by", "requesting_agency", "decided_by", "deadline")


def coercive_measure_list(*, user, case=None) -> QuerySet[r.CoerciveMeasure]:
    return _on_case(r.CoerciveMeasure.objects.filter(_case_visible(user)), case).select_related(
        "case", "recorded_by", "agency", "ended_by")


def property_control_list(*, user, case=None) -> QuerySet[r.PropertyControl]:
    return _on_case(r.PropertyControl.objects.filter(_case_visible(user)), case).select_related(
        "case", "controlling_agency", "recorded_by", "disposed_by", "handed_to")


def warning_list(*, user, case=None) -> QuerySet[r.Warning]:
    return _on_case(r.Warning.objects.filter(_case_visible(user)), case).select_related("case", "given_by",
                                                                                     "recorded_by")


def performance_list(*, user, case=None) -> QuerySet[r.Performance]:
    return _on_case(r.Performance.objects.filter(_case_visible(user)), case).select_related("case", "recorded_by",
                                                                                         "agency")


def evidence_copy_request_list(*, user, case=None) -> QuerySet[r.EvidenceCopyRequest]:
    return _on_case(r.EvidenceCopyRequest.objects.filter(_case_visible(user)), case).select_related(
        "case", "requested_by", "answered_by").prefetch_related("shared_evidence")


def locate_request_list(*, user, case=None) -> QuerySet[r.LocateRequest]:
    """The case's agencies and creditor, and the police agency asked (which may hold no position in the case)."""
    q = _case_visible(user)
    if agency_officer(user):
        q |= Q(police_agency_id=user.agency_id)
    return _on_case(r.LocateRequest.objects.filter(q), case).select_related(
        "case", "requesting_court", "police_agency", "requested_by", "answered_by", "letter")


def obstruction_referral_list(*, user, case=None) -> QuerySet[r.ObstructionReferral]:
    """Only the referring executing court and the receiving agency: the clue concerns an official."""
    if not agency_officer(user):
        return r.ObstructionReferral.objects.none()
    q = Q(case__executing_court_id=user.agency_id) | Q(receiver_id=user.agency_id)
    return _on_case(r.ObstructionReferral.objects.filter(q), case).select_related(
        "case", "referring_court", "receiver", "referred_by", "acknowledged_by", "letter")


def supervision_complaint_list(*, user, case=None) -> QuerySet[r.SupervisionComplaint]:
    """The creditor's complaints, seen by whoever sees the case (the creditor, their own)."""
    return _on_case(r.SupervisionComplaint.objects.filter(_case_visible(user)), case).select_related(
        "case", "filed_by", "answered_by")


def correction_notice_list(*, user, case=None) -> QuerySet[r.CorrectionNotice]:
    """Between the procuratorate and the police (and the courts of the case); never the creditor."""
    q = _case_visible(user) if agency_officer(user) else NOTHING
    return _on_case(r.CorrectionNotice.objects.filter(q), case).select_related(
        "case", "deadline", "issued_by", "procuratorate", "police_agency", "letter", "replied_by")


# Each kind of record by its name, as the user may see it.
RECORD_LISTS = {
    "arrest_request": arrest_request_list,
    "coercive_measure": coercive_measure_list,
    "property_control": property_control_list,
    "warning": warning_list,
    "performance": performance_list,
    "evidence_copy_request": evidence_copy_request_list,
    "locate_request": locate_request_list,
    "obstruction_referral": obstruction_referral_list,
    "supervision_complaint": supervision_complaint_list,
    "correction_notice": correction_notice_list,
}


def case_records(*, user, case) -> dict[str, QuerySet]:
    """Every kind of record of the case that the user may see, keyed by the plural of its name."""
    return {f"{name}s": record_list(user=user, case=case) for name, record_list in RECORD_LISTS.items()}


# ---------------------------------------------------------------------------------------------------------------
# Answers to a record: the records each applies to, and the rule of procedure.records on who gives it (403) and
# whether it is still open (409)

ANSWERS = {
    "decide_arrest_request": (arrest_request_list, rules.check_may_decide_arrest),
    "end_coercive_measure": (coercive_measure_list, rules.check_may_end_measure),
    "extend_detention": (coercive_measure_list, rules.check_may_extend_detention),
    "release_property": (property_control_list, rules.check_may_dispose_property),
    "hand_over_property": (property_control_list, rules.check_may_dispose_property),
    "answer_evidence_copy_request": (evidence_copy_request_list, rules.check_may_answer_copy_request),
    "answer_locate_request": (locate_request_list, rules.check_may_answer_locate),
    "acknowledge_obstruction_referral": (obstruction_referral_list, rules.check_may_acknowledge_referral),
    "answer_supervision_complaint": (supervision_complaint_list, rules.check_may_answer_complaint),
    "reply_correction_notice": (correction_notice_list, rules.check_may_reply_correction),
}


def answered_record_get(*, user, answer: str, record_id):
    """The record the answer would be given to, among those the user may see; 404 otherwise."""
    record_list, _rule = ANSWERS[answer]
    record = record_list(user=user).filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


def check_may_answer(*, user, answer: str, record) -> None:
    """Raise 403 if the user's role or agency may not give this answer to this record, 409 if it was given."""
    _record_list, rule = ANSWERS[answer]
    rule(record, user)


def may_answer(*, user, answer: str, record) -> bool:
    try:
        check_may_answer(user=user, answer=answer, record=record)
    except (PermissionDenied, TransitionConflict):
        return False
    return True


def evidence_for_download(*, user, evidence_id) -> Evidence:
    """A material's file, for those who see the case; a creditor gets only their own materials and those the
    executing court shared with them (Art. 15). Anything else is 404, as if it did not exist."""
    try:
        evidence_id = int(evidence_id)
    except (TypeError, ValueError):
        raise Http404 from None
    evidence = Evidence.objects.filter(visibility_q(user, prefix="case__"), disclosure(user).materials_q(),
                                       pk=evidence_id).first()
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
    reader = disclosure(user)
    items = []
    for category in PRIVATE_CATEGORIES:
        of_kind = [m for m in materials if m.category == category]
        shown = [m for m in of_kind if reader.material(m)]
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
