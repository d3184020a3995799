"""Prometheus metrics for operators (`GET /metrics/`, protected).

Request figures (count, duration by route) and task durations are counted where they happen; the domain's own
figures (open, overdue and escalated deadlines per owing agency and kind, transitions per name, the broker's queue
depth) are read from the database and the broker when Prometheus scrapes, so that every web process answers the
same. With several processes (gunicorn workers, a prefork Celery worker) set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory of that container: the counters of all its processes are then added up. A Celery worker serves its
task figures on ``WORKER_METRICS_PORT`` when set (inside the deployment's network only).
"""

import hmac
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from procedure.notices import NotificationKind
from procedure.states import DeadlineStatus
from refusal_cases.celery import app as celery_app
from refusal_cases.health import broker_client
from refusal_cases.jobs import process_registry
from refusal_cases.replica import REPLICA, replica_configured, replica_state
from workflow.models import CaseEvent, Deadline, Notification

PREFIX = "refusal_cases"

REQUESTS = Counter(f"{PREFIX}_http_requests", "HTTP requests answered, by method, route and status.",
                   ["method", "route", "status"])
REQUEST_SECONDS = Histogram(f"{PREFIX}_http_request_duration_seconds", "Time to answer an HTTP request, by route.",
                            ["method", "route"])


def route_of(request) -> str:
    """The URL pattern that answered (``api/cases/<int:pk>/``), never the path itself: no ids, no query."""
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        REQUEST_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


def _deadline_families():
    labels = ["agency_id", "agency", "kind"]
    families = {
        "open": GaugeMetricFamily(f"{PREFIX}_deadlines_open", "Open deadlines, by owing agency and kind.",
                                  labels=labels),
        "overdue": GaugeMetricFamily(f"{PREFIX}_deadlines_overdue", "Overdue deadlines not yet met, by owing agency "
                                     "and kind.", labels=labels),
        "escalated": GaugeMetricFamily(f"{PREFIX}_deadlines_escalated", "Overdue deadlines escalated to the owing "
                                       "agency's heads or the supervising procuratorate, by owing agency and kind.",
                                       labels=labels),
    }
    escalation = Notification.objects.filter(deadline=OuterRef("pk"), kind=NotificationKind.DEADLINE_ESCALATED)
    current = (Deadline.objects.filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE], met_at__isnull=True)
               .annotate(escalated=Exists(escalation)).order_by()
               .values("owed_by_id", "owed_by__name", "kind", "status", "escalated").annotate(n=Count("id")))
    totals: dict[tuple[str, tuple], int] = {}
    for row in current:
        key = (str(row["owed_by_id"]), row["owed_by__name"], row["kind"])
        names = ["open"] if row["status"] == DeadlineStatus.OPEN else ["overdue"] + (["escalated"] if row["escalated"]
                                                                                      else [])
        for name in names:
            totals[(name, key)] = totals.get((name, key), 0) + row["n"]
    for (name, key), value in sorted(totals.items()):
        families[name].add_metric(list(key), value)
    return list(families.values())


def _transition_family():
    family = CounterMetricFamily(f"{PREFIX}_transitions", "Transitions fired since the start, by name.",
                                 labels=["transition"])
    for row in CaseEvent.objects.order_by().values("transition").annotate(n=Count("id")).order_by("transition"):
        family.add_metric([row["transition"]], row["n"])
    return family


def queue_depth() -> dict[str, int] | None:
    """Jobs waiting in the broker's default queue; None when tasks run in-process."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    queue = celery_app.conf.task_default_queue
    with broker_client() as client:
        return {queue: client.llen(queue)}


def _queue_family():
    family = GaugeMetricFamily(f"{PREFIX}_queue_depth", "Jobs waiting in the broker, by queue.", labels=["queue"])
    up = GaugeMetricFamily(f"{PREFIX}_broker_up", "1 when the broker answered this scrape.")
    try:
        depths = queue_depth()
    except redis.RedisError:
        up.add_metric([], 0)
        return [family, up]
    for queue, depth in (depths or {}).items():
        family.add_metric([queue], depth)
    up.add_metric([], 1)
    return [family, up]


def _replica_families():
    """With DATABASE_REPLICA_URL: whether the replica answered this scrape and how far behind it replays."""
    if not replica_configured():
        return []
    up = GaugeMetricFamily(f"{PREFIX}_replica_up", "1 when the streaming replica answered this scrape as a standby.")
    lag = GaugeMetricFamily(f"{PREFIX}_replica_lag_seconds", "How far the replica's replay is behind (0: it has "
                            "replayed all it received).")
    try:
        state = replica_state()
    except DatabaseError:
        connections[REPLICA].close_if_unusable_or_obsolete()
        up.add_metric([], 0)
        return [up]
    up.add_metric([], 1 if state["standby"] else 0)
    if state["lag_seconds"] != float("inf"):
        lag.add_metric([], state["lag_seconds"])
    return [up, lag]


class DomainCollector:
    """Figures read at scrape time (never registered globally: only the metrics view asks for them)."""

    def collect(self):
        yield from _deadline_families()
        yield _transition_family()
        yield from _queue_family()
        yield from _replica_families()


class Exposition:
    def __init__(self, *sources):
        self.sources = sources

    def collect(self):
        for source in self.sources:
            yield from source.collect()


def authorized(request) -> bool:
    """A staff member's session, or `Authorization: Bearer <METRICS_TOKEN>` when a token is configured."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics(request):
    if not authorized(request):
        response = HttpResponse("metrics need a staff login or the metrics token\n", status=401,
                                content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = generate_latest(Exposition(process_registry(), DomainCollector()))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
