"""The /stats/ dashboard and its CSV and XLSX exports: the exports read back equal the API."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

# For each exported table: the API rows it comes from, and which API key each of its columns carries
# (None: a translated label, not in the API).
TABLES = {
    "stages": (lambda d: [{"figure": k, "count": v} for k, v in d["stages"].items()], ["figure", None, "count"]),
    "outcomes": (lambda d: [{"outcome": k, "count": v} for k, v in d["judged_by_outcome"].items()],
                 ["outcome", None, "count"]),
    "performance": (lambda d: [{"figure": k, "value": v} for k, v in d["performance"].items()],
                    ["figure", None, "value"]),
    "regions": (lambda d: d["regions"],
                ["region_code", "region_name", "cases", "amount_owed", "transferred", "accepted", "filed", "not_filed",
                 "withdrawn", "supervision_requested", "explanation_requested", "filing_ordered", "prosecuted",
                 "not_prosecuted", "judged", "private_prosecution_advised", "private_prosecutions_filed",
                 "private_prosecutions_accepted", "private_prosecutions_reconciled", "cancelled", "fulfilled",
                 "fulfilled_after_warning", "fulfilled_after_transfer", "fulfilled_in_full", "amount_recovered",
                 "amount_recovered_after_warning", "amount_recovered_after_transfer"]),
    "deadlines": (lambda d: [{**r, "agency": r["agency"]["name"], "region_code": r["agency"]["region_code"]}
                             for r in d["deadlines"]],
                  ["agency", "region_code", "kind", None, "total", "met_on_time", "met_late", "overdue", "open",
                   "cancelled", "on_time_rate"]),
    "deadline_kinds": (lambda d: d["deadline_kinds"],
                       ["kind", None, "total", "met_on_time", "met_late", "overdue", "open", "cancelled",
                        "on_time_rate"]),
    "durations": (lambda d: d["durations"], ["stage", None, "cases", "median_days", "mean_days"]),
    "states": (lambda d: [{"state": k, "count": v} for k, v in d["states"].items()], ["state", None, "count"]),
}
PERIOD = {"from": "2025-03-01", "to": "2025-12-31"}


def same(exported, api_value) -> bool:
    """A cell equals the API's value: numbers by value (amounts are decimal strings in the API), text as text."""
    if api_value is None:
        return exported in (None, "")
    if isinstance(api_value, bool):
        return str(exported) == str(api_value)
    if isinstance(api_value, int | float) or (isinstance(api_value, str) and api_value.replace(".", "").isdigit()):
        try:
            return Decimal(str(exported)) == Decimal(str(api_value))
        except ArithmeticError:
            return False
    return str(exported) == str(api_value)


def expected_rows(api_data, name):
    rows_of, keys = TABLES[name]
    return [[row[k] if k else None for k in keys] for row in rows_of(api_data)]


def assert_equal_to_api(name, exported_rows, api_data):
    expected = expected_rows(api_data, name)
    assert len(exported_rows) == len(expected), name
    for exported, wanted in zip(exported_rows, expected, strict=True):
        assert len(exported) == len(wanted), name
        for cell, value in zip(exported, wanted, strict=True):
            if value is not None or cell in (None, ""):
                assert same(cell, value), (name, exported, wanted)


@pytest.fixture
def judge_client(client, fixed):
    client.force_login(fixed.users["enforcement_judge"])
    return client


@pytest.fixture
def api_data(fixed, as_user):
    return as_user(fixed.users["enforcement_judge"]).get("/api/stats/", PERIOD).json()


def test_csv_export_of_every_table_reads_back_equal_to_the_api(judge_client, api_data):
    for name in TABLES:
        response = judge_client.get("/stats/export.csv", {**PERIOD, "table": name})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert f"stats-{name}-2025-03-01-2025-12-31.csv" in response["Content-Disposition"]
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")  # so that spreadsheet programs read the Chinese text as UTF-8
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert rows[1:], f"{name} is empty: the comparison would prove nothing"
        assert_equal_to_api(name, rows[1:], api_data)


def test_xlsx_export_has_every_table_equal_to_the_api(judge_client, api_data):
    response = judge_client.get("/stats/export.xlsx", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == list(TABLES)
    for name in TABLES:
        rows = [list(r) for r in workbook[name].iter_rows(min_row=2, values_only=True)]
        assert_equal_to_api(name, rows, api_data)
    # Amounts are numbers in the workbook, so they can be summed there.
    performance = {r[0]: r[2] for r in workbook["performance"].iter_rows(min_row=2, values_only=True)}
    assert isinstance(performance["amount_recovered"], int | float)
    assert Decimal(str(performance["amount_recovered"])) == Decimal("1350000.00")


def test_xlsx_export_of_one_table(judge_client, api_data):
    response = judge_client.get("/stats/export.xlsx", {**PERIOD, "table": "deadlines"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["deadlines"]
    assert_equal_to_api("deadlines", [list(r) for r in workbook["deadlines"].iter_rows(min_row=2, values_only=True)],
                        api_data)


@pytest.mark.parametrize(("url", "params", "field"), [
    ("/stats/export.csv", {}, "table"),                       # CSV is one table at a time
    ("/stats/export.csv", {"table": "secrets"}, "table"),
    ("/stats/export.xlsx", {"table": "secrets"}, "table"),
    ("/stats/export.csv", {"table": "stages", "from": "2025-02-30"}, "from"),
    ("/stats/export.xlsx", {"region_code": "45"}, "region_code"),
])
def test_export_bad_input_is_400_naming_the_parameter(judge_client, url, params, field):
    response = judge_client.get(url, params)
    assert response.status_code == 400
    assert field in response.json()


def test_exports_refuse_creditors_and_count_only_what_the_user_may_see(fixed, client):
    client.force_login(fixed.users["creditor"])
    assert client.get("/stats/export.csv", {"table": "stages"}).status_code == 403
    assert client.get("/stats/").status_code == 403
    client.force_login(fixed.users["enforcement_judge_2"])
    rows = list(csv.reader(io.StringIO(client.get("/stats/export.csv", {"table": "regions"}).content.decode()[1:])))
    assert [r[0] for r in rows[1:]] == ["450103"]


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get("/stats/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/stats/export.csv", {"table": "stages"}).status_code == 302


def test_dashboard_shows_figures_charts_and_tables(judge_client):
    response = judge_client.get("/stats/", {**PERIOD, "region_code": "450102"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 5  # stages, performance, deadlines on time, median days; the procedure with counts
    assert 'class="procedure-diagram"' in page
    assert 'role="img"' in page
    for name in TABLES:
        assert f'data-testid="stats-table-{name}"' in page
        assert f"/stats/export.csv?region_code=450102&amp;from=2025-03-01&amp;to=2025-12-31&amp;table={name}" in page
    assert "1,350,000.00" in page  # amount recovered after transfer: B and C
    assert "135.00" in page  # the same in ten-thousand yuan
    # Nothing inline: the page holds under a Content-Security-Policy without 'unsafe-inline'.
    assert "style=" not in page and "<script>" not in page and " on" + "click=" not in page


def test_dashboard_bad_filter_is_400_and_names_the_field(judge_client):
    response = judge_client.get("/stats/", {"from": "2025-02-30", "to": "2025-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="stats-from-error"' in page and 'aria-invalid="true"' in page
    assert "<svg" not in page
