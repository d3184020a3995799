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
from procedure.states import (
    CaseState,
    EvidenceCategory,
    Origin,
    Outcome,
    PartyKind,
)
from procedure.transitions import TRANSITIONS, fired_by


def _fsm(name: str):
    """The django-fsm declaration of a transition, read from its row of procedure.transitions."""
    row = TRANSITIONS[name]

    def transition(self):
        pass

    transition.__name__ = transition.__qualname__ = name
    transition.__doc__ = f"{row.article}: {row.label}" if row.article else str(row.label)
    return fsm.transition(field="state", source=list(row.sources),
                          target=None if row.stays else row.target, permission=fired_by(name),
                          conditions=list(row.conditions))(transition)


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

    custody = models.BooleanField(_("suspect in custody"), default=False,
                                  help_text=_("Follows the recorded detention and arrest (procedure.md §3)."))
    received_on = models.DateField(_("materials received by the police on"), null=True, blank=True)
    review_extended = models.BooleanField(default=False)
    prosecution_review_extended = models.BooleanField(default=False)
    trial_extended = models.BooleanField(default=False)
    supplementary_rounds = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    sentence = models.TextField(_("sentence"), blank=True)
    reconciliation_terms = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    # The audit chain's head and length, kept with the case so that a removed event shows (workflow/cases/audit.py).
    event_count = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        indexes = [
            # Each position with the state and the id: what a user may see, counted by state, is read from these
            # indexes alone (workflow.cases.selectors.state_counts), not from the cases' rows.
            models.Index(fields=["executing_court", "state", "id"], name="case_court_state_id"),
            models.Index(fields=["police_agency", "state", "id"], name="case_police_state_id"),
            models.Index(fields=["procuratorate", "state", "id"], name="case_procuratorate_state_id"),
            models.Index(fields=["trial_court", "state", "id"], name="case_trial_court_state_id"),
            models.Index(fields=["applicant_user"]),
            models.Index(fields=["state"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.debtor_name}"

    # The state machine (procedure.md §3): one django-fsm transition per row of procedure.transitions, declared
    # here from the table, so that a new row is a new transition of the model too. Bodies stay empty: the effects
    # live in workflow/cases/transitions.py.
    for _name in TRANSITIONS:
        vars()[_name] = _fsm(_name)
    del _name


def evidence_upload_to(instance, filename):
    # Random names: the original name is kept in the row, never in the path.
    return f"evidence/{instance.case_id}/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """An evidence material: kept with its hash, never replaced; deleted only when taken back from a draft
    (workflow.cases.services.evidence_remove, which records the removal in the case's trail)."""

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
        if not kwargs.pop("allow", False):
            raise ValidationError(_("An evidence material is never deleted."))
        return super().delete(*args, **kwargs)


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
