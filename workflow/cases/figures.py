"""Keeping each case's statistics row (workflow.models.figures.CaseFigures) in step with its events.

A row is always recomputed whole from the case's own events and performances, never incremented: writing it twice
gives the same row, a missed write is repaired by the next event of the case or by `manage.py rebuild_stats`, and
two transitions on different cases never touch the same row (those on one case are serialised by the case's row
lock, which every service takes before recording an event).
"""

from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Min, Q, Sum

from procedure.states import CaseState, Origin
from workflow.models import Case, CaseEvent, Performance
from workflow.models.figures import (
    COPIED_FIELDS,
    DURATIONS,
    FIGURE_FIELDS,
    FIGURE_TRANSITIONS,
    PERFORMANCE_AMOUNTS,
    PERFORMANCE_FLAGS,
    STAGES,
    TRANSFER,
    CaseFigures,
    DaysBetween,
    days_field,
    stage_field,
)
from workflow.models.records import PerformanceExtent

# A performance "after transfer" is one recorded while the case stood in a state that only a transfer leads to:
# not a draft, not a draft cancelled, and not a creditor's own private prosecution, which no organ transferred.
BEFORE_TRANSFER_STATES = (CaseState.DRAFT, CaseState.CANCELLED)

# The transitions whose first time is read per case: the transfer (the cohort) and each stage's.
MARKS = {names: f"first_{i}" for i, names in enumerate(dict.fromkeys(
    [(TRANSFER,), *((name,) for _k, name, _l in STAGES)]))}


# The tables read and written; a migration passes its historical models instead.
MODELS = SimpleNamespace(Case=Case, CaseEvent=CaseEvent, Performance=Performance, CaseFigures=CaseFigures)


def _first_times(case_ids, m=MODELS) -> dict[int, dict]:
    """Per case: the first time of each set of transitions in MARKS (None if never fired), and the days of each
    stage between them, as the database computes them."""

    def first(names):
        return Min("at", filter=Q(transition__in=names))

    rows = (m.CaseEvent.objects.filter(case_id__in=case_ids, transition__in=FIGURE_TRANSITIONS)
            .values("case_id")
            .annotate(**{alias: first(names) for names, alias in MARKS.items()},
                      **{days_field(key): DaysBetween(first(ends), first(starts))
                         for key, starts, ends, _label in DURATIONS})
            .order_by())
    return {row.pop("case_id"): row for row in rows}


def _performances(case_ids, m=MODELS) -> dict[int, dict]:
    after_warning = Q(after_warning=True)
    after_transfer = ~Q(case_state__in=BEFORE_TRANSFER_STATES) & ~Q(case__origin=Origin.CREDITOR)
    rows = (m.Performance.objects.filter(case_id__in=case_ids)
            .values("case_id")
            .annotate(n=Count("pk"), n_warning=Count("pk", filter=after_warning),
                      n_transfer=Count("pk", filter=after_transfer),
                      n_full=Count("pk", filter=Q(extent=PerformanceExtent.FULL)),
                      amount_recovered=Sum("amount"),
                      amount_recovered_after_warning=Sum("amount", filter=after_warning),
                      amount_recovered_after_transfer=Sum("amount", filter=after_transfer))
            .order_by())
    return {row.pop("case_id"): row for row in rows}


def _row(case: dict, firsts: dict, paid: dict, m=MODELS):
    values = {"cohort_at": firsts.get(MARKS[(TRANSFER,)]) or case["created_at"],
              **{name: case[name] for name in COPIED_FIELDS}}
    for key, name, _label in STAGES:
        values[stage_field(key)] = firsts.get(MARKS[(name,)]) is not None
    for key, *_rest in DURATIONS:
        values[days_field(key)] = firsts.get(days_field(key))
    flags = dict(zip(PERFORMANCE_FLAGS, ("n", "n_warning", "n_transfer", "n_full"), strict=True))
    for name, count in flags.items():
        values[name] = bool(paid.get(count))
    for name in PERFORMANCE_AMOUNTS:
        values[name] = paid.get(name) or Decimal("0.00")
    return m.CaseFigures(case_id=case["pk"], **values)


def _rewrite(case_ids: list[int], m=MODELS) -> int:
    """Write the rows of these cases from their rows, events and performances."""
    cases = list(m.Case.objects.filter(pk__in=case_ids).values("pk", "created_at", *COPIED_FIELDS))
    if not cases:
        return 0
    pks = [case["pk"] for case in cases]
    firsts, paid = _first_times(pks, m), _performances(pks, m)
    m.CaseFigures.objects.bulk_create([_row(case, firsts.get(case["pk"], {}), paid.get(case["pk"], {}), m)
                                       for case in cases],
                                      update_conflicts=True, unique_fields=["case"],
                                      update_fields=list(FIGURE_FIELDS), batch_size=1000)
    return len(cases)


def refresh_case_figures(case: Case) -> None:
    """Rewrite the case's row. Call with the case row locked, inside the transaction that changed the case."""
    _rewrite([case.pk])


def rebuild_figures(case_ids: Iterable[int] | None = None, *, chunk: int = 5000, m=MODELS) -> int:
    """Rewrite the rows of the given cases (every case by default) from their events, `chunk` cases per
    transaction, each chunk's cases locked while it is rewritten so that no transition interleaves. Returns the
    number of rows written."""
    ids = sorted(set(case_ids)) if case_ids is not None else None
    written, offset, last = 0, 0, 0
    while True:
        with transaction.atomic():
            if ids is not None:
                part = ids[offset:offset + chunk]
                offset += chunk
                if not part:
                    break
                chosen = m.Case.objects.filter(pk__in=part)
            else:
                chosen = m.Case.objects.filter(pk__in=m.Case.objects.filter(pk__gt=last).order_by("pk")
                                               .values("pk")[:chunk])
            batch = list(chosen.select_for_update().order_by("pk").values_list("pk", flat=True))
            written += _rewrite(batch, m)
        if ids is None:
            if len(batch) < chunk:
                break
            last = batch[-1]
    return written
