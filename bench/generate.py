"""Benchmark data: N cases in R regions, with the rows the application itself would have written.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/refusal_cases .venv/bin/python bench/generate.py \\
        [--cases 100000] [--regions 20] [--seed 2025] [--into NAME] [--fresh] [--pdfs shared|lazy]

Writes into a database of its own, `<name>_bench_<cases>` beside the one DATABASE_URL names (created and migrated
when missing; refused when it holds cases already, unless --fresh drops it first). `--into NAME` names the
database instead; only then may it be DATABASE_URL's own. PostgreSQL only: the rows are streamed with COPY.
Files go to MEDIA_ROOT (default: `refusal-cases-bench-media` in the system's temporary directory).

As a module, `generate(cases=..., regions=..., seed=...)` fills the current default database and returns a
`Generated`: the regions, their agencies and users (with API tokens), and the case ids of each region.

What is written, per region: a court, a police agency, a procuratorate and a discipline commission; one user of
each agency role as in the demo data (password `bench`, an API token each) and a pool of creditor accounts. Per
case, over the two years before now (ids follow the creation time): a path through the procedure drawn as
`simulate_year` draws it (5% of cases found by the procuratorate, 3% started by the creditor, a few drafts and
cancelled drafts), with realistic days between steps; creditors hold an account for 30% of the cases and for
every case that reaches a private prosecution. For each case:

* the events of `case_create`, `evidence_add` and each transition, with the actor, agency and payload the
  services record, chained by SHA-256 with `CaseEvent.compute_hash` itself, so `manage.py verify_audit` passes;
* the evidence a transfer (Art. 4) or private prosecution (Art. 13) requires, added before it;
* the deadlines each transition's row of procedure/transitions.py opens, closes, cancels and extends, due dates
  counted by CPL Art. 105 against the holiday table: met, met late (overdue), cancelled, still open, or open
  and past due (overdue, as the sweep marks them);
* the letters each transition's row issues, numbered per issuing agency, kind and year with
  no gap, the `DocumentCounter` and `Sequence` counters left at the last number; each row's text (`context`)
  is what the issuing service fixes; and a performance (payment) after about half of the transfers.

Honest shortcuts: the evidence rows of one category share one small real PDF file (its true SHA-256 and size).
With `--pdfs shared` (the default) every document of a kind shares one real rendering, that of the first
document of the kind, stored once with its SHA-256: `/api/documents/{id}/pdf/` serves it and its hash check
passes, but the letter shown is that first document's. With `--pdfs lazy` no document is rendered: each is
rendered from its own text when first asked for (and the catch-up task renders 200 every five minutes).
Numbers follow the order in which cases were created, so they rise with the issue dates only roughly.
No notifications, warnings or sub-procedure records are written.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refusal_cases.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "refusal-cases-bench-media"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from agencies.models import Agency, User  # noqa: E402
from agencies.roles import ROLE_AGENCY_KIND, AgencyKind, Role  # noqa: E402
from agencies.tokens import issue  # noqa: E402
from documents.content import agency_data, render_context  # noqa: E402
from documents.models import VERIFICATION_ALPHABET, Document, DocumentCounter  # noqa: E402
from documents.render import render_document_pdf  # noqa: E402
from documents.verification import verify_url  # noqa: E402
from procedure.calendar import UnknownYear, compute_due_date  # noqa: E402
from procedure.deadlines import period_for  # noqa: E402
from procedure.identifiers import identity_check_character, uscc_check_character  # noqa: E402
from procedure.letters import ADDRESSEE, DEADLINE_OF_KIND, EVIDENCE_KINDS, NUMBER_CODES  # noqa: E402
from procedure.states import PRIVATE_REQUIRED_CATEGORIES, TRANSFER_CATEGORIES, DeadlineStatus, Origin  # noqa: E402
from procedure.transitions import TRANSITIONS  # noqa: E402
from workflow.cases import letters as doc_context  # noqa: E402
from workflow.cases.figures import rebuild_figures  # noqa: E402
from workflow.deadlines import services as wd  # noqa: E402
from workflow.deadlines.tally import compact_deadline_tally  # noqa: E402
from workflow.management.commands.simulate_year import (  # noqa: E402
    GIVEN,
    SURNAMES,
    TRADES,
    _private_filing,
    public_path,
)
from workflow.management.demo import MATERIAL_TITLES, _pdf  # noqa: E402
from workflow.models import Case, CaseEvent, Deadline, Evidence, Sequence  # noqa: E402
from workflow.models.records import Performance  # noqa: E402

ZONE = ZoneInfo(settings.TIME_ZONE)
SPAN_DAYS = 730  # cases are created over the two years before now
CREDITOR_ACCOUNT_SHARE = 0.3  # cases whose creditor holds an account (all private prosecutions do)
CREDITORS_PER_REGION = 40
PERFORMED = 244 / 520  # the published share of transfers followed by performance (procedure.md §6)
PASSWORD = "bench"  # noqa: S105 - benchmark accounts only

# Days from the previous step (lower, upper bound).
STEP_DAYS = {
    "submit_transfer": (0, 30), "cancel": (1, 30), "accept": (0, 3), "extend_review": (1, 6),
    "file_case": (1, 12), "decline_filing": (1, 12), "withdraw_case": (10, 90), "transfer_for_prosecution": (20, 120),
    "return_for_supplementary_investigation": (10, 35), "resubmit_for_prosecution": (10, 35), "indict": (5, 40),
    "decline_prosecution": (5, 40), "render_judgment": (20, 75), "request_supervision": (3, 30),
    "request_explanation": (1, 10), "submit_explanation": (2, 10), "order_filing": (3, 20),
    "accept_explanation": (3, 20), "decline_supervision": (3, 20), "advise_private_prosecution": (1, 20),
    "file_private_prosecution": (5, 40), "accept_private_prosecution": (3, 20), "reject_private_prosecution": (3, 20),
    "reconcile": (20, 150), "withdraw_private_prosecution": (20, 150),
}
AGENCY_NAMES = {AgencyKind.COURT: ("人民法院", "法"), AgencyKind.POLICE: ("公安分局", "公"),
                AgencyKind.PROCURATORATE: ("人民检察院", "检"), AgencyKind.DISCIPLINE: ("纪律检查委员会监察委员会", "纪")}
DISTRICT_NAMES = "东西南北中新江河山湖城港林川安平和兴华阳"
AGENCY_ROLES = [role for role, kind in ROLE_AGENCY_KIND.items() if kind]


def region_codes(regions: int) -> list[str]:
    """Six-digit codes of a fictitious prefecture-level series (45 91 01 ... ), clear of real and demo codes."""
    return [f"45{91 + i // 50:02d}{1 + i % 50:02d}" for i in range(regions)]


@dataclass
class Generated:
    """What a benchmark needs of the generated data."""

    regions: list[str]
    agencies: dict[str, dict[str, Agency]]  # region code -> agency kind -> agency
    users: dict[str, dict[str, User]]  # region code -> role -> user (creditors: the first of the pool)
    creditors: dict[str, list[User]]  # region code -> creditor accounts
    tokens: dict[str, str]  # username -> API token
    case_ids: dict[str, list[int]]  # region code -> ids of the region's cases (executing court's region)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def token(self, user: User) -> str:
        return self.tokens[user.username]


# ---------------------------------------------------------------------------------------------------------------
# Agencies and users


def _agencies_and_users(codes: list[str]):
    agencies = []
    for index, code in enumerate(codes):
        district = f"基准市{DISTRICT_NAMES[index % len(DISTRICT_NAMES)]}{index // len(DISTRICT_NAMES) or ''}区"
        for kind, (suffix, short) in AGENCY_NAMES.items():
            agencies.append(Agency(kind=kind, name=f"{district}{suffix}", region_code=code, region_name=district,
                                   abbreviation=f"基{code[-4:]}{short}"))
    Agency.objects.bulk_create(agencies)
    by_region: dict[str, dict[str, Agency]] = {}
    for agency in agencies:
        by_region.setdefault(agency.region_code, {})[agency.kind] = agency
    password = make_password(PASSWORD)  # one hash for every account: hashing hundreds would take minutes
    users = []
    for code in codes:
        for role in AGENCY_ROLES:
            agency = by_region[code][ROLE_AGENCY_KIND[role]]
            users.append(User(username=f"{role}_{code}", role=role, agency=agency, password=password,
                              full_name=f"{code}{Role(role).label}"))
        for n in range(CREDITORS_PER_REGION):
            users.append(User(username=f"creditor_{code}_{n:03d}", role=Role.CREDITOR, password=password,
                              full_name=f"基准债权人{code}-{n:03d}"))
    User.objects.bulk_create(users)
    return by_region


def describe(codes: list[str] | None = None) -> Generated:
    """The Generated of data already in the database (found by the generated usernames)."""
    users = list(User.objects.filter(username__regex=r"^[a-z_]+_45\d{4}(_\d{3})?$").select_related("agency"))
    by_role: dict[str, dict[str, User]] = {}
    creditors: dict[str, list[User]] = {}
    for user in users:
        code = user.agency.region_code if user.agency_id else user.username.split("_")[1]
        if user.role == Role.CREDITOR:
            creditors.setdefault(code, []).append(user)
        else:
            by_role.setdefault(code, {})[user.role] = user
    codes = codes or sorted(by_role)
    agencies = {code: {u.agency.kind: u.agency for u in by_role[code].values()} for code in codes}
    for code in codes:
        creditors[code].sort(key=lambda u: u.username)
        by_role[code][Role.CREDITOR] = creditors[code][0]
    # A new API token for each user a benchmark acts as (only their hashes are stored, so old ones cannot be read).
    tokens = {user.username: issue(user, "bench")[1] for code in codes for user in by_role[code].values()}
    case_ids: dict[str, list[int]] = {code: [] for code in codes}
    for pk, code in Case.objects.filter(executing_court__region_code__in=codes).order_by("pk").values_list(
            "pk", "executing_court__region_code"):
        case_ids[code].append(pk)
    counts = {m._meta.db_table: m.objects.count() for m in (Case, CaseEvent, Evidence, Deadline, Document)}
    return Generated(regions=codes, agencies=agencies, users=by_role, creditors=creditors, tokens=tokens,
                     case_ids=case_ids, counts=counts)


# ---------------------------------------------------------------------------------------------------------------
# Rows


class Table:
    """A model's table as COPY columns, with the model's plain defaults for the fields a row does not give."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.defaults = {}
        for f in self.fields:
            default = f.get_default() if f.has_default() and not callable(f.default) else None
            if default is None and not f.null and f.get_internal_type() in ("CharField", "TextField", "FileField"):
                default = ""
            self.defaults[f.attname] = default
        self.rows: list[tuple] = []
        self.next_id = 0

    def start_ids(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.model._meta.db_table}")  # noqa: S608
            self.next_id = cursor.fetchone()[0] + 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, **values) -> None:
        row = {**self.defaults, **values}
        for name in self.json:
            row[name] = Jsonb(row[name])
        self.rows.append(tuple(row[name] for name in self.attnames))

    def flush(self, cursor) -> int:
        if not self.rows:
            return 0
        table = self.model._meta.db_table
        with cursor.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row)
        written, self.rows = len(self.rows), []
        return written

    def set_sequence(self, cursor) -> None:
        table = self.model._meta.db_table
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                       f"GREATEST((SELECT MAX(id) FROM {table}), 1))")


