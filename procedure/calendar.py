"""Counting legal periods the way CPL Art. 105 requires, against China's official holiday schedule.

Rules implemented (Criminal Procedure Law Art. 105; see spec/procedure.md §4 "How a period is counted"):

* the day on which a period starts is not counted;
* a period in months ends on the same-numbered day of the final month, or on that month's last day if it
  has no such day;
* if the last day is a rest day or public holiday, the period ends on the first working day after it, where
  "working day" follows the State Council's yearly schedule (a weekend declared working is a working day);
* while the person is in custody the period is not extended for holidays.

The schedule is pluggable (:class:`Schedule`) so that an administrator can add or correct a year in the
database without a code change. A year the schedule does not know raises :class:`UnknownYear`: the spec
forbids guessing a due date silently.

This module deliberately imports nothing from Django so it can be tested and reused on its own.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, runtime_checkable

import chinese_calendar

from procedure.basis import basis_text

__all__ = [
    "ADJUSTED_WORKING_DAY",
    "CPL_ART_105",
    "ChineseCalendarSchedule",
    "DueDate",
    "MappingSchedule",
    "NamedSchedule",
    "Schedule",
    "UnknownYear",
    "add_period",
    "compute_due_date",
    "official_schedule_entries",
    "provisional_due_date",
    "working_days_before",
]

#: The counting rule itself; always part of a due date's basis.
CPL_ART_105 = "CPL Art. 105"

#: Name given to a Saturday or Sunday the State Council declares a working day.
ADJUSTED_WORKING_DAY = "adjusted working day"

_ONE_DAY = timedelta(days=1)


class UnknownYear(ValueError):
    """The schedule has no official data for ``year``; a due date there must not be guessed."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"the holiday calendar has no official schedule for {year}; "
            f"an administrator must add that year's State Council holiday schedule first"
        )

    def __reduce__(self):  # keep the exception picklable (Celery tasks may raise it)
        return (type(self), (self.year,))


@runtime_checkable
class Schedule(Protocol):
    """Tells working days from rest days for the years it knows."""

    def is_working_day(self, day: date) -> bool:
        """True for a working day; raises :class:`UnknownYear` for a year it does not know."""
        ...


@runtime_checkable
class NamedSchedule(Schedule, Protocol):
    """Optional extension: a schedule that can also name a day, used only to make explanations readable."""

    def day_name(self, day: date) -> str | None:
        """Festival name of a holiday, :data:`ADJUSTED_WORKING_DAY` for an adjusted working day, or None."""
        ...


class ChineseCalendarSchedule:
    """The official schedule as packaged by ``chinesecalendar`` (State Council notices, one per year)."""

    known_years: frozenset[int]

    def __init__(self) -> None:
        # The package validates by the span of its holiday data; mirror that so our error comes first
        # and is an UnknownYear rather than the package's NotImplementedError.
        first = min(chinese_calendar.holidays).year
        last = max(chinese_calendar.holidays).year
        self.known_years = frozenset(range(first, last + 1))

    def _check(self, day: date) -> None:
        if day.year not in self.known_years:
            raise UnknownYear(day.year)

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        return chinese_calendar.is_workday(day)

    def day_name(self, day: date) -> str | None:
        self._check(day)
        if day in chinese_calendar.workdays:
            return ADJUSTED_WORKING_DAY
        return chinese_calendar.holidays.get(day)


class MappingSchedule:
    """A schedule built from data, e.g. the admin-editable table seeded by :func:`official_schedule_entries`.

    A date in ``entries`` is a working day (True) or rest day (False) as given; any other date of a known
    year is a working day Monday to Friday and a rest day on Saturday and Sunday.
    """

    known_years: frozenset[int]

    def __init__(
        self,
        entries: Mapping[date, bool],
        known_years: Iterable[int],
        *,
        names: Mapping[date, str] | None = None,
    ) -> None:
        self.known_years = frozenset(known_years)
        stray = sorted({day.year for day in entries} - self.known_years)
        if stray:
            # An entry for an unlisted year means the data is half-entered; refusing beats ignoring it.
            raise ValueError(f"entries given for years not in known_years: {stray}")
        self._entries = dict(entries)
        self._names = dict(names or {})

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.known_years:
            raise UnknownYear(day.year)
        if day in self._entries:
            return self._entries[day]
        return day.weekday() < 5

    def day_name(self, day: date) -> str | None:
        if day.year not in self.known_years:
            raise UnknownYear(day.year)
        return self._names.get(day)


