"""The deadline watcher (procedure.md §4): marks, warns and escalates, each exactly once.

One sweep, run by ``manage.py sweep_deadlines`` and by Celery beat (``workflow.tasks.sweep_deadlines_task``):

1. Deadlines still ``open`` whose due day has passed (in the server's zone, Asia/Shanghai) become ``overdue``
   in one UPDATE over the (status, due_date) index, and in the same transaction the notices of that event are
   written: the owing agency's staff, its heads (the escalation), for a police deadline the procuratorate of
   the region (Opinions Art. 8), and the organ waiting for the act (for ``written_response`` the transferring
   court or procuratorate, which may now advise a private prosecution, Art. 12). A worker that dies before
   the commit leaves nothing behind, and the next sweep does it all.
2. Open deadlines due within ``DEADLINE_WARN_WORKING_DAYS`` working days that were not yet warned for their
   current due date warn the owing agency.
3. Pending e-mails are sent.

The work grows with the deadlines that fall due, not with all deadlines: both selections are range scans of
the (status, due_date) index, the recipients are loaded with one query per batch, and (recipient, event_key)
is unique in the database, so nothing is notified twice whatever runs concurrently or again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import HEAD_ROLES, AgencyKind, Role
from procedure.calendar import Schedule, UnknownYear
from procedure.notices import NotificationKind as N
from procedure.states import CaseState, DeadlineStatus, Origin
from procedure.states import DeadlineKind as K
from workflow.deadlines.holidays import database_schedule
from workflow.models import Deadline, Notification
from workflow.notifications.services import build, deliver_pending_emails, save_notifications

log = logging.getLogger(__name__)
BATCH = 2000

# Who does the act a deadline is owed for (procedure.md §3 "who"); they are warned and told it is overdue.
ACTING_ROLES: dict[str, tuple[str, ...]] = {
    K.WRITTEN_RESPONSE: (Role.POLICE_INVESTIGATOR,),
    K.FILING_REVIEW: (Role.POLICE_INVESTIGATOR,),
    K.POLICE_EXPLANATION: (Role.POLICE_INVESTIGATOR,),
    K.FILING_AFTER_ORDER: (Role.POLICE_INVESTIGATOR,),
    K.SUPPLEMENTARY_INVESTIGATION: (Role.POLICE_INVESTIGATOR,),
    K.ARREST_REVIEW: (Role.PROCURATOR,),
    K.PROSECUTION_REVIEW: (Role.PROCURATOR,),
    K.PRIVATE_FILING_REVIEW: (Role.FILING_CLERK,),
    K.TRIAL: (Role.TRIAL_JUDGE,),
}

# Who waits for the act: the transferring organ, another agency's position on the case, or the creditor.
TRANSFERRING, CREDITOR = "transferring", "creditor"
WAITING: dict[str, str] = {
    K.WRITTEN_RESPONSE: TRANSFERRING,  # Art. 12: the transferring court or procuratorate
    K.FILING_REVIEW: TRANSFERRING,
    K.POLICE_EXPLANATION: "procuratorate",  # Art. 8 ¶1
    K.FILING_AFTER_ORDER: "procuratorate",  # Art. 8 ¶2
    K.SUPPLEMENTARY_INVESTIGATION: "procuratorate",
    K.ARREST_REVIEW: "police_agency",
    K.PROSECUTION_REVIEW: "police_agency",
    K.PRIVATE_FILING_REVIEW: CREDITOR,
    K.TRIAL: "procuratorate",  # the creditor in a private trial
}
WAITING_ROLES: dict[str, tuple[str, ...]] = {
    "executing_court": (Role.ENFORCEMENT_JUDGE,),
    "procuratorate": (Role.PROCURATOR,),
    "police_agency": (Role.POLICE_INVESTIGATOR,),
}
SUPERVISING_ROLES = (Role.PROCURATOR, Role.PROCURATOR_GENERAL)

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
        marked = mark_overdue(today=today, now=timezone.now())
        result.overdue = len(marked)
        for start in range(0, len(marked), BATCH):
            rows = list(Deadline.objects.filter(pk__in=marked[start:start + BATCH]).values(*_FIELDS))
            result.notifications += save_notifications(_overdue_notices(rows), email=False)
    schedule = database_schedule()
    horizon = warn_horizon(today=today, working_days=days, schedule=schedule)
    if horizon is not None:
        with transaction.atomic():
            ids = warn_candidates(today=today, horizon=horizon)
            result.warned = len(ids)
            for start in range(0, len(ids), BATCH):
                rows = list(Deadline.objects.filter(pk__in=ids[start:start + BATCH]).values(*_FIELDS))
                result.notifications += save_notifications(_warning_notices(rows), email=False)
    if email:
        try:
            result.emailed = deliver_pending_emails()
        except Exception:  # the notices are committed; unsent e-mails stay pending for the next sweep
            log.exception("sending notification e-mails failed")
            result.email_failed = True
    return result


def mark_overdue(*, today: date, now) -> list[int]:
    """Set ``overdue`` on every open deadline due before ``today``; returns their ids.

    One statement over the (status, due_date) index. On PostgreSQL the rows are taken with ``FOR UPDATE SKIP
    LOCKED``, so a concurrent sweep or a transition holding one of them never makes this one wait; whoever
    holds the row decides it.
    """
    table = connection.ops.quote_name(Deadline._meta.db_table)
    params = [DeadlineStatus.OVERDUE.value, connection.ops.adapt_datetimefield_value(now),
              DeadlineStatus.OPEN.value, connection.ops.adapt_datefield_value(today)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET status = %s, overdue_at = %s WHERE id = ANY(ARRAY("  # noqa: S608 - table name only
                f"SELECT id FROM {table} WHERE status = %s AND met_at IS NULL AND due_date < %s "
                f"FOR UPDATE SKIP LOCKED)) RETURNING id",
                params,
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":  # SQLite serializes writers; RETURNING needs 3.35+
            cursor.execute(
                f"UPDATE {table} SET status = %s, overdue_at = %s "  # noqa: S608 - table name only
                f"WHERE status = %s AND met_at IS NULL AND due_date < %s RETURNING id",
                params,
            )
            return [row[0] for row in cursor.fetchall()]
    due = Deadline.objects.select_for_update(skip_locked=True).filter(
        status=DeadlineStatus.OPEN, met_at__isnull=True, due_date__lt=today)
    ids = list(due.values_list("id", flat=True))
    Deadline.objects.filter(pk__in=ids).update(status=DeadlineStatus.OVERDUE, overdue_at=now)
    return ids


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
    """Ids of the open deadlines due from today to ``horizon`` not yet warned for their current due date.

    Two index range scans: (status, due_date) for the deadlines, then the unique (event_key, recipient) index for
    the warnings already written, so an idle sweep costs as little as the window is small.
    """
    due = list(Deadline.objects.filter(status=DeadlineStatus.OPEN, met_at__isnull=True, due_date__gte=today,
                                       due_date__lte=horizon).order_by("due_date", "id").values_list("id", "due_date"))
    keys = {warn_key(pk, day): pk for pk, day in due}
    listed = list(keys)
    warned: set[str] = set()
    for start in range(0, len(listed), BATCH):
        warned.update(Notification.objects.filter(event_key__in=listed[start:start + BATCH])
                      .order_by().values_list("event_key", flat=True).distinct())
    return [pk for key, pk in keys.items() if key not in warned]


# Recipients ------------------------------------------------------------------------------------------------


class _People:
    """The users the notices of a batch of deadlines go to, loaded with a fixed number of queries."""

    def __init__(self, rows: list[dict]):
        region_codes = {r["case__executing_court__region_code"] for r in rows
                        if r["owed_by__kind"] == AgencyKind.POLICE and not r["case__procuratorate_id"]}
        self.region_procuratorate: dict[str, int] = {}
        if region_codes:
            for agency_id, code in (Agency.objects.filter(kind=AgencyKind.PROCURATORATE, region_code__in=region_codes)
                                    .order_by("-pk").values_list("pk", "region_code")):
                self.region_procuratorate[code] = agency_id  # lowest pk wins, as agencies.selectors.region_agency
        agency_ids = set(self.region_procuratorate.values())
        creditor_ids = set()
        for r in rows:
            agency_ids |= {r["owed_by_id"], r["case__executing_court_id"], r["case__police_agency_id"],
                           r["case__procuratorate_id"], r["case__trial_court_id"]}
            creditor_ids.add(r["case__applicant_user_id"])
        agency_ids.discard(None)
        creditor_ids.discard(None)
        fields = ("id", "role", "agency_id", "is_liaison", "language", "email")
        self.by_agency: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(agency_id__in=agency_ids, is_active=True).only(*fields).order_by("id"):
            self.by_agency[user.agency_id].append(user)
        self.creditors = {u.pk: u for u in User.objects.filter(pk__in=creditor_ids, is_active=True).only(*fields)}

    def of(self, agency_id, roles) -> list[User]:
        users = self.by_agency.get(agency_id, [])
        return [u for u in users if u.role in roles] or users

    def acting(self, row) -> list[User]:
        return self.of(row["owed_by_id"], ACTING_ROLES.get(row["kind"], ()))

    def heads(self, row) -> list[User]:
        """The owing agency's heads; an agency without a head role (a court) escalates to its liaisons."""
        users = self.by_agency.get(row["owed_by_id"], [])
        return [u for u in users if u.role in HEAD_ROLES] or [u for u in users if u.is_liaison]

    def supervising(self, row) -> list[User]:
        """Art. 8: for a police deadline, the procuratorate of the case or else of the executing court's region."""
        if row["owed_by__kind"] != AgencyKind.POLICE:
            return []
        agency_id = row["case__procuratorate_id"] or self.region_procuratorate.get(
            row["case__executing_court__region_code"])
        return [u for u in self.by_agency.get(agency_id, []) if u.role in SUPERVISING_ROLES]

    def waiting(self, row) -> list[User]:
        position = WAITING.get(row["kind"])
        if row["kind"] == K.TRIAL and row["case__state"] == CaseState.PRIVATE_TRIAL:
            position = CREDITOR
        if position == TRANSFERRING:
            position = "procuratorate" if row["case__origin"] == Origin.PROCURATORATE else "executing_court"
        if position == CREDITOR:
            user = self.creditors.get(row["case__applicant_user_id"])
            return [user] if user else []
        if position is None:
            return []
        agency_id = row[f"case__{position}_id"]
        if agency_id is None or agency_id == row["owed_by_id"]:
            return []
        return self.of(agency_id, WAITING_ROLES[position])


def _params(row) -> dict:
    return {"number": row["case__number"], "debtor": row["case__debtor_name"], "agency": row["owed_by__name"],
            "due": row["due_date"].isoformat(), "basis": row["legal_basis"], "deadline_kind": row["kind"]}


def _overdue_notices(rows: list[dict]) -> list[Notification]:
    """One notice per person per overdue event, the most pertinent first: the organ waiting for the act, then the
    escalation (heads, supervising procuratorate), then the owing agency's staff."""
    if not rows:
        return []
    people, now, notices = _People(rows), timezone.now(), []
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


def _warning_notices(rows: list[dict]) -> list[Notification]:
    if not rows:
        return []
    people, now, notices = _People(rows), timezone.now(), []
    for row in rows:
        key = warn_key(row["id"], row["due_date"])
        params, texts = _params(row), {}
        notices += [build(recipient=user, event_key=key, kind=N.DEADLINE_WARNING, text_id="deadline_warning",
                          params=params, case_id=row["case_id"], deadline_id=row["id"], due_date=row["due_date"],
                          now=now, texts=texts)
                    for user in people.acting(row)]
    return notices
