"""Tests for workflow.legal_calendar against the real State Council schedules packaged in chinesecalendar.

Every expected date below was checked against the package's 2024-2026 data, the relevant facts being:

2025  National Day + Mid-autumn: rest Wed 10-01 .. Wed 10-08; adjusted working Sun 09-28 and Sat 10-11.
2026  New Year: rest Thu 01-01 .. Sat 01-03; adjusted working Sun 01-04.
2026  Spring Festival: rest Sun 02-15 .. Mon 02-23; adjusted working Sat 02-14 and Sat 02-28.
2026  Mid-autumn: rest Fri 09-25 .. Sun 09-27.  National Day: rest Thu 10-01 .. Wed 10-07 (Thu 10-08 is a
      working day); adjusted working Sun 09-20 and Sat 10-10.
2024  Feb 29 is an ordinary Thursday.
"""

import pickle
import re
from datetime import date, datetime, timedelta

import pytest

from procedure.basis import basis_text
from procedure.calendar import (
    ADJUSTED_WORKING_DAY,
    CPL_ART_105,
    ChineseCalendarSchedule,
    DueDate,
    MappingSchedule,
    Schedule,
    UnknownYear,
    add_period,
    compute_due_date,
    official_schedule_entries,
    working_days_before,
)

CC = ChineseCalendarSchedule()
D = date.fromisoformat


def span(first: str, last: str) -> tuple[date, ...]:
    a, b = D(first), D(last)
    return tuple(a + timedelta(days=i) for i in range((b - a).days + 1))


def length(text: str) -> dict[str, int]:
    """Parse a period such as "7d" (days=7), "1m" (months=1) or "1m15d" (months=1, days=15)."""
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)d)?", text)
    return {unit: int(n) for unit, n in (("months", match[1]), ("days", match[2])) if n}


# (id, start, period, custody, raw end, due date). Whenever the due date moves, the rest days passed over
# are exactly raw end .. due date - 1, which the test also checks.
CASES = [
    # Plain weeks and weekends (no holidays in March 2026).
    ("spec-7-days", "2026-03-02", "7d", False, "2026-03-09", "2026-03-09"),
    ("saturday", "2026-03-07", "7d", False, "2026-03-14", "2026-03-16"),
    ("sunday", "2026-03-08", "7d", False, "2026-03-15", "2026-03-16"),
    # National Day 2025 (joined by Mid-autumn on 10-06): the first working day after is Thu 10-09.
    ("nd2025-first-day", "2025-09-24", "7d", False, "2025-10-01", "2025-10-09"),
    ("nd2025-sunday", "2025-09-28", "7d", False, "2025-10-05", "2025-10-09"),
    ("nd2025-30-days", "2025-09-08", "30d", False, "2025-10-08", "2025-10-09"),
    ("nd2025-adjusted-sun-0928", "2025-09-21", "7d", False, "2025-09-28", "2025-09-28"),
    ("nd2025-adjusted-sat-1011", "2025-10-04", "7d", False, "2025-10-11", "2025-10-11"),
    # National Day 2026 ends on Wed 10-07, so Thu 10-08 is the first working day.
    ("nd2026-monday", "2026-09-28", "7d", False, "2026-10-05", "2026-10-08"),
    ("nd2026-by-month", "2026-09-01", "1m", False, "2026-10-01", "2026-10-08"),
    ("nd2026-adjusted-sun-0920", "2026-09-13", "7d", False, "2026-09-20", "2026-09-20"),
    ("nd2026-adjusted-sat-1010", "2026-10-03", "7d", False, "2026-10-10", "2026-10-10"),
    ("midautumn2026", "2026-09-18", "7d", False, "2026-09-25", "2026-09-28"),
    # Spring Festival 2026: nine rest days, then Tue 02-24.
    ("sf2026-first-day", "2026-02-08", "7d", False, "2026-02-15", "2026-02-24"),
    ("sf2026-in-lieu-fri", "2026-01-20", "1m", False, "2026-02-20", "2026-02-24"),
    ("sf2026-adjusted-sat-0214", "2026-02-07", "7d", False, "2026-02-14", "2026-02-14"),
    # New Year 2026: the shift lands on the adjusted working Sunday 01-04 itself.
    ("ny2026-shift-to-sunday", "2025-12-25", "7d", False, "2026-01-01", "2026-01-04"),
    ("ny2026-30-days", "2025-12-04", "30d", False, "2026-01-03", "2026-01-04"),
    ("ny2026-adjusted-sun-0104", "2025-12-28", "7d", False, "2026-01-04", "2026-01-04"),
    # Month ends. 2026-02-28 is the adjusted working Saturday after the Spring Festival.
    ("jan31-plus-1-month", "2026-01-31", "1m", False, "2026-02-28", "2026-02-28"),
    ("dec31-plus-2-months", "2025-12-31", "2m", False, "2026-02-28", "2026-02-28"),
    ("year-wrap-months", "2025-11-30", "3m", False, "2026-02-28", "2026-02-28"),
    ("leap-2024", "2024-01-31", "1m", False, "2024-02-29", "2024-02-29"),
    ("aug31-plus-1-month-2026", "2026-08-31", "1m", False, "2026-09-30", "2026-09-30"),
    ("aug31-plus-1-month-2025", "2025-08-31", "1m", False, "2025-09-30", "2025-09-30"),
    ("month-to-saturday", "2026-02-14", "1m", False, "2026-03-14", "2026-03-16"),
    # From a month's last day to the last day of the final month, a Saturday: moved to Monday.
    ("month-end-to-saturday", "2026-09-30", "1m", False, "2026-10-31", "2026-11-02"),
    ("month-end-feb", "2026-02-28", "1m", False, "2026-03-31", "2026-03-31"),
    # A prosecution review received 2026-01-17: one month ends in the Spring Festival, moved to 02-24; extended
    # by 15 days it runs 1 month and 15 days from the same start, and only the final day could move.
    ("prosecution-review-sf2026", "2026-01-17", "1m", False, "2026-02-17", "2026-02-24"),
    ("prosecution-review-extended", "2026-01-17", "1m15d", False, "2026-03-04", "2026-03-04"),
    # Custody: never extended, even on a holiday or weekend.
    ("custody-nd2026", "2026-09-28", "7d", True, "2026-10-05", "2026-10-05"),
    ("custody-sf2026", "2026-02-08", "7d", True, "2026-02-15", "2026-02-15"),
    ("custody-weekend", "2026-03-07", "7d", True, "2026-03-14", "2026-03-14"),
    ("custody-working-day", "2026-03-02", "7d", True, "2026-03-09", "2026-03-09"),
]


