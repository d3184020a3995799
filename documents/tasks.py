"""Celery tasks of the documents app: each loads rows by id and calls a service; both are idempotent."""

import logging

from celery import shared_task
from celery.signals import worker_process_init

from documents.models import Document
from documents.render import warm_up
from documents.services import render_and_store, render_pending_documents, rendering_is_deferred
from outbox.services import enqueue
from refusal_cases.locks import single_run

log = logging.getLogger(__name__)


@worker_process_init.connect
def _warm_up_renderer(**_kwargs) -> None:
    """A worker process prepares the renderer as it starts, before it takes its first document."""
    try:
        warm_up()
    except Exception:  # a worker that cannot prepare still renders, paying the cost on its first document
        log.exception("preparing the document renderer failed")


@shared_task(name="documents.tasks.render_document_task")
def render_document_task(document_id: int) -> str | None:
    """Render and store one issued document (queued after the issuing transaction commits)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:  # the issuing transaction was rolled back after all
        return None
    return render_and_store(document=document).sha256


@shared_task(name="documents.tasks.render_pending_documents_task")
@single_run("render-pending-documents")
def render_pending_documents_task() -> int:
    """Celery beat (settings.CELERY_BEAT_SCHEDULE["render-pending-documents"]): render what was missed (None, doing
    nothing, while another catch-up runs)."""
    return render_pending_documents()


def render_after_commit(document: Document) -> None:
    """Write the rendering of a document into the outbox, in the issuing transaction, to be queued once that has
    committed (none while deferred).

    A broker or rendering failure never turns a committed transition into an error: the outbox's catch-up (and
    render_pending_documents_task) renders what was missed.
    """
    if rendering_is_deferred():
        return
    enqueue(render_document_task.name, document.pk)
