"""The audit trail against tampering (procedure.md §2: every event kept; issue: a trail that shows every deletion).

Each test tampers with raw SQL, the way someone with database access would, and `verify_audit` must fail naming the
case and what is wrong. The event table refuses UPDATE and DELETE in the database itself; where a test needs the
tampering to happen anyway, it first drops that protection, as the table's owner could.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from tests.casebuilder import case_in_state
from workflow.cases.audit import audit_findings, seal_chains
from workflow.cases.events import record_event
from workflow.models import Case, CaseEvent
from workflow.records.services import performance_record


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    """The seals of each test in a storage of its own."""
    settings.MEDIA_ROOT = tmp_path


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def drop_protection():
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts leave deferred checks pending
        sql("ALTER TABLE workflow_caseevent DISABLE TRIGGER workflow_caseevent_append_only")
    else:
        sql("DROP TRIGGER workflow_caseevent_no_update")


def audit_fails(*expected):
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    messages = " | ".join(f.what for f in audit_findings())
    for words in expected:
        assert words in messages, messages
    return str(failure.value)


def test_an_intact_trail_passes_and_can_be_sealed(demo, capsys):
    case_in_state(demo, "investigating")
    call_command("verify_audit", "--seal")
    out = capsys.readouterr().out
    assert "All trails intact" in out and "Sealed the heads of 1 case(s)" in out
    call_command("verify_audit")


def test_the_database_refuses_to_change_an_event(demo):
    case = case_in_state(demo, "filing_review")
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql("UPDATE workflow_caseevent SET payload = '{\"note\": \"forged\"}' WHERE id = %s", [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).payload == event.payload
    call_command("verify_audit")


def test_postgresql_refuses_to_remove_an_event(demo, require_postgres):
    """On SQLite, the embedded default, a removal is found instead (the tests below)."""
    case = case_in_state(demo, "filing_review")
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql("DELETE FROM workflow_caseevent WHERE id = %s", [event.pk])
    assert CaseEvent.objects.filter(pk=event.pk).exists()
    call_command("verify_audit")


def test_removing_the_last_event_is_found(demo):
    case = case_in_state(demo, "filing_review")
    count = CaseEvent.objects.filter(case=case).count()
    drop_protection()
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    sql("UPDATE documents_document SET event_id = NULL WHERE event_id = %s", [last.pk])
    sql("DELETE FROM workflow_caseevent WHERE id = %s", [last.pk])
    audit_fails(f"{case.number}: the case counts {count} events, the trail holds {count - 1}",
                "does not end in the head the case recorded", "its events say transferred")


def test_removing_all_events_of_a_case_is_found(demo):
    case = case_in_state(demo, "transferred")
    count = CaseEvent.objects.filter(case=case).count()
    drop_protection()
    sql("UPDATE documents_document SET event_id = NULL WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_caseevent WHERE case_id = %s", [case.pk])
    audit_fails(f"{case.number}: the case counts {count} events, the trail holds 0")


def test_removing_a_whole_case_with_its_trail_is_found_by_the_seal(demo):
    case = case_in_state(demo, "transferred")
    seal_chains()
    drop_protection()
    sql("DELETE FROM documents_documentcounter")
    sql("DELETE FROM documents_document WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_evidence WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_deadline WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_notification WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_casefigures WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_caseevent WHERE case_id = %s", [case.pk])
    sql("DELETE FROM workflow_case WHERE id = %s", [case.pk])
    audit_fails("the case sealed in", "is gone with its trail")


def test_editing_the_case_row_is_found(demo):
    case = case_in_state(demo, "not_filed")
    sql("UPDATE workflow_case SET state = 'investigating', amount_owed = 1 WHERE id = %s", [case.pk])
    audit_fails("the case row says state investigating, its events say not_filed",
                "the case row says amount owed 1.00, its creation recorded 1250000.00")


def test_an_amount_recovered_that_no_performance_recorded_is_found(demo):
    case = case_in_state(demo, "investigating")
    performance_record(case_id=case.pk, actor=demo["enforcement_judge"], kind="payment", amount="1000.00")
    call_command("verify_audit")
    sql("UPDATE workflow_case SET amount_recovered = 5000 WHERE id = %s", [case.pk])
    audit_fails("amount recovered 5000.00, its performances add up to 1000.00")


def test_a_rewritten_event_with_the_chain_recomputed_is_found_by_the_seal(demo):
    """The rewrite a plain hash chain cannot show: new payload, every later hash recomputed, the case row's head and
    length set to match. Only the head sealed with a key the database does not hold still tells."""
    case = case_in_state(demo, "not_filed")
    assert seal_chains() == 1
    drop_protection()
    decline = CaseEvent.objects.get(case=case, transition="decline_filing")
    decline.payload = {"reason": "债务人已履行"}  # what was really written: 证据不足
    previous = decline.prev_hash
    for event in CaseEvent.objects.filter(case=case, seq__gte=decline.seq).order_by("seq"):
        if event.pk == decline.pk:
            event.payload = decline.payload
        event.prev_hash = previous
        event.hash = event.compute_hash()
        sql("UPDATE workflow_caseevent SET payload = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [CaseEvent._meta.get_field("payload").get_db_prep_value(event.payload, connection), event.prev_hash,
             event.hash, event.pk])
        previous = event.hash
    sql("UPDATE workflow_case SET chain_head = %s WHERE id = %s", [previous, case.pk])
    findings = [f.what for f in audit_findings()]
    assert len(findings) == 1 and "no longer ends in the head sealed" in findings[0] and case.number in findings[0]
    audit_fails("rewritten or removed")


def test_an_altered_seal_is_found(demo, tmp_path):
    case_in_state(demo, "transferred")
    seal_chains()
    seal = next((tmp_path / "audit-seals").iterdir())
    seal.write_text(seal.read_text().replace('"entries":[[', '"entries":[[9'))
    audit_fails(f"seal file {seal.name} was altered")


def test_only_cases_whose_trail_grew_are_sealed_again(demo, travel):
    travel("2026-03-02")
    quiet = case_in_state(demo, "transferred")
    busy = case_in_state(demo, "transferred", suffix="_2")
    travel("2026-03-02", hour=11)
    assert seal_chains() == 2
    travel("2026-03-03")
    record_event(case=Case.objects.select_for_update().get(pk=busy.pk), actor=demo["police_clerk_2"],
                 transition="warning", from_state="transferred", to_state="transferred", payload={})
    assert seal_chains() == 1
    grown = CaseEvent.objects.filter(case=busy).count()
    assert Case.objects.get(pk=quiet.pk).event_count == grown - 1 and Case.objects.get(pk=busy.pk).event_count == grown
    assert Decimal(str(Case.objects.get(pk=busy.pk).amount_owed)) == Decimal("1250000.00")
    call_command("verify_audit")
