"""Deadline records (procedure.md §4): opened and closed by the transitions of the table, in their transaction."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from documents.models import Document
from tests.casebuilder import add_private_evidence, case_in_state, fire, new_case
from workflow.deadlines.sweep import sweep_deadlines
from workflow.models import Case


def statuses(case):
    return sorted(Case.objects.get(pk=case.pk).deadlines.values_list("kind", "status"))


# state reached along casebuilder's routes -> the deadlines the case then has, with their statuses
ROUTES = [
    ("transferred", [("written_response", "open")]),
    ("filing_review", [("filing_review", "open"), ("written_response", "open")]),
    ("investigating", [("filing_review", "met"), ("written_response", "met")]),
    ("not_filed", [("filing_review", "met"), ("written_response", "met")]),
    ("explanation_requested", [("filing_review", "met"), ("police_explanation", "open"), ("written_response", "met")]),
    ("explanation_review", [("filing_review", "met"), ("police_explanation", "met"), ("written_response", "met")]),
    ("filing_ordered", [("filing_after_order", "open"), ("filing_review", "met"), ("police_explanation", "met"),
                        ("written_response", "met")]),
    ("prosecution_review", [("filing_review", "met"), ("prosecution_review", "open"), ("written_response", "met")]),
    ("supplementary_investigation", [("filing_review", "met"), ("prosecution_review", "met"),
                                     ("supplementary_investigation", "open"), ("written_response", "met")]),
    ("not_prosecuted", [("filing_review", "met"), ("prosecution_review", "met"), ("written_response", "met")]),
    ("trial", [("filing_review", "met"), ("prosecution_review", "met"), ("trial", "open"),
               ("written_response", "met")]),
    ("judged", [("filing_review", "met"), ("prosecution_review", "met"), ("trial", "met"),
                ("written_response", "met")]),
    ("private_filing_review", [("filing_review", "met"), ("private_filing_review", "open"),
                               ("written_response", "met")]),
    ("private_trial", [("filing_review", "met"), ("private_filing_review", "met"), ("trial", "open"),
                       ("written_response", "met")]),
    ("reconciled", [("filing_review", "met"), ("private_filing_review", "met"), ("trial", "met"),
                    ("written_response", "met")]),
    ("private_withdrawn", [("filing_review", "met"), ("private_filing_review", "met"), ("trial", "met"),
                           ("written_response", "met")]),
    ("private_rejected", [("filing_review", "met"), ("private_filing_review", "met"), ("written_response", "met")]),
]


@pytest.mark.parametrize(("state", "expected"), ROUTES, ids=[r[0] for r in ROUTES])
def test_transitions_open_and_close_the_deadlines_of_the_table(demo, travel, state, expected):
    travel("2026-03-02")
    case = case_in_state(demo, state)
    assert statuses(case) == expected
    for deadline in case.deadlines.all():
        assert deadline.explanation and deadline.explanation_en and deadline.legal_basis
        assert (deadline.met_at is not None) == (deadline.status == "met")


def test_each_deadline_says_who_owes_it_from_when_and_why(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    response = case.deadlines.get(kind="written_response")
    assert (response.owed_by, response.start_date, response.due_date) == (case.police_agency, date(2026, 3, 2),
                                                                           date(2026, 4, 1))
    assert response.legal_basis == "Opinions Art. 12 ¶1" and not response.custody
    review = case.deadlines.get(kind="filing_review")
    assert review.due_date == date(2026, 3, 9)
    assert review.explanation_en == ("Start 2026-03-02 (not counted) + 7 days = 2026-03-09, a working day; no shift, "
                                     "due 2026-03-09. Basis: CPL Art. 105; Opinions Art. 5 ¶2.")


def test_private_trial_period_depends_on_custody(demo, travel):
    travel("2026-03-02")
    free = case_in_state(demo, "private_trial")
    assert free.deadlines.get(kind="trial").due_date == date(2026, 9, 2)  # six months (CPL Art. 212)
    held = case_in_state(demo, "private_filing_review")
    # Custody is no request field (it follows the recorded measures); the court's own custody decision is not
    # recorded as a measure, so the defendant held is set on the row here.
    Case.objects.filter(pk=held.pk).update(custody=True)
    fire(held, "accept_private_prosecution", demo["filing_clerk"], trial_court=demo["trial_judge"].agency.pk)
    trial = held.deadlines.get(kind="trial")
    assert trial.custody and trial.due_date == date(2026, 5, 2)  # two months, a Saturday, not moved in custody


def test_advice_before_any_sweep_records_the_missed_deadlines_as_overdue(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-04-02")  # the 30-day written response (due 2026-04-01) has passed: Art. 12
    fire(case, "advise_private_prosecution", demo["enforcement_judge"])
    assert statuses(case) == [("filing_review", "overdue"), ("written_response", "overdue")]


def test_advice_after_the_sweep_keeps_the_overdue_record(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-04-02")
    sweep_deadlines()
    fire(case, "advise_private_prosecution", demo["enforcement_judge"])
    assert statuses(case) == [("filing_review", "overdue"), ("written_response", "overdue")]


def test_a_late_act_closes_the_deadline_but_keeps_it_overdue(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-03-11")
    sweep_deadlines()
    fire(case, "file_case", demo["police_head"])
    late = case.deadlines.get(kind="filing_review")
    assert late.status == "overdue" and late.met_at is not None and late.overdue_at is not None
    assert case.deadlines.get(kind="written_response").status == "met"


def test_a_failed_transition_leaves_its_deadlines_untouched(demo, travel):
    """Deadlines are written inside the transition's transaction: if anything later in it fails, they go too.
    The failure here: the registration form's number is already taken by a stray row, so issuing it fails."""
    travel("2026-03-02")
    case = case_in_state(demo, "transferred")
    police = demo["police_clerk"].agency
    Document.objects.create(case=case, kind="registration_form", number="stray", sequence=1, year=2026,
                            issued_by=police, issued_at=timezone.now())
    with pytest.raises(ValidationError, match="Document"), transaction.atomic():
        fire(case, "accept", demo["police_clerk"])
    assert Case.objects.get(pk=case.pk).state == "transferred"
    assert statuses(case) == [("written_response", "open")]


