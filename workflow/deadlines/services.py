"""Deadline records (procedure.md §4): opened, closed, cancelled and extended as the transition table says.

Which period applies is `procedure.periods`; how it is counted (CPL Art. 105) is `procedure.calendar`.
"""

from datetime import date

from django.utils import timezone

from procedure.calendar import Schedule, UnknownYear, compute_due_date, provisional_due_date
from procedure.deadlines import CUSTODY_KINDS, opened_for, period_for
from procedure.periods import Period
from procedure.states import DeadlineStatus
from procedure.transitions import Extension, Transition
from workflow.deadlines.holidays import database_schedule
from workflow.models import Case, Deadline


def schedule() -> Schedule:
    """The official holiday schedule as the administrators keep it (CPL Art. 105)."""
    return database_schedule()


def _fill_due(deadline: Deadline, *, start: date, days=None, months=None, basis: str) -> None:
    try:
        due = compute_due_date(start, days=days, months=months, custody=deadline.custody,
                               schedule=schedule(), basis=basis)
    except UnknownYear as exc:
        # Never guess: keep the unshifted date, flag it, and say so until the year's schedule is added.
        due = provisional_due_date(start, days=days, months=months, basis=basis, unknown_year=exc.year)
    deadline.due_date = due.due_date
    deadline.provisional = due.unknown_year is not None
    deadline.explanation = due.explain("zh-hans")
    deadline.explanation_en = due.explain("en")


def open_deadline(*, case: Case, kind: str, start: date | None = None, custody: bool | None = None,
                  owed_by=None, period: Period | None = None) -> Deadline:
    """Open a deadline of `kind`; a custody period (detention, custody in investigation) is always counted as one,
    without the holiday shift (CPL Art. 105)."""
    period = period or period_for(case, kind)
    owing = owed_by or getattr(case, period.owed_by)
    if kind in CUSTODY_KINDS:
        custody = True
    deadline = Deadline(
        case=case,
        kind=kind,
        legal_basis=period.basis,
        owed_by=owing,
        start_date=start or timezone.localdate(),
        custody=case.custody if custody is None else custody,
        period_days=period.days,
        period_months=period.months,
    )
    _fill_due(deadline, start=deadline.start_date, days=period.days, months=period.months, basis=period.basis)
    deadline.save()
    return deadline


def open_deadlines(*, case: Case, kinds, start: date | None = None) -> list[Deadline]:
    return [open_deadline(case=case, kind=kind, start=start) for kind in kinds if opened_for(case, kind)]


def restart_deadlines(*, case: Case, kinds, start: date) -> None:
    """The open deadlines of `kinds` run from `start` instead (Art. 12 ¶1: from the police's receipt), their whole
    period counted afresh."""
    today = timezone.localdate()
    for deadline in _open_qs(case, kinds):
        deadline.start_date = start
        _fill_due(deadline, start=start, days=deadline.period_days, months=deadline.period_months,
                  basis=deadline.legal_basis)
        if deadline.due_date >= today:
            deadline.status, deadline.overdue_at = DeadlineStatus.OPEN, None
        deadline.save()


def _open_qs(case: Case, kinds):
    return case.deadlines.filter(kind__in=kinds, met_at__isnull=True,
                                 status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])


def close_deadlines(*, case: Case, kinds) -> int:
    """The owing agency acted: an open deadline is met; an overdue one keeps its status, with the late date."""
    now = timezone.now()
    closed = 0
    for deadline in _open_qs(case, kinds):
        deadline.met_at = now
        if deadline.status == DeadlineStatus.OPEN:
            deadline.status = DeadlineStatus.MET if timezone.localdate() <= deadline.due_date else DeadlineStatus.OVERDUE
        deadline.save(update_fields=["met_at", "status"])
        closed += 1
    return closed


def cancel_deadlines(*, case: Case, kinds) -> int:
    """The duty ended without the act. One whose due day had already passed stays overdue (the record of the
    miss must not depend on whether the sweep ran first); the others are cancelled."""
    today = timezone.localdate()
    _open_qs(case, kinds).filter(status=DeadlineStatus.OPEN, due_date__lt=today, provisional=False).update(
        status=DeadlineStatus.OVERDUE, overdue_at=timezone.now())
    return _open_qs(case, kinds).filter(status=DeadlineStatus.OPEN).update(status=DeadlineStatus.CANCELLED)


def extend_deadline(*, case: Case, extension: Extension, deadline: Deadline | None = None) -> Deadline | None:
    """The open deadline the extension names runs for the longer period, counted from its own start; the holiday
    shift applies to the new final day only (procedure.md §4)."""
    deadline = deadline or _open_qs(case, [extension.kind]).order_by("-id").first()
    if deadline is None:
        return None
    period = extension.period
    _fill_due(deadline, start=deadline.start_date, days=period.days, months=period.months, basis=period.basis)
    deadline.period_days, deadline.period_months = period.days, period.months
    deadline.legal_basis = period.basis
    deadline.save()
    return deadline


def apply_transition(*, case: Case, row: Transition) -> None:
    """Close, cancel, extend and open the deadlines the transition's row names, in the caller's transaction."""
    close_deadlines(case=case, kinds=row.closes)
    cancel_deadlines(case=case, kinds=row.cancels)
    for extension in row.extends:
        extend_deadline(case=case, extension=extension)
    start = getattr(case, row.starts_on) if row.starts_on else None
    if start is not None:
        restart_deadlines(case=case, kinds=row.restarts, start=start)
    open_deadlines(case=case, kinds=row.opens, start=start)
