"""Full routes through the procedure, each step by its own role, with events, deadlines and documents."""

import pytest
import time_machine
from django.core.management import call_command

from tests.casebuilder import add_private_evidence, case_in_state, fire, new_case
from workflow.cases import approvals
from workflow.models import Case, CaseEvent


def states_of(case):
    return list(CaseEvent.objects.filter(case=case).exclude(to_state="").values_list("to_state", flat=True))


def test_court_transfer_to_judgment(demo):
    case = case_in_state(demo, "judged")
    assert case.state == "judged" and case.outcome == "convicted"
    path = states_of(case)
    assert path[0] == "draft" and path[-1] == "judged"
    assert {"transferred", "filing_review", "investigating", "prosecution_review", "trial"} <= set(path)
    kinds = dict(case.deadlines.values_list("kind", "status"))
    assert kinds == {"written_response": "met", "filing_review": "met", "prosecution_review": "met", "trial": "met"}
    doc_kinds = set(case.documents.values_list("kind", flat=True))
    assert {"transfer_letter", "execution_explanation", "evidence_list", "registration_form", "acknowledgment",
            "filing_decision"} <= doc_kinds
    call_command("verify_audit")


def test_non_filing_supervision_explanation_order_filing(demo):
    case = case_in_state(demo, "filing_ordered")
    fire(case, "file_case", demo["police_head"])
    case.refresh_from_db()
    assert case.state == "investigating"
    assert states_of(case)[-6:] == ["not_filed", "supervision_requested", "explanation_requested",
                                    "explanation_review", "filing_ordered", "investigating"]
    statuses = {d.kind: d.status for d in case.deadlines.all()}
    assert statuses["police_explanation"] == "met" and statuses["filing_after_order"] == "met"
    assert {"non_filing_notice", "supervision_request", "explanation_request", "police_explanation",
            "filing_order"} <= set(case.documents.values_list("kind", flat=True))


def test_procuratorate_origin_transfer_and_own_supervision(demo):
    case = case_in_state(demo, "not_filed", origin="procuratorate")
    assert case.origin == "procuratorate"
    assert case.documents.filter(kind="transfer_letter", issued_by=demo["procurator"].agency).exists()
    fire(case, "request_explanation", demo["procurator"])
    case.refresh_from_db()
    assert case.state == "explanation_requested"


def test_procurator_may_require_an_explanation_of_a_court_origin_non_filing_on_its_own(demo, as_user):
    # CPL Art. 113 (corrected spec): for any origin, on the procuratorate's own initiative, without a request.
    case = case_in_state(demo, "not_filed")
    response = as_user(demo["procurator"]).post(f"/api/cases/{case.pk}/transitions/request_explanation/", {},
                                                format="json")
    assert response.status_code == 200 and response.json()["state"] == "explanation_requested"


def test_non_prosecution_then_private_prosecution_then_reconciliation(demo):
    case = case_in_state(demo, "not_prosecuted")
    fire(case, "advise_private_prosecution", demo["enforcement_judge"])
    add_private_evidence(case, demo["creditor"])
    fire(case, "file_private_prosecution", demo["creditor"])
    fire(case, "accept_private_prosecution", demo["filing_clerk"], trial_court=demo["trial_judge"].agency.pk)
    proposal = fire(case, "reconcile", demo["creditor"], terms="三个月内付清")
    approvals.approve(approval_id=proposal.pk, actor=demo["trial_judge"])  # the court approves by a ruling
    case.refresh_from_db()
    assert case.state == "reconciled" and case.reconciliation_terms == "三个月内付清"
    trial = case.deadlines.get(kind="trial")
    assert trial.status == "met"
    # not in custody: six months for a private prosecution (CPL Art. 212)
    assert (trial.due_date.year * 12 + trial.due_date.month) - (trial.start_date.year * 12 + trial.start_date.month) >= 6


