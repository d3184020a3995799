"""One Celery beat for the whole deployment, however many are started.

`SingleBeatScheduler` (settings.CELERY_BEAT_SCHEDULER) queues the schedule's jobs only while it holds a PostgreSQL
advisory lock on a database session of its own. A second beat, on this machine or another, finds the lock taken and
queues nothing; it asks again every `STANDBY_RETRY_SECONDS` and takes over once the first beat's session ends (the
process stopped or died, or lost its connection). Each scheduled job also takes a lock of its own while it runs
(refusal_cases.locks), so even a job queued twice never runs twice at once. On SQLite every beat queues.
"""

import contextlib
import logging

from celery.beat import PersistentScheduler
from django.db import DatabaseError, connections

from refusal_cases.locks import lock_key

logger = logging.getLogger("refusal_cases.beat")

BEAT_LOCK = "celery-beat"
STANDBY_RETRY_SECONDS = 15.0


class SingleBeatMixin:
    _lock_session = None

    def holds_beat_lock(self) -> bool:
        """Whether this beat holds the lock (taking it when it is free)."""
        if self._lock_session is not None:
            if self._lock_session.is_usable():
                return True
            logger.warning("beat lost its database session and with it the beat lock", extra={"event": "beat_lock"})
            self._release()
        if connections["default"].vendor != "postgresql":
            return True
        session = connections.create_connection("default")
        try:
            with session.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(BEAT_LOCK)])
                held = cursor.fetchone()[0]
        except DatabaseError as error:
            session.close()
            logger.warning("beat cannot reach the database to take the beat lock: %s", type(error).__name__,
                           extra={"event": "beat_lock"})
            return False
        if not held:
            session.close()
            return False
        logger.info("beat holds the beat lock: it queues the schedule", extra={"event": "beat_lock"})
        self._lock_session = session
        return True

    def _release(self):
        if self._lock_session is not None:
            with contextlib.suppress(DatabaseError):
                self._lock_session.close()
            self._lock_session = None

    def tick(self, *args, **kwargs):
        if not self.holds_beat_lock():
            return min(STANDBY_RETRY_SECONDS, self.max_interval)
        return super().tick(*args, **kwargs)

    def close(self):
        self._release()
        super().close()


class SingleBeatScheduler(SingleBeatMixin, PersistentScheduler):
    """Celery's file-backed scheduler, queueing only while it holds the deployment's beat lock."""
