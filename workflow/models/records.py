"""Records of the sub-procedures kept on a case (procedure.md §3 "Sub-procedures"): they never change its state.

Each record is written by one service in workflow/record_services.py, which also appends the case event.
Imported at the end of workflow/models.py so that Django finds the models in the app's models module.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

__all__ = [
    "ArrestDecision",
    "ArrestRequest",
    "CoerciveMeasure",
    "CoerciveMeasureKind",
    "ComplaintDecision",
    "CopyRequestStatus",
    "CorrectionNotice",
    "EvidenceCopyRequest",
    "JointMeeting",
    "LocateRequest",
    "LocateResult",
    "ObstructionReferral",
    "Performance",
    "PerformanceExtent",
    "PerformanceKind",
    "PropertyControl",
    "PropertyControlStatus",
    "PropertyMeasure",
    "SupervisionComplaint",
    "Warning",
]

CASE = "workflow.Case"
USER = settings.AUTH_USER_MODEL


class ArrestDecision(models.TextChoices):
    APPROVE = "approve", _("Arrest approved")
    DENY = "deny", _("Arrest not approved")


class CoerciveMeasureKind(models.TextChoices):
    # CPL Art. 66-100: the measures the police may take against a suspect.
    SUMMONS = "summons", _("Summons for questioning")
    DETENTION = "detention", _("Criminal detention")
    BAIL = "bail", _("Bail pending trial")
    RESIDENTIAL_SURVEILLANCE = "residential_surveillance", _("Residential surveillance")
    ARREST = "arrest", _("Arrest")


CUSTODIAL_MEASURES = (CoerciveMeasureKind.DETENTION, CoerciveMeasureKind.ARREST)


class PropertyMeasure(models.TextChoices):
    SEIZE = "seize", _("Seizure")
    DISTRAIN = "distrain", _("Distraint")
    FREEZE = "freeze", _("Freezing")


class PropertyControlStatus(models.TextChoices):
    CONTROLLED = "controlled", _("Under control")
    RELEASED = "released", _("Released")
    HANDED_OVER = "handed_over", _("Handed to the executing court")


class PerformanceKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    DELIVERY = "delivery", _("Delivery of property")


class PerformanceExtent(models.TextChoices):
    FULL = "full", _("In full")
    PARTIAL = "partial", _("In part")


class CopyRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ANSWERED = "answered", _("Answered")


class LocateResult(models.TextChoices):
    FOUND = "found", _("Located")
    NOT_FOUND = "not_found", _("Not located")


class ComplaintDecision(models.TextChoices):
    """CPL Art. 113: how the procurator answers a creditor's supervision complaint."""

    REQUEST_EXPLANATION = "request_explanation", _("Require the police to explain")
    REFUSE = "refuse", _("Refuse with reasons")


