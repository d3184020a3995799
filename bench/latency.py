"""Benchmark: the case list and case detail at 1,000 and at 100,000 cases, through the real WSGI stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases .venv/bin/python bench/latency.py \\
        [--sizes 1000,100000 (or --cases N)] [--requests 200] [--warmup 20] [--plans] [--fresh]

For each size it uses the database `<name>_bench_<size>` that bench/generate.py writes (generating it first
when it is missing or --fresh; 20 regions, seed 2025), never the database DATABASE_URL names. Then:

* query counts, in-process: each request once through django.test.Client under CaptureQueriesContext;
* latency: gunicorn from the virtualenv on 127.0.0.1, one sync worker, DEBUG off, on that database; a
  keep-alive HTTP client (the sync worker closes the connection after each answer, so each request also opens
  one local TCP connection); per request `--warmup` untimed requests, then `--requests` timed ones;
  median and 95th percentile of the wall time from sending the request to reading the whole answer.

The requests, as a police case-intake clerk, an enforcement judge and a procurator of one region (the region's
cases are about 1/20 of all): `GET /api/cases/` (first page of 50), `?state=` (their commonest state), `?q=` (the
debtor's name, among 50 of their cases, found in the fewest of their cases: so that the search lists about as many
cases at every size and what grows is only the data searched), the last page, `GET /api/cases/{id}/` (cycling
over 50 of their cases), the inbox page `/` and
the notifications page `/notifications/` (the generator writes no notices: before timing, each of these users
gets one per deadline of the cases they may see, 2% of them unread);
as the clerk also `GET /api/deadlines/`, as the judge `GET /api/cases/{id}/documents/`.

Prints one table per size (with the rows each answer lists: a fuller page costs more to send and render
whatever the size of the data), then the ratio of the largest size to each smaller one, then the interpreter, the
reference loop (bench/reference.py) and the load average. Targets: p95 under
100 ms for a page of 50 at 100,000 cases, a query count that does not grow with the data, and figures at 100k
within 1.5x of those at 1k. With --plans it also prints EXPLAIN (ANALYZE, BUFFERS) of every distinct query those
requests run, on the largest size.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import generate  # noqa: E402 - sets Django up
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from reference import reference_loop_ms  # noqa: E402

from agencies.roles import Role  # noqa: E402
from workflow.cases.selectors import case_list  # noqa: E402
from workflow.models import Case  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = 2025
PAGE = 50


@dataclass
class Request:
    label: str
    user: object
    path: str
    session: bool = False  # a browser page: session cookie instead of token
    paths: list[str] = field(default_factory=list)  # cycled over, when given


@dataclass
class Figures:
    median: float = 0.0
    p95: float = 0.0
    queries: int = 0
    bytes: int = 0
    rows: int | None = None  # the rows the answer lists (an API page's results, the inbox's cases)


def database_name(size: int) -> str:
    return f"{BASE_NAME}_bench_{size}"


def prepare(size: int, fresh: bool) -> generate.Generated:
    name = database_name(size)
    generate.use_database(name, fresh=fresh)
    if not Case.objects.exists():
        print(f"Generating {size:,} cases into {name} ...", flush=True)
        done = generate.generate(size, 20, SEED)
        print(f"  done in {done.seconds:.0f} s", flush=True)
    data = generate.describe()
    notices(data)
    print(f"Database {name}: {data.counts['workflow_case']:,} cases, {data.counts['workflow_caseevent']:,} events, "
          f"{data.counts['documents_document']:,} documents; {generate.database_size() / 2**20:,.0f} MiB", flush=True)
    return data


NOTICE_COLUMNS = ("recipient_id, case_id, deadline_id, event_key, kind, title, body, due_date, created_at, email_to, "
                  "text_id, params, read_at")


def notices(data: generate.Generated) -> None:
    """The notices the deadlines of the timed users' cases have brought them (the generator writes none): a warning
    per deadline of every case the user may see, dated at the deadline's start, all but the last 2% read. So a
    user's notifications grow with the data as their cases do."""
    from workflow.models import Deadline, Notification  # noqa: PLC0415

    if Notification.objects.filter(event_key__startswith="bench:").exists():
        return
    users = data.users[data.regions[0]]
    with connection.cursor() as cursor:
        for role in (Role.POLICE_CLERK, Role.ENFORCEMENT_JUDGE, Role.PROCURATOR):
            user = users[role]
            ids = Deadline.objects.filter(case__in=case_list(user=user).values("pk")).values("pk")
            sql, params = ids.query.sql_with_params()
            cursor.execute(f"""
                INSERT INTO workflow_notification ({NOTICE_COLUMNS})
                SELECT %s, d.case_id, d.id, 'bench:' || d.id || ':warn', 'deadline_warning',
                       '期限即将届满：' || c.number, '案件 ' || c.number || '（被执行人' || c.debtor_name || '）的期限将于'
                       || d.due_date || '届满。', d.due_date, d.created_at, '', 'deadline_warning',
                       jsonb_build_object('number', c.number, 'debtor', c.debtor_name, 'agency', a.name,
                                          'due', d.due_date::text, 'basis', d.legal_basis, 'deadline_kind', d.kind),
                       CASE WHEN d.id % 50 = 0 THEN NULL ELSE d.created_at + interval '1 day' END
                FROM workflow_deadline d JOIN workflow_case c ON c.id = d.case_id
                     JOIN agencies_agency a ON a.id = d.owed_by_id
                WHERE d.id IN ({sql})
            """.replace(" % 50", " %% 50"), [user.pk, *params])  # noqa: S608 - the selector's own SQL
        cursor.execute("VACUUM ANALYZE workflow_notification")


