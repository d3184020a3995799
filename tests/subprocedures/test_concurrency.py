"""Row locks keep the records consistent when several officers act at once (PostgreSQL)."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from tests.casebuilder import at_once, case_in_state
from workflow.models import ArrestRequest, CaseEvent


def _users():
    seed_agencies_and_users()
    return {u.username: u for u in User.objects.select_related("agency")}


def _at_once(attempts):
    results, _errors = at_once(attempts)
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_performances_never_pass_the_amount_owed(require_postgres, as_user):
    users = _users()
    case = case_in_state(users, "investigating")  # owes 1,250,000.00
    clients = [as_user(users["enforcement_judge"]), as_user(users["creditor"]), as_user(users["police_investigator"])]
    url = f"/api/cases/{case.pk}/performances/"
    results = _at_once([
        (lambda c=c: c.post(url, {"kind": "payment", "amount": "500000.00"}, format="json").status_code)
        for c in clients
    ])
    assert results == [201, 201, 400]
    case.refresh_from_db()
    assert case.amount_recovered == Decimal("1000000.00")
    assert CaseEvent.objects.filter(case=case, transition="performance").count() == 2
    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_arrest_requests_leave_one_pending(require_postgres, as_user):
    users = _users()
    case = case_in_state(users, "investigating")
    client = as_user(users["police_investigator"])
    url = f"/api/cases/{case.pk}/arrest-requests/"
    results = _at_once([
        (lambda i=i: client.post(url, {"grounds": f"申请{i}", "detained": False}, format="json").status_code) for i in range(4)
    ])
    assert results == [201, 409, 409, 409]
    assert ArrestRequest.objects.filter(case=case, decision="").count() == 1
    assert case.deadlines.filter(kind="arrest_review").count() == 1
    call_command("verify_audit")
