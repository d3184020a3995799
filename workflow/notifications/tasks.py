"""Celery tasks of the notifications: the e-mails written by a transition or a record, sent after the commit."""

import logging

from celery import shared_task

from workflow.notifications.mail import deliver_pending_emails

log = logging.getLogger(__name__)


@shared_task(name="workflow.tasks.send_notification_emails_task")
def send_notification_emails_task(*, recipient_ids=None, event_keys=None) -> int:
    """E-mail the notifications just written by a transition; what fails is retried by the next sweep."""
    return deliver_pending_emails(recipient_ids=recipient_ids, event_keys=event_keys)


def queue_emails(*, recipient_ids=None, event_keys=None) -> None:
    """Hand the e-mails of these notifications to the worker (in-process when no broker is configured)."""
    try:
        send_notification_emails_task.delay(recipient_ids=recipient_ids, event_keys=event_keys)
    except Exception:  # the notifications are saved; the next sweep sends what is still pending
        log.exception("could not queue notification e-mails")
