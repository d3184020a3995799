"""`manage.py simulate_year --seed N --region 450102 [--cases 520] [--year 2025]`: a year of cases of one region,
made by the real services, then its statistics beside the figures one province published.

Every case is created with workflow.services.case_create, its materials added with evidence_add, moved only by
workflow.transitions.fire, warned and paid with the sub-procedure services: no state, event, deadline or amount is
ever written directly, so the cases carry the same events, deadlines, documents and notifications as real ones.

What the simulation cannot do is make time pass: every event is stamped with the real time at which it was
made, so the stage durations of a simulated year are compressed to seconds (the "days per stage" it reports are
near zero, and no deadline is overdue). Only the dates that the services take as input, the day of a warning and
of a performance, are spread over `--year` (up to today). The counts and amounts are the point.

Rates are drawn with random.Random(seed), so a seed always gives the same year. They are calibrated on the published
figures of one province for January to November 2025 (procedure.md §6; 2025-12-18 press conference): 520 cases
transferred to the police, 244 of them then performed voluntarily, 89.0842 million yuan recovered. `--cases` is the
number of transfers; the cases that perform after transfer are drawn as the published share of them, and the amounts
they pay are scaled so that the total recovered per transfer is the published one.
"""

import logging
import random
import time
from datetime import date, timedelta
from decimal import ROUND_UP, Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from agencies.demo import REGIONS as DEMO_REGIONS
from agencies.demo import seed_agencies_and_users
from agencies.models import Agency, User
from agencies.roles import ROLE_AGENCY_KIND, AgencyKind, Role
from documents.services import rendering_deferred
from procedure.identifiers import identity_check_character, uscc_check_character
from procedure.states import PRIVATE_REQUIRED_CATEGORIES, TRANSFER_CATEGORIES
from workflow.cases import approvals, services, transitions
from workflow.cases.proposals import approvers_of
from workflow.models import Approval, Case
from workflow.records import services as record_services
from workflow.supervision import stats

# The published figures (procedure.md §6): one province, January to November 2025.
PUBLISHED_TRANSFERS = 520
PUBLISHED_PERFORMED_AFTER_TRANSFER = 244
PUBLISHED_RECOVERED = Decimal("89084200.00")  # 8908.42万元

# Rates of the simulated procedure (shares of the cases reaching the step). Not published: plausible values.
PROCURATORATE_ORIGIN = 0.05  # transfers found by the procuratorate in execution supervision (Art. 8 ¶3)
WARNED_BEFORE_TRANSFER = 0.6  # the court warns the debtor before transferring
NOT_YET_ACCEPTED = 0.02
REVIEW_EXTENDED = 0.08
STILL_IN_REVIEW = 0.06
DECLINED = 0.2
SUPERVISION_REQUESTED = 0.5  # of the declined
EXPLANATION_REQUESTED = 0.85  # of the supervision requests
FILING_ORDERED = 0.35  # of the explanations reviewed
PRIVATE_ADVISED = 0.35  # of the public routes that ended without prosecution
PRIVATE_FILED = 0.7
PRIVATE_ACCEPTED = 0.85
WITHDRAWN = 0.1  # of the filed
STILL_INVESTIGATING = 0.2
SUPPLEMENTARY = 0.15
INDICTED = 0.85  # of the prosecution reviews decided
STILL_IN_PROSECUTION_REVIEW = 0.08
STILL_ON_TRIAL = 0.2
OUTCOMES = (("convicted", 0.8), ("exempted", 0.17), ("acquitted", 0.03))
PRIVATE_ENDINGS = (("reconcile", 0.45), ("render_judgment", 0.35), ("withdraw_private_prosecution", 0.1), ("", 0.1))
PERFORMED_WITH_WARNING = 0.85  # of the performances after transfer, those preceded by a warning
PAID_IN_FULL = 0.55
INSTALMENTS = 0.15  # performances made in two payments
# Cases that never reach the police, per transfer: a draft dropped because the debtor paid after a warning, and a
# creditor's own private prosecution (Art. 11).
CANCELLED_AFTER_WARNING = 0.08
CREDITOR_PRIVATE = 0.03

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋韦覃蒙农陆莫卢廖"
GIVEN = ["建华", "丽娟", "海涛", "国强", "文静", "振宇", "春梅", "志刚", "晓燕", "明", "敏", "勇", "秀英", "立新", "伟"]
TRADES = ["建材", "物流", "商贸", "房地产开发", "餐饮管理", "机械设备", "农业科技", "装饰工程"]
PROVINCE_ABBREVIATIONS = {"45": "桂"}
TRANSFERRING = "transferring"  # the enforcement judge, or the procurator for a case of procuratorate origin


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _pick(rng: random.Random, weighted) -> str:
    r, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if r < total:
            return value
    return weighted[-1][0]