def _valid_code(code: str) -> str:
    """The 18 characters with the check character of GB 32100-2015 in place of the last."""
    return code[:17] + uscc_check_character(code[:17])


def _local_day(at: datetime) -> date:
    return at.astimezone(ZONE).date()


def _day_after(day: date) -> datetime:
    """When the sweep (every 15 minutes) marks a deadline overdue: shortly after the due day ends."""
    return datetime.combine(day + timedelta(days=1), dtime(0, 15), tzinfo=ZONE).astimezone(UTC)


class _CaseView:
    """What procedure.periods.period_for reads of a case."""

    def __init__(self, state: str, custody: bool = False):
        self.state, self.custody = state, custody


class Generator:
    def __init__(self, *, rng: random.Random, by_region: dict, users: dict, creditors: dict, now: datetime,
                 pdfs: str):
        self.rng, self.by_region, self.users, self.creditors, self.now, self.pdfs = (
            rng, by_region, users, creditors, now, pdfs)
        self.today = _local_day(now)
        self.tables = {m: Table(m) for m in (Case, CaseEvent, Evidence, Deadline, Document, Performance)}
        for table in self.tables.values():
            table.start_ids()
        self.sequences: dict[str, int] = {}
        self.schedule = wd.schedule()
        self.evidence_files = self._evidence_files()
        self.rendered: dict[str, tuple[str, str, int]] = {}  # document kind -> (file, sha256, size)
        self.case_ids: dict[str, list[int]] = {code: [] for code in by_region}
        self.verify_url = verify_url("CODE").replace("CODE", "{}")  # one URL reversal, not one per document

    # -- shared files

    def _evidence_files(self) -> dict[str, tuple[str, str, int]]:
        files = {}
        for category, title in MATERIAL_TITLES.items():
            content = _pdf(["Benchmark material", f"Category: {category}"])
            name = default_storage.save(f"evidence/bench/{category}.pdf", ContentFile(content))
            files[category] = (name, hashlib.sha256(content).hexdigest(), len(content), title)
        return files

    def _rendering(self, kind: str, text: dict, language: str) -> tuple[str, str, int]:
        if kind not in self.rendered:
            pdf = render_document_pdf(kind, render_context(text), language=language)
            name = default_storage.save(f"documents/bench/{kind}.pdf", ContentFile(pdf))
            self.rendered[kind] = (name, hashlib.sha256(pdf).hexdigest(), len(pdf))
        return self.rendered[kind]

    # -- pieces

    def next_number(self, scope: str) -> int:
        self.sequences[scope] = self.sequences.get(scope, 0) + 1
        return self.sequences[scope]

    @functools.cache  # noqa: B019 - one generator per run; a few thousand distinct keys
    def due(self, start: date, days: int | None, months: int | None, basis: str) -> tuple:
        try:
            due = compute_due_date(start, days=days, months=months, schedule=self.schedule, basis=basis)
        except UnknownYear:
            scratch = Deadline(custody=False)
            wd._fill_due(scratch, start=start, days=days, months=months, basis=basis)
            return scratch.due_date, True, scratch.explanation, scratch.explanation_en
        return due.due_date, False, due.explain("zh-hans"), due.explain("en")

    def _person(self) -> dict:
        rng = self.rng
        number = f"4501{rng.randrange(2, 30):02d}{rng.randrange(1955, 2000)}{rng.randrange(1, 13):02d}" \
                 f"{rng.randrange(1, 29):02d}{rng.randrange(1000, 9999)}"
        number = number[:17] + identity_check_character(number[:17])  # valid by GB 11643-1999
        return {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "kind": "person", "id_number": number,
                "address": f"基准市某路{rng.randrange(1, 300)}号"}

    def _entity(self) -> dict:
        rng = self.rng
        return {"name": f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司", "kind": "entity",
                "id_number": _valid_code(f"91450100MA{rng.randrange(10**7, 10**8)}"), "address": f"基准市某大道{rng.randrange(1, 300)}号"}

    def _path(self) -> tuple[str, list]:
        rng = self.rng
        r = rng.random()
        if r < 0.03:
            return Origin.CREDITOR, _private_filing(rng)
        origin = Origin.PROCURATORATE if r < 0.08 else Origin.COURT
        r = rng.random()
        if r < 0.03:
            return origin, [("cancel", "transferring", {"reason": "被执行人收到警告后已履行"})]
        if r < 0.05:
            return origin, []
        return origin, public_path(rng, origin)

    # -- one case

    def case(self, code: str, created: datetime) -> None:
        rng, T = self.rng, self.tables
        agencies, users = self.by_region[code], self.users[code]
        origin, path = self._path()
        needs_creditor = origin == Origin.CREDITOR or any(who == "creditor" for _n, who, _d in path)
        creditor = rng.choice(self.creditors[code]) if needs_creditor or rng.random() < CREDITOR_ACCOUNT_SHARE else None
        transferring = {Origin.COURT: users[Role.ENFORCEMENT_JUDGE], Origin.PROCURATORATE: users[Role.PROCURATOR],
                        Origin.CREDITOR: creditor}[origin]
        applicant = self._entity() if rng.random() < 0.6 else self._person()
        if creditor is not None:
            applicant["name"] = creditor.full_name
        applicant["phone"] = f"138{rng.randrange(10**7, 10**8)}"
        debtor = self._person() if rng.random() < 0.5 else self._entity()
        year = _local_day(created).year
        seq = self.next_number(f"case:{code}:{year}")
        case_id = T[Case].new_id()
        case = Case(
            id=case_id, number=f"RE{year}-{code}-{seq:04d}", origin=origin,
            executing_court=agencies[AgencyKind.COURT],
            police_agency=None if origin == Origin.CREDITOR else agencies[AgencyKind.POLICE],
            procuratorate=None if origin == Origin.CREDITOR else agencies[AgencyKind.PROCURATORATE],
            trial_court=None, created_by=transferring, applicant_user=creditor,
            applicant_name=applicant["name"], applicant_kind=applicant["kind"],
            applicant_id_number=applicant["id_number"], applicant_phone=applicant["phone"],
            applicant_address=applicant["address"], debtor_name=debtor["name"], debtor_kind=debtor["kind"],
            debtor_id_number=debtor["id_number"], debtor_address=debtor["address"],
            enforcement_case_number=f"（{year}）桂{code[2:]}执{rng.randrange(100, 9999)}号",
            amount_owed=Decimal(rng.randrange(20_000, 3_000_000)),
            summary="被执行人有能力履行而拒不履行生效判决确定的给付义务，转移、隐匿财产。",
        )
        case.basis_document = case.enforcement_case_number.replace("执", "民初").replace("号", "号民事判决书")
        events: list[dict] = []
        evidence: list[dict] = []
        open_deadlines: dict[str, dict] = {}
        related: dict = {}
        state = "draft"  # the FSM field is protected: the state is kept here

        def event(actor, transition, from_state, to_state, payload, at) -> dict:
            last = events[-1] if events else None
            row = {"id": T[CaseEvent].new_id(), "case_id": case_id, "seq": len(events) + 1,
                   "actor_id": actor.pk if actor else None,
                   "agency_id": actor.agency_id if actor else None, "transition": transition,
                   "from_state": from_state, "to_state": to_state, "payload": payload, "at": at,
                   "prev_hash": last["hash"] if last else ""}
            unsaved = CaseEvent.__new__(CaseEvent)  # the model's own hash, without the cost of Model.__init__
            unsaved.__dict__.update(row)
            row["hash"] = unsaved.compute_hash()
            events.append(row)
            return row

        def add_evidence(actor, category, at) -> None:
            name, digest, size, title = self.evidence_files[category]
            pk = T[Evidence].new_id()
            evidence.append({"id": pk, "case_id": case_id, "category": category, "title": title, "file": name,
                             "original_name": f"{title}.pdf", "content_type": "application/pdf", "size": size,
                             "sha256": digest, "added_by_id": actor.pk, "added_at": at,
                             "shared_with_creditor": False})
            event(actor, "add_evidence", state, state,
                  {"evidence": pk, "category": category, "title": title, "sha256": digest}, at)

        at = created
        event(transferring, "create", "", "draft", {"origin": origin, "cross_region": False,
                                                   "amount_owed": str(case.amount_owed), "jurisdiction_reason": ""}, at)
        for name, who, data in path:
            low, high = STEP_DAYS[name]
            at = at + timedelta(days=rng.uniform(low, high), seconds=rng.uniform(0, 36_000))
            if at >= self.now:
                break
            actor = transferring if who == "transferring" else creditor if who == "creditor" else users[who]
            if name == "submit_transfer":
                for minutes, category in enumerate(TRANSFER_CATEGORIES):
                    add_evidence(actor, category, at - timedelta(minutes=30 - minutes))
            if name == "file_private_prosecution":
                present = {e["category"] for e in evidence}
                for minutes, category in enumerate(PRIVATE_REQUIRED_CATEGORIES):
                    if category not in present:
                        add_evidence(actor, category, at - timedelta(minutes=30 - minutes))
            data = dict(data)
            if data.get("trial_court") == "COURT":
                data["trial_court"] = agencies[AgencyKind.COURT].pk
            from_state, state = state, TRANSITIONS[name].target
            if name == "extend_review":
                case.review_extended = True
            elif name == "return_for_supplementary_investigation":
                case.supplementary_rounds += 1
            elif name in ("indict", "accept_private_prosecution"):
                case.trial_court = agencies[AgencyKind.COURT]
            elif name == "render_judgment":
                case.outcome, case.sentence = data["outcome"], data["sentence"]
            elif name == "reconcile":
                case.reconciliation_terms = data["terms"]
            case.state_changed_at = at
            payload = {k: v for k, v in data.items() if v not in (None, "", [])}
            ev = event(actor, name, from_state, state, payload, at)
            opened = self._deadlines(case, state, name, at, open_deadlines)
            issuer = actor
            if actor.agency_id is None and TRANSITIONS[name].letters:  # a creditor's settlement or withdrawal:
                # the court's ruling approves it and is the court's letter
                issuer = next(users[a.role] for a in TRANSITIONS[name].approvers if from_state in a.states)
            for kind in TRANSITIONS[name].letters:
                self._document(case, kind, issuer, ev, from_state, data, at, opened, evidence, related)
        for row in open_deadlines.values():  # still open: past due means the sweep marked it overdue
            if row["due_date"] < self.today:
                row["status"], row["overdue_at"] = DeadlineStatus.OVERDUE, _day_after(row["due_date"])
        transferred = len(events) > 1 and any(e["transition"] == "submit_transfer" for e in events)
        if transferred and rng.random() < PERFORMED:
            when = at + timedelta(days=rng.uniform(0, 20))
            if when < self.now:
                judge = users[Role.ENFORCEMENT_JUDGE]
                paid = (case.amount_owed * Decimal(rng.choice(["1", "1", "0.5", "0.3"]))).quantize(Decimal("0.01"))
                extent = "full" if paid == case.amount_owed else "partial"
                pk = T[Performance].new_id()
                T[Performance].add(id=pk, case_id=case_id, kind="payment", amount=paid, performed_on=_local_day(when),
                                   extent=extent, after_warning=False, case_state=state,
                                   recorded_by_id=judge.pk, agency_id=judge.agency_id, created_at=when)
                event(judge, "performance", state, state,
                      {"performance": pk, "kind": "payment", "amount": str(paid), "extent": extent,
                       "amount_recovered": str(paid), "after_warning": False}, when)
                case.amount_recovered = paid
        row = {f.attname: getattr(case, f.attname) for f in T[Case].fields}
        row.update(state=state, created_at=created, updated_at=events[-1]["at"],
                   state_changed_at=case.state_changed_at if len(events) > 1 else created,
                   event_count=len(events), chain_head=events[-1]["hash"])
        T[Case].add(**row)
        for row in events:
            T[CaseEvent].add(**row)
        for row in evidence:
            T[Evidence].add(**row)
        self.case_ids[code].append(case_id)

    def _deadlines(self, case: Case, state: str, name: str, at: datetime, open_deadlines: dict) -> dict[str, dict]:
        """Apply workflow.deadlines' tables for transition `name` at `at`; returns the deadlines it opened."""
        day = _local_day(at)
        for kind in TRANSITIONS[name].closes:
            row = open_deadlines.pop(kind, None)
            if row is not None:
                row["met_at"] = at
                if row["status"] == DeadlineStatus.OPEN and day > row["due_date"]:
                    row["status"], row["overdue_at"] = DeadlineStatus.OVERDUE, _day_after(row["due_date"])
                elif row["status"] == DeadlineStatus.OPEN:
                    row["status"] = DeadlineStatus.MET
        for kind in TRANSITIONS[name].cancels:
            row = open_deadlines.pop(kind, None)
            if row is not None:
                if row["due_date"] < day:
                    row["status"], row["overdue_at"] = DeadlineStatus.OVERDUE, _day_after(row["due_date"])
                else:
                    row["status"] = DeadlineStatus.CANCELLED
        for extension in TRANSITIONS[name].extends:
            row = open_deadlines.get(extension.kind)
            if row is None:
                continue
            period = extension.period
            due, provisional, text, text_en = self.due(row["start_date"], period.days, period.months, period.basis)
            row.update(due_date=due, provisional=provisional, explanation=text, explanation_en=text_en,
                       legal_basis=period.basis, period_days=period.days, period_months=period.months)
        opened = {}
        for kind in TRANSITIONS[name].opens:
            period = period_for(_CaseView(state), kind)
            due, provisional, text, text_en = self.due(day, period.days, period.months, period.basis)
            row = {"id": self.tables[Deadline].new_id(), "case_id": case.pk, "kind": kind,
                   "legal_basis": period.basis, "owed_by_id": getattr(case, f"{period.owed_by}_id"),
                   "start_date": day, "due_date": due, "custody": False, "status": DeadlineStatus.OPEN,
                   "met_at": None, "explanation": text, "explanation_en": text_en, "provisional": provisional,
                   "period_days": period.days, "period_months": period.months, "created_at": at,
                   "overdue_at": None}
            open_deadlines[kind] = opened[kind] = row
            self._pending_deadlines.append(row)
        return opened

    def _document(self, case, kind, actor, ev, from_state, data, at, opened, evidence, related) -> None:
        issuer = actor.agency
        year = _local_day(at).year
        sequence = self.next_number(f"doc:{issuer.pk}:{kind}:{year}")
        number = f"{issuer.abbreviation or issuer.name[:2]}{NUMBER_CODES[kind]}〔{year}〕{sequence}号"
        code = "".join(self.rng.choices(VERIFICATION_ALPHABET, k=20))
        code = "-".join(code[i:i + 5] for i in range(0, 20, 5))
        addressee = doc_context.addressee_agency_for(case, kind, from_state=from_state)
        for_creditor = ADDRESSEE.get(kind) == "creditor"
        if for_creditor:
            addressee_data = {"name": case.applicant_name, "kind": "creditor"}
        elif kind == "registration_form" and addressee is None:
            addressee_data = agency_data(doc_context.transferring_agency(case))
        else:
            addressee_data = agency_data(addressee)
        deadline = opened.get(DEADLINE_OF_KIND.get(kind))
        text = {
            "kind": kind, "number": number, "version": 1, "issued_at": _local_day(at).isoformat(),
            "verification_code": code, "verify_url": self.verify_url.format(code), "issuer": agency_data(issuer),
            "addressee": addressee_data,
            "cc": [agency_data(a) for a in doc_context.copies_to(case, kind, addressee)],
            "transition": {"name": ev["transition"], "from_state": from_state},
            "related": dict(related),
            "case": doc_context._case_data(case, for_creditor=for_creditor),
            "payload": {k: str(data[k]) for k in doc_context.PAYLOAD_FIELDS if data.get(k) not in (None, "")},
            "deadline": None if deadline is None else {
                "kind": deadline["kind"], "start_date": deadline["start_date"].isoformat(),
                "due_date": deadline["due_date"].isoformat(), "legal_basis": deadline["legal_basis"],
                "explanation": deadline["explanation"], "explanation_en": deadline["explanation_en"],
                "provisional": deadline["provisional"]},
            "evidence": [{"category": e["category"], "title": e["title"], "sha256": e["sha256"],
                          "added_at": e["added_at"].isoformat()} for e in evidence] if kind in EVIDENCE_KINDS else [],
            "record": None,
        }
        related[kind] = {"number": number}
        if kind in ("non_filing_notice", "withdrawal_notice"):
            related["police_decision"] = {"kind": kind, "number": number}
        stored = {}
        if self.pdfs == "shared":
            name, digest, size = self._rendering(kind, text, "zh-hans")
            stored = {"file": name, "sha256": digest, "size": size, "rendered_at": at + timedelta(seconds=3)}
        self.tables[Document].add(
            id=self.tables[Document].new_id(), case_id=case.pk, kind=kind, number=number, sequence=sequence,
            year=year, version=1, supersedes_id=None, issued_by_id=issuer.pk,
            addressee_agency_id=addressee.pk if addressee else None, addressed_to_creditor=for_creditor,
            event_id=ev["id"], issued_at=at, issued_by_user_id=actor.pk, language="zh-hans", context=text,
            verification_code=code, **stored)

    # -- the run

    def run(self, cases: int, *, chunk: int = 2000, progress=None) -> dict[str, int]:
        rng = self.rng
        codes = list(self.by_region)
        start = self.now - timedelta(days=SPAN_DAYS)
        # Creation times in order, so that ids and case numbers rise with time as in real use.
        created = sorted(start + timedelta(seconds=rng.uniform(0, SPAN_DAYS * 86_400)) for _ in range(cases))
        written = {t.model._meta.db_table: 0 for t in self.tables.values()}
        for first in range(0, cases, chunk):
            self._pending_deadlines = []
            for at in created[first:first + chunk]:
                self.case(rng.choice(codes), at)
            for row in self._pending_deadlines:
                self.tables[Deadline].add(**row)
            with transaction.atomic(), connection.cursor() as cursor:
                for table in self.tables.values():  # in this order: the foreign keys point backwards
                    written[table.model._meta.db_table] += table.flush(cursor.cursor)
            if progress:
                progress(min(first + chunk, cases), cases)
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables.values():
                table.set_sequence(cursor)
            for scope, value in self.sequences.items():
                if scope.startswith("doc:"):
                    _, issuer, kind, year = scope.split(":")
                    cursor.execute(
                        f"INSERT INTO {DocumentCounter._meta.db_table} (issuer_id, kind, year, value) "  # noqa: S608
                        "VALUES (%s, %s, %s, %s) ON CONFLICT (issuer_id, kind, year) DO UPDATE SET value = "
                        f"GREATEST(EXCLUDED.value, {DocumentCounter._meta.db_table}.value)",
                        [int(issuer), kind, int(year), value])
                    continue
                cursor.execute(
                    f"INSERT INTO {Sequence._meta.db_table} (scope, value) VALUES (%s, %s) "  # noqa: S608
                    "ON CONFLICT (scope) DO UPDATE SET value = GREATEST(EXCLUDED.value, "
                    f"{Sequence._meta.db_table}.value)", [scope, value])
        return written


