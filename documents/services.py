"""Issuing, correcting and rendering documents (procedure.md §5).

A document is issued inside the transaction of the transition or sub-procedure that produces it: it takes the
next number of its agency, kind and year under a row lock and stores the text it was handed (what the letter
says about its matter) under its own heading (documents.content). The PDF is rendered after the commit by a
Celery task (documents.tasks), signed as the issuing agency (documents.signing), stored under a fresh name
with the SHA-256 of the stored bytes, and never replaced: a correction is a new version with the same number.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.content import CORRECTABLE, heading, merge_changes, render_context, stamp
from documents.models import Document, document_upload_to, new_verification_code
from documents.numbering import allocate_number
from documents.render import render_document_html, render_document_pdf, template_language
from documents.signing import sign_issued_pdf
from procedure.letters import ADDRESSEE, DocumentKind

logger = logging.getLogger(__name__)

# A document whose rendering has not run this long after issue is picked up by the catch-up task.
RENDER_GRACE = timedelta(minutes=2)


def _language(actor) -> str:
    """Chinese by default; English where the issuing user reads English (procedure.md §5)."""
    return template_language(getattr(actor, "language", "") or "")


_defer_rendering: ContextVar[bool] = ContextVar("defer_document_rendering", default=False)


@contextmanager
def rendering_deferred():
    """Issue documents without queueing their rendering (bulk seeding, imports): each PDF is then rendered
    when first asked for, or by the catch-up task. Numbers, text and verification codes are fixed as usual."""
    token = _defer_rendering.set(True)
    try:
        yield
    finally:
        _defer_rendering.reset(token)


def rendering_is_deferred() -> bool:
    return _defer_rendering.get()


def document_issue(*, case, kind: str, actor, text: dict, event=None, addressee=None) -> Document:
    """Number one document and store its text, in the caller's transaction. The caller queues its rendering
    (documents.tasks.render_after_commit); the catch-up task renders whatever was not queued.

    `text` is what the letter says about its matter (documents.content); the heading (kind, number, version,
    date, issuer, verification code) is added here. `case` and `event` are only the rows it belongs to.
    """
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind: {kind!r}")
    issuer = actor.agency
    if issuer is None:
        raise PermissionDenied(_("Only an agency issues documents."))
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence, number = allocate_number(agency=issuer, kind=kind, year=year)
    code = new_verification_code()
    head = heading(kind=kind, number=number, issuer=issuer, version=1, issued_at=now, verification_code=code)
    if head.keys() & text.keys():
        raise ValueError(f"A document's heading is its own: {sorted(head.keys() & text.keys())}")
    document = Document(
        case=case,
        kind=kind,
        number=number,
        sequence=sequence,
        year=year,
        issued_by=issuer,
        addressee_agency=addressee,
        addressed_to_creditor=ADDRESSEE.get(kind) == "creditor",
        event=event,
        issued_at=now,
        issued_by_user=actor,
        language=_language(actor),
        verification_code=code,
        context={**head, **text},
    )
    document.full_clean()
    document.save()
    return document


def _check_changes(changes) -> None:
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"changes": [_("Say what the correction changes.")]})
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValidationError({"changes": [
            _("A correction may change only: %(fields)s.") % {"fields": ", ".join(CORRECTABLE)}
        ]})
    for key, value in changes.items():
        expected = list if key == "evidence" else dict
        if not isinstance(value, expected):
            raise ValidationError({"changes": [
                _("%(field)s must be given as it appears in the document.") % {"field": key}
            ]})


def correction_prepare(*, document: Document, actor, changes: dict) -> Document:
    """The corrected version of a document, not yet saved: the same number, the next version, superseding it.

    Call inside a transaction: the document's row is locked. Only the issuing agency corrects its own
    documents, and only the latest version. `changes` lays new values over the text (addressee, case, payload,
    deadline, evidence, record), and the corrected text must still make a document.
    """
    _check_changes(changes)
    current = Document.objects.select_for_update().get(pk=document.pk)
    if actor.agency_id is None or actor.agency_id != current.issued_by_id:
        raise PermissionDenied(_("Only the issuing agency may correct its document."))
    newer = Document.objects.filter(supersedes=current).first()
    if newer is not None:
        raise ValidationError({"document": [
            _("This version was already corrected by version %(version)s; correct that one.")
            % {"version": newer.version}
        ]})
    now = timezone.now()
    code = new_verification_code()
    text = merge_changes(current.context, changes)
    text.update(stamp(version=current.version + 1, issued_at=now, verification_code=code))
    try:  # the corrected text must still make a document (the PDF itself follows after the commit)
        render_document_html(current.kind, render_context(text), language=current.language)
    except Exception as exc:
        raise ValidationError({"changes": [_("The corrected text does not make a valid document.")]}) from exc
    return Document(
        case_id=current.case_id,
        kind=current.kind,
        number=current.number,
        sequence=current.sequence,
        year=current.year,
        version=current.version + 1,
        supersedes=current,
        issued_by=current.issued_by,
        addressee_agency=current.addressee_agency,
        addressed_to_creditor=current.addressed_to_creditor,
        issued_at=now,
        issued_by_user=actor,
        language=current.language,
        context=text,
        verification_code=code,
    )


def correction_save(*, corrected: Document, event=None) -> Document:
    """Store a version made by `correction_prepare`, with the event that records the correction."""
    corrected.event = event
    corrected.full_clean()
    corrected.save()
    return corrected


def render_and_store(*, document: Document) -> Document:
    """Render the document's fixed text to PDF and store it once, with the SHA-256 of the stored bytes.

    Idempotent: a rendered document is returned as it is. The rendering runs without holding a lock; the
    row is then claimed with a conditional update, so when two workers race, one file wins and the other
    is deleted again.
    """
    document = Document.objects.get(pk=document.pk)
    if document.is_rendered:
        return document
    pdf = render_document_pdf(document.kind, render_context(document.context),
                              language=document.language)
    pdf = sign_issued_pdf(pdf, agency=document.issued_by, reason=f"{document.get_kind_display()} {document}")
    digest = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(document_upload_to(document, ""), ContentFile(pdf))
    try:
        claimed = Document.objects.filter(pk=document.pk, sha256="").update(
            file=name, sha256=digest, size=len(pdf), rendered_at=timezone.now()
        )
    except Exception:
        default_storage.delete(name)
        raise
    if not claimed:
        default_storage.delete(name)
    return Document.objects.get(pk=document.pk)


def render_pending_documents(*, limit: int = 200, grace: timedelta = RENDER_GRACE) -> int:
    """Catch up on documents whose rendering never ran (worker down, broker lost); returns how many."""
    cutoff = timezone.now() - grace
    pending = list(Document.objects.filter(rendered_at__isnull=True, issued_at__lte=cutoff)
                   .order_by("issued_at", "id").values_list("pk", flat=True)[:limit])
    rendered = 0
    for pk in pending:
        try:
            render_and_store(document=Document.objects.get(pk=pk))
        except Exception:  # one broken document must not keep the others from being rendered
            logger.exception("Rendering document %s failed; the next catch-up tries again.", pk)
            continue
        rendered += 1
    return rendered