def public_path(rng: random.Random, origin: str = "court") -> list[tuple[str, str, dict]]:
    """The transitions a transferred case goes through, drawn step by step: (name, who, data)."""
    path = [("submit_transfer", TRANSFERRING, {})]
    if _chance(rng, NOT_YET_ACCEPTED):
        return path
    path.append(("accept", "police_clerk", {}))
    if _chance(rng, REVIEW_EXTENDED):
        path.append(("extend_review", "police_head", {"reason": "案情重大复杂，需进一步核查财产线索"}))
    r = rng.random()
    if r < STILL_IN_REVIEW:
        return path
    if r < STILL_IN_REVIEW + DECLINED:
        path.append(("decline_filing", "police_investigator", {"reason": "现有证据不足以证明被执行人有能力履行"}))
        return path + _after_non_filing(rng, origin)
    path.append(("file_case", "police_investigator", {}))
    return path + _investigation(rng, origin)


def _after_non_filing(rng: random.Random, origin: str) -> list:
    """Art. 7, 8: the court asks the procuratorate to supervise; a procuratorate supervises its own transfer
    directly by asking the police to explain."""
    if _chance(rng, SUPERVISION_REQUESTED):
        if origin == "procuratorate":
            steps = []
        else:
            steps = [("request_supervision", TRANSFERRING, {"reason": "被执行人转移财产，应当立案侦查"})]
        if not _chance(rng, EXPLANATION_REQUESTED):
            if origin == "procuratorate":
                return _private(rng)
            return [*steps, ("decline_supervision", "procurator", {"reason": "不立案理由成立"}), *_private(rng)]
        steps += [("request_explanation", "procurator", {}),
                  ("submit_explanation", "police_investigator", {"explanation": "经审查，被执行人确无履行能力"})]
        if _chance(rng, FILING_ORDERED):
            return [*steps, ("order_filing", "procurator_general", {"reason": "不立案理由不能成立"}),
                    ("file_case", "police_investigator", {}), *_investigation(rng, origin)]
        return [*steps, ("accept_explanation", "procurator", {"reason": "不立案理由成立"}), *_private(rng)]
    return _private(rng)


def _private(rng: random.Random) -> list:
    """Art. 12: after the public route failed, the creditor may be advised to prosecute privately."""
    if not _chance(rng, PRIVATE_ADVISED):
        return []
    steps = [("advise_private_prosecution", TRANSFERRING, {})]
    if not _chance(rng, PRIVATE_FILED):
        return steps
    return steps + _private_filing(rng)


def _private_filing(rng: random.Random) -> list:
    steps = [("file_private_prosecution", "creditor", {})]
    if not _chance(rng, PRIVATE_ACCEPTED):
        return [*steps, ("reject_private_prosecution", "filing_clerk", {"reason": "证据不足，不符合受理条件"})]
    steps.append(("accept_private_prosecution", "filing_clerk", {"trial_court": "COURT"}))
    ending = _pick(rng, PRIVATE_ENDINGS)
    if ending == "reconcile":
        steps.append(("reconcile", "creditor", {"terms": "被告人分期履行全部给付义务，自诉人撤回自诉"}))
    elif ending == "render_judgment":
        steps.append(_judgment(rng))
    elif ending:
        steps.append((ending, "creditor", {}))
    return steps


