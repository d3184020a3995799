"""Routes of the API (api.md), included under `api/`."""

from django.urls import include, path

from procedure.transitions import TRANSITIONS
from workflow.api import approvals as api_approvals
from workflow.api import cases as api
from workflow.api import deadlines as api_deadlines
from workflow.api import dossier as api_dossier
from workflow.api import notifications as api_notifications
from workflow.api import record_answers as answers
from workflow.api import records, search, supervision
from workflow.api import stats as stats_api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:pk>/evidence/", api.EvidenceCreateApi.as_view(), name="case-evidence"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/", api.EvidenceRemoveApi.as_view(), name="case-evidence-remove"),
    path("cases/<int:pk>/dossier/", api_dossier.CaseDossierApi.as_view(), name="case-dossier"),
    path("search/", search.SearchApi.as_view(), name="search"),
    *[
        path(f"cases/<int:pk>/transitions/{name}/", api.transition_view(name), name=f"case-transition-{name}")
        for name in TRANSITIONS
    ],
    path("cases/<int:pk>/transitions/<str:name>/", api.UnknownTransitionApi.as_view(), name="case-transition"),
    path("approvals/", api_approvals.ApprovalListApi.as_view(), name="approval-list"),
    path("approvals/<int:pk>/approve/", api_approvals.ApprovalApproveApi.as_view(), name="approval-approve"),
    path("approvals/<int:pk>/reject/", api_approvals.ApprovalRejectApi.as_view(), name="approval-reject"),
    path("deadlines/", api.DeadlineListApi.as_view(), name="deadline-list"),
    path("calendar/due-date/", api_deadlines.DueDateApi.as_view(), name="calendar-due-date"),
    path("notifications/", api_notifications.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/<int:pk>/read/", api_notifications.NotificationReadApi.as_view(), name="notification-read"),
    path("notifications/read-all/", api_notifications.NotificationReadAllApi.as_view(),
         name="notification-read-all"),
    # Records on a case: GET the list, POST a new one.
    path("cases/<int:pk>/records/", records.CaseRecordsApi.as_view(), name="case-records"),
    path("cases/<int:pk>/private-checklist/", records.PrivateChecklistApi.as_view(), name="case-private-checklist"),
    *[
        path(f"cases/<int:pk>/{record.replace('_', '-')}s/", view.as_view(), name=f"case-{record.replace('_', '-')}s")
        for record, view in records.CASE_RECORD_APIS.items()
    ],
    # Inboxes of records addressed to an agency, and their answers.
    path("arrest-requests/", answers.ArrestRequestInboxApi.as_view(), name="arrest-request-list"),
    path("arrest-requests/<int:pk>/decision/", answers.ANSWER_APIS["decide_arrest_request"].as_view(), name="arrest-request-decision"),
    path("coercive-measures/<int:pk>/end/", answers.ANSWER_APIS["end_coercive_measure"].as_view(), name="coercive-measure-end"),
    path("coercive-measures/<int:pk>/extend/", answers.ANSWER_APIS["extend_detention"].as_view(), name="coercive-measure-extend"),
    path("supervision-complaints/", answers.SupervisionComplaintInboxApi.as_view(), name="supervision-complaint-list"),
    path("supervision-complaints/<int:pk>/answer/", answers.ANSWER_APIS["answer_supervision_complaint"].as_view(),
         name="supervision-complaint-answer"),
    path("correction-notices/", answers.CorrectionNoticeInboxApi.as_view(), name="correction-notice-list"),
    path("correction-notices/<int:pk>/reply/", answers.ANSWER_APIS["reply_correction_notice"].as_view(), name="correction-notice-reply"),
    path("property-controls/<int:pk>/release/", answers.ANSWER_APIS["release_property"].as_view(),
         name="property-control-release"),
    path("property-controls/<int:pk>/hand-over/", answers.ANSWER_APIS["hand_over_property"].as_view(),
         name="property-control-hand-over"),
    path("evidence-copy-requests/", answers.EvidenceCopyRequestInboxApi.as_view(), name="evidence-copy-request-list"),
    path("evidence-copy-requests/<int:pk>/answer/", answers.ANSWER_APIS["answer_evidence_copy_request"].as_view(),
         name="evidence-copy-request-answer"),
    path("locate-requests/", answers.LocateRequestInboxApi.as_view(), name="locate-request-list"),
    path("locate-requests/<int:pk>/answer/", answers.ANSWER_APIS["answer_locate_request"].as_view(), name="locate-request-answer"),
    path("obstruction-referrals/", answers.ObstructionReferralInboxApi.as_view(), name="obstruction-referral-list"),
    path("obstruction-referrals/<int:pk>/acknowledge/", answers.ANSWER_APIS["acknowledge_obstruction_referral"].as_view(),
         name="obstruction-referral-acknowledge"),
    path("evidence/<int:pk>/file/", records.EvidenceFileApi.as_view(), name="evidence-file"),
    # Art. 19
    path("joint-meetings/", supervision.JointMeetingListApi.as_view(), name="joint-meeting-list"),
    path("joint-meetings/<int:pk>/", supervision.JointMeetingDetailApi.as_view(), name="joint-meeting-detail"),
    path("supervision-ledger/", supervision.SupervisionLedgerApi.as_view(), name="supervision-ledger"),
    path("supervision-ledger/csv/", supervision.SupervisionLedgerCsvApi.as_view(), name="supervision-ledger-csv"),
    path("supervision-ledger/xlsx/", supervision.SupervisionLedgerXlsxApi.as_view(), name="supervision-ledger-xlsx"),
    path("", include("workflow.api.document_urls")),
    path("stats/", stats_api.StatsApi.as_view(), name="stats"),
]