def requests_for(data: generate.Generated) -> list[Request]:
    region = data.regions[0]
    users = data.users[region]
    out = []
    for role in (Role.POLICE_CLERK, Role.ENFORCEMENT_JUDGE, Role.PROCURATOR):
        user = users[role]
        visible = case_list(user=user)
        count = visible.count()
        state = visible.order_by().values("state").annotate(n=Count("pk")).order_by("-n")[0]["state"]
        ids = list(visible.values_list("pk", flat=True)[: 50 * 37 : 37])
        # A debtor's name found in as few of the user's cases as any of the sample's: the search then lists the
        # same handful of cases at every size, so what is compared is the search, not a fuller page.
        names = sorted(set(visible.filter(pk__in=ids).values_list("debtor_name", flat=True)))
        matches = dict(visible.filter(debtor_name__in=names).order_by().values_list("debtor_name")
                       .annotate(n=Count("pk")))
        debtor = min(names, key=lambda name: (matches[name], name))
        last = max(1, math.ceil(count / PAGE))
        who = {Role.POLICE_CLERK: "police clerk", Role.ENFORCEMENT_JUDGE: "judge", Role.PROCURATOR: "procurator"}[role]
        out += [
            Request(f"{who}: list", user, "/api/cases/"),
            Request(f"{who}: list ?state={state}", user, f"/api/cases/?state={state}"),
            Request(f"{who}: list ?q=<debtor>", user, f"/api/cases/?q={_quote(debtor)}"),
            Request(f"{who}: list, last page ({last})", user, f"/api/cases/?page={last}"),
            Request(f"{who}: detail", user, f"/api/cases/{ids[0]}/", paths=[f"/api/cases/{i}/" for i in ids]),
            Request(f"{who}: inbox page /", user, "/", session=True),
            Request(f"{who}: notifications page", user, "/notifications/", session=True),
        ]
        if role == Role.POLICE_CLERK:
            out.append(Request(f"{who}: deadlines", user, "/api/deadlines/"))
        if role == Role.ENFORCEMENT_JUDGE:
            out.append(Request(f"{who}: case documents", user, f"/api/cases/{ids[0]}/documents/",
                               paths=[f"/api/cases/{i}/documents/" for i in ids]))
    return out


def _quote(text: str) -> str:
    from urllib.parse import quote  # noqa: PLC0415

    return quote(text)


def count_queries(data: generate.Generated, requests: list[Request], figures: dict, plans: dict | None) -> None:
    """Run each request once in-process; record its query count (and, for --plans, its SQL)."""
    for req in requests:
        client = Client()
        headers = {}
        if req.session:
            client.force_login(req.user)
        else:
            headers["HTTP_AUTHORIZATION"] = f"Token {data.token(req.user)}"
        client.get(req.path, **headers)  # the first request of a process fills caches (content types, ...)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(req.path, **headers)
        fig = figures.setdefault(req.label, Figures())
        if response.status_code != 200:
            raise RuntimeError(f"{req.label}: {req.path} answered {response.status_code}")
        fig.queries, fig.bytes = len(captured), len(response.content)
        fig.rows = _rows(response)
        if plans is not None:
            for query in captured.captured_queries:
                sql = query["sql"]
                if sql.lstrip().upper().startswith("SELECT"):
                    plans.setdefault(_shape(sql), (req.label, sql))


def _rows(response) -> int | None:
    """How many rows the answer lists: a page of the API's results, or the inbox's cases."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return len(body["results"]) if isinstance(body, dict) and "results" in body else None
    found = response.content.count(b'data-testid="inbox-row"')
    return found or None


def _shape(sql: str) -> str:
    """The query with its literals blanked, so that the same query for other ids is explained once."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def sessions(requests: list[Request]) -> dict[int, str]:
    """A session cookie per user of a browser page, stored in the bench database the server reads."""
    out = {}
    for req in requests:
        if req.session and req.user.pk not in out:
            client = Client()
            client.force_login(req.user)
            out[req.user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(name: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"{DATABASE_URL_BASE}/{name}", "DEBUG": "false",
           "SECRET_KEY": settings.SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
           "SECURE_COOKIES": "false", "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "refusal_cases.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--worker-class", "sync", "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz/")
            conn.getresponse().read()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def measure(port: int, data: generate.Generated, requests: list[Request], cookies: dict, rounds: int, warmup: int,
            figures: dict) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for req in requests:
        if req.session:
            headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[req.user.pk]}"}
        else:
            headers = {"Authorization": f"Token {data.token(req.user)}"}
        paths = req.paths or [req.path]
        times = []
        for i in range(warmup + rounds):
            path = paths[i % len(paths)]
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"{req.label}: {path} answered {response.status}: {body[:300]!r}")
            if i >= warmup:
                times.append(elapsed)
        times.sort()
        fig = figures.setdefault(req.label, Figures())
        fig.median = statistics.median(times) * 1000
        fig.p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)] * 1000
    conn.close()


