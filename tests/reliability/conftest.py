"""Real faults for the outbox's tests: a broker at a closed port, a Redis of the test's own that is killed and
started again, Celery workers in the test process and in processes of their own."""

import contextlib
import sys
import time
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from kombu import pools as kombu_pools

from outbox import services
from outbox.models import Job
from refusal_cases.celery import app as celery_app
from tests.ops.conftest import ROOT, RedisServer, app_environment, free_port, stop, wait_for
from workflow.models import Notification

__all__ = ["ROOT", "RedisServer", "app_environment", "free_port", "stop", "wait_for"]


def _drop_connections() -> None:
    services._broker_paused_until = 0.0  # a new broker is tried at once
    kombu_pools.reset()  # connections and producers to the previous broker go
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def broker_at(url: str):
    """Celery in this process publishes to (and an in-process worker consumes from) ``url``; afterwards the
    test run's own settings again."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    _drop_connections()
    conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        yield
    finally:
        _drop_connections()
        conf.update(saved)


@pytest.fixture
def own_redis(tmp_path, require_redis):
    """A redis-server of the test's own on a free port (not started yet); killed at the end."""
    server = RedisServer(tmp_path)
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def quick_catch_up(settings):
    """The catch-up takes at once what is not queued or not finished (in production: after a minute, after ten)."""
    settings.OUTBOX_QUEUE_GRACE_SECONDS = 0
    settings.OUTBOX_RETRY_AFTER_MINUTES = 0


@contextlib.contextmanager
def in_process_worker():
    from celery.contrib.testing.worker import start_worker

    # The default queue, where the outbox queues its jobs, named: a worker started earlier in this process with a
    # queue of its own left the app consuming from that one.
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING",
                      queues=[celery_app.conf.task_default_queue]):
        yield


def all_jobs_done() -> bool:
    """every job of the outbox has run to its end"""
    return not Job.objects.filter(done_at__isnull=True).exists()


def catch_up_until_done(*, rounds: int = 4, each: float = 45) -> None:
    """Queue the catch-up as Celery beat does, again after a while if jobs are still owed (a job that failed, e.g.
    on the test's in-memory SQLite shared between threads, is retried by the next round, as in production)."""
    from outbox.tasks import run_pending_jobs_task

    for _ in range(rounds):
        run_pending_jobs_task.delay()
        try:
            wait_for(all_jobs_done, timeout=each)
            return
        except AssertionError:
            continue
    left = list(Job.objects.filter(done_at__isnull=True).values_list("name", "attempts", "queued_at", "last_error"))
    raise AssertionError(f"jobs left after {rounds} catch-ups: {left}")


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def emails_per_notice() -> Counter:
    """How many e-mails went out for each notification with an address: (address, subject) of each e-mail."""
    return Counter((message.to[0], message.subject) for message in mail.outbox)


def expected_emails() -> Counter:
    return Counter((n.email_to, n.title) for n in Notification.objects.exclude(email_to=""))


def database_url() -> str:
    """The test database, for a worker in a process of its own (PostgreSQL only)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


PYTHON = sys.executable
