"""A small fixed set of cases, each brought to its state by the real services on given days, whose statistics are
counted by hand in the tests of this package.

Region 450102 (the demo users without suffix):

A  transferred 2025-03-03, accepted 03-04, filed 03-07, sent for prosecution 04-07, indicted 04-21,
   judged (convicted) 06-20.
B  transferred 03-10, accepted 03-12, filing declined 03-25 (the 7-day review was due 03-19: late),
   supervision requested 03-26, explanation requested 03-27 and given 03-31, filing ordered 04-10, filed 04-20;
   warned 05-05 and paid 100,000.00 of 1,250,000.00 on 05-06.
C  transferred 2025-05-05 09:00, accepted 15:00 the same day, declined 05-08, creditor advised 05-09, private
   prosecution filed 05-20, accepted 05-26, reconciled 06-30, and on 06-30 paid in full (1,250,000.00) without
   any warning.
D  a draft of 2025-02-10: warned that day, paid in full (86,000.00) on 02-12, cancelled on 02-12. Never
   transferred.
E  a creditor's own private prosecution, created and filed 2025-07-01, rejected 07-10. Never transferred.
G  transferred 2025-12-01 at 07:30 Shanghai time (still 2025-11-30 in UTC), never accepted: its 30-day
   written response was due on 2025-12-31 and is overdue.

Region 450103 (the demo users with `_2`):

F  transferred 2025-03-15, accepted 03-16, filed 03-18; warned and paid 50,000.00 on 04-01.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Agency, User
from tests.casebuilder import add_private_evidence, add_transfer_evidence, fire, new_case
from workflow.models import Case
from workflow.records import services as record_services

SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: str, clock: str = "10:00"):
    """Travel to that Shanghai day and time, frozen, so events, deadlines and records carry it."""
    when = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)
    return time_machine.travel(when, tick=False)


@dataclass
class Fixed:
    users: dict
    cases: dict[str, Case]


def _transfer(users, case, suffix=""):
    add_transfer_evidence(case, users[f"enforcement_judge{suffix}"])
    fire(case, "submit_transfer", users[f"enforcement_judge{suffix}"])


def _steps(users, case, *steps):
    """Fire each (day, transition, username, body) on its day."""
    for day, name, username, data in steps:
        with on(day):
            fire(case, name, users[username], **data)


def _warn(users, case, who="enforcement_judge"):
    record_services.warning_create(case_id=case.pk, actor=users[who], content="责令限期履行")


def _pay(users, case, amount, who="enforcement_judge"):
    record_services.performance_record(case_id=case.pk, actor=users[who], kind="payment", amount=amount)


@pytest.fixture
def fixed(demo) -> Fixed:
    u = demo
    court = u["trial_judge"].agency_id
    cases = {}

    with on("2025-03-03"):
        cases["A"] = a = new_case(u)
        _transfer(u, a)
    _steps(u, a, ("2025-03-04", "accept", "police_clerk", {}),
           ("2025-03-07", "file_case", "police_head", {}),
           ("2025-04-07", "transfer_for_prosecution", "police_head", {}),
           ("2025-04-21", "indict", "procurator", {"trial_court": court}),
           ("2025-06-20", "render_judgment", "trial_judge", {"outcome": "convicted", "sentence": "有期徒刑一年"}))

    with on("2025-03-10"):
        cases["B"] = b = new_case(u)
        _transfer(u, b)
    _steps(u, b, ("2025-03-12", "accept", "police_clerk", {}),
           ("2025-03-25", "decline_filing", "police_head", {"reason": "证据不足"}),
           ("2025-03-26", "request_supervision", "enforcement_judge", {"reason": "应当立案"}),
           ("2025-03-27", "request_explanation", "procurator", {}),
           ("2025-03-31", "submit_explanation", "police_investigator", {"explanation": "理由如下"}),
           ("2025-04-10", "order_filing", "procurator_general", {"reason": "理由不成立"}),
           ("2025-04-20", "file_case", "police_head", {}))
    with on("2025-05-05"):
        _warn(u, b, "police_investigator")
    with on("2025-05-06"):
        _pay(u, b, "100000.00")

    with on("2025-05-05", "09:00"):
        cases["C"] = c = new_case(u)
        _transfer(u, c)
    with on("2025-05-05", "15:00"):
        fire(c, "accept", u["police_clerk"])
    with on("2025-05-08", "15:00"):
        fire(c, "decline_filing", u["police_head"], reason="证据不足")
    with on("2025-05-09"):
        fire(c, "advise_private_prosecution", u["enforcement_judge"])
    with on("2025-05-20"):
        add_private_evidence(c, u["creditor"])
        fire(c, "file_private_prosecution", u["creditor"])
    with on("2025-05-26"):
        fire(c, "accept_private_prosecution", u["filing_clerk"], trial_court=court)
    with on("2025-06-30"):
        fire(c, "reconcile", u["trial_judge"], terms="一次性付清")
        _pay(u, c, "1250000.00")

    with on("2025-02-10"):
        cases["D"] = d = new_case(u, amount_owed="86000.00")
        _warn(u, d)
    with on("2025-02-12"):
        _pay(u, d, "86000.00")
        fire(d, "cancel", u["enforcement_judge"], reason="已履行")

    with on("2025-07-01"):
        cases["E"] = e = new_case(u, origin="creditor")
        add_private_evidence(e, u["creditor"])
        fire(e, "file_private_prosecution", u["creditor"])
    with on("2025-07-10"):
        fire(e, "reject_private_prosecution", u["filing_clerk"], reason="不符合条件")

    with on("2025-12-01", "07:30"):
        cases["G"] = g = new_case(u)
        _transfer(u, g)

    with on("2025-03-15"):
        cases["F"] = f = new_case(u, suffix="_2")
        _transfer(u, f, "_2")
    with on("2025-03-16"):
        fire(f, "accept", u["police_clerk_2"])
    with on("2025-03-18"):
        fire(f, "file_case", u["police_head_2"])
    with on("2025-04-01"):
        _warn(u, f, "enforcement_judge_2")
        _pay(u, f, "50000.00", "enforcement_judge_2")

    return Fixed(users=u, cases={k: Case.objects.get(pk=v.pk) for k, v in cases.items()})


@pytest.fixture
def provincial(demo) -> User:
    """An enforcement judge of the province's higher court (region 450000): the provincial view."""
    court = Agency.objects.create(kind="court", name="广西壮族自治区高级人民法院", abbreviation="桂高",
                                  region_code="450000", region_name="广西壮族自治区")
    user = User(username="provincial_judge", role="enforcement_judge", agency=court, full_name="田")
    user.set_password("pw")
    user.save()
    return user
