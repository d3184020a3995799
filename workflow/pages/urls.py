"""The browser pages of api.md ("Browser pages"), included at the site root."""

from django.urls import path

from workflow.pages import case as views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<int:pk>/", views.case_page, name="case-page"),
    path("cases/<int:pk>/transitions/<str:name>/", views.transition_page, name="case-transition-page"),
    path("cases/<int:pk>/evidence/", views.evidence_upload, name="case-evidence-upload"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="case-evidence-file"),
    path("cases/<int:pk>/copy-requests/", views.copy_request_create, name="case-copy-request"),
    path("cases/<int:pk>/copy-requests/<int:request_id>/answer/", views.copy_request_answer,
         name="case-copy-request-answer"),
    path("cases/<int:pk>/records/<str:record>/", views.record_page, name="case-record-page"),
    path("records/<str:answer>/<int:record_id>/", views.record_answer_page, name="record-answer-page"),
    path("notifications/", views.notifications_page, name="notifications"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
]
