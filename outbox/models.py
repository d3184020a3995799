"""A background job that must not be lost: written in the transaction of the change it follows, queued after
that commits, marked done by the worker that ran it (outbox.services)."""

from django.db import models
from django.utils import timezone


class Job(models.Model):
    """One run of a Celery task, by the task's name and its JSON arguments.

    ``queued_at`` is when it was last handed to the broker (or taken by the catch-up), ``started_at`` when a
    worker last began it, ``done_at`` when one finished it; ``attempts`` counts the beginnings.
    """

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    run_after = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["run_after"], condition=models.Q(done_at__isnull=True),
                                name="outbox_job_pending")]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"
