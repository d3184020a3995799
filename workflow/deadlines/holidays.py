"""The holiday schedule as data (CPL Art. 105; procedure.md §4 "How a period is counted").

The State Council publishes each year's public holidays and the weekend days declared working days. They live
in two tables an administrator can edit: ``HolidaySchedule`` (one row per listed day) and ``CalendarYear`` (the
years whose schedule is complete). This module reads them as a :class:`workflow.legal_calendar.Schedule`, seeds
them from the maintained ``chinesecalendar`` package, imports a newly published year from a file, and recounts
the deadlines a changed year affects, so that a provisional due date becomes a final one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from procedure.calendar import (
    ChineseCalendarSchedule,
    DueDate,
    Schedule,
    UnknownYear,
    compute_due_date,
    official_schedule_entries,
)
from procedure.states import DeadlineStatus
from workflow.models import CalendarYear, Deadline, HolidaySchedule

PACKAGE_SOURCE = f"State Council holiday schedules, chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


_TRUE = {"1", "true", "yes", "y", "working", "work"}
_FALSE = {"0", "false", "no", "n", "holiday", "rest", ""}


class DatabaseSchedule:
    """The administrator-edited table as a schedule.

    Costs one query for the known years and one per year actually consulted (a due date touches one year, two
    at a year's end), so that opening a deadline never loads the whole table.
    """

    def __init__(self, known_years: Iterable[int]) -> None:
        self.known_years = frozenset(known_years)
        self._years: dict[int, dict[date, tuple[bool, str]]] = {}

    def _entries(self, year: int) -> dict[date, tuple[bool, str]]:
        if year not in self.known_years:
            raise UnknownYear(year)
        if year not in self._years:
            rows = HolidaySchedule.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
            self._years[year] = {day: (working, name) for day, working, name in
                                 rows.values_list("day", "is_working_day", "name")}
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        entry = self._entries(day.year).get(day)
        return entry[0] if entry else day.weekday() < 5

    def day_name(self, day: date) -> str | None:
        entry = self._entries(day.year).get(day)
        return (entry[1] or None) if entry else None


def database_schedule() -> Schedule:
    """The schedule in force: the table, or the packaged official schedule while the table was never seeded.

    The migration seeds the table, so the fallback serves only a database emptied by hand (or a test that
    flushes it); it is the same data the table is seeded from, never a guess.
    """
    years = list(CalendarYear.objects.values_list("year", flat=True))
    if not years:
        return ChineseCalendarSchedule()
    return DatabaseSchedule(years)


def due_date(*, start: date, days: int | None = None, months: int | None = None, custody: bool = False,
             basis: str = "") -> DueDate:
    """A due date counted by CPL Art. 105 against the schedule in force; raises UnknownYear for a year it lacks."""
    return compute_due_date(start, days=days, months=months, custody=custody, schedule=database_schedule(),
                            basis=basis)


# Seeding and import ----------------------------------------------------------------------------------------


def package_years() -> list[int]:
    """The years the installed chinesecalendar package has the official schedule for."""
    return sorted(ChineseCalendarSchedule().known_years)


def seed_from_package(*, years: Iterable[int] | None = None, replace: bool = False, holiday_model=None,
                      year_model=None) -> list[int]:
    """Load the packaged official schedule into the table; returns the years loaded.

    A year already in the table is left alone (an administrator may have corrected it) unless ``replace``.
    ``holiday_model``/``year_model`` let the data migration pass its historical models.
    """
    if holiday_model is None or year_model is None:
        holiday_model, year_model = HolidaySchedule, CalendarYear
    wanted = sorted(set(package_years() if years is None else years))
    if not replace:
        present = set(year_model.objects.filter(year__in=wanted).values_list("year", flat=True))
        wanted = [year for year in wanted if year not in present]
    if not wanted:
        return []
    entries = official_schedule_entries(wanted)  # raises UnknownYear for a year the package lacks
    with transaction.atomic():
        _replace_years(holiday_model, year_model, wanted, entries, PACKAGE_SOURCE)
    return wanted


def _replace_years(holiday_model, year_model, years, entries, source) -> None:
    for year in years:
        holiday_model.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)).delete()
    holiday_model.objects.bulk_create(
        [holiday_model(day=day, is_working_day=working, name=name, source=source) for day, working, name in entries],
        batch_size=1000,
    )
    now = timezone.now()
    for year in years:
        year_model.objects.update_or_create(year=year, defaults={"source": source, "imported_at": now})


@dataclass(frozen=True)
class ImportResult:
    years: list[int]
    days: int
    recounted: int


def read_schedule_file(path: str | Path) -> list[tuple[date, bool, str]]:
    """Parse a year's schedule from a CSV or JSON file into ``(day, is_working_day, name)`` rows.

    CSV: a header ``day,is_working_day,name`` then one row per listed day (``2027-02-06,false,Spring Festival``;
    ``is_working_day`` is true/false, 1/0, yes/no). JSON: a list of objects with the same keys.
    Raises ValidationError naming the line and what is wrong.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("%(file)s is not valid JSON: %(error)s") % {"file": path.name, "error": exc}) \
                from None
        if not isinstance(records, list):
            raise ValidationError(_("The JSON file must hold a list of days."))
        numbered = list(enumerate(records, start=1))
    else:
        reader = csv.DictReader(io.StringIO(text))
        missing = {"day", "is_working_day"} - set(reader.fieldnames or [])
        if missing:
            raise ValidationError(_("The CSV header must name the columns day, is_working_day and name."))
        numbered = [(reader.line_num, row) for row in reader]
    rows = []
    for line, record in numbered:
        if not isinstance(record, dict):
            raise ValidationError(_("Line %(line)s: expected an object with day, is_working_day and name.")
                                  % {"line": line})
        rows.append((line, record.get("day"), record.get("is_working_day"), record.get("name") or ""))
    return _validate_rows(rows)


