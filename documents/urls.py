from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:pk>/documents/", api.CaseDocumentListApi.as_view(), name="case-documents"),
    path("documents/<int:pk>/pdf/", api.DocumentPdfApi.as_view(), name="document-pdf"),
]
