"""The beat job: run by a real Celery worker on Redis, or in-process when no REDIS_URL is set."""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from tests.casebuilder import case_in_state
from workflow.models import Deadline, Notification
from workflow.notifications.services import build, save_notifications

ROOT = Path(__file__).resolve().parents[2]


def a_deadline_due_days_ago(days=3):
    seed_agencies_and_users()
    people = {u.username: u for u in User.objects.select_related("agency")}
    case = case_in_state(people, "filing_review")
    deadline = case.deadlines.get(kind="filing_review")
    Deadline.objects.filter(pk=deadline.pk).update(due_date=timezone.localdate() - timedelta(days=days))
    return deadline


def test_the_beat_schedule_names_the_sweep_task():
    from refusal_cases.celery import app
    from workflow.deadlines import tasks  # noqa: F401 - registers the tasks

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]
    assert entry["task"] in app.tasks
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_a_worker_discovers_every_task_under_the_name_queued_tasks_and_beat_use():
    """Tasks live with their capability; the names stay those already queued and scheduled."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    code = ("import json, django; django.setup(); from refusal_cases.celery import app; "
            "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    assert {"workflow.tasks.sweep_deadlines_task", "workflow.tasks.send_notification_emails_task",
            "documents.tasks.render_pending_documents_task"} <= set(json.loads(out.stdout))


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_pending_emails(require_redis, mailoutbox):
    from celery.contrib.testing.worker import start_worker

    from refusal_cases.celery import app

    seed_agencies_and_users()
    users = list(User.objects.filter(username__in=["police_clerk", "procurator"]).order_by("username"))
    save_notifications([build(recipient=u, event_key="event:worker", kind="transfer_received",
                              text_id="transfer_received",
                              params={"number": "N1", "debtor": "张伟", "creditor": "", "sender": "某法院"})
                        for u in users], email=False)
    queue = f"test-mail-{uuid.uuid4().hex}"
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        sent = app.send_task("workflow.tasks.send_notification_emails_task", queue=queue,
                             kwargs={"event_keys": ["event:worker"]}).get(timeout=60)
    assert sent == 2 and sorted(m.to[0] for m in mailoutbox) == [u.email for u in users]
    assert not Notification.objects.filter(event_key="event:worker", emailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_beat_job_and_marks_the_deadline_overdue(require_redis):
    from celery.contrib.testing.worker import start_worker

    from refusal_cases.celery import app
    from workflow.deadlines import tasks  # noqa: F401

    deadline = a_deadline_due_days_ago()
    assert not app.conf.task_always_eager
    queue = f"test-sweep-{uuid.uuid4().hex}"  # our own queue: nothing else on the broker is consumed
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        name = settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]["task"]
        result = app.send_task(name, queue=queue).get(timeout=60)
    assert result["overdue"] == 1
    deadline.refresh_from_db()
    assert deadline.status == "overdue"
    assert Notification.objects.filter(deadline=deadline, kind="deadline_escalated").exists()


def test_without_redis_url_tasks_run_in_process():
    """The settings choose in-process execution when REDIS_URL is unset."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    code = ("import json; from django.conf import settings; "
            "print(json.dumps([settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == [True, "memory://"]


def test_the_same_job_in_process_marks_the_deadline_overdue(db, eager_celery):
    from workflow.deadlines.tasks import sweep_deadlines_task

    deadline = a_deadline_due_days_ago()
    result = sweep_deadlines_task.delay().get()
    assert result["overdue"] == 1
    deadline.refresh_from_db()
    assert deadline.status == "overdue"
