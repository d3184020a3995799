"""Deadlines (procedure.md §4) and the holiday schedule they are counted with (CPL Art. 105)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from procedure.deadlines import DeadlineKind
from procedure.states import DeadlineStatus
from workflow.models.case import Case

# An open deadline not yet warned of its current due date.
UNWARNED = models.Q(status="open", met_at__isnull=True) & ~models.Q(warned_for=models.F("due_date"))


class Deadline(models.Model):
    """A statutory period owed by one agency (procedure.md §4), opened and closed by transitions."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=40, choices=DeadlineKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    owed_by = models.ForeignKey(Agency, verbose_name=_("owed by"), on_delete=models.PROTECT, related_name="deadlines")
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    custody = models.BooleanField(_("in custody"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    explanation = models.TextField(_("how it was counted"), blank=True)
    explanation_en = models.TextField(blank=True)
    provisional = models.BooleanField(
        default=False,
        help_text=_("The holiday calendar lacks the due year: the unshifted date is shown until it is added."),
    )
    period_days = models.PositiveIntegerField(null=True, blank=True)
    period_months = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # The due date the sweep last warned of: an idle sweep passes over the deadlines already warned, and a moved
    # due date (a recount) is warned again.
    warned_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="deadline_status_due"),
            models.Index(fields=["case", "kind", "status"]),
            models.Index(fields=["owed_by", "status"]),
            # The nearest open deadline of a case (the inbox): a few entries per case, only the open ones.
            models.Index(fields=["case", "due_date", "id"], name="deadline_open_by_case",
                         condition=models.Q(status__in=["open", "overdue"], met_at__isnull=True)),
            # What can fall due (the sweep): only the open rows, so a sweep with nothing due reads nothing.
            models.Index(fields=["due_date"], name="deadline_open_due",
                         condition=models.Q(status="open", met_at__isnull=True)),
            # The deadline list's order: a page is walked off the index, not sorted out of all the user's rows.
            models.Index(fields=["due_date", "id"], name="deadline_due_order"),
            # What may still need a warning (the sweep): the open rows not yet warned for their due date, so a
            # sweep with nothing new to warn of reads nothing.
            models.Index(fields=["due_date"], name="deadline_unwarned_due", condition=UNWARNED),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE) and self.met_at is None


class DeadlineTally(models.Model):
    """How many deadlines of each status and kind the cases an agency holds a position in have, as rows to be
    summed: the deadline list's count (procedure.md §4) read from a few rows, where counting the deadlines
    themselves reads every case the agency sees.

    PostgreSQL keeps it in the database itself (migration 0019): a statement that inserts, updates or deletes
    deadlines, or moves a case to other agencies, appends one row per (agency, status, kind) it changed, with the
    change as ``n``, in the statement's own transaction. Appending rather than updating one counter per agency
    means concurrent transitions never wait for each other; ``compact_deadline_tally`` folds the rows into one per
    (agency, status, kind) every few minutes. Elsewhere (SQLite, the embedded default) the list counts the
    deadlines themselves and this table stays empty.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=20, choices=DeadlineStatus.choices)
    kind = models.CharField(max_length=40, choices=DeadlineKind.choices)
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["agency", "status", "kind"], include=["n"], name="deadline_tally_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.status} {self.kind} {self.n:+d}"


class CalendarYear(models.Model):
    """A year whose official holiday schedule is in the table (CPL Art. 105); due dates in any other year are
    refused rather than guessed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=[MinValueValidator(1949)])
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("The State Council notice or data package the year's schedule comes from."))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)




class HolidaySchedule(models.Model):
    """One day that the State Council's yearly schedule makes a rest day (a public holiday) or, on a weekend,
    a working day. Days not listed follow the week: Monday to Friday working, Saturday and Sunday rest."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), default=False,
        help_text=_("Ticked for a Saturday or Sunday declared a working day; unticked for a public holiday."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("holiday schedule day")
        verbose_name_plural = _("holiday schedule")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"

    def clean(self):
        super().clean()
        if self.is_working_day and self.day and self.day.weekday() < 5:
            raise ValidationError({"is_working_day": _(
                "Monday to Friday are working days already; only a Saturday or Sunday can be declared one."
            )})
