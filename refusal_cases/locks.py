"""One run at a time across every machine: a PostgreSQL advisory lock per job.

The jobs Celery beat queues (the deadline sweep, the documents' catch-up, the audit seals) each take their lock
for as long as they run; a second run of the same job meanwhile, queued by a second beat or by hand, finds it taken
and does nothing. The lock belongs to the database session, so a worker that dies releases it with its connection.
On SQLite (one machine, the embedded default) there is nothing to exclude and every run goes ahead.
"""

import functools
import hashlib
import logging
from contextlib import contextmanager

from django.db import DatabaseError, connections

logger = logging.getLogger("refusal_cases.locks")


def lock_key(name: str) -> int:
    """The advisory lock's 64-bit key for a job's name."""
    return int.from_bytes(hashlib.sha256(f"refusal_cases:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(name: str, using: str = "default"):
    """Yields True when this run holds the job's lock (released on leaving), False when another run holds it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = cursor.fetchone()[0]
    if not held:
        logger.info("%s is already running elsewhere: this run does nothing", name,
                    extra={"event": "job_skipped", "job": name})
        yield False
        return
    try:
        yield True
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except DatabaseError:  # the session is gone, and its lock with it
            connection.close()


def single_run(name: str):
    """Decorates a job: it runs only while it holds its lock, and returns None without running otherwise."""

    def decorate(job):
        @functools.wraps(job)
        def run(*args, **kwargs):
            with exclusive(name) as held:
                return job(*args, **kwargs) if held else None

        return run

    return decorate
