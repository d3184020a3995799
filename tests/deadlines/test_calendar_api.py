"""GET /api/calendar/due-date/: CPL Art. 105 counted against the holiday table the migration seeded.

Facts of the official schedules used below: National Day 2025 is a rest from Wed 10-01 to Wed 10-08 (adjusted
working Sun 09-28, Sat 10-11); New Year 2026 rests Thu 01-01 to Sat 01-03 with Sun 01-04 an adjusted working
day; the Spring Festival 2026 rests Sun 02-15 to Mon 02-23 with Sat 02-14 and Sat 02-28 adjusted working days;
National Day 2026 rests Thu 10-01 to Wed 10-07.
"""

import pytest

URL = "/api/calendar/due-date/"

# (id, query, due date, days passed over)
TABLE = [
    ("spec-example", "start=2026-03-02&days=7", "2026-03-09", []),
    ("saturday", "start=2026-03-07&days=7", "2026-03-16", ["2026-03-14", "2026-03-15"]),
    ("sunday", "start=2026-03-08&days=7", "2026-03-16", ["2026-03-15"]),
    ("national-day-2025", "start=2025-09-24&days=7", "2025-10-09",
     ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07",
      "2025-10-08"]),
    ("national-day-2025-30-days", "start=2025-09-08&days=30", "2025-10-09", ["2025-10-08"]),
    ("adjusted-working-sunday-before-national-day", "start=2025-09-21&days=7", "2025-09-28", []),
    ("national-day-2026-by-month", "start=2026-09-01&months=1", "2026-10-08",
     ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]),
    ("spring-festival-2026", "start=2026-02-08&days=7", "2026-02-24",
     ["2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
      "2026-02-22", "2026-02-23"]),
    ("spring-festival-adjusted-saturday", "start=2026-02-07&days=7", "2026-02-14", []),
    ("new-year-shifts-onto-its-adjusted-sunday", "start=2025-12-25&days=7", "2026-01-04",
     ["2026-01-01", "2026-01-02", "2026-01-03"]),
    ("new-year-adjusted-sunday-itself", "start=2025-12-28&days=7", "2026-01-04", []),
    ("month-end-to-february", "start=2026-01-31&months=1", "2026-02-28", []),
    ("month-end-30-day-month", "start=2025-08-31&months=1", "2025-09-30", []),
    ("leap-february", "start=2024-01-31&months=1", "2024-02-29", []),
    ("month-end-onto-saturday", "start=2025-12-31&months=3", "2026-03-31", []),
    ("two-months-onto-national-day", "start=2026-08-01&months=2", "2026-10-08",
     ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]),
    ("custody-national-day", "start=2025-09-24&days=7&custody=true", "2025-10-01", []),
    ("custody-spring-festival", "start=2026-02-08&days=7&custody=true", "2026-02-15", []),
    ("custody-weekend", "start=2026-03-07&days=7&custody=true", "2026-03-14", []),
    ("custody-false-explicit", "start=2026-03-07&days=7&custody=false", "2026-03-16", ["2026-03-14", "2026-03-15"]),
]


@pytest.mark.parametrize(("query", "due", "passed_over"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_due_date_table(demo, as_user, query, due, passed_over):
    response = as_user(demo["police_investigator"]).get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_date"] == due
    assert body["shifted_over"] == passed_over
    start = query.split("&")[0].removeprefix("start=")
    assert body["start"] == start
    # One line saying start, raw end, shift and basis.
    explanation = body["explanation"]
    assert "\n" not in explanation
    assert start in explanation and body["raw_end"] in explanation and due in explanation
    assert "105" in explanation


def test_explanation_follows_the_users_language(demo, as_user):
    user = demo["enforcement_judge"]
    user.language = "en"
    user.save()
    body = as_user(user).get(f"{URL}?start=2025-09-24&days=7").json()
    assert body["explanation"] == (
        "Start 2025-09-24 (not counted) + 7 days = 2025-10-01, a rest day (National Day holiday); moved to the "
        "first working day 2025-10-09. Basis: CPL Art. 105."
    )
    custody = as_user(user).get(f"{URL}?start=2025-09-24&days=7&custody=true").json()
    assert "not moved for holidays because the person is in custody" in custody["explanation"]
    zh = as_user(demo["police_clerk"]).get(f"{URL}?start=2025-09-24&days=7").json()
    assert zh["explanation"].startswith("起算日2025-09-24（当日不计入）加7日，届满于2025-10-01")
    assert "顺延至其后第一个工作日2025-10-09" in zh["explanation"]


@pytest.mark.parametrize("query", ["start=2026-12-20&days=30", "start=2026-12-31&months=1",
                                   "start=2003-01-01&days=7"])
def test_a_year_the_calendar_does_not_know_is_400(demo, as_user, query):
    response = as_user(demo["procurator"]).get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["year"] in (2003, 2027)
    assert str(body["year"]) in body["detail"]


def test_a_custody_period_needs_no_calendar(demo, as_user):
    """procedure.md §4: custody is not extended for holidays, so its last day is exact in any year."""
    body = as_user(demo["procurator"]).get(f"{URL}?start=2027-01-04&days=7&custody=true")
    assert body.status_code == 200
    assert body.json()["due_date"] == "2027-01-11"


@pytest.mark.parametrize(("query", "field"), [
    ("days=7", "start"),
    ("start=2026-02-30&days=7", "start"),
    ("start=tomorrow&days=7", "start"),
    ("start=2026-03-02", "days"),
    ("start=2026-03-02&days=0", "days"),
    ("start=2026-03-02&days=-3", "days"),
    ("start=2026-03-02&days=seven", "days"),
    ("start=2026-03-02&days=99999999999", "days"),
    ("start=2026-03-02&months=1000", "months"),
    ("start=2026-03-02&days=7&months=1", "months"),
    ("start=2026-03-02&days=7&custody=perhaps", "custody"),
])
def test_bad_input_is_400_naming_the_field(demo, as_user, query, field):
    response = as_user(demo["creditor"]).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_the_end_of_the_calendar_is_400_not_500(demo, as_user):
    response = as_user(demo["creditor"]).get(f"{URL}?start=9999-12-01&days=3650")
    assert response.status_code == 400


def test_login_required(api):
    assert api.get(f"{URL}?start=2026-03-02&days=7").status_code == 401
