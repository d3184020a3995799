"""Celery tasks of the cases: each loads what it needs and calls a service."""

from celery import shared_task

from workflow.cases.audit import seal_chains


@shared_task(name="workflow.cases.tasks.seal_audit_chains_task")
def seal_audit_chains_task() -> int:
    """Celery beat (settings.CELERY_BEAT_SCHEDULE["seal-audit-chains"]): seal the chain heads that moved."""
    return seal_chains()
