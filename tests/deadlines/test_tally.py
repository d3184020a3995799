"""The deadline list's count as PostgreSQL keeps it (workflow.deadlines.tally): after every kind of change to the
deadlines or to the agencies of a case, each agency's count is that of the deadlines its users are listed; folding
the rows changes no count; and two transactions racing, one moving a case and one writing its deadlines, leave it
exact whichever commits first."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from procedure.states import DeadlineStatus
from tests.casebuilder import case_in_state
from tests.threads import another_waits_for_a_lock, in_thread
from workflow.cases import selectors
from workflow.deadlines.sweep import sweep_deadlines
from workflow.deadlines.tally import compact_deadline_tally, tally_count
from workflow.models import Case, Deadline, DeadlineTally

VIEWERS = ("enforcement_judge", "police_clerk", "procurator", "trial_judge", "police_clerk_2", "procurator_2")
STATUSES = (None, *DeadlineStatus.values)


def _assert_counts_exact(people, *, kinds=(None,)):
    for username in VIEWERS:
        user = people[username]
        for status in STATUSES:
            for kind in kinds:
                listed = selectors.deadline_list(user=user, status=status, kind=kind).count()
                assert selectors.deadline_count(user=user, status=status, kind=kind) == listed, (username, status,
                                                                                                 kind)


def _extra(case, count, *, days_ago=3):
    today = timezone.localdate()
    return Deadline.objects.bulk_create([
        Deadline(case=case, kind="filing_review", legal_basis="Opinions Art. 5 ¶2", owed_by=case.police_agency,
                 start_date=today - timedelta(days=days_ago + 7), due_date=today - timedelta(days=days_ago),
                 period_days=7, explanation="x")
        for _ in range(count)
    ])


@pytest.mark.django_db
def test_each_agencys_count_follows_every_change_to_deadlines_and_cases(require_postgres, demo):
    people = demo
    judged = case_in_state(people, "judged")  # the court holds two positions: its deadlines count once for it
    trial = case_in_state(people, "trial")  # the trial court gained the case's deadlines when it was named
    investigating = case_in_state(people, "investigating")
    case_in_state(people, "transferred", suffix="_2")  # another region's
    assert judged.executing_court_id == judged.trial_court_id
    assert selectors.deadline_count(user=people["trial_judge"]) > 0
    kinds = (None, "filing_review", "prosecution_review", "trial")
    _assert_counts_exact(people, kinds=kinds)

    _extra(investigating, 30)  # one statement of 30 rows
    sweep_deadlines(email=False)  # marks them overdue in one statement
    assert selectors.deadline_count(user=people["police_clerk"], status="overdue") >= 30
    _assert_counts_exact(people, kinds=kinds)

    with connection.cursor() as cursor:  # by hand: met, cancelled, a kind changed
        cursor.execute("UPDATE workflow_deadline SET status = 'met', met_at = now() WHERE id IN "
                       "(SELECT id FROM workflow_deadline WHERE case_id = %s AND status = 'overdue' LIMIT 10)",
                       [investigating.pk])
        cursor.execute("UPDATE workflow_deadline SET status = 'cancelled' WHERE id IN "
                       "(SELECT id FROM workflow_deadline WHERE case_id = %s AND status = 'overdue' LIMIT 5)",
                       [investigating.pk])
        cursor.execute("UPDATE workflow_deadline SET kind = 'trial' WHERE id IN "
                       "(SELECT id FROM workflow_deadline WHERE case_id = %s AND status = 'overdue' LIMIT 5)",
                       [investigating.pk])
    Deadline.objects.filter(case=investigating, status="overdue").first().delete()
    _assert_counts_exact(people, kinds=kinds)

    # The case moves to another region's police and procuratorate, in one statement and through the model.
    Case.objects.filter(pk=investigating.pk).update(police_agency=people["police_clerk_2"].agency)
    _assert_counts_exact(people, kinds=kinds)
    investigating.refresh_from_db()
    investigating.procuratorate = people["procurator_2"].agency
    investigating.save()
    assert selectors.deadline_count(user=people["procurator_2"], status="met") >= 10  # those met by hand
    _assert_counts_exact(people, kinds=kinds)
    trial.trial_court = None
    trial.save()
    _assert_counts_exact(people, kinds=kinds)

    # Folding the rows: one per agency, status and kind, none that sums to nothing, and every count unchanged.
    rows = DeadlineTally.objects.count()
    assert compact_deadline_tally() > 0
    groups = list(DeadlineTally.objects.values_list("agency_id", "status", "kind"))
    assert len(groups) == len(set(groups)) < rows
    assert not DeadlineTally.objects.filter(n=0).exists()
    _assert_counts_exact(people, kinds=kinds)
    assert compact_deadline_tally() == 0  # nothing left to fold

    Deadline.objects.all().delete()
    for username in VIEWERS:
        assert selectors.deadline_count(user=people[username]) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["case moved", "deadlines marked", "deadline written"])
def test_a_case_moved_while_its_deadlines_are_written_is_counted_exactly(require_postgres, first):
    """One transaction moves a case to another police station while another marks its deadlines overdue or adds
    one; each waits for the other (the moved case locks its deadlines, a new deadline shares its case's lock), so
    whichever commits second counts under the agencies the first left."""
    seed_agencies_and_users()
    people = {u.username: u for u in User.objects.select_related("agency")}
    case = case_in_state(people, "investigating")
    _extra(case, 20)
    other = people["police_clerk_2"].agency
    errors = []

    def move():
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(police_agency=other)
            if first == "case moved":
                locked.set()
                held.wait(10)

    def write():
        with transaction.atomic():
            if first == "deadline written":
                _extra(Case.objects.get(pk=case.pk), 1, days_ago=0)
            else:
                Deadline.objects.filter(case=case, status="open", due_date__lt=timezone.localdate()).update(
                    status="overdue")
            if first != "case moved":
                locked.set()
                held.wait(10)

    locked, held = threading.Event(), threading.Event()
    leader = in_thread(move if first == "case moved" else write, errors)
    assert locked.wait(10), errors  # the first holds its locks, uncommitted
    follower = in_thread(write if first == "case moved" else move, errors)
    waited = another_waits_for_a_lock()
    held.set()
    leader.join(10)
    follower.join(10)
    assert not errors
    for agency_id in {case.executing_court_id, case.police_agency_id, case.procuratorate_id, other.pk}:
        for status in STATUSES:
            counted = Deadline.objects.filter(
                Q(case__executing_court_id=agency_id) | Q(case__police_agency_id=agency_id)
                | Q(case__procuratorate_id=agency_id) | Q(case__trial_court_id=agency_id))
            if status:
                counted = counted.filter(status=status)
            assert tally_count(agency_id=agency_id, status=status) == counted.count(), (agency_id, status)
    assert tally_count(agency_id=other.pk) >= 20
    assert tally_count(agency_id=case.police_agency_id) == 0
    assert waited, "the second transaction did not wait for the first"


@pytest.mark.django_db
def test_the_tally_is_checked_against_a_recount_and_rebuilt(require_postgres, demo, capsys):
    """An operator's check finds a tally changed behind the triggers' back (raw SQL), and the rebuild makes it
    exact again; the check exits non-zero while it differs."""
    from django.core.management import CommandError, call_command

    case_in_state(demo, "investigating")
    case_in_state(demo, "judged")
    call_command("deadline_tally", "--check")
    assert "equals a recount" in capsys.readouterr().out
    clerk = demo["police_clerk"]
    right = selectors.deadline_count(user=clerk)
    with connection.cursor() as cursor:  # tampering: one row of the clerk's agency gone
        cursor.execute("DELETE FROM workflow_deadlinetally WHERE id = (SELECT MIN(id) FROM workflow_deadlinetally "
                       "WHERE agency_id = %s)", [clerk.agency_id])
    assert selectors.deadline_count(user=clerk) < right
    with pytest.raises(CommandError) as exited:  # manage.py exits with its return code
        call_command("deadline_tally", "--check")
    assert exited.value.returncode == 1
    assert f"agency {clerk.agency_id}" in capsys.readouterr().out
    call_command("deadline_tally", "--rebuild")
    call_command("deadline_tally")
    assert "equals a recount" in capsys.readouterr().out
    assert selectors.deadline_count(user=clerk) == right
    _assert_counts_exact(demo)
