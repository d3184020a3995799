"""Rendering after the commit (Celery, in-process here), the catch-up for renderings that never ran, and
document numbers without gaps or duplicates, also when transitions of one agency commit at the same time."""

import datetime
import hashlib
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentCounter
from documents.tasks import render_document_task, render_pending_documents_task
from outbox.models import Job
from outbox.services import run_pending_jobs
from tests.casebuilder import add_transfer_evidence, at_once, case_in_state, fire, new_case
from tests.reliability.conftest import broker_at, free_port
from workflow.models import Sequence


def test_rendering_runs_after_the_transition_commits(demo, eager_celery, django_capture_on_commit_callbacks):
    case = new_case(demo)
    judge = demo["enforcement_judge"]
    add_transfer_evidence(case, judge)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fire(case, "submit_transfer", judge)
    documents = Document.objects.filter(case=case)
    assert documents.count() == 3
    assert not documents.filter(rendered_at__isnull=False).exists()  # nothing rendered inside the transaction

    for callback in callbacks:
        callback()
    for document in documents:
        assert document.is_rendered
        with document.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == document.sha256


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_document(require_redis):
    """With REDIS_URL the task goes through the broker to a Celery worker, which renders and stores the PDF."""
    import uuid

    from celery.contrib.testing.worker import start_worker

    from agencies.demo import seed_agencies_and_users
    from agencies.models import User
    from refusal_cases.celery import app

    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.select_related("agency")}
    with services.rendering_deferred():
        case = case_in_state(users, "transferred")
    letter = Document.objects.get(case=case, kind="transfer_letter")
    assert not app.conf.task_always_eager and not letter.is_rendered
    queue = f"test-render-{uuid.uuid4().hex}"  # our own queue: nothing else on the broker is consumed
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        sha = render_document_task.apply_async(args=[letter.pk], queue=queue).get(timeout=120)
    letter.refresh_from_db()
    assert letter.is_rendered and sha == letter.sha256
    with letter.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == sha


def test_a_broker_failure_after_the_commit_leaves_the_transition_done(demo, caplog,
                                                                      django_capture_on_commit_callbacks):
    """With the broker unreachable the renderings stay in the outbox, logged; the catch-up renders them."""
    case = new_case(demo)
    judge = demo["enforcement_judge"]
    add_transfer_evidence(case, judge)
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"), django_capture_on_commit_callbacks(execute=True):
        fire(case, "submit_transfer", judge)
    case.refresh_from_db()
    assert case.state == "transferred"
    assert Document.objects.filter(case=case, rendered_at__isnull=True).count() == 3
    assert "not queued" in caplog.text and "Connection refused" in caplog.text
    assert Job.objects.filter(name=render_document_task.name, queued_at__isnull=True).count() == 3
    assert run_pending_jobs(everything=True) == 4  # the three letters and the notices' e-mails
    assert not Document.objects.filter(case=case, rendered_at__isnull=True).exists()


def test_rendering_is_idempotent_and_never_overwrites(demo):
    case = case_in_state(demo, "transferred")
    document = Document.objects.get(case=case, kind="transfer_letter")
    sha = render_document_task(document.pk)
    document.refresh_from_db()
    name = document.file.name
    assert sha == document.sha256
    assert render_document_task(document.pk) == sha
    document.refresh_from_db()
    assert document.file.name == name
    assert render_document_task(987654321) is None


def test_documents_are_rendered_in_the_issuers_language_by_the_task(demo):
    demo["police_clerk"].language = "en"
    demo["police_clerk"].save(update_fields=["language"])
    case = case_in_state(demo, "filing_review")
    ack = Document.objects.get(case=case, kind="acknowledgment")
    render_document_task(ack.pk)
    ack.refresh_from_db()
    with ack.file.open("rb") as stored:
        from tests.documents.helpers import pdf_text

        assert "AcknowledgmentofReceipt" in pdf_text(stored.read())


def test_catch_up_renders_what_the_task_missed(demo):
    case = case_in_state(demo, "transferred")
    Document.objects.filter(case=case).update(issued_at=timezone.now() - datetime.timedelta(minutes=10))
    fresh = case_in_state(demo, "transferred")  # issued a moment ago: its task may still be on its way
    assert render_pending_documents_task() == 3
    assert not Document.objects.filter(case=case, sha256="").exists()
    assert Document.objects.filter(case=fresh, sha256="").count() == 3
    assert render_pending_documents_task() == 0


