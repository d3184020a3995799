"""Celery tasks of the deadlines. A task only loads what it needs and calls a service; each is idempotent
because the services are (notifications are unique per recipient and event)."""

from celery import shared_task

from refusal_cases.locks import single_run
from workflow.deadlines.sweep import sweep_deadlines
from workflow.deadlines.tally import compact_deadline_tally


@shared_task(name="workflow.tasks.sweep_deadlines_task")
@single_run("sweep-deadlines")
def sweep_deadlines_task() -> dict:
    """The deadline watcher on Celery beat (settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]); None, doing nothing,
    while another sweep runs."""
    return sweep_deadlines().as_dict()


@shared_task(name="workflow.tasks.compact_deadline_tally_task")
@single_run("compact-deadline-tally")
def compact_deadline_tally_task() -> int | None:
    """Fold the deadline list's tally into one row per agency, status and kind (settings.CELERY_BEAT_SCHEDULE
    ["compact-deadline-tally"]), so that a count sums a few rows however many statements wrote since."""
    return compact_deadline_tally()
