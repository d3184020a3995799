"""Celery tasks of the documents app: each loads rows by id and calls a service; both are idempotent."""

from celery import shared_task

from documents.models import Document
from documents.services import render_and_store, render_pending_documents, rendering_is_deferred
from outbox.services import enqueue


@shared_task(name="documents.tasks.render_document_task")
def render_document_task(document_id: int) -> str | None:
    """Render and store one issued document (queued after the issuing transaction commits)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:  # the issuing transaction was rolled back after all
        return None
    return render_and_store(document=document).sha256


@shared_task(name="documents.tasks.render_pending_documents_task")
def render_pending_documents_task() -> int:
    """Celery beat (settings.CELERY_BEAT_SCHEDULE["render-pending-documents"]): render what was missed."""
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