def _investigation(rng: random.Random, origin: str) -> list:
    if _chance(rng, WITHDRAWN):
        return [("withdraw_case", "police_investigator", {"reason": "犯罪情节显著轻微，被执行人已履行部分义务"}),
                *_after_non_filing(rng, origin)]
    if _chance(rng, STILL_INVESTIGATING):
        return []
    steps = [("transfer_for_prosecution", "police_investigator", {})]
    if _chance(rng, SUPPLEMENTARY):
        steps += [("return_for_supplementary_investigation", "procurator", {"reason": "部分事实不清，需补充证据"}),
                  ("resubmit_for_prosecution", "police_investigator", {})]
    r = rng.random()
    if r < STILL_IN_PROSECUTION_REVIEW:
        return steps
    if r < STILL_IN_PROSECUTION_REVIEW + (1 - STILL_IN_PROSECUTION_REVIEW) * INDICTED:
        steps.append(("indict", "procurator", {"trial_court": "COURT"}))
        if not _chance(rng, STILL_ON_TRIAL):
            steps.append(_judgment(rng))
        return steps
    return [*steps, ("decline_prosecution", "procurator", {"reason": "犯罪情节轻微，不需要判处刑罚"}), *_private(rng)]


def _judgment(rng: random.Random) -> tuple[str, str, dict]:
    outcome = _pick(rng, OUTCOMES)
    sentence = {"convicted": "以拒不执行判决、裁定罪判处有期徒刑一年", "exempted": "以拒不执行判决、裁定罪免予刑事处罚",
                "acquitted": "宣告无罪"}[outcome]
    return ("render_judgment", "trial_judge", {"outcome": outcome, "sentence": sentence})


