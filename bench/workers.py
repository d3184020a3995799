"""Benchmark: letters rendered through real Celery workers (not a test): renders per second with one and with two
worker processes, and how long after a worker is started the first letter is stored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases .venv/bin/python bench/workers.py \\
        [--cases 120] [--letters 40] [--workers 1,2] [--keep]

Needs PostgreSQL and `redis-server` on the PATH. Works in a database of its own, `<name>_bench_workers` (created
afresh; dropped at the end unless --keep), filled by bench/generate.py with `--pdfs lazy`: every letter issued but
none rendered, as after a burst of transitions. A redis-server of its own on a free port is the broker.

For each number of worker processes N in `--workers`, one Celery worker is started exactly as in production
(`celery -A refusal_cases worker --concurrency N`, prefork, on that database and broker), then:

* first letter: one `render_document_task` is sent as the worker process is started; the time from the start to
  the letter's PDF being stored (interpreter, Django, the connection to the broker, the renderer's warm-up on
  `worker_process_init`, the render, the signature and the file) is printed;
* throughput: 2N letters are rendered untimed, then `--letters` x N render tasks are sent at once and the clock
  runs until the last PDF is stored; renders per second = letters / seconds, beside the median time per letter
  seen by the database (`rendered_at` of consecutive letters of one process).

Each run takes a different share of the letters (every Nth by id, so each run has the same mix of kinds); none is
rendered twice. Prints the CPU count, the load average, the interpreter and the shared reference loop.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reference import reference_loop_ms

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("bench/workers.py needs redis-server on the PATH (Debian: apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("redis-server did not start")


def wait_until(test, timeout: float, poll: float = 0.02) -> None:
    end = time.monotonic() + timeout
    while not test():
        if time.monotonic() > end:
            raise TimeoutError
        time.sleep(poll)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=120, help="cases generated (about 6 letters each)")
    parser.add_argument("--letters", type=int, default=40, help="letters timed per worker process (default 40)")
    parser.add_argument("--workers", default="1,2", help="worker processes per run (default 1,2)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    runs = [int(n) for n in args.workers.split(",")]

    folder = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    redis, broker = start_redis(folder)
    os.environ["REDIS_URL"] = broker  # before Django is set up: tasks go to this broker, not run in-process
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    import generate  # noqa: PLC0415 - sets Django up with the broker above
    from django.db import connection, connections  # noqa: PLC0415

    from documents.models import Document  # noqa: PLC0415
    from documents.tasks import render_document_task  # noqa: PLC0415

    if connection.vendor != "postgresql":
        sys.exit("bench/workers.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    s = connection.settings_dict
    name = f"{s['NAME']}_bench_workers"
    base_url = (f"postgres://{s['USER'] or ''}{':' + s['PASSWORD'] if s['PASSWORD'] else ''}@"
                            f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}")
    generate.use_database(name, fresh=True)
    try:
        print(f"Generating {args.cases} cases (letters issued, none rendered) into {name} ...", flush=True)
        generate.generate(args.cases, regions=2, pdfs="lazy")
        ids = list(Document.objects.filter(rendered_at__isnull=True).order_by("pk").values_list("pk", flat=True))
        needed = sum(1 + 2 * n + args.letters * n for n in runs)
        if len(ids) < needed:
            sys.exit(f"{len(ids)} letters, {needed} needed: raise --cases")
        print(f"{len(ids):,} letters issued; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
        connections.close_all()

        def stored(pks) -> int:
            return Document.objects.filter(pk__in=pks, rendered_at__isnull=False).exclude(sha256="").count()

        for index, n in enumerate(runs):
            share = ids[index::len(runs)]
            first, warm, timed = share[0], share[1:1 + 2 * n], share[1 + 2 * n:1 + 2 * n + args.letters * n]
            env = {**os.environ, "DATABASE_URL": f"{base_url}/{name}", "REDIS_URL": broker,
                   "DJANGO_SETTINGS_MODULE": "refusal_cases.settings",
                   "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-a-secret")}
            log = (folder / f"worker-{n}.log").open("w")
            started = time.perf_counter()
            worker = subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "refusal_cases", "worker", "--pool", "prefork", "--concurrency",
                 str(n), "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
                 "--hostname", f"bench-{n}-{os.getpid()}@%h"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                render_document_task.delay(first)
                wait_until(lambda: stored([first]) == 1, timeout=300)  # noqa: B023 - called at once
                cold = time.perf_counter() - started
                for pk in warm:
                    render_document_task.delay(pk)
                wait_until(lambda: stored(warm) == len(warm), timeout=300)  # noqa: B023
                begin = time.perf_counter()
                for pk in timed:
                    render_document_task.delay(pk)
                wait_until(lambda: stored(timed) == len(timed), timeout=600)  # noqa: B023
                elapsed = time.perf_counter() - begin
            finally:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
            moments = sorted(Document.objects.filter(pk__in=timed).values_list("rendered_at", flat=True))
            gaps = [(b - a).total_seconds() * 1000 * n for a, b in zip(moments, moments[1:], strict=False)]
            print(f"  {n} worker process{'es' if n > 1 else ''}: first letter stored {cold:.2f} s after the "
                  f"worker was started; {len(timed)} letters in {elapsed:.2f} s = {len(timed) / elapsed:.2f} "
                  f"renders/s (about {statistics.median(gaps):.0f} ms per letter and process); "
                  f"load average {os.getloadavg()[0]:.2f}", flush=True)
        print(f"  interpreter: Python {sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); "
              f"reference loop (2 million additions): {reference_loop_ms():.0f} ms")
    finally:
        connections.close_all()
        if not args.keep:
            with generate.admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.kill()
        redis.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
