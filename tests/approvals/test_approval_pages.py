"""The pages of approvals: the proposer's form says the step awaits approval; the approver's inbox and the case
page list the proposal with approve and refuse; a refusal needs a reason; others cannot decide."""

from django.test import Client

from tests.casebuilder import case_in_state, fire
from workflow.models import Approval, Case


def _html(response) -> str:
    return response.content.decode()


def _proposed_filing(demo, reader: str):
    """A case whose filing the investigator proposed, and a browser signed in as `reader`."""
    case = case_in_state(demo, "filing_review")
    approval = fire(case, "file_case", demo["police_investigator"])
    client = Client()
    client.force_login(demo[reader])
    return case, approval, client


def test_a_proposer_submits_the_form_and_is_told_it_awaits_approval(demo):
    case = case_in_state(demo, "filing_review")
    client = Client()
    client.force_login(demo["police_investigator"])
    form = _html(client.get(f"/cases/{case.pk}/transitions/decline_filing/"))
    assert 'data-testid="needs-approval"' in form and "公安机关负责人" in form
    response = client.post(f"/cases/{case.pk}/transitions/decline_filing/", {"reason": "证据不足"}, follow=True)
    assert response.status_code == 200
    page = _html(response)
    assert "待负责人审批" in page or "awaits approval" in page
    assert 'data-testid="pending-approvals"' in page and "证据不足" in page
    assert Case.objects.get(pk=case.pk).state == "filing_review"
    # The proposer sees the proposal but cannot decide it.
    approval = Approval.objects.get(case=case)
    assert f'data-testid="approve-{approval.pk}"' not in page
    assert client.post(f"/approvals/{approval.pk}/approve/").status_code == 403
    assert Approval.objects.get(pk=approval.pk).status == "pending"


def test_the_head_approves_from_the_inbox(demo):
    case, approval, client = _proposed_filing(demo, "police_head")
    assert 'data-testid="needs-approval"' not in _html(client.get(f"/cases/{case.pk}/transitions/decline_filing/"))
    inbox = _html(client.get("/"))
    assert f'data-testid="approve-{approval.pk}"' in inbox and case.number in inbox
    assert f'data-testid="approve-{approval.pk}"' in _html(client.get(f"/cases/{case.pk}/"))
    response = client.post(f"/approvals/{approval.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert Case.objects.get(pk=case.pk).state == "investigating"
    assert f'data-testid="approve-{approval.pk}"' not in _html(client.get("/"))
    # Deciding it again is refused in words.
    again = client.post(f"/approvals/{approval.pk}/approve/")
    assert again.status_code == 409 and 'data-testid="refused"' in _html(again)


def test_the_head_refuses_with_a_reason(demo):
    case = case_in_state(demo, "investigating")
    approval = fire(case, "withdraw_case", demo["police_investigator"], reason="已履行")
    client = Client()
    client.force_login(demo["police_head"])
    assert 'data-testid="reject-form"' in _html(client.get(f"/approvals/{approval.pk}/"))
    empty = client.post(f"/approvals/{approval.pk}/reject/", {"reason": " "})
    assert empty.status_code == 400 and 'data-testid="error-reason"' in _html(empty)
    assert Approval.objects.get(pk=approval.pk).status == "pending"
    done = client.post(f"/approvals/{approval.pk}/reject/", {"reason": "尚未全部履行"})
    assert done.status_code == 302
    assert Approval.objects.get(pk=approval.pk).status == "rejected"
    assert Case.objects.get(pk=case.pk).state == "investigating"


def test_another_regions_head_does_not_find_the_proposal(demo):
    case, approval, client = _proposed_filing(demo, "police_head_2")
    assert client.get(f"/approvals/{approval.pk}/").status_code == 404
    assert client.post(f"/approvals/{approval.pk}/approve/").status_code == 404
    assert case.number not in _html(client.get("/"))


def test_the_creditor_proposes_a_settlement_and_sees_it_pending(demo):
    case = case_in_state(demo, "private_trial")
    client = Client()
    client.force_login(demo["creditor"])
    response = client.post(f"/cases/{case.pk}/transitions/reconcile/", {"terms": "三个月内付清"}, follow=True)
    assert response.status_code == 200 and "三个月内付清" in _html(response)
    assert 'data-testid="pending-approvals"' in _html(client.get("/"))
    judge = Client()
    judge.force_login(demo["trial_judge"])
    approval = Approval.objects.get(case=case)
    assert judge.post(f"/approvals/{approval.pk}/approve/").status_code == 302
    assert Case.objects.get(pk=case.pk).state == "reconciled"