def split_amounts(rng: random.Random, *, count: int, total: Decimal) -> list[Decimal]:
    """`count` amounts in yuan, skewed like real debts (log-normal), adding up to `total` exactly."""
    if count == 0:
        return []
    weights = [rng.lognormvariate(0, 1.1) for _ in range(count)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [max((Decimal(str(w)) * scale).quantize(Decimal("0.01")), Decimal("100.00")) for w in weights]
    largest = max(range(count), key=amounts.__getitem__)
    amounts[largest] += total - sum(amounts)
    return amounts


class Simulation:
    def __init__(self, *, rng: random.Random, region: str, year: int, users: dict[str, User], out):
        self.rng, self.region, self.year, self.users, self.out = rng, region, year, users, out
        self.today = timezone.localdate()
        self.first_day = date(year, 1, 1)
        self.last_day = min(date(year, 12, 31), self.today)
        self.case_ids: list[int] = []
        self.serial = 0

    # -- people and papers

    def _person(self) -> dict:
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        birth = date(1960, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 35))
        number = f"{self.region}{birth:%Y%m%d}{self.rng.randrange(0, 1000):03d}{self.rng.randrange(0, 10)}"
        number = number[:17] + identity_check_character(number[:17])  # a valid number (GB 11643-1999)
        return {"name": name, "kind": "person", "id_number": number, "address": f"{self.region} 某路{self.rng.randrange(1, 300)}号"}

    def _entity(self) -> dict:
        name = f"{self.rng.choice(SURNAMES)}{self.rng.choice(GIVEN)}{self.rng.choice(TRADES)}有限公司"
        code = f"9145{self.rng.randrange(0, 10**14):014d}"
        code = code[:17] + uscc_check_character(code[:17])  # a valid code (GB 32100-2015)
        return {"name": name, "kind": "entity", "id_number": code, "address": f"{self.region} 某大道{self.rng.randrange(1, 300)}号"}

    def _day(self) -> date:
        return self.first_day + timedelta(days=self.rng.randrange(0, (self.last_day - self.first_day).days + 1))

    def _file(self, category: str, case: Case) -> SimpleUploadedFile:
        # Uploads are checked by their content: a minimal PDF.
        text = f"%PDF-1.4\n% simulated material: {category}, case {case.pk}\n%%EOF\n".encode()
        return SimpleUploadedFile(f"{category}.pdf", text, content_type="application/pdf")

    # -- cases

    def new_case(self, *, origin: str, amount_owed: Decimal) -> Case:
        abbreviation = PROVINCE_ABBREVIATIONS.get(self.region[:2], "")
        court = self.users["enforcement_judge"].agency
        # A number of its own: a second open case of one enforcement case would need a reason (procedure.duplicates).
        while True:
            self.serial += 1
            number = f"（{self.year}）{abbreviation}{self.region[2:]}执{self.serial:04d}号"
            if not Case.objects.filter(executing_court=court, enforcement_case_number=number).exists():
                break
        debtor = self._entity() if _chance(self.rng, 0.35) else self._person()
        body = {
            "enforcement_case_number": number,
            "applicant": {**self._entity(), "user": self.users["creditor"].username},
            "debtor": debtor,
            "basis_document": number.replace("执", "民初").replace("号", "号民事判决书"),
            "amount_owed": amount_owed,
            "summary": "被执行人有能力履行而拒不履行生效判决确定的给付义务（模拟）。",
        }
        police, procuratorate = (self.users[r].agency for r in ("police_clerk", "procurator"))
        if origin == "creditor":
            case = services.case_create(actor=self.users["creditor"], executing_court=court, **body)
        elif origin == "procuratorate":
            case = services.case_create(actor=self.users["procurator"], executing_court=court, police_agency=police,
                                        **body)
        else:
            case = services.case_create(actor=self.users["enforcement_judge"], police_agency=police,
                                        procuratorate=procuratorate, **body)
        self.case_ids.append(case.pk)
        return case

    def actor(self, case: Case, who: str) -> User:
        if who == TRANSFERRING:
            who = "procurator" if case.origin == "procuratorate" else "enforcement_judge"
        return self.users[who]

    def fire(self, case: Case, name: str, who: str, data: dict) -> Case:
        actor = self.actor(case, who)
        if name == "submit_transfer":
            for category in TRANSFER_CATEGORIES:
                services.evidence_add(case_id=case.pk, actor=actor, category=category, title=f"{category} 材料",
                                      file=self._file(category, case))
        if name == "file_private_prosecution":
            for category in PRIVATE_REQUIRED_CATEGORIES:
                services.evidence_add(case_id=case.pk, actor=actor, category=category, title=f"{category} 材料",
                                      file=self._file(category, case))
        if data.get("trial_court") == "COURT":
            data = {**data, "trial_court": self.users["trial_judge"].agency_id}
        fired = transitions.fire(case_id=case.pk, name=name, actor=actor, data=data)
        if isinstance(fired, Approval):  # proposed: the person in charge approves it (procedure.md §3)
            fired = approvals.approve(approval_id=fired.pk, actor=approvers_of(case, name, fired.from_state)[0])
        return fired

    def warn(self, case: Case, on: date, who: str) -> None:
        record_services.warning_create(case_id=case.pk, actor=self.actor(case, who), warned_on=on,
                                       content="告知拒不执行判决、裁定的法律后果，责令限期履行。")

    def perform(self, case: Case, amount: Decimal, on: date) -> None:
        parts = [amount]
        if _chance(self.rng, INSTALMENTS) and amount >= Decimal("200.00"):
            first = (amount * Decimal(str(self.rng.uniform(0.3, 0.7)))).quantize(Decimal("0.01"))
            parts = [first, amount - first]
        for part in parts:
            record_services.performance_record(case_id=case.pk, actor=self.users["enforcement_judge"],
                                               kind="payment", amount=part, performed_on=on,
                                               description="被执行人主动履行（模拟）。")

    # Who may warn at each stage (procedure.md §3: any organ of the case): the organ the case is with.
    WARNER = {"transferred": "police_investigator", "filing_review": "police_investigator",
              "investigating": "police_investigator", "prosecution_review": "procurator", "trial": "trial_judge",
              "private_trial": "trial_judge"}

    def transferred_case(self, *, performs: Decimal | None, owed: Decimal) -> None:
        origin = "procuratorate" if _chance(self.rng, PROCURATORATE_ORIGIN) else "court"
        case = self.new_case(origin=origin, amount_owed=owed)
        performed_on = self._day() if performs else None
        if _chance(self.rng, WARNED_BEFORE_TRANSFER):
            warned = performed_on - timedelta(days=self.rng.randrange(5, 60)) if performed_on else self._day()
            self.warn(case, max(warned, self.first_day), TRANSFERRING)
        path = public_path(self.rng, origin)
        # The debtor performs somewhere after the transfer: after one of the steps of its path.
        perform_after = self.rng.randrange(1, len(path) + 1) if performs else None
        for index, (name, who, data) in enumerate(path, start=1):
            case = self.fire(case, name, who, data)
            if index == perform_after:
                if _chance(self.rng, PERFORMED_WITH_WARNING) and case.state in self.WARNER:
                    warned = max(performed_on - timedelta(days=self.rng.randrange(0, 10)), self.first_day)
                    self.warn(case, warned, self.WARNER[case.state])
                self.perform(case, performs, performed_on)

    def cancelled_after_warning(self, owed: Decimal) -> None:
        case = self.new_case(origin="court", amount_owed=owed)
        paid_on = self._day()
        self.warn(case, paid_on, TRANSFERRING)
        self.perform(case, owed, paid_on)
        self.fire(case, "cancel", TRANSFERRING, {"reason": "被执行人经警告后已全部履行"})

    def creditor_private(self, owed: Decimal) -> None:
        case = self.new_case(origin="creditor", amount_owed=owed)
        for name, who, data in _private_filing(self.rng):
            case = self.fire(case, name, who, data)

    def run(self, *, transfers: int) -> None:
        performers = round(transfers * PUBLISHED_PERFORMED_AFTER_TRANSFER / PUBLISHED_TRANSFERS)
        target = (PUBLISHED_RECOVERED * transfers / PUBLISHED_TRANSFERS).quantize(Decimal("0.01"))
        paid = split_amounts(self.rng, count=performers, total=target)
        performing = dict(zip(self.rng.sample(range(transfers), performers), paid, strict=True))
        typical = target / performers if performers else Decimal("300000")
        started = time.monotonic()
        for index in range(transfers):
            amount = performing.get(index)
            if amount is not None:
                owed = amount if _chance(self.rng, PAID_IN_FULL) else (
                    amount / Decimal(str(self.rng.uniform(0.3, 0.9)))).quantize(Decimal("0.01"), rounding=ROUND_UP)
            else:
                owed = (typical * Decimal(str(self.rng.lognormvariate(0, 0.8)))).quantize(Decimal("0.01"))
            with transaction.atomic():
                self.transferred_case(performs=amount, owed=owed)
            if (index + 1) % 100 == 0:
                self.out.write(f"  {index + 1} transfers ({time.monotonic() - started:.0f} s)")
        for _ in range(round(transfers * CANCELLED_AFTER_WARNING)):
            with transaction.atomic():
                self.cancelled_after_warning(
                    (typical * Decimal(str(self.rng.uniform(0.05, 0.5)))).quantize(Decimal("0.01")))
        for _ in range(round(transfers * CREDITOR_PRIVATE)):
            with transaction.atomic():
                self.creditor_private((typical * Decimal(str(self.rng.uniform(0.5, 2)))).quantize(Decimal("0.01")))


