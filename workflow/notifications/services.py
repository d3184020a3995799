"""Notifications (procedure.md §4): one record per recipient and event, and an e-mail after commit.

Exactly once is kept by the database, not by Python: ``(event_key, recipient)`` is unique and every insert skips
what is already there (``INSERT ... ON CONFLICT DO NOTHING``), so a second sweep, two workers sweeping at once,
or a retry after a worker died halfway all leave one notification per person and event. E-mails are claimed
(``emailed_at`` set under ``SELECT ... FOR UPDATE SKIP LOCKED``) before they are sent, so that two senders
never send the same one.

Transitions that tell another organ something (a transfer arrives at the police, an explanation or a
supervision is requested, a private prosecution is filed, materials are missing) notify after their commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.models import User
from procedure.basis import basis_text
from procedure.notices import TransitionNotice
from procedure.states import DeadlineKind, EvidenceCategory
from procedure.transitions import TRANSITIONS
from workflow.models import Case, CaseEvent, Notification

log = logging.getLogger(__name__)

# text id -> (title, body); rendered in the recipient's language when the notification is written.
TEXTS = {
    "deadline_warning": (
        _("Deadline approaching: %(deadline)s, case %(number)s"),
        _("The %(deadline)s period of case %(number)s (debtor %(debtor)s), owed by %(agency)s, ends on %(due)s. "
          "Basis: %(basis)s."),
    ),
    "deadline_overdue": (
        _("Overdue: %(deadline)s, case %(number)s"),
        _("The %(deadline)s period of case %(number)s (debtor %(debtor)s), owed by %(agency)s, ended on %(due)s "
          "without the required act. Basis: %(basis)s."),
    ),
    "deadline_escalated_head": (
        _("Escalated: %(deadline)s overdue, case %(number)s"),
        _("%(agency)s let the %(deadline)s period of case %(number)s (debtor %(debtor)s) end on %(due)s without "
          "the required act. It is brought to you as a head of the agency. Basis: %(basis)s."),
    ),
    "deadline_escalated_supervision": (
        _("Escalated: %(deadline)s overdue, case %(number)s"),
        _("%(agency)s let the %(deadline)s period of case %(number)s (debtor %(debtor)s) end on %(due)s without "
          "the required act. It is brought to the procuratorate of the region for supervision (Opinions Art. 8). "
          "Basis: %(basis)s."),
    ),
    "deadline_awaited": (
        _("Still waiting: %(deadline)s, case %(number)s"),
        _("%(agency)s owed the act of the %(deadline)s period of case %(number)s (debtor %(debtor)s) by %(due)s "
          "and has not done it. Basis: %(basis)s."),
    ),
    "written_response_awaited": (
        _("No written response: case %(number)s"),
        _("%(agency)s has not answered the transfer of case %(number)s (debtor %(debtor)s) in writing within "
          "30 days; the period ended on %(due)s. Opinions Art. 12: the creditor may now be advised of the right "
          "to bring a private prosecution."),
    ),
    "transfer_received": (
        _("Transfer received: case %(number)s"),
        _("%(sender)s transferred case %(number)s (debtor %(debtor)s) to your agency. Accept the materials "
          "(Opinions Art. 5) and answer in writing within 30 days (Opinions Art. 12)."),
    ),
    "explanation_requested": (
        _("Explanation requested: case %(number)s"),
        _("%(sender)s requires your agency to explain in writing, within 7 days of receiving the notice, why "
          "case %(number)s (debtor %(debtor)s) was not filed or was withdrawn (Opinions Art. 8)."),
    ),
    "supervision_requested": (
        _("Supervision requested: case %(number)s"),
        _("%(sender)s asks your procuratorate to supervise the police's decision in case %(number)s "
          "(debtor %(debtor)s) (Opinions Art. 7)."),
    ),
    "private_prosecution_filed": (
        _("Private prosecution filed: case %(number)s"),
        _("%(creditor)s filed a private prosecution against %(debtor)s in case %(number)s. Review it within "
          "15 days (Opinions Art. 13, 14)."),
    ),
    "supplement_requested": (
        _("Materials missing: case %(number)s"),
        _("%(sender)s asks you to supplement the private prosecution in case %(number)s with: %(missing)s "
          "(Opinions Art. 13)."),
    ),
}


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@cache
def _formats(text_id: str, language: str) -> tuple[str, str]:
    title, body = TEXTS[text_id]
    with translation.override(language):
        return str(title), str(body)


@cache
def _deadline_label(kind: str, language: str) -> str:
    with translation.override(language):
        return str(DeadlineKind(kind).label)


@cache
def _category_label(category: str, language: str) -> str:
    try:
        label = EvidenceCategory(category).label
    except ValueError:
        return category
    with translation.override(language):
        return str(label)


def render(text_id: str, language: str, params: dict) -> tuple[str, str]:
    """Title and body of a notification in ``language``; the deadline kind (``deadline_kind``) and evidence
    categories (``categories``) named in params are translated too."""
    title, body = _formats(text_id, language)
    if "deadline_kind" in params:
        params = {**params, "deadline": _deadline_label(params["deadline_kind"], language)}
    if params.get("basis"):
        params = {**params, "basis": basis_text(params["basis"], language)}
    if "categories" in params:
        params = {**params, "missing": ", ".join(_category_label(c, language) for c in params["categories"])}
    return title % params, body % params


class Notice(NamedTuple):
    """A notification row about to be written (lighter than a model instance when a sweep writes thousands)."""

    recipient_id: int
    case_id: int | None
    deadline_id: int | None
    event_key: str
    kind: str
    title: str
    body: str
    due_date: date | None
    created_at: datetime
    email_to: str


def build(*, recipient, event_key: str, kind: str, text_id: str, params: dict, case_id=None, deadline_id=None,
          due_date=None, now=None, texts: dict | None = None) -> Notice:
    """A notification to one user, its text in that user's language.

    ``texts`` may carry the texts already rendered for these params, by (text_id, language), so that the many
    recipients of one event share one rendering.
    """
    language = _language(recipient)
    if texts is None:
        title, body = render(text_id, language, params)
    else:
        if (text_id, language) not in texts:
            texts[text_id, language] = render(text_id, language, params)
        title, body = texts[text_id, language]
    return Notice(recipient.pk, case_id, deadline_id, event_key, kind, title[:300], body, due_date,
                  now or timezone.now(), recipient.email or "")


def _row(notification) -> Notice:
    if isinstance(notification, Notice):
        return notification
    return Notice(notification.recipient_id, notification.case_id, notification.deadline_id, notification.event_key,
                  notification.kind, notification.title[:300], notification.body, notification.due_date,
                  notification.created_at, notification.email_to)


def save_notifications(notifications: Iterable, *, email: bool = True) -> int:
    """Insert notifications (``Notice`` rows or unsaved ``Notification`` instances), skipping any (recipient,
    event_key) already there; their e-mails go out after the commit. Returns how many were offered.

    On PostgreSQL the rows are copied into a temporary table and inserted with ``INSERT ... SELECT ... ON CONFLICT
    DO NOTHING``: one round trip for thousands of rows, and the unique constraint decides what is new.
    """
    rows = [_row(n) for n in notifications]
    if not rows:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_insert(rows)
        else:
            Notification.objects.bulk_create([Notification(**row._asdict()) for row in rows], ignore_conflicts=True,
                                              batch_size=500)
        if email:
            recipients = sorted({row.recipient_id for row in rows})
            keys = sorted({row.event_key for row in rows})
            transaction.on_commit(lambda: queue_emails(recipient_ids=recipients, event_keys=keys))
    return len(rows)


def _copy_insert(rows: list[Notice]) -> None:
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Notification._meta.get_field(f.removesuffix("_id")).column)
                        for f in Notice._fields)
    with connection.cursor() as cursor:
        # Session-local; ON COMMIT DELETE ROWS empties it at the end of every transaction.
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS notification_incoming ON COMMIT DELETE ROWS AS "  # noqa: S608
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY notification_incoming ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM notification_incoming "  # noqa: S608
                       f"ON CONFLICT DO NOTHING")
        cursor.execute("TRUNCATE notification_incoming")


def notify(*, recipients: Iterable, event_key: str, kind: str, text_id: str, params: dict, case_id=None,
           deadline_id=None, due_date=None) -> int:
    """Notify each recipient once of the event ``event_key``."""
    now = timezone.now()
    unique = {user.pk: user for user in recipients}.values()
    return save_notifications([
        build(recipient=user, event_key=event_key, kind=kind, text_id=text_id, params=params, case_id=case_id,
              deadline_id=deadline_id, due_date=due_date, now=now)
        for user in unique
    ])


# E-mail ------------------------------------------------------------------------------------------------


def queue_emails(*, recipient_ids=None, event_keys=None) -> None:
    """Hand the e-mails of these notifications to the worker (in-process when no broker is configured)."""
    from workflow.deadlines.tasks import send_notification_emails_task

    try:
        send_notification_emails_task.delay(recipient_ids=recipient_ids, event_keys=event_keys)
    except Exception:  # the notifications are saved; the next sweep sends what is still pending
        log.exception("could not queue notification e-mails")


def _pending() -> QuerySet[Notification]:
    return Notification.objects.filter(emailed_at__isnull=True).exclude(email_to="")


def deliver_pending_emails(*, recipient_ids=None, event_keys=None, batch_size: int = 1000) -> int:
    """Send the e-mails of notifications not yet e-mailed; returns how many e-mails were sent.

    Each batch is claimed (``emailed_at`` set) in its own short transaction, skipping rows another sender holds,
    and only then sent: a notification is e-mailed at most once. A batch whose sending fails is released for
    the next attempt. A person with several new notifications in a batch gets them in one e-mail.
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
        try:
            with get_connection() as mail_connection:
                mail_connection.send_messages(messages)
        except Exception:
            Notification.objects.filter(pk__in=[n.id for n in claimed]).update(emailed_at=None)
            raise
        sent += len(messages)


