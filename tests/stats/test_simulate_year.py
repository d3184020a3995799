"""`manage.py simulate_year`: a year of cases through the real services, reported beside the published figures."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from workflow.cases.events import verify_chain
from workflow.models import Case, CaseEvent
from workflow.models.records import Performance


def simulate(**options) -> str:
    out = io.StringIO()
    call_command("simulate_year", stdout=out, force=True, **options)
    return out.getvalue()


def figures_section(output: str) -> str:
    """The printed statistics, without the line that reports the time taken."""
    return output[output.index("Published figures"):]


def test_small_year_runs_through_the_services_and_prints_the_published_figures(db):
    output = simulate(seed=7, region="450102", cases=12, year=2025)
    # The comparison table: published, published scaled to this run, simulated.
    assert "Published figures (one province, Jan-Nov 2025)" in output
    transfers = re.search(r"Cases transferred to the police\s+520\s+12\s+(\d+)", output)
    performed = re.search(r"Performed voluntarily after transfer\s+244\s+5\.6\s+(\d+)", output)
    recovered = re.search(r"Amount recovered after transfer \(yuan\)\s+89,084,200\.00\s+2,055,789\.23\s+([\d,.]+)",
                          output)
    assert transfers and performed and recovered, output
    assert transfers.group(1) == "12"
    assert performed.group(1) == "6"  # round(12 x 244 / 520) cases are drawn to perform after transfer
    assert recovered.group(1) == "2,055,789.23"  # their payments are scaled to the published amount per transfer

    # Everything was done by the services: every case has its event chain, intact, and the amounts recovered
    # are the sums of the recorded performances.
    cases = Case.objects.all()
    assert cases.filter(events__transition="submit_transfer").distinct().count() == 12
    for case in cases:
        assert verify_chain(CaseEvent.objects.filter(case=case).order_by("seq")) is None
        assert case.amount_recovered == sum((p.amount for p in case.performances.all()), Decimal("0"))
    assert Performance.objects.filter(after_warning=True).exists()
    assert all(p.performed_on.year == 2025 for p in Performance.objects.all())


def test_same_seed_same_year(db):
    first = simulate(seed=11, region="450102", cases=6)
    second = simulate(seed=11, region="450102", cases=6)
    assert figures_section(first) == figures_section(second)  # each run reports on its own cases
    assert figures_section(simulate(seed=12, region="450102", cases=6)) != figures_section(first)


def test_region_outside_the_demo_gets_its_own_agencies(db):
    output = simulate(seed=1, region="450105", cases=3)
    assert re.search(r"Cases transferred to the police\s+520\s+3\s+3", output)
    assert set(Case.objects.values_list("executing_court__region_code", flat=True)) == {"450105"}


@pytest.mark.parametrize(("options", "message"), [
    ({"region": "4501", "cases": 3}, "--region"),
    ({"region": "450100", "cases": 3}, "--region"),   # a prefecture, not a county-level region
    ({"region": "450102", "cases": 0}, "--cases"),
    ({"region": "450102", "cases": 3, "year": 2999}, "--year"),
])
def test_bad_options_are_refused(db, options, message):
    with pytest.raises(CommandError, match=message):
        simulate(seed=1, **options)


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("simulate_year", seed=1, region="450102", cases=1, stdout=io.StringIO())
