"""GET /api/stats/: the figures of procedure.md §6 over the fixed cases of conftest.py, counted by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.casebuilder import case_in_state

EVERY_STAGE = ("transferred", "accepted", "filed", "not_filed", "withdrawn", "supervision_requested",
               "explanation_requested", "filing_ordered", "prosecuted", "not_prosecuted", "judged",
               "private_prosecution_advised", "private_prosecutions_filed", "private_prosecutions_accepted",
               "private_prosecutions_reconciled", "cancelled")


def stats_of(client, **params):
    response = client.get("/api/stats/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_counts_per_stage_and_outcome(fixed, as_user):
    data = stats_of(as_user(fixed.users["enforcement_judge"]))
    # A B C D E G of region 450102; F is of 450103.
    assert data["cases"] == 6
    assert data["amount_owed"] == "6336000.00"  # five cases of 1,250,000.00 and D's 86,000.00
    assert data["stages"] == {
        "transferred": 4,                      # A B C G
        "accepted": 3,                         # A B C
        "filed": 2,                            # A, and B after the order to file
        "not_filed": 2,                        # B C
        "withdrawn": 0,
        "supervision_requested": 1,            # B
        "explanation_requested": 1,            # B
        "filing_ordered": 1,                   # B
        "prosecuted": 1,                       # A
        "not_prosecuted": 0,
        "judged": 1,                           # A
        "private_prosecution_advised": 1,      # C
        "private_prosecutions_filed": 2,       # C, and E the creditor's own
        "private_prosecutions_accepted": 1,    # C
        "private_prosecutions_reconciled": 1,  # C
        "cancelled": 1,                        # D
    }
    assert data["judged_by_outcome"] == {"convicted": 1, "exempted": 0, "acquitted": 0}
    assert data["states"] == {"judged": 1, "investigating": 1, "reconciled": 1, "cancelled": 1,
                              "private_rejected": 1, "transferred": 1}


def test_performance_after_warning_or_transfer_and_amount_recovered(fixed, as_user):
    perf = stats_of(as_user(fixed.users["enforcement_judge"]))["performance"]
    assert perf == {
        "fulfilled": 3,                                # B C D
        "fulfilled_after_warning": 2,                  # B (police warning 05-05), D (court warning on the draft)
        "fulfilled_after_transfer": 2,                 # B C; D paid before any transfer
        "fulfilled_in_full": 2,                        # C D; B paid only part
        "amount_recovered": "1436000.00",              # 100,000 + 1,250,000 + 86,000
        "amount_recovered_after_warning": "186000.00",  # B + D
        "amount_recovered_after_transfer": "1350000.00",  # B + C
    }


def test_deadlines_met_on_time_per_agency_and_kind(fixed, as_user):
    data = stats_of(as_user(fixed.users["enforcement_judge"]))
    rows = {(row["agency"]["name"], row["kind"]): row for row in data["deadlines"]}
    police = fixed.users["police_clerk"].agency.name
    court = fixed.users["trial_judge"].agency.name
    procuratorate = fixed.users["procurator"].agency.name
    counts = ("total", "met_on_time", "met_late", "overdue", "open", "cancelled", "on_time_rate")

    def row(agency, kind):
        return tuple(rows[(agency, kind)][k] for k in counts)

    # A B C answered in writing within 30 days; G was never answered and is overdue since 2025-12-31.
    assert row(police, "written_response") == (4, 3, 0, 1, 0, 0, 0.75)
    # A filed and C declined within 7 days of acceptance; B declined 13 days after it.
    assert row(police, "filing_review") == (3, 2, 1, 0, 0, 0, 0.6667)
    assert row(police, "police_explanation") == (1, 1, 0, 0, 0, 0, 1.0)   # B
    assert row(police, "filing_after_order") == (1, 1, 0, 0, 0, 0, 1.0)   # B
    assert row(procuratorate, "prosecution_review") == (1, 1, 0, 0, 0, 0, 1.0)  # A
    assert row(court, "trial") == (2, 2, 0, 0, 0, 0, 1.0)  # A's public trial, C's private trial
    assert row(court, "private_filing_review") == (2, 2, 0, 0, 0, 0, 1.0)  # C E
    assert len(rows) == 7
    by_kind = {row["kind"]: (row["total"], row["met_on_time"], row["on_time_rate"]) for row in data["deadline_kinds"]}
    assert by_kind["written_response"] == (4, 3, 0.75)
    assert by_kind["filing_review"] == (3, 2, 0.6667)


def test_median_days_per_stage(fixed, as_user):
    data = stats_of(as_user(fixed.users["enforcement_judge"]))
    durations = {row["stage"]: (row["cases"], row["median_days"], row["mean_days"]) for row in data["durations"]}
    assert durations == {
        # A 1 day, B 2 days, C 6 hours
        "transfer_to_acceptance": (3, 1.0, 1.08),
        # A 3 days, B 13 days, C 3 days
        "filing_review": (3, 3.0, 6.33),
        "investigation": (1, 31.0, 31.0),            # A 03-07 to 04-07; B still investigating
        "prosecution_review": (1, 14.0, 14.0),       # A
        "trial": (1, 60.0, 60.0),                    # A 04-21 to 06-20
        "supervision": (1, 15.0, 15.0),              # B 03-26 to the order of 04-10
        "private_filing_review": (2, 7.5, 7.5),      # C 6 days, E 9 days: the median of an even count
        "private_trial": (1, 35.0, 35.0),            # C 05-26 to 06-30
        "filing_to_judgment": (1, 105.0, 105.0),     # A
        # B 57 days, C 56 days and 1 hour
        "transfer_to_performance": (2, 56.52, 56.52),
    }


@pytest.mark.parametrize(("params", "cases", "transferred", "after_transfer", "recovered"), [
    ({"from": "2025-03-01", "to": "2025-05-31"}, 3, 3, 2, "1350000.00"),  # A B C
    ({"to": "2025-02-28"}, 1, 0, 0, "86000.00"),                           # D, by the day it was created
    ({"from": "2025-07-01"}, 2, 1, 0, "0.00"),                             # E (created), G (transferred)
    # G was transferred on 2025-12-01 in Shanghai, while it was still 2025-11-30 in UTC.
    ({"from": "2025-11-01", "to": "2025-11-30"}, 0, 0, 0, "0.00"),
    ({"from": "2025-12-01", "to": "2025-12-01"}, 1, 1, 0, "0.00"),
])
def test_period_is_the_day_of_transfer_or_creation(fixed, as_user, params, cases, transferred, after_transfer,
                                                   recovered):
    data = stats_of(as_user(fixed.users["enforcement_judge"]), **params)
    assert data["cases"] == cases
    assert data["stages"]["transferred"] == transferred
    assert data["performance"]["fulfilled_after_transfer"] == after_transfer
    assert data["performance"]["amount_recovered"] == recovered
    assert data["filters"]["from"] == params.get("from") and data["filters"]["to"] == params.get("to")


def test_period_counts_what_happened_later_to_the_cases_of_the_period(fixed, as_user):
    """A case transferred in March counts with its judgment of June: the figures of a period are one cohort."""
    data = stats_of(as_user(fixed.users["enforcement_judge"]), **{"from": "2025-03-01", "to": "2025-03-31"})
    assert data["cases"] == 2  # A B
    assert data["stages"]["judged"] == 1 and data["stages"]["filing_ordered"] == 1


def test_another_regions_cases_are_never_counted(fixed, as_user):
    users = fixed.users
    mine = stats_of(as_user(users["enforcement_judge"]))
    assert [r["region_code"] for r in mine["regions"]] == ["450102"]
    # Asking for the other region gives nothing rather than its figures.
    other = stats_of(as_user(users["enforcement_judge"]), region_code="450103")
    assert other["cases"] == 0 and other["regions"] == [] and other["deadlines"] == []
    assert set(other["stages"].values()) == {0}
    assert other["performance"]["amount_recovered"] == "0.00"
    # The other region's judge sees only F.
    theirs = stats_of(as_user(users["enforcement_judge_2"]))
    assert theirs["cases"] == 1 and theirs["stages"]["filed"] == 1
    assert theirs["performance"]["amount_recovered"] == "50000.00"
    assert {row["agency"]["region_code"] for row in theirs["deadlines"]} == {"450103"}
    # An agency counts the cases it takes part in: the police of 450102 are not in E, the creditor's own case.
    police = stats_of(as_user(users["police_clerk"]))
    assert police["cases"] == 5 and police["stages"]["private_prosecutions_filed"] == 1


def test_creditors_and_anonymous_users_get_no_statistics(fixed, as_user, api):
    assert as_user(fixed.users["creditor"]).get("/api/stats/").status_code == 403
    assert api.get("/api/stats/").status_code == 401


def test_provincial_view_counts_every_region_of_the_province(fixed, provincial, as_user):
    client = as_user(provincial)
    data = stats_of(client)
    assert data["cases"] == 7 and data["overseen_region_prefix"] == "45"
    assert [(r["region_code"], r["cases"]) for r in data["regions"]] == [("450102", 6), ("450103", 1)]
    assert data["stages"]["transferred"] == 5 and data["stages"]["filed"] == 3
    assert data["performance"]["amount_recovered"] == "1486000.00"
    assert stats_of(client, region_code="450103")["cases"] == 1
    assert stats_of(client, region_code="450100")["cases"] == 7  # the prefecture of Nanning
    assert stats_of(client, region_code="460000")["cases"] == 0  # another province
    # Figures only: the cases themselves stay hidden from the higher court.
    assert client.get(f"/api/cases/{fixed.cases['F'].pk}/").status_code == 404


def test_agency_filter(fixed, as_user):
    police_2 = fixed.users["police_clerk_2"].agency_id
    judge = as_user(fixed.users["enforcement_judge"])
    assert stats_of(judge, agency=police_2)["cases"] == 0  # F is not the judge's to count
    assert stats_of(as_user(fixed.users["enforcement_judge_2"]), agency=police_2)["cases"] == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2025-02-30"}, "from"),
    ({"from": "yesterday"}, "from"),
    ({"to": "2025-13-01"}, "to"),
    ({"from": "2025-06-01", "to": "2025-05-31"}, "to"),
    ({"region_code": "4501"}, "region_code"),
    ({"region_code": "45010x"}, "region_code"),
    ({"region_code": "４５０１０２"}, "region_code"),  # full-width digits
    ({"agency": "abc"}, "agency"),
    ({"agency": "999999"}, "agency"),
])
def test_bad_filters_are_400_naming_the_parameter(demo, as_user, params, field):
    response = as_user(demo["enforcement_judge"]).get("/api/stats/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_query_count_does_not_grow_with_the_cases(demo, as_user):
    """A fixed number of grouped queries, whatever the number of cases (on SQLite, one more per stage whose
    median it reads at an offset)."""
    client = as_user(demo["enforcement_judge"])
    for state in ("judged", "reconciled", "supervision_closed"):
        case_in_state(demo, state)
    client.get("/api/stats/")  # warm the token lookup and the like
    with CaptureQueriesContext(connection) as few:
        client.get("/api/stats/")
    for state in ("judged", "reconciled", "supervision_closed", "not_filed", "investigating", "judged"):
        case_in_state(demo, state)
    with CaptureQueriesContext(connection) as more:
        client.get("/api/stats/")
    assert len(more.captured_queries) == len(few.captured_queries) <= 25


def test_postgres_computes_the_median_in_the_database(fixed, as_user, require_postgres):
    with CaptureQueriesContext(connection) as queries:
        data = stats_of(as_user(fixed.users["enforcement_judge"]))
    assert any("percentile_cont" in q["sql"] for q in queries.captured_queries)
    assert {row["stage"]: row["median_days"] for row in data["durations"]}["private_filing_review"] == 7.5
