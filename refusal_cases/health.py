"""Health of a running deployment for operators and orchestrators (api.md `GET /health/`).

Each check answers ``{"ok": bool, ...}``; the page answers 503 when the database, the broker, the worker or the
storage is down. The holiday calendar lacking next year (or this one) is a warning (``"warning": true``) and keeps 200:
an administrator imports the year when the State Council publishes it, and an orchestrator must not take a
working server out of service for it. `/healthz/` stays the cheap liveness probe (the process answers).
"""

import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager

import redis
from celery import Celery
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from outbox.services import backlog
from refusal_cases.celery import app as celery_app
from refusal_cases.replica import REPLICA, replica_configured, replica_state
from workflow.deadlines.holidays import database_schedule

BROKER_TIMEOUT_SECONDS = 2.0
WORKER_PING_SECONDS = 1.0
HEARTBEAT_KEY = "refusal_cases:heartbeat"
HEARTBEAT_STALE_SECONDS = 5 * 60


def check_database() -> dict:
    """The primary (every database but the replica, which `check_replica` reports: the primary serves without it)."""
    for alias in connections:
        if alias == REPLICA:
            continue
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as error:
            connection.close_if_unusable_or_obsolete()
            return {"ok": False, "error": f"{alias}: {type(error).__name__}"}
    return {"ok": True, "vendor": connections["default"].vendor}


def check_replica() -> dict:
    """The streaming replica (DATABASE_REPLICA_URL): down, promoted or lagging beyond
    DATABASE_REPLICA_MAX_LAG_SECONDS is a warning, never an outage, since the primary then serves its reads."""
    try:
        state = replica_state()
    except Exception as error:
        connections[REPLICA].close_if_unusable_or_obsolete()
        return {"ok": True, "warning": True, "error": type(error).__name__}
    lag = state["lag_seconds"]
    return {"ok": True, "standby": state["standby"], "lag_seconds": round(lag, 1) if lag != float("inf") else None,
            "warning": not state["standby"] or lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS}


def _in_process() -> bool:
    return settings.CELERY_TASK_ALWAYS_EAGER


@contextmanager
def broker_client():
    """A short-lived client of the Redis broker, with short timeouts."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
                                  socket_timeout=BROKER_TIMEOUT_SECONDS)
    try:
        yield client
    finally:
        client.close()


def check_broker() -> dict:
    if _in_process():
        return {"ok": True, "mode": "in-process"}
    try:
        with broker_client() as client:
            client.ping()
            depth = client.llen(celery_app.conf.task_default_queue)
            beat = client.get(HEARTBEAT_KEY)
    except redis.RedisError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "queued": depth, "heartbeat": float(beat) if beat else None}


def check_worker(broker: dict) -> dict:
    """A live worker answers Celery's ping within a second (the broker must be up to ask)."""
    if _in_process():
        return {"ok": True, "mode": "in-process"}
    if not broker["ok"]:
        return {"ok": False, "error": "broker down"}
    # A client of its own, connected for this question only: the application's pooled connections retry a lost
    # broker for as long as it takes, and a health check must answer at once.
    client = Celery(broker=settings.CELERY_BROKER_URL, set_as_current=False)
    client.conf.broker_connection_retry = False
    client.conf.broker_connection_max_retries = 0
    try:
        replies = client.control.ping(timeout=WORKER_PING_SECONDS, limit=1)
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    finally:
        client.close()
    if not replies:
        return {"ok": False, "error": "no worker answered"}
    answer = {"ok": True, "workers": sorted(name for reply in replies for name in reply)}
    if broker.get("heartbeat") is not None:
        # Beat queues the heartbeat every minute and a worker records it: a stale one means beat is down or the
        # queue is stuck behind long jobs, which deadlines and renders wait on (a warning: requests are served).
        age = time.time() - broker["heartbeat"]
        answer.update(heartbeat_age_seconds=round(age), warning=age > HEARTBEAT_STALE_SECONDS)
    return answer


def check_storage() -> dict:
    """The evidence store takes a file and gives it back."""
    name = f"health/{uuid.uuid4().hex}.probe"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        try:
            with default_storage.open(saved) as stored:
                readable = stored.read() == b"ok"
        finally:
            default_storage.delete(saved)
    except OSError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": readable}


def check_calendar() -> dict:
    """The holiday schedule covers this year and next; a missing year is a warning, never a failure."""
    this_year = timezone.localdate().year
    try:
        known = database_schedule().known_years
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    missing = [year for year in (this_year, this_year + 1) if year not in known]
    return {"ok": True, "warning": bool(missing), "missing_years": missing}


def check_outbox() -> dict:
    """The background work written in the changes' transactions and not yet done (outbox.services). A job given up
    on, or one due for longer than the catch-up takes to retry it twice, is a warning: the changes are committed,
    but their e-mails, letters or search entries wait on a worker or the broker."""
    try:
        figures = backlog()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    stale_after = 2 * (settings.OUTBOX_QUEUE_GRACE_SECONDS + 60 * settings.OUTBOX_RETRY_AFTER_MINUTES)
    oldest = figures["oldest_due_seconds"]
    return {"ok": True, **figures,
            "warning": bool(figures["given_up"]) or (oldest is not None and oldest > stale_after)}


def _timed(check: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    result = check()
    return {**result, "ms": round((time.perf_counter() - started) * 1000, 1)}


def health_report() -> dict:
    checks = {"database": _timed(check_database), "broker": _timed(check_broker)}
    checks["worker"] = _timed(lambda: check_worker(checks["broker"]))
    checks["storage"] = _timed(check_storage)
    checks["calendar"] = _timed(check_calendar)
    checks["outbox"] = _timed(check_outbox) if checks["database"]["ok"] else {"ok": False, "error": "database down"}
    if replica_configured():
        checks["replica"] = _timed(check_replica)
    healthy = all(check["ok"] for check in checks.values())
    warned = any(check.get("warning") for check in checks.values())
    return {"status": "down" if not healthy else "warning" if warned else "ok", "checks": checks}


@never_cache
@require_GET
def health(request):
    """Readiness: JSON of every check, 200 when all are up, 503 when one is down. No login."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)


def healthz(request):
    """Liveness and database check for the container orchestrator."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
