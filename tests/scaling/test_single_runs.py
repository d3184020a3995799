"""However many beats and workers run, each scheduled job runs once at a time and only one beat queues: PostgreSQL
advisory locks (refusal_cases.locks, refusal_cases.beat), held on real database sessions."""

import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from refusal_cases.beat import STANDBY_RETRY_SECONDS, SingleBeatScheduler
from refusal_cases.celery import app as celery_app
from refusal_cases.locks import lock_key, single_run
from tests.casebuilder import case_in_state
from workflow.cases.tasks import seal_audit_chains_task
from workflow.deadlines.tasks import sweep_deadlines_task
from workflow.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def running_elsewhere(name: str):
    """Another machine's run of the job: its lock held on a database session of its own."""
    session = connections.create_connection("default")
    with session.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(name)])
    try:
        yield
    finally:
        with session.cursor() as cursor:  # that run ends (a session's end releases it too, a moment later)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key(name)])
        session.close()


def test_a_sweep_while_another_runs_does_nothing_and_the_next_does_the_work(require_postgres, demo):
    case = case_in_state(demo, "filing_review")
    review = case.deadlines.get(kind="filing_review")
    review.due_date = timezone.localdate() - timedelta(days=3)
    review.save(update_fields=["due_date"])
    with running_elsewhere("sweep-deadlines"):
        assert sweep_deadlines_task() is None
        review.refresh_from_db()
        assert review.status == "open" and not Notification.objects.filter(deadline=review).exists()
    assert sweep_deadlines_task()["overdue"] == 1
    review.refresh_from_db()
    assert review.status == "overdue" and Notification.objects.filter(deadline=review).exists()


def test_audit_seals_while_another_run_seals_do_nothing(require_postgres, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # seals of its own: a later check of the whole trail must not find them
    case_in_state(demo, "transferred")
    with running_elsewhere("seal-audit-chains"):
        assert seal_audit_chains_task() is None
    assert seal_audit_chains_task() >= 1  # the chain that grew is sealed by the next run


def test_two_runs_at_once_one_does_the_work(require_postgres):
    inside, leave, work = threading.Event(), threading.Event(), []

    @single_run("probe-job")
    def job(n):
        work.append(n)
        inside.set()
        leave.wait(10)
        return n

    def first():
        try:
            job(1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(10)
    assert job(2) is None  # at the same time: another session holds the job's lock
    leave.set()
    thread.join(10)
    assert work == [1]
    assert job(3) == 3 and work == [1, 3]  # once the first is done, the next run goes ahead


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_second_beat_queues_nothing_until_the_first_is_gone(require_postgres, tmp_path, monkeypatch):
    # A task name no worker here knows: beat publishes it to the (in-memory) broker rather than running it.
    monkeypatch.setitem(celery_app.conf.beat_schedule, "probe",
                        {"task": "refusal_cases.probe_not_registered", "schedule": timedelta(seconds=1)})
    first = SingleBeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "first"), lazy=False)
    second = SingleBeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "second"), lazy=False)
    try:
        time.sleep(1.2)
        first.tick()
        assert second.tick() == STANDBY_RETRY_SECONDS
        assert (first.schedule["probe"].total_run_count, second.schedule["probe"].total_run_count) == (1, 0)
        first.close()  # the first beat stops: its session and lock go
        time.sleep(1.2)
        second.tick()
        assert second.schedule["probe"].total_run_count == 1
    finally:
        first.close()
        second.close()
