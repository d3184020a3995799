"""What the pages show, worked out from what the selectors return: days left to a deadline, a case's row in an
inbox, its timeline, its evidence checklist, its sub-procedure records with the answers the reader may give, and
the requests for copies of evidence. No rule lives here: the procedure's rules are asked, never restated.
"""

from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.roles import Role
from procedure.basis import joined
from procedure.conditions import missing_transfer_categories
from procedure.deadlines import DeadlineKind
from procedure.diagram import diagram_svg
from procedure.disclosure import Disclosure
from procedure.guidance import CATEGORY_EXPLAINED, next_step
from procedure.positions import CREDITOR, waiting_for
from procedure.records import allowed_record_actions
from procedure.states import TRANSFER_CATEGORIES, CaseState, DeadlineStatus, EvidenceCategory, Origin
from procedure.transitions import TRANSITIONS, matching_actor
from workflow.cases import selectors
from workflow.models import Case, CaseEvent
from workflow.pages.forms import CopyAnswerForm, CopyRequestForm
from workflow.pages.labels import (
    ANSWER_LABELS,
    EVENT_LABELS,
    RECORD_LABELS,
)
from workflow.records import selectors as record_selectors

DUE_SOON_DAYS = 3  # a deadline this close is marked "due soon" in the inbox and on the case page


def due_info(due: date | None, today: date, *, status: str = DeadlineStatus.OPEN) -> dict | None:
    """Days left to a due date, in words, with the badge it earns."""
    if due is None:
        return None
    days = (due - today).days
    if status == DeadlineStatus.OVERDUE or days < 0:
        late = max(-days, 0)
        text = (_("overdue") if late == 0 else
                translation.ngettext("%(n)d day overdue", "%(n)d days overdue", late) % {"n": late})
        return {"days": days, "text": text, "badge": "overdue", "date": due.isoformat()}
    if days == 0:
        return {"days": 0, "text": _("due today"), "badge": "soon", "date": due.isoformat()}
    text = translation.ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return {"days": days, "text": text, "badge": "soon" if days <= DUE_SOON_DAYS else "", "date": due.isoformat()}


def position_name(case: Case, position: str | None, user=None) -> str:
    if position is None:
        return ""
    if position == CREDITOR:
        return _("you") if user is not None and user.role == Role.CREDITOR else _("the creditor")
    agency = getattr(case, position)
    return agency.name if agency else ""


