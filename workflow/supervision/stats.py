"""The statistics of procedure.md §6, which the joint mechanism of Art. 19 reports on: counts per stage and outcome,
private prosecutions, performances after a warning or a transfer with the amount recovered, deadlines met on time
per agency and kind, and median days per stage (workflow.supervision.durations).

Everything is counted by aggregate queries in the database, over the cases the asking user may see
(workflow.cases.selectors.visibility_q; an officer of a province- or prefecture-level agency also sees, as figures
only, the cases of the courts below it). No query loops over cases in Python: a handful of grouped queries return rows
per region, per agency and kind, or per state, and only those few rows are added up here.

What the events determine (the stages a case went through, the first start and end of each timed stage, its
performances, the day of its period) is read from one statistics row per case (workflow.models.figures), which the
transaction recording an event rewrites from the case's own events; a report reads about one row per case instead of
seven events. A row per case rather than totals per court and day keeps every figure exact under any filter: a case
counts once per stage however often it passed it, medians need each case's days, and a user's visibility, the
agency filter and the period all select cases. `stats_compute(recount=True)` counts the same figures from the
events themselves; bench/stats.py --check and tests/stats compare the two.

Which cases a period holds (`from`/`to`): a case belongs to the period in which it entered the joint procedure,
that is the day it was transferred to the police (`submit_transfer`, Art. 3) or, for a case never transferred
(a creditor's own private prosecution, a draft, a transfer cancelled before it was sent), the day it was created.
Everything that has happened to those cases since is counted, so "of the N cases transferred in the period, M were
filed and K ended in performance" always reads as one cohort, as the published provincial figures do. Days are
counted in the server's zone (Asia/Shanghai). A case's region is the region of its executing court (Art. 2).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from agencies.roles import AgencyKind, Role
from procedure.deadlines import DeadlineKind
from procedure.states import CaseState, DeadlineStatus, Origin, Outcome
from workflow.cases.figures import BEFORE_TRANSFER_STATES
from workflow.cases.selectors import visibility_q
from workflow.models import Case, CaseEvent, CaseFigures, Deadline
from workflow.models.figures import PERFORMANCE_AMOUNTS, PERFORMANCE_FLAGS, STAGE_KEYS, STAGES, stage_field
from workflow.models.records import Performance, PerformanceExtent
from workflow.supervision.durations import DURATION_LABELS, stage_durations, stage_durations_of_rows

# ---------------------------------------------------------------------------------------------------------------
# What is counted

PERFORMANCE_FIGURES: tuple[tuple[str, object], ...] = (
    ("fulfilled", gettext_lazy("Cases in which the debtor performed")),
    ("fulfilled_after_warning", gettext_lazy("Cases fulfilled after a warning")),
    ("fulfilled_after_transfer", gettext_lazy("Cases fulfilled after transfer")),
    ("fulfilled_in_full", gettext_lazy("Cases fulfilled in full")),
    ("amount_recovered", gettext_lazy("Amount recovered (yuan)")),
    ("amount_recovered_after_warning", gettext_lazy("Amount recovered after a warning (yuan)")),
    ("amount_recovered_after_transfer", gettext_lazy("Amount recovered after transfer (yuan)")),
)
AMOUNT_FIGURES = ("amount_owed", "amount_recovered", "amount_recovered_after_warning",
                  "amount_recovered_after_transfer")

# Deadline outcomes. on_time_rate = met_on_time / (met_on_time + met_late + overdue): of the deadlines whose
# result is known, the share met on time; still-open and cancelled deadlines are left out of the rate.
DEADLINE_FIGURES: tuple[tuple[str, object], ...] = (
    ("total", gettext_lazy("Deadlines")),
    ("met_on_time", gettext_lazy("Met on time")),
    ("met_late", gettext_lazy("Met late")),
    ("overdue", gettext_lazy("Overdue, not met")),
    ("open", gettext_lazy("Open, not yet due")),
    ("cancelled", gettext_lazy("Cancelled")),
)

PERIOD_BASIS = gettext_lazy(
    "A case belongs to the period in which it was transferred to the police, or created if it was never "
    "transferred; all that happened to it since is counted."
)

# ---------------------------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class StatsFilter:
    region_code: str = ""
    date_from: date | None = None
    date_to: date | None = None
    agency: Agency | None = None

    def as_dict(self) -> dict:
        return {
            "region_code": self.region_code or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "agency": self.agency.pk if self.agency else None,
        }

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters, for links to the exports."""
        return {k: str(v) for k, v in self.as_dict().items() if v is not None}


