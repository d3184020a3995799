"""The only way a case changes state: fire(), one dispatcher over the table of procedure.transitions.

Every transition locks the case row, checks role and agency position, state, input and legal conditions,
changes the state, sets the case fields its row names, appends one chained event, opens, closes and extends
deadlines, issues its letters and writes its notices, all in one transaction; the work that follows the commit
(rendering the letters, e-mailing the notices) is written into the outbox in that transaction too.

A transition that needs the approval of a person in charge (procedure.md §3 "Approvals"), fired by the one who
only proposes it, passes the same checks and then, instead of changing the state, leaves a pending approval
(workflow.cases.proposals); the approver fires it with the proposal (workflow.cases.approvals.approve).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from procedure.errors import TransitionConflict
from procedure.states import CaseState
from procedure.transitions import TRANSITIONS, allowed_transitions, matching_actor, proposes, unmet
from workflow.cases.events import record_event
from workflow.cases.inputs import input_serializer
from workflow.cases.letters import issue_for_transition
from workflow.cases.proposals import lapse, propose
from workflow.cases.selectors import case_list
from workflow.deadlines import services as deadlines
from workflow.models import Approval, Case
from workflow.notifications.services import notify_transition

__all__ = ["allowed_transitions", "check_may_fire", "fire", "unmet"]


def check_may_fire(*, case: Case, user, name: str) -> None:
    """Raise 403 (role or agency), 409 (state) or nothing."""
    row = TRANSITIONS[name]
    if matching_actor(case, user, name) is None:
        roles = ", ".join(sorted({a.role for a in row.actors + row.approvers}))
        raise PermissionDenied(
            _("Only %(roles)s of this case's agencies may do this.") % {"roles": roles}
        )
    if case.state not in row.sources:
        raise TransitionConflict(
            _("Not possible while the case is %(state)s.") % {"state": CaseState(case.state).label},
            state=case.state,
            allowed=allowed_transitions(case=case, user=user),
        )


def fire(*, case_id, name: str, actor, data: dict | None = None, approval: Approval | None = None) -> Case | Approval:
    """Fire transition `name` on a case as `actor`: the case, or the pending Approval when `actor` only proposes
    it. Raises Http404, PermissionDenied, TransitionConflict or ValidationError (with the field), each mapped by the
    API to 404, 403, 409 and 400. `approval` is the proposal an approver is deciding (its proposer and the
    approver are named in the event)."""
    row = TRANSITIONS.get(name)
    if row is None:
        raise Http404(_("Unknown transition."))
    with transaction.atomic():
        if not case_list(user=actor).filter(pk=case_id).exists():
            raise Http404
        case = Case.objects.select_for_update(of=("self",)).select_related("executing_court").get(pk=case_id)
        check_may_fire(case=case, user=actor, name=name)

        serializer = input_serializer(name)(data=data or {}, context={"case": case})
        if not serializer.is_valid():
            raise ValidationError({field: [str(m) for m in msgs] for field, msgs in serializer.errors.items()})
        cleaned = dict(serializer.validated_data)

        for condition in row.conditions:
            if not condition(case):
                reason = condition.refusal(case)
                if condition.field:
                    raise ValidationError({condition.field: [reason]})
                raise TransitionConflict(reason, state=case.state, allowed=allowed_transitions(case=case, user=actor))

        if approval is None and proposes(case, actor, name):
            return propose(case=case, name=name, actor=actor, body=dict(serializer.data))

        from_state = case.state
        getattr(case, name)()
        for effect in row.sets:
            for field, value in effect(case, cleaned).items():
                setattr(case, field, value)
        case.state_changed_at = timezone.now()
        case.save()

        payload = {k: v for k, v in cleaned.items() if v not in (None, "", [])}
        if approval is not None:
            payload.update(approval=approval.pk, proposed_by=approval.proposed_by.username,
                           approved_by=actor.username)
        event = record_event(case=case, actor=actor, transition=name, from_state=from_state,
                             to_state=case.state, payload=payload)
        lapse(case=case, from_state=from_state)
        deadlines.apply_transition(case=case, row=row)
        issue_for_transition(case=case, name=name, actor=actor, event=event, data=cleaned)
        notify_transition(case_id=case.pk, name=name, event_id=event.pk)
    return case