@pytest.mark.parametrize(
    ("start", "period", "custody", "raw_end", "due"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_compute_due_date_official_schedule(start, period, custody, raw_end, due):
    result = compute_due_date(D(start), custody=custody, schedule=CC, **length(period))
    assert result.start == D(start)
    assert result.raw_end == D(raw_end)
    assert add_period(D(start), **length(period)) == D(raw_end)
    assert result.due_date == D(due)
    assert result.shifted_over == (span(raw_end, str(D(due) - timedelta(days=1))) if due != raw_end else ())
    assert all(not CC.is_working_day(day) for day in result.shifted_over)
    assert result.custody is custody
    # The due date is a working day unless custody kept it on a rest day.
    assert CC.is_working_day(result.due_date) or custody


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        ("2026-03-02", "7d", "2026-03-09"),
        ("2026-01-31", "1m", "2026-02-28"),
        ("2024-01-31", "1m", "2024-02-29"),
        ("2028-01-30", "1m", "2028-02-29"),
        ("2026-08-31", "1m", "2026-09-30"),
        ("2026-03-31", "1m", "2026-04-30"),
        ("2026-11-30", "3m", "2027-02-28"),
        ("2026-12-31", "1d", "2027-01-01"),
        ("2026-07-15", "6m", "2027-01-15"),
        ("2026-01-15", "12m", "2027-01-15"),
        # A period starting on a month's last day ends on the last day of the final month.
        ("2026-02-28", "1m", "2026-03-31"),
        ("2026-04-30", "1m", "2026-05-31"),
        ("2026-09-30", "1m", "2026-10-31"),
        ("2025-02-28", "12m", "2026-02-28"),
        ("2024-02-29", "12m", "2025-02-28"),
        ("2026-06-30", "2m", "2026-08-31"),
        # But the 28th of a 31-day month keeps its number.
        ("2026-01-28", "1m", "2026-02-28"),
        ("2026-03-28", "1m", "2026-04-28"),
        # Months and days together: the months first, then the days (CPL Art. 172, 1 month and 15 days).
        ("2026-01-17", "1m15d", "2026-03-04"),
        ("2026-01-31", "1m15d", "2026-03-15"),
    ],
)
def test_add_period(start, period, expected):
    assert add_period(D(start), **length(period)) == D(expected)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"days": 0}, {"days": -1}, {"months": 0}, {"days": True}, {"days": 1.5}, {"days": 15, "months": 0}],
)
def test_add_period_rejects_bad_lengths(kwargs):
    with pytest.raises(ValueError):
        add_period(D("2026-03-02"), **kwargs)
    with pytest.raises(ValueError):
        compute_due_date(D("2026-03-02"), schedule=CC, **kwargs)