def _date(params, name: str) -> date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


def parse_filters(params) -> StatsFilter:
    """The filters from query parameters `region_code`, `from`, `to` and `agency`; a bad value is a
    ValidationError naming its parameter (400)."""
    errors: dict[str, list[str]] = {}
    region_code = (params.get("region_code") or "").strip()
    if region_code and not (len(region_code) == 6 and region_code.isascii() and region_code.isdigit()):
        errors["region_code"] = [_("A region code is a 6-digit administrative division code.")]
    dates = {}
    for name in ("from", "to"):
        try:
            dates[name] = _date(params, name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if dates.get("from") and dates.get("to") and dates["from"] > dates["to"]:
        errors["to"] = [_("The end of the period is before its start.")]
    agency = None
    agency_ref = (params.get("agency") or "").strip()
    if agency_ref:
        agency = Agency.objects.filter(pk=int(agency_ref)).first() if agency_ref.isdigit() else None
        if agency is None:
            errors["agency"] = [_("No such agency.")]
    if errors:
        raise ValidationError(errors)
    return StatsFilter(region_code=region_code, date_from=dates.get("from"), date_to=dates.get("to"), agency=agency)


# ---------------------------------------------------------------------------------------------------------------
# Whose cases


def region_prefix(code: str) -> str:
    """The prefix of the division codes a region covers: a province (`450000`) covers `45....`, a prefecture
    (`450100`) covers `4501..`, a county or district only itself."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# Organs of the joint mechanism (Art. 19) whose upper levels oversee the figures of the courts below them.
OVERSEEING_KINDS = (AgencyKind.COURT, AgencyKind.POLICE, AgencyKind.PROCURATORATE)


def overseen_prefix(user) -> str:
    """For an officer of a province- or prefecture-level court, police agency or procuratorate: the prefix of the
    regions whose figures they see (the provincial view); empty for everyone else."""
    agency = getattr(user, "agency", None)
    if agency is None or agency.kind not in OVERSEEING_KINDS:
        return ""
    prefix = region_prefix(agency.region_code)
    return prefix if prefix != agency.region_code else ""


def check_may_see_stats(user) -> None:
    """Statistics are the agencies' (Art. 19): a creditor or an account without an agency is refused (403)."""
    if not user.is_authenticated or user.role == Role.CREDITOR or not user.agency_id:
        raise PermissionDenied(_("Statistics are for the officers of the agencies."))


def stats_scope_q(user, prefix: str = "") -> Q:
    """The cases counted for this user: those they may see, and for an overseeing officer every case whose
    executing court lies in their province or prefecture (figures only: the cases themselves stay hidden)."""
    scope = visibility_q(user, prefix=prefix)
    overseen = overseen_prefix(user)
    if overseen:
        scope |= Q(**{f"{prefix}executing_court__region_code__startswith": overseen})
    return scope


def _bounds(filters: StatsFilter) -> tuple[datetime | None, datetime | None]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(filters.date_from, time.min, tzinfo=zone) if filters.date_from else None
    end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone) if filters.date_to else None
    return start, end


def cohort_q(*, user, filters: StatsFilter, prefix: str = "", within: QuerySet[Case] | None = None,
             period_at: str = "") -> Q:
    """The cases the figures are counted over (see the module docstring for the period rule), as a condition on
    the case at `prefix` (e.g. "case__" from an event), so that each query joins the case once rather than
    testing membership in a subquery. `period_at` names the field that holds the instant of the case's period (its
    statistics row's `cohort_at`); without it, the period is read from the case's transfer event."""
    q = stats_scope_q(user, prefix=prefix)
    if filters.region_code:
        q &= Q(**{f"{prefix}executing_court__region_code__startswith": region_prefix(filters.region_code)})
    if filters.agency is not None:
        q &= Q(*(Q(**{f"{prefix}{position}_id": filters.agency.pk})
                 for position in ("executing_court", "police_agency", "procuratorate", "trial_court")),
               _connector=Q.OR)
    start, end = _bounds(filters)
    if start or end:
        window = {op: bound for op, bound in (("gte", start), ("lt", end)) if bound}
        if period_at:
            q &= Q(**{f"{period_at}__{op}": bound for op, bound in window.items()})
        else:
            transfer = CaseEvent.objects.filter(case=OuterRef(f"{prefix}pk"), transition="submit_transfer")
            transferred_in = transfer.filter(**{f"at__{op}": bound for op, bound in window.items()})
            created_in = Q(**{f"{prefix}created_at__{op}": bound for op, bound in window.items()})
            q &= Exists(transferred_in) | (~Exists(transfer) & created_in)
    if within is not None:
        q &= Q(**{f"{prefix}pk__in": within.values("pk")})
    return q


