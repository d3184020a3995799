"""Performance: paid or delivered, in part or in full, at any stage; the case's amount recovered follows and never
passes the amount owed."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.casebuilder import case_in_state
from workflow.models import CaseEvent


def post(client, url, body):
    return client.post(url, body, format="json")


def test_amount_recovered_after_partial_and_full_performance(demo, as_user):
    case = case_in_state(demo, "investigating")  # owes 1,250,000.00
    judge, creditor = as_user(demo["enforcement_judge"]), as_user(demo["creditor"])
    warning = post(judge, f"/api/cases/{case.pk}/warnings/", {"content": "责令履行"}).json()

    partial = post(judge, f"/api/cases/{case.pk}/performances/",
                   {"kind": "payment", "amount": "250000.00", "warning": warning["id"]})
    assert partial.status_code == 201, partial.json()
    assert partial.json()["extent"] == "partial" and partial.json()["after_warning"] is True
    assert partial.json()["amount_recovered"] == "250000.00"
    assert as_user(demo["police_investigator"]).get(f"/api/cases/{case.pk}/").json()["amount_recovered"] == \
        "250000.00"

    too_much = post(creditor, f"/api/cases/{case.pk}/performances/", {"kind": "payment", "amount": "1000000.01"})
    assert too_much.status_code == 400
    assert "1000000.00" in too_much.json()["amount"][0]  # says how much remains

    delivered = post(creditor, f"/api/cases/{case.pk}/performances/",
                     {"kind": "delivery", "amount": "1000000.00", "description": "交付车辆两台抵债"})
    assert delivered.status_code == 201, delivered.json()
    assert delivered.json()["extent"] == "full" and delivered.json()["case_state"] == "investigating"
    case.refresh_from_db()
    assert case.amount_recovered == case.amount_owed == Decimal("1250000.00")

    nothing_left = post(judge, f"/api/cases/{case.pk}/performances/", {"kind": "payment", "amount": "0.01"})
    assert nothing_left.status_code == 400 and "amount" in nothing_left.json()
    listed = judge.get(f"/api/cases/{case.pk}/performances/").json()
    assert [p["extent"] for p in listed["results"]] == ["partial", "full"]
    payloads = [e.payload for e in CaseEvent.objects.filter(case=case, transition="performance").order_by("seq")]
    assert [p["amount_recovered"] for p in payloads] == ["250000.00", "1250000.00"]


def test_performance_at_any_stage_and_its_refusals(demo, as_user):
    cancelled = case_in_state(demo, "cancelled")
    judge = as_user(demo["enforcement_judge"])
    late = post(judge, f"/api/cases/{cancelled.pk}/performances/", {"kind": "payment", "amount": "100"})
    assert late.status_code == 201 and late.json()["after_warning"] is False

    case = case_in_state(demo, "filing_review")
    url = f"/api/cases/{case.pk}/performances/"
    assert post(as_user(demo["police_clerk"]), url, {"kind": "payment", "amount": "1"}).status_code == 403
    assert post(as_user(demo["enforcement_judge_2"]), url, {"kind": "payment", "amount": "1"}).status_code == 404
    assert post(as_user(demo["creditor_2"]), url, {"kind": "payment", "amount": "1"}).status_code == 404
    zero = post(judge, url, {"kind": "payment", "amount": "0"})
    assert zero.status_code == 400 and "amount" in zero.json()
    missing = post(judge, url, {"amount": "10"})
    assert missing.status_code == 400 and "kind" in missing.json()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = post(judge, url, {"kind": "payment", "amount": "10", "performed_on": tomorrow})
    assert future.status_code == 400 and "performed_on" in future.json()
    foreign_warning = post(judge, f"/api/cases/{cancelled.pk}/warnings/", {"content": "x"})
    assert foreign_warning.status_code == 409  # no warnings once a case is closed
    other = case_in_state(demo, "draft")
    w = post(judge, f"/api/cases/{other.pk}/warnings/", {"content": "x"}).json()
    wrong = post(judge, url, {"kind": "payment", "amount": "10", "warning": w["id"]})
    assert wrong.status_code == 400 and "warning" in wrong.json()
