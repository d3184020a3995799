"""The pages of approvals (procedure.md §3 "Approvals"): a pending proposal as its approver sees it, approved or
refused through workflow.cases.approvals exactly as the API does, and the rows the inbox and the case page show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from procedure.disclosure import disclosure
from procedure.states import CaseState
from procedure.transitions import matching_approver
from workflow.cases import approvals, selectors
from workflow.models import ApprovalStatus
from workflow.pages.common import FAILED, attempt, error_dict, go_to, refused
from workflow.pages.forms import ApprovalRejectForm
from workflow.pages.labels import FIELD_LABELS, TRANSITION_LABELS


def approval_row(approval, user) -> dict:
    """One proposal as a page shows it: what is proposed, by whom, with which body, and may this user decide it."""
    body = disclosure(user).payload(approval.transition, approval.body)
    return {
        "approval": approval,
        "label": TRANSITION_LABELS[approval.transition],
        "fields": [(FIELD_LABELS.get(key, key), value) for key, value in body.items() if value not in (None, "")],
        "may_decide": approval.status == ApprovalStatus.PENDING
        and matching_approver(approval.case, user, approval.transition) is not None,
    }


def pending_rows(user, *, case=None) -> list[dict]:
    """The pending approvals the user may decide or has proposed (of one case, or all)."""
    pending = selectors.approval_list(user=user, status=ApprovalStatus.PENDING)
    if case is not None:
        pending = selectors.approvals_visible(user=user).filter(case=case, status=ApprovalStatus.PENDING)
    return [approval_row(approval, user) for approval in pending[:50]]


def _approval(user, pk):
    approval = selectors.approvals_visible(user=user).filter(pk=pk).first()
    if approval is None:
        raise Http404
    return approval


@login_required
@require_GET
def approval_page(request, pk):
    """`/approvals/{id}/`: the proposal, with approve and refuse for its approver."""
    approval = _approval(request.user, pk)
    return render(request, "workflow/approval.html", {"row": approval_row(approval, request.user),
                                                      "case": approval.case, "form": ApprovalRejectForm()})


@login_required
@require_POST
def approval_approve(request, pk):
    approval = _approval(request.user, pk)
    try:
        case, refusal = attempt(request, None, lambda: approvals.approve(approval_id=approval.pk, actor=request.user),
                                case=approval.case)
    except ValidationError as exc:  # the proposal's body no longer holds (e.g. a condition of the law)
        messages_ = [m for msgs in error_dict(exc).values() for m in msgs]
        return refused(request, " ".join(messages_), 400, case=approval.case, name=approval.transition)
    if refusal:
        return refusal
    messages.success(request, _("Approved: %(step)s. The case is now: %(state)s.") % {
        "step": TRANSITION_LABELS[approval.transition], "state": CaseState(case.state).label})
    return go_to(request, reverse("case-page", args=[case.pk]))


@login_required
@require_POST
def approval_reject(request, pk):
    approval = _approval(request.user, pk)
    form = ApprovalRejectForm(request.POST)
    if form.is_valid():
        done, refusal = attempt(request, form, lambda: approvals.reject(
            approval_id=approval.pk, actor=request.user, reason=form.cleaned_data["reason"]), case=approval.case)
        if refusal:
            return refusal
        if done is not FAILED:
            messages.success(request, _("Refused: %(step)s. The proposer has been told why.") % {
                "step": TRANSITION_LABELS[approval.transition]})
            return go_to(request, reverse("case-page", args=[approval.case_id]))
    return render(request, "workflow/approval.html", {"row": approval_row(approval, request.user),
                                                      "case": approval.case, "form": form}, status=400)
