"""Every Celery job, in the web process (in-process tasks) and in a worker: the ids of the request that queued it
ride in the message's headers, the job is timed for the task duration metric and logged as one line.

No Django import here: the Celery application loads this module before Django is set up.
"""

import os

from celery import signals
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from refusal_cases import logs

TASK_SECONDS = Histogram("refusal_cases_task_duration_seconds",
                         "Time a Celery job ran (rendering documents, sweeping deadlines, e-mails), by task and state.",
                         ["task", "state"], buckets=(.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300))


def process_registry():
    """What this process counted; with PROMETHEUS_MULTIPROC_DIR, what all processes of the container counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


@signals.before_task_publish.connect
def _pass_request_ids(headers=None, **kwargs):
    if headers is not None:
        logs.add_ids_to_task_headers(headers)


@signals.task_prerun.connect
def _job_started(task_id=None, task=None, **kwargs):
    logs.job_started(task_id, task)


@signals.task_postrun.connect
def _job_finished(task_id=None, task=None, state=None, **kwargs):
    seconds = logs.job_finished(task_id, task, state)
    TASK_SECONDS.labels(task.name, state or "UNKNOWN").observe(seconds)


@signals.worker_init.connect
def _serve_worker_metrics(**kwargs):
    """A worker's own task figures on WORKER_METRICS_PORT (not published outside the deployment's network)."""
    port = os.environ.get("WORKER_METRICS_PORT")
    if port:
        start_http_server(int(port), registry=process_registry())
