"""Benchmark of document rendering throughput (not a test): renders per second with one and with two worker
processes, and the first render of a process that has just started.

    .venv/bin/python bench/render.py [--seconds 20] [--workers 1,2] [--language zh-hans] [--cold 3]

Each worker is a process of its own, started with multiprocessing's `spawn` (a fresh interpreter, as a Celery
worker process is), which sets Django up and calls `documents.render.render_document_pdf` on the two-page
transfer letter of bench/pdf.py, the call the rendering task makes; no database is involved. So the figures are
those of the rendering itself, without the broker's round trip and the storing of the file (a few
milliseconds each).

* Cold start (`--cold` times, one fresh process each), without and then with the warm-up a rendering worker
  process does when it starts (`documents.render.warm_up`, called on Celery's `worker_process_init`): the time
  to import Django and the application, of the warm-up, of the first render (without warm-up: font
  configuration, the cut-down CJK fonts opened, the stylesheet parsed), then of the second one.
* Throughput (for each number of workers in `--workers`): every worker renders three letters untimed, then all
  start together and render for `--seconds`; renders per second is the total over the workers divided by the
  time, beside each worker's median time per letter.

Prints the CPU count and load average, the interpreter and the CPU time of the fixed pure-Python loop of
bench/pdf.py, to compare figures taken on different machines.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

from reference import reference_loop_ms

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.pop("REDIS_URL", None)
    import logging  # noqa: PLC0415

    import django  # noqa: PLC0415

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)


def cold_start(started: float, language: str, prepared: bool, queue) -> None:
    """In a fresh process: how long the imports, the warm-up (when `prepared`, as a rendering worker does when it
    starts), the first render and the second one take."""
    _setup()
    from pdf import transfer_letter_context  # noqa: PLC0415

    from documents.render import render_document_pdf, warm_up  # noqa: PLC0415

    imported = time.perf_counter()
    if prepared:
        warm_up()
    ready = time.perf_counter()
    context = transfer_letter_context()
    render_document_pdf("transfer_letter", context, language=language)
    first = time.perf_counter()
    render_document_pdf("transfer_letter", context, language=language)
    second = time.perf_counter()
    queue.put((imported - started, ready - imported, first - ready, second - first))


def worker(language: str, seconds: float, ready, go, queue) -> None:
    _setup()
    from pdf import transfer_letter_context  # noqa: PLC0415

    from documents.render import render_document_pdf  # noqa: PLC0415

    context = transfer_letter_context()
    for _ in range(3):
        render_document_pdf("transfer_letter", context, language=language)
    ready.wait()
    go.wait()
    times, start = [], time.perf_counter()
    end = start + seconds
    while True:
        t = time.perf_counter()
        if t >= end:
            break
        render_document_pdf("transfer_letter", context, language=language)
        times.append(time.perf_counter() - t)
    queue.put((len(times), time.perf_counter() - start, times))


def throughput(ctx, workers: int, seconds: float, language: str) -> tuple[float, list[float]]:
    ready, go, queue = ctx.Barrier(workers + 1), ctx.Event(), ctx.Queue()
    processes = [ctx.Process(target=worker, args=(language, seconds, ready, go, queue)) for _ in range(workers)]
    for p in processes:
        p.start()
    ready.wait()
    go.set()
    results = [queue.get(timeout=seconds * 10 + 300) for _ in processes]
    for p in processes:
        p.join()
    renders = sum(n for n, _, _ in results)
    elapsed = max(e for _, e, _ in results)
    return renders / elapsed, [statistics.median(t) * 1000 for _, _, t in results]



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20, help="timed rendering per run (default 20)")
    parser.add_argument("--workers", default="1,2", help="numbers of worker processes (default 1,2)")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--cold", type=int, default=3, help="fresh processes for the cold start (default 3)")
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")

    print(f"transfer_letter ({args.language}); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    for prepared in (False, True):
        colds = []
        for _ in range(args.cold):
            queue = ctx.Queue()
            p = ctx.Process(target=cold_start, args=(time.perf_counter(), args.language, prepared, queue))
            p.start()
            colds.append(queue.get(timeout=600))
            p.join()
        print("  a new process, " + ("warmed up as a rendering worker does when it starts:" if prepared
                                     else "without warm-up:"))
        names = ["start and imports (interpreter, Django, the application)", "warm-up (documents.render.warm_up)",
                 "first render", "second render"]
        for i, name in enumerate(names):
            if i == 1 and not prepared:
                continue
            values = [c[i] * 1000 for c in colds]
            print(f"    {name}: median {statistics.median(values):.0f} ms ({', '.join(f'{v:.0f}' for v in values)})")
    for n in (int(w) for w in args.workers.split(",")):
        rate, medians = throughput(ctx, n, args.seconds, args.language)
        print(f"  {n} worker{'s' if n > 1 else ''}: {rate:.2f} renders/s over {args.seconds:.0f} s; "
              f"median per letter {', '.join(f'{m:.0f}' for m in medians)} ms; "
              f"load average {os.getloadavg()[0]:.2f}")
    print(f"  interpreter: Python {sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); "
          f"reference loop (2 million additions): {reference_loop_ms():.0f} ms")


if __name__ == "__main__":
    main()