def official_schedule_entries(years: Iterable[int]) -> list[tuple[date, bool, str]]:
    """``(day, is_working_day, name)`` for every official holiday and adjusted working day of ``years``.

    Taken from ``chinesecalendar``; ``name`` is the festival's English name (e.g. "National Day") or
    :data:`ADJUSTED_WORKING_DAY`. Meant to seed the table an administrator edits. Sorted by day.
    """
    known = ChineseCalendarSchedule().known_years
    wanted = set(years)
    for year in sorted(wanted):
        if year not in known:
            raise UnknownYear(year)
    rows = [(day, False, name) for day, name in chinese_calendar.holidays.items() if day.year in wanted]
    rows += [(day, True, ADJUSTED_WORKING_DAY) for day in chinese_calendar.workdays if day.year in wanted]
    return sorted(rows)


def _lengths(days: int | None, months: int | None) -> tuple[int | None, int | None]:
    """Validate the period: months, days, or months and days (1 month and 15 days), each a positive whole number."""
    if days is None and months is None:
        raise ValueError("give days=, months= or both")
    for length, unit in ((days, "day"), (months, "month")):
        # bool is an int subclass; True as a period length is certainly a bug.
        if length is not None and (not isinstance(length, int) or isinstance(length, bool) or length <= 0):
            raise ValueError(f"a period needs a positive whole number of {unit}s, got {length!r}")
    return days, months


def _last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def add_period(start: date, *, days: int | None = None, months: int | None = None) -> date:
    """Raw end of a period under CPL Art. 105, before any holiday shift.

    The start day is not counted (7 days from 2026-03-02 end on 2026-03-09). A period in months ends on the
    same-numbered day of the final month, or that month's last day when it has none (1 month from 2026-01-31
    ends on 2026-02-28); a period starting on a month's last day ends on the last day of the final month (1 month
    from 2026-02-28 ends on 2026-03-31). Months and days together (1 month and 15 days) count the months first.
    """
    if isinstance(start, datetime):
        # A datetime would carry a time of day into date arithmetic and comparisons; demand a plain date.
        raise TypeError("start must be a datetime.date, not a datetime")
    days, months = _lengths(days, months)
    end = start
    if months:
        month_index = start.month - 1 + months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        last = calendar.monthrange(year, month)[1]
        end = date(year, month, last if start.day == _last_day(start) else min(start.day, last))
    return end + timedelta(days=days or 0)


# Chinese names for the festivals chinese_calendar knows, plus our own label; admin-typed names pass through.
_ZH_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
_ZH_NAMES[ADJUSTED_WORKING_DAY] = "调休上班日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_PERIOD_RE = re.compile(r"(\d+) (day|month)s?")


def _period_text(days: int | None, months: int | None) -> str:
    parts = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((months, "month"), (days, "day")) if n]
    return " and ".join(parts)


@dataclass(frozen=True)
class DueDate:
    """A computed due date and everything needed to explain it (spec §4: one-line explanation).

    ``shifted_over`` lists the rest days passed over, empty when the raw end stands. The last two fields
    only make :meth:`explain` more specific; ``raw_end_is_rest_day`` is None when not known.
    """

    start: date
    raw_end: date
    due_date: date
    custody: bool
    basis: str
    period: str
    shifted_over: tuple[date, ...] = ()
    raw_end_is_rest_day: bool | None = None
    raw_end_label: str = ""
    unknown_year: int | None = None  # provisional: the schedule lacks this year, the end is shown unshifted

    def _basis(self, language: str) -> str:
        # CPL Art. 105 governs every count; add it unless the caller's basis already names it.
        parts = [] if CPL_ART_105 in self.basis else [CPL_ART_105]
        if self.basis:
            parts.append(self.basis)
        return basis_text("; ".join(parts), language)

    def _period(self, language: str) -> str:
        parts = _PERIOD_RE.findall(self.period)
        if language == "en" or not parts:
            return self.period
        return "".join(f"{n}{'日' if unit == 'day' else '个月'}" for n, unit in parts)

    def _rest(self) -> bool | None:
        return True if self.shifted_over else self.raw_end_is_rest_day

    def _day_label(self, language: str) -> str:
        """What the raw end day is, e.g. "a rest day (National Day holiday)"; "" when unknown."""
        rest, label = self._rest(), self.raw_end_label
        if rest is None:
            return ""
        if language == "en":
            if label and label != ADJUSTED_WORKING_DAY and rest:
                label = f"{label} holiday"
            elif not label and rest and self.raw_end.weekday() >= 5:
                label = _WEEKDAYS_EN[self.raw_end.weekday()]
            kind = "a rest day" if rest else "a working day"
            return f"{kind} ({label})" if label else kind
        zh = _ZH_NAMES.get(label, label)
        if zh and label != ADJUSTED_WORKING_DAY and rest:
            zh = f"{zh}假期"
        elif not zh and rest and self.raw_end.weekday() >= 5:
            zh = _WEEKDAYS_ZH[self.raw_end.weekday()]
        kind = "休息日" if rest else "工作日"
        return f"{kind}（{zh}）" if zh else kind

    def explain(self, language: str = "zh-hans") -> str:
        """One line: start, period, raw end, the shift (or none, or custody preventing it), basis."""
        if language not in ("en", "zh-hans"):
            raise ValueError(f"unsupported language {language!r}; use 'zh-hans' or 'en'")
        if self.unknown_year is not None:
            return self._explain_provisional(language)
        day, rest = self._day_label(language), self._rest()
        if language == "en":
            head = f"Start {self.start} (not counted) + {self._period('en')} = {self.raw_end}"
            head += f", {day}" if day else ""
            if self.shifted_over:
                tail = f"; moved to the first working day {self.due_date}"
            elif self.custody and rest is not False:
                tail = f"; not moved for holidays because the person is in custody, due {self.due_date}"
            else:
                tail = f"; no shift, due {self.due_date}"
            return f"{head}{tail}. Basis: {self._basis('en')}."
        head = f"起算日{self.start}（当日不计入）加{self._period('zh-hans')}，届满于{self.raw_end}"
        head += f"，系{day}" if day else ""
        if self.shifted_over:
            tail = f"，顺延至其后第一个工作日{self.due_date}"
        elif self.custody and rest is not False:
            tail = f"，因在押不因节假日顺延，期满日为{self.due_date}"
        else:
            tail = f"，无需顺延，期满日为{self.due_date}"
        return f"{head}{tail}。依据：{self._basis('zh-hans')}。"


    def _explain_provisional(self, language: str) -> str:
        if language == "en":
            return (f"Start {self.start} (not counted) + {self._period('en')} = {self.raw_end}; the holiday calendar "
                    f"has no schedule for {self.unknown_year} yet, so the unshifted date is shown, provisionally, "
                    f"until an administrator imports it. Basis: {self._basis('en')}.")
        return (f"起算日{self.start}（当日不计入）加{self._period('zh-hans')}，届满于{self.raw_end}；节假日安排尚无"
                f"{self.unknown_year}年数据，暂按未顺延日期计（待定），待管理员导入后重算。依据：{self._basis('zh-hans')}。")


