"""Approvals by the person in charge (procedure.md §3 "Approvals") through the API: a proposal is 202 and moves
nothing; the approver approves (the transition fires with the proposer's body, the event names both) or refuses
with a reason; one pending proposal per case and transition; never decided twice, by the wrong person, or after
the case moved on."""

import pytest

from tests.casebuilder import case_in_state, fire
from workflow.management.demo import seed_cases
from workflow.models import Approval, Case, CaseEvent, Notification


def _propose(as_user, user, case, name, body=None):
    response = as_user(user).post(f"/api/cases/{case.pk}/transitions/{name}/", body or {}, format="json")
    assert response.status_code == 202, response.json()
    return response.json()


def test_proposal_waits_then_approval_fires_it_naming_proposer_and_approver(
        demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "filing_review")
    investigator, head = demo["police_investigator"], demo["police_head"]
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _propose(as_user, investigator, case, "decline_filing", {"reason": "现有证据不足以证明履行能力"})
    assert proposal["case"] == case.pk and proposal["transition"] == "decline_filing"
    assert proposal["proposed_by"] == "police_investigator" and proposal["status"] == "pending"
    assert proposal["body"]["reason"] == "现有证据不足以证明履行能力" and proposal["proposed_at"]

    # Nothing moved; the case shows the pending approval; the head's inbox lists it and the head was told.
    shown = as_user(investigator).get(f"/api/cases/{case.pk}/").json()
    assert shown["state"] == "filing_review" and shown["pending_approval"]["id"] == proposal["id"]
    assert not case.documents.filter(kind="non_filing_notice").exists()
    inbox = as_user(head).get("/api/approvals/?status=pending").json()
    assert [a["id"] for a in inbox["results"]] == [proposal["id"]]
    assert [a["id"] for a in as_user(investigator).get("/api/approvals/").json()["results"]] == [proposal["id"]]
    assert as_user(demo["police_head_2"]).get("/api/approvals/").json()["count"] == 0
    told = Notification.objects.get(recipient=head, kind="approval_requested")
    assert told.case_id == case.pk and case.number in told.title

    with django_capture_on_commit_callbacks(execute=True):
        approved = as_user(head).post(f"/api/approvals/{proposal['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["state"] == "not_filed" and body["pending_approval"] is None
    event = body["events"][-1]
    assert event["transition"] == "decline_filing" and event["actor"] == "police_head"
    assert event["payload"]["proposed_by"] == "police_investigator"
    assert event["payload"]["approved_by"] == "police_head"
    assert event["payload"]["reason"] == "现有证据不足以证明履行能力"
    assert [d["kind"] for d in body["documents"]].count("non_filing_notice") == 1
    approval = Approval.objects.get(pk=proposal["id"])
    assert approval.status == "approved" and approval.decided_by == head and approval.decided_at
    assert Notification.objects.filter(recipient=investigator, kind="approval_granted", case=case).count() == 1
    assert as_user(head).get("/api/approvals/?status=pending").json()["count"] == 0


def test_refusal_needs_a_reason_changes_only_the_approval_and_tells_the_proposer(
        demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "investigating")
    investigator, head = demo["police_investigator"], demo["police_head"]
    proposal = _propose(as_user, investigator, case, "withdraw_case", {"reason": "被执行人已履行部分义务"})
    events = CaseEvent.objects.filter(case=case).count()

    for body in ({}, {"reason": "   "}):
        refused = as_user(head).post(f"/api/approvals/{proposal['id']}/reject/", body, format="json")
        assert refused.status_code == 400 and "reason" in refused.json()
    assert Approval.objects.get(pk=proposal["id"]).status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        refused = as_user(head).post(f"/api/approvals/{proposal['id']}/reject/",
                                     {"reason": "尚未全部履行，继续侦查"}, format="json")
    assert refused.status_code == 200 and refused.json()["status"] == "rejected"
    assert refused.json()["reason"] == "尚未全部履行，继续侦查" and refused.json()["decided_by"] == "police_head"
    case.refresh_from_db()
    assert case.state == "investigating"
    assert not case.documents.filter(kind="withdrawal_notice").exists()
    # Only the refusal is written to the trail; the proposer reads why.
    assert CaseEvent.objects.filter(case=case).count() == events + 1
    assert CaseEvent.objects.filter(case=case).last().transition == "refuse_proposal"
    notice = Notification.objects.get(recipient=investigator, kind="approval_refused")
    assert "尚未全部履行，继续侦查" in notice.body
    # A refused proposal no longer blocks a new one.
    assert as_user(investigator).get(f"/api/cases/{case.pk}/").json()["pending_approval"] is None
    _propose(as_user, investigator, case, "withdraw_case", {"reason": "被执行人已全部履行"})


def test_second_proposal_of_the_same_step_is_409_naming_the_pending_one(demo, as_user):
    case = case_in_state(demo, "filing_review")
    first = _propose(as_user, demo["police_investigator"], case, "file_case")
    second = as_user(demo["police_investigator"]).post(f"/api/cases/{case.pk}/transitions/file_case/", {},
                                                       format="json")
    assert second.status_code == 409
    assert str(first["id"]) in second.json()["detail"] and second.json()["state"] == "filing_review"
    assert Approval.objects.filter(case=case).count() == 1


def test_proposal_checks_role_state_and_input_as_any_firing(demo, as_user):
    case = case_in_state(demo, "filing_review")
    investigator = as_user(demo["police_investigator"])
    missing = investigator.post(f"/api/cases/{case.pk}/transitions/decline_filing/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    wrong_state = investigator.post(f"/api/cases/{case.pk}/transitions/withdraw_case/", {"reason": "x"},
                                    format="json")
    assert wrong_state.status_code == 409 and wrong_state.json()["state"] == "filing_review"
    hidden = as_user(demo["police_investigator_2"]).post(f"/api/cases/{case.pk}/transitions/file_case/", {},
                                                         format="json")
    assert hidden.status_code == 404
    assert not Approval.objects.filter(case=case).exists()


def test_deciding_twice_is_409_and_changes_nothing(demo, as_user):
    case = case_in_state(demo, "prosecution_review")
    proposal = _propose(as_user, demo["procurator"], case, "decline_prosecution", {"reason": "情节显著轻微"})
    general = as_user(demo["procurator_general"])
    assert general.post(f"/api/approvals/{proposal['id']}/approve/").status_code == 200
    events = CaseEvent.objects.filter(case=case).count()
    again = general.post(f"/api/approvals/{proposal['id']}/approve/")
    assert again.status_code == 409 and again.json()["state"] == "not_prosecuted"
    refused = general.post(f"/api/approvals/{proposal['id']}/reject/", {"reason": "改变主意"}, format="json")
    assert refused.status_code == 409
    assert CaseEvent.objects.filter(case=case).count() == events
    assert Approval.objects.get(pk=proposal["id"]).status == "approved"


@pytest.mark.parametrize(("who", "status"), [
    ("police_investigator", 403),  # the proposer never approves their own proposal
    ("police_clerk", 403),
    ("procurator_general", 403),  # a head, but of another organ
    ("enforcement_judge", 403),
    ("creditor", 404),  # sees the case, never what the police's handler proposes to its head
    ("police_head_2", 404),  # another region's head does not see the case
    ("discipline_officer", 404),
])
def test_only_the_approver_decides(demo, as_user, who, status):
    case = case_in_state(demo, "investigating")
    proposal = _propose(as_user, demo["police_investigator"], case, "transfer_for_prosecution")
    for action, body in (("approve", {}), ("reject", {"reason": "不同意"})):
        response = as_user(demo[who]).post(f"/api/approvals/{proposal['id']}/{action}/", body, format="json")
        assert response.status_code == status, (action, response.json())
    assert Case.objects.get(pk=case.pk).state == "investigating"
    assert Approval.objects.get(pk=proposal["id"]).status == "pending"


def test_the_creditor_sees_only_their_own_proposals(demo, as_user):
    case = case_in_state(demo, "filing_review")
    _propose(as_user, demo["police_investigator"], case, "file_case")
    creditor = as_user(demo["creditor"])
    assert creditor.get(f"/api/cases/{case.pk}/").json()["pending_approval"] is None
    assert creditor.get("/api/approvals/").json()["count"] == 0
    assert as_user(demo["enforcement_judge"]).get(f"/api/cases/{case.pk}/").json()["pending_approval"] is not None


def test_unknown_approval_is_404(demo, as_user):
    assert as_user(demo["police_head"]).post("/api/approvals/999999/approve/").status_code == 404


def test_a_proposal_lapses_when_the_case_moves_on_and_cannot_be_approved(
        demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "investigating")
    head = as_user(demo["police_head"])
    proposal = _propose(as_user, demo["police_investigator"], case, "withdraw_case", {"reason": "已履行"})
    # The head decides otherwise, directly: the case moves on, the withdrawal proposal lapses, its proposer is told.
    with django_capture_on_commit_callbacks(execute=True):
        moved = head.post(f"/api/cases/{case.pk}/transitions/transfer_for_prosecution/", {}, format="json")
    assert Notification.objects.filter(recipient=demo["police_investigator"], kind="approval_lapsed").count() == 1
    assert moved.status_code == 200 and moved.json()["state"] == "prosecution_review"
    assert moved.json()["pending_approval"] is None
    assert Approval.objects.get(pk=proposal["id"]).status == "lapsed"
    events = CaseEvent.objects.filter(case=case).count()
    late = head.post(f"/api/approvals/{proposal['id']}/approve/")
    assert late.status_code == 409 and late.json()["state"] == "prosecution_review"
    assert Case.objects.get(pk=case.pk).state == "prosecution_review"
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not case.documents.filter(kind="withdrawal_notice").exists()


def test_the_approver_fires_directly_at_once(demo, as_user):
    case = case_in_state(demo, "filing_review")
    filed = as_user(demo["police_head"]).post(f"/api/cases/{case.pk}/transitions/file_case/", {}, format="json")
    assert filed.status_code == 200 and filed.json()["state"] == "investigating"
    assert not Approval.objects.filter(case=case).exists()
    assert "file_case" not in as_user(demo["police_investigator"]).get(
        f"/api/cases/{case.pk}/").json()["allowed_transitions"]


def test_allowed_transitions_lists_what_the_user_may_propose_or_fire(demo, as_user):
    case = case_in_state(demo, "filing_review")
    for who in ("police_investigator", "police_head"):
        allowed = as_user(demo[who]).get(f"/api/cases/{case.pk}/").json()["allowed_transitions"]
        assert {"file_case", "decline_filing"} <= set(allowed), who


def test_approver_reads_the_proposal_in_their_own_language(demo, as_user, django_capture_on_commit_callbacks):
    head = demo["police_head"]
    head.language = "en"
    head.save(update_fields=["language"])
    case = case_in_state(demo, "filing_review")
    with django_capture_on_commit_callbacks(execute=True):
        _propose(as_user, demo["police_investigator"], case, "file_case")
    notice = Notification.objects.get(recipient=head, kind="approval_requested")
    assert "File the case" in notice.body and case.number in notice.body


def test_fire_returns_the_pending_approval_to_a_proposer(demo):
    case = case_in_state(demo, "filing_review")
    proposal = fire(case, "file_case", demo["police_investigator"])
    assert isinstance(proposal, Approval) and proposal.status == "pending" and proposal.from_state == "filing_review"


def test_the_demo_leaves_a_proposal_in_the_police_heads_inbox_and_the_admin_lists_it_read_only(
        demo, as_user, admin_client):
    seed_cases()
    pending = as_user(demo["police_head"]).get("/api/approvals/?status=pending").json()["results"]
    assert [(a["transition"], a["proposed_by"]) for a in pending] == [("file_case", "police_investigator")]
    listing = admin_client.get("/admin/workflow/approval/")
    assert listing.status_code == 200 and "file_case" in listing.content.decode()
    assert admin_client.get("/admin/workflow/approval/add/").status_code == 403


def test_the_schema_declares_202_only_for_steps_that_need_approval(demo, as_user):
    schema = as_user(demo["procurator"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    accepted = {path.rsplit("/", 2)[-2] for path, item in schema["paths"].items()
                if "/transitions/" in path and "202" in item["post"]["responses"]}
    assert accepted == {"file_case", "decline_filing", "withdraw_case", "transfer_for_prosecution",
                        "decline_prosecution", "reconcile", "withdraw_private_prosecution"}
    for path in ("/api/approvals/", "/api/approvals/{id}/approve/", "/api/approvals/{id}/reject/"):
        assert path in schema["paths"], path
    case = schema["components"]["schemas"]["CaseDetail"]["properties"]
    assert "pending_approval" in case


def test_the_creditor_reads_neither_the_polices_proposals_nor_their_refusals_in_the_trail(demo, as_user):
    case = case_in_state(demo, "investigating")
    proposal = _propose(as_user, demo["police_investigator"], case, "withdraw_case", {"reason": "已履行"})
    as_user(demo["police_head"]).post(f"/api/approvals/{proposal['id']}/reject/", {"reason": "内部意见"},
                                      format="json")
    agency_trail = [e["transition"] for e in as_user(demo["enforcement_judge"]).get(
        f"/api/cases/{case.pk}/").json()["events"]]
    assert agency_trail[-2:] == ["propose", "refuse_proposal"]
    creditor_view = as_user(demo["creditor"]).get(f"/api/cases/{case.pk}/").json()
    assert not {"propose", "refuse_proposal"} & {e["transition"] for e in creditor_view["events"]}
    assert "内部意见" not in str(creditor_view)
    # The creditor's own proposal of a settlement stays in their view.
    private = case_in_state(demo, "private_trial")
    as_user(demo["creditor"]).post(f"/api/cases/{private.pk}/transitions/reconcile/", {"terms": "分期"},
                                   format="json")
    mine = as_user(demo["creditor"]).get(f"/api/cases/{private.pk}/").json()
    assert mine["events"][-1]["transition"] == "propose" and mine["pending_approval"]["body"]["terms"] == "分期"
