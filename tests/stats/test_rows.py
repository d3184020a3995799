"""The figures read from the cases' statistics rows equal the figures recounted from the events, for every view the
API allows (the whole province, a prefecture, a district, a period, an agency, each user's visibility), over cases
driven through the real services; rows left behind by a change made outside the services are repaired by
`manage.py rebuild_stats`; transitions on different cases at the same moment lose no count (PostgreSQL)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from tests.casebuilder import add_transfer_evidence, at_once, case_in_state, fire, new_case
from workflow.models import Case, CaseFigures
from workflow.supervision.stats import parse_filters, stats_compute

FIXED_PERIODS = ({}, {"from": "2025-04-01", "to": "2025-06-30"}, {"from": "2025-05-05", "to": "2025-05-05"},
                 {"to": "2025-03-31"}, {"from": "2025-07-01"}, {"from": "2025-12-01", "to": "2025-12-01"})
REGIONS = ({}, {"region_code": "450000"}, {"region_code": "450100"}, {"region_code": "450102"},
           {"region_code": "450103"})


def figures(user, query, *, recount=False) -> dict:
    return stats_compute(user=user, filters=parse_filters(query), recount=recount).as_dict()


def assert_rows_equal_recount(user, query) -> dict:
    fast = figures(user, query)
    assert fast == figures(user, query, recount=True), (user.username, query)
    return fast


def test_every_view_of_the_fixed_cases_equals_the_recount(fixed, provincial):
    users = fixed.users
    viewers = [provincial, users["enforcement_judge"], users["police_clerk_2"], users["trial_judge"]]
    seen = {}
    for user in viewers:
        for region in REGIONS[:4] if user == provincial else REGIONS[:1]:
            for period in FIXED_PERIODS:
                seen[(user.username, str(region), str(period))] = assert_rows_equal_recount(user, {**region, **period})
    police = users["police_clerk"].agency_id
    assert_rows_equal_recount(provincial, {"agency": str(police)})
    assert_rows_equal_recount(provincial, {"agency": str(police), "from": "2025-03-01", "to": "2025-03-31"})
    # The views differ from each other as the hand counts of test_stats_api say, so the comparison is not empty.
    everything = seen[(provincial.username, "{}", "{}")]
    assert everything["cases"] == 7 and everything["stages"]["filed"] == 3
    assert everything["performance"]["amount_recovered"] == "1486000.00"
    quarter = seen[(provincial.username, "{}", str(FIXED_PERIODS[1]))]
    assert quarter["cases"] == 1 and quarter["stages"]["private_prosecutions_reconciled"] == 1  # C
    assert seen[(provincial.username, "{}", str(FIXED_PERIODS[5]))]["cases"] == 1  # G, by its Shanghai day
    assert {row["stage"]: row["median_days"] for row in everything["durations"]}["trial"] == 60.0  # A


@pytest.fixture
def simulated(demo, provincial):
    """A few hundred cases of two regions made by `manage.py simulate_year` through the real services."""
    for seed, region, cases in ((3, "450102", 90), (4, "450103", 60)):
        call_command("simulate_year", seed=seed, region=region, cases=cases, year=2025, force=True,
                     stdout=io.StringIO())
    new_case(demo)  # a draft, and a creditor's own case: both counted by the day they were created
    new_case(demo, origin="creditor")
    return demo


def test_simulated_cases_equal_the_recount_and_a_rebuild_repairs_rows_changed_outside(simulated, provincial):
    users = simulated
    today = timezone.localdate()
    periods = ({}, {"from": today.isoformat()}, {"to": (today - timedelta(days=1)).isoformat()},
               {"from": "2025-01-01", "to": "2025-12-31"})
    viewers = [provincial, users["enforcement_judge"], users["enforcement_judge_2"], users["police_clerk"],
               users["procurator_2"], users["trial_judge"]]
    for user in viewers:
        for region in ({}, {"region_code": "450100"}, {"region_code": "450103"}):
            for period in periods:
                assert_rows_equal_recount(user, {**region, **period})
    everything = figures(provincial, {})
    assert Case.objects.count() >= 150 and everything["cases"] == Case.objects.count()
    assert everything["stages"]["transferred"] >= 150 and everything["performance"]["fulfilled"] > 0

    # Changes made outside the services leave rows behind: the creation day of the cases never transferred moved
    # back a year by a correction written straight into the cases, rows of some cases lost, and the stage flags of
    # others damaged. The figures read from the rows no longer match the events ...
    never = Case.objects.exclude(events__transition="submit_transfer")
    moved = never.count()
    assert moved > 0
    Case.objects.filter(pk__in=never.values("pk")).update(created_at=F("created_at") - timedelta(days=365))
    transferred = list(Case.objects.filter(events__transition="submit_transfer").order_by("pk")
                       .values_list("pk", flat=True))
    CaseFigures.objects.filter(case_id__in=transferred[:10]).delete()
    CaseFigures.objects.filter(case_id__in=transferred[10:30]).update(reached_filed=True, reached_judged=True)
    this_year = {"from": f"{today.year}-01-01"}
    assert figures(provincial, this_year) != figures(provincial, this_year, recount=True)
    assert figures(provincial, {})["stages"] != figures(provincial, {}, recount=True)["stages"]
    # ... until they are rebuilt from the events.
    out = io.StringIO()
    call_command("rebuild_stats", stdout=out)
    assert f"Rebuilt the statistics rows of {Case.objects.count()} case(s)" in out.getvalue()
    for user in viewers[:3]:
        for period in (*periods, this_year):
            assert_rows_equal_recount(user, period)
    assert figures(provincial, this_year)["cases"] == everything["cases"] - moved


def test_rebuilding_one_case(fixed, provincial):
    a = fixed.cases["A"]
    CaseFigures.objects.filter(case=a).update(reached_judged=False)
    assert figures(provincial, {})["stages"]["judged"] == 0  # the rows are what is read ...
    call_command("rebuild_stats", case=[a.pk], stdout=io.StringIO())
    assert figures(provincial, {})["stages"]["judged"] == 1  # ... and the rebuild reads the events
    assert_rows_equal_recount(provincial, {})


@pytest.mark.django_db(transaction=True)
def test_transitions_on_different_cases_at_once_lose_no_count(require_postgres):
    from agencies.demo import seed_agencies_and_users
    from agencies.models import User

    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.select_related("agency")}
    accepted = [case_in_state(users, "filing_review") for _ in range(4)]
    drafts = [new_case(users) for _ in range(4)]
    for case in drafts:
        add_transfer_evidence(case, users["enforcement_judge"])
    judge = users["enforcement_judge"]
    before = figures(judge, {})
    # Eight transitions at once on eight cases of one court, each in its own transaction and connection.
    results, errors = at_once([*(lambda c=c: fire(c, "file_case", users["police_head"]) for c in accepted),
                               *(lambda c=c: fire(c, "submit_transfer", judge) for c in drafts)])
    assert errors == [] and len(results) == 8
    after = assert_rows_equal_recount(judge, {})
    assert after["stages"]["filed"] == before["stages"]["filed"] + 4
    assert after["stages"]["transferred"] == before["stages"]["transferred"] + 4
    assert CaseFigures.objects.count() == Case.objects.count()
