"""Proposals awaiting the person in charge (procedure.md §3 "Approvals"): made by fire() when the handler fires a
transition that needs approval, lapsed by fire() when the case leaves the state they were proposed in.

Both run inside the transaction of fire(), which holds the case's row lock; the approver's notice is written in
that transaction too. Deciding a proposal is workflow.cases.approvals.
"""

from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import Role
from procedure.disclosure import PROPOSE
from procedure.errors import TransitionConflict
from procedure.notices import NotificationKind
from procedure.transitions import TRANSITIONS, allowed_transitions
from workflow.cases.events import record_event
from workflow.models import Approval, ApprovalStatus, Case
from workflow.notifications.recipients import People, active_users
from workflow.notifications.services import notify


def pending_approval(case: Case, name: str | None = None, *, reader=None) -> Approval | None:
    """The case's pending approval (of transition ``name``), if any; for a creditor ``reader``, only their own
    (what an organ's handler proposes to its head stays inside the organ)."""
    pending = Approval.objects.filter(case=case, status=ApprovalStatus.PENDING)
    if reader is not None and reader.role == Role.CREDITOR:
        pending = pending.filter(proposed_by=reader)
    if name is not None:
        pending = pending.filter(transition=name)
    return pending.select_related("proposed_by").order_by("-id").first()


def propose(*, case: Case, name: str, actor, body: dict) -> Approval:
    """The pending approval of ``name`` on the locked ``case``, proposed by ``actor`` with the validated ``body``
    (JSON-safe); 409 when one is already pending."""
    existing = pending_approval(case, name)
    if existing is not None:
        raise TransitionConflict(
            _("Approval %(id)s of this step, proposed by %(who)s, is still pending.")
            % {"id": existing.pk, "who": name_of(existing.proposed_by)},
            state=case.state, allowed=allowed_transitions(case=case, user=actor),
        )
    approval = Approval.objects.create(case=case, transition=name, from_state=case.state, proposed_by=actor,
                                       body=body)
    record_event(case=case, actor=actor, transition=PROPOSE, from_state=case.state, to_state=case.state,
                         payload={"approval": approval.pk, "transition": name})
    state = case.state
    announce(approval=approval, kind=NotificationKind.APPROVAL_REQUESTED,
             recipients=lambda c: approvers_of(c, name, state), params={"proposer": name_of(actor)})
    return approval


def announce(*, approval: Approval, kind: str, recipients: Callable[[Case], Iterable], params: dict) -> None:
    """In the step's transaction, tell ``recipients(case)`` of a step of ``approval`` in the text of ``kind``, once
    per approval and kind."""
    case = Case.objects.get(pk=approval.case_id)
    notify(recipients=recipients(case), event_key=f"approval:{approval.pk}:{kind}", kind=kind, text_id=kind,
           params={"number": case.number, "debtor": case.debtor_name, "transition": approval.transition, **params},
           case_id=case.pk)


def lapse(*, case: Case, from_state: str) -> int:
    """Mark lapsed the approvals still pending on a case that has just left ``from_state``; their proposers are
    told."""
    if case.state == from_state:
        return 0
    pending = list(Approval.objects.filter(case=case, status=ApprovalStatus.PENDING))
    Approval.objects.filter(pk__in=[a.pk for a in pending]).update(status=ApprovalStatus.LAPSED,
                                                                  decided_at=timezone.now())
    for approval in pending:
        tell_proposer(approval, NotificationKind.APPROVAL_LAPSED)
    return len(pending)


def tell_proposer(approval: Approval, kind: str, **params) -> None:
    """In the step's transaction, tell the proposer what became of their proposal."""
    proposer_ids = [approval.proposed_by_id]
    announce(approval=approval, kind=kind, recipients=lambda _case: active_users(proposer_ids), params=params)


def approvers_of(case: Case | None, name: str, state: str) -> list:
    """The active users who may decide a proposal of ``name`` made in ``state``."""
    if case is None:
        return []
    entries = [a for a in TRANSITIONS[name].approvers if not a.states or state in a.states]
    agency_ids = {getattr(case, f"{a.position}_id") for a in entries}
    people = People(agency_ids=agency_ids)
    return [user for a in entries for user in people.by_agency.get(getattr(case, f"{a.position}_id"), [])
            if user.role == a.role]


def name_of(user) -> str:
    return user.get_full_name() or user.username
