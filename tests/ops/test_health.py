"""GET /health/: what an orchestrator and an operator read (api.md), without login."""

import socket

import pytest
import time_machine
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

from tests.ops.conftest import free_port, wait_for
from workflow.models import CalendarYear

CHECKS = {"database", "broker", "worker", "storage", "calendar", "outbox"}


def test_health_answers_without_login_with_every_check(client, db, in_process):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] in {"ok", "warning"}
    assert set(body["checks"]) == CHECKS
    assert all(check["ok"] for check in body["checks"].values())


@time_machine.travel("2025-06-02 10:00 +0800", tick=False)
def test_a_calendar_without_next_year_is_a_warning_not_an_outage(client, db, in_process):
    calendar = client.get("/health/").json()["checks"]["calendar"]
    assert (calendar["ok"], calendar["warning"], calendar["missing_years"]) == (True, False, [])
    CalendarYear.objects.filter(year=2026).delete()
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "warning"
    assert response.json()["checks"]["calendar"]["missing_years"] == [2026]


def test_work_left_undone_in_the_outbox_is_a_warning_with_its_age(client, db, in_process, settings):
    from datetime import timedelta

    from django.utils import timezone

    from outbox.models import Job

    outbox = client.get("/health/").json()["checks"]["outbox"]
    assert (outbox["pending"], outbox["given_up"], outbox["oldest_due_seconds"], outbox["warning"]) == (
        0, 0, None, False)
    now = timezone.now()
    Job.objects.create(name="documents.tasks.render_document_task", args=[1], run_after=now)  # just written
    Job.objects.create(name="workflow.tasks.done", done_at=now, run_after=now - timedelta(days=1))  # done: not counted
    outbox = client.get("/health/").json()["checks"]["outbox"]
    assert (outbox["pending"], outbox["given_up"], outbox["warning"]) == (1, 0, False)
    # One due for an hour: the worker or the broker is not taking the work.
    Job.objects.create(name="documents.tasks.render_document_task", args=[2], run_after=now - timedelta(hours=1))
    response = client.get("/health/")
    assert response.status_code == 200 and response.json()["status"] == "warning"
    outbox = response.json()["checks"]["outbox"]
    assert outbox["pending"] == 2 and outbox["warning"] is True and 3590 <= outbox["oldest_due_seconds"] <= 3700
    Job.objects.filter(args=[2]).update(done_at=now)
    assert client.get("/health/").json()["checks"]["outbox"]["warning"] is False
    # One given up on after its attempts: a warning whatever its age.
    Job.objects.filter(args=[1]).update(attempts=settings.OUTBOX_MAX_ATTEMPTS, last_error="OSError: disk full")
    outbox = client.get("/health/").json()["checks"]["outbox"]
    assert (outbox["given_up"], outbox["warning"]) == (1, True)


def test_health_is_503_while_the_database_is_unreachable_and_200_again(client, db, in_process):
    closed_port = free_port()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", closed_port), timeout=1):
        pass
    working = connections["default"]
    unreachable = PostgresWrapper({**working.settings_dict, "ENGINE": "django.db.backends.postgresql",
                                   "HOST": "127.0.0.1", "PORT": closed_port, "NAME": "refusal", "USER": "refusal",
                                   "PASSWORD": "", "OPTIONS": {"connect_timeout": 2}}, alias="default")
    connections["default"] = unreachable
    try:
        response = client.get("/health/")
    finally:
        connections["default"] = working
        unreachable.close()
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["ok"] is False
    assert client.get("/health/").status_code == 200


def test_health_is_503_while_the_broker_is_down_and_200_when_it_returns(client, db, settings, redis_server,
                                                                          celery_worker, queued_celery):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_server.url

    def status():
        return client.get("/health/")

    up = wait_for(lambda: (answer := status()).status_code == 200 and answer, timeout=60)
    assert up.json()["checks"]["worker"]["workers"] == [f"ops-test-{redis_server.port}@{socket.gethostname()}"]
    assert up.json()["checks"]["broker"]["queued"] == 0

    redis_server.kill()
    down = status()
    assert down.status_code == 503
    assert down.json()["checks"]["broker"]["ok"] is False
    worker = down.json()["checks"]["worker"]
    assert (worker["ok"], worker["error"]) == (False, "broker down")

    redis_server.start()
    back = wait_for(lambda: (answer := status()).status_code == 200 and answer, timeout=60)
    assert back.json()["status"] in {"ok", "warning"}