def test_creditor_origin_private_prosecution(demo, as_user):
    case = new_case(demo, origin="creditor")
    assert case.origin == "creditor" and case.police_agency is None
    client = as_user(demo["creditor"])
    refused = client.post(f"/api/cases/{case.pk}/transitions/file_private_prosecution/", {}, format="json")
    assert refused.status_code == 400 and "evidence" in refused.json()
    add_private_evidence(case, demo["creditor"])
    ok = client.post(f"/api/cases/{case.pk}/transitions/file_private_prosecution/", {}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "private_filing_review"
    review = Case.objects.get(pk=case.pk).deadlines.get(kind="private_filing_review")
    assert (review.due_date - review.start_date).days >= 15
    # a creditor case never enters the public track
    assert client.post(f"/api/cases/{case.pk}/transitions/submit_transfer/", {}, format="json").status_code in (403, 409)


def test_extend_review_only_once_and_moves_the_due_date(demo, as_user):
    case = case_in_state(demo, "filing_review")
    before = case.deadlines.get(kind="filing_review").due_date
    head = as_user(demo["police_head"])
    missing = head.post(f"/api/cases/{case.pk}/transitions/extend_review/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    ok = head.post(f"/api/cases/{case.pk}/transitions/extend_review/", {"reason": "案情复杂"}, format="json")
    assert ok.status_code == 200
    deadline = next(d for d in ok.json()["deadlines"] if d["kind"] == "filing_review")
    assert deadline["due_date"] > before.isoformat() and "Art. 5" in deadline["legal_basis"]
    again = head.post(f"/api/cases/{case.pk}/transitions/extend_review/", {"reason": "再次延长"}, format="json")
    assert again.status_code == 409 and again.json()["state"] == "filing_review"


def test_supplementary_investigation_at_most_twice(demo):
    case = case_in_state(demo, "prosecution_review")
    for _ in range(2):
        fire(case, "return_for_supplementary_investigation", demo["procurator"], reason="补充侦查")
        fire(case, "resubmit_for_prosecution", demo["police_investigator"])
    from procedure.errors import TransitionConflict

    with pytest.raises(TransitionConflict):
        fire(case, "return_for_supplementary_investigation", demo["procurator"], reason="第三次")
    case.refresh_from_db()
    assert case.state == "prosecution_review" and case.supplementary_rounds == 2
    assert case.deadlines.filter(kind="prosecution_review").count() == 3


def test_advise_private_prosecution_only_once_written_response_is_overdue(demo, as_user):
    judge = as_user(demo["enforcement_judge"])
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):  # a due date the holiday schedule knows
        case = case_in_state(demo, "transferred")
        early = judge.post(f"/api/cases/{case.pk}/transitions/advise_private_prosecution/", {}, format="json")
    assert early.status_code == 409
    due = case.deadlines.get(kind="written_response").due_date
    with time_machine.travel(f"{due.isoformat()} 23:00 +0800", tick=False):
        assert "advise_private_prosecution" not in judge.get(f"/api/cases/{case.pk}/").json()["allowed_transitions"]
    import datetime

    with time_machine.travel(f"{(due + datetime.timedelta(days=1)).isoformat()} 09:00 +0800", tick=False):
        detail = judge.get(f"/api/cases/{case.pk}/").json()
        assert "advise_private_prosecution" in detail["allowed_transitions"]
        ok = judge.post(f"/api/cases/{case.pk}/transitions/advise_private_prosecution/", {}, format="json")
        assert ok.status_code == 200 and ok.json()["state"] == "private_prosecution_advised"


def test_reconcile_and_withdraw_only_before_judgment(demo, as_user):
    case = case_in_state(demo, "private_trial")
    fire(case, "render_judgment", demo["trial_judge"], outcome="exempted", sentence="免予刑事处罚")
    creditor = as_user(demo["creditor"])
    for name, body in (("reconcile", {"terms": "和解"}), ("withdraw_private_prosecution", {})):
        response = creditor.post(f"/api/cases/{case.pk}/transitions/{name}/", body, format="json")
        assert response.status_code == 409 and response.json()["state"] == "judged"


def test_event_log_has_no_update_or_delete_path(demo):
    case = case_in_state(demo, "transferred")
    event = CaseEvent.objects.filter(case=case).first()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        CaseEvent.objects.filter(case=case).update(payload={})
    with pytest.raises(ValidationError):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.filter(case=case).count() == 7  # create, five materials, transfer
