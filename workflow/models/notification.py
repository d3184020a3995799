"""Notifications: one row per recipient and event."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedure.notices import NotificationKind
from workflow.models.case import Case
from workflow.models.deadline import Deadline


class Notification(models.Model):
    """One notice to one user about one event; (recipient, event_key) is unique, so an event never notifies the
    same person twice, whichever sweep, worker or retry produces it.

    Its text is ``text_id`` and ``params`` (vocabulary as codes), rendered in the reader's language when read;
    ``title`` and ``body`` keep the text as written, shown for notifications stored before text ids were."""

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
    text_id = models.CharField(_("text id"), max_length=60, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
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
