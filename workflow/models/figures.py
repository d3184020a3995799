"""What the statistics of procedure.md §6 count from a case's events, and the one row per case that keeps it.

The stages and durations are defined here, below every layer that reads or writes them: the statistics
(workflow.supervision.stats) count them, and the events (workflow.cases.events) keep each case's row in step.

`CaseFigures` holds, per case, what the statistics would otherwise read from the case's events and performances:
the moment the case entered the joint procedure (its cohort), whether each stage's transition was ever fired, the
days from the first start to the first end of each timed stage (computed by the database with the recount's own
expression), and the debtor's performances summed up; and,
copied from the case, what selects and groups it (the agencies in its positions, its state, outcome and amount
owed), so that a report reads this one narrow table. It is rewritten from the case's own row, events and
performances in the transaction that records an event (workflow.cases.figures), and can be rebuilt for every case
(`manage.py rebuild_stats`). The recount from the events stays the reference the figures are compared with.
"""

from django.db import models
from django.db.models import FloatField, Func
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from workflow.models.case import Case

# Stage counts: a case counts once for a stage if the stage's transition was fired on it (a case may be filed
# twice, after a withdrawal and an order to file; it is still one filed case).
STAGES: tuple[tuple[str, str, object], ...] = (
    ("transferred", "submit_transfer", gettext_lazy("Transferred to the police")),
    ("accepted", "accept", gettext_lazy("Accepted by the police")),
    ("filed", "file_case", gettext_lazy("Filed")),
    ("not_filed", "decline_filing", gettext_lazy("Not filed")),
    ("withdrawn", "withdraw_case", gettext_lazy("Withdrawn after filing")),
    ("supervision_requested", "request_supervision", gettext_lazy("Supervision requested")),
    ("explanation_requested", "request_explanation", gettext_lazy("Police asked to explain non-filing")),
    ("filing_ordered", "order_filing", gettext_lazy("Filing ordered")),
    ("prosecuted", "indict", gettext_lazy("Prosecuted")),
    ("not_prosecuted", "decline_prosecution", gettext_lazy("Not prosecuted")),
    ("judged", "render_judgment", gettext_lazy("Judged")),
    ("private_prosecution_advised", "advise_private_prosecution",
     gettext_lazy("Creditor advised of private prosecution")),
    ("private_prosecutions_filed", "file_private_prosecution", gettext_lazy("Private prosecutions filed")),
    ("private_prosecutions_accepted", "accept_private_prosecution",
     gettext_lazy("Private prosecutions accepted")),
    ("private_prosecutions_reconciled", "reconcile", gettext_lazy("Private prosecutions reconciled")),
    ("cancelled", "cancel", gettext_lazy("Cancelled before transfer")),
)
STAGE_KEYS = tuple(key for key, _name, _label in STAGES)

# Days per stage, from the case's event timestamps: the first `start` event to the first `end` event. A case
# counts for a stage once it has both; an end before the start (e.g. a part payment made while the case was
# still a draft) does not count.
DURATIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], object], ...] = (
    ("transfer_to_acceptance", ("submit_transfer",), ("accept",), gettext_lazy("Transfer to acceptance")),
    ("filing_review", ("accept",), ("file_case", "decline_filing"),
     gettext_lazy("Acceptance to filing decision")),
    ("investigation", ("file_case",), ("transfer_for_prosecution", "withdraw_case"),
     gettext_lazy("Investigation")),
    ("prosecution_review", ("transfer_for_prosecution",), ("indict", "decline_prosecution"),
     gettext_lazy("Prosecution review to decision")),
    ("trial", ("indict",), ("render_judgment",), gettext_lazy("Public trial")),
    ("supervision", ("request_supervision",), ("accept_explanation", "order_filing", "decline_supervision"),
     gettext_lazy("Supervision to decision")),
    ("private_filing_review", ("file_private_prosecution",),
     ("accept_private_prosecution", "reject_private_prosecution"), gettext_lazy("Private prosecution filing review")),
    ("private_trial", ("accept_private_prosecution",),
     ("render_judgment", "reconcile", "withdraw_private_prosecution"), gettext_lazy("Private trial")),
    ("filing_to_judgment", ("file_case",), ("render_judgment",), gettext_lazy("Filing to judgment")),
    ("transfer_to_performance", ("submit_transfer",), ("performance",),
     gettext_lazy("Transfer to first performance")),
)
DURATION_KEYS = tuple(key for key, *_rest in DURATIONS)

# The cohort: a case belongs to the period of its transfer to the police, or of its creation if never transferred.
TRANSFER = "submit_transfer"
# Every transition whose event changes a case's row: "create" writes the first one.
FIGURE_TRANSITIONS = frozenset({"create", TRANSFER, *(name for _k, name, _l in STAGES),
                                *(name for _k, starts, ends, _l in DURATIONS for name in (*starts, *ends))})

PERFORMANCE_FLAGS = ("fulfilled", "fulfilled_after_warning", "fulfilled_after_transfer", "fulfilled_in_full")
PERFORMANCE_AMOUNTS = ("amount_recovered", "amount_recovered_after_warning", "amount_recovered_after_transfer")


class DaysBetween(Func):
    """Days (fractional) from `start` to `end`; NULL if either is missing or the end precedes the start. The
    statistics rows store it and the recount computes it, with this one expression."""

    output_field = FloatField()
    arity = 2  # (end, start)

    def as_sql(self, compiler, connection, **extra_context):  # generic SQL: julianday (SQLite)
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        sql = f"(CASE WHEN julianday({end}) >= julianday({start}) THEN julianday({end}) - julianday({start}) END)"
        return sql, (*end_params, *start_params, *end_params, *start_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        sql = (f"(CASE WHEN {end} >= {start} THEN "
               f"CAST(date_part('epoch', {end} - {start}) AS double precision) / 86400.0 END)")
        return sql, (*end_params, *start_params, *end_params, *start_params)


def stage_field(key: str) -> str:
    return f"reached_{key}"


def days_field(key: str) -> str:
    return f"{key}_days"


class CaseFigures(models.Model):
    """One case as the statistics count it (see the module docstring)."""

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="figures")
    cohort_at = models.DateTimeField(db_index=True)
    # Copied from the case (same names, so that the case's visibility and filters apply to this row unchanged).
    executing_court = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    police_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    procuratorate = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    trial_court = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    state = models.CharField(max_length=40)
    outcome = models.CharField(max_length=20, blank=True)
    amount_owed = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = gettext_lazy("case figures")
        verbose_name_plural = gettext_lazy("case figures")

    def __str__(self) -> str:
        return str(self.case_id)


for _key in STAGE_KEYS:
    CaseFigures.add_to_class(stage_field(_key), models.BooleanField(default=False))
for _key in DURATION_KEYS:
    CaseFigures.add_to_class(days_field(_key), models.FloatField(null=True))
for _name in PERFORMANCE_FLAGS:
    CaseFigures.add_to_class(_name, models.BooleanField(default=False))
for _name in PERFORMANCE_AMOUNTS:
    CaseFigures.add_to_class(_name, models.DecimalField(max_digits=18, decimal_places=2, default=0))

FIGURE_FIELDS = tuple(f.name for f in CaseFigures._meta.concrete_fields if f.name != "case")
COPIED_FIELDS = ("executing_court_id", "police_agency_id", "procuratorate_id", "trial_court_id", "state", "outcome",
                 "amount_owed")
