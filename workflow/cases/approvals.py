"""Deciding a proposal (procedure.md §3 "Approvals"): the person in charge approves it, and the transition fires
with the proposer's body under the same lock and checks as any transition, or refuses it with a reason.

Both lock the case row, then the approval's: a proposal is decided once, and never after the case moved on
(fire() marks it lapsed in the transaction that moves the case). The proposer hears of the answer.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from procedure.disclosure import REFUSE_PROPOSAL
from procedure.errors import TransitionConflict
from procedure.notices import NotificationKind
from procedure.transitions import TRANSITIONS, allowed_transitions, matching_approver
from workflow.cases.events import record_event
from workflow.cases.proposals import name_of, tell_proposer
from workflow.cases.selectors import approvals_visible
from workflow.cases.transitions import fire
from workflow.models import Approval, ApprovalStatus, Case

__all__ = ["approve", "reject"]


def _locked(*, approval_id, actor) -> tuple[Case, Approval]:
    """The case and the approval, both locked, once the actor may decide it: 404 when the actor may not see it,
    403 when they are not its approver, 409 when it is no longer pending."""
    found = approvals_visible(user=actor).filter(pk=approval_id).values_list("case_id", flat=True).first()
    if found is None:
        raise Http404
    case = Case.objects.select_for_update(of=("self",)).select_related("executing_court").get(pk=found)
    approval = Approval.objects.select_for_update(of=("self",)).select_related("proposed_by").get(pk=approval_id)
    row = TRANSITIONS[approval.transition]
    if matching_approver(case, actor, approval.transition) is None:
        roles = ", ".join(sorted({a.role for a in row.approvers}))
        raise PermissionDenied(_("Only %(roles)s of this case's agencies may decide this proposal.")
                               % {"roles": roles})
    if approval.status != ApprovalStatus.PENDING:
        raise TransitionConflict(
            _("This proposal is no longer pending: %(status)s.") % {"status": ApprovalStatus(approval.status).label},
            state=case.state, allowed=allowed_transitions(case=case, user=actor),
        )
    return case, approval


def approve(*, approval_id, actor) -> Case:
    """Approve a pending proposal: its transition fires as decided by ``actor`` and proposed by its proposer."""
    with transaction.atomic():
        _case, approval = _locked(approval_id=approval_id, actor=actor)
        approval.status = ApprovalStatus.APPROVED
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
        case = fire(case_id=approval.case_id, name=approval.transition, actor=actor, data=approval.body,
                    approval=approval)
        tell_proposer(approval, NotificationKind.APPROVAL_GRANTED, approver=name_of(actor))
    return case


def reject(*, approval_id, actor, reason: str) -> Approval:
    """Refuse a pending proposal with a reason: nothing changes but the approval, and the proposer is told."""
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"reason": [_("Say why the proposal is refused.")]})
    with transaction.atomic():
        case, approval = _locked(approval_id=approval_id, actor=actor)
        approval.status = ApprovalStatus.REJECTED
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.reason = reason
        approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record_event(case=case, actor=actor, transition=REFUSE_PROPOSAL, from_state=case.state, to_state=case.state,
                     payload={"approval": approval.pk, "transition": approval.transition,
                              "proposed_by": approval.proposed_by.username, "reason": reason})
        tell_proposer(approval, NotificationKind.APPROVAL_REFUSED, approver=name_of(actor), reason=reason)
    return approval
