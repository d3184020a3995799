"""The holiday schedule is data: seeded from chinesecalendar, editable in the admin, importable from a file."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from procedure.calendar import ChineseCalendarSchedule, UnknownYear, compute_due_date
from tests.casebuilder import case_in_state
from workflow.deadlines import holidays
from workflow.models import CalendarYear, Deadline, HolidaySchedule

# An illustrative schedule for a year the package does not have (not the official one).
SCHEDULE_2027 = """day,is_working_day,name
2027-01-01,false,New Year's Day
2027-01-02,false,New Year's Day
2027-01-03,false,New Year's Day
2027-01-09,false,Test holiday
2027-01-10,false,Test holiday
2027-01-11,false,Test holiday
2027-02-20,true,adjusted working day
"""


def write(tmp_path, text, name="2027.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_migration_seeded_every_year_the_package_has(db):
    package = ChineseCalendarSchedule()
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(package.known_years)
    national_day = HolidaySchedule.objects.get(day=date(2025, 10, 1))
    assert not national_day.is_working_day and national_day.name == "National Day"
    assert HolidaySchedule.objects.get(day=date(2026, 1, 4)).is_working_day  # adjusted working Sunday
    table = holidays.database_schedule()
    for year in (2024, 2025, 2026):
        day = date(year, 1, 1)
        while day.year == year:
            assert table.is_working_day(day) == package.is_working_day(day), day
            day = day.fromordinal(day.toordinal() + 1)
    with pytest.raises(UnknownYear):
        table.is_working_day(date(2027, 1, 5))


def test_seeding_again_keeps_what_an_administrator_corrected(db):
    HolidaySchedule.objects.filter(day=date(2026, 10, 8)).delete()
    HolidaySchedule.objects.create(day=date(2026, 10, 8), name="corrected by hand")
    call_command("seed_holidays")
    assert HolidaySchedule.objects.get(day=date(2026, 10, 8)).name == "corrected by hand"
    call_command("seed_holidays", "--year", "2026", "--replace")
    assert not HolidaySchedule.objects.filter(day=date(2026, 10, 8)).exists()
    with pytest.raises(CommandError, match="2031"):
        call_command("seed_holidays", "--year", "2031")


def test_an_empty_table_falls_back_to_the_packaged_schedule(db):
    CalendarYear.objects.all().delete()
    HolidaySchedule.objects.all().delete()
    assert holidays.due_date(start=date(2025, 9, 24), days=7).due_date == date(2025, 10, 9)


def test_a_working_day_entry_must_be_a_weekend_day(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        HolidaySchedule(day=date(2026, 3, 4), is_working_day=True).full_clean()
    assert "is_working_day" in error.value.message_dict


def test_an_unknown_year_opens_a_provisional_deadline_that_an_import_makes_final(demo, travel, tmp_path, as_user):
    travel("2026-12-10")
    case = case_in_state(demo, "transferred")
    deadline = case.deadlines.get(kind="written_response")
    # 30 days from 2026-12-10 end on Sat 2027-01-09; 2027 is unknown, so the raw date is kept and flagged.
    assert deadline.provisional and deadline.due_date == date(2027, 1, 9)
    assert "2027" in deadline.explanation_en and "unshifted" in deadline.explanation_en
    shown = as_user(demo["enforcement_judge"]).get(f"/api/cases/{case.pk}/").json()["deadlines"]
    assert shown[0]["provisional"] is True

    out = io.StringIO()
    call_command("import_holidays", write(tmp_path, SCHEDULE_2027), "--source", "test notice", stdout=out)
    assert out.getvalue().strip() == "Imported 7 days for 2027; 1 deadlines recounted."
    deadline.refresh_from_db()
    assert not deadline.provisional
    assert deadline.due_date == date(2027, 1, 12)  # past the Sat-Mon rest of the test schedule
    assert "2027-01-12" in deadline.explanation_en and "moved to the first working day" in deadline.explanation_en
    assert CalendarYear.objects.get(year=2027).source == "test notice"
    assert HolidaySchedule.objects.get(day=date(2027, 2, 20)).is_working_day


def test_import_replaces_the_year_and_recounts_open_deadlines(demo, travel, tmp_path):
    travel("2026-03-02")
    case = case_in_state(demo, "filing_review")
    deadline = case.deadlines.get(kind="filing_review")
    assert deadline.due_date == date(2026, 3, 9)
    corrected = "\n".join(
        ["day,is_working_day,name"]
        + [f"{d.isoformat()},{str(w).lower()},{n}" for d, w, n in holidays.official_schedule_entries([2026])]
        + ["2026-03-09,false,Test rest day"]
    )
    call_command("import_holidays", write(tmp_path, corrected, "2026.csv"))
    deadline.refresh_from_db()
    assert deadline.due_date == date(2026, 3, 10)
    assert "Test rest day" in deadline.explanation_en


def test_import_reads_json_too(db, tmp_path):
    days = [{"day": "2028-01-03", "is_working_day": False, "name": "New Year's Day"},
            {"day": "2028-01-08", "is_working_day": True, "name": "adjusted working day"}]
    call_command("import_holidays", write(tmp_path, json.dumps(days), "2028.json"))
    schedule = holidays.database_schedule()
    assert not schedule.is_working_day(date(2028, 1, 3))
    assert schedule.is_working_day(date(2028, 1, 8))  # a Saturday declared working
    assert compute_due_date(date(2027, 12, 27), days=7, schedule=schedule).due_date == date(2028, 1, 4)


@pytest.mark.parametrize(("text", "message"), [
    ("day,is_working_day,name\n2027-01-04,true,not a weekend\n", "weekday"),
    ("day,is_working_day,name\n2027-13-01,false,x\n", "not a date"),
    ("day,is_working_day,name\n2027-01-01,false,a\n2027-01-01,false,b\n", "twice"),
    ("day,is_working_day,name\n2027-01-01,maybe,a\n", "true or false"),
    ("date,holiday\n2027-01-01,yes\n", "header"),
])
def test_a_wrong_file_is_refused_and_changes_nothing(db, tmp_path, text, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("import_holidays", write(tmp_path, text))
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_file_must_stay_within_the_declared_year(db, tmp_path):
    with pytest.raises(CommandError, match="2027"):
        call_command("import_holidays", write(tmp_path, SCHEDULE_2027), "--year", "2028")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_holidays", str(tmp_path / "missing.csv"))


def test_an_administrator_corrects_a_day_in_the_admin_and_open_deadlines_follow(demo, travel, client, admin_user):
    travel("2026-03-02")
    admin_client = client
    admin_client.force_login(admin_user)
    case = case_in_state(demo, "filing_review")
    deadline = case.deadlines.get(kind="filing_review")
    response = admin_client.post("/admin/workflow/holidayschedule/add/",
                                 {"day": "2026-03-09", "name": "Test rest day", "source": "correction"})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date == date(2026, 3, 10)
    refused = admin_client.post("/admin/workflow/holidayschedule/add/",
                                {"day": "2026-03-11", "is_working_day": "on", "name": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "only a Saturday or Sunday" in refused.content.decode()
    assert admin_client.get("/admin/workflow/holidayschedule/").status_code == 200
    assert admin_client.get("/admin/workflow/calendaryear/").status_code == 200
    assert admin_client.get("/admin/workflow/notification/").status_code == 200
    row = HolidaySchedule.objects.get(day=date(2026, 3, 9))
    assert admin_client.post(f"/admin/workflow/holidayschedule/{row.pk}/delete/", {"post": "yes"}).status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date == date(2026, 3, 9)


def test_adding_a_year_in_the_admin_makes_provisional_deadlines_final(demo, travel, client, admin_user):
    travel("2026-12-10")
    admin_client = client
    admin_client.force_login(admin_user)  # after the time travel, so that the session is fresh
    case = case_in_state(demo, "transferred")
    HolidaySchedule.objects.create(day=date(2027, 1, 11), name="Test holiday")  # days first, then the year
    response = admin_client.post("/admin/workflow/calendaryear/add/",
                                 {"year": "2027", "source": "entered by hand", "imported_at_0": "2026-12-10",
                                  "imported_at_1": "10:00:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    deadline = Deadline.objects.get(case=case, kind="written_response")
    assert not deadline.provisional and deadline.due_date == date(2027, 1, 12)
