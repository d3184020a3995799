"""The workflow app's tables; Django finds them here."""

from workflow.models.approval import Approval, ApprovalStatus
from workflow.models.case import Case, CaseEvent, Evidence, Sequence, evidence_upload_to
from workflow.models.deadline import CalendarYear, Deadline, DeadlineTally, HolidaySchedule
from workflow.models.figures import CaseFigures
from workflow.models.notification import Notification
from workflow.models.records import (
    ArrestRequest,
    CoerciveMeasure,
    CorrectionNotice,
    EvidenceCopyRequest,
    JointMeeting,
    LocateRequest,
    ObstructionReferral,
    Performance,
    PropertyControl,
    SupervisionComplaint,
    Warning,
)

__all__ = [
    "Approval", "ApprovalStatus", "ArrestRequest", "CalendarYear", "Case", "CaseEvent", "CaseFigures", "CoerciveMeasure",
    "CorrectionNotice", "Deadline", "DeadlineTally", "Evidence",
    "EvidenceCopyRequest", "HolidaySchedule", "JointMeeting", "LocateRequest", "Notification",
    "ObstructionReferral", "Performance", "PropertyControl", "Sequence", "SupervisionComplaint",
    "Warning", "evidence_upload_to",
]