def region_users(region: str) -> dict[str, User]:
    """The users of each role of `region`: the demo ones for a demo region, otherwise created here (once) for the
    region's simulated court, police agency and procuratorate (no password: they cannot log in)."""
    demo = {r["code"]: r["suffix"] for r in DEMO_REGIONS}
    if region in demo:
        seed_agencies_and_users()
        return {role: User.objects.select_related("agency").get(username=f"{role}{demo[region]}") for role in Role.values}
    users = {}
    with transaction.atomic():
        agencies = {}
        for kind, label in ((AgencyKind.COURT, "人民法院"), (AgencyKind.POLICE, "公安局"),
                            (AgencyKind.PROCURATORATE, "人民检察院")):
            agencies[kind], _new = Agency.objects.get_or_create(
                name=f"模拟地区{region}{label}",
                defaults={"kind": kind, "region_code": region, "region_name": f"模拟地区{region}",
                          "abbreviation": f"模{label[0]}"})
        for role in Role.values:
            kind = ROLE_AGENCY_KIND[role]
            if kind == AgencyKind.DISCIPLINE:
                continue
            user = User.objects.filter(username=f"sim{region}_{role}").select_related("agency").first()
            if user is None:
                user = User(username=f"sim{region}_{role}", role=role, agency=agencies.get(kind),
                            full_name=f"模拟{region}{role}")
                user.set_unusable_password()
                user.full_clean()
                user.save()
            users[role] = user
    return users


