"""Celery application: the broker is Redis when REDIS_URL is set; otherwise tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")

app = Celery("refusal_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The task modules live in the packages of the capability they serve.
app.autodiscover_tasks(["documents", "workflow.deadlines", "workflow.notifications"])
app.autodiscover_tasks(["workflow.cases"], related_name="content_jobs")
