"""Art. 17, CPL Art. 212: before judgment the creditor settles with the defendant or withdraws the private
prosecution, in the filing review as at trial; the court approves by a ruling (`settlement_ruling`): the filing
division during the filing review, the trial court at trial."""

import pytest

from documents.render import render_document_html
from tests.casebuilder import case_in_state
from tests.documents.helpers import pdf_text, response_bytes
from workflow.models import Approval, Case, Notification


def _propose(as_user, demo, case, name, body):
    response = as_user(demo["creditor"]).post(f"/api/cases/{case.pk}/transitions/{name}/", body, format="json")
    assert response.status_code == 202, response.json()
    return response.json()["id"]


def test_reconciliation_in_the_filing_review_approved_by_the_filing_clerk_issues_the_ruling(
        demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "private_filing_review")
    with django_capture_on_commit_callbacks(execute=True):
        approval_id = _propose(as_user, demo, case, "reconcile", {"terms": "被告人于三十日内一次性付清全部欠款"})
    # The filing division hears of it; the trial judge holds no position in the case yet and cannot decide it.
    assert Notification.objects.filter(recipient=demo["filing_clerk"], kind="approval_requested").exists()
    assert not Notification.objects.filter(recipient=demo["trial_judge"], kind="approval_requested").exists()
    judge = as_user(demo["trial_judge"]).post(f"/api/approvals/{approval_id}/approve/")
    assert judge.status_code == 403
    assert as_user(demo["creditor"]).post(f"/api/approvals/{approval_id}/approve/").status_code == 403

    approved = as_user(demo["filing_clerk"]).post(f"/api/approvals/{approval_id}/approve/")
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["state"] == "reconciled" and body["reconciliation_terms"] == "被告人于三十日内一次性付清全部欠款"
    assert {d["kind"]: d["status"] for d in body["deadlines"]}["private_filing_review"] == "met"
    assert body["events"][-1]["payload"]["proposed_by"] == "creditor"
    assert body["events"][-1]["payload"]["approved_by"] == "filing_clerk"

    ruling = Case.objects.get(pk=case.pk).documents.get(kind="settlement_ruling")
    assert ruling.issued_by == demo["filing_clerk"].agency and ruling.addressed_to_creditor
    # The creditor reads the ruling addressed to them.
    creditor = as_user(demo["creditor"])
    mine = creditor.get(f"/api/cases/{case.pk}/documents/").json()
    listed = mine["results"] if isinstance(mine, dict) else mine
    assert "settlement_ruling" in [d["kind"] for d in listed]
    text = pdf_text(response_bytes(creditor.get(f"/api/documents/{ruling.pk}/pdf/")))
    for words in ("刑事裁定书", "在本院立案审查期间", "被告人于三十日内一次性付清全部欠款", "准许自诉人",
                  "第二百一十二条第一款", "第十七条", ruling.number):
        assert words in text, words


def test_withdrawal_at_trial_is_approved_by_the_trial_judge_not_the_filing_clerk(demo, as_user):
    case = case_in_state(demo, "private_trial")
    approval_id = _propose(as_user, demo, case, "withdraw_private_prosecution", {"note": "被告人已全部履行"})
    assert as_user(demo["filing_clerk"]).post(f"/api/approvals/{approval_id}/approve/").status_code == 403
    approved = as_user(demo["trial_judge"]).post(f"/api/approvals/{approval_id}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "private_withdrawn"
    assert {d["kind"]: d["status"] for d in approved.json()["deadlines"]}["trial"] == "met"
    ruling = Case.objects.get(pk=case.pk).documents.get(kind="settlement_ruling")
    assert ruling.issued_by == demo["trial_judge"].agency
    zh = render_document_html("settlement_ruling", ruling.context, language="zh-hans")
    en = render_document_html("settlement_ruling", ruling.context, language="en")
    assert "宣告判决前" in zh and "撤回自诉" in zh and "和解内容" not in zh
    assert "before judgment was pronounced" in en and "permitted to withdraw the prosecution" in en
    assert "Article 212, paragraph 1" in en and "Article 17" in en


@pytest.mark.parametrize("name", ["reconcile", "withdraw_private_prosecution"])
def test_the_court_may_rule_directly_in_the_filing_review(demo, as_user, name):
    case = case_in_state(demo, "private_filing_review")
    body = {"terms": "分期付清"} if name == "reconcile" else {}
    clerk = as_user(demo["filing_clerk"]).post(f"/api/cases/{case.pk}/transitions/{name}/", body, format="json")
    assert clerk.status_code == 200 and clerk.json()["state"] in ("reconciled", "private_withdrawn")
    assert "settlement_ruling" in [d["kind"] for d in clerk.json()["documents"]]
    assert not Approval.objects.filter(case=case).exists()


def test_a_pending_settlement_lapses_when_the_filing_division_rejects_the_prosecution(demo, as_user):
    case = case_in_state(demo, "private_filing_review")
    approval_id = _propose(as_user, demo, case, "reconcile", {"terms": "分期付清"})
    rejected = as_user(demo["filing_clerk"]).post(f"/api/cases/{case.pk}/transitions/reject_private_prosecution/",
                                                  {"reason": "不符合自诉条件"}, format="json")
    assert rejected.status_code == 200
    assert Approval.objects.get(pk=approval_id).status == "lapsed"
    late = as_user(demo["filing_clerk"]).post(f"/api/approvals/{approval_id}/approve/")
    assert late.status_code == 409 and Case.objects.get(pk=case.pk).state == "private_rejected"
    assert not Case.objects.get(pk=case.pk).documents.filter(kind="settlement_ruling").exists()
