"""Issuing, correcting and rendering documents (procedure.md §5).

A document is issued inside the transaction of the transition or sub-procedure that produces it: it takes the
next number of its agency, kind and year under a row lock and fixes what it says (documents.context). The PDF
is rendered after the commit by a Celery task, stored under a fresh name with the SHA-256 of the stored bytes,
and never replaced: a correction is a new version with the same number.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document, document_upload_to, new_verification_code
from documents.numbering import allocate_number
from documents.render import render_document_html, render_document_pdf, template_language
from documents.verification import verify_url
from procedure.letters import ADDRESSEE, DocumentKind
from procedure.transitions import TRANSITIONS
from workflow.cases import letters as doc_context
from workflow.cases.events import record_event
from workflow.models import Case

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


def _queue_render(document_id: int) -> None:
    from documents.tasks import render_document_task  # noqa: PLC0415 - the task module imports this one

    render_document_task.delay(document_id)


def queue_render_after_commit(document: Document) -> None:
    # robust: a broker or rendering failure must not turn a committed transition into an error; the
    # catch-up task renders what was missed.
    if _defer_rendering.get():
        return
    transaction.on_commit(partial(_queue_render, document.pk), robust=True)


def issue_document(*, case, kind: str, actor, event=None, data: dict | None = None, addressee=None,
                   issuer=None, record: dict | None = None) -> Document:
    """Number one document and fix its text, in the caller's transaction; the PDF follows after the commit.

    `addressee` overrides the table of documents.kinds.ADDRESSEE (the sub-procedures name the police agency
    asked or the commission referred to); `record` is the sub-procedure record the letter describes
    (defaults to `data` for those kinds).
    """
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind: {kind!r}")
    issuer = issuer or actor.agency
    if issuer is None:
        raise PermissionDenied(_("Only an agency issues documents."))
    from_state = event.from_state if event is not None else case.state
    if addressee is None:
        addressee = doc_context.addressee_agency_for(case, kind, from_state=from_state)
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence, number = allocate_number(agency=issuer, kind=kind, year=year)
    code = new_verification_code()
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
    )
    document.context = doc_context.snapshot(
        case=case, kind=kind, issuer=issuer, addressee=addressee, number=number, version=1, issued_at=now,
        verification_code=code, verify_url=verify_url(code), data=data, record=record,
        transition=event.transition if event is not None else "", from_state=from_state,
    )
    document.full_clean()
    document.save()
    queue_render_after_commit(document)
    return document


def issue_for_transition(*, case, name, actor, event, data):
    """The documents of procedure.md §5 that this transition issues."""
    for kind in TRANSITIONS[name].letters:
        issue_document(case=case, kind=kind, actor=actor, event=event, data=data)


@transaction.atomic
def issue_correction(document: Document, actor, changes: dict, *, reason: str = "") -> Document:
    """Correct an issued document: a new version with the same number that supersedes it.

    The old version, its stored file and its hash stay as they were; the verification page of the old code
    says that it was corrected. Only the issuing agency corrects its own documents, and only the latest
    version. `changes` lays new values over the text (addressee, case, payload, deadline, evidence, record).
    """
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"changes": [_("Say what the correction changes.")]})
    unknown = sorted(set(changes) - set(doc_context.CORRECTABLE))
    if unknown:
        raise ValidationError({"changes": [
            _("A correction may change only: %(fields)s.") % {"fields": ", ".join(doc_context.CORRECTABLE)}
        ]})
    for key, value in changes.items():
        expected = list if key == "evidence" else dict
        if not isinstance(value, expected):
            raise ValidationError({"changes": [
                _("%(field)s must be given as it appears in the document.") % {"field": key}
            ]})
    case = Case.objects.select_for_update().get(pk=document.case_id)
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
    text = doc_context.merge_changes(current.context, changes)
    text.update({
        "version": current.version + 1,
        "issued_at": timezone.localtime(now).date().isoformat(),
        "verification_code": code,
        "verify_url": verify_url(code),
    })
    try:  # the corrected text must still make a document (the PDF itself follows after the commit)
        render_document_html(current.kind, doc_context.render_context(text), language=current.language)
    except Exception as exc:
        raise ValidationError({"changes": [_("The corrected text does not make a valid document.")]}) from exc
    event = record_event(
        case=case, actor=actor, transition="correct_document", from_state=case.state, to_state=case.state,
        payload={"document": current.pk, "kind": current.kind, "number": current.number,
                 "version": current.version + 1, "reason": reason.strip()},
    )
    corrected = Document(
        case=case,
        kind=current.kind,
        number=current.number,
        sequence=current.sequence,
        year=current.year,
        version=current.version + 1,
        supersedes=current,
        issued_by=current.issued_by,
        addressee_agency=current.addressee_agency,
        addressed_to_creditor=current.addressed_to_creditor,
        event=event,
        issued_at=now,
        issued_by_user=actor,
        language=current.language,
        context=text,
        verification_code=code,
    )
    corrected.full_clean()
    corrected.save()
    queue_render_after_commit(corrected)
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
    pdf = render_document_pdf(document.kind, doc_context.render_context(document.context),
                              language=document.language)
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
