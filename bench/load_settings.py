"""Settings of the server and worker that `bench/load.py` starts: the project's own settings, with a Celery
queue of the run's own, so that its tasks reach only its worker."""

import os

from refusal_cases.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ.get("LOAD_BENCH_QUEUE", "load-bench")
