"""The browser pages (api.md "Browser pages"): inbox, transfer form, case page, creditor portal.

Thin: they read through workflow.selectors, write through workflow.services and workflow.transitions.fire,
the same calls as the API, so a page never allows what the API refuses. A refusal is shown in words.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.roles import AgencyKind, Role
from procedure.conditions import missing_transfer_categories
from procedure.errors import TransitionConflict
from procedure.letters import DocumentKind
from procedure.positions import waiting_for
from procedure.records import (
    ARREST_DECIDERS,
    LOCATE_ANSWERERS,
    REFERRAL_RECEIVERS,
    allowed_record_actions,
    check_record_action,
)
from procedure.states import (
    TERMINAL_STATES,
    TRANSFER_CATEGORIES,
    CaseState,
    DeadlineKind,
    DeadlineStatus,
    EvidenceCategory,
    Origin,
)
from procedure.transitions import CREDITOR, RULES, matching_actor
from workflow.cases import selectors, services
from workflow.cases.documents import document_list, document_list_for_case
from workflow.cases.transitions import allowed_transitions, fire, unmet
from workflow.models import Case, CaseEvent, Deadline
from workflow.notifications import services as notifications
from workflow.notifications.selectors import notification_list, notification_unread_count
from workflow.pages.forms import (
    ANSWER_LABELS,
    EVENT_LABELS,
    NOTE_FOR_CREDITOR,
    RECORD_LABELS,
    REFUSING_TRANSITIONS,
    TRANSITION_LABELS,
    UPLOAD_ACCEPT,
    CaseCreateForm,
    CopyAnswerForm,
    CopyRequestForm,
    EvidenceForm,
    InboxFilterForm,
    record_form_class,
    transition_form_class,
)
from workflow.records import selectors as record_selectors
from workflow.records import services as record_services

DUE_SOON_DAYS = 3  # a deadline this close is marked "due soon" in the inbox and on the case page
PAGE_SIZE = 50

# What happens next, in plain words, for each state (procedure.md §3, §4); the deadline says by when.
NEXT_STEP = {
    CaseState.DRAFT: gettext_lazy(
        "The transfer is being prepared: the five kinds of evidence of Art. 4 must be attached before it is "
        "submitted to the police."),
    CaseState.TRANSFERRED: gettext_lazy(
        "The police must accept the materials (Art. 5) and answer in writing within 30 days of receiving them "
        "(Art. 12)."),
    CaseState.FILING_REVIEW: gettext_lazy(
        "The police are deciding whether to file the case: within 7 days, or 30 days if extended for a major "
        "or complex case (Art. 5)."),
    CaseState.INVESTIGATING: gettext_lazy(
        "The police are investigating; when they have finished they send the case to the procuratorate for "
        "prosecution."),
    CaseState.NOT_FILED: gettext_lazy(
        "The police declined to file. The transferring organ may ask the procuratorate to supervise (Art. 7) "
        "or tell the creditor of the right to a private prosecution (Art. 12)."),
    CaseState.WITHDRAWN: gettext_lazy(
        "The police withdrew the case. The transferring organ may ask the procuratorate to supervise (Art. 7) "
        "or tell the creditor of the right to a private prosecution (Art. 12)."),
    CaseState.SUPERVISION_REQUESTED: gettext_lazy(
        "The procuratorate decides whether to require the police to explain why they did not file (Art. 8)."),
    CaseState.EXPLANATION_REQUESTED: gettext_lazy(
        "The police must explain in writing why they did not file, within 7 days (Art. 8)."),
    CaseState.EXPLANATION_REVIEW: gettext_lazy(
        "The procuratorate weighs the police's explanation; if the reasons do not hold, the procurator-general "
        "orders the police to file (Art. 8)."),
    CaseState.SUPERVISION_CLOSED: gettext_lazy(
        "Supervision is closed. The creditor may be told of the right to a private prosecution (Art. 12)."),
    CaseState.FILING_ORDERED: gettext_lazy("The police must file the case within 15 days of the order (Art. 8)."),
    CaseState.PROSECUTION_REVIEW: gettext_lazy(
        "The procuratorate decides whether to prosecute: within one month, extendable once by 15 days."),
    CaseState.SUPPLEMENTARY_INVESTIGATION: gettext_lazy(
        "The police investigate further and send the case back within one month."),
    CaseState.NOT_PROSECUTED: gettext_lazy(
        "The procuratorate decided not to prosecute. The creditor may be told of the right to a private "
        "prosecution (Art. 12)."),
    CaseState.TRIAL: gettext_lazy("The court tries the case and renders judgment."),
    CaseState.JUDGED: gettext_lazy("Judgment has been rendered; the case is closed."),
    CaseState.CANCELLED: gettext_lazy("The draft was cancelled before transfer; the case is closed."),
    CaseState.PRIVATE_PROSECUTION_ADVISED: gettext_lazy(
        "The creditor may bring a private prosecution before the court with the five required materials of "
        "Art. 13."),
    CaseState.PRIVATE_FILING_REVIEW: gettext_lazy(
        "The court's filing division reviews the private prosecution within 15 days; it may ask for missing "
        "materials."),
    CaseState.PRIVATE_TRIAL: gettext_lazy(
        "The court tries the private prosecution. Until judgment the parties may reconcile or the creditor may "
        "withdraw (Art. 17)."),
    CaseState.PRIVATE_REJECTED: gettext_lazy("The court did not accept the private prosecution; the case is closed."),
    CaseState.RECONCILED: gettext_lazy("The parties reconciled; the case is closed."),
    CaseState.PRIVATE_WITHDRAWN: gettext_lazy("The private prosecution was withdrawn; the case is closed."),
}
CREDITOR_DRAFT_STEP = gettext_lazy(
    "You are preparing a private prosecution: attach the five required materials of Art. 13, then file it with "
    "the court.")


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def due_info(due: date | None, today: date, *, status: str = DeadlineStatus.OPEN) -> dict | None:
    """Days left to a due date, in words, with the badge it earns."""
    if due is None:
        return None
    days = (due - today).days
    if status == DeadlineStatus.OVERDUE or days < 0:
        late = max(-days, 0)
        text = (_("overdue") if late == 0 else
                translation.ngettext("%(n)d day overdue", "%(n)d days overdue", late) % {"n": late})
        return {"days": days, "text": text, "badge": "overdue"}
    if days == 0:
        return {"days": 0, "text": _("due today"), "badge": "soon"}
    text = translation.ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return {"days": days, "text": text, "badge": "soon" if days <= DUE_SOON_DAYS else ""}


def _position_name(case: Case, position: str | None, user=None) -> str:
    if position is None:
        return ""
    if position == CREDITOR:
        return _("you") if user is not None and user.role == Role.CREDITOR else _("the creditor")
    agency = getattr(case, position)
    return agency.name if agency else ""


def _next_step(case: Case) -> str:
    if case.state == CaseState.DRAFT and case.origin == Origin.CREDITOR:
        return str(CREDITOR_DRAFT_STEP)
    return str(NEXT_STEP[case.state])


def _case_row(case: Case, today: date, user) -> dict:
    position = waiting_for(case=case)
    return {
        "case": case,
        "state": CaseState(case.state).label,
        "next_kind": DeadlineKind(case.next_kind).label if case.next_kind else "",
        "due": due_info(case.next_due, today),
        "waiting_for": _position_name(case, position, user),
        "my_turn": position == CREDITOR if user.role == Role.CREDITOR else (
            position is not None and position != CREDITOR and getattr(case, f"{position}_id") == user.agency_id),
        "next_step": _next_step(case),
        # The agency owes the act; this marks the cases in which the user's own role takes the next step.
        "for_me": any(case.state in rule.sources and matching_actor(case, user, name) is not None
                      for name, rule in RULES.items()),
    }


# ---------------------------------------------------------------------------------------------------------
# Home: the inbox of an agency user, the portal of a creditor


@login_required
@require_GET
def home(request):
    """`/`: the inbox for agency roles, "my cases" for a creditor (api.md)."""
    if request.user.role == Role.CREDITOR:
        return _creditor_home(request)
    return _inbox(request)


def _inbox(request):
    user = request.user
    today = timezone.localdate()
    filters = InboxFilterForm(request.GET)
    params = filters.cleaned_data if filters.is_valid() else {"q": "", "state": "", "view": "waiting"}
    q, state, view = params["q"], params["state"] or None, params["view"] or "waiting"

    waiting = selectors.inbox_list(user=user, q=q, state=state)
    listing = selectors.inbox_list(user=user, q=q, state=state, waiting_only=False) if view == "all" else waiting
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_case_row(case, today, user) for case in page.object_list]

    counts = dict(selectors.case_list(user=user).order_by().values_list("state").annotate(n=Count("pk")))
    state_counts = [(s.value, s.label, counts[s.value]) for s in CaseState if counts.get(s.value)]
    summary = waiting.order_by().aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(next_due__lt=today)),
        soon=Count("pk", filter=Q(next_due__gte=today, next_due__lte=today + timedelta(days=DUE_SOON_DAYS))),
    )
    return render(request, "home.html", {
        "user_obj": user,
        "filters": filters,
        "q": q, "state": state or "", "view": view,
        "rows": rows, "page": page,
        "state_counts": state_counts,
        "summary": summary,
        "due_soon_days": DUE_SOON_DAYS,
        "may_create": user.role in services.CREATOR_ORIGIN,
        "notifications": _unread_notifications(user),
        "pending_requests": _pending_requests(user),
        # A discipline commission holds no position in cases: it only receives referrals (Art. 18).
        "requests_only": bool(user.agency_id) and user.agency.kind == AgencyKind.DISCIPLINE,
    })


def _creditor_home(request):
    user = request.user
    today = timezone.localdate()
    cases = selectors.with_next_deadline(selectors.case_list(user=user)).prefetch_related(
        Prefetch("documents", queryset=document_list(user=user).order_by("issued_at", "id"), to_attr="my_documents"),
    ).order_by("-id")
    rows = [_case_row(case, today, user) for case in cases]
    return render(request, "workflow/creditor_home.html", {
        "user_obj": user,
        "rows": rows,
        "notifications": _unread_notifications(user),
    })


def _unread_notifications(user):
    """The user's five newest unread notifications."""
    return _with_case_links(user, list(notification_list(user=user, unread=True)[:5]))


