"""The browser pages of api.md ("Browser pages"), included at the site root."""

from django.urls import path

from workflow.pages import approvals, case, inbox, notifications, records, search, stats, transition

urlpatterns = [
    path("", inbox.home, name="home"),
    path("cases/new/", inbox.case_new, name="case-new"),
    path("cases/<int:pk>/", case.case_page, name="case-page"),
    path("cases/<int:pk>/transitions/<str:name>/", transition.transition_page, name="case-transition-page"),
    path("cases/<int:pk>/evidence/", case.evidence_upload, name="case-evidence-upload"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/", case.evidence_file, name="case-evidence-file"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/remove/", case.evidence_remove, name="case-evidence-remove"),
    path("cases/<int:pk>/copy-requests/", case.copy_request_create, name="case-copy-request"),
    path("cases/<int:pk>/copy-requests/<int:request_id>/answer/", case.copy_request_answer,
         name="case-copy-request-answer"),
    path("cases/<int:pk>/records/<str:record>/", records.record_page, name="case-record-page"),
    path("records/<str:answer>/<int:record_id>/", records.record_answer_page, name="record-answer-page"),
    path("approvals/<int:pk>/", approvals.approval_page, name="approval-page"),
    path("approvals/<int:pk>/approve/", approvals.approval_approve, name="approval-approve"),
    path("approvals/<int:pk>/reject/", approvals.approval_reject, name="approval-reject"),
    path("search/", search.search_page, name="search"),
    path("notifications/", notifications.notifications_page, name="notifications"),
    path("notifications/<int:notification_id>/read/", notifications.notification_read, name="notification-read"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications-read-all"),
    # The statistics dashboard and its exports.
    path("stats/", stats.stats_page, name="stats"),
    path("stats/export.csv", stats.stats_export_csv, name="stats-export-csv"),
    path("stats/export.xlsx", stats.stats_export_xlsx, name="stats-export-xlsx"),
]
