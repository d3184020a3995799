"""Benchmark of the deadline sweep on PostgreSQL (not a test).

    createdb -h 127.0.0.1 -U postgres refusal_cases_bench   # a database of its own: it is emptied at will
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases_bench .venv/bin/python bench/sweep.py

Builds (once; --rebuild to start over) 1,000,000 deadlines on 100,000 cases in 20 regions, of which 1% are open
and past their due date. The rest are 70% closed in the past and 29% open, due over the next year; the
notification table holds 1,000,000 past notices. Then, in each round, on the same data:

* the hand-written SQL: one UPDATE marking the due deadlines overdue (run, timed, rolled back);
* the sweep's own marking statement alone (run, timed, rolled back);
* the whole sweep (``sweep_deadlines(email=False)``: marking, loading the marked rows and their recipients,
  writing every notice, warning the deadlines due within two working days), committed;
* a second sweep with nothing new due, right after, and a third (as beat's next runs);
* sending the e-mails of those notices (Django's in-memory backend), reported apart;
* the hand-written SQL of the whole job: the same UPDATE, an UPDATE of the warned deadlines' `warned_for` (which
  the sweep leaves too) and one INSERT of the very notices the sweep wrote (computed beforehand, so without any of
  the work of choosing recipients and texts), committed;

and restores the data for the next round. Prints the figures of each round, their medians, and the query plans.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.pop("REDIS_URL", None)  # e-mails and tasks in-process: only the database is measured

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from reference import reference_loop_ms  # noqa: E402

from agencies.models import Agency, User  # noqa: E402
from agencies.roles import AgencyKind, Role  # noqa: E402
from procedure.deadlines import DeadlineKind  # noqa: E402
from procedure.states import CaseState, DeadlineStatus, Origin  # noqa: E402
from workflow.deadlines.holidays import database_schedule  # noqa: E402
from workflow.deadlines.sweep import mark_overdue, sweep_deadlines, warn_horizon  # noqa: E402
from workflow.models import Case, Deadline, Notification  # noqa: E402
from workflow.notifications.mail import deliver_pending_emails  # noqa: E402

MARK = "BENCH"
REGIONS = 20
ROLES_BY_KIND = {
    AgencyKind.COURT: (Role.ENFORCEMENT_JUDGE, Role.FILING_CLERK, Role.TRIAL_JUDGE),
    AgencyKind.POLICE: (Role.POLICE_CLERK, Role.POLICE_INVESTIGATOR, Role.POLICE_HEAD),
    AgencyKind.PROCURATORATE: (Role.PROCURATOR, Role.PROCURATOR_GENERAL),
}
HAND_SQL = ("UPDATE workflow_deadline SET status = 'overdue', overdue_at = now() "
            "WHERE status = 'open' AND met_at IS NULL AND due_date < %s")
# What the sweep leaves besides: each deadline warned of keeps the due date it was warned of.
HAND_WARNED_SQL = ("UPDATE workflow_deadline SET warned_for = due_date WHERE status = 'open' AND met_at IS NULL "
                   "AND warned_for IS DISTINCT FROM due_date AND due_date BETWEEN %s AND %s")


def build(deadlines: int, due_share: float) -> None:
    """Agencies and users per region, cases, then the deadlines in one INSERT ... SELECT generate_series."""
    print(f"building {deadlines:,} deadlines ...", flush=True)
    started = time.perf_counter()
    creator = None
    courts, police, procuratorates = [], [], []
    for r in range(REGIONS):
        code = f"9{r:05d}"
        for kind, bucket in ((AgencyKind.COURT, courts), (AgencyKind.POLICE, police),
                             (AgencyKind.PROCURATORATE, procuratorates)):
            agency = Agency.objects.create(kind=kind, name=f"{MARK}-{kind}-{code}", region_code=code,
                                           region_name=f"{MARK} {code}", abbreviation=f"B{r}")
            bucket.append(agency)
            for role in ROLES_BY_KIND[kind]:
                user = User.objects.create(username=f"{MARK.lower()}-{role}-{code}", role=role, agency=agency,
                                           email=f"{role}-{code}@bench.invalid",
                                           is_liaison=role == Role.ENFORCEMENT_JUDGE)
                creator = creator or user
    cases_wanted = max(1, deadlines // 10)
    batch = []
    for i in range(cases_wanted):
        r = i % REGIONS
        batch.append(Case(
            number=f"{MARK}-{i:07d}", origin=Origin.COURT, state=CaseState.INVESTIGATING,
            executing_court=courts[r], police_agency=police[r], procuratorate=procuratorates[r], created_by=creator,
            applicant_name="申请人", debtor_name=f"被执行人{i}", enforcement_case_number=f"（2026）执{i}号",
            basis_document="判决书", amount_owed="100000.00",
        ))
        if len(batch) == 10000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)

    kinds = [k.value for k in DeadlineKind]
    due_every = round(1 / due_share)  # every n-th deadline is open and past due
    expressions = {
        "case_id": "c.id",
        "kind": f"(ARRAY{kinds!r})[1 + (g % {len(kinds)})]",
        "legal_basis": "'Opinions Art. 5 ¶2'",
        "owed_by_id": "c.police_agency_id",
        "start_date": "d.due - 7",
        "due_date": "d.due",
        "custody": "false",
        "status": f"CASE WHEN g % {due_every} = 0 THEN 'open' WHEN g % 10 < 7 THEN 'met' ELSE 'open' END",
        "met_at": f"CASE WHEN g % {due_every} <> 0 AND g % 10 < 7 THEN now() - interval '400 days' END",
        "explanation": "'起算日（当日不计入）加7日'",
        "explanation_en": "'Start (not counted) + 7 days'",
        "provisional": "false",
        "period_days": "7",
        "period_months": "NULL",
        "created_at": "now()",
        "overdue_at": "NULL",
    }
    columns, values, params = [], [], []
    for field in Deadline._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in expressions:
            values.append(expressions[field.column])
        else:  # a field added since: its default
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    today = timezone.localdate()
    sql = f"""
        WITH cases AS (SELECT id, police_agency_id, row_number() OVER (ORDER BY id) - 1 AS n
                       FROM workflow_case WHERE number LIKE '{MARK}-%%')
        INSERT INTO workflow_deadline ({", ".join(columns)})
        SELECT {", ".join(values)}
        FROM generate_series(0, {deadlines - 1}) AS g
        JOIN cases c ON c.n = g % {cases_wanted}
        CROSS JOIN LATERAL (SELECT CASE
            WHEN g % {due_every} = 0 THEN DATE '{today}' - (1 + (g / {due_every}) % 30)
            WHEN g % 10 < 7 THEN DATE '{today}' - (400 + (g / 10) % 300)
            ELSE DATE '{today}' + (1 + (g / 10) % 365) END AS due) d
    """.replace(" % ", " %% ")  # noqa: S608 - numbers and constants only; % is the modulo operator
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_deadline")
        cursor.execute("VACUUM ANALYZE workflow_case")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def build_history(count: int) -> None:
    """Notices of the past (read and e-mailed), as a system holding a million deadlines has written."""
    print(f"writing {count:,} past notices ...", flush=True)
    started = time.perf_counter()
    users = list(User.objects.filter(username__startswith=f"{MARK.lower()}-").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO workflow_notification ({NOTICE_COLUMNS}, read_at, emailed_at)
            SELECT (%s::bigint[])[1 + g %% {len(users)}], NULL, NULL, 'history:' || g, 'deadline_warning',
                   '期限即将届满：立案审查，案件 BENCH-' || g,
                   '案件 BENCH-' || g || '（被执行人某某）的立案审查期限由某公安局承担，将于某日届满。依据：Opinions Art. 5 ¶2.',
                   DATE '{timezone.localdate()}' - (400 + g %% 300), now() - interval '400 days',
                   'someone@bench.invalid', '', '{{}}', now() - interval '399 days', now() - interval '400 days'
            FROM generate_series(1, {count}) AS g
        """, [users])  # noqa: S608 - numbers and constants only
        cursor.execute("VACUUM ANALYZE workflow_notification")
    print(f"written in {time.perf_counter() - started:.0f} s", flush=True)