def _with_case_links(user, items):
    """Link a notification to its case only for a user who may open it (a discipline commission is told of a
    referral, not shown the case)."""
    visible = set(selectors.case_list(user=user).filter(pk__in={n.case_id for n in items if n.case_id})
                  .values_list("pk", flat=True))
    for n in items:
        n.case_link = n.case_id if n.case_id in visible else None
    return items


# ---------------------------------------------------------------------------------------------------------
# The transfer form


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """`/cases/new/`: a new case in draft, then the evidence checklist on its page (Art. 3, 4; Art. 11)."""
    user = request.user
    if user.role not in services.CREATOR_ORIGIN:
        return _refused(request, _("Only an enforcement judge, a procurator or a creditor may start a case."), 403)
    status = 200
    if request.method == "POST":
        form = CaseCreateForm(request.POST, user=user)
        if form.is_valid():
            case, refusal = _attempt(request, form, lambda: services.case_create(actor=user, **form.service_kwargs()))
            if refusal:
                return refusal
            if case is not _FAILED:
                messages.success(request, _("Case %(number)s was created as a draft. Now attach the evidence.")
                                 % {"number": case.number})
                return redirect(reverse("case-page", args=[case.pk]) + "#checklist")
        status = 400
    else:
        form = CaseCreateForm(user=user)
    return render(request, "workflow/case_new.html", {"form": form}, status=status)


