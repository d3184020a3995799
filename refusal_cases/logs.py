"""Structured logs: one JSON line per request and per Celery job, each with the request id, user id and case id.

The request id comes from a well-formed ``X-Request-ID`` header (a proxy's) or is made here; it is answered in the
same header and travels in the headers of every task the request queues, so a job's line names the request that
queued it. Nothing a person typed is logged: no bodies, no query strings, only the route, ids and figures; and a
last filter blanks anything shaped like an identity number, a unified social credit code or a phone number.
"""

import json
import logging
import re
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

log = logging.getLogger("refusal_cases.requests")
job_log = logging.getLogger("refusal_cases.jobs")

CONTEXT_FIELDS = ("request_id", "user_id", "case_id")
_context: dict[str, ContextVar] = {name: ContextVar(name, default=None) for name in CONTEXT_FIELDS}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Resident identity numbers (18 characters), unified social credit codes (18), mobile and landline numbers.
_PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}|1[3-9]\d{9}|0\d{2,3}-?\d{7,8})"
    r"(?![0-9A-Za-z])")
# Attributes every LogRecord has: the rest are the caller's `extra` fields.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def redact(text: str) -> str:
    return _PERSONAL.sub("[redacted]", text)


def current() -> dict:
    return {name: var.get() for name, var in _context.items() if var.get() is not None}


@contextmanager
def bound(**fields):
    """Binds request_id / user_id / case_id for the log lines written inside (and the tasks queued inside)."""
    tokens = [(_context[name], _context[name].set(value)) for name, value in fields.items() if name in _context]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the bound ids and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **current(),
        }
        entry.update({key: value for key, value in vars(record).items()
                      if key not in _RECORD_FIELDS and not key.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    """For a developer's terminal (LOG_FORMAT=text): the usual line, the ids appended, the same redaction."""

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{key}={value}" for key, value in current().items())
        return redact(f"{super().format(record)} {ids}".rstrip())


def case_id_of(match) -> int | None:
    """The case a route is about: `cases/<int:pk>/...` in the pages and the API."""
    if match is None or not match.route:
        return None
    route = match.route.removeprefix("api/")
    return match.kwargs.get("pk") if route.startswith("cases/<int:pk>") else None


class RequestLogMiddleware:
    """Binds the ids for the request's lines and its tasks, answers X-Request-ID, writes the request's line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        with bound(request_id=request.request_id, user_id=None, case_id=None):
            response = self.get_response(request)
            user = getattr(request, "user", None)  # DRF puts the user a token authenticated here too
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None and match.route else None
            with bound(user_id=user.pk if user is not None and user.is_authenticated else None,
                       case_id=case_id_of(match)):
                log.info("%s %s %s", request.method, route or "unmatched", response.status_code,
                         extra={"event": "request", "method": request.method, "path": request.path, "route": route,
                                "status": response.status_code,
                                "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        response["X-Request-ID"] = request.request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Binds the user (of a session) and the case as soon as the view is known, for what the view logs or
        queues (reset with the request id when the request ends)."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            bind_user(user.pk)
        case_id = case_id_of(request.resolver_match)
        if case_id is not None:
            _context["case_id"].set(case_id)


def bind_user(user_id: int) -> None:
    """For the rest of the request (an API token is read only inside the view)."""
    _context["user_id"].set(user_id)


# Celery: the ids ride in each task message's headers; the worker binds them while the job runs and writes the job's
# line when it ends. In-process (eager) tasks run inside the request that queued them and keep its ids.
_running: dict[str, tuple[float, list]] = {}


def add_ids_to_task_headers(headers: dict) -> None:
    headers.update(current())


def job_started(task_id: str, task) -> None:
    fields = {name: getattr(task.request, name, None) for name in CONTEXT_FIELDS}
    tokens = [(_context[name], _context[name].set(value)) for name, value in fields.items() if value is not None]
    _running[task_id] = (time.perf_counter(), tokens)


def job_finished(task_id: str, task, state: str | None) -> float:
    """Writes the job's line; returns how long it ran (seconds)."""
    started, tokens = _running.pop(task_id, (time.perf_counter(), []))
    seconds = time.perf_counter() - started
    job_log.info("%s %s", task.name, state, extra={"event": "job", "task": task.name, "task_id": task_id,
                                                   "state": state, "duration_ms": round(seconds * 1000, 1)})
    for var, token in reversed(tokens):
        var.reset(token)
    return seconds