# ---------------------------------------------------------------------------------------------------------------
# The figures


@dataclass
class Stats:
    filters: StatsFilter
    overseen_prefix: str
    cases: int = 0
    amount_owed: Decimal = Decimal("0.00")
    stages: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    performance: dict = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)
    regions: list[dict] = field(default_factory=list)
    deadlines: list[dict] = field(default_factory=list)
    deadline_kinds: list[dict] = field(default_factory=list)
    durations: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The API body: amounts as decimal strings in yuan (api.md), rates as fractions of 1."""
        return {
            "filters": self.filters.as_dict(),
            "period_basis": str(PERIOD_BASIS),
            "overseen_region_prefix": self.overseen_prefix or None,
            "cases": self.cases,
            "amount_owed": _money(self.amount_owed),
            "stages": self.stages,
            "judged_by_outcome": self.outcomes,
            "performance": {k: (_money(v) if k in AMOUNT_FIGURES else v) for k, v in self.performance.items()},
            "states": self.states,
            "regions": [{k: (_money(v) if k in AMOUNT_FIGURES else v) for k, v in row.items()}
                        for row in self.regions],
            "deadlines": self.deadlines,
            "deadline_kinds": self.deadline_kinds,
            "durations": self.durations,
        }


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def _rate(met: int, decided: int) -> float | None:
    return round(met / decided, 4) if decided else None


STAGE_OF_TRANSITION = {name: key for key, name, _l in STAGES}


def _stage_counts(events: QuerySet) -> list[dict]:
    """Rows (executing court, transition, cases): the distinct cases of each court through each stage's
    transition. One grouped query over the stage transitions' events, with a single DISTINCT (a case may be filed
    twice). Grouping by the court's id rather than its region's code keeps the sort on integers."""
    return list(
        events.filter(transition__in=STAGE_OF_TRANSITION)
        .values("transition", court=F("case__executing_court_id"))
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )


def _case_counts(cases: QuerySet) -> list[dict]:
    """Rows per executing court, current state and outcome: number of cases and amount owed. A case is judged exactly
    when it is in state `judged` (the only way there is `render_judgment`, and it is final), so the outcomes of
    the judgments are read here."""
    return list(
        cases.values("state", "outcome", court=F("executing_court_id"))
        .annotate(n=Count("pk"), owed=Sum("amount_owed"))
        .order_by()
    )


def _performance_counts(performances: QuerySet) -> list[dict]:
    after_transfer = ~Q(case_state__in=BEFORE_TRANSFER_STATES) & ~Q(case__origin=Origin.CREDITOR)
    return list(
        performances.values(court=F("case__executing_court_id"))
        .annotate(
            fulfilled=Count("case", distinct=True),
            fulfilled_after_warning=Count("case", distinct=True, filter=Q(after_warning=True)),
            fulfilled_after_transfer=Count("case", distinct=True, filter=after_transfer),
            fulfilled_in_full=Count("case", distinct=True, filter=Q(extent=PerformanceExtent.FULL)),
            amount_recovered=Sum("amount"),
            amount_recovered_after_warning=Sum("amount", filter=Q(after_warning=True)),
            amount_recovered_after_transfer=Sum("amount", filter=after_transfer),
        )
        .order_by()
    )


def _row_counts(rows: QuerySet[CaseFigures]) -> list[dict]:
    """Rows per executing court, current state and outcome from the cases' statistics rows: as _case_counts, and
    besides the cases through each stage and the performance figures (each a count of cases or a sum of their
    amounts), all in one pass over the rows."""
    return list(
        rows.values("state", "outcome", court=F("executing_court_id"))
        .annotate(n=Count("pk"), owed=Sum("amount_owed"),
                  **{key: Count("pk", filter=Q(**{stage_field(key): True})) for key in STAGE_KEYS},
                  **{name: Count("pk", filter=Q(**{name: True})) for name in PERFORMANCE_FLAGS},
                  **{name: Sum(name) for name in PERFORMANCE_AMOUNTS})
        .order_by()
    )


def _deadline_counts(deadlines: QuerySet) -> list[dict]:
    today = timezone.localdate()
    unmet = Q(met_at__isnull=True)
    return list(
        deadlines.values("owed_by", "kind")
        .annotate(
            total=Count("pk"),
            met_on_time=Count("pk", filter=Q(status=DeadlineStatus.MET)),
            met_late=Count("pk", filter=Q(status=DeadlineStatus.OVERDUE, met_at__isnull=False)),
            overdue=Count("pk", filter=unmet & (Q(status=DeadlineStatus.OVERDUE)
                                                | Q(status=DeadlineStatus.OPEN, due_date__lt=today))),
            open=Count("pk", filter=unmet & Q(status=DeadlineStatus.OPEN, due_date__gte=today)),
            cancelled=Count("pk", filter=Q(status=DeadlineStatus.CANCELLED)),
        )
        .order_by()
    )


def stats_compute(*, user, filters: StatsFilter | None = None, within: QuerySet[Case] | None = None,
                  recount: bool = False) -> Stats:
    """All the figures of §6 over the cases `user` may count (raises PermissionDenied for a creditor); `within`
    narrows them further (the simulation reports on the cases it made). Every read of the statistics goes through
    here, in one read-only transaction.

    The figures that the events determine (stages, durations, performances, the period of each case) are read from
    one statistics row per case (workflow.models.figures.CaseFigures), kept in step by the events' own transaction;
    the case's state, outcome, amount owed and deadlines are read live. With `recount`, everything is counted
    afresh from the events and performances instead: the slower reference the rows are checked against (the same
    figures, to the last case and cent)."""
    check_may_see_stats(user)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner's cost estimates for these grouped queries over subqueries run high, which makes
            # PostgreSQL spend seconds compiling them just in time for a few hundred milliseconds of work
            # (measured with bench/stats.py); for this read-only transaction only, it is switched off. The
            # groupings sort a few hundred thousand events: with the default 4 MB they spill to disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        return _compute(user=user, filters=filters or StatsFilter(), within=within, recount=recount)


def _compute(*, user, filters: StatsFilter, within: QuerySet[Case] | None, recount: bool) -> Stats:
    def of(prefix: str) -> Q:
        """The cohort as a condition on the case at `prefix`. With a period, the rows of another table are matched
        against the cohort's ids, so that the period test runs once per case, not once per row."""
        if prefix and (filters.date_from or filters.date_to or within is not None):
            return Q(**{f"{prefix}pk__in": Case.objects.filter(of("")).values("pk")})
        return cohort_q(user=user, filters=filters, prefix=prefix, within=within)

    # The statistics rows of the cohort (their fields bear the case's names, so the same conditions apply).
    rows = CaseFigures.objects.filter(cohort_q(user=user, filters=filters, within=within, period_at="cohort_at"))

    stats = Stats(filters=filters, overseen_prefix=overseen_prefix(user))

    regions: dict[str, dict] = {}

    def region(code: str) -> dict:
        return regions.setdefault(code, {
            "region_code": code, "region_name": "", "cases": 0, "amount_owed": Decimal("0"),
            **dict.fromkeys(STAGE_KEYS, 0),
            **{k: (Decimal("0") if k in AMOUNT_FIGURES else 0) for k, _l in PERFORMANCE_FIGURES},
        })

    states = dict.fromkeys(CaseState.values, 0)
    outcomes = dict.fromkeys(Outcome.values, 0)
    case_rows = _case_counts(Case.objects.filter(of(""))) if recount else _row_counts(rows)
    courts = {a.pk: a for a in Agency.objects.filter(pk__in={row["court"] for row in case_rows})}

    def region_of(court_id: int) -> dict:
        court = courts[court_id]
        r = region(court.region_code)
        r["region_name"] = r["region_name"] or court.region_name
        return r

    for row in case_rows:
        r = region_of(row["court"])
        r["cases"] += row["n"]
        r["amount_owed"] += row["owed"] or 0
        states[row["state"]] += row["n"]
        if row["state"] == CaseState.JUDGED and row["outcome"] in outcomes:
            outcomes[row["outcome"]] += row["n"]
    # Every case of the cohort is in case_rows, so its court is known below.
    if recount:
        for row in _stage_counts(CaseEvent.objects.filter(of("case__"))):
            region_of(row["court"])[STAGE_OF_TRANSITION[row["transition"]]] += row["n"]
        performance_rows = _performance_counts(Performance.objects.filter(of("case__")))
    else:
        performance_rows = case_rows
        for row in case_rows:
            r = region_of(row["court"])
            for key in STAGE_KEYS:
                r[key] += row[key]
    for row in performance_rows:
        r = region_of(row["court"])
        for key, _label in PERFORMANCE_FIGURES:
            r[key] += row[key] or 0

    stats.regions = [regions[code] for code in sorted(regions)]
    stats.cases = sum(r["cases"] for r in stats.regions)
    stats.amount_owed = sum((r["amount_owed"] for r in stats.regions), Decimal("0"))
    stats.stages = {key: sum(r[key] for r in stats.regions) for key in STAGE_KEYS}
    stats.outcomes = outcomes
    stats.performance = {key: sum((r[key] for r in stats.regions), Decimal("0") if key in AMOUNT_FIGURES else 0)
                         for key, _label in PERFORMANCE_FIGURES}
    stats.states = {state: n for state, n in states.items() if n}

    deadline_rows = _deadline_counts(Deadline.objects.filter(of("case__")) if recount
                                     else Deadline.objects.filter(case_id__in=rows.values("pk")))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={row["owed_by"] for row in deadline_rows})}
    by_kind: dict[str, dict] = {}
    for row in deadline_rows:
        agency = agencies[row["owed_by"]]
        counts = {key: row[key] for key, _label in DEADLINE_FIGURES}
        decided = counts["met_on_time"] + counts["met_late"] + counts["overdue"]
        stats.deadlines.append({
            "agency": {"id": agency.pk, "name": agency.name, "kind": agency.kind, "region_code": agency.region_code},
            "kind": row["kind"], **counts, "on_time_rate": _rate(counts["met_on_time"], decided),
        })
        totals = by_kind.setdefault(row["kind"], {"kind": row["kind"], **{k: 0 for k, _l in DEADLINE_FIGURES}})
        for key in counts:
            totals[key] += counts[key]
    for kind in DeadlineKind.values:
        if kind in by_kind:
            totals = by_kind[kind]
            decided = totals["met_on_time"] + totals["met_late"] + totals["overdue"]
            stats.deadline_kinds.append({**totals, "on_time_rate": _rate(totals["met_on_time"], decided)})
    stats.deadlines.sort(key=lambda d: (d["agency"]["region_code"], d["agency"]["name"],
                                        DeadlineKind.values.index(d["kind"])))
    stats.durations = stage_durations(CaseEvent.objects.filter(of("case__"))) if recount \
        else stage_durations_of_rows(rows)
    return stats