def clear() -> None:
    """Empty the bench's own database (TRUNCATE: deleting a million rows one FK check at a time takes hours)."""
    if Case.objects.exclude(number__startswith=f"{MARK}-").exists():
        sys.exit("bench/sweep.py needs a database of its own: this one holds cases that are not the bench's.")
    tables = [Notification._meta.db_table, Deadline._meta.db_table, Case._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    User.objects.filter(username__startswith=f"{MARK.lower()}-").delete()
    Agency.objects.filter(name__startswith=f"{MARK}-").delete()


def timed(func):
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def rolled_back(func):
    """Run func in a transaction that is then rolled back; return its time and value."""
    with transaction.atomic():
        elapsed, value = timed(func)
        transaction.set_rollback(True)
    return elapsed, value


def hand_sql(today):
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, [today])
        return cursor.rowcount


def vacuum():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_deadline")
        cursor.execute("VACUUM ANALYZE workflow_notification")


def analyze_notices():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_notification")


def restore(ids) -> None:
    """Undo a sweep: the marked deadlines open again, none of its notices left (the past ones stay)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflow_notification WHERE event_key NOT LIKE 'history:%'")
    for start in range(0, len(ids), 5000):
        Deadline.objects.filter(pk__in=ids[start:start + 5000]).update(status=DeadlineStatus.OPEN, overdue_at=None)
    Deadline.objects.filter(warned_for__isnull=False).update(warned_for=None)  # the warnings are to write again
    vacuum()


NOTICE_COLUMNS = ("recipient_id, case_id, deadline_id, event_key, kind, title, body, due_date, created_at, email_to, "
                  "text_id, params")


def keep_notices() -> None:
    """Keep a copy of the notices a sweep wrote, for the hand-written SQL of the whole job."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_notices")
        cursor.execute(f"CREATE TABLE bench_notices AS SELECT {NOTICE_COLUMNS} FROM workflow_notification "  # noqa: S608
                       f"WHERE event_key NOT LIKE 'history:%'")


