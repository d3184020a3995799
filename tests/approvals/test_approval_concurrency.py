"""On PostgreSQL: a proposal is decided once, whoever decides it at the same moment (row locks), and two
proposers of the same step at once leave one pending approval."""

import pytest

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from tests.casebuilder import case_in_state, fire
from tests.subprocedures.test_concurrency import _at_once
from workflow.models import Approval, CaseEvent


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_once_decide_once(require_postgres, as_user):
    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.all()}
    case = case_in_state(users, "investigating")
    approval = fire(case, "withdraw_case", users["police_investigator"], reason="已履行")
    head = users["police_head"]
    url = f"/api/approvals/{approval.pk}"
    results = _at_once([
        lambda: as_user(head).post(f"{url}/approve/").status_code,
        lambda: as_user(head).post(f"{url}/reject/", {"reason": "继续侦查"}, format="json").status_code,
        lambda: as_user(head).post(f"{url}/approve/").status_code,
        lambda: as_user(head).post(f"{url}/reject/", {"reason": "继续侦查"}, format="json").status_code,
    ])
    assert results == [200, 409, 409, 409]
    approval.refresh_from_db()
    case.refresh_from_db()
    withdrawals = CaseEvent.objects.filter(case=case, transition="withdraw_case").count()
    refusals = CaseEvent.objects.filter(case=case, transition="refuse_proposal").count()
    if approval.status == "approved":
        assert case.state == "withdrawn" and (withdrawals, refusals) == (1, 0)
    else:
        assert approval.status == "rejected" and case.state == "investigating" and (withdrawals, refusals) == (0, 1)


@pytest.mark.django_db(transaction=True)
def test_two_proposals_at_once_leave_one_pending(require_postgres, as_user):
    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.all()}
    case = case_in_state(users, "filing_review")
    investigator = users["police_investigator"]
    url = f"/api/cases/{case.pk}/transitions/file_case/"
    results = _at_once([lambda: as_user(investigator).post(url, {}, format="json").status_code for _ in range(3)])
    assert results == [202, 409, 409]
    assert Approval.objects.filter(case=case, status="pending").count() == 1