def comparison_rows(figures: stats.Stats, transfers: int) -> list[tuple[str, str, str, str]]:
    """(figure, published, published scaled to this run, simulated)."""
    scale = Decimal(transfers) / PUBLISHED_TRANSFERS
    perf = figures.performance
    return [
        ("Cases transferred to the police", str(PUBLISHED_TRANSFERS), str(transfers), str(figures.stages["transferred"])),
        ("Performed voluntarily after transfer", str(PUBLISHED_PERFORMED_AFTER_TRANSFER),
         f"{PUBLISHED_PERFORMED_AFTER_TRANSFER * scale:.1f}", str(perf["fulfilled_after_transfer"])),
        ("Amount recovered after transfer (yuan)", f"{PUBLISHED_RECOVERED:,.2f}",
         f"{PUBLISHED_RECOVERED * scale:,.2f}", f"{perf['amount_recovered_after_transfer']:,.2f}"),
    ]


def _table(rows, headers) -> list[str]:
    """Plain-text columns: the first left-aligned, the others right-aligned."""
    rows = [[str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in [list(headers), *rows]) for i in range(len(headers))]

    def line(values):
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True)))

    return [line(list(headers)), "  ".join("-" * w for w in widths), *[line(row) for row in rows]]


class Command(BaseCommand):
    help = ("Simulate a year of refusal-to-execute cases of one region through the real services, calibrated on "
            "a province's published figures, and print the resulting statistics beside them.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, required=True, help="Seed of the random draws: same seed, same year.")
        parser.add_argument("--region", required=True, help="6-digit region code, e.g. 450102.")
        parser.add_argument("--cases", type=int, default=PUBLISHED_TRANSFERS,
                            help=f"Number of cases transferred to the police (default {PUBLISHED_TRANSFERS}).")
        parser.add_argument("--year", type=int, default=None,
                            help="Year the warnings and performances are dated in (default: this year).")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, seed, region, cases, year, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create simulated cases with DEBUG off; pass --force if you mean it.")
        if not (len(region) == 6 and region.isdigit()) or region.endswith("00"):
            raise CommandError("--region must be the 6-digit code of a county-level region, e.g. 450102.")
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        today = timezone.localdate()
        year = year or today.year
        if not 2000 <= year <= today.year:
            raise CommandError(f"--year must be between 2000 and {today.year}: warnings and payments are never "
                               "dated in the future.")
        users = region_users(region)
        simulation = Simulation(rng=random.Random(seed), region=region, year=year, users=users, out=self.stdout)
        self.stdout.write(f"Simulating {cases} transfers in region {region} (seed {seed}, year {year}) ...")
        started = time.monotonic()
        # Notifications are written as for real cases, but no e-mail leaves for the simulated parties, and the
        # in-process task runner does not log each of the thousands of tasks. Documents are issued (numbered,
        # their text fixed) as for real cases; each PDF is rendered when first asked for, or by the catch-up task,
        # rather than thousands of them now.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), \
                    rendering_deferred():
                simulation.run(transfers=cases)
        finally:
            trace.setLevel(level)
        elapsed = time.monotonic() - started
        made = Case.objects.filter(pk__in=simulation.case_ids)
        figures = stats.stats_compute(user=users["enforcement_judge"], within=made)
        self.stdout.write(f"Made {made.count()} cases in {elapsed:.1f} s ({elapsed / max(made.count(), 1):.2f} s per "
                          f"case, {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}).")
        self.stdout.write("")
        self.stdout.write("Published figures (one province, Jan-Nov 2025) beside this simulation:")
        for line in _table(comparison_rows(figures, cases),
                           ("figure", "published", f"published x {cases}/{PUBLISHED_TRANSFERS}", "simulated")):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Cases per stage:")
        for line in _table([(k, v) for k, v in figures.stages.items()], ("stage", "cases")):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Judgments by outcome: " + ", ".join(f"{k} {v}" for k, v in figures.outcomes.items()))
        perf = figures.performance
        self.stdout.write(f"Performed: {perf['fulfilled']} cases ({perf['fulfilled_after_warning']} after a warning, "
                          f"{perf['fulfilled_in_full']} in full), {perf['amount_recovered']:,.2f} yuan in all.")
        self.stdout.write("Deadlines met on time per kind: " + ", ".join(
            f"{row['kind']} {row['met_on_time']}/{row['total']}" for row in figures.deadline_kinds))
        self.stdout.write("Stage durations are compressed: every event of the simulation is stamped with the real "
                          "time it was made.")
