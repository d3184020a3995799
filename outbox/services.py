"""The outbox: the background work a change needs (its e-mails, its letters' rendering, its content job) is written
as Job rows in the change's own transaction, handed to the broker once that commits, and marked done by the worker
that ran it. What was never handed over (the broker was down) or never finished (a worker died) is run by the
catch-up, ``run_pending_jobs``: Celery beat every OUTBOX_CATCH_UP_EVERY_MINUTES, or ``manage.py run_pending_jobs``.

So a job may run more than once (a redelivery after a worker's loss, then the catch-up); every task queued here
is idempotent: a rendered document stays rendered, a notification's e-mail is claimed under a row lock and marked
sent in the transaction that sends it, a content job does only what is not done yet.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from outbox.models import Job

log = logging.getLogger(__name__)

# After a publish failed, this process leaves its jobs to the catch-up for this many seconds instead of trying the
# broker again for each one: a transition with the broker down costs at most one short timeout.
BROKER_PAUSE_SECONDS = 10.0
_broker_paused_until = 0.0


def enqueue(name: str, *args, countdown: int = 0, **kwargs) -> Job:
    """Write a job for the Celery task ``name`` in the caller's transaction and queue it once that commits
    (after ``countdown`` seconds). Arguments must be JSON."""
    now = timezone.now()
    job = Job.objects.create(name=name, args=list(args), kwargs=kwargs, created_at=now,
                             run_after=now + timedelta(seconds=countdown))
    job_id = job.pk
    transaction.on_commit(lambda: publish(job_id, countdown=countdown), robust=True)
    return job


def publish(job_id: int, *, countdown: int = 0) -> bool:
    """Hand a committed job to the broker (in-process: run it now). Never raises: when the broker cannot be
    reached within the short timeouts of the settings, the job stays unqueued and the catch-up runs it."""
    global _broker_paused_until
    from outbox.tasks import run_job

    if time.monotonic() < _broker_paused_until:
        log.info("job %s not queued (the broker failed a moment ago); the catch-up runs it", job_id)
        return False
    try:
        run_job.apply_async((job_id,), countdown=countdown or None)
    except Exception as exc:
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("job %s not queued (%s: %s); the catch-up runs it", job_id, type(exc).__name__, exc)
        return False
    Job.objects.filter(pk=job_id, queued_at__isnull=True).update(queued_at=timezone.now())
    return True


def run(job_id: int) -> bool:
    """Run a job unless it is done (or its transaction was rolled back); True when it ran to its end. A failure is
    recorded on the row and logged, and the catch-up tries again."""
    started = Job.objects.filter(pk=job_id, done_at__isnull=True).update(
        started_at=timezone.now(), attempts=F("attempts") + 1)
    if not started:
        return False
    job = Job.objects.get(pk=job_id)
    try:
        current_app.tasks[job.name](*job.args, **job.kwargs)
    except Exception as exc:
        log.exception("job %s (%s) failed, attempt %s", job.pk, job.name, job.attempts)
        Job.objects.filter(pk=job_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    Job.objects.filter(pk=job_id).update(done_at=timezone.now(), last_error="")
    return True


def pending_jobs(*, now=None, everything: bool = False):
    """The jobs the catch-up takes: not done, due, not given up on, and either not queued OUTBOX_QUEUE_GRACE_SECONDS
    after their commit or queued OUTBOX_RETRY_AFTER_MINUTES ago and not finished (``everything``: whatever their
    age)."""
    now = now or timezone.now()
    due = Job.objects.filter(done_at__isnull=True, run_after__lte=now, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
    if everything:
        return due
    grace = timedelta(seconds=settings.OUTBOX_QUEUE_GRACE_SECONDS)
    retry_after = timedelta(minutes=settings.OUTBOX_RETRY_AFTER_MINUTES)
    return due.filter(Q(queued_at__isnull=True, created_at__lte=now - grace)
                      | Q(queued_at__lte=now - retry_after))


def run_pending_jobs(*, everything: bool = False, limit: int = 1000) -> int:
    """Run here, one after the other, the jobs left behind; returns how many ran to their end. Each is taken first
    (its ``queued_at`` moved on with a conditional update), so two catch-ups at once never take the same job."""
    now = timezone.now()
    ran = 0
    for job_id, queued_at in (pending_jobs(now=now, everything=everything).order_by("id")
                              .values_list("pk", "queued_at")[:limit]):
        if not Job.objects.filter(pk=job_id, queued_at=queued_at).update(queued_at=now):
            continue
        ran += run(job_id)
    keep = timedelta(days=settings.OUTBOX_KEEP_DAYS)
    Job.objects.filter(done_at__lt=now - keep).delete()
    return ran


def backlog(*, now=None) -> dict:
    """What is left undone, for the operator (GET /health/): how many jobs, how many given up on after
    OUTBOX_MAX_ATTEMPTS, and how long the oldest has been due. Read off the index of the jobs not done."""
    now = now or timezone.now()
    figures = Job.objects.filter(done_at__isnull=True).aggregate(
        pending=Count("pk"), given_up=Count("pk", filter=Q(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS)),
        oldest=Min("run_after"))
    oldest = figures.pop("oldest")
    figures["oldest_due_seconds"] = max(0, round((now - oldest).total_seconds())) if oldest else None
    return figures