def _validate_rows(rows) -> list[tuple[date, bool, str]]:
    result, seen = [], set()
    for line, raw_day, raw_working, name in rows:
        try:
            day = date.fromisoformat(str(raw_day).strip())
        except ValueError:
            raise ValidationError(_("Line %(line)s: %(value)r is not a date (YYYY-MM-DD).")
                                  % {"line": line, "value": raw_day}) from None
        if isinstance(raw_working, bool):
            working = raw_working
        elif str(raw_working).strip().lower() in _TRUE:
            working = True
        elif str(raw_working).strip().lower() in _FALSE:
            working = False
        else:
            raise ValidationError(_("Line %(line)s: is_working_day must be true or false, not %(value)r.")
                                  % {"line": line, "value": raw_working})
        if working and day.weekday() < 5:
            raise ValidationError(_("Line %(line)s: %(day)s is a weekday; only a Saturday or Sunday can be declared "
                                    "a working day.") % {"line": line, "day": day})
        if day in seen:
            raise ValidationError(_("Line %(line)s: %(day)s is listed twice.") % {"line": line, "day": day})
        seen.add(day)
        result.append((day, working, str(name).strip()[:100]))
    return sorted(result)


def import_schedule(*, entries: list[tuple[date, bool, str]], source: str, years: Iterable[int] | None = None) \
        -> ImportResult:
    """Make ``entries`` the official schedule of their years, replacing what the table had for those years.

    ``years`` declares the years the file covers (needed for a year without any listed day); every entry must
    fall in them. Deadlines counted against those years, or provisional for want of them, are recounted in the
    same transaction.
    """
    entry_years = {day.year for day, _working, _name in entries}
    declared = set(years) if years else entry_years
    if not declared:
        raise ValidationError(_("The file lists no day; name the year it covers."))
    stray = sorted(entry_years - declared)
    if stray:
        raise ValidationError(_("The file lists days of %(years)s, outside the years being imported.")
                              % {"years": ", ".join(map(str, stray))})
    with transaction.atomic():
        _replace_years(HolidaySchedule, CalendarYear, sorted(declared), entries, source)
        recounted = recount_deadlines(years=declared)
    return ImportResult(years=sorted(declared), days=len(entries), recounted=recounted)


# Recounting ------------------------------------------------------------------------------------------------


def _recount(deadline, schedule: Schedule) -> DueDate:
    """The deadline's due date counted afresh from its start, for its whole (possibly extended) period."""
    return compute_due_date(deadline.start_date, days=deadline.period_days, months=deadline.period_months,
                            custody=deadline.custody, schedule=schedule, basis=deadline.legal_basis)


def recount_deadlines(*, years: Iterable[int]) -> int:
    """Recount the deadlines that depend on ``years``: provisional ones, and open ones due in or just after them.

    Called when a year is imported or corrected. A provisional deadline whose year is now known gets its final,
    shifted date; one still reaching an unknown year stays provisional. An overdue deadline whose recounted
    due date has not passed is open again. Returns how many deadlines changed.
    """
    years = sorted(set(years))
    if not years:
        return 0
    schedule = database_schedule()
    today = timezone.localdate()
    # A shift can carry a due date a few days into the next year (a Spring Festival or New Year rest).
    first, last = date(years[0], 1, 1), date(years[-1] + 1, 1, 31)
    affected = Deadline.objects.select_for_update().filter(
        Q(provisional=True) | Q(due_date__gte=first, due_date__lte=last),
        met_at__isnull=True, status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE],
    )
    with transaction.atomic():
        return _recount_all(affected.order_by("id"), schedule, today)


def _recount_all(deadlines, schedule: Schedule, today: date) -> int:
    changed = 0
    for deadline in deadlines:
        try:
            due = _recount(deadline, schedule)
        except UnknownYear:
            continue  # still reaches a year nobody has imported: stays provisional, saying so
        new = (due.due_date, False, due.explain("zh-hans"), due.explain("en"))
        if new == (deadline.due_date, deadline.provisional, deadline.explanation, deadline.explanation_en):
            continue
        deadline.due_date, deadline.provisional, deadline.explanation, deadline.explanation_en = new
        fields = ["due_date", "provisional", "explanation", "explanation_en"]
        if deadline.status == DeadlineStatus.OVERDUE and deadline.due_date >= today:
            deadline.status, deadline.overdue_at = DeadlineStatus.OPEN, None
            fields += ["status", "overdue_at"]
        deadline.save(update_fields=fields)
        changed += 1
    return changed
