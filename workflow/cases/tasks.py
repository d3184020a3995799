"""Celery tasks of the cases: each loads what it needs and calls a service."""

from celery import shared_task

from refusal_cases.locks import single_run
from workflow.cases.audit import seal_chains


@shared_task(name="workflow.cases.tasks.seal_audit_chains_task")
@single_run("seal-audit-chains")
def seal_audit_chains_task() -> int:
    """Celery beat (settings.CELERY_BEAT_SCHEDULE["seal-audit-chains"]): seal the chain heads that moved (None, doing
    nothing, while another run seals)."""
    return seal_chains()