class _Mail(NamedTuple):
    id: int
    case_id: int | None
    title: str
    body: str
    email_to: str
    recipient__language: str


def _emails(notifications: list[_Mail]) -> list[EmailMessage]:
    """One e-mail per address: the notification itself, or a digest when several arrived together."""
    by_address: dict[tuple[str, str], list[_Mail]] = {}
    for n in notifications:
        by_address.setdefault((n.email_to, n.recipient__language or settings.LANGUAGE_CODE), []).append(n)
    messages = []
    for (address, language), items in by_address.items():
        parts = []
        for n in items:
            text = n.body if len(items) == 1 else f"{n.title}\n{n.body}"
            parts.append(f"{text}\n{settings.PUBLIC_BASE_URL}/cases/{n.case_id}/" if n.case_id else text)
        if len(items) == 1:
            subject = items[0].title
        else:
            with translation.override(language):
                subject = ngettext("%(count)d new notification", "%(count)d new notifications",
                                   len(items)) % {"count": len(items)}
        messages.append(EmailMessage(subject=subject, body="\n\n".join(parts),
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[address]))
    return messages


# Transitions that notify ---------------------------------------------------------------------------------




def transition_recipients(case: Case, notice: TransitionNotice) -> list[User]:
    if notice.position == "creditor":
        user = case.applicant_user
        return [user] if user is not None and user.is_active else []
    agency_id = getattr(case, f"{notice.position}_id")
    if agency_id is None:
        return []
    users = list(User.objects.filter(agency_id=agency_id, is_active=True).order_by("id"))
    chosen = [u for u in users if u.role in notice.roles] if notice.roles else users
    return chosen or users  # an agency without that role still hears of it


