"""GET /api/cases/{id}/dossier/ (api.md): the case's electronic dossier as one PDF, as the user may see it."""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from workflow.cases.dossier import case_dossier


class CaseDossierApi(APIView):
    """The cover, the catalogue, every material and letter the user may see, one bookmark per catalogue entry
    (404 for a case the user may not see)."""

    def perform_content_negotiation(self, request, force=False):
        # The answer is a PDF whatever the client accepts; only errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(tags=["documents"], responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, pk):
        digest, pdf = case_dossier(user=request.user, case_id=pk, language=get_language())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename=\"dossier.pdf\"; filename*=UTF-8''{quote(f'dossier-{pk}.pdf')}"
        response["ETag"] = f'"{digest}"'
        response["Cache-Control"] = "private, no-cache"
        return response
