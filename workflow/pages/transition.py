"""The page of one step of the procedure: its form, what it will do (the letters it issues, the deadlines it opens
and closes), then fire() exactly as the API does; or why the user may not take it now, in words.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.roles import Role
from procedure.basis import joined
from procedure.deadlines import DeadlineKind
from procedure.letters import DocumentKind
from procedure.states import CaseState
from procedure.transitions import TRANSITIONS, matching_actor, proposes
from workflow.cases import selectors
from workflow.cases.transitions import fire, unmet
from workflow.models import Approval, Case
from workflow.notifications import services as notifications
from workflow.notifications.selectors import notification_list
from workflow.pages.common import FAILED, attempt, go_to, is_htmx, refused
from workflow.pages.forms import transition_form_class
from workflow.pages.labels import TRANSITION_LABELS


@login_required
@require_http_methods(["GET", "POST"])
def transition_page(request, pk, name):
    """`/cases/{id}/transitions/{name}/`: the form of one step, then fire() exactly as the API does."""
    if name not in TRANSITIONS:
        raise Http404
    case = selectors.case_get(user=request.user, case_id=pk)
    form_class = transition_form_class(name)
    if request.method == "GET":
        refusal = _refusal(case, request.user, name)
        if refusal:
            return refused(request, refusal[0], refusal[1], case=case, name=name)
        return _transition_response(request, case, name, form_class(case=case, user=request.user))

    form = form_class(request.POST, case=case, user=request.user)
    if form.is_valid():
        fired, refusal = attempt(
            request, form, lambda: fire(case_id=case.pk, name=name, actor=request.user, data=form.data_for_service()),
            case=case, name=name)
        if refusal:
            return refusal
        if isinstance(fired, Approval):  # proposed: the person in charge decides (procedure.md §3 "Approvals")
            messages.success(request, _("Proposed: %(step)s. It awaits approval by the person in charge.") % {
                "step": TRANSITION_LABELS[name]})
            return go_to(request, reverse("case-page", args=[case.pk]))
        if fired is not FAILED:
            case = fired
            _mark_case_notices_read(request.user, case.pk)
            messages.success(request, _("Done: %(step)s. The case is now: %(state)s.") % {
                "step": TRANSITION_LABELS[name], "state": CaseState(case.state).label})
            return go_to(request, reverse("case-page", args=[case.pk]))
    return _transition_response(request, case, name, form, status=400)


def _mark_case_notices_read(user, case_id: int) -> None:
    """Acting on a case answers what the user was told about it: its unread notices are marked read."""
    for notice in notification_list(user=user, unread=True).filter(case_id=case_id):
        notifications.notification_mark_read(user=user, notification_id=notice.pk)


def _refusal(case: Case, user, name: str) -> tuple[str, int] | None:
    """Why this user may not take this step now (403 role or agency, 409 state or legal condition)."""
    rule = TRANSITIONS[name]
    if matching_actor(case, user, name) is None:
        roles = joined(dict.fromkeys(str(Role(a.role).label) for a in rule.actors + rule.approvers),
                       translation.get_language() or "")
        return _("Only %(roles)s of this case's agencies may do this.") % {"roles": roles}, 403
    if case.state not in rule.sources:
        return _("Not possible while the case is: %(state)s.") % {"state": CaseState(case.state).label}, 409
    reasons = unmet(case, name)
    if reasons:
        return " ".join(reasons), 409
    return None


def _transition_response(request, case, name, form, status=200):
    rule = TRANSITIONS[name]
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
        "refusing": rule.refusing,
        # procedure.md §3 "Approvals": who decides what this user only proposes.
        "approved_by": [str(Role(a.role).label) for a in rule.approvers
                        if not a.states or case.state in a.states] if proposes(case, request.user, name) else [],
    }
    template = "workflow/_transition_form.html" if is_htmx(request) else "workflow/transition.html"
    return render(request, template, context, status=status)