def test_add_period_rejects_datetime():
    with pytest.raises(TypeError):
        add_period(datetime(2026, 3, 2, 9, 0), days=7)


def test_leap_february_with_mapping_schedule():
    # 2028 is beyond the package's data; an admin-entered (here: empty, weekends only) year still works.
    schedule = MappingSchedule({}, known_years=[2028])
    result = compute_due_date(D("2028-01-31"), months=1, schedule=schedule)
    assert (result.raw_end, result.due_date) == (D("2028-02-29"), D("2028-02-29"))  # a Tuesday


# --- years the calendar does not know -------------------------------------------------------------


@pytest.mark.parametrize("start", ["2031-03-02", "2003-06-02", "2026-12-30"])
def test_unknown_year_is_refused(start):
    # 2026-12-30 + 7 days = 2027-01-06, beyond the package's data (2004-2026).
    with pytest.raises(UnknownYear) as excinfo:
        compute_due_date(D(start), days=7, schedule=CC)
    assert excinfo.value.year == add_period(D(start), days=7).year
    assert "no official schedule" in str(excinfo.value)
    assert str(excinfo.value.year) in str(excinfo.value)


@pytest.mark.parametrize(("start", "period", "due"), [
    ("2031-03-02", "7d", "2031-03-09"),
    ("2026-12-30", "7d", "2027-01-06"),
    ("2026-12-31", "3d", "2027-01-03"),  # a Sunday: custody is not extended for rest days
    ("2026-11-30", "2m", "2027-01-31"),
])
def test_a_custody_period_is_exact_in_a_year_the_calendar_lacks(start, period, due):
    """CPL Art. 105: in custody nothing is shifted, so no schedule is needed to know the last day."""
    result = compute_due_date(D(start), custody=True, schedule=CC, **length(period))
    assert result.due_date == D(due) and result.shifted_over == ()
    assert "custody" in result.explain("en") and "在押" in result.explain("zh-hans")


def test_unknown_year_reached_while_shifting():
    # Raw end Thu 2026-12-31 is declared a rest day, so the shift must look at 2027, which is unknown.
    schedule = MappingSchedule({D("2026-12-31"): False}, known_years=[2026])
    with pytest.raises(UnknownYear) as excinfo:
        compute_due_date(D("2026-12-24"), days=7, schedule=schedule)
    assert excinfo.value.year == 2027
    # In custody nothing after the raw end is needed, so the answer is certain.
    in_custody = compute_due_date(D("2026-12-24"), days=7, custody=True, schedule=schedule)
    assert in_custody.due_date == D("2026-12-31")


def test_unknown_year_is_a_picklable_value_error():
    error = pickle.loads(pickle.dumps(UnknownYear(2031)))
    assert isinstance(error, ValueError)
    assert error.year == 2031
    assert str(error) == str(UnknownYear(2031))


def test_chinese_calendar_schedule_known_years():
    assert {2004, 2025, 2026} <= CC.known_years
    assert 2031 not in CC.known_years
    assert isinstance(CC, Schedule)
    with pytest.raises(UnknownYear):
        CC.is_working_day(D("2031-01-01"))


# --- admin-editable schedule ------------------------------------------------------------------------


def official_mapping(years, **edits):
    entries = {day: working for day, working, _ in official_schedule_entries(years)}
    names = {day: name for day, _, name in official_schedule_entries(years)}
    entries.update({D(day): working for day, working in edits.items()})
    return MappingSchedule(entries, known_years=years, names=names)


