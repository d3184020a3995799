"""Reads of documents, filtered by who may see them (procedure.md §1, §5)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from agencies.roles import Role
from documents.models import Document
from procedure.letters import CONFIDENTIAL_KINDS
from workflow.cases.selectors import visibility_q


def document_list(*, user) -> QuerySet[Document]:
    """The documents a user may read.

    An agency officer reads the documents of the cases in which the agency holds a position, and any
    document issued by or addressed to the agency (the police asked to locate a defendant, the commission
    an obstruction is referred to). An Art. 18 referral concerns an official: only its issuer and its
    receiver read it. A creditor reads only the documents addressed to the creditor, of their own cases.
    """
    qs = Document.objects.select_related("issued_by", "addressee_agency", "case")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.CREDITOR:
        return qs.filter(addressed_to_creditor=True, case__applicant_user=user)
    if not user.agency_id:
        return qs.none()
    own = Q(issued_by_id=user.agency_id) | Q(addressee_agency_id=user.agency_id)
    return qs.filter((visibility_q(user, prefix="case__") & ~Q(kind__in=CONFIDENTIAL_KINDS)) | own)


def document_list_for_case(*, case, user) -> QuerySet[Document]:
    return document_list(user=user).filter(case=case).order_by("issued_at", "id")


def document_get(*, user, document_id) -> Document:
    """The document, or 404 both when it does not exist and when the user may not read it."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise Http404 from None
    document = document_list(user=user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document