def hand_sql_whole_job(today) -> int:
    """The marking UPDATE, the UPDATE of the warned deadlines' warned-for date and one INSERT of the very notices
    the sweep wrote (computed beforehand), committed: the sweep's result, without choosing anyone or any text."""
    horizon = warn_horizon(today=today, working_days=settings.DEADLINE_WARN_WORKING_DAYS,
                           schedule=database_schedule())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(HAND_SQL, [today])
        cursor.execute(HAND_WARNED_SQL, [today, horizon])
        cursor.execute(f"INSERT INTO workflow_notification ({NOTICE_COLUMNS}) SELECT {NOTICE_COLUMNS} "
                       f"FROM bench_notices ON CONFLICT DO NOTHING")
        return cursor.rowcount


def explain(sql, params) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
        plan = "\n".join(re.sub(r"'\{[^}]{200,}\}'", "'{...}'", row[0]) for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--due-share", type=float, default=0.01)
    parser.add_argument("--history", type=int, default=1_000_000, help="past notices already in the table")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/sweep.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    present = Deadline.objects.filter(case__number__startswith=f"{MARK}-").count()
    if args.rebuild or present != args.deadlines:
        clear()
        build(args.deadlines, args.due_share)
    history = Notification.objects.filter(event_key__startswith="history:").count()
    if history != args.history:
        Notification.objects.filter(event_key__startswith="history:").delete()
        build_history(args.history)
    today = timezone.localdate()
    due = Deadline.objects.filter(status=DeadlineStatus.OPEN, met_at__isnull=True, due_date__lt=today).count()
    total = Deadline.objects.count()
    print(f"{total:,} deadlines, {due:,} open and past due ({due / total:.2%}); today {today}", flush=True)

    rounds = []
    for n in range(1, args.rounds + 1):
        vacuum()
        sql_time, sql_rows = rolled_back(lambda: hand_sql(today))
        vacuum()
        mark_time, marked = rolled_back(lambda: mark_overdue(today=today, now=timezone.now()))
        vacuum()
        sweep_time, result = timed(lambda: sweep_deadlines(email=False))
        analyze_notices()  # what autovacuum does after so many inserts; the planner then uses the unique index
        idle_time, idle = timed(lambda: sweep_deadlines(email=False))
        later_time, later = timed(lambda: sweep_deadlines(email=False))  # as beat's next runs, nothing due
        notices = Notification.objects.exclude(event_key__startswith="history:").count()
        keep_notices()
        email_time, emailed = timed(deliver_pending_emails)
        assert sql_rows == len(marked) == result.overdue == due, (sql_rows, len(marked), result.overdue, due)
        assert idle.overdue == 0 and idle.warned == 0 and later.overdue == 0 and later.warned == 0
        marked_ids = list(Deadline.objects.filter(status=DeadlineStatus.OVERDUE, overdue_at__isnull=False)
                          .values_list("id", flat=True))
        restore(marked_ids)
        job_time, inserted = timed(lambda: hand_sql_whole_job(today))
        assert inserted == notices, (inserted, notices)
        restore(marked_ids)
        rounds.append((sql_time, mark_time, sweep_time, idle_time, email_time, job_time, later_time))
        print(f"round {n}: marking: hand SQL {sql_time * 1000:.0f} ms, sweep's statement {mark_time * 1000:.0f} ms"
              f" | whole job: hand SQL {job_time * 1000:.0f} ms, sweep {sweep_time * 1000:.0f} ms"
              f" ({result.overdue:,} overdue, {result.warned:,} warned, {notices:,} notices)"
              f" | second sweep {idle_time * 1000:.0f} ms, third {later_time * 1000:.0f} ms"
              f" | {emailed:,} e-mails {email_time * 1000:.0f} ms", flush=True)

    med = [statistics.median(r[i] for r in rounds) for i in range(7)]
    ratios = sorted(r[2] / r[5] for r in rounds)
    print()
    print(f"median of {len(rounds)} rounds:")
    print(f"  marking {due:,} deadlines, hand-written SQL UPDATE     {med[0] * 1000:8.0f} ms")
    print(f"  marking {due:,} deadlines, the sweep's statement       {med[1] * 1000:8.0f} ms  ({med[1] / med[0]:.2f}x)")
    print(f"  whole job, hand-written SQL (UPDATE + INSERT notices) {med[5] * 1000:8.0f} ms")
    print(f"  whole job, the sweep                                  {med[2] * 1000:8.0f} ms  ({med[2] / med[5]:.2f}x;"
          f" rounds {', '.join(f'{r:.2f}x' for r in ratios)})")
    print(f"  second sweep, right after, nothing new due            {med[3] * 1000:8.0f} ms")
    print(f"  third sweep, nothing due                              {med[6] * 1000:8.0f} ms")
    print(f"  e-mails of those notices (in-memory backend)          {med[4] * 1000:8.0f} ms")
    print(f"  Python {sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); reference loop "
          f"(2 million additions): {reference_loop_ms():.0f} ms; load average {os.getloadavg()[0]:.2f}")
    print()
    print("plan of the hand-written SQL:")
    print(explain(HAND_SQL, [today]))
    print()
    print("plan of the sweep's marking statement:")
    print(explain("UPDATE workflow_deadline SET status = 'overdue', overdue_at = now() WHERE id = ANY(ARRAY("
                  "SELECT id FROM workflow_deadline WHERE status = 'open' AND met_at IS NULL AND due_date < %s "
                  "FOR UPDATE SKIP LOCKED)) RETURNING id", [today]))
    print()
    from workflow.models.deadline import UNWARNED

    horizon = warn_horizon(today=today, working_days=2, schedule=database_schedule())
    sweep_deadlines(email=False)  # the warnings are written: what every later sweep sees
    vacuum()
    unwarned = (Deadline.objects.filter(UNWARNED, due_date__gte=today, due_date__lte=horizon).order_by()
                .values("id"))
    select, params = unwarned.query.sql_with_params()
    print(f"plan of a later sweep's claim of the deadlines to warn ({today} to {horizon}; all warned already):")
    print(explain(f"UPDATE workflow_deadline SET warned_for = due_date WHERE id = ANY(ARRAY({select} "
                  f"FOR UPDATE SKIP LOCKED)) RETURNING id, due_date", params))
    restore(list(Deadline.objects.filter(status=DeadlineStatus.OVERDUE, overdue_at__isnull=False)
                 .values_list("id", flat=True)))


if __name__ == "__main__":
    main()
