"""The broker is down or dies while transitions go on: every transition answers at its normal speed with its
notices written, and once the broker is back every letter is rendered and every e-mail sent, each exactly once.

Real parts only: the API, the outbox, a broker address where nothing listens, a redis-server of the test's own
killed with SIGKILL mid-run and started again (empty, as a broker that lost its queues), a Celery worker."""

import hashlib

import pytest
from django.core import mail

from documents.models import Document
from outbox.models import Job
from outbox.services import run_pending_jobs
from tests.casebuilder import add_transfer_evidence, new_case
from tests.reliability.conftest import (
    all_jobs_done,
    broker_at,
    catch_up_until_done,
    emails_per_notice,
    expected_emails,
    free_port,
    in_process_worker,
    timed,
)
from workflow.models import Notification

# A transfer issues three letters and tells three police officers and the creditor.
LETTERS, NOTICES = 3, 4
NORMAL_SPEED = 3.0  # seconds; with the broker's retries of before, each answer took about 19 s


def cases_ready_to_transfer(demo, count):
    cases = [new_case(demo) for _ in range(count)]
    for case in cases:
        add_transfer_evidence(case, demo["enforcement_judge"])
    return cases


def transfer(client, case):
    response, seconds = timed(lambda: client.post(f"/api/cases/{case.pk}/transitions/submit_transfer/", {},
                                                  format="json"))
    return response.status_code, seconds


def assert_nothing_lost_nothing_twice(cases):
    ids = [c.pk for c in cases]
    letters = Document.objects.filter(case_id__in=ids)
    assert letters.count() == LETTERS * len(cases)
    for letter in letters:
        assert letter.rendered_at is not None, letter
        with letter.file.open("rb") as stored:
            data = stored.read()
        assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == letter.sha256
    notices = Notification.objects.filter(case_id__in=ids)
    assert notices.count() == NOTICES * len(cases)
    assert not notices.filter(emailed_at__isnull=True).exists()
    sent, expected = emails_per_notice(), expected_emails()
    assert sent == expected, (sent - expected, expected - sent)  # each notice's e-mail once, none missing
    assert set(sent.values()) == {1}
    assert all_jobs_done()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_unreachable_transitions_answer_at_once_and_nothing_is_lost(
        demo, as_user, own_redis, quick_catch_up):
    cases = cases_ready_to_transfer(demo, 6)
    judge = as_user(demo["enforcement_judge"])
    mail.outbox.clear()
    Job.objects.all().delete()

    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        assert transfer(judge, cases[0])[0] == 200  # the process's first transition loads its modules
        for case in cases[1:]:
            status, seconds = transfer(judge, case)
            assert status == 200 and seconds < NORMAL_SPEED, (status, seconds)
    # Committed with their notices; their e-mails and letters wait in the outbox, none queued.
    assert Notification.objects.filter(case__in=cases).count() == NOTICES * len(cases)
    assert Job.objects.filter(queued_at__isnull=True, done_at__isnull=True).count() == (LETTERS + 1) * len(cases)
    assert not mail.outbox and not Document.objects.filter(case__in=cases, rendered_at__isnull=False).exists()

    own_redis.start()  # the broker is back
    with broker_at(own_redis.url), in_process_worker():
        catch_up_until_done()  # as Celery beat queues it
    assert run_pending_jobs(everything=True) == 0  # a catch-up by hand finds nothing left to do
    assert_nothing_lost_nothing_twice(cases)


@pytest.mark.django_db(transaction=True)
def test_a_broker_killed_mid_run_and_started_again_loses_nothing_and_sends_nothing_twice(
        require_postgres, demo, as_user, own_redis, quick_catch_up):
    """A worker runs jobs while transitions commit: row locks and concurrent writers need PostgreSQL."""
    cases = cases_ready_to_transfer(demo, 7)
    judge = as_user(demo["enforcement_judge"])
    mail.outbox.clear()
    Job.objects.all().delete()

    own_redis.start()
    with broker_at(own_redis.url):
        with in_process_worker():
            for number, case in enumerate(cases):
                if number == 0:
                    assert transfer(judge, case)[0] == 200  # the process's first transition loads its modules
                    continue
                if number == 3:
                    own_redis.kill()  # SIGKILL: its queues go with it
                if number == 5:
                    own_redis.start()  # back on the same port, empty
                status, seconds = transfer(judge, case)
                assert status == 200 and seconds < NORMAL_SPEED, (number, status, seconds)
        assert Notification.objects.filter(case__in=cases).count() == NOTICES * len(cases)
        lost = Job.objects.filter(done_at__isnull=True)
        assert lost.exists()  # what was queued in the dead broker or never queued is still owed
        with in_process_worker():
            catch_up_until_done()
    assert_nothing_lost_nothing_twice(cases)