# ---------------------------------------------------------------------------------------------------------------
# The same figures as tables, for the dashboard and the CSV and XLSX exports


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    numeric: bool = False
    machine: bool = False  # a machine name (exported; the page shows the label beside it instead)


@dataclass
class Table:
    name: str
    title: object
    columns: list[Column]
    rows: list[list]


TABLE_TITLES = {
    "stages": gettext_lazy("Cases per stage"),
    "outcomes": gettext_lazy("Judgments by outcome"),
    "performance": gettext_lazy("Performance and amount recovered"),
    "regions": gettext_lazy("Figures per region"),
    "deadlines": gettext_lazy("Deadlines met on time, per agency and kind"),
    "deadline_kinds": gettext_lazy("Deadlines met on time, per kind"),
    "durations": gettext_lazy("Days per stage"),
    "states": gettext_lazy("Cases by current state"),
}
TABLE_NAMES = tuple(TABLE_TITLES)

STAGE_LABELS = {key: label for key, _name, label in STAGES}
PERFORMANCE_LABELS = dict(PERFORMANCE_FIGURES)


KEY = gettext_lazy("Key")


def _figure_columns():
    return [Column("figure", KEY, machine=True), Column("label", gettext_lazy("Figure"))]


def stats_tables(stats: Stats) -> dict[str, Table]:
    """Every table of the dashboard, with machine keys and translated labels; values as in the API."""
    api = stats.as_dict()
    deadline_columns = [Column(key, label, numeric=True) for key, label in DEADLINE_FIGURES]
    rate_column = Column("on_time_rate", gettext_lazy("On-time rate"), numeric=True)
    tables = {
        "stages": Table("stages", TABLE_TITLES["stages"],
                        [*_figure_columns(), Column("count", gettext_lazy("Cases"), numeric=True)],
                        [[key, str(STAGE_LABELS[key]), api["stages"][key]] for key in STAGE_KEYS]),
        "outcomes": Table("outcomes", TABLE_TITLES["outcomes"],
                          [Column("outcome", KEY, machine=True), Column("label", gettext_lazy("Outcome")),
                           Column("count", gettext_lazy("Cases"), numeric=True)],
                          [[o, str(Outcome(o).label), api["judged_by_outcome"][o]] for o in Outcome.values]),
        "performance": Table("performance", TABLE_TITLES["performance"],
                             [*_figure_columns(), Column("value", gettext_lazy("Value"), numeric=True)],
                             [[key, str(label), api["performance"][key]] for key, label in PERFORMANCE_FIGURES]),
        "regions": Table(
            "regions", TABLE_TITLES["regions"],
            [Column("region_code", gettext_lazy("Region code")), Column("region_name", gettext_lazy("Region")),
             Column("cases", gettext_lazy("Cases"), numeric=True),
             Column("amount_owed", gettext_lazy("Amount owed (yuan)"), numeric=True),
             *[Column(key, STAGE_LABELS[key], numeric=True) for key in STAGE_KEYS],
             *[Column(key, label, numeric=True) for key, label in PERFORMANCE_FIGURES]],
            [[row["region_code"], row["region_name"], row["cases"], row["amount_owed"],
              *[row[key] for key in STAGE_KEYS], *[row[key] for key, _l in PERFORMANCE_FIGURES]]
             for row in api["regions"]],
        ),
        "deadlines": Table(
            "deadlines", TABLE_TITLES["deadlines"],
            [Column("agency", gettext_lazy("Agency")), Column("region_code", gettext_lazy("Region code")),
             Column("kind", KEY, machine=True), Column("kind_label", gettext_lazy("Deadline")),
             *deadline_columns, rate_column],
            [[row["agency"]["name"], row["agency"]["region_code"], row["kind"], str(DeadlineKind(row["kind"]).label),
              *[row[key] for key, _l in DEADLINE_FIGURES], row["on_time_rate"]] for row in api["deadlines"]],
        ),
        "deadline_kinds": Table(
            "deadline_kinds", TABLE_TITLES["deadline_kinds"],
            [Column("kind", KEY, machine=True), Column("kind_label", gettext_lazy("Deadline")),
             *deadline_columns, rate_column],
            [[row["kind"], str(DeadlineKind(row["kind"]).label), *[row[key] for key, _l in DEADLINE_FIGURES],
              row["on_time_rate"]] for row in api["deadline_kinds"]],
        ),
        "durations": Table(
            "durations", TABLE_TITLES["durations"],
            [Column("stage", KEY, machine=True), Column("label", gettext_lazy("Stage")),
             Column("cases", gettext_lazy("Cases"), numeric=True),
             Column("median_days", gettext_lazy("Median days"), numeric=True),
             Column("mean_days", gettext_lazy("Mean days"), numeric=True)],
            [[row["stage"], str(DURATION_LABELS[row["stage"]]), row["cases"], row["median_days"], row["mean_days"]]
             for row in api["durations"]],
        ),
        "states": Table("states", TABLE_TITLES["states"],
                        [Column("state", KEY, machine=True), Column("label", gettext_lazy("State")),
                         Column("count", gettext_lazy("Cases"), numeric=True)],
                        [[s, str(CaseState(s).label), n] for s, n in api["states"].items()]),
    }
    return tables