def test_extend_review_moves_the_due_date_and_says_so(demo, travel, as_user):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-03-05")
    detail = as_user(demo["police_head"]).post(f"/api/cases/{case.pk}/transitions/extend_review/",
                                               {"reason": "案情重大复杂"}, format="json").json()
    review = next(d for d in detail["deadlines"] if d["kind"] == "filing_review")
    assert review["due_date"] == "2026-04-01" and review["status"] == "open"
    assert review["legal_basis"] == "Opinions Art. 5 ¶2 (extended)"
    deadline = case.deadlines.get(kind="filing_review")
    assert "+ 30 days = 2026-04-01" in deadline.explanation_en and "(extended)" in deadline.explanation_en
    assert "加30日" in deadline.explanation


def test_an_expired_filing_review_cannot_be_extended(demo, travel, as_user):
    """procedure.md §4: an extension is decided while the period runs; once overdue it stays overdue."""
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-03-10")
    sweep_deadlines()
    response = as_user(demo["police_head"]).post(f"/api/cases/{case.pk}/transitions/extend_review/",
                                                 {"reason": "案情复杂"}, format="json")
    assert response.status_code == 409
    assert "expired" in response.json()["detail"] or "届满" in response.json()["detail"]
    review = case.deadlines.get(kind="filing_review")
    assert review.status == "overdue" and review.due_date == date(2026, 3, 9)
    assert not Case.objects.get(pk=case.pk).review_extended


