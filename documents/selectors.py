"""Reads of documents by what anyone holding the paper has: its verification code (procedure.md §5)."""

import logging

from django.http import Http404

from documents.models import Document
from documents.signing import SignatureReport, check_signature
from documents.verification import normalize_code

logger = logging.getLogger(__name__)


def document_by_code(*, code: str) -> Document:
    """The document a verification code belongs to (public: anyone holding the paper has the code)."""
    normalized = normalize_code(code)
    if normalized is None:
        raise Http404
    document = Document.objects.select_related("issued_by").filter(verification_code=normalized).first()
    if document is None:
        raise Http404
    return document


def document_versions(*, document: Document) -> list[Document]:
    """Every version of the document's number, oldest first."""
    return list(Document.objects.filter(issued_by_id=document.issued_by_id, kind=document.kind,
                                        year=document.year, sequence=document.sequence).order_by("version"))


def stored_signature(*, document: Document) -> SignatureReport | None:
    """The signature of the stored PDF, checked offline against the agencies' trust roots (None: no PDF yet)."""
    if not document.is_rendered:
        return None
    try:
        with document.file.open("rb") as handle:
            return check_signature(handle.read())
    except OSError:
        logger.exception("The stored PDF of document %s could not be read.", document.pk)
        return None
