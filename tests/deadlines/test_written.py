"""The sweep's notices as PostgreSQL writes them in one statement are, row for row, those the Python builders make
(which SQLite uses): the same people, kinds, texts in each reader's language, parameters and e-mail addresses."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import User
from procedure.deadlines import DEADLINES
from procedure.notices import NotificationKind
from tests.casebuilder import case_in_state
from workflow.deadlines.sweep import _FIELDS, _overdue_notices, _warning_notices
from workflow.deadlines.written import OVERDUE, WARNING, write_notices
from workflow.models import Deadline, Notification

COMPARED = ("recipient_id", "case_id", "deadline_id", "event_key", "kind", "title", "body", "due_date", "email_to",
            "text_id", "params")


def _deadlines_of_every_kind(demo):
    """A deadline of every kind, owed in turn by each agency of the case (and by none of its own), on cases in
    states and origins where different people wait: the Python rules decide who hears, the statement must agree."""
    cases = [case_in_state(demo, "filing_review"), case_in_state(demo, "investigating", origin="procuratorate"),
             case_in_state(demo, "private_trial"), case_in_state(demo, "trial")]
    agencies = [demo[name].agency for name in ("enforcement_judge", "police_clerk", "procurator", "trial_judge")]
    due = timezone.localdate() - timedelta(days=2)
    rows = []
    for n, kind in enumerate(DEADLINES):
        for m, case in enumerate(cases):
            rows.append(Deadline(case=case, kind=kind, legal_basis=DEADLINES[kind].period.basis,
                                 owed_by=agencies[(n + m) % len(agencies)], start_date=due - timedelta(days=7),
                                 due_date=due - timedelta(days=m), period_days=7, explanation="x"))
    Deadline.objects.filter(case__in=cases).delete()
    return Deadline.objects.bulk_create(rows)


def _people(demo):
    """Readers in both languages and with none set, a user who left, a liaison of a court (a court has no head)."""
    User.objects.filter(username="procurator").update(language="en")
    User.objects.filter(username="police_head").update(language="")
    User.objects.filter(username="trial_judge").update(language="en", email="")
    User.objects.filter(username="police_investigator").update(is_active=False)
    User.objects.filter(username="filing_clerk").update(is_liaison=True)


def _stored():
    return sorted(tuple(row) for row in Notification.objects.values_list(*COMPARED))


def _built(notices):
    return sorted((n.recipient_id, n.case_id, n.deadline_id, n.event_key, n.kind, n.title, n.body, n.due_date,
                   n.email_to, n.text_id, {k: (v.isoformat() if isinstance(v, date) else v)
                                           for k, v in n.params.items()}) for n in notices)


@pytest.mark.parametrize("event", [OVERDUE, WARNING])
def test_the_statement_writes_the_notices_the_python_builders_make(require_postgres, demo, event):
    assert connection.vendor == "postgresql"
    _people(demo)
    deadlines = _deadlines_of_every_kind(demo)
    Notification.objects.all().delete()
    rows = list(Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).values(*_FIELDS))
    expected = _built(_overdue_notices(rows) if event == OVERDUE else _warning_notices(rows))
    # Every group of people is exercised: otherwise the comparison would prove little.
    kinds = {row[4] for row in expected}
    if event == OVERDUE:
        assert kinds == {NotificationKind.DEADLINE_AWAITED, NotificationKind.DEADLINE_ESCALATED,
                         NotificationKind.DEADLINE_OVERDUE}
        assert {row[9] for row in expected} >= {"written_response_awaited", "deadline_awaited",
                                                "deadline_escalated_head", "deadline_escalated_supervision"}
    assert any("Case" in row[5] or "case" in row[5] for row in expected)  # English readers
    assert any("案件" in row[5] for row in expected)  # Chinese readers
    assert len(expected) > 3 * len(deadlines) if event == OVERDUE else len(expected) >= len(deadlines)

    with transaction.atomic():
        offered = write_notices(event, [d.pk for d in deadlines], now=timezone.now())
    assert offered == len(expected)
    assert _stored() == expected

    # Once written, writing again offers the same and adds nothing.
    with transaction.atomic():
        assert write_notices(event, [d.pk for d in deadlines], now=timezone.now()) == len(expected)
    assert Notification.objects.count() == len(expected)
