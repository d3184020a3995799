from django.urls import path

from workflow.api import documents as api

urlpatterns = [
    path("cases/<int:pk>/documents/", api.CaseDocumentListApi.as_view(), name="case-documents"),
    path("documents/<int:pk>/pdf/", api.DocumentPdfApi.as_view(), name="document-pdf"),
]