def case_url_maker():
    """The case page's address for any case id, reversed once for a whole list (a reverse per row costs more than
    the rest of the row's presentation)."""
    marker = 987654321
    before, after = reverse("case-page", args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def case_row(case: Case, today: date, user, *, url) -> dict:
    """A case's row in a list; ``url`` makes the case page's address (``case_url_maker``, once per list)."""
    position = waiting_for(case=case)
    return {
        "case": case,
        "url": url(case.pk),
        "state": CaseState(case.state).label,
        "next_kind": DeadlineKind(case.next_kind).label if case.next_kind else "",
        "due": due_info(case.next_due, today),
        "waiting_for": position_name(case, position, user),
        "my_turn": position == CREDITOR if user.role == Role.CREDITOR else (
            position is not None and position != CREDITOR and getattr(case, f"{position}_id") == user.agency_id),
        "next_step": next_step(case),
        # The agency owes the act; this marks the cases in which the user's own role takes the next step.
        "for_me": any(case.state in rule.sources and matching_actor(case, user, name) is not None
                      for name, rule in TRANSITIONS.items()),
    }


def with_case_links(user, items):
    """Link a notification to its case only for a user who may open it (a discipline commission is told of a
    referral, not shown the case)."""
    visible = set(selectors.case_list(user=user).filter(pk__in={n.case_id for n in items if n.case_id})
                  .values_list("pk", flat=True))
    for n in items:
        n.case_link = n.case_id if n.case_id in visible else None
    return items


# The answers that apply to each kind of record (shown next to the record to whoever may give them).
ANSWERS_FOR = {
    "arrest_requests": ("decide_arrest_request",),
    "coercive_measures": ("end_coercive_measure", "extend_detention"),
    "property_controls": ("release_property", "hand_over_property"),
    "locate_requests": ("answer_locate_request",),
    "obstruction_referrals": ("acknowledge_obstruction_referral",),
    "supervision_complaints": ("answer_supervision_complaint",),
    "correction_notices": ("reply_correction_notice",),
}
# The records listed in the case page's records section (the copies of evidence have a section of their own).
LISTED_RECORDS = (*ANSWERS_FOR, "warnings", "performances")


def answers_offered(record, user, names) -> list[dict]:
    """The answers among `names` that this user may give to this record now."""
    return [{"name": name, "label": ANSWER_LABELS[name], "pk": record.pk}
            for name in names if record_selectors.may_answer(user=user, answer=name, record=record)]


def subprocedure_records(case: Case, user) -> dict:
    """The sub-procedure records of the case this user may see (workflow.records.selectors decides), each with
    the answers this user may give, and the records this user may add now."""
    visible = record_selectors.case_records(user=user, case=case)
    records = {key: list(visible[key]) for key in LISTED_RECORDS}
    for key, names in ANSWERS_FOR.items():
        for record in records[key]:
            record.page_answers = answers_offered(record, user, names)
    records["may_add"] = [{"name": name, "label": RECORD_LABELS[name]}
                          for name in allowed_record_actions(case=case, user=user) if name in RECORD_LABELS]
    records["any"] = any(records[key] for key in LISTED_RECORDS)
    return records


def copy_requests(case: Case, user, *, copy_form=None, answer_form=None, answer_for=None, evidence=()) -> dict:
    """Art. 15: the creditor's requests for copies of the court's evidence, the form to ask, the forms to answer."""
    requests = list(record_selectors.evidence_copy_request_list(user=user, case=case))
    may_ask = "evidence_copy_request" in allowed_record_actions(case=case, user=user)
    may_answer = user.role == Role.ENFORCEMENT_JUDGE and user.agency_id == case.executing_court_id
    # What the court can give: its materials the creditor does not have already.
    evidence = [m for m in evidence if m.added_by_id != case.applicant_user_id and not m.shared_with_creditor]
    rows = []
    for request in requests:
        form = None
        if may_answer and request.status == "pending":
            form = answer_form if answer_for == request.pk else CopyAnswerForm(materials=evidence)
        rows.append({"request": request, "answer_form": form})
    return {
        "rows": rows,
        "form": copy_form or (CopyRequestForm() if may_ask else None),
        "show": bool(rows) or may_ask,
    }


def evidence_checklist(case: Case, evidence, user, may_add: bool) -> dict | None:
    """The Art. 4 transfer checklist of a draft, or the Art. 13 private prosecution checklist while it is
    prepared and reviewed."""
    if case.origin == Origin.CREDITOR or case.state in (CaseState.PRIVATE_PROSECUTION_ADVISED,
                                                        CaseState.PRIVATE_FILING_REVIEW):
        if case.state not in (CaseState.DRAFT, CaseState.PRIVATE_PROSECUTION_ADVISED,
                              CaseState.PRIVATE_FILING_REVIEW):
            return None
        # Art. 13: record_selectors.private_checklist counts exactly what file_private_prosecution counts.
        checklist = record_selectors.private_checklist(user=user, case=case)
        rows = [{
            "category": item.category, "label": item.label, "required": item.required, "present": item.present,
            "materials": item.materials,
            "asked": item.requested and not item.supplied_since_request,
            "hint": CATEGORY_EXPLAINED.get(item.category, ""),
        } for item in checklist.items]
        title, article = _("Private prosecution materials"), _("Art. 13")
        # The accuser supplies these; the court's officers read the checklist to review it.
        may_add = may_add and user.role == Role.CREDITOR
    else:
        if case.state != CaseState.DRAFT:
            return None
        missing = set(missing_transfer_categories(case))
        by_category: dict[str, list] = {}
        for item in evidence:
            by_category.setdefault(item.category, []).append(item)
        rows = [{
            "category": c, "label": EvidenceCategory(c).label, "required": True, "present": c not in missing,
            "materials": by_category.get(c, []), "asked": False,
        } for c in TRANSFER_CATEGORIES]
        title, article = _("Evidence the transfer must carry"), _("Art. 4")
    return {"title": title, "article": article, "rows": rows, "may_add": may_add,
            "done": sum(1 for r in rows if r["required"] and r["present"]),
            "needed": sum(1 for r in rows if r["required"])}


_PAYLOAD_LABELS = {
    "reason": gettext_lazy("Reason"),
    "explanation": gettext_lazy("Explanation"),
    "note": gettext_lazy("Note"),
    "terms": gettext_lazy("Terms"),
    "sentence": gettext_lazy("Sentence"),
    "jurisdiction_reason": gettext_lazy("Reason for another region (Art. 2)"),
    "duplicate_of": gettext_lazy("Same enforcement case as the open case"),
    "duplicate_reason": gettext_lazy("Why filed although that case is open"),
    "title": gettext_lazy("Title"),
    # procedure.md §3 "Approvals": who proposed an approved step and who approved it.
    "proposed_by": gettext_lazy("Proposed by"),
    "approved_by": gettext_lazy("Approved by"),
}


def case_timeline(events, reader: Disclosure, visible_evidence: set[int]) -> list[dict]:
    """Newest first (what changed last is what a returning user looks for); materials added one after another
    by the same person are shown as one entry listing them."""
    rows: list[dict] = []
    for event in events:
        row = _event_row(event, reader, visible_evidence)
        if row is None:
            continue
        last = rows[-1] if rows else None
        if (event.transition == "add_evidence" and last and last["event"].transition == "add_evidence"
                and last["event"].actor_id == event.actor_id):
            last.setdefault("materials", [last["material"]]).append(row["material"])
            last["label"] = EVENT_LABELS["add_evidence_many"]
            continue
        rows.append(row)
    rows.reverse()
    return rows


def _event_row(event: CaseEvent, reader: Disclosure, visible_evidence: set[int]) -> dict | None:
    payload = reader.event_payload(event, visible_evidence)
    if payload is None:
        return None
    details = []
    for key, label in _PAYLOAD_LABELS.items():
        if payload.get(key):
            details.append((label, payload[key]))
    if payload.get("category"):
        details.insert(0, (gettext_lazy("Category"), _category_label(payload["category"])))
    if payload.get("missing"):
        details.append((gettext_lazy("Missing"), joined((_category_label(c) for c in payload["missing"]),
                                                        translation.get_language() or "")))
    if payload.get("outcome"):
        details.append((gettext_lazy("Outcome"), payload["outcome"]))
    if payload.get("transition") in TRANSITIONS:  # a proposal, or its refusal
        details.insert(0, (gettext_lazy("Step"), TRANSITIONS[payload["transition"]].label))
    if event.transition in ("add_evidence", "remove_evidence"):
        material = {"category": _category_label(payload.get("category", "")), "title": payload.get("title", ""),
                    "sha256": payload.get("sha256", "")}
        reason = [(_PAYLOAD_LABELS["reason"], payload["reason"])] if payload.get("reason") else []
        return {"event": event, "label": EVENT_LABELS[event.transition], "moved": False, "material": material,
                "details": reason}
    return {
        "event": event,
        "label": EVENT_LABELS.get(event.transition, event.transition.replace("_", " ")),
        "moved": bool(event.to_state) and event.to_state != event.from_state,
        "to_state": CaseState(event.to_state).label if event.to_state in CaseState.values else event.to_state,
        "details": details,
    }


def _category_label(value: str) -> str:
    return str(EvidenceCategory(value).label) if value in EvidenceCategory.values else value


def procedure_drawing(*, current: str | None = None, timeline: list[dict] | None = None,
                      counts: dict[str, int] | None = None) -> dict:
    """The procedure's diagram for a page: the SVG (the case's state and the path it took marked, from the
    transitions its reader may see in the timeline, or the statistics' counts) and the states passed, in words."""
    moves = [row["event"] for row in reversed(timeline or []) if row.get("moved")]
    path = [moves[0].from_state, *(event.to_state for event in moves)] if moves else ([current] if current else [])
    path = [state for state in path if state]
    return {
        "svg": mark_safe(diagram_svg(current=current, path=path, counts=counts)),  # noqa: S308 (escaped by diagram)
        "passed": [CaseState(state).label if state in CaseState.values else state for state in path],
    }