def test_deferred_issue_leaves_rendering_to_the_first_reader(demo, as_user, django_capture_on_commit_callbacks):
    case = new_case(demo)
    judge = demo["enforcement_judge"]
    add_transfer_evidence(case, judge)
    with services.rendering_deferred(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        fire(case, "submit_transfer", judge)
    assert not any("render" in repr(c) for c in callbacks)
    letter = Document.objects.get(case=case, kind="transfer_letter")
    assert not letter.is_rendered
    assert as_user(judge).get(f"/api/documents/{letter.pk}/pdf/").status_code == 200
    letter.refresh_from_db()
    assert letter.is_rendered


def test_numbers_run_on_per_agency_kind_and_year(demo):
    first = case_in_state(demo, "filing_review")
    second = case_in_state(demo, "filing_review")
    other_region = case_in_state(demo, "filing_review", suffix="_2")
    forms = list(Document.objects.filter(kind="registration_form", issued_by=demo["police_clerk"].agency)
                 .order_by("sequence").values_list("case_id", "sequence", "number"))
    year = timezone.localdate().year
    assert [(c, s) for c, s, _ in forms] == [(first.pk, 1), (second.pk, 2)]
    assert forms[1][2] == f"{demo['police_clerk'].agency.abbreviation}受登〔{year}〕2号"
    # Another agency, or another kind of the same agency, counts on its own.
    assert Document.objects.get(case=other_region, kind="registration_form").sequence == 1
    assert Document.objects.get(case=second, kind="acknowledgment").sequence == 2


def test_a_rolled_back_transition_leaves_no_gap(demo):
    case = new_case(demo)
    judge = demo["enforcement_judge"]
    with pytest.raises(ValidationError):  # the five categories of Art. 4 are missing: the transfer is refused
        fire(case, "submit_transfer", judge)
    add_transfer_evidence(case, judge)
    fire(case, "submit_transfer", judge)
    assert Document.objects.get(case=case, kind="transfer_letter").sequence == 1


def test_the_counter_migration_carries_the_numbering_on(demo):
    """An existing database counted documents in named sequences (doc:{agency}:{kind}:{year}); the migration
    to the documents' own counters goes on from there, and never below a number already given."""
    migration = importlib.import_module("documents.migrations.0003_document_counter")
    case_in_state(demo, "filing_review")
    police, court = demo["police_clerk"].agency, demo["enforcement_judge"].agency
    year = timezone.localdate().year
    DocumentCounter.objects.all().delete()  # as the database stood before the migration
    Sequence.objects.create(scope=f"doc:{police.pk}:registration_form:{year}", value=7)
    Sequence.objects.create(scope=f"doc:{court.pk}:transfer_letter:{year}", value=1)

    migration.counters_from_sequences(apps, None)

    assert not Sequence.objects.filter(scope__startswith="doc:").exists()
    case = case_in_state(demo, "filing_review")
    form = Document.objects.get(case=case, kind="registration_form")
    assert form.sequence == 8 and form.number == f"{police.abbreviation}受登〔{year}〕8号"
    assert Document.objects.get(case=case, kind="transfer_letter").sequence == 2
    # No sequence named the acknowledgments: they go on after the last one issued.
    assert Document.objects.get(case=case, kind="acknowledgment").sequence == 2

    migration.sequences_from_counters(apps, None)  # and back, where the migration is reversed
    assert Sequence.objects.get(scope=f"doc:{police.pk}:registration_form:{year}").value == 8
    assert Sequence.objects.get(scope=f"doc:{police.pk}:acknowledgment:{year}").value == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_of_one_agency_take_consecutive_numbers(require_postgres):
    """Six police clerks' acceptances commit at once: registration forms and acknowledgments 1..6, no gap."""
    from agencies.demo import seed_agencies_and_users
    from agencies.models import User

    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.select_related("agency")}
    with services.rendering_deferred():  # only the numbering is under test
        cases = [case_in_state(users, "transferred") for _ in range(6)]
    def accept(case):
        with services.rendering_deferred():
            fire(case, "accept", users["police_clerk"])

    _results, errors = at_once([lambda case=case: accept(case) for case in cases])
    assert errors == []
    police = users["police_clerk"].agency
    for kind in ("registration_form", "acknowledgment"):
        numbers = list(Document.objects.filter(issued_by=police, kind=kind).values_list("sequence", "number"))
        assert sorted(s for s, _ in numbers) == list(range(1, len(cases) + 1)), kind
        assert len({n for _, n in numbers}) == len(cases)
    # The transfer letters of the court, issued one after the other, run 1..6 as well.
    letters = Document.objects.filter(issued_by=users["enforcement_judge"].agency, kind="transfer_letter")
    assert sorted(letters.values_list("sequence", flat=True)) == list(range(1, len(cases) + 1))
