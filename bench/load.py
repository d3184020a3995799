"""Load benchmark: case transitions through the real HTTP stack, then proof that nothing was lost or doubled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/load.py [--users 12] [--cases 24] [--racers 20] [--rounds 8]

Works in a throwaway database (`<name>_load`, created and dropped like the test suite's), never in the database
DATABASE_URL names, and with media files in a temporary folder. It starts gunicorn on 127.0.0.1 (gthread,
`--workers` x `--threads`) and a Celery worker on a queue of the run's own in the Redis database REDIS_URL names,
which renders the documents after each transition commits. Without REDIS_URL the documents are rendered
in-process after the commit, inside the request (the mode is printed).

It seeds the demo agencies and users (agencies.demo) plus further regions in the same style, several users per
role in each agency with API tokens (their passwords hashed with a fast hasher: nobody signs in with them), and
draft cases with their evidence through the application's services.
Then, over HTTP with one keep-alive connection per client:

1. distinct cases: `--users` clients each walk their own cases along the procedure (transfer, acceptance,
   filing, prosecution and judgment, in the case's own region or before the court of a partner region
   designated to try it; non-filing, supervision and order to file; private prosecution and reconciliation;
   return for supplementary investigation and non-prosecution), each step as a user of the role and agency
   the step needs;
2. the same case: `--rounds` times, `--racers` clients released together fire competing transitions on one
   case, stage after stage (enforcement judges submitting the transfer at once, police clerks of one agency
   accepting it, police heads racing file_case / decline_filing, then transfer_for_prosecution /
   withdraw_case or request_supervision / advise_private_prosecution): exactly one may win, the others get 409.

It prints requests, throughput, median and p95 latency per kind, the status codes and how many database sessions
were seen waiting for a lock, waits for the worker to render every document, then checks the database and prints
PASS or FAIL for each check (exit status 1 on any FAIL): every 2xx transition has exactly one event and no other transition has any, each case's state is its last
event's target, the event chains are contiguous and intact (verify_audit), document and case numbers have no
duplicate and no gap, every transition issued its documents once, each notice went once to each recipient,
no case has two open deadlines of one kind, and every stored PDF's SHA-256 equals the recorded hash.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
QUEUE = f"load-bench-{os.getpid()}"

if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("Set DATABASE_URL=postgres://...: the load benchmark needs PostgreSQL (row locks, many connections).")
MEDIA = Path(tempfile.mkdtemp(prefix="load-bench-"))
# The same settings for this process, the server and the worker: production settings over plain HTTP.
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "bench.load_settings",
    "LOAD_BENCH_QUEUE": QUEUE,
    "MEDIA_ROOT": str(MEDIA / "media"),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
})
os.environ.setdefault("SECRET_KEY", "load-bench-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from agencies.demo import REGIONS as DEMO_REGIONS  # noqa: E402
from agencies.demo import seed_agencies_and_users  # noqa: E402
from agencies.models import Agency, User  # noqa: E402
from agencies.roles import ROLE_AGENCY_KIND, AgencyKind, Role  # noqa: E402
from agencies.tokens import issue  # noqa: E402
from documents.models import Document  # noqa: E402
from procedure.notices import audiences  # noqa: E402
from procedure.states import PRIVATE_REQUIRED_CATEGORIES, TRANSFER_CATEGORIES  # noqa: E402
from procedure.transitions import TRANSITIONS  # noqa: E402
from workflow.cases import services  # noqa: E402
from workflow.models import CaseEvent, Notification  # noqa: E402
from workflow.notifications.recipients import transition_recipients  # noqa: E402

# Further districts of Nanning, in the style of the demo regions: (code, name, short name).
EXTRA_REGIONS = [
    ("450105", "南宁市江南区", "江"), ("450107", "南宁市西乡塘区", "西"), ("450108", "南宁市良庆区", "良"),
    ("450109", "南宁市邕宁区", "邕"), ("450110", "南宁市武鸣区", "武"), ("450123", "隆安县", "隆"),
    ("450124", "马山县", "马"), ("450125", "上林县", "上"), ("450126", "宾阳县", "宾"), ("450181", "横州市", "横"),
]
# Roles that get several users per agency (the others keep the one demo-style user).
MANY = (Role.ENFORCEMENT_JUDGE, Role.FILING_CLERK, Role.TRIAL_JUDGE, Role.POLICE_CLERK, Role.POLICE_INVESTIGATOR,
        Role.POLICE_HEAD, Role.PROCURATOR, Role.PROCURATOR_GENERAL, Role.CREDITOR)
COURT = object()  # stands for the region's court in a body
PARTNER_COURT = object()  # the court of the partner region, designated to try the case (Art. 2)
PARTNER = "partner"  # a step done by a user of the partner region

SUBMIT = (Role.ENFORCEMENT_JUDGE, "submit_transfer", {})
ACCEPT = (Role.POLICE_CLERK, "accept", {})
# Acts that need approval (procedure.md §3 "Approvals") are fired at once by the approver.
FILE = (Role.POLICE_HEAD, "file_case", {})
DECLINE = (Role.POLICE_HEAD, "decline_filing", {"reason": "现有证据不足以证明有拒不执行的犯罪事实"})
TO_PROSECUTION = (Role.POLICE_HEAD, "transfer_for_prosecution", {})
PATHS = {
    "prosecution": [SUBMIT, ACCEPT, FILE, TO_PROSECUTION,
                    (Role.PROCURATOR, "indict", {"trial_court": COURT}),
                    (Role.TRIAL_JUDGE, "render_judgment", {"outcome": "convicted", "sentence": "有期徒刑一年"})],
    "supervision": [SUBMIT, ACCEPT, DECLINE,
                    (Role.ENFORCEMENT_JUDGE, "request_supervision", {"reason": "被执行人有能力履行而拒不履行，应当立案"}),
                    (Role.PROCURATOR, "request_explanation", {}),
                    (Role.POLICE_INVESTIGATOR, "submit_explanation", {"explanation": "不立案的理由如下：证据不足。"}),
                    (Role.PROCURATOR_GENERAL, "order_filing", {"reason": "不立案理由不能成立"}),
                    FILE],
    "private": [SUBMIT, ACCEPT, DECLINE,
                (Role.ENFORCEMENT_JUDGE, "advise_private_prosecution", {}),
                (Role.CREDITOR, "file_private_prosecution", {}),
                (Role.FILING_CLERK, "accept_private_prosecution", {"trial_court": COURT}),
                (Role.TRIAL_JUDGE, "reconcile", {"terms": "被告人分三期还清欠款"})],
    "designated": [SUBMIT, ACCEPT, FILE, TO_PROSECUTION,
                   (Role.PROCURATOR, "indict", {"trial_court": PARTNER_COURT,
                                                "jurisdiction_reason": "上级法院指定异地管辖"}),
                   (Role.TRIAL_JUDGE, "render_judgment", {"outcome": "exempted", "sentence": "免予刑事处罚"}, PARTNER)],
    "supplementary": [SUBMIT, ACCEPT, FILE, TO_PROSECUTION,
                      (Role.PROCURATOR, "return_for_supplementary_investigation", {"reason": "部分事实不清"}),
                      (Role.POLICE_INVESTIGATOR, "resubmit_for_prosecution", {}),
                      (Role.PROCURATOR_GENERAL, "decline_prosecution", {"reason": "犯罪情节轻微"})],
}
# state -> the competing transitions the racers fire on one case in that state
RACES = {
    "draft": [SUBMIT],
    "transferred": [ACCEPT],
    "filing_review": [FILE, DECLINE],
    "investigating": [TO_PROSECUTION, (Role.POLICE_HEAD, "withdraw_case", {"reason": "被执行人已全部履行"})],
    "not_filed": [(Role.ENFORCEMENT_JUDGE, "request_supervision", {"reason": "应当立案而不立案"}),
                  (Role.ENFORCEMENT_JUDGE, "advise_private_prosecution", {})],
}
RACE_STAGES = 4


@dataclass
class Region:
    code: str
    court: int
    police: int
    procuratorate: int
    users: dict = field(default_factory=dict)  # role -> [username]


@dataclass
class PlannedCase:
    id: int
    region: Region
    partner: Region  # the region whose court may be designated to try the case
    path: str
    creditor: str


@dataclass
class Result:
    kind: str  # "distinct" or "same case"
    case_id: int
    transition: str
    username: str
    status: int  # 0: no answer (connection error)
    seconds: float
    state: str = ""
    detail: str = ""
    stage: tuple = ()


# --- seeding -------------------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + content, content_type="application/pdf")


def seed_people(n_regions: int, per_role: int) -> tuple[list[Region], dict[str, str]]:
    """The demo regions and users, further regions like them, `per_role` users of the busy roles per agency."""
    seed_agencies_and_users()
    regions_spec = [(r["code"], r["suffix"]) for r in DEMO_REGIONS]
    for i, (code, name, short) in enumerate(EXTRA_REGIONS[: max(0, n_regions - len(DEMO_REGIONS))]):
        suffix = f"_{i + len(DEMO_REGIONS) + 1}"
        regions_spec.append((code, suffix))
        county = name.endswith(("县", "市")) and not name.startswith("南宁")
        names = {
            AgencyKind.COURT: (f"{name}人民法院", f"{short}法"),
            AgencyKind.POLICE: (f"{name}公安局" if county else f"南宁市公安局{name[3:-1]}分局", f"{short}公"),
            AgencyKind.PROCURATORATE: (f"{name}人民检察院", f"{short}检"),
        }
        agencies = {kind: Agency.objects.create(kind=kind, name=full, abbreviation=abbr, region_code=code,
                                                region_name=name)
                    for kind, (full, abbr) in names.items()}
        for role in Role:
            kind = ROLE_AGENCY_KIND[role]
            if role == Role.DISCIPLINE_OFFICER:
                continue
            user = User(username=f"{role}{suffix}", full_name=f"{name}{role.label}", role=role,
                        agency=agencies[kind] if kind else None, email=f"{role}{suffix}@example.org",
                        is_liaison=role in (Role.ENFORCEMENT_JUDGE, Role.POLICE_HEAD, Role.PROCURATOR))
            user.set_unusable_password()
            user.save()
    regions = []
    for code, suffix in regions_spec:
        by_kind = {a.kind: a.pk for a in Agency.objects.filter(region_code=code)}
        region = Region(code, by_kind[AgencyKind.COURT], by_kind[AgencyKind.POLICE], by_kind[AgencyKind.PROCURATORATE])
        for role in MANY:
            first = User.objects.get(username=f"{role}{suffix}")
            names = [first.username]
            for k in range(2, per_role + 1):
                extra = User(username=f"{role}{suffix}-{k}", full_name=f"{first.full_name}{k}", role=role,
                             agency_id=first.agency_id, email=f"{role}{suffix}-{k}@example.org")
                extra.set_unusable_password()
                extra.save()
                names.append(extra.username)
            region.users[role] = names
        regions.append(region)
    tokens = {}
    for user in User.objects.all():
        tokens[user.username] = issue(user, "bench")[1]
    return regions, tokens


def seed_case(index: int, region: Region, creditor: str, *, private: bool) -> int:
    """A draft case with the five Art. 4 materials (and the Art. 13 ones for a private prosecution)."""
    judge = User.objects.get(username=region.users[Role.ENFORCEMENT_JUDGE][0])
    case = services.case_create(
        actor=judge, police_agency=region.police, procuratorate=region.procuratorate,
        enforcement_case_number=f"（2025）桂{region.code[2:]}执{1000 + index}号",
        applicant={"name": f"广西负载测试建材有限公司{index}", "kind": "entity", "id_number": "91450100MA5K0000X5",
                   "phone": "0771-5550100", "address": "南宁市兴宁区民族大道1号", "user": creditor},
        debtor={"name": f"被执行人{index}", "kind": "person", "id_number": "450102198001011237",
                "address": "南宁市兴宁区朝阳路8号"},
        basis_document=f"（2024）桂{region.code[2:]}民初{index}号民事判决书",
        amount_owed=f"{100000 + index * 137}.00", summary="被执行人转移财产，拒不履行生效判决。",
    )
    for category in TRANSFER_CATEGORIES:
        services.evidence_add(case_id=case.pk, actor=judge, category=category, title=f"{category} 材料",
                              file=upload(f"{category}.pdf", f"{category}-{case.pk}".encode()))
    if private:
        applicant = User.objects.get(username=creditor)
        for category in PRIVATE_REQUIRED_CATEGORIES:
            if category not in TRANSFER_CATEGORIES:
                services.evidence_add(case_id=case.pk, actor=applicant, category=category, title=f"{category} 材料",
                                      file=upload(f"{category}.pdf", f"private-{category}-{case.pk}".encode()))
    return case.pk


# --- HTTP ----------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; a POST is never retried (a retried transition could fire twice)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def request(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict | str, float]:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json", "Accept-Language": "zh-hans"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            return 0, f"{type(exc).__name__}: {exc}", time.perf_counter() - started
        elapsed = time.perf_counter() - started
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = raw[:300].decode(errors="replace")
        return response.status, payload, elapsed

    def fire(self, case_id: int, name: str, token: str, body: dict) -> tuple[int, dict | str, float]:
        return self.request("POST", f"/api/cases/{case_id}/transitions/{name}/", token, body)


def body_for(body: dict, region: Region, partner: Region | None = None) -> dict:
    courts = {id(COURT): region.court, id(PARTNER_COURT): partner.court if partner else None}
    return {k: courts.get(id(v), v) for k, v in body.items()}


def result_of(kind, case_id, name, username, answer, stage=()) -> Result:
    status, payload, seconds = answer
    state = payload.get("state", "") if isinstance(payload, dict) else ""
    detail = "" if status in (200, 409) else (json.dumps(payload, ensure_ascii=False)
                                              if isinstance(payload, dict) else payload)[:300]
    return Result(kind, case_id, name, username, status, seconds, state or "", detail, stage)


def drive_distinct(port: int, cases: list[PlannedCase], tokens: dict, rng: random.Random, start: threading.Event,
                   out: list[Result]) -> None:
    """Walk each case along its path, one step of each case in turn."""
    client = Client(port)
    step = {c.id: 0 for c in cases}
    active = list(cases)
    start.wait()
    while active:
        for case in list(active):
            role, name, body, *where = PATHS[case.path][step[case.id]]
            region = case.partner if where == [PARTNER] else case.region
            username = case.creditor if role == Role.CREDITOR else rng.choice(region.users[role])
            answer = client.fire(case.id, name, tokens[username], body_for(body, case.region, case.partner))
            out.append(result_of("distinct", case.id, name, username, answer))
            step[case.id] += 1
            if answer[0] != 200 or step[case.id] == len(PATHS[case.path]):
                active.remove(case)


def race(clients: list[Client], case_id: int, region: Region, state: str, tokens: dict, stage: tuple) -> list[Result]:
    """All racers fire at once on one case; returns their results."""
    options = RACES[state]
    barrier = threading.Barrier(len(clients))
    results: list[Result | None] = [None] * len(clients)

    def racer(i: int) -> None:
        role, name, body = options[i % len(options)]
        users = region.users[role]
        username = users[(i // len(options)) % len(users)]
        barrier.wait()
        answer = clients[i].fire(case_id, name, tokens[username], body_for(body, region))
        results[i] = result_of("same case", case_id, name, username, answer, stage)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# --- processes -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    command = [str(VENV_BIN / "gunicorn"), "refusal_cases.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
               "--keep-alive", "300", "--timeout", "300", "--chdir", str(ROOT), "--log-level", "warning"]
    usage = subprocess.run([command[0], "--help"], capture_output=True, text=True).stdout
    if "--no-control-socket" in usage:  # one server must not take another's control socket
        command.append("--no-control-socket")
    return command


def wait_for_server(port: int, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz/ in time")


def stop(process: subprocess.Popen | None, timeout: float = 30) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class LockSampler(threading.Thread):
    """Samples pg_stat_activity of the benchmark database: how many sessions run, and how many wait for a lock."""

    def __init__(self, interval: float = 0.25):
        super().__init__(daemon=True)
        self.interval, self.stopping = interval, threading.Event()
        self.samples: list[tuple[int, int]] = []
        self.relations: Counter = Counter()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                while not self.stopping.is_set():
                    cursor.execute("""
                        SELECT a.state = 'active', a.wait_event_type = 'Lock', l.relation::regclass::text
                        FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
                        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()""")
                    rows = cursor.fetchall()
                    self.samples.append((sum(1 for r in rows if r[0]), sum(1 for r in rows if r[1])))
                    self.relations.update(r[2] or "row held by a transaction" for r in rows if r[1])
                    time.sleep(self.interval)
        finally:
            connection.close()

    def summary(self) -> str:
        self.stopping.set()
        self.join()
        if not self.samples:
            return "no samples"
        active = statistics.mean(a for a, _ in self.samples)
        waiting = statistics.mean(w for _, w in self.samples)
        top = ", ".join(f"{name} {n}" for name, n in self.relations.most_common(4))
        return (f"database sessions sampled {len(self.samples)} times: {active:.1f} running on average, "
                f"{waiting:.1f} of them waiting for a lock" + (f" (on: {top})" if top else ""))


# --- figures and checks --------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def print_figures(label: str, results: list[Result], wall: float) -> None:
    ok = [r for r in results if 200 <= r.status < 300]
    times = [r.seconds * 1000 for r in results]
    codes = ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(Counter(r.status for r in results).items()))
    print(f"{label}: {len(results)} requests in {wall:.1f} s = {len(results) / wall:.1f} requests/s; "
          f"{len(ok)} transitions = {len(ok) / wall:.1f} transitions/s")
    if times:
        print(f"  latency median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
              f"max {max(times):.0f} ms; status codes: {codes}")


class Checks:
    def __init__(self):
        self.failed = 0

    def report(self, label: str, ok: bool, detail: str = "", sql: str = "") -> None:
        self.failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {label}" + (f": {detail}" if detail else ""))
        if sql:
            print(f"      {' '.join(sql.split())}")

    def empty(self, label: str, sql: str, params=()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        self.report(label, not rows, f"{len(rows)} row(s), e.g. {rows[:5]}" if rows else "no rows", sql)


def check_all(results: list[Result], race_stages: list[list[Result]], render_timeout: float) -> Checks:
    checks = Checks()
    print("\nChecks")
    bad = [r for r in results if r.status >= 500 or r.status == 0]
    checks.report("no 5xx and no request without an answer", not bad,
                  f"{len(bad)}, e.g. {[(r.transition, r.status, r.detail) for r in bad[:3]]}" if bad else
                  f"{len(results)} requests")
    distinct = [r for r in results if r.kind == "distinct"]
    failed = [r for r in distinct if r.status != 200]
    checks.report("every transition on distinct cases succeeded (200)", not failed,
                  f"{len(failed)} failed, e.g. {[(r.transition, r.status, r.detail) for r in failed[:3]]}"
                  if failed else f"{len(distinct)} transitions")
    wrong = [stage for stage in race_stages
             if sum(r.status == 200 for r in stage) != 1 or any(r.status not in (200, 409) for r in stage)]
    checks.report("each same-case race: exactly one 200, every other racer 409", not wrong,
                  f"{len(wrong)} of {len(race_stages)} races wrong, e.g. "
                  f"{[Counter(r.status for r in s) for s in wrong[:3]]}" if wrong else
                  f"{len(race_stages)} races of {len(race_stages[0]) if race_stages else 0} racers")

    # Lost or phantom updates: the 2xx answers and the transition events must be the same multiset.
    answered = Counter((r.case_id, r.transition) for r in results if 200 <= r.status < 300)
    sql = ("SELECT case_id, transition, count(*) FROM workflow_caseevent "
           "WHERE transition NOT IN ('create', 'add_evidence') GROUP BY case_id, transition")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        recorded = Counter({(case_id, name): n for case_id, name, n in cursor.fetchall()})
    diff = [(key, answered[key], recorded[key]) for key in answered.keys() | recorded.keys()
            if answered[key] != recorded[key]]
    checks.report("every 2xx transition has exactly one event, and no event lacks its 2xx", not diff,
                  f"(case, transition, answered, recorded) {diff[:5]}" if diff else
                  f"{sum(answered.values())} transitions, {sum(recorded.values())} events", sql)
    checks.empty("each case's state is the target of its last event", """
        SELECT c.id, c.state, e.to_state FROM workflow_case c
        JOIN LATERAL (SELECT to_state FROM workflow_caseevent WHERE case_id = c.id ORDER BY seq DESC LIMIT 1) e
          ON true WHERE c.state <> e.to_state""")
    checks.empty("each case's event chain is contiguous (seq 1..n, no gap, no repeat)", """
        SELECT case_id, min(seq), max(seq), count(*) FROM workflow_caseevent GROUP BY case_id
        HAVING min(seq) <> 1 OR max(seq) <> count(*) OR count(DISTINCT seq) <> count(*)""")
    checks.empty("each event links to its predecessor's hash", """
        SELECT e.case_id, e.seq FROM workflow_caseevent e JOIN workflow_caseevent p
          ON p.case_id = e.case_id AND p.seq = e.seq - 1 WHERE e.prev_hash <> p.hash""")
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
        checks.report("manage.py verify_audit", True, out.getvalue().strip())
    except CommandError as exc:
        checks.report("manage.py verify_audit", False, f"{exc}; {err.getvalue().strip()[:500]}")

    checks.empty("no duplicate document number", """
        SELECT issued_by_id, kind, year, number, count(*) FROM documents_document WHERE version = 1
        GROUP BY issued_by_id, kind, year, number HAVING count(*) > 1""")
    checks.empty("document numbers of each counter are 1..n without gaps, and the counter stands at n", """
        SELECT d.issued_by_id, d.kind, d.year, count(*), min(d.sequence), max(d.sequence), max(s.value)
        FROM documents_document d LEFT JOIN documents_documentcounter s
          ON s.issuer_id = d.issued_by_id AND s.kind = d.kind AND s.year = d.year
        WHERE d.version = 1 GROUP BY d.issued_by_id, d.kind, d.year
        HAVING min(d.sequence) <> 1 OR max(d.sequence) <> count(*) OR count(DISTINCT d.sequence) <> count(*)
            OR max(s.value) IS DISTINCT FROM count(*)""")
    checks.empty("case numbers of each region are unique and 1..n without gaps", """
        SELECT a.region_code, count(*), count(DISTINCT c.number), max(s.value) FROM workflow_case c
        JOIN agencies_agency a ON a.id = c.executing_court_id
        LEFT JOIN workflow_sequence s ON s.scope = 'case:' || a.region_code || ':' || substr(c.number, 3, 4)
        GROUP BY a.region_code HAVING count(*) <> count(DISTINCT c.number) OR max(s.value) <> count(*)""")
    expected = "".join(f"WHEN '{name}' THEN {len(row.letters)} " for name, row in TRANSITIONS.items() if row.letters)
    checks.empty("every transition event issued its documents exactly once (procedure.md §5)", f"""
        SELECT e.case_id, e.seq, e.transition, count(d.id) FROM workflow_caseevent e
        LEFT JOIN documents_document d ON d.event_id = e.id
        GROUP BY e.id HAVING count(d.id) <> CASE e.transition {expected}ELSE 0 END""")
    checks.empty("no duplicate notification (event_key, recipient)", """
        SELECT event_key, recipient_id, count(*) FROM workflow_notification
        GROUP BY event_key, recipient_id HAVING count(*) > 1""")
    missing = []
    events = CaseEvent.objects.filter(transition__in=[name for name, row in TRANSITIONS.items() if row.notices]).select_related("case__applicant_user")
    notified = defaultdict(set)
    for key, recipient in Notification.objects.filter(event_key__startswith="event:").values_list("event_key",
                                                                                                 "recipient_id"):
        notified[key].add(recipient)
    for event in events:
        want = {u.pk for notice in audiences(TRANSITIONS[event.transition], event.case, table=TRANSITIONS)
                for u in transition_recipients(event.case, notice)} - {event.actor_id}  # never of one's own act
        if notified[f"event:{event.pk}"] != want:
            missing.append((event.case_id, event.transition, len(want), len(notified[f"event:{event.pk}"])))
    checks.report("each notifying transition told each of its recipients once", not missing,
                  f"(case, transition, expected, found) {missing[:5]}" if missing else
                  f"{len(events)} events, {sum(len(v) for v in notified.values())} notifications")
    checks.empty("no case has two open deadlines of one kind", """
        SELECT case_id, kind, count(*) FROM workflow_deadline WHERE status = 'open'
        GROUP BY case_id, kind HAVING count(*) > 1""")

    pending = Document.objects.filter(sha256="").count()
    checks.report(f"every document rendered within {render_timeout:.0f} s", pending == 0,
                  f"{pending} not rendered" if pending else f"{Document.objects.count()} documents")
    mismatched, checked = [], 0
    for doc in Document.objects.exclude(sha256="").only("id", "file", "sha256", "size"):
        path = Path(settings.MEDIA_ROOT) / doc.file.name
        data = path.read_bytes() if path.is_file() else b""
        checked += 1
        if hashlib.sha256(data).hexdigest() != doc.sha256 or len(data) != doc.size:
            mismatched.append((doc.pk, doc.file.name))
    checks.report("every stored document file's SHA-256 and size equal the recorded ones", not mismatched,
                  f"{len(mismatched)} mismatched, e.g. {mismatched[:3]}" if mismatched else f"{checked} files")
    return checks


def wait_for_rendering(worker: subprocess.Popen | None, timeout: float) -> float:
    started = time.monotonic()
    last_print = started
    while True:
        pending = Document.objects.filter(sha256="").count()
        if pending == 0 or time.monotonic() - started > timeout:
            return time.monotonic() - started
        if worker is not None and worker.poll() is not None:
            print("  the Celery worker exited; see its log")
            return time.monotonic() - started
        if time.monotonic() - last_print > 15:
            print(f"  {pending} documents still to render ({time.monotonic() - started:.0f} s)", flush=True)
            last_print = time.monotonic()
        time.sleep(1)


def tail_errors(log: Path, limit: int = 60) -> None:
    if not log.is_file():
        return
    lines = log.read_text(errors="replace").splitlines()
    errors = [i for i, line in enumerate(lines) if "Traceback" in line or "ERROR" in line]
    if errors:
        print(f"\n{log.name}: {len(errors)} error line(s); the first:")
        print("\n".join(lines[errors[0]: errors[0] + limit]))


# --- main ----------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=12, help="clients walking distinct cases")
    parser.add_argument("--cases", type=int, default=24, help="distinct cases, spread over the regions")
    parser.add_argument("--racers", type=int, default=20, help="clients racing on one case")
    parser.add_argument("--rounds", type=int, default=8, help="cases raced on (up to 4 races each)")
    parser.add_argument("--regions", type=int, default=6, help=f"regions (2 to {2 + len(EXTRA_REGIONS)})")
    parser.add_argument("--per-role", type=int, default=3, help="users of each busy role per agency")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--render-timeout", type=float, default=300, help="seconds to wait for the PDFs")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the database and the media folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    redis_url = os.environ.get("REDIS_URL", "")

    print(f"Machine: {os.cpu_count()} CPUs; {uptime()}")
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_load"
    config = setup_databases(verbosity=0, interactive=False)
    server = worker = None
    logs = MEDIA / "logs"
    logs.mkdir()
    try:
        name = connection.settings_dict["NAME"]
        env = {**os.environ, "DATABASE_URL": database_url(name), "PYTHONPATH": str(ROOT)}
        if redis_url:
            worker = subprocess.Popen(
                [str(VENV_BIN / "celery"), "-A", "refusal_cases", "worker", "-Q", QUEUE, "-n", f"{QUEUE}@%h",
                 "--concurrency", str(args.concurrency), "--loglevel", "WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=env, stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
            mode = f"Celery worker ({args.concurrency} processes) on {redis_url}, queue {QUEUE}"
        else:
            mode = "no REDIS_URL: documents rendered in-process after the commit, inside the request"
        port = free_port()
        server = subprocess.Popen(
            gunicorn_command(port, args.workers, args.threads), cwd=ROOT, env=env, stdout=open(logs / "gunicorn.log", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
        print(f"Database {name} (PostgreSQL); gunicorn 127.0.0.1:{port}, {args.workers} workers x {args.threads} "
              f"threads; rendering: {mode}")

        started = time.perf_counter()
        # The users sign in by token only: a fast hasher for their passwords keeps the seeding short.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            regions, tokens = seed_people(args.regions, args.per_role)
        people_seconds = time.perf_counter() - started
        planned, race_cases = [], []
        names = list(PATHS)
        for i in range(args.cases):
            region = regions[i % len(regions)]
            path = names[i % len(names)]
            creditor = region.users[Role.CREDITOR][i % args.per_role]
            partner = regions[(i % len(regions)) ^ 1] if (i % len(regions)) ^ 1 < len(regions) else regions[0]
            planned.append(PlannedCase(seed_case(i, region, creditor, private=path == "private"), region, partner,
                                       path, creditor))
        for r in range(args.rounds):
            region = regions[r % len(regions)]
            race_cases.append((seed_case(args.cases + r, region, region.users[Role.CREDITOR][0], private=False),
                               region))
        connections.close_all()
        print(f"Seeded {len(regions)} regions, {User.objects.count()} users, {len(planned)} + {len(race_cases)} "
              f"draft cases with {CaseEvent.objects.filter(transition='add_evidence').count()} materials "
              f"in {time.perf_counter() - started:.1f} s (users and tokens {people_seconds:.1f} s)")

        wait_for_server(port, server, logs / "gunicorn.log")
        warm = [Client(port) for _ in range(args.workers * args.threads)]
        warm_threads = [threading.Thread(target=c.request, args=("GET", "/api/me/", tokens["police_clerk"]))
                        for c in warm for _ in range(2)]
        for t in warm_threads:
            t.start()
        for t in warm_threads:
            t.join()
        print(f"Before the load: {uptime()}\n")

        # 1. Distinct cases, all clients at once.
        rng.shuffle(planned)
        results: list[Result] = []
        start = threading.Event()
        sampler = LockSampler()
        sampler.start()
        threads = [threading.Thread(target=drive_distinct, args=(port, planned[j:: args.users], tokens,
                                                                 random.Random(args.seed + j), start, results))
                   for j in range(args.users)]
        for t in threads:
            t.start()
        began = time.perf_counter()
        start.set()
        for t in threads:
            t.join()
        distinct_wall = time.perf_counter() - began
        print_figures(f"Distinct cases ({args.users} clients, {len(planned)} cases)", results, distinct_wall)
        print(f"  {sampler.summary()}")
        print(f"  {uptime()}")

        # 2. The same case: racers released together, stage after stage.
        clients = [Client(port) for _ in range(args.racers)]
        race_stages: list[list[Result]] = []
        sampler = LockSampler()
        sampler.start()
        began = time.perf_counter()
        for r, (case_id, region) in enumerate(race_cases):
            state = "draft"
            for stage in range(RACE_STAGES):
                if state not in RACES:
                    break
                outcome = race(clients, case_id, region, state, tokens, (r, stage))
                race_stages.append(outcome)
                winners = [x for x in outcome if x.status == 200]
                if len(winners) != 1:
                    break
                state = winners[0].state
        race_wall = time.perf_counter() - began
        raced = [x for stage in race_stages for x in stage]
        results += raced
        print_figures(f"Same case ({args.racers} racers, {len(race_stages)} races on {len(race_cases)} cases)",
                      raced, race_wall)
        wins = Counter(x.transition for stage in race_stages for x in stage if x.status == 200)
        print(f"  winners: {dict(wins)}")
        print(f"  {sampler.summary()}")
        print(f"  {uptime()}")
        per_transition = defaultdict(list)
        for x in results:
            per_transition[x.transition].append(x.seconds * 1000)
        print("  latency by transition (all kinds), median / p95 ms: " + "; ".join(
            f"{k} {statistics.median(v):.0f}/{percentile(v, 0.95):.0f}" for k, v in sorted(per_transition.items())))

        waited = wait_for_rendering(worker, args.render_timeout)
        print(f"\nDocuments: {Document.objects.count()} issued; rendering finished {waited:.1f} s after the load "
              f"ended; {uptime()}")
        checks = check_all(results, race_stages, args.render_timeout)
        stop(server)
        server = None
        tail_errors(logs / "gunicorn.log")
        tail_errors(logs / "worker.log")
        print(f"\n{'All checks passed.' if not checks.failed else f'{checks.failed} check(s) FAILED.'}")
        return 1 if checks.failed else 0
    finally:
        stop(server)
        stop(worker)
        connections.close_all()
        if args.keep:
            print(f"Kept database {connection.settings_dict['NAME']} and folder {MEDIA}")
        else:
            teardown_databases(config, verbosity=0)
            shutil.rmtree(MEDIA, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
