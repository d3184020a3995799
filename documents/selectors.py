"""Reads of documents by what anyone holding the paper has: its verification code (procedure.md §5)."""

from django.http import Http404

from documents.models import Document
from documents.verification import normalize_code


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
