from django.urls import include, path

from procedure.transitions import RULES
from workflow.api import cases as api
from workflow.api import deadlines as api_deadlines
from workflow.api import stats as stats_api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:pk>/evidence/", api.EvidenceCreateApi.as_view(), name="case-evidence"),
    *[
        path(f"cases/<int:pk>/transitions/{name}/", api.transition_view(name), name=f"case-transition-{name}")
        for name in RULES
    ],
    path("cases/<int:pk>/transitions/<str:name>/", api.UnknownTransitionApi.as_view(), name="case-transition"),
    path("deadlines/", api.DeadlineListApi.as_view(), name="deadline-list"),
    path("calendar/due-date/", api_deadlines.DueDateApi.as_view(), name="calendar-due-date"),
    path("notifications/", api_deadlines.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/<int:pk>/read/", api_deadlines.NotificationReadApi.as_view(), name="notification-read"),
    path("notifications/read-all/", api_deadlines.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path("", include("workflow.api.record_urls")),
    path("", include("workflow.api.document_urls")),
    path("stats/", stats_api.StatsApi.as_view(), name="stats"),
]
