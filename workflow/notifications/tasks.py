"""Celery tasks of the notifications: the e-mails written by a transition or a record, sent after the commit."""

from celery import shared_task

from outbox.services import enqueue
from workflow.notifications.mail import deliver_pending_emails


@shared_task(name="workflow.tasks.send_notification_emails_task")
def send_notification_emails_task(*, recipient_ids=None, event_keys=None) -> int:
    """E-mail the notifications just written by a transition; what fails is retried by the next sweep."""
    return deliver_pending_emails(recipient_ids=recipient_ids, event_keys=event_keys)


def queue_emails(*, recipient_ids=None, event_keys=None) -> None:
    """Write the sending of these notifications' e-mails into the outbox, in the caller's transaction; it is
    handed to a worker (in-process when no broker is configured) once that commits."""
    enqueue(send_notification_emails_task.name, recipient_ids=recipient_ids, event_keys=event_keys)
