"""Celery application: the broker is Redis when REDIS_URL is set; otherwise tasks run in-process.

Every job is timed and logged with the ids of the request that queued it (refusal_cases.jobs).
"""

import os

from celery import Celery

from refusal_cases import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")

app = Celery("refusal_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The task modules live in the packages of the capability they serve.
app.autodiscover_tasks(["documents", "workflow.cases", "workflow.deadlines", "workflow.notifications", "refusal_cases",
                        "outbox"])
app.autodiscover_tasks(["workflow.cases"], related_name="content_jobs")

__all__ = ["app", "jobs"]