def _error_dict(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {key: [m for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}
    return {"__all__": exc.messages}


_FAILED = object()


def _attempt(request, form, call, *, case=None, name: str = ""):
    """Run the service behind a submitted form: (its result, None) when it succeeded; (_FAILED, None) when it
    refused the input, whose errors now stand next to the form's fields; (_FAILED, page) for a refusal (403, 409)."""
    try:
        return call(), None
    except ValidationError as exc:
        if form is None:
            raise
        form.add_service_errors(_error_dict(exc))
        return _FAILED, None
    except PermissionDenied as exc:
        return _FAILED, _refused(request, str(exc), 403, case=case, name=name)
    except TransitionConflict as exc:
        return _FAILED, _refused(request, str(exc.detail), 409, case=case, name=name)


def _check(request, check, *, case=None):
    """The refusal page (403, 409) when `check()` refuses the user, else None."""
    _result, refusal = _attempt(request, None, check, case=case)
    return refusal


# ---------------------------------------------------------------------------------------------------------
# The case page


@login_required
@require_GET
def case_page(request, pk):
    """`/cases/{id}/`: everything about one case the user may see, and the steps the user may take."""
    case = selectors.case_get(user=request.user, case_id=pk)
    return render(request, "workflow/case.html", _case_context(request, case))


def _load(case: Case) -> Case:
    return (
        Case.objects.select_related("executing_court", "police_agency", "procuratorate", "trial_court",
                                    "applicant_user", "created_by")
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.select_related("owed_by").order_by("due_date", "id")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor", "agency").order_by("seq")),
        )
        .get(pk=case.pk)
    )


def _case_context(request, case: Case, *, upload_form=None, upload_slot: str = "", copy_form=None,
                  answer_form=None, answer_for=None) -> dict:
    user = request.user
    case = _load(case)
    today = timezone.localdate()
    is_creditor = user.role == Role.CREDITOR
    evidence = list(selectors.evidence_list(case=case, user=user))

    deadlines = []
    for d in case.deadlines.all():
        open_ = d.is_open
        deadlines.append({
            "deadline": d,
            "due": due_info(d.due_date, today, status=d.status) if open_ else None,
            "explanation": (d.explanation_en or d.explanation) if _english() else d.explanation,
            "open": open_,
        })
    deadlines.sort(key=lambda row: not row["open"])  # running ones first, each group by due date (stable)
    next_deadline = next((row for row in deadlines if row["open"]), None)

    allowed = allowed_transitions(case=case, user=user)
    actions, blocked = [], []
    for name, rule in RULES.items():
        if case.state not in rule.sources or matching_actor(case, user, name) is None:
            continue
        entry = {"name": name, "label": TRANSITION_LABELS[name], "refusing": name in REFUSING_TRANSITIONS}
        if name in allowed:
            actions.append(entry)
        else:
            blocked.append({**entry, "reasons": unmet(case, name)})

    may_add = services.may_add_evidence(case=case, user=user)
    checklist = _checklist(case, evidence, user, may_add)
    visible_evidence = {e.pk for e in evidence}
    timeline = _timeline(case.events.all(), is_creditor, visible_evidence)

    return {
        "case": case,
        "state_label": CaseState(case.state).label,
        "closed": case.state in TERMINAL_STATES,
        "next_step": _next_step(case),
        "waiting_for": _position_name(case, waiting_for(case=case), user),
        "next_deadline": next_deadline,
        "deadlines": deadlines,
        "documents": _documents(case, user),
        "evidence": evidence,
        "checklist": checklist,
        "may_add_evidence": may_add,
        "upload_accept": UPLOAD_ACCEPT,
        "upload_form": upload_form if upload_slot == "general" else EvidenceForm(user=user, case=case),
        "slot_form": upload_form if upload_slot and upload_slot != "general" else None,
        "upload_slot": upload_slot,
        "actions": actions,
        "blocked": blocked,
        "timeline": timeline,
        "is_creditor": is_creditor,
        "records": _subprocedure_records(case, user),
        "copies": _copy_requests(case, user, copy_form=copy_form, answer_form=answer_form, answer_for=answer_for,
                                 evidence=evidence),
    }


def _documents(case: Case, user):
    return list(document_list_for_case(case=case, user=user))


def _subprocedure_records(case: Case, user) -> dict:
    """The sub-procedure records of the case this user may see (workflow.record_selectors decides), each with
    the answers this user may give, and the records this user may add now."""
    records = {
        "arrest_requests": list(record_selectors.arrest_request_list(user=user, case=case)),
        "coercive_measures": list(record_selectors.coercive_measure_list(user=user, case=case)),
        "property_controls": list(record_selectors.property_control_list(user=user, case=case)),
        "warnings": list(record_selectors.warning_list(user=user, case=case)),
        "performances": list(record_selectors.performance_list(user=user, case=case)),
        "locate_requests": list(record_selectors.locate_request_list(user=user, case=case)),
        "obstruction_referrals": list(record_selectors.obstruction_referral_list(user=user, case=case)),
    }
    for key, names in ANSWERS_FOR.items():
        for record in records[key]:
            record.page_answers = _answers(record, user, names)
    creates, _answers_ = _record_apis()
    records["may_add"] = [{"name": name, "label": RECORD_LABELS[name]}
                          for name in allowed_record_actions(case=case, user=user) if name in creates]
    records["any"] = any(records[key] for key in (*ANSWERS_FOR, "warnings", "performances"))
    return records


def _copy_requests(case: Case, user, *, copy_form=None, answer_form=None, answer_for=None,
                   evidence=()) -> dict:
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


def _checklist(case: Case, evidence, user, may_add: bool) -> dict | None:
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


# Payload keys a creditor never sees in the timeline (api.md: no internal notes for creditors).
_CREDITOR_HIDDEN_KEYS = {"note", "internal_note"}
_PAYLOAD_LABELS = {
    "reason": gettext_lazy("Reason"),
    "explanation": gettext_lazy("Explanation"),
    "note": gettext_lazy("Note"),
    "terms": gettext_lazy("Terms"),
    "sentence": gettext_lazy("Sentence"),
    "jurisdiction_reason": gettext_lazy("Reason for another region (Art. 2)"),
    "title": gettext_lazy("Title"),
}


def _timeline(events, is_creditor: bool, visible_evidence: set[int]) -> list[dict]:
    """Newest first (what changed last is what a returning user looks for); materials added one after another
    by the same person are shown as one entry listing them."""
    rows: list[dict] = []
    for event in events:
        row = _event_row(event, is_creditor, visible_evidence)
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


def _event_row(event: CaseEvent, is_creditor: bool, visible_evidence: set[int]) -> dict | None:
    payload = dict(event.payload or {})
    hidden = _CREDITOR_HIDDEN_KEYS if is_creditor and event.transition not in NOTE_FOR_CREDITOR else set()
    if event.transition == "add_evidence" and is_creditor and payload.get("evidence") not in visible_evidence:
        return None
    details = []
    for key, label in _PAYLOAD_LABELS.items():
        if payload.get(key) and key not in hidden:
            details.append((label, payload[key]))
    if payload.get("category"):
        details.insert(0, (gettext_lazy("Category"), _category_label(payload["category"])))
    if payload.get("missing"):
        details.append((gettext_lazy("Missing"), ", ".join(_category_label(c) for c in payload["missing"])))
    if payload.get("outcome"):
        details.append((gettext_lazy("Outcome"), payload["outcome"]))
    if event.transition == "add_evidence":
        material = {"category": _category_label(payload.get("category", "")), "title": payload.get("title", ""),
                    "sha256": payload.get("sha256", "")}
        return {"event": event, "label": EVENT_LABELS["add_evidence"], "moved": False, "material": material,
                "details": []}
    return {
        "event": event,
        "label": EVENT_LABELS.get(event.transition, event.transition.replace("_", " ")),
        "moved": bool(event.to_state) and event.to_state != event.from_state,
        "to_state": CaseState(event.to_state).label if event.to_state in CaseState.values else event.to_state,
        "details": details,
    }


def _category_label(value: str) -> str:
    return str(EvidenceCategory(value).label) if value in EvidenceCategory.values else value


# ---------------------------------------------------------------------------------------------------------
# Transitions


@login_required
@require_http_methods(["GET", "POST"])
def transition_page(request, pk, name):
    """`/cases/{id}/transitions/{name}/`: the form of one step, then fire() exactly as the API does."""
    if name not in RULES:
        raise Http404
    case = selectors.case_get(user=request.user, case_id=pk)
    form_class = transition_form_class(name)
    if request.method == "GET":
        refusal = _refusal(case, request.user, name)
        if refusal:
            return _refused(request, refusal[0], refusal[1], case=case, name=name)
        return _transition_response(request, case, name, form_class(case=case))

    form = form_class(request.POST, case=case)
    if form.is_valid():
        fired, refusal = _attempt(
            request, form, lambda: fire(case_id=case.pk, name=name, actor=request.user, data=form.data_for_service()),
            case=case, name=name)
        if refusal:
            return refusal
        if fired is not _FAILED:
            case = fired
            _mark_case_notices_read(request.user, case.pk)
            messages.success(request, _("Done: %(step)s. The case is now: %(state)s.") % {
                "step": TRANSITION_LABELS[name], "state": CaseState(case.state).label})
            return _done(request, reverse("case-page", args=[case.pk]))
    return _transition_response(request, case, name, form, status=400)


def _mark_case_notices_read(user, case_id: int) -> None:
    """Acting on a case answers what the user was told about it: its unread notices are marked read."""
    for notice in notification_list(user=user, unread=True).filter(case_id=case_id):
        notifications.notification_mark_read(user=user, notification_id=notice.pk)


def _refusal(case: Case, user, name: str) -> tuple[str, int] | None:
    """Why this user may not take this step now (403 role or agency, 409 state or legal condition)."""
    rule = RULES[name]
    if matching_actor(case, user, name) is None:
        roles = ", ".join(str(Role(a.role).label) for a in rule.actors)
        return _("Only %(roles)s of this case's agencies may do this.") % {"roles": roles}, 403
    if case.state not in rule.sources:
        return _("Not possible while the case is: %(state)s.") % {"state": CaseState(case.state).label}, 409
    reasons = unmet(case, name)
    if reasons:
        return " ".join(reasons), 409
    return None


def _transition_response(request, case, name, form, status=200):
    rule = RULES[name]
    context = {
        "case": case,
        "name": name,
        "label": TRANSITION_LABELS[name],
        "form": form,
        "article": rule.article,
        "target": CaseState(rule.target).label,
        "issues": [DocumentKind(k).label for k in rule.letters],
        "opens": [DeadlineKind(k).label for k in rule.opens],
        "closes": [DeadlineKind(k).label for k in rule.closes],
        "refusing": name in REFUSING_TRANSITIONS,
    }
    template = "workflow/_transition_form.html" if _is_htmx(request) else "workflow/transition.html"
    return render(request, template, context, status=status)


def _refused(request, message: str, status: int, *, case=None, name: str = ""):
    context = {"message": message, "case": case, "label": TRANSITION_LABELS.get(name, "")}
    template = "workflow/_refused.html" if _is_htmx(request) else "workflow/refused.html"
    return render(request, template, context, status=status)


# ---------------------------------------------------------------------------------------------------------
# Evidence


@login_required
@require_POST
def evidence_upload(request, pk):
    """Add one material through services.evidence_add (Art. 4, 13); errors land next to the field."""
    case = selectors.case_get(user=request.user, case_id=pk)
    slot = request.POST.get("slot", "general")
    form = EvidenceForm(request.POST, request.FILES, user=request.user, case=case)
    if form.is_valid():
        evidence, refusal = _attempt(
            request, form, lambda: services.evidence_add(case_id=case.pk, actor=request.user, **form.cleaned_data),
            case=case)
        if refusal:
            return refusal
        if evidence is not _FAILED:
            messages.success(request, _("Added “%(title)s” (%(category)s).") % {
                "title": evidence.title, "category": EvidenceCategory(evidence.category).label})
            anchor = "#checklist" if slot != "general" else "#evidence"
            return redirect(reverse("case-page", args=[case.pk]) + anchor)
    context = _case_context(request, case, upload_form=form, upload_slot=slot if slot else "general")
    return render(request, "workflow/case.html", context, status=400)


@login_required
@require_GET
def evidence_file(request, pk, evidence_id):
    """Download one material, only for a user who may see it (a creditor: its own or shared copies)."""
    case = selectors.case_get(user=request.user, case_id=pk)
    evidence = selectors.evidence_list(case=case, user=request.user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=evidence.original_name or evidence.title,
                        content_type=evidence.content_type or "application/octet-stream")


# ---------------------------------------------------------------------------------------------------------
# Evidence copies (Art. 15)


@login_required
@require_POST
def copy_request_create(request, pk):
    """The private prosecutor asks the executing court for copies (record_services.evidence_copy_request_create)."""
    case = selectors.case_get(user=request.user, case_id=pk)
    form = CopyRequestForm(request.POST)
    if form.is_valid():
        done, refusal = _attempt(request, form, lambda: record_services.evidence_copy_request_create(
            case_id=case.pk, actor=request.user, **form.cleaned_data), case=case)
        if refusal:
            return refusal
        if done is not _FAILED:
            messages.success(request, _("Your request for copies was sent to the executing court."))
            return redirect(reverse("case-page", args=[case.pk]) + "#copies")
    return render(request, "workflow/case.html", _case_context(request, case, copy_form=form), status=400)


@login_required
@require_POST
def copy_request_answer(request, pk, request_id):
    """The executing court shares materials with the creditor (record_services.evidence_copy_request_answer)."""
    case = selectors.case_get(user=request.user, case_id=pk)
    materials = list(selectors.evidence_list(case=case, user=request.user))
    form = CopyAnswerForm(request.POST, materials=materials)
    if form.is_valid():
        done, refusal = _attempt(request, form, lambda: record_services.evidence_copy_request_answer(
            request_id=request_id, actor=request.user, evidence=[int(i) for i in form.cleaned_data["evidence"]],
            note=form.cleaned_data["note"]), case=case)
        if refusal:
            return refusal
        if done is not _FAILED:
            messages.success(request, _("The copies were shared with the creditor."))
            return redirect(reverse("case-page", args=[case.pk]) + "#copies")
    context = _case_context(request, case, answer_form=form, answer_for=int(request_id))
    return render(request, "workflow/case.html", context, status=400)


# ---------------------------------------------------------------------------------------------------------
# Sub-procedure records: the record API's input serializers and services, in a form


def _record_apis():
    from workflow.api import records as record_api  # noqa: PLC0415 - DRF views, loaded when a record page is used

    creates = {cls.record: cls for cls in (
        record_api.CaseArrestRequestsApi, record_api.CaseCoerciveMeasuresApi, record_api.CasePropertyControlsApi,
        record_api.CaseWarningsApi, record_api.CasePerformancesApi, record_api.CaseLocateRequestsApi,
        record_api.CaseObstructionReferralsApi)}
    answers = {
        "decide_arrest_request": record_api.ArrestDecisionApi,
        "end_coercive_measure": record_api.CoerciveMeasureEndApi,
        "release_property": record_api.PropertyReleaseApi,
        "hand_over_property": record_api.PropertyHandOverApi,
        "answer_locate_request": record_api.LocateAnswerApi,
        "acknowledge_obstruction_referral": record_api.ReferralAcknowledgeApi,
    }
    return creates, answers


# The answers that apply to each kind of record (shown next to the record to whoever may give them).
ANSWERS_FOR = {
    "arrest_requests": ("decide_arrest_request",),
    "coercive_measures": ("end_coercive_measure",),
    "property_controls": ("release_property", "hand_over_property"),
    "locate_requests": ("answer_locate_request",),
    "obstruction_referrals": ("acknowledge_obstruction_referral",),
}


def _answers(record, user, names) -> list[dict]:
    _, answers = _record_apis()
    offered = []
    for name in names:
        try:
            answers[name]().check(record, user)
        except (PermissionDenied, TransitionConflict):
            continue
        offered.append({"name": name, "label": ANSWER_LABELS[name], "pk": record.pk})
    return offered


def _validated(form, serializer_class):
    """Run the API's own input serializer on what the form parsed; its errors go next to the fields."""
    serializer = serializer_class(data=form.data_for_service())
    if serializer.is_valid():
        return serializer.validated_data
    form.add_service_errors({key: [str(m) for m in msgs] for key, msgs in serializer.errors.items()})
    return None


def _record_response(request, context, status=200):
    template = "workflow/_record_form.html" if _is_htmx(request) else "workflow/record.html"
    return render(request, template, context, status=status)


def _done(request, url: str):
    if _is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def record_page(request, pk, record):
    """`/cases/{id}/records/{record}/`: add one sub-procedure record (workflow.record_services)."""
    creates, _answers_ = _record_apis()
    if record not in creates:
        raise Http404
    case = selectors.case_get(user=request.user, case_id=pk)
    api = creates[record]
    if refusal := _check(request, lambda: check_record_action(case=case, user=request.user, name=record), case=case):
        return refusal
    form_class = record_form_class(record, api.InputSerializer)
    action = reverse("case-record-page", args=[case.pk, record])
    context = {"case": case, "label": RECORD_LABELS[record], "action": action, "record": None}
    if request.method == "GET":
        return _record_response(request, {**context, "form": form_class(case=case)})
    form = form_class(request.POST, case=case)
    if form.is_valid() and (data := _validated(form, api.InputSerializer)) is not None:
        done, refusal = _attempt(request, form, lambda: api().create(case, request.user, data), case=case)
        if refusal:
            return refusal
        if done is not _FAILED:
            messages.success(request, _("Recorded: %(what)s.") % {"what": RECORD_LABELS[record]})
            return _done(request, reverse("case-page", args=[case.pk]) + "#records")
    return _record_response(request, {**context, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def record_answer_page(request, answer, record_id):
    """`/records/{answer}/{id}/`: answer a record addressed to the user's agency (decide an arrest, acknowledge
    a referral...). The agency asked may hold no position in the case (a discipline commission)."""
    _creates, answers = _record_apis()
    if answer not in answers:
        raise Http404
    api = answers[answer]()
    record = api.visible(request.user).filter(pk=record_id).first()
    if record is None:
        raise Http404
    case_visible = selectors.case_list(user=request.user).filter(pk=record.case_id).exists()
    case = record.case if case_visible else None
    if refusal := _check(request, lambda: api.check(record, request.user), case=case):
        return refusal
    form_class = record_form_class(answer, api.InputSerializer)
    context = {"case": case, "label": ANSWER_LABELS[answer], "record": record, "answer": answer,
               "action": reverse("record-answer-page", args=[answer, record.pk])}
    if request.method == "GET":
        return _record_response(request, {**context, "form": form_class(case=case)})
    form = form_class(request.POST, case=case)
    if form.is_valid() and (data := _validated(form, api.InputSerializer)) is not None:
        done, refusal = _attempt(request, form, lambda: api.act(record, request.user, data), case=case)
        if refusal:
            return refusal
        if done is not _FAILED:
            messages.success(request, _("Done: %(what)s.") % {"what": ANSWER_LABELS[answer]})
            url = reverse("case-page", args=[record.case_id]) + "#records" if case_visible else reverse("home")
            return _done(request, url)
    return _record_response(request, {**context, "form": form}, status=400)


def _pending_requests(user) -> list[dict]:
    """Records that wait for an answer from the user's agency (an arrest to decide, a referral to acknowledge,
    a defendant to locate, copies to give), whether or not the agency holds a position in the case."""
    if user.role == Role.CREDITOR or not user.agency_id:
        return []
    rows = []
    # Only the roles that answer a kind of record look for it (workflow.record_permissions names them).
    sources = []
    if user.role in ARREST_DECIDERS:
        sources.append(("arrest_requests", record_selectors.arrest_request_list(user=user).filter(decision=""),
                        "decide_arrest_request"))
    if user.role in LOCATE_ANSWERERS:
        sources.append(("locate_requests", record_selectors.locate_request_list(user=user).filter(result=""),
                        "answer_locate_request"))
    if any(user.role in roles for roles in REFERRAL_RECEIVERS.values()):
        sources.append(("obstruction_referrals", record_selectors.obstruction_referral_list(user=user).filter(
            acknowledged_at__isnull=True), "acknowledge_obstruction_referral"))
    for key, qs, answer in sources:
        for record in qs.order_by("id")[:PAGE_SIZE]:
            offered = _answers(record, user, (answer,))
            if offered:
                rows.append({"kind": key, "record": record, "answer": offered[0], "case": record.case})
    copies = record_selectors.evidence_copy_request_list(user=user).filter(status="pending").order_by("id")
    if user.role == Role.ENFORCEMENT_JUDGE:
        for record in copies.filter(case__executing_court_id=user.agency_id)[:PAGE_SIZE]:
            rows.append({"kind": "copy_requests", "record": record, "answer": None, "case": record.case})
    return rows


# ---------------------------------------------------------------------------------------------------------
# Notifications


@login_required
@require_GET
def notifications_page(request):
    """`/notifications/`: the user's notifications, newest first, unread ones marked."""
    show = request.GET.get("show", "")
    unread = True if show == "unread" else None
    page = Paginator(notification_list(user=request.user, unread=unread), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "workflow/notifications.html", {
        "items": _with_case_links(request.user, list(page.object_list)), "page": page, "show": show,
        "unread_total": notification_unread_count(user=request.user),
    })


@login_required
@require_POST
def notification_read(request, notification_id):
    """Mark one of the user's own notifications read (another user's is 404), then open its case."""
    notification = notifications.notification_mark_read(user=request.user, notification_id=notification_id)
    if request.POST.get("open") and notification.case_id and selectors.case_list(user=request.user).filter(
            pk=notification.case_id).exists():
        return redirect("case-page", notification.case_id)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications.notification_mark_all_read(user=request.user)
    messages.success(request, translation.ngettext("%(n)d notification marked read.",
                                                   "%(n)d notifications marked read.", count) % {"n": count})
    return redirect("notifications")