def test_extend_review_on_its_last_day_runs_thirty_days_from_receipt(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    travel("2026-03-09")
    fire(case, "extend_review", demo["police_head"], reason="案情复杂")
    review = case.deadlines.get(kind="filing_review")
    assert review.status == "open" and review.due_date == date(2026, 4, 1)


def test_extend_prosecution_review_runs_a_month_and_fifteen_days_from_the_start_and_says_so(demo, travel):
    travel("2026-03-02")
    case = case_in_state(demo, "prosecution_review")
    review = case.deadlines.get(kind="prosecution_review")
    assert review.due_date == date(2026, 4, 2)
    fire(case, "extend_prosecution_review", demo["procurator"], reason="案情复杂")
    review.refresh_from_db()
    assert review.due_date == date(2026, 4, 17)
    assert review.legal_basis == "CPL Art. 172 (extended by 15 days)"
    assert review.explanation_en.startswith("Start 2026-03-02 (not counted) + 1 month and 15 days = 2026-04-17")


def test_an_extension_over_the_spring_festival_shifts_only_the_final_day(demo, travel):
    """Received 2026-01-17: one month ends in the Spring Festival and moves to 02-24; the extension counts 1 month
    and 15 days from 01-17 (03-04), not 15 days from the moved date (03-11)."""
    travel("2026-01-17")
    case = case_in_state(demo, "prosecution_review")
    review = case.deadlines.get(kind="prosecution_review")
    assert review.start_date == date(2026, 1, 17) and review.due_date == date(2026, 2, 24)
    fire(case, "extend_prosecution_review", demo["procurator"], reason="案情复杂")
    review.refresh_from_db()
    assert review.due_date == date(2026, 3, 4)


def test_a_resubmitted_prosecution_review_may_be_extended_again(demo, travel, as_user):
    """CPL Art. 175 ¶3, Art. 172: once per review period; a resubmission starts a new period."""
    travel("2026-03-02")
    case = case_in_state(demo, "prosecution_review")
    procurator = as_user(demo["procurator"])
    url = f"/api/cases/{case.pk}/transitions/"
    assert procurator.post(url + "extend_prosecution_review/", {"reason": "复杂"}, format="json").status_code == 200
    assert procurator.post(url + "extend_prosecution_review/", {"reason": "复杂"}, format="json").status_code == 409
    fire(case, "return_for_supplementary_investigation", demo["procurator"], reason="补充侦查")
    fire(case, "resubmit_for_prosecution", demo["police_investigator"])
    assert procurator.post(url + "extend_prosecution_review/", {"reason": "复杂"}, format="json").status_code == 200
    latest = case.deadlines.filter(kind="prosecution_review").latest("id")
    assert latest.status == "open" and latest.legal_basis == "CPL Art. 172 (extended by 15 days)"


def test_deadline_list_shows_only_visible_cases_and_filters(demo, travel, as_user):
    travel("2026-03-02")
    mine = case_in_state(demo, "filing_review")
    other = case_in_state(demo, "transferred", suffix="_2")
    police = as_user(demo["police_investigator"])
    body = police.get("/api/deadlines/").json()
    assert {d["case"] for d in body["results"]} == {mine.pk} and body["count"] == 2
    assert [d["kind"] for d in police.get("/api/deadlines/?kind=filing_review").json()["results"]] == ["filing_review"]
    assert police.get("/api/deadlines/?status=overdue").json()["count"] == 0
    first = body["results"][0]
    assert set(first) >= {"id", "kind", "legal_basis", "owed_by", "start_date", "due_date", "custody", "status",
                          "met_at", "explanation"}
    assert first["owed_by"]["id"] == mine.police_agency_id
    assert {d["case"] for d in as_user(demo["police_clerk_2"]).get("/api/deadlines/").json()["results"]} == {other.pk}
    assert as_user(demo["creditor"]).get("/api/deadlines/").json()["count"] == 2
    assert as_user(demo["discipline_officer"]).get("/api/deadlines/").json()["count"] == 0
    travel("2026-03-10")
    sweep_deadlines()
    overdue = police.get("/api/deadlines/?status=overdue&kind=filing_review").json()
    assert [d["case"] for d in overdue["results"]] == [mine.pk]


@pytest.mark.parametrize("query", ["status=late", "kind=appeal", "status=OPEN"])
def test_deadline_list_bad_filter_is_400_naming_it(demo, as_user, query):
    response = as_user(demo["police_investigator"]).get(f"/api/deadlines/?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json()


def test_deadline_list_needs_login(api):
    assert api.get("/api/deadlines/").status_code == 401


def test_case_list_overdue_before_and_after_the_sweep(demo, travel, as_user):
    travel("2026-03-02")
    late = case_in_state(demo, "filing_review")
    on_time = new_case(demo)
    judge = as_user(demo["enforcement_judge"])
    assert judge.get("/api/cases/?overdue=true").json()["count"] == 0
    travel("2026-03-10")
    # Past its due day the review counts as overdue at once, before any sweep has marked it...
    assert [c["id"] for c in judge.get("/api/cases/?overdue=true").json()["results"]] == [late.pk]
    sweep_deadlines()
    # ...and after.
    assert [c["id"] for c in judge.get("/api/cases/?overdue=true").json()["results"]] == [late.pk]
    assert [c["id"] for c in judge.get("/api/cases/?overdue=false").json()["results"]] == [on_time.pk]
    fire(late, "file_case", demo["police_head"])
    assert judge.get("/api/cases/?overdue=true").json()["count"] == 0
    assert as_user(demo["enforcement_judge_2"]).get("/api/cases/?overdue=false").json()["count"] == 0


def test_creditor_case_private_filing_review_deadline(demo, travel):
    travel("2026-03-02")
    case = new_case(demo, origin="creditor")
    add_private_evidence(case, demo["creditor"])
    fire(case, "file_private_prosecution", demo["creditor"])
    review = case.deadlines.get(kind="private_filing_review")
    assert review.owed_by == case.executing_court and review.due_date == date(2026, 3, 17)
