"""The case, its evidence, its append-only event chain and its deadlines."""

import hashlib
import json
import secrets
from decimal import Decimal

import django_fsm as fsm
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from . import conditions
from .permissions import RULES, fired_by
from .states import (
    CaseState,
    DeadlineKind,
    DeadlineStatus,
    EvidenceCategory,
    Origin,
    Outcome,
    PartyKind,
)


def _fsm(name: str, *conds):
    rule = RULES[name]
    return fsm.transition(
        field="state",
        source=list(rule.sources),
        target=rule.target,
        permission=fired_by(name),
        conditions=list(conds),
    )


class Sequence(models.Model):
    """A named counter, incremented under a row lock so that numbers are never repeated or skipped."""

    scope = models.CharField(max_length=100, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}={self.value}"


class Case(fsm.FSMModelMixin, models.Model):
    """One suspected refusal to execute: one debtor, one creditor, one enforcement case (procedure.md §2)."""

    number = models.CharField(_("case number"), max_length=40, unique=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    state = fsm.FSMField(_("state"), max_length=40, choices=CaseState.choices, default=CaseState.DRAFT, protected=True)

    executing_court = models.ForeignKey(
        Agency, verbose_name=_("executing court"), on_delete=models.PROTECT, related_name="executed_cases"
    )
    police_agency = models.ForeignKey(
        Agency, verbose_name=_("police agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="police_cases",
    )
    procuratorate = models.ForeignKey(
        Agency, verbose_name=_("procuratorate"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="procuratorate_cases",
    )
    trial_court = models.ForeignKey(
        Agency, verbose_name=_("trial court"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tried_cases",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_cases")

    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_kind = models.CharField(max_length=10, choices=PartyKind.choices, default=PartyKind.PERSON)
    applicant_id_number = models.CharField(max_length=40, blank=True)
    applicant_phone = models.CharField(max_length=40, blank=True)
    applicant_address = models.CharField(max_length=300, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="creditor_cases",
        limit_choices_to={"role": "creditor"},
    )
    debtor_name = models.CharField(_("debtor"), max_length=200)
    debtor_kind = models.CharField(max_length=10, choices=PartyKind.choices, default=PartyKind.PERSON)
    debtor_id_number = models.CharField(max_length=40, blank=True)
    debtor_address = models.CharField(max_length=300, blank=True)

    enforcement_case_number = models.CharField(_("enforcement case number"), max_length=100)
    basis_document = models.CharField(_("basis document"), max_length=200)
    amount_owed = models.DecimalField(
        _("amount owed"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    amount_recovered = models.DecimalField(_("amount recovered"), max_digits=16, decimal_places=2, default=Decimal("0"))
    summary = models.TextField(_("summary"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True, help_text=_("Never shown to the creditor."))
    jurisdiction_reason = models.TextField(_("reason for another region's agency (Art. 2)"), blank=True)
    cross_region = models.BooleanField(_("agency of another region"), default=False)

    custody = models.BooleanField(_("suspect in custody"), default=False)
    review_extended = models.BooleanField(default=False)
    prosecution_review_extended = models.BooleanField(default=False)
    supplementary_rounds = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    sentence = models.TextField(_("sentence"), blank=True)
    reconciliation_terms = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["executing_court", "state"]),
            models.Index(fields=["police_agency", "state"]),
            models.Index(fields=["procuratorate", "state"]),
            models.Index(fields=["trial_court", "state"]),
            models.Index(fields=["applicant_user"]),
            models.Index(fields=["state"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.debtor_name}"

    # The state machine (procedure.md §3). Bodies stay empty: effects live in workflow/transitions.py.

    @_fsm("submit_transfer", conditions.has_transfer_materials)
    def submit_transfer(self):
        """Art. 3, 4: transfer with the five categories of evidence."""

    @_fsm("cancel")
    def cancel(self):
        """A draft is dropped, e.g. the debtor performed after a warning."""

    @_fsm("accept")
    def accept(self):
        """Art. 5 ¶1: the police must accept what the court transfers."""

    @_fsm("extend_review", conditions.review_not_extended)
    def extend_review(self):
        """Art. 5 ¶2: a major or complex case; once, to 30 days."""

    @_fsm("file_case")
    def file_case(self):
        """Art. 5 ¶2; Art. 8 ¶2 after an order."""

    @_fsm("decline_filing")
    def decline_filing(self):
        """Art. 5 ¶2, Art. 7: the police refuse to file and must say why."""

    @_fsm("withdraw_case")
    def withdraw_case(self):
        """Art. 7: withdrawal after filing, with reasons."""

    @_fsm("transfer_for_prosecution")
    def transfer_for_prosecution(self):
        """Art. 9: the investigation is done."""

    @_fsm("request_supervision")
    def request_supervision(self):
        """Art. 7: the executing court asks the procuratorate to supervise."""

    @_fsm("request_explanation", conditions.explanation_source_allowed)
    def request_explanation(self):
        """Art. 8 ¶1: the police must explain their non-filing in writing."""

    @_fsm("decline_supervision")
    def decline_supervision(self):
        """Art. 8: the procuratorate sees no ground to supervise."""

    @_fsm("submit_explanation")
    def submit_explanation(self):
        """Art. 8 ¶1: circumstances, basis and reasons of the non-filing."""

    @_fsm("accept_explanation")
    def accept_explanation(self):
        """Art. 8 ¶1: the reasons hold."""

    @_fsm("order_filing")
    def order_filing(self):
        """Art. 8 ¶2: only the procurator-general may order the police to file."""

    @_fsm("extend_prosecution_review", conditions.prosecution_review_not_extended)
    def extend_prosecution_review(self):
        """CPL Art. 172: once, by fifteen days."""

    @_fsm("return_for_supplementary_investigation", conditions.supplementary_rounds_left)
    def return_for_supplementary_investigation(self):
        """CPL Art. 175: at most twice."""

    @_fsm("resubmit_for_prosecution")
    def resubmit_for_prosecution(self):
        """CPL Art. 175: a fresh review period starts."""

    @_fsm("indict")
    def indict(self):
        """Art. 9: prosecution before the trial court of the same region (Art. 2)."""

    @_fsm("decline_prosecution")
    def decline_prosecution(self):
        """Art. 9: a decision not to prosecute."""

    @_fsm("render_judgment")
    def render_judgment(self):
        """Art. 10: conviction, exemption or acquittal."""

    @_fsm("advise_private_prosecution", conditions.private_advice_allowed)
    def advise_private_prosecution(self):
        """Art. 12: the creditor is told of the right to prosecute privately."""

    @_fsm("file_private_prosecution", conditions.private_filing_allowed, conditions.has_private_materials)
    def file_private_prosecution(self):
        """Art. 11, 13: the creditor files with the required materials."""

    @_fsm("request_supplement")
    def request_supplement(self):
        """Art. 13: the court lists what is missing."""

    @_fsm("accept_private_prosecution")
    def accept_private_prosecution(self):
        """Art. 14: the private prosecution is placed on file."""

    @_fsm("reject_private_prosecution")
    def reject_private_prosecution(self):
        """Art. 14: not accepted, with reasons."""

    @_fsm("reconcile")
    def reconcile(self):
        """Art. 17: only before judgment."""

    @_fsm("withdraw_private_prosecution")
    def withdraw_private_prosecution(self):
        """Art. 17: only before judgment."""


def evidence_upload_to(instance, filename):
    # Random names: the original name is kept in the row, never in the path.
    return f"evidence/{instance.case_id}/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """An evidence material: kept with its hash, never replaced or deleted (Art. 4, 13)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    category = models.CharField(_("category"), max_length=30, choices=EvidenceCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    shared_with_creditor = models.BooleanField(
        _("shared with the creditor"), default=False, help_text=_("Art. 15: copies given to the private prosecutor.")
    )

    class Meta:
        verbose_name = _("evidence material")
        verbose_name_plural = _("evidence materials")
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["case", "category"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("allow_update", False):
            raise ValidationError(_("An evidence material is never replaced; add a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An evidence material is never deleted."))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The event log is append-only.")

    def delete(self):
        raise ValidationError("The event log is append-only.")


class CaseEvent(models.Model):
    """One entry of a case's audit trail, chained to the previous one by SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    transition = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_seq_unique_per_case")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.transition}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("The event log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The event log is append-only.")

    def content(self) -> dict:
        return {
            "case": self.case_id,
            "seq": self.seq,
            "actor": self.actor_id,
            "agency": self.agency_id,
            "transition": self.transition,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "payload": self.payload,
            "at": self.at.isoformat(timespec="microseconds"),
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()



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

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="deadline_status_due"),
            models.Index(fields=["case", "kind", "status"]),
            models.Index(fields=["owed_by", "status"]),
            # The nearest open deadline of a case (the inbox): a few entries per case, only the open ones.
            models.Index(fields=["case", "due_date", "id"], name="deadline_open_by_case",
                         condition=models.Q(status__in=["open", "overdue"], met_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE) and self.met_at is None


from .records import *  # noqa: E402,F403


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


class HolidayScheduleManager(models.Manager):
    def as_schedule(self):
        """The table as a workflow.legal_calendar schedule (see workflow.holidays.DatabaseSchedule)."""
        from .holidays import database_schedule

        return database_schedule()


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

    objects = HolidayScheduleManager()

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


class NotificationKind(models.TextChoices):
    DEADLINE_WARNING = "deadline_warning", _("Deadline approaching")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    DEADLINE_ESCALATED = "deadline_escalated", _("Overdue deadline escalated")
    DEADLINE_AWAITED = "deadline_awaited", _("Awaited act overdue")
    TRANSFER_RECEIVED = "transfer_received", _("Transfer received")
    EXPLANATION_REQUESTED = "explanation_requested", _("Explanation requested")
    SUPERVISION_REQUESTED = "supervision_requested", _("Supervision requested")
    PRIVATE_PROSECUTION_FILED = "private_prosecution_filed", _("Private prosecution filed")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    # Sub-procedure records (workflow.record_services): the record's name, or "answer_" / "decide_" ... its answer.
    ARREST_REQUEST = "arrest_request", _("Arrest review requested")
    DECIDE_ARREST_REQUEST = "decide_arrest_request", _("Arrest request decided")
    PROPERTY_CONTROL = "property_control", _("Property control recorded")
    RELEASE_PROPERTY = "release_property", _("Controlled property released")
    HAND_OVER_PROPERTY = "hand_over_property", _("Controlled property handed over")
    PERFORMANCE = "performance", _("Performance recorded")
    EVIDENCE_COPY_REQUEST = "evidence_copy_request", _("Copies of evidence requested")
    ANSWER_EVIDENCE_COPY_REQUEST = "answer_evidence_copy_request", _("Copies of evidence shared")
    LOCATE_REQUEST = "locate_request", _("Help locating the defendant requested")
    ANSWER_LOCATE_REQUEST = "answer_locate_request", _("Locate request answered")
    OBSTRUCTION_REFERRAL = "obstruction_referral", _("Obstruction by a public servant referred")
    ACKNOWLEDGE_OBSTRUCTION_REFERRAL = "acknowledge_obstruction_referral", _("Obstruction referral acknowledged")


class Notification(models.Model):
    """One notice to one user about one event; (recipient, event_key) is unique, so an event never notifies the
    same person twice, whichever sweep, worker or retry produces it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  db_index=False)  # covered by the inbox index
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
                             db_index=False)
    deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="notifications", db_index=False)
    event_key = models.CharField(max_length=120)
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True, help_text=_("The deadline's due date at the time."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_to = models.EmailField(_("e-mail address"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # event_key first: the sweep asks "was this event already notified?" by key alone.
            models.UniqueConstraint(fields=["event_key", "recipient"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["id"], condition=models.Q(emailed_at__isnull=True) & ~models.Q(email_to=""),
                         name="notification_email_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.event_key}"
