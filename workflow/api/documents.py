"""The documents API of api.md: a case's documents and each document's PDF."""

import hashlib
import logging
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.generics import ListAPIView
from rest_framework.views import APIView

from documents.models import Document
from documents.serializers import DocumentOutputSerializer
from documents.services import render_and_store
from workflow.cases.documents import document_get, document_list_for_case
from workflow.cases.selectors import case_get

logger = logging.getLogger(__name__)


class StoredFileDamaged(exceptions.APIException):
    status_code = 503
    default_detail = _("The stored file of this document does not match its recorded hash.")
    default_code = "stored_file_damaged"


class CaseDocumentListApi(ListAPIView):
    """GET /api/cases/{id}/documents/: the documents of a case the user may see (404 for any other case)."""

    serializer_class = DocumentOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is being built
            return Document.objects.none()
        case = case_get(user=self.request.user, case_id=self.kwargs["pk"])
        return document_list_for_case(case=case, user=self.request.user)

    @extend_schema(tags=["documents"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DocumentPdfApi(APIView):
    """GET /api/documents/{id}/pdf/: the stored PDF, rendered now if the rendering task has not run yet."""

    def perform_content_negotiation(self, request, force=False):
        # The answer is a PDF whatever the client accepts; only errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(tags=["documents"], responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, pk):
        document = document_get(user=request.user, document_id=pk)
        document = render_and_store(document=document)
        try:
            with document.file.open("rb") as stored:
                content = stored.read()
        except OSError:
            logger.error("Stored file of document %s (%s) is missing.", document.pk, document.number)
            raise StoredFileDamaged from None
        if hashlib.sha256(content).hexdigest() != document.sha256:
            logger.error("Stored file of document %s (%s) does not match its SHA-256.", document.pk, document.number)
            raise StoredFileDamaged
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"{document.number}.pdf" if document.version == 1 else f"{document.number}-v{document.version}.pdf"
        response["Content-Disposition"] = _inline_disposition(filename)
        response["ETag"] = f'"{document.sha256}"'
        response["X-Content-SHA256"] = document.sha256
        response["Cache-Control"] = "private, no-cache"
        return response


def _inline_disposition(filename: str) -> str:
    # The number is in Chinese: an ASCII fallback name, and the real one in RFC 6266's UTF-8 form.
    return f"inline; filename=\"document.pdf\"; filename*=UTF-8''{quote(filename)}"
