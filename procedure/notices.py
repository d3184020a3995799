"""Who hears of what (procedure.md §3 "Who hears of what", §4): the kinds of notification."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    SUPERVISION_COMPLAINT = "supervision_complaint", _("Supervision complaint by the creditor")
    ANSWER_SUPERVISION_COMPLAINT = "answer_supervision_complaint", _("Supervision complaint answered")
    CORRECTION_NOTICE = "correction_notice", _("Correction notice issued")
    REPLY_CORRECTION_NOTICE = "reply_correction_notice", _("Correction notice answered")


@dataclass(frozen=True)
class TransitionNotice:
    kind: str
    text_id: str
    position: str  # the case field naming the agency told, or "creditor"
    roles: tuple[str, ...] = ()  # empty: every active user of that agency

