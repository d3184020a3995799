"""A worker killed with SIGKILL while it sends e-mails: its task is handed out again once the visibility timeout
has passed, and every e-mail goes out exactly once (nothing was sent by the dead worker, nothing twice after).

Real parts only: a redis-server of the test's own, Celery workers in processes of their own on the test's
PostgreSQL database, SIGKILL, and e-mails written to files by Django's file backend."""

import email
import os
import signal
import subprocess
import time

import pytest
from django.db import transaction

from agencies.models import User
from outbox.models import Job
from outbox.services import run_pending_jobs
from tests.reliability.conftest import PYTHON, ROOT, app_environment, broker_at, database_url, stop, wait_for
from tests.reliability.slow_mail import sent_messages
from workflow.models import Notification
from workflow.notifications.services import notify

VISIBILITY_TIMEOUT = 2  # seconds; an hour is Redis's default, five minutes the project's


def start_worker(server, tmp_path, name, **env):
    log = (tmp_path / f"{name}.log").open("w")
    process = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "refusal_cases", "worker", "--pool", "solo", "--without-gossip",
         "--without-mingle", "--loglevel", "INFO", "--hostname", f"{name}-{server.port}@%h"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env=app_environment(REDIS_URL=server.url, DATABASE_URL=database_url(),
                            EMAIL_BACKEND="tests.reliability.slow_mail.SlowFileBackend",
                            SLOW_MAIL_DIR=str(tmp_path / "mail"), SLOW_MAIL_MARK=str(tmp_path / "sending"),
                            CELERY_VISIBILITY_TIMEOUT_SECONDS=str(VISIBILITY_TIMEOUT), **env))
    return process


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_leaves_every_email_to_be_sent_exactly_once(
        require_postgres, demo, own_redis, tmp_path):
    (tmp_path / "mail").mkdir()
    readers = list(User.objects.filter(username__in=["police_clerk", "procurator", "creditor"]).order_by("pk"))
    own_redis.start()
    with broker_at(own_redis.url), transaction.atomic():
        notify(recipients=readers, event_key="event:killed-worker", kind="transfer_received",
               text_id="transfer_received", params={"number": "N-17", "debtor": "张伟", "creditor": "", "sender": ""})
    job = Job.objects.get()
    assert job.queued_at is not None  # handed to the test's broker after the commit

    first = start_worker(own_redis, tmp_path, "first", SLOW_MAIL_SECONDS="60")
    try:
        wait_for(lambda: (tmp_path / "sending").exists(), timeout=90)  # the worker is in the middle of sending
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    # Nothing went out and nothing is marked sent: the claim died with the worker's connection.
    assert sent_messages(tmp_path / "mail") == []
    wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=False).exists(), timeout=30)
    job.refresh_from_db()
    assert job.done_at is None and job.attempts == 1

    time.sleep(VISIBILITY_TIMEOUT + 1)  # the unacknowledged task becomes visible again
    second = start_worker(own_redis, tmp_path, "second")
    try:
        wait_for(lambda: Job.objects.filter(pk=job.pk, done_at__isnull=False).exists(), timeout=90)
    finally:
        stop(second)
    job.refresh_from_db()
    assert job.attempts == 2  # the redelivery, not a catch-up, finished it
    assert run_pending_jobs(everything=True) == 0  # and the catch-up finds nothing more to do

    sent = [email.message_from_bytes(m) for m in sent_messages(tmp_path / "mail")]
    assert sorted(m["To"] for m in sent) == sorted(u.email for u in readers)  # each reader once
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