def notify_transition(*, case_id, name: str, event_id) -> None:
    """After a transition commits, tell those its row names; keyed by the event, so never twice."""
    notices = TRANSITIONS[name].notices
    if not notices:
        return
    try:
        case = Case.objects.select_related("applicant_user").get(pk=case_id)
        event = CaseEvent.objects.select_related("agency").get(pk=event_id)
        sender = event.agency.name if event.agency_id else ""
        params = {"number": case.number, "debtor": case.debtor_name, "creditor": case.applicant_name,
                  "sender": sender, "categories": list(event.payload.get("missing") or [])}
        for notice in notices:
            notify(recipients=transition_recipients(case, notice), event_key=f"event:{event_id}", kind=notice.kind,
                   text_id=notice.text_id, params=params, case_id=case.pk)
    except Exception:  # the transition is committed; a failed notice must not turn it into an error
        log.exception("notification for %s on case %s failed", name, case_id)


# Reads and marks for the user's own notifications ---------------------------------------------------------


def notification_list(*, user, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    qs = Notification.objects.filter(recipient=user).select_related("case")
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification_id) -> Notification:
    """Mark one of the user's notifications read; another user's is 404, as if it did not exist."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


__all__ = ["TEXTS", "Notice", "build", "deliver_pending_emails", "notify", "notification_list",
           "notification_mark_all_read", "notification_mark_read", "notification_unread_count", "render",
           "save_notifications"]
