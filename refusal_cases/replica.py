"""Reads of the heavy, read-only work from a PostgreSQL streaming replica (`DATABASE_REPLICA_URL`).

Only what asks for it goes there: the statistics, the ledger exports, the search and the benchmarks' reads run
inside `reading_from_replica()` (or a view decorated with `replica_reads`); everything else, and every write, stays
on the primary (`default`). The replica is used for a request only when

- it answers within `DATABASE_REPLICA_CONNECT_TIMEOUT` seconds (otherwise the primary answers, a log line and the
  metric say so, and the replica is not asked again for `RETRY_AFTER_SECONDS`);
- it is a standby still replaying, at most `DATABASE_REPLICA_MAX_LAG_SECONDS` behind the primary;
- it has replayed past the user's own last change: after every successful unsafe request of a signed-in user (a
  form, an API call, a transition) `WriteMarkMiddleware` stores the primary's write-ahead log position for that
  user (`agencies.WritePosition`, on the primary, so every web process and token client sees it), and until the
  replica has replayed that far the user reads from the primary. Nobody is shown a page that contradicts what they
  just did; others may see figures a moment old.
"""

import functools
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections
from prometheus_client import Counter

REPLICA = "replica"
PRIMARY = "default"
RETRY_AFTER_SECONDS = 30.0
# Models always read from the primary, even inside `reading_from_replica()`: who is signed in, their tokens, the
# login lockouts and the users' write positions.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "admin"})
PRIMARY_ONLY_MODELS = frozenset({"agencies.writeposition", "agencies.apitoken"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

logger = logging.getLogger("refusal_cases.replica")

REPLICA_READS = Counter("refusal_cases_replica_reads", "Reads sent to the replica, or to the primary and why.",
                        ["database", "reason"])

_reading_from: ContextVar[str | None] = ContextVar("reading_from", default=None)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the replica only inside `reading_from_replica()` when it was found fit; writes and migrations to
    the primary, always."""

    def db_for_read(self, model, **hints):
        alias = _reading_from.get()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label_lower in \
                PRIMARY_ONLY_MODELS:
            return PRIMARY
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, replayed

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _user_position(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from agencies.models import WritePosition  # noqa: PLC0415 - settings import this module's router

    return WritePosition.objects.using(PRIMARY).filter(user_id=user.pk).values_list("lsn", flat=True).first()


REPLICA_STATE_SQL = """
SELECT pg_is_in_recovery(),
       %(lsn)s::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= %(lsn)s::pg_lsn,
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                 AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 'Infinity'::float8) END
"""


def replica_state(lsn: str | None = None) -> dict:
    """The replica's answer: whether it is a standby, whether it has replayed past `lsn`, and its lag in seconds (0
    when it has replayed all it received while streaming; else the age of the last replayed transaction). Raises
    DatabaseError when it cannot be reached."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(REPLICA_STATE_SQL, {"lsn": lsn})
        standby, caught_up, lag = cursor.fetchone()
    return {"standby": bool(standby), "caught_up": bool(caught_up), "lag_seconds": float(lag)}


def _primary(reason: str) -> None:
    REPLICA_READS.labels("primary", reason).inc()
    return None


def choose_database(user=None) -> str | None:
    """`replica` when the replica may answer this user's reads now, else None (the primary)."""
    global _down_until
    if not replica_configured():
        return None
    if time.monotonic() < _down_until:
        return _primary("down")
    lsn = _user_position(user)
    try:
        state = replica_state(lsn)
    except DatabaseError as error:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        connections[REPLICA].close()
        logger.warning("replica unreachable, reading from the primary for %ss: %s", int(RETRY_AFTER_SECONDS),
                       type(error).__name__, extra={"event": "replica_down"})
        return _primary("down")
    if not state["standby"]:
        logger.warning("the replica is not a standby (promoted?): reading from the primary",
                       extra={"event": "replica_not_standby"})
        return _primary("not_standby")
    if state["lag_seconds"] > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return _primary("lagging")
    if not state["caught_up"]:
        return _primary("own_write")
    REPLICA_READS.labels("replica", "ok").inc()
    return REPLICA


@contextmanager
def reading_from_replica(user=None):
    """Within the block, reads of models go to the replica if it is fit for `user` (see the module), else to the
    primary; writes always go to the primary. Yields the alias chosen."""
    alias = choose_database(user)
    token = _reading_from.set(alias)
    try:
        yield alias or PRIMARY
    finally:
        _reading_from.reset(token)


def replica_reads(view):
    """Decorates a view function (request first) or a view's method (request second) whose reads may be served by
    the replica for the requesting user."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request = next((a for a in args[:2] if hasattr(a, "user") and hasattr(a, "method")), None)
        with reading_from_replica(getattr(request, "user", None)):
            return view(*args, **kwargs)

    return wrapped


def record_write(user) -> None:
    """Remember where the primary's log stands now, after `user`'s change committed."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(
            "INSERT INTO agencies_writeposition (user_id, lsn, at) VALUES (%s, pg_current_wal_lsn()::text, now()) "
            "ON CONFLICT (user_id) DO UPDATE SET lsn = EXCLUDED.lsn, at = EXCLUDED.at", [user.pk])


class WriteMarkMiddleware:
    """After a signed-in user's successful unsafe request, store the primary's log position for that user (only
    with a replica configured). After the authentication middleware; DRF sets the token user on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400 and replica_configured():
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                try:
                    record_write(user)
                except DatabaseError:
                    logger.exception("could not record the user's write position")
        return response


def wait_until_replayed(timeout: float = 120.0) -> bool:
    """For scripts that read right after writing in bulk (the benchmarks): wait until the replica has replayed all
    the primary has written so far. False without a replica, or when it is unreachable or did not within `timeout`."""
    if not replica_configured():
        return False
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        position = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if replica_state(position)["caught_up"]:
                return True
        except DatabaseError:
            return False
        time.sleep(0.1)
    return False
