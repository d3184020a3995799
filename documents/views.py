"""The public verification page (procedure.md §5, api.md `GET /verify/{code}/`): no login, no personal data.

Anyone holding a document can confirm that it was issued: its kind, number, version, issuing agency, date
and the SHA-256 of the PDF. Nothing about the case or its parties is shown; an unknown code answers 404 with
this page saying so, and offering to type the code again.
"""

import logging

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from documents.render import format_date, format_datetime, template_language
from documents.selectors import document_by_code, document_versions, stored_signature
from documents.services import render_and_store
from documents.verification import normalize_code

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def verify_form(request):
    """A code typed from paper: go to its page, or ask again."""
    raw = request.GET.get("code", "")
    code = normalize_code(raw)
    if code is not None:
        return redirect("document-verify", code=code)
    return render(request, "documents/verify.html", {"form_only": True, "typed": raw, "invalid": bool(raw)},
                  status=400 if raw else 200)


@require_safe
@never_cache
def verify(request, code):
    try:
        document = document_by_code(code=code)
    except Http404:
        response = render(request, "documents/verify.html", {
            "form_only": True, "typed": code, "not_found": True,
            "invalid": normalize_code(code) is None,
        }, status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    if normalize_code(code) != code:
        return redirect("document-verify", code=document.verification_code)
    if not document.is_rendered:
        try:
            document = render_and_store(document=document)
        except Exception:  # the page still confirms the document; the hash follows once it is rendered
            logger.exception("Rendering document %s for its verification page failed.", document.pk)
    versions = document_versions(document=document)
    signature = stored_signature(document=document)
    corrected_by = next((v for v in versions if v.supersedes_id == document.pk), None)
    language = template_language(get_language())
    response = render(request, "documents/verify.html", {
        "document": document,
        "issued_on": format_date(document.issued_at, language),
        "corrected_by": corrected_by,
        "corrected_on": format_date(corrected_by.issued_at, language) if corrected_by else "",
        "latest_version": versions[-1].version if versions else document.version,
        "signature": signature,
        "signed_at": format_datetime(signature.signed_at) if signature and signature.signed_at else "",
    })
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