def print_table(size: int, figures: dict) -> None:
    print(f"\n{size:,} cases{'':<32} {'median':>8} {'p95':>8} {'queries':>8} {'KB':>6} {'rows':>5}")
    for label, fig in figures.items():
        print(f"{label:<44} {fig.median:>6.1f}ms {fig.p95:>6.1f}ms {fig.queries:>8} {fig.bytes / 1024:>6.1f} "
              f"{fig.rows if fig.rows is not None else '':>5}")


def print_ratio(small: int, large: int, by_size: dict) -> None:
    print(f"\nratio {large:,} / {small:,}{'':<23} {'median':>8} {'p95':>8} {'queries':>8} {'rows':>9}")
    for label, big in by_size[large].items():
        # Labels name the last page, whose number differs between sizes: match by position.
        little = list(by_size[small].values())[list(by_size[large]).index(label)]
        ratio = [big.median / little.median, big.p95 / little.p95]
        label = re.sub(r" [(]\d+[)]", "", label)
        rows = f"{little.rows} -> {big.rows}" if big.rows is not None else ""
        print(f"{label:<44} {ratio[0]:>7.2f}x {ratio[1]:>7.2f}x "
              f"{little.queries:>3} -> {big.queries:<3} {rows:>9}")


SCAN = re.compile(r"((?:Parallel )?(?:Seq Scan|Index Only Scan|Index Scan(?: Backward)?|Bitmap Index Scan)"
                  r"(?: using \S+)? on \S+|Bitmap Index Scan on \S+)")


def print_plans(plans: dict) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each distinct query: a summary line each (time, buffers, the scans), then
    the full plans."""
    explained = []
    with connection.cursor() as cursor:
        for label, sql in plans.values():
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            explained.append((label, sql, [row[0] for row in cursor.fetchall()]))
    print(f"\nQuery plans on the largest database ({len(explained)} distinct queries):")
    print(f"{'request':<40} {'table':<28} {'ms':>7} {'buffers':>8}  scans")
    for label, sql, lines in explained:
        table = re.search(r'FROM "(\w+)"', sql)
        ms = next((float(m[1]) for line in lines if (m := re.search(r"Execution Time: ([\d.]+)", line))), 0.0)
        top = re.search(r"shared hit=(\d+)(?: read=(\d+))?", "\n".join(lines))
        buffers = int(top[1]) + int(top[2] or 0) if top else 0
        scans = sorted({m[1] for line in lines for m in SCAN.finditer(line)})
        print(f"{label[:40]:<40} {table[1] if table else '':<28} {ms:>7.2f} {buffers:>8}  {'; '.join(scans)}")
    for label, sql, lines in explained:
        print(f"\n-- {label}\n{sql}\n" + "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", "--cases", default="1000,100000", help="comma-separated numbers of cases")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per line of the table")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="print the query plans (largest size)")
    parser.add_argument("--fresh", action="store_true", help="generate the databases again")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("set DATABASE_URL to a PostgreSQL server")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    setup_test_environment()
    logging.disable(logging.INFO)  # django-axes logs every force_login
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic for the bench
    by_size = {}
    for size in sizes:
        data = prepare(size, args.fresh)
        requests = requests_for(data)
        figures: dict[str, Figures] = {}
        plans = {} if args.plans and size == sizes[-1] else None
        count_queries(data, requests, figures, plans)
        cookies = sessions(requests)
        server, port = start_server(database_name(size))
        try:
            measure(port, data, requests, cookies, args.requests, args.warmup, figures)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print_table(size, figures)
        by_size[size] = figures
        if plans is not None:
            print_plans(plans)
    for smaller in sizes[:-1]:  # the largest against each smaller size
        print_ratio(smaller, sizes[-1], by_size)
    print(f"\nPython {sys.version.split()[0]} ({os.path.realpath(sys._base_executable)}); reference loop "
          f"(2 million additions): {reference_loop_ms():.0f} ms; "
          f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


BASE_NAME = connection.settings_dict["NAME"]
_s = connection.settings_dict
DATABASE_URL_BASE = (f"postgres://{_s['USER'] or ''}{':' + _s['PASSWORD'] if _s['PASSWORD'] else ''}@"
                     f"{_s['HOST'] or '127.0.0.1'}:{_s['PORT'] or 5432}")

if __name__ == "__main__":
    main()
