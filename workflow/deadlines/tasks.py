"""Celery tasks of the deadlines. A task only loads what it needs and calls a service; each is idempotent
because the services are (notifications are unique per recipient and event)."""

from celery import shared_task

from refusal_cases.locks import single_run
from workflow.deadlines.sweep import sweep_deadlines


@shared_task(name="workflow.tasks.sweep_deadlines_task")
@single_run("sweep-deadlines")
def sweep_deadlines_task() -> dict:
    """The deadline watcher on Celery beat (settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]); None, doing nothing,
    while another sweep runs."""
    return sweep_deadlines().as_dict()