def generate(cases: int = 100_000, regions: int = 20, seed: int = 2025, *, pdfs: str = "shared",
             now: datetime | None = None, progress=None) -> Generated:
    """Fill the current default database (PostgreSQL) with `cases` cases in `regions` new regions."""
    if connection.vendor != "postgresql":
        raise RuntimeError("bench/generate.py writes with PostgreSQL's COPY; set DATABASE_URL to a PostgreSQL database")
    if pdfs not in ("shared", "lazy"):
        raise ValueError("pdfs is 'shared' or 'lazy'")
    started = time.perf_counter()
    rng = random.Random(seed)
    codes = region_codes(regions)
    with transaction.atomic():
        by_region = _agencies_and_users(codes)
    generated = describe(codes)
    generator = Generator(rng=rng, by_region=by_region, users=generated.users, creditors=generated.creditors,
                          now=now or datetime.now(tz=UTC), pdfs=pdfs)
    generated.counts = generator.run(cases, progress=progress)
    generated.case_ids = generator.case_ids
    # The rows went in without the services: the cases' statistics rows are built from their events, as
    # `manage.py rebuild_stats` does.
    rebuild_figures([pk for ids in generator.case_ids.values() for pk in ids])
    # The deadline list's tally, appended to by every COPY, folded as beat folds it every few minutes.
    compact_deadline_tally()
    with connection.cursor() as cursor:
        # As autovacuum leaves a table at rest: statistics, and the visibility map that lets counts skip rows.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    generated.seconds = time.perf_counter() - started
    return generated


