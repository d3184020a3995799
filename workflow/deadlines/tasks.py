"""Celery tasks of the workflow app. A task only loads what it needs and calls a service; each is idempotent
because the services are (notifications are unique per recipient and event)."""

from celery import shared_task

from workflow.deadlines.sweep import sweep_deadlines
from workflow.notifications.services import deliver_pending_emails


@shared_task(name="workflow.tasks.sweep_deadlines_task")
def sweep_deadlines_task() -> dict:
    """The deadline watcher on Celery beat (settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"])."""
    return sweep_deadlines().as_dict()


@shared_task(name="workflow.tasks.send_notification_emails_task")
def send_notification_emails_task(*, recipient_ids=None, event_keys=None) -> int:
    """E-mail the notifications just written by a transition; what fails is retried by the next sweep."""
    return deliver_pending_emails(recipient_ids=recipient_ids, event_keys=event_keys)
