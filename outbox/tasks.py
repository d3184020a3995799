"""The outbox's Celery tasks: one job (queued after its commit) and the catch-up (Celery beat)."""

from celery import shared_task

from outbox import services


@shared_task(name="outbox.tasks.run_job", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> None:
    services.run(job_id)


@shared_task(name="outbox.tasks.run_pending_jobs_task", ignore_result=True)
def run_pending_jobs_task() -> int:
    """Celery beat (settings.CELERY_BEAT_SCHEDULE["outbox-catch-up"]): the jobs never queued or never finished."""
    return services.run_pending_jobs()
