"""The deadline watcher (procedure.md §4): marks, warns and escalates, each exactly once.

One sweep, run by ``manage.py sweep_deadlines`` and by Celery beat (``workflow.tasks.sweep_deadlines_task``):

1. Deadlines still ``open`` whose due day has passed (in the server's zone, Asia/Shanghai) become ``overdue``
   in one UPDATE over the (status, due_date) index, and in the same transaction the notices of that event are
   written: the owing agency's staff, its heads (the escalation), for a police deadline the procuratorate of
   the region (Opinions Art. 8), and the organ waiting for the act (for ``written_response`` the transferring
   court or procuratorate, which may now advise a private prosecution, Art. 12). A worker that dies before
   the commit leaves nothing behind, and the next sweep does it all.
2. Open deadlines due within ``DEADLINE_WARN_WORKING_DAYS`` working days that were not yet warned for their
   current due date warn the owing agency; each keeps the due date it was warned of (``warned_for``), so a
   sweep with nothing new to warn of reads no deadline.
3. Pending e-mails are sent.

The work grows with the deadlines that fall due, not with all deadlines: both selections are range scans of
partial indexes of the open deadlines by due date (those not yet warned, for the warnings), the recipients are loaded with one query per batch, and (recipient, event_key)
is unique in the database, so nothing is notified twice whatever runs concurrently or again.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from procedure.calendar import Schedule, UnknownYear
from procedure.deadlines import DeadlineKind as K
from procedure.notices import NotificationKind as N
from procedure.states import DeadlineStatus
from workflow.deadlines.holidays import database_schedule
from workflow.deadlines.written import OVERDUE, WARNING, write_notices
from workflow.models import Deadline
from workflow.models.deadline import UNWARNED
from workflow.notifications.mail import deliver_pending_emails
from workflow.notifications.recipients import DeadlinePeople
from workflow.notifications.services import Notice, build, save_notifications

log = logging.getLogger(__name__)
BATCH = 2000  # deadlines per batch of notices built in Python
SQL_BATCH = 20_000  # per statement of notices written by PostgreSQL

_FIELDS = (
    "id", "kind", "due_date", "legal_basis", "owed_by_id", "owed_by__name", "owed_by__kind", "case_id",
    "case__number", "case__debtor_name", "case__origin", "case__state", "case__executing_court_id",
    "case__police_agency_id", "case__procuratorate_id", "case__trial_court_id", "case__applicant_user_id",
    "case__executing_court__region_code",
)


@dataclass
class SweepResult:
    today: date
    overdue: int = 0
    warned: int = 0
    notifications: int = 0
    emailed: int = 0
    email_failed: bool = False

    def as_dict(self) -> dict:
        return {**asdict(self), "today": self.today.isoformat()}


def sweep_deadlines(*, today: date | None = None, warn_working_days: int | None = None,
                    email: bool = True) -> SweepResult:
    """Mark, escalate and warn as of ``today`` (default: today in the server's zone), then send e-mails."""
    today = today or timezone.localdate()
    days = settings.DEADLINE_WARN_WORKING_DAYS if warn_working_days is None else warn_working_days
    result = SweepResult(today=today)
    with transaction.atomic():
        rows = mark_overdue(today=today, now=timezone.now())
        marked = [pk for pk, _kind, _basis in rows]
        result.overdue = len(marked)
        pairs = sorted({(kind, basis) for _pk, kind, basis in rows})
        step = _step()
        for start in range(0, len(marked), step):
            result.notifications += _notify(OVERDUE, marked[start:start + step], pairs)
    if marked:
        _read_again(_due(today))
    schedule = database_schedule()
    horizon = warn_horizon(today=today, working_days=days, schedule=schedule)
    if horizon is not None:
        with transaction.atomic():
            ids = warn_candidates(today=today, horizon=horizon)
            result.warned = len(ids)
            step = _step()
            for start in range(0, len(ids), step):
                result.notifications += _notify(WARNING, ids[start:start + step])
        if ids:
            _read_again(Deadline.objects.filter(UNWARNED, due_date__gte=today, due_date__lte=horizon))
    if email:
        try:
            result.emailed = deliver_pending_emails()
        except Exception:  # the notices are committed; unsent e-mails stay pending for the next sweep
            log.exception("sending notification e-mails failed")
            result.email_failed = True
    return result


def _due(today: date):
    """The open deadlines due before ``today`` that the marking takes (a provisional due date is never overdue)."""
    return Deadline.objects.filter(status=DeadlineStatus.OPEN, met_at__isnull=True, due_date__lt=today,
                                   provisional=False)


def _read_again(selection) -> None:
    """After a sweep moved rows out of a selection (marked, warned), read the selection's range once more, once
    committed: PostgreSQL then prunes the moved rows' old versions from the pages it visits and marks their index
    entries dead, so that the sweeps after this one, every few minutes and mostly with nothing due, step over
    fewer of them (bench/sweep.py, 10,000 marked: the next sweep 21 ms with this, 36 ms without)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            # By the index, entry after entry: only such a scan marks the entries of dead rows (a bitmap scan,
            # which the planner prefers for a range it believes full, visits the pages and marks nothing).
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            selection.count()


def _step() -> int:
    return SQL_BATCH if connection.vendor == "postgresql" else BATCH


def _notify(event: str, ids: list[int], pairs: list[tuple[str, str]] | None = None) -> int:
    """Write the notices of a batch of marked or claimed deadlines (of the kinds and legal bases ``pairs``, when
    known); returns how many were offered. PostgreSQL writes them in one statement (workflow.deadlines.written);
    elsewhere they are built here and inserted."""
    if connection.vendor == "postgresql":
        return write_notices(event, ids, now=timezone.now(), pairs=pairs)
    rows = list(Deadline.objects.filter(pk__in=ids).values(*_FIELDS))
    return save_notifications(_overdue_notices(rows) if event == OVERDUE else _warning_notices(rows), email=False)


def mark_overdue(*, today: date, now) -> list[tuple[int, str, str]]:
    """Set ``overdue`` on every open deadline due before ``today``; returns their ids, kinds and legal bases. A
    provisional due date (a year the holiday schedule lacks) is never overdue nor escalated until the year is
    imported and recounts it.

    One statement over the (status, due_date) index. On PostgreSQL the rows are taken with ``FOR UPDATE SKIP
    LOCKED``, so a concurrent sweep or a transition holding one of them never makes this one wait; whoever
    holds the row decides it.
    """
    table = connection.ops.quote_name(Deadline._meta.db_table)
    params = [DeadlineStatus.OVERDUE.value, connection.ops.adapt_datetimefield_value(now),
              DeadlineStatus.OPEN.value, connection.ops.adapt_datefield_value(today), False]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET status = %s, overdue_at = %s WHERE id = ANY(ARRAY("  # noqa: S608 - table name only
                f"SELECT id FROM {table} WHERE status = %s AND met_at IS NULL AND due_date < %s AND provisional = %s "
                f"FOR UPDATE SKIP LOCKED)) RETURNING id, kind, legal_basis",
                params,
            )
            return [tuple(row) for row in cursor.fetchall()]
        if connection.vendor == "sqlite":  # SQLite serializes writers; RETURNING needs 3.35+
            cursor.execute(
                f"UPDATE {table} SET status = %s, overdue_at = %s "  # noqa: S608 - table name only
                f"WHERE status = %s AND met_at IS NULL AND due_date < %s AND provisional = %s "
                f"RETURNING id, kind, legal_basis",
                params,
            )
            return [tuple(row) for row in cursor.fetchall()]
    due = Deadline.objects.select_for_update(skip_locked=True).filter(
        status=DeadlineStatus.OPEN, met_at__isnull=True, due_date__lt=today, provisional=False)
    rows = list(due.values_list("id", "kind", "legal_basis"))
    Deadline.objects.filter(pk__in=[pk for pk, _kind, _basis in rows]).update(status=DeadlineStatus.OVERDUE,
                                                                           overdue_at=now)
    return rows


def warn_horizon(*, today: date, working_days: int, schedule: Schedule) -> date | None:
    """The latest due date whose warning day has come: fewer than ``working_days`` working days lie after today
    and before it (so today is at most ``working_days`` working days before it). None when warnings are off.

    Stops at the end of the calendar's known years rather than guessing beyond them.
    """
    if working_days <= 0:
        return None
    day, counted = today, 0
    while True:
        try:
            if day > today and schedule.is_working_day(day):
                counted += 1
        except UnknownYear:
            return day - timedelta(days=1)
        if counted >= working_days:
            return day
        day += timedelta(days=1)


def warn_key(deadline_id: int, due: date) -> str:
    """The warning of one due date of one deadline; a moved due date is a new event."""
    return f"deadline:{deadline_id}:{due.isoformat()}:warn"


def overdue_key(deadline_id: int, due: date) -> str:
    return f"deadline:{deadline_id}:{due.isoformat()}:overdue"


def warn_candidates(*, today: date, horizon: date) -> list[int]:
    """Claim the open deadlines due from today to ``horizon`` not yet warned of their current due date: their
    ``warned_for`` is set to it, in the caller's transaction, and their ids are returned.

    One UPDATE over the index of the unwarned open deadlines, so that a sweep with nothing new to warn of reads
    nothing; on PostgreSQL the rows are taken with ``FOR UPDATE SKIP LOCKED``, like the marking, so concurrent
    sweeps share the work rather than wait. The warnings written before ``warned_for`` existed were marked by its
    migration (0018); a warning written already for a due date claimed again (a recount that moved it back) is
    not written twice, the (event_key, recipient) index refusing it.
    """
    table = connection.ops.quote_name(Deadline._meta.db_table)
    unwarned = Deadline.objects.filter(UNWARNED, due_date__gte=today, due_date__lte=horizon).order_by().values("id")
    select, params = unwarned.query.sql_with_params()
    if connection.vendor == "postgresql":
        sql = (f"UPDATE {table} SET warned_for = due_date WHERE id = ANY(ARRAY({select} "  # noqa: S608
               f"FOR UPDATE SKIP LOCKED)) RETURNING id, due_date")
    elif connection.vendor == "sqlite":
        sql = f"UPDATE {table} SET warned_for = due_date WHERE id IN ({select}) RETURNING id, due_date"  # noqa: S608
    else:
        sql = None
    if sql is not None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            due = sorted(cursor.fetchall(), key=lambda row: (row[1], row[0]))
    else:
        due = list(Deadline.objects.select_for_update(skip_locked=True).filter(pk__in=unwarned)
                   .order_by("due_date", "id").values_list("id", "due_date"))
        Deadline.objects.filter(pk__in=[pk for pk, _ in due]).update(warned_for=F("due_date"))
    return [pk for pk, _day in due]


def _params(row) -> dict:
    return {"number": row["case__number"], "debtor": row["case__debtor_name"], "agency": row["owed_by__name"],
            "due": row["due_date"].isoformat(), "basis": row["legal_basis"], "deadline_kind": row["kind"]}


def _overdue_notices(rows: list[dict]) -> list[Notice]:
    """One notice per person per overdue event, the most pertinent first: the organ waiting for the act, then the
    escalation (heads, supervising procuratorate), then the owing agency's staff."""
    if not rows:
        return []
    people, now, notices = DeadlinePeople(rows), timezone.now(), []
    for row in rows:
        key = overdue_key(row["id"], row["due_date"])
        waiting_text = "written_response_awaited" if row["kind"] == K.WRITTEN_RESPONSE else "deadline_awaited"
        groups = (
            (people.waiting(row), N.DEADLINE_AWAITED, waiting_text),
            (people.heads(row), N.DEADLINE_ESCALATED, "deadline_escalated_head"),
            (people.supervising(row), N.DEADLINE_ESCALATED, "deadline_escalated_supervision"),
            (people.acting(row), N.DEADLINE_OVERDUE, "deadline_overdue"),
        )
        params, seen, texts = _params(row), set(), {}
        for users, kind, text_id in groups:
            for user in users:
                if user.pk in seen:
                    continue
                seen.add(user.pk)
                notices.append(build(recipient=user, event_key=key, kind=kind, text_id=text_id, params=params,
                                     case_id=row["case_id"], deadline_id=row["id"], due_date=row["due_date"],
                                     now=now, texts=texts))
    return notices


def _warning_notices(rows: list[dict]) -> list[Notice]:
    if not rows:
        return []
    people, now, notices = DeadlinePeople(rows), timezone.now(), []
    for row in rows:
        key = warn_key(row["id"], row["due_date"])
        params, texts = _params(row), {}
        notices += [build(recipient=user, event_key=key, kind=N.DEADLINE_WARNING, text_id="deadline_warning",
                          params=params, case_id=row["case_id"], deadline_id=row["id"], due_date=row["due_date"],
                          now=now, texts=texts)
                    for user in people.acting(row)]
    return notices
