"""The only way a case changes state: fire(), one dispatcher over the table of workflow.permissions.

Every transition locks the case row, checks role and agency position, state, input and legal conditions,
changes the state, appends one chained event, opens and closes deadlines and issues documents, all in one
transaction; notifications and PDF rendering are queued for after the commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from procedure import conditions
from procedure.errors import TransitionConflict
from procedure.states import CaseState
from procedure.transitions import RULES, matching_actor
from workflow.cases.events import record_event
from workflow.cases.inputs import input_serializer
from workflow.cases.letters import issue_for_transition
from workflow.cases.selectors import case_list
from workflow.deadlines import services as deadlines
from workflow.models import Case
from workflow.notifications.services import notify_transition

EVIDENCE_CONDITIONS = (conditions.has_transfer_materials, conditions.has_private_materials)

def _conditions(case: Case, name: str):
    transition = getattr(Case, name)._django_fsm.get_transition(case.state)
    return transition.conditions if transition else []


def unmet(case: Case, name: str) -> list[str]:
    """Plain-words reasons a legal condition of `name` is unmet now (empty when all hold)."""
    return [conditions.unmet_reason(case, cond) for cond in _conditions(case, name) if not cond(case)]


def allowed_transitions(*, case: Case, user) -> list[str]:
    """The transitions this user may fire on this case now: role, position, state and conditions."""
    names = []
    for name, rule in RULES.items():
        if case.state not in rule.sources or matching_actor(case, user, name) is None:
            continue
        if all(cond(case) for cond in _conditions(case, name)):
            names.append(name)
    return names


def check_may_fire(*, case: Case, user, name: str) -> None:
    """Raise 403 (role or agency), 409 (state) or nothing."""
    rule = RULES[name]
    if matching_actor(case, user, name) is None:
        roles = ", ".join(sorted({a.role for a in rule.actors}))
        raise PermissionDenied(
            _("Only %(roles)s of this case's agencies may do this.") % {"roles": roles}
        )
    if case.state not in rule.sources:
        raise TransitionConflict(
            _("Not possible while the case is %(state)s.") % {"state": CaseState(case.state).label},
            state=case.state,
            allowed=allowed_transitions(case=case, user=user),
        )


def _apply_fields(case: Case, name: str, data: dict) -> None:
    if data.get("custody") is not None:
        case.custody = data["custody"]
    if name == "extend_review":
        case.review_extended = True
    elif name == "extend_prosecution_review":
        case.prosecution_review_extended = True
    elif name == "return_for_supplementary_investigation":
        case.supplementary_rounds += 1
    elif name in ("indict", "accept_private_prosecution"):
        case.trial_court = data["trial_court"]
        if data.get("jurisdiction_reason"):
            case.cross_region = True
            case.jurisdiction_reason = "\n".join(filter(None, [case.jurisdiction_reason, data["jurisdiction_reason"]]))
    elif name == "render_judgment":
        case.outcome = data["outcome"]
        case.sentence = data["sentence"]
    elif name == "reconcile":
        case.reconciliation_terms = data["terms"]


def fire(*, case_id, name: str, actor, data: dict | None = None) -> Case:
    """Fire transition `name` on a case as `actor`. Raises Http404, PermissionDenied, TransitionConflict or
    ValidationError (with the field), each mapped by the API to 404, 403, 409 and 400."""
    if name not in RULES:
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

        for cond in _conditions(case, name):
            if not cond(case):
                reason = conditions.unmet_reason(case, cond)
                if cond in EVIDENCE_CONDITIONS:
                    raise ValidationError({"evidence": [reason]})
                raise TransitionConflict(reason, state=case.state, allowed=allowed_transitions(case=case, user=actor))

        from_state = case.state
        getattr(case, name)()
        _apply_fields(case, name, cleaned)
        case.state_changed_at = timezone.now()
        case.save()

        payload = {k: v for k, v in cleaned.items() if v not in (None, "", [])}
        event = record_event(case=case, actor=actor, transition=name, from_state=from_state,
                             to_state=case.state, payload=payload)
        deadlines.apply_transition(case=case, name=name)
        issue_for_transition(case=case, name=name, actor=actor, event=event, data=cleaned)
        case_id, event_id = case.pk, event.pk
        transaction.on_commit(lambda: notify_transition(case_id=case_id, name=name, event_id=event_id))
    return case
