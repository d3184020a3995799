"""Days per stage of the statistics (procedure.md §6): the median and mean time from the first event that starts
a stage to the first event that ends it (the stages: workflow.models.figures.DURATIONS), counted in the database
over the events of the cases counted, or over their statistics rows, which hold each case's first start and end."""

from django.db import connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, Min, Q, QuerySet

from workflow.models.figures import DURATIONS, DaysBetween, days_field

DURATION_LABELS = {key: label for key, _s, _e, label in DURATIONS}


class Median(Aggregate):
    """PostgreSQL's continuous median; NULLs are ignored."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


DURATION_TRANSITIONS = sorted({name for _k, starts, ends, _l in DURATIONS for name in (*starts, *ends)})
DURATION_BY_KEY = {row[0]: row for row in DURATIONS}
# The distinct sets of transitions whose first time a stage starts or ends at, each read once per case.
DURATION_MARKS = {names: i for i, names in enumerate(dict.fromkeys(n for _k, s, e, _l in DURATIONS for n in (s, e)))}


def stage_durations(events: QuerySet) -> list[dict]:
    """Median and mean days per stage, recounted from the events: one row per case with the first time of each
    stage's start and end (the events grouped by case)."""
    per_case = (
        events.filter(transition__in=DURATION_TRANSITIONS)
        .values("case")
        .annotate(**{f"first_{i}": Min("at", filter=Q(transition__in=names))
                     for names, i in DURATION_MARKS.items()})
        .order_by()
    )

    def days(key):
        _key, starts, ends, _label = DURATION_BY_KEY[key]
        return DaysBetween(F(f"first_{DURATION_MARKS[ends]}"), F(f"first_{DURATION_MARKS[starts]}"))

    return _durations(per_case, days)


def stage_durations_of_rows(rows: QuerySet) -> list[dict]:
    """The same figures from the cases' statistics rows (workflow.models.figures.CaseFigures), which hold the days
    of each stage as the database computed them, with the same expression, from the same first start and end."""

    def days(key):
        return F(days_field(key))

    return _durations(rows.order_by(), days)


def _durations(per_case: QuerySet, days) -> list[dict]:
    """PostgreSQL: one query with percentile_cont over `per_case`. Elsewhere: the counts and means in one query,
    then per stage the middle value(s) read at an OFFSET of its ordered durations."""
    postgres = connection.vendor == "postgresql"
    figures = per_case.aggregate(**{
        name: agg
        for key, *_rest in DURATIONS
        for name, agg in ((f"{key}__n", Count(days(key))), (f"{key}__mean", Avg(days(key))),
                          *([(f"{key}__median", Median(days(key)))] if postgres else []))
    })
    rows = []
    for key, starts, ends, _label in DURATIONS:
        n = figures[f"{key}__n"]
        median = figures.get(f"{key}__median")
        if n and not postgres:
            ordered = per_case.annotate(d=days(key)).filter(d__isnull=False).order_by("d").values_list("d", flat=True)
            middle = list(ordered[(n - 1) // 2: n // 2 + 1])
            median = sum(middle) / len(middle)
        rows.append(_duration_row(key, starts, ends, n, median, figures[f"{key}__mean"]))
    return rows


def _duration_row(key, starts, ends, n, median, mean) -> dict:
    return {"stage": key, "from": list(starts), "to": list(ends), "cases": n or 0,
            "median_days": _round(median), "mean_days": _round(mean)}
