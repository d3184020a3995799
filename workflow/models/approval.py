"""An act proposed by the handler and decided by the person in charge (procedure.md §3 "Approvals")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.case import Case


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused")
    LAPSED = "lapsed", _("Lapsed (the case moved on)")


class Approval(models.Model):
    """One proposal of a transition on a case, with the body it will fire with once approved.

    At most one is pending per case and transition; it lapses when the case leaves the state it was proposed in.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals")
    transition = models.CharField(_("transition"), max_length=60)
    from_state = models.CharField(_("proposed in state"), max_length=40)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    body = models.JSONField(_("body"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "transition"], condition=models.Q(status="pending"),
                                    name="approval_one_pending_per_transition"),
        ]
        indexes = [models.Index(fields=["status", "case"], name="approval_status_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.transition} ({self.status})"
