"""Celery tasks of the deadlines. A task only loads what it needs and calls a service; each is idempotent
because the services are (notifications are unique per recipient and event)."""

from celery import shared_task

from workflow.deadlines.sweep import sweep_deadlines


@shared_task(name="workflow.tasks.sweep_deadlines_task")
def sweep_deadlines_task() -> dict:
    """The deadline watcher on Celery beat (settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"])."""
    return sweep_deadlines().as_dict()