def provisional_due_date(start: date, *, days: int | None = None, months: int | None = None, basis: str = "",
                         unknown_year: int) -> DueDate:
    """The unshifted end of a period whose final day lies in a year the schedule lacks: never a guess, shown as
    provisional until the year is imported and the period recounted (procedure.md §4)."""
    days, months = _lengths(days, months)
    raw_end = add_period(start, days=days, months=months)
    return DueDate(start=start, raw_end=raw_end, due_date=raw_end, custody=False, basis=basis,
                   period=_period_text(days, months), unknown_year=unknown_year)


def _day_name(schedule: Schedule, day: date) -> str:
    return (schedule.day_name(day) or "") if isinstance(schedule, NamedSchedule) else ""


def compute_due_date(
    start: date,
    *,
    days: int | None = None,
    months: int | None = None,
    custody: bool = False,
    schedule: Schedule,
    basis: str = "",
) -> DueDate:
    """Due date of a period under CPL Art. 105.

    A raw end on a rest day or holiday (per ``schedule``, so an adjusted working Saturday counts as working)
    moves to the first working day after it, except while the person is in custody. Only the final day is
    shifted: a period of months and days is counted whole first. Raises :class:`UnknownYear` if the raw end, or
    any day the shift must inspect, lies in a year the schedule does not know; in custody nothing is shifted, so
    the due date is exact without the schedule (the explanation then does not name the kind of day).
    """
    days, months = _lengths(days, months)
    raw_end = add_period(start, days=days, months=months)
    try:
        rest = not schedule.is_working_day(raw_end)
        label = _day_name(schedule, raw_end)
    except UnknownYear:
        if not custody:
            raise
        rest, label = None, ""
    due, skipped = raw_end, []
    if rest and not custody:
        while not schedule.is_working_day(due):
            skipped.append(due)
            due += _ONE_DAY
    return DueDate(
        start=start,
        raw_end=raw_end,
        due_date=due,
        custody=custody,
        basis=basis,
        period=_period_text(days, months),
        shifted_over=tuple(skipped),
        raw_end_is_rest_day=rest,
        raw_end_label=label,
    )


def working_days_before(due: date, n: int, *, schedule: Schedule) -> date:
    """The date ``n`` working days before ``due`` (for "warn N working days before the due date").

    ``due`` itself is not counted, just as a period's start day is not (CPL Art. 105); n=0 gives ``due``.
    Raises :class:`UnknownYear` when the walk back reaches a year the schedule does not know.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    day = due
    while n:
        day -= _ONE_DAY
        if schedule.is_working_day(day):
            n -= 1
    return day
