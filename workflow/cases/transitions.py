"""The only way a case changes state: fire(), one dispatcher over the table of procedure.transitions.

Every transition locks the case row, checks role and agency position, state, input and legal conditions,
changes the state, sets the case fields its row names, appends one chained event, opens, closes and extends
deadlines and issues its letters, all in one transaction; its notices are written once it has committed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from procedure.errors import TransitionConflict
from procedure.states import CaseState
from procedure.transitions import TRANSITIONS, allowed_transitions, matching_actor, unmet
from workflow.cases.events import record_event
from workflow.cases.inputs import input_serializer
from workflow.cases.letters import issue_for_transition
from workflow.cases.selectors import case_list
from workflow.deadlines import services as deadlines
from workflow.models import Case
from workflow.notifications.services import notify_transition

__all__ = ["allowed_transitions", "check_may_fire", "fire", "unmet"]


def check_may_fire(*, case: Case, user, name: str) -> None:
    """Raise 403 (role or agency), 409 (state) or nothing."""
    row = TRANSITIONS[name]
    if matching_actor(case, user, name) is None:
        roles = ", ".join(sorted({a.role for a in row.actors}))
        raise PermissionDenied(
            _("Only %(roles)s of this case's agencies may do this.") % {"roles": roles}
        )
    if case.state not in row.sources:
        raise TransitionConflict(
            _("Not possible while the case is %(state)s.") % {"state": CaseState(case.state).label},
            state=case.state,
            allowed=allowed_transitions(case=case, user=user),
        )


def fire(*, case_id, name: str, actor, data: dict | None = None) -> Case:
    """Fire transition `name` on a case as `actor`. Raises Http404, PermissionDenied, TransitionConflict or
    ValidationError (with the field), each mapped by the API to 404, 403, 409 and 400."""
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

        from_state = case.state
        getattr(case, name)()
        for effect in row.sets:
            for field, value in effect(case, cleaned).items():
                setattr(case, field, value)
        case.state_changed_at = timezone.now()
        case.save()

        payload = {k: v for k, v in cleaned.items() if v not in (None, "", [])}
        event = record_event(case=case, actor=actor, transition=name, from_state=from_state,
                             to_state=case.state, payload=payload)
        deadlines.apply_transition(case=case, row=row)
        issue_for_transition(case=case, name=name, actor=actor, event=event, data=cleaned)
        case_id, event_id = case.pk, event.pk
        transaction.on_commit(lambda: notify_transition(case_id=case_id, name=name, event_id=event_id))
    return case
