"""The steps every record service takes: find and lock the case and the record, clean what was typed, save the
record after its model's own checks, append the event to the case's chain, meet a deadline.

A record never changes the case's state, so its event goes from the case's state to the same state.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from procedure.states import DeadlineStatus
from workflow.cases.events import record_event
from workflow.cases.selectors import case_list
from workflow.models import Case, Deadline

MAX_ID = 2**63 - 1  # the largest BigAutoField id


def lock_case(*, case_id, actor) -> Case:
    """The case row, locked; 404 both for a missing case and for one the actor may not see."""
    if not case_list(user=actor).filter(pk=case_id).exists():
        raise Http404
    return Case.objects.select_for_update(of=("self",)).select_related("executing_court").get(pk=case_id)


def lock_record(model, *, record_id, visible) -> tuple[Case, object]:
    """Lock the record's case, then the record (always in this order, like every service here)."""
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case_id = visible.filter(pk=record_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = Case.objects.select_for_update(of=("self",)).select_related("executing_court").get(pk=case_id)
    return case, model.objects.select_for_update().get(pk=record_id)


def add_event(case: Case, actor, name: str, payload: dict):
    return record_event(case=case, actor=actor, transition=name, from_state=case.state, to_state=case.state,
                        payload=payload)


def clean_text(value, field: str, *, required: bool = True, limit: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if limit is not None and len(value) > limit:
        raise ValidationError({field: [_("At most %(limit)s characters.") % {"limit": limit}]})
    return value


def parse_date(value, field: str) -> date:
    """A date given as a date or as YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def clean_day(value, field: str, *, default_today: bool = True) -> date | None:
    """A date of something that has happened: today by default, never in the future."""
    if value in (None, ""):
        return timezone.localdate() if default_today else None
    value = parse_date(value, field)
    if value > timezone.localdate():
        raise ValidationError({field: [_("This date is in the future.")]})
    return value


def clean_choice(value, choices, field: str) -> str:
    """One of a TextChoices' values, or of a tuple of values."""
    values = getattr(choices, "values", choices)
    if value not in values:
        raise ValidationError({field: [_("Choose one of: %(choices)s.") % {"choices": ", ".join(values)}]})
    return value


def clean_agency(value, field: str, kinds: tuple[str, ...]) -> Agency:
    agency = value if isinstance(value, Agency) else None
    if agency is None and value not in (None, ""):
        try:
            agency = Agency.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            agency = None
    if agency is None:
        raise ValidationError({field: [_("No such agency.")]})
    if agency.kind not in kinds:
        raise ValidationError({field: [_("This must be an agency of kind %(kind)s.") % {"kind": " / ".join(kinds)}]})
    return agency


def storable_ids(ids) -> list[int]:
    """The ids a row can have: a larger integer cannot even be sent to the database (it is simply unknown)."""
    return [i for i in ids if 0 < i <= MAX_ID]


def save_valid(record, exclude=()):
    record.full_clean(exclude=list(exclude))
    record.save()
    return record


def meet_deadline(deadline: Deadline | None) -> None:
    """The owing agency acted: met if on time; a late act keeps the overdue status with its date."""
    if deadline is None or deadline.met_at is not None or deadline.status == DeadlineStatus.CANCELLED:
        return
    deadline.met_at = timezone.now()
    if deadline.status == DeadlineStatus.OPEN:
        deadline.status = DeadlineStatus.MET if timezone.localdate() <= deadline.due_date else DeadlineStatus.OVERDUE
    deadline.save(update_fields=["met_at", "status"])
