"""The creditor's private prosecution (Art. 11-14, 17) through the API: advice, the Art. 13 checklist, uploads by
category, a refused filing naming what is missing, one round of supplements, acceptance; and its limits."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from procedure.states import EvidenceCategory
from tests.casebuilder import CASE_BODY, add_private_evidence, case_in_state, fire
from workflow.cases.events import verify_chain
from workflow.models import CaseEvent, Notification


def upload(client, case_id, category, content=None):
    file = SimpleUploadedFile(f"{category}.pdf", content or f"%PDF-1.4 {category} {case_id}".encode(),
                              content_type="application/pdf")
    return client.post(f"/api/cases/{case_id}/evidence/", {"category": category, "title": f"{category} 材料",
                                                           "file": file}, format="multipart")


def checklist(client, case_id):
    response = client.get(f"/api/cases/{case_id}/private-checklist/")
    assert response.status_code == 200, response.content
    return response.json()


def test_creditor_journey_from_advice_to_acceptance_with_one_supplement_round(demo, as_user,
                                                                              django_capture_on_commit_callbacks):
    case = case_in_state(demo, "not_filed")
    judge, creditor, clerk = (as_user(demo[u]) for u in ("enforcement_judge", "creditor", "filing_clerk"))

    # Art. 12: the executing court tells the creditor of the right to prosecute privately.
    advised = judge.post(f"/api/cases/{case.pk}/transitions/advise_private_prosecution/", {}, format="json")
    assert advised.status_code == 200 and advised.json()["state"] == "private_prosecution_advised"
    assert "file_private_prosecution" not in advised.json()["allowed_transitions"]

    listing = checklist(creditor, case.pk)
    assert [i["category"] for i in listing["items"]] == ["complaint", "accuser_identity", "execution_basis",
                                                          "refusal_evidence", "public_route_failed", "other"]
    assert {"complaint", "execution_basis", "refusal_evidence", "public_route_failed"} <= set(listing["missing"])
    assert listing["ready_to_file"] is False and listing["may_file_now"] is False
    assert next(i for i in listing["items"] if i["category"] == "other")["required"] is False

    # Filing without the materials is refused, naming each missing one (Art. 13).
    refused = creditor.post(f"/api/cases/{case.pk}/transitions/file_private_prosecution/", {}, format="json")
    assert refused.status_code == 400
    message = refused.json()["evidence"][0]
    for category in ("complaint", "execution_basis", "refusal_evidence", "public_route_failed"):
        assert str(EvidenceCategory(category).label) in message

    for category in ("complaint", "accuser_identity", "execution_basis", "refusal_evidence"):
        assert upload(creditor, case.pk, category).status_code == 201
    still = creditor.post(f"/api/cases/{case.pk}/transitions/file_private_prosecution/", {}, format="json")
    assert still.status_code == 400
    assert str(EvidenceCategory.PUBLIC_ROUTE_FAILED.label) in still.json()["evidence"][0]
    assert str(EvidenceCategory.COMPLAINT.label) not in still.json()["evidence"][0]
    assert checklist(creditor, case.pk)["missing"] == ["public_route_failed"]

    assert upload(creditor, case.pk, "public_route_failed").status_code == 201
    ready = checklist(creditor, case.pk)
    assert ready["missing"] == [] and ready["ready_to_file"] is True and ready["may_file_now"] is True
    filed = creditor.post(f"/api/cases/{case.pk}/transitions/file_private_prosecution/", {}, format="json")
    assert filed.status_code == 200 and filed.json()["state"] == "private_filing_review"
    review = next(d for d in filed.json()["deadlines"] if d["kind"] == "private_filing_review")
    assert review["owed_by"]["id"] == demo["filing_clerk"].agency_id and review["status"] == "open"
    start, due = (datetime.date.fromisoformat(review[k]) for k in ("start_date", "due_date"))
    assert due >= start + datetime.timedelta(days=15)  # 15 days, shifted past a rest day

    # The filing division asks for one more material; the creditor is told what is missing.
    with django_capture_on_commit_callbacks(execute=True):
        asked = clerk.post(f"/api/cases/{case.pk}/transitions/request_supplement/",
                           {"missing": ["other"], "note": "请补充向公安机关控告的回执"}, format="json")
    assert asked.status_code == 200 and asked.json()["state"] == "private_filing_review"
    notice = Notification.objects.get(recipient=demo["creditor"], case=case, kind="supplement_requested")
    assert case.number in notice.title + notice.body
    pending = checklist(creditor, case.pk)
    assert pending["requested_outstanding"] == ["other"]
    assert pending["supplement_note"] == "请补充向公安机关控告的回执"
    assert next(i for i in pending["items"] if i["category"] == "other")["requested"] is True

    assert upload(creditor, case.pk, "other").status_code == 201
    supplied = checklist(creditor, case.pk)
    assert supplied["requested_outstanding"] == []
    assert next(i for i in supplied["items"] if i["category"] == "other")["supplied_since_request"] is True

    # Art. 14: accepted and placed on file, before the trial court of the region.
    accepted = clerk.post(f"/api/cases/{case.pk}/transitions/accept_private_prosecution/",
                          {"trial_court": demo["trial_judge"].agency_id}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "private_trial"
    deadlines = {d["kind"]: d["status"] for d in accepted.json()["deadlines"]}
    assert deadlines["private_filing_review"] == "met" and deadlines["trial"] == "open"
    chain = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.transition for e in chain if e.to_state != e.from_state or e.transition == "request_supplement"][-4:] \
        == ["advise_private_prosecution", "file_private_prosecution", "request_supplement",
            "accept_private_prosecution"]
    assert verify_chain(chain) is None


def test_the_checklist_is_the_creditors_and_the_organs_only(demo, as_user):
    case = case_in_state(demo, "private_prosecution_advised")
    assert as_user(demo["creditor_2"]).get(f"/api/cases/{case.pk}/private-checklist/").status_code == 404
    assert as_user(demo["filing_clerk"]).get(f"/api/cases/{case.pk}/private-checklist/").status_code == 200
    # uploads by category: the creditor adds only private prosecution materials
    wrong = upload(as_user(demo["creditor"]), case.pk, "ability")
    assert wrong.status_code == 400 and "category" in wrong.json()


def test_a_case_started_by_the_creditor_goes_straight_to_the_court(demo, as_user):
    """Art. 11: the creditor starts the case and files it with the executing court; no police, no procuratorate."""
    creditor = as_user(demo["creditor"])
    body = {**CASE_BODY, "executing_court": demo["filing_clerk"].agency_id,
            "police_agency": demo["police_clerk"].agency_id}
    created = creditor.post("/api/cases/", body, format="json")
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["origin"] == "creditor" and case["police_agency"] is None and case["state"] == "draft"
    assert checklist(creditor, case["id"])["missing"] == ["complaint", "accuser_identity", "execution_basis",
                                                          "refusal_evidence", "public_route_failed"]
    for category in ("complaint", "accuser_identity", "execution_basis", "refusal_evidence", "public_route_failed"):
        assert upload(creditor, case["id"], category).status_code == 201
    filed = creditor.post(f"/api/cases/{case['id']}/transitions/file_private_prosecution/", {}, format="json")
    assert filed.status_code == 200 and filed.json()["state"] == "private_filing_review"
    assert as_user(demo["police_investigator"]).get(f"/api/cases/{case['id']}/").status_code == 404
    assert as_user(demo["filing_clerk"]).get(f"/api/cases/{case['id']}/").status_code == 200
    # it cannot take the public route
    transfer = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case['id']}/transitions/submit_transfer/", {},
                                                       format="json")
    assert transfer.status_code in (403, 409)


def test_reconciliation_and_withdrawal_only_before_judgment(demo, as_user):
    """Art. 17: the private prosecutor may reconcile or withdraw before judgment is pronounced, not after."""
    case = case_in_state(demo, "private_trial")
    creditor = as_user(demo["creditor"])
    no_terms = creditor.post(f"/api/cases/{case.pk}/transitions/reconcile/", {}, format="json")
    assert no_terms.status_code == 400 and "terms" in no_terms.json()
    fire(case, "render_judgment", demo["trial_judge"], outcome="convicted", sentence="有期徒刑六个月")
    for name, body in (("reconcile", {"terms": "分期付款"}), ("withdraw_private_prosecution", {})):
        late = creditor.post(f"/api/cases/{case.pk}/transitions/{name}/", body, format="json")
        assert late.status_code == 409 and late.json()["state"] == "judged"

    other = case_in_state(demo, "private_trial")
    proposed = creditor.post(f"/api/cases/{other.pk}/transitions/withdraw_private_prosecution/",
                             {"note": "被告人已全部履行"}, format="json")
    assert proposed.status_code == 202  # the court approves by a ruling (Art. 17, CPL 212)
    withdrawn = as_user(demo["trial_judge"]).post(f"/api/approvals/{proposed.json()['id']}/approve/")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "private_withdrawn"
    assert {d["kind"]: d["status"] for d in withdrawn.json()["deadlines"]}["trial"] == "met"

    reconciled = case_in_state(demo, "private_trial")
    by_judge = as_user(demo["trial_judge"]).post(f"/api/cases/{reconciled.pk}/transitions/reconcile/",
                                                  {"terms": "被告人三个月内付清"}, format="json")
    assert by_judge.status_code == 200 and by_judge.json()["reconciliation_terms"] == "被告人三个月内付清"


def test_supplement_notice_names_the_missing_materials(demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "private_prosecution_advised")
    add_private_evidence(case, demo["creditor"])
    fire(case, "file_private_prosecution", demo["creditor"])
    demo["creditor"].language = "en"
    demo["creditor"].save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "request_supplement", demo["filing_clerk"], missing=["public_route_failed", "other"])
    notice = Notification.objects.get(recipient=demo["creditor"], kind="supplement_requested")
    assert "Proof that the public prosecution route failed" in notice.body and "Other material" in notice.body
