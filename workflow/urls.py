from django.urls import path

from . import api
from .permissions import RULES

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
]
