"""Notifications (procedure.md §4): one record per recipient and event, written in the transaction of what they
announce, and an e-mail sent after its commit.

Exactly once is kept by the database, not by Python: ``(event_key, recipient)`` is unique and every insert skips
what is already there (``INSERT ... ON CONFLICT DO NOTHING``), so a second sweep, two workers sweeping at once,
or a retry after a worker died halfway all leave one notification per person and event. The e-mails are sent
by workflow.notifications.mail, each exactly once.

One writer for every source: the deadline sweep builds its notices in batches (``build``, ``save_notifications``);
a transition (to everyone procedure.notices.audiences names) and a sub-procedure record notify inside their own
transaction (``notify_transition``, ``notify_record``), both through ``notify_event``, so that what has committed
always has its notices; the sending of their e-mails is an outbox job of the same transaction (outbox.services).
A notification stores its text id and parameters and is rendered in the reader's language when read
(workflow.notifications.texts.shown).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from agencies.models import User
from procedure.notices import audiences
from procedure.transitions import TRANSITIONS
from workflow.models import Case, CaseEvent, Notification
from workflow.notifications.recipients import active_users, transition_recipients
from workflow.notifications.tasks import queue_emails
from workflow.notifications.texts import language_of, render


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
    text_id: str
    params: dict


def build(*, recipient, event_key: str, kind: str, text_id: str, params: dict, case_id=None, deadline_id=None,
          due_date=None, now=None, texts: dict | None = None) -> Notice:
    """A notification to one user: its text id and parameters, rendered in the language of whoever reads it; the
    text in the recipient's language at writing time is kept too, as what is shown should the text id go.

    ``texts`` may carry the texts already rendered for these params, by (text_id, language), so that the many
    recipients of one event share one rendering.
    """
    language = language_of(recipient)
    if texts is None:
        title, body = render(text_id, language, params)
    else:
        if (text_id, language) not in texts:
            texts[text_id, language] = render(text_id, language, params)
        title, body = texts[text_id, language]
    return Notice(recipient.pk, case_id, deadline_id, event_key, kind, title[:300], body, due_date,
                  now or timezone.now(), recipient.email or "", text_id, params)


def _row(notification) -> Notice:
    if isinstance(notification, Notice):
        return notification
    return Notice(notification.recipient_id, notification.case_id, notification.deadline_id, notification.event_key,
                  notification.kind, notification.title[:300], notification.body, notification.due_date,
                  notification.created_at, notification.email_to, notification.text_id, notification.params)


def save_notifications(notifications: Iterable, *, email: bool = True) -> int:
    """Insert notifications (``Notice`` rows or unsaved ``Notification`` instances), skipping any (recipient,
    event_key) already there; the sending of their e-mails is written into the outbox in the same transaction and
    queued after the commit. Returns how many were offered.

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
            queue_emails(recipient_ids=recipients, event_keys=keys)
    return len(rows)


def _copy_insert(rows: list[Notice]) -> None:
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Notification._meta.get_field(f).column)
                        for f in Notice._fields)
    with connection.cursor() as cursor:
        # Session-local; ON COMMIT DELETE ROWS empties it at the end of every transaction.
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS notification_incoming ON COMMIT DELETE ROWS AS "  # noqa: S608
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        encoded: dict[int, str] = {}  # the recipients of one event share its params: encoded once
        with cursor.cursor.copy(f"COPY notification_incoming ({columns}) FROM STDIN") as copy:
            for row in rows:
                params = encoded.get(id(row.params))
                if params is None:
                    params = encoded[id(row.params)] = json.dumps(row.params, cls=DjangoJSONEncoder)
                copy.write_row(row._replace(params=params))
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


# Events of a case, told in their own transaction ---------------------------------------------------------


def _event_params(case: Case | None, event: CaseEvent | None) -> dict:
    """What the texts of a case event may name: who acted, the case, the categories missing, and (as codes) the
    transition and the state it led to."""
    params = {"sender": event.agency.name if event is not None and event.agency_id else "",
              "categories": list((event.payload if event is not None else {}).get("missing") or [])}
    if case is not None:
        params.update(number=case.number, debtor=case.debtor_name, creditor=case.applicant_name,
                      amount=str(case.amount_recovered), owed=str(case.amount_owed))
    if event is not None and event.to_state:
        params.update(transition=event.transition, state=event.to_state)
    return params


def notify_event(*, case_id: int | None, event_id: int,
                 groups: Callable[[Case | None], Iterable[tuple[str, str, Iterable[User]]]],
                 params: dict | None = None) -> int:
    """Tell the groups of people a case event concerns, keyed by the event, so never twice; each person hears once,
    in the text of the first group naming them, and never of their own act. ``groups(case)`` yields (kind, text id,
    users). Returns how many notifications were offered. Runs in the event's transaction: a failure rolls the event
    back with its notices rather than commit it without them."""
    case = Case.objects.filter(pk=case_id).first() if case_id else None
    event = CaseEvent.objects.select_related("agency").filter(pk=event_id).first()
    params = {**_event_params(case, event), **(params or {})}
    now, told, notices, texts = timezone.now(), {event.actor_id if event is not None else None}, [], {}
    for kind, text_id, users in groups(case):
        for user in users:
            if user.pk not in told:
                told.add(user.pk)
                notices.append(build(recipient=user, event_key=f"event:{event_id}", kind=kind, text_id=text_id,
                                     params=params, case_id=case.pk if case is not None else None, now=now,
                                     texts=texts))
    return save_notifications(notices)


def notify_transition(*, case_id, name: str, event_id) -> None:
    """In the transition's transaction, tell those it concerns (procedure.notices.audiences: the notices of its row
    and the rules of procedure.md §3 "Who hears of what")."""
    row = TRANSITIONS[name]

    def groups(case):
        if case is None:
            return []
        return [(notice.kind, notice.text_id, transition_recipients(case, notice))
                for notice in audiences(row, case, table=TRANSITIONS)]

    notify_event(case_id=case_id, event_id=event_id, groups=groups)


def notify_record(*, case: Case | None, event, kind: str, recipients: list[int], actor=None,
                  params: dict | None = None) -> None:
    """Tell the users ``recipients`` (ids) of a sub-procedure record's ``event``, in the record's transaction, in
    the text of ``kind``; never the actor themself."""
    recipient_ids = sorted({r for r in recipients if r and (actor is None or r != actor.pk)})
    if not recipient_ids:
        return
    notify_event(case_id=case.pk if case is not None else None, event_id=event.pk, params=params,
                 groups=lambda _case: [(kind, kind, active_users(recipient_ids))])


# The user's own notifications ----------------------------------------------------------------------------


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