class ArrestRequest(models.Model):
    """Art. 6, 9; CPL Art. 87, 91: the police ask the procuratorate to approve an arrest; it decides in 7 days."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="arrest_requests")
    suspect_name = models.CharField(_("suspect"), max_length=200)
    grounds = models.TextField(_("grounds for arrest"))
    detained = models.BooleanField(_("suspect detained when requested"), default=False,
                                   help_text=_("CPL Art. 91 ¶3: 7 days to decide if detained, else 15 (20 if major "
                                               "or complex)."))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requesting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    deadline = models.ForeignKey(
        "workflow.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The arrest_review deadline this request opened."),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ArrestDecision.choices, blank=True)
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("arrest request")
        verbose_name_plural = _("arrest requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # One request awaits review at a time: the procuratorate answers before the police ask again.
            models.UniqueConstraint(fields=["case"], condition=models.Q(decision=""),
                                    name="one_pending_arrest_request_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} arrest_request #{self.pk}"

    @property
    def pending(self) -> bool:
        return not self.decision


class CoerciveMeasure(models.Model):
    """Art. 6: a coercive measure the police took against the suspect after filing: who, when, on what basis."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="coercive_measures")
    kind = models.CharField(_("measure"), max_length=30, choices=CoerciveMeasureKind.choices)
    person_name = models.CharField(_("person"), max_length=200)
    taken_on = models.DateField(_("taken on"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    place = models.CharField(_("place"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    arrest_request = models.ForeignKey(
        ArrestRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="measures",
        help_text=_("For an arrest: the approved request it executes."),
    )
    deadline = models.ForeignKey(
        "workflow.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The custody deadline it opened: detention (CPL Art. 91) or custody in investigation (Art. 156)."),
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("coercive measure")
        verbose_name_plural = _("coercive measures")
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_name}"

    @property
    def active(self) -> bool:
        return self.ended_on is None

    @property
    def custodial(self) -> bool:
        return self.kind in CUSTODIAL_MEASURES


class PropertyControl(models.Model):
    """Art. 6 (police) and Art. 14 ¶2 (court, private prosecution): property seized, distrained or frozen."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="property_controls")
    measure = models.CharField(_("measure"), max_length=20, choices=PropertyMeasure.choices)
    description = models.CharField(_("property"), max_length=500)
    location = models.CharField(_("where"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount or value"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    controlled_on = models.DateField(_("controlled on"))
    controlling_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=PropertyControlStatus.choices,
                              default=PropertyControlStatus.CONTROLLED)
    disposed_on = models.DateField(_("released or handed over on"), null=True, blank=True)
    disposal_note = models.TextField(_("note on release or hand-over"), blank=True)
    disposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handed_to = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("property control")
        verbose_name_plural = _("property controls")
        ordering = ["controlled_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.description}"


class Warning(models.Model):  # the spec names the record `warning`
    """A warning to the debtor to perform; any organ of the case may give one (procedure.md §3)."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="warnings")
    warned_on = models.DateField(_("warned on"))
    content = models.TextField(_("what the debtor was told"))
    performance_due = models.DateField(_("perform by"), null=True, blank=True)
    given_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["warned_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} warning {self.warned_on}"


class Performance(models.Model):
    """The debtor paid or delivered, in full or in part, at any stage; the case's amount recovered follows."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="performances")
    kind = models.CharField(_("kind"), max_length=20, choices=PerformanceKind.choices)
    amount = models.DecimalField(
        _("amount or value"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    performed_on = models.DateField(_("performed on"))
    description = models.TextField(_("description"), blank=True)
    extent = models.CharField(_("extent"), max_length=10, choices=PerformanceExtent.choices)
    warning = models.ForeignKey(Warning, null=True, blank=True, on_delete=models.PROTECT, related_name="performances")
    after_warning = models.BooleanField(_("after a warning"), default=False)
    case_state = models.CharField(_("case state when performed"), max_length=40)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("performance")
        verbose_name_plural = _("performances")
        ordering = ["performed_on", "id"]
        indexes = [models.Index(fields=["case", "performed_on"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.amount}"


class EvidenceCopyRequest(models.Model):
    """Art. 15: the private prosecutor asks the executing court for copies of the evidence fixed in enforcement."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="evidence_copy_requests")
    description = models.TextField(_("materials asked for"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=CopyRequestStatus.choices,
                              default=CopyRequestStatus.PENDING)
    shared_evidence = models.ManyToManyField("workflow.Evidence", blank=True, related_name="copy_requests",
                                             verbose_name=_("materials shared"))
    answer_note = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence copy request")
        verbose_name_plural = _("evidence copy requests")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} evidence_copy_request #{self.pk}"


class LocateRequest(models.Model):
    """Art. 16: the trial court asks the police to find a defendant whose whereabouts are unknown."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="locate_requests")
    defendant_name = models.CharField(_("defendant"), max_length=200)
    last_known_address = models.CharField(_("last known address"), max_length=300, blank=True)
    note = models.TextField(_("other leads"), blank=True)
    requesting_court = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    police_agency = models.ForeignKey(Agency, verbose_name=_("police agency asked"), on_delete=models.PROTECT,
                                      related_name="locate_requests")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    letter = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=LocateResult.choices, blank=True)
    result_detail = models.TextField(_("where the defendant is"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("locate request")
        verbose_name_plural = _("locate requests")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["police_agency", "result"])]

    def __str__(self) -> str:
        return f"{self.case_id} locate_request #{self.pk}"

    @property
    def pending(self) -> bool:
        return not self.result


class ObstructionReferral(models.Model):
    """Art. 18: the court refers a state-organ worker who used power to obstruct enforcement."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="obstruction_referrals")
    official_name = models.CharField(_("official"), max_length=200)
    official_position = models.CharField(_("position and organ"), max_length=300, blank=True)
    conduct = models.TextField(_("how enforcement was obstructed"))
    referring_court = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Agency, verbose_name=_("referred to"), on_delete=models.PROTECT,
                                 related_name="received_referrals")
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    letter = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgment_note = models.TextField(_("acknowledgment"), blank=True)

    class Meta:
        verbose_name = _("obstruction referral")
        verbose_name_plural = _("obstruction referrals")
        ordering = ["referred_at", "id"]
        indexes = [models.Index(fields=["receiver", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} obstruction_referral #{self.pk}"


class JointMeeting(models.Model):
    """Art. 19: a joint meeting of a region's court, procuratorate and police."""

    region_code = models.CharField(_("region code"), max_length=6)
    region_name = models.CharField(_("region name"), max_length=50)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(USER, blank=True, related_name="joint_meetings",
                                       verbose_name=_("attendees with an account"))
    other_attendees = models.TextField(_("other attendees"), blank=True,
                                       help_text=_("People without an account, one per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    cases = models.ManyToManyField(CASE, blank=True, related_name="joint_meetings", verbose_name=_("cases discussed"))
    convened_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["region_code", "held_on"])]

    def __str__(self) -> str:
        return f"{self.region_name} {self.held_on} {self.title}"


class SupervisionComplaint(models.Model):
    """CPL Art. 113: the creditor asks the procuratorate to supervise the police's non-filing or withdrawal. The
    procurator answers by requiring the police's explanation or by a written refusal with reasons."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="supervision_complaints")
    reason = models.TextField(_("why the police should file"))
    case_state = models.CharField(_("case state when filed"), max_length=40)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=30, choices=[
        ("explanation_requested", _("Explanation required of the police")),
        ("refused", _("Refused with reasons")),
    ], blank=True)
    answer_reason = models.TextField(_("reasons of the answer"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision complaint")
        verbose_name_plural = _("supervision complaints")
        ordering = ["filed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} supervision_complaint #{self.pk}"

    @property
    def pending(self) -> bool:
        return not self.answer


class CorrectionNotice(models.Model):
    """Procuratorial rules on filing supervision: the police let the 7-day explanation or the 15-day filing after
    an order pass; the procurator notifies them to correct it (a letter), and the police answer."""

    case = models.ForeignKey(CASE, on_delete=models.PROTECT, related_name="correction_notices")
    reason = models.TextField(_("what must be corrected"))
    deadline = models.ForeignKey("workflow.Deadline", on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The overdue deadline the notice is about."))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    procuratorate = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    police_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="correction_notices")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    letter = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    reply = models.TextField(_("the police's reply"), blank=True)
    replied_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction notice")
        verbose_name_plural = _("correction notices")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} correction_notice #{self.pk}"

    @property
    def pending(self) -> bool:
        return self.replied_at is None
