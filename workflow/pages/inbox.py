"""The home page: the inbox of an agency user (the cases waiting for the user's agency, the records addressed to
it, the latest notifications) or the cases of a creditor; and the form that starts a case.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies.roles import AgencyKind, Role
from procedure.guidance import PRIVATE_PROSECUTION_WHEN, PUBLIC_ROUTE_FAILED_PROOF
from procedure.records import ARREST_DECIDERS, LOCATE_ANSWERERS, REFERRAL_RECEIVERS
from procedure.states import CaseState
from workflow.cases import selectors, services
from workflow.cases.documents import document_list
from workflow.notifications.selectors import notification_list
from workflow.pages.approvals import pending_rows
from workflow.pages.common import FAILED, PAGE_SIZE, attempt, refused
from workflow.pages.forms import CaseCreateForm, InboxFilterForm
from workflow.pages.presenters import DUE_SOON_DAYS, answers_offered, case_row, case_url_maker, with_case_links
from workflow.records import selectors as record_selectors


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
    soon_until = today + timedelta(days=DUE_SOON_DAYS)
    paginator = Paginator(listing, PAGE_SIZE)
    # The waiting cases' summary and, when they are the list shown, the ids of the page asked for, in one read.
    guess = _requested_page(request.GET.get("page")) if listing is waiting else 0
    overview = None if q else selectors.inbox_overview(
        user=user, state=state, today=today, soon_until=soon_until,
        bottom=max(guess - 1, 0) * PAGE_SIZE, top=guess * PAGE_SIZE)
    if overview is None:  # a search (or a user of no agency) counts the rows themselves
        ids = None
        summary = waiting.order_by().aggregate(
            waiting=Count("pk"),
            overdue=Count("pk", filter=Q(next_due__lt=today)),
            soon=Count("pk", filter=Q(next_due__gte=today, next_due__lte=soon_until)),
        )
    else:
        summary, ids = overview
    if listing is waiting:  # counted already: the page needs no second pass over the waiting cases
        paginator.count = summary["waiting"]
    elif not q and (count := selectors.case_count(user=user, state=state)) is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    if not q and page.number != guess:  # another page than the one read (all cases, or out of range)
        bottom = (page.number - 1) * paginator.per_page
        ids = selectors.inbox_page_ids(user=user, state=state, waiting_only=listing is waiting, bottom=bottom,
                                       top=page.end_index())
    if ids is not None:  # the page's cases chosen from the indexes, then only those read
        page.object_list = listing.filter(pk__in=ids)
    url = case_url_maker()
    cases = selectors.with_agencies(page.object_list.select_related(None))  # the agencies in one query
    rows = [case_row(case, today, user, url=url) for case in cases]

    counts = selectors.state_counts(user=user)
    state_counts = [(s.value, s.label, counts[s.value]) for s in CaseState if counts.get(s.value)]
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
        "approval_rows": pending_rows(user),
        # A discipline commission holds no position in cases: it only receives referrals (Art. 18).
        "requests_only": bool(user.agency_id) and user.agency.kind == AgencyKind.DISCIPLINE,
    })


def _requested_page(value) -> int:
    """The page number asked for, as the paginator reads it when it is a whole number in range (1 otherwise)."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def _creditor_home(request):
    user = request.user
    today = timezone.localdate()
    # The cases that wait for the creditor come first (selectors.creditor_case_list).
    cases = selectors.creditor_case_list(user=user).prefetch_related(
        Prefetch("documents", queryset=document_list(user=user).order_by("issued_at", "id"), to_attr="my_documents"),
    )
    url = case_url_maker()
    rows = [case_row(case, today, user, url=url) for case in cases]
    return render(request, "workflow/creditor_home.html", {
        "user_obj": user,
        "rows": rows,
        "notifications": _unread_notifications(user),
        "approval_rows": pending_rows(user),
    })


def _unread_notifications(user):
    """The user's five newest unread notifications."""
    return with_case_links(user, list(notification_list(user=user, unread=True)[:5]))


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """`/cases/new/`: a new case in draft, then the evidence checklist on its page (Art. 3, 4; Art. 11)."""
    user = request.user
    if user.role not in services.CREATOR_ORIGIN:
        return refused(request, _("Only an enforcement judge, a procurator or a creditor may start a case."), 403)
    status = 200
    if request.method == "POST":
        form = CaseCreateForm(request.POST, user=user)
        if form.is_valid():
            case, refusal = attempt(request, form, lambda: services.case_create(actor=user, **form.service_kwargs()))
            if refusal:
                return refusal
            if case is not FAILED:
                messages.success(request, _("Case %(number)s was created as a draft. Now attach the evidence.")
                                 % {"number": case.number})
                for warning in services.case_warnings(case):
                    messages.warning(request, warning["message"])
                return redirect(reverse("case-page", args=[case.pk]) + "#checklist")
        status = 400
    else:
        form = CaseCreateForm(user=user)
    context = {"form": form}
    if user.role == Role.CREDITOR:
        # When a private prosecution is allowed and what proves the public route failed (procedure.guidance).
        context.update(private_when=PRIVATE_PROSECUTION_WHEN, public_route_proof=PUBLIC_ROUTE_FAILED_PROOF)
    return render(request, "workflow/case_new.html", context, status=status)


def _pending_requests(user) -> list[dict]:
    """Records that wait for an answer from the user's agency (an arrest to decide, a referral to acknowledge,
    a defendant to locate, copies to give), whether or not the agency holds a position in the case."""
    if user.role == Role.CREDITOR or not user.agency_id:
        return []
    rows = []
    # Only the roles that answer a kind of record look for it (procedure.records names them).
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
            offered = answers_offered(record, user, (answer,))
            if offered:
                rows.append({"kind": key, "record": record, "answer": offered[0], "case": record.case})
    copies = record_selectors.evidence_copy_request_list(user=user).filter(status="pending").order_by("id")
    if user.role == Role.ENFORCEMENT_JUDGE:
        for record in copies.filter(case__executing_court_id=user.agency_id)[:PAGE_SIZE]:
            rows.append({"kind": "copy_requests", "record": record, "answer": None, "case": record.case})
    return rows
