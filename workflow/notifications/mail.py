"""The e-mails of notifications: each sent once, several new ones to one person as one digest.

A batch is claimed (``SELECT ... FOR UPDATE SKIP LOCKED``), sent and marked sent (``emailed_at``) in one
transaction: two senders never send the same one (the second skips the rows the first holds, then finds them
sent), and a sender that fails or dies before its commit leaves them unsent for the next attempt (its row locks
go with its connection). Only a death between the mail server's acceptance and the commit could send one twice.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import ngettext

from workflow.models import Notification
from workflow.notifications.texts import shown


def _pending() -> QuerySet[Notification]:
    return Notification.objects.filter(emailed_at__isnull=True).exclude(email_to="")


def deliver_pending_emails(*, recipient_ids=None, event_keys=None, batch_size: int = 1000) -> int:
    """Send the e-mails of notifications not yet e-mailed; returns how many e-mails were sent.

    Each batch is claimed, skipping rows another sender holds, sent and marked sent in one transaction; a batch
    whose sending fails is rolled back for the next attempt. A person with several new notifications in a batch
    gets them in one e-mail.
    """
    pending = _pending()
    if recipient_ids is not None:
        pending = pending.filter(recipient_id__in=recipient_ids)
    if event_keys is not None:
        pending = pending.filter(event_key__in=event_keys)
    sent, after = 0, 0
    while True:
        with transaction.atomic():
            # id > after: the index entries of rows already claimed are skipped, not rescanned batch after batch.
            claimed = list(pending.filter(pk__gt=after).select_for_update(skip_locked=True, of=("self",))
                           .order_by("id").values_list(*_Mail._fields)[:batch_size])
            if not claimed:
                return sent
            claimed = [_Mail(*row) for row in claimed]
            after = claimed[-1].id
            Notification.objects.filter(pk__in=[n.id for n in claimed]).update(emailed_at=timezone.now())
            messages = _emails(claimed)
            with get_connection() as mail_connection:
                mail_connection.send_messages(messages)
        sent += len(messages)


class _Mail(NamedTuple):
    id: int
    case_id: int | None
    title: str
    body: str
    email_to: str
    recipient__language: str
    text_id: str
    params: dict


def _emails(notifications: list[_Mail]) -> list[EmailMessage]:
    """One e-mail per address, in the recipient's language at sending: the notification itself, or a digest when
    several arrived together."""
    by_address: dict[tuple[str, str], list[_Mail]] = {}
    for n in notifications:
        by_address.setdefault((n.email_to, n.recipient__language or settings.LANGUAGE_CODE), []).append(n)
    messages = []
    for (address, language), items in by_address.items():
        parts, texts = [], [shown(n, language) for n in items]
        for n, (title, body) in zip(items, texts, strict=True):
            text = body if len(items) == 1 else f"{title}\n{body}"
            parts.append(f"{text}\n{settings.PUBLIC_BASE_URL}/cases/{n.case_id}/" if n.case_id else text)
        if len(items) == 1:
            subject = texts[0][0]
        else:
            with translation.override(language):
                subject = ngettext("%(count)d new notification", "%(count)d new notifications",
                                   len(items)) % {"count": len(items)}
        messages.append(EmailMessage(subject=subject, body="\n\n".join(parts),
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[address]))
    return messages