# ---------------------------------------------------------------------------------------------------------------
# The command


def admin_connection():
    """A connection to the server's maintenance database, to create and drop benchmark databases."""
    import psycopg  # noqa: PLC0415

    s = connection.settings_dict
    return psycopg.connect(dbname="postgres", host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                           password=s["PASSWORD"] or None, autocommit=True)


def use_database(name: str, *, fresh: bool = False) -> bool:
    """Point the default connection at database `name`, creating (and migrating) it when missing or `fresh`.
    Returns True when the database was created now."""
    from django.core.management import call_command  # noqa: PLC0415

    connections.close_all()
    with admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    return not exists


def database_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--into", help="the database to write into (created when missing); default "
                                       "<DATABASE_URL's name>_bench_<cases>")
    parser.add_argument("--fresh", action="store_true", help="drop the database first if it exists")
    parser.add_argument("--pdfs", choices=["shared", "lazy"], default="shared")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("set DATABASE_URL to a PostgreSQL server")
    name = args.into or f"{connection.settings_dict['NAME']}_bench_{args.cases}"
    use_database(name, fresh=args.fresh)
    if Case.objects.exists():
        parser.error(f"database {name} holds cases already; --fresh drops it first")
    print(f"Generating {args.cases:,} cases in {args.regions} regions into {name} (files in {settings.MEDIA_ROOT})",
          flush=True)
    generated = generate(args.cases, args.regions, args.seed, pdfs=args.pdfs,
                         progress=lambda done, total: print(f"  {done:>9,} / {total:,} cases", flush=True))
    counts = ", ".join(f"{table.split('_', 1)[1]} {n:,}" for table, n in generated.counts.items())
    print(f"Done in {generated.seconds:.0f} s: {counts}; database {database_size() / 2**20:,.0f} MiB")
    sample = generated.users[generated.regions[0]]
    print(f"Users: <role>_<region>, e.g. {sample[Role.POLICE_CLERK].username}, password {PASSWORD!r}; "
          f"token of {sample[Role.POLICE_CLERK].username}: {generated.token(sample[Role.POLICE_CLERK])}")


if __name__ == "__main__":
    main()