def test_official_schedule_entries_2026():
    rows = official_schedule_entries([2026])
    assert rows == sorted(rows)
    assert all(day.year == 2026 for day, _, _ in rows)
    assert (D("2026-01-04"), True, ADJUSTED_WORKING_DAY) in rows
    assert (D("2026-02-14"), True, ADJUSTED_WORKING_DAY) in rows
    assert (D("2026-02-28"), True, ADJUSTED_WORKING_DAY) in rows
    assert (D("2026-10-01"), False, "National Day") in rows
    assert (D("2026-02-17"), False, "Spring Festival") in rows
    assert D("2026-10-08") not in {day for day, _, _ in rows}
    adjusted = [day for day, working, _ in rows if working]
    expected = ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")
    assert adjusted == [D(day) for day in expected]
    assert all(day.weekday() >= 5 for day in adjusted)
    assert len([row for row in rows if not row[1]]) == 33


def test_official_schedule_entries_unknown_year():
    with pytest.raises(UnknownYear):
        official_schedule_entries([2026, 2031])


def test_mapping_seeded_from_official_data_matches_package():
    schedule = official_mapping([2025, 2026])
    day = D("2025-01-01")
    while day <= D("2026-12-31"):
        assert schedule.is_working_day(day) == CC.is_working_day(day), day
        day += timedelta(days=1)


def test_admin_edit_changes_the_result():
    official = official_mapping([2026])
    assert compute_due_date(D("2026-09-28"), days=7, schedule=official).due_date == D("2026-10-08")
    # An administrator records Thu 2026-10-08 as an extra rest day: the due date follows the table.
    edited = official_mapping([2026], **{"2026-10-08": False})
    result = compute_due_date(D("2026-09-28"), days=7, schedule=edited)
    assert result.due_date == D("2026-10-09")
    assert result.shifted_over == span("2026-10-05", "2026-10-08")
    # ...or turns the official holiday 2026-10-05 into a working day: no shift at all.
    edited = official_mapping([2026], **{"2026-10-05": True})
    assert compute_due_date(D("2026-09-28"), days=7, schedule=edited).due_date == D("2026-10-05")


def test_mapping_schedule_defaults_and_unknown_years():
    schedule = MappingSchedule({D("2030-05-01"): False, D("2030-05-11"): True}, known_years=range(2030, 2031))
    assert schedule.is_working_day(D("2030-05-02"))  # Thursday, not listed
    assert not schedule.is_working_day(D("2030-05-04"))  # Saturday, not listed
    assert not schedule.is_working_day(D("2030-05-01"))  # listed rest day (a Wednesday)
    assert schedule.is_working_day(D("2030-05-11"))  # listed working Saturday
    with pytest.raises(UnknownYear):
        schedule.is_working_day(D("2031-05-02"))
    with pytest.raises(ValueError, match="2029"):
        MappingSchedule({D("2029-10-01"): False}, known_years=[2030])


# --- explanations -----------------------------------------------------------------------------------


def test_explain_english_exact():
    result = compute_due_date(D("2026-09-28"), days=7, schedule=CC, basis="Opinions Art. 5 ¶2")
    assert result.explain("en") == (
        "Start 2026-09-28 (not counted) + 7 days = 2026-10-05, a rest day (National Day holiday); "
        "moved to the first working day 2026-10-08. Basis: CPL Art. 105; Opinions Art. 5 ¶2."
    )


def test_explain_chinese_exact():
    result = compute_due_date(D("2026-09-28"), days=7, schedule=CC, basis="Opinions Art. 5 ¶2")
    assert result.explain() == (
        "起算日2026-09-28（当日不计入）加7日，届满于2026-10-05，系休息日（国庆节假期），"
        "顺延至其后第一个工作日2026-10-08。依据：《刑事诉讼法》第105条；《意见》第5条第2款。"
    )


