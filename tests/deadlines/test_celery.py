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
