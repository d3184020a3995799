"""Regressions found by the load benchmark (bench/load.py): transitions on different cases must not wait for
each other, and cases of two courts that try each other's cases must not deadlock."""

import threading

import pytest
from django.db import connections, transaction

from documents.services import rendering_deferred
from tests.casebuilder import add_transfer_evidence, case_in_state, new_case
from workflow.cases import transitions
from workflow.models import Case, CaseEvent
from workflow.records import services as record_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def users(require_postgres, demo):
    return demo


def in_thread(target, *args):
    """Run target in a thread of its own (own database connection); returns the thread and its outcome."""
    outcome = {}

    def run():
        try:
            with rendering_deferred():
                outcome["value"] = target(*args)
        except Exception as exc:  # reported to the test, which asserts on it
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def runs_while_a_transition_holds(users, held_case, action):
    """Fire `accept` on held_case and keep its transaction open, run `action` in another thread meanwhile; returns
    whether the action finished before the first transaction was released, and both outcomes."""
    held, release = threading.Event(), threading.Event()

    def accept_and_hold():
        with transaction.atomic():
            transitions.fire(case_id=held_case.pk, name="accept", actor=users["police_clerk"])
            held.set()
            release.wait(30)

    holder, holder_outcome = in_thread(accept_and_hold)
    try:
        assert held.wait(30), holder_outcome
        other, outcome = in_thread(action)
        other.join(10)
        finished_while_held = not other.is_alive()
    finally:
        release.set()
        holder.join(30)
    other.join(30)
    return finished_while_held, outcome, holder_outcome


def test_a_transition_does_not_wait_for_another_case_of_the_same_court(users):
    """While the police accept one transfer of a court (transaction still open), the court's transfer of another
    case goes through at once instead of queueing behind the first case's lock."""
    with rendering_deferred():
        first = case_in_state(users, "transferred")
        second = new_case(users)
        add_transfer_evidence(second, users["enforcement_judge"])
    finished_while_held, outcome, holder_outcome = runs_while_a_transition_holds(
        users, first, lambda: transitions.fire(case_id=second.pk, name="submit_transfer",
                                               actor=users["enforcement_judge"]))
    assert finished_while_held, "transferring one case waited for a transition on another case of the same court"
    assert "error" not in outcome and "error" not in holder_outcome
    assert Case.objects.get(pk=second.pk).state == "transferred"
    assert Case.objects.get(pk=first.pk).state == "filing_review"


def test_a_record_does_not_wait_for_a_transition_on_another_case_of_the_same_court(users):
    """While the police accept one transfer, the court records the debtor's payment on another of its cases."""
    with rendering_deferred():
        first = case_in_state(users, "transferred")
        second = case_in_state(users, "transferred")
    finished_while_held, outcome, holder_outcome = runs_while_a_transition_holds(
        users, first, lambda: record_services.performance_record(
            case_id=second.pk, actor=users["enforcement_judge"], kind="payment", amount="1000.00"))
    assert finished_while_held, "recording a payment on one case waited for a transition on another case"
    assert "error" not in outcome and "error" not in holder_outcome
    assert str(Case.objects.get(pk=second.pk).amount_recovered) == "1000.00"


def _trial_case(users, suffix: str, trial_court):
    """A case of the court of `suffix`'s region indicted before `trial_court` (designated jurisdiction)."""
    case = new_case(users, suffix=suffix)
    add_transfer_evidence(case, users[f"enforcement_judge{suffix}"])
    for name, who, data in [("submit_transfer", "enforcement_judge", {}), ("accept", "police_clerk", {}),
                            ("file_case", "police_head", {}),
                            ("transfer_for_prosecution", "police_head", {}),
                            ("indict", "procurator", {"trial_court": trial_court.pk,
                                                      "jurisdiction_reason": "上级法院指定异地管辖"})]:
        transitions.fire(case_id=case.pk, name=name, actor=users[f"{who}{suffix}"], data=data)
    return case


def test_courts_judging_each_others_cases_at_once_do_not_deadlock(users):
    """Court A tries a case of court B while court B tries a case of court A (Art. 2 designated jurisdiction):
    both judgments, rendered at the same moment, go through; none fails with a deadlock."""
    court_a, court_b = users["trial_judge"].agency, users["trial_judge_2"].agency
    with rendering_deferred():
        pairs = [(_trial_case(users, "", court_b), _trial_case(users, "_2", court_a)) for _ in range(4)]
    for case_of_a, case_of_b in pairs:
        barrier = threading.Barrier(2)

        def judge(case, judge_name, barrier=barrier):
            barrier.wait(10)
            return transitions.fire(case_id=case.pk, name="render_judgment", actor=users[judge_name],
                                    data={"outcome": "convicted", "sentence": "有期徒刑一年"})

        runs = [in_thread(judge, case_of_a, "trial_judge_2"), in_thread(judge, case_of_b, "trial_judge")]
        for thread, _ in runs:
            thread.join(60)
        errors = [outcome.get("error") for _, outcome in runs if "error" in outcome]
        assert not errors, f"a judgment failed: {errors!r}"
        assert Case.objects.get(pk=case_of_a.pk).state == "judged"
        assert Case.objects.get(pk=case_of_b.pk).state == "judged"
    assert CaseEvent.objects.filter(transition="render_judgment").count() == 8