EXPLAIN_CASES = [
    # (start, period, custody, basis, words expected in en, words expected in zh)
    ("2026-09-28", "7d", False, "Opinions Art. 5 ¶2", ["moved", "National Day"], ["顺延", "国庆节"]),
    ("2026-03-02", "7d", False, "Opinions Art. 12 ¶1", ["no shift", "a working day"], ["无需顺延", "工作日"]),
    ("2026-03-07", "7d", False, "", ["moved", "Saturday"], ["顺延", "星期六"]),
    ("2026-09-28", "7d", True, "CPL Art. 91 ¶3", ["custody", "not moved"], ["在押", "不因节假日顺延"]),
    ("2026-01-31", "1m", False, "CPL Art. 175", ["1 month", "adjusted working day"], ["1个月", "调休"]),
    ("2026-01-20", "1m", False, "CPL Art. 172", ["Spring Festival holiday"], ["春节假期"]),
]


@pytest.mark.parametrize(("start", "period", "custody", "basis", "en_words", "zh_words"), EXPLAIN_CASES)
def test_explain_is_one_line_with_the_essentials(start, period, custody, basis, en_words, zh_words):
    result = compute_due_date(D(start), custody=custody, schedule=CC, basis=basis, **length(period))
    for language, words in (("en", en_words), ("zh-hans", zh_words)):
        text = result.explain(language)
        assert "\n" not in text and "\r" not in text
        cited = basis_text(basis, language)
        for needed in (str(result.start), str(result.raw_end), str(result.due_date), cited, *words):
            assert needed in text, (language, needed, text)
    assert CPL_ART_105 in result.explain("en")
    assert result.explain("en").count(CPL_ART_105) == 1  # not repeated when the basis already names it
    assert result.explain("zh-hans").count("《刑事诉讼法》第105条") == 1


def test_explain_without_schedule_names():
    # MappingSchedule without names and a DueDate rebuilt from stored fields still explain themselves.
    schedule = MappingSchedule({D("2030-10-01"): False}, known_years=[2030])
    result = compute_due_date(D("2030-09-24"), days=7, schedule=schedule)
    assert "a rest day;" in result.explain("en") and "2030-10-02" in result.explain("en")
    rebuilt = DueDate(
        start=D("2026-09-28"), raw_end=D("2026-10-05"), due_date=D("2026-10-05"),
        custody=True, basis="", period="7 days",
    )  # fmt: skip
    assert "custody" in rebuilt.explain("en") and "7日" in rebuilt.explain()
    with pytest.raises(ValueError):
        rebuilt.explain("fr")


def test_due_date_is_frozen():
    result = compute_due_date(D("2026-03-02"), days=7, schedule=CC)
    with pytest.raises(AttributeError):
        result.due_date = D("2026-03-10")
    assert result.period == "7 days"
    assert compute_due_date(D("2026-03-02"), days=1, schedule=CC).period == "1 day"
    assert compute_due_date(D("2026-03-02"), months=2, schedule=CC).period == "2 months"


# --- working_days_before ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "n", "expected"),
    [
        ("2026-03-12", 0, "2026-03-12"),
        ("2026-03-12", 2, "2026-03-10"),  # plain week
        ("2026-03-16", 1, "2026-03-13"),  # over a weekend
        ("2026-10-08", 1, "2026-09-30"),  # over National Day 2026 (10-01 .. 10-07)
        ("2026-10-08", 3, "2026-09-28"),
        ("2026-10-08", 4, "2026-09-24"),  # and over Mid-autumn (09-25 .. 09-27)
        ("2026-09-21", 1, "2026-09-20"),  # the adjusted working Sunday counts
        ("2026-02-24", 1, "2026-02-14"),  # Spring Festival 2026, back to the adjusted Saturday
        ("2025-10-09", 1, "2025-09-30"),  # National Day 2025
        ("2025-10-09", 3, "2025-09-28"),  # adjusted working Sunday 09-28 counts
        ("2026-01-05", 1, "2026-01-04"),  # New Year 2026 adjusted working Sunday
        ("2026-01-05", 2, "2025-12-31"),  # then back over 01-01 .. 01-03 into 2025
    ],
)
def test_working_days_before(due, n, expected):
    assert working_days_before(D(due), n, schedule=CC) == D(expected)


def test_working_days_before_errors():
    with pytest.raises(ValueError):
        working_days_before(D("2026-03-12"), -1, schedule=CC)
    with pytest.raises(UnknownYear):
        working_days_before(D("2004-01-02"), 2, schedule=CC)
