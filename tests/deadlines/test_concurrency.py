"""Exactly once under concurrency and crashes, enforced by PostgreSQL (row locks and the unique constraint)."""

import contextlib
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from tests.casebuilder import case_in_state
from workflow.deadlines.sweep import sweep_deadlines
from workflow.models import Deadline, Notification

pytestmark = pytest.mark.django_db(transaction=True)

NOTICES_PER_DEADLINE = 5  # investigator (overdue), head and two procurators (escalated), judge (awaited)


def users():
    seed_agencies_and_users()
    return {u.username: u for u in User.objects.select_related("agency")}


def overdue_deadlines(case, count):
    today = timezone.localdate()
    Deadline.objects.bulk_create([
        Deadline(case=case, kind="filing_review", legal_basis="Opinions Art. 5 ¶2", owed_by=case.police_agency,
                 start_date=today - timedelta(days=10 + i % 5), due_date=today - timedelta(days=3 + i % 5),
                 period_days=7, explanation="x")
        for i in range(count)
    ])
    return list(Deadline.objects.filter(case=case, status="open", due_date__lt=today).values_list("id", flat=True))


def run_in_threads(target, count):
    barrier, results, errors = threading.Barrier(count), [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def test_two_sweeps_at_once_notify_each_event_once(require_postgres):
    people = users()
    case = case_in_state(people, "investigating")
    ids = overdue_deadlines(case, 300)
    Notification.objects.all().delete()  # the transfer's own notices, irrelevant here

    results, errors = run_in_threads(lambda: sweep_deadlines(email=False), 2)

    assert not errors
    assert sum(r.overdue for r in results) == 300  # each deadline marked by exactly one of them
    assert set(Deadline.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"overdue"}
    notices = Notification.objects.filter(deadline_id__in=ids)
    assert notices.count() == 300 * NOTICES_PER_DEADLINE
    pairs = list(notices.values_list("recipient_id", "event_key"))
    assert len(pairs) == len(set(pairs))
    # and a third sweep finds nothing left to do
    again = sweep_deadlines(email=False)
    assert again.overdue == 0 and notices.count() == 300 * NOTICES_PER_DEADLINE


def test_four_sweeps_warn_at_once_without_duplicates(require_postgres):
    people = users()
    case = case_in_state(people, "investigating")
    today = timezone.localdate()
    Deadline.objects.bulk_create([
        Deadline(case=case, kind="filing_review", legal_basis="Opinions Art. 5 ¶2", owed_by=case.police_agency,
                 start_date=today - timedelta(days=7), due_date=today, period_days=7, explanation="x")
        for _ in range(100)
    ])
    results, errors = run_in_threads(lambda: sweep_deadlines(email=False), 4)
    assert not errors
    warnings = Notification.objects.filter(kind="deadline_warning")
    assert warnings.count() == 100  # one investigator per deadline due today, however many sweeps ran
    assert len(set(warnings.values_list("recipient_id", "event_key"))) == 100


def test_a_sweep_that_dies_halfway_is_redone_exactly_once(require_postgres):
    """The sweeper's connection is killed while it waits to write a notice: its marks roll back with it, and the
    next sweep marks and notifies everything once."""
    people = users()
    case = case_in_state(people, "investigating")
    ids = overdue_deadlines(case, 20)
    Notification.objects.all().delete()
    first = Deadline.objects.get(pk=min(ids))
    key = f"deadline:{first.pk}:{first.due_date.isoformat()}:overdue"
    hold, release, sweeper_pid = threading.Event(), threading.Event(), []
    outcome = {}

    def blocker():
        # Another transaction writes the same notice and keeps it uncommitted: the sweeper must wait for it.
        try:
            with transaction.atomic():
                Notification.objects.create(recipient=people["police_investigator"], event_key=key,
                                            kind="deadline_overdue", title="held")
                hold.set()
                release.wait(30)
                transaction.set_rollback(True)
        finally:
            connections.close_all()

    def sweeper():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                sweeper_pid.append(cursor.fetchone()[0])
            outcome["result"] = sweep_deadlines(email=False)
        except Exception as exc:  # the killed connection
            outcome["error"] = exc
        finally:
            with contextlib.suppress(Exception):  # the connection is already gone
                connections.close_all()

    b = threading.Thread(target=blocker)
    b.start()
    assert hold.wait(10)
    s = threading.Thread(target=sweeper)
    s.start()
    with connection.cursor() as cursor:
        for _ in range(200):
            if sweeper_pid:
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [sweeper_pid[0]])
                row = cursor.fetchone()
                if row and row[0] == "Lock":
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the sweeper never waited for the held notice")
        # The sweeper has marked the deadlines (uncommitted) and is stuck on the notice: kill its backend.
        cursor.execute("SELECT pg_terminate_backend(%s)", [sweeper_pid[0]])
    s.join(30)
    release.set()
    b.join(30)

    assert "error" in outcome and "result" not in outcome
    assert set(Deadline.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"open"}
    assert not Notification.objects.exists()

    result = sweep_deadlines(email=False)
    assert result.overdue == 20
    notices = Notification.objects.filter(deadline_id__in=ids)
    assert notices.count() == 20 * NOTICES_PER_DEADLINE
    assert notices.filter(event_key=key).count() == NOTICES_PER_DEADLINE
    assert sweep_deadlines(email=False).overdue == 0 and notices.count() == 20 * NOTICES_PER_DEADLINE
