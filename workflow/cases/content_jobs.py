"""The job that follows the creation of a case and each change of its materials or letters: read the new
materials' text (OCR), index the case for search, and (where a worker runs it, settings.DOSSIER_PREBUILD) build
its readers' dossiers."""

from celery import shared_task
from django.conf import settings

from outbox.services import enqueue
from workflow.cases.dossier import build_case_dossiers
from workflow.cases.search import index_case, read_pending_texts


@shared_task(name="workflow.tasks.case_content_task")
def case_content_task(case_id: int) -> dict:
    read = read_pending_texts(case_id=case_id)
    indexed = index_case(case_id=case_id)
    built = build_case_dossiers(case_id=case_id) if settings.DOSSIER_PREBUILD else 0
    return {"texts_read": read, "entries_indexed": indexed, "dossiers_built": built}


def after_content_change(case_id: int) -> None:
    """Write the job into the outbox in the change's transaction, queued once it commits (settings.CASE_CONTENT_JOBS;
    a burst of changes waits CASE_CONTENT_JOB_DELAY seconds, and each run does only what is not done yet)."""
    if not settings.CASE_CONTENT_JOBS:
        return
    enqueue(case_content_task.name, case_id, countdown=settings.CASE_CONTENT_JOB_DELAY)
