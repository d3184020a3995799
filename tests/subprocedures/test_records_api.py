"""Each sub-procedure record through the API: its happy path, and its refusals by role (403), by agency (404),
by the case's state (409) and for a missing field (400). Every record lands in the case's audit chain."""

import datetime

import pytest
from django.utils import timezone

from tests.casebuilder import case_in_state, new_case
from workflow.cases.events import verify_chain
from workflow.models import CaseEvent, Deadline, Notification


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def events(case, name):
    return list(CaseEvent.objects.filter(case=case, transition=name))


def chain_intact(case):
    return verify_chain(CaseEvent.objects.filter(case=case).order_by("seq")) is None


# --- arrest_request -------------------------------------------------------------------------------------------


def test_arrest_request_opens_the_review_deadline_and_the_procurator_decides(demo, as_user,
                                                                             django_capture_on_commit_callbacks):
    case = case_in_state(demo, "investigating")
    police = as_user(demo["police_investigator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(police, f"/api/cases/{case.pk}/arrest-requests/", {"grounds": "有逃跑可能", "detained": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["suspect_name"] == case.debtor_name and body["decision"] == ""
    deadline = Deadline.objects.get(pk=body["deadline"]["id"])
    assert deadline.kind == "arrest_review" and deadline.owed_by == demo["procurator"].agency
    assert deadline.status == "open" and deadline.custody is True
    # CPL Art. 91 ¶3: seven days, not extended for holidays while the suspect is held.
    assert deadline.due_date == deadline.start_date + datetime.timedelta(days=7)
    assert events(case, "arrest_request")[0].to_state == "investigating"
    assert Notification.objects.filter(recipient=demo["procurator"], kind="arrest_request", case=case).exists()

    procurator = as_user(demo["procurator"])
    inbox = procurator.get("/api/arrest-requests/?pending=true").json()
    assert [r["id"] for r in inbox["results"]] == [body["id"]]
    decided = post(procurator, f"/api/arrest-requests/{body['id']}/decision/", {"decision": "approve"})
    assert decided.status_code == 200, decided.json()
    assert decided.json()["decision"] == "approve"
    deadline.refresh_from_db()
    assert deadline.status == "met" and deadline.met_at is not None
    assert events(case, "decide_arrest_request")[0].payload["decision"] == "approve"
    again = post(procurator, f"/api/arrest-requests/{body['id']}/decision/", {"decision": "deny", "reason": "x"})
    assert again.status_code == 409

    # The approved request is executed by recording the arrest: the suspect is now in custody.
    measure = post(police, f"/api/cases/{case.pk}/coercive-measures/",
                   {"kind": "arrest", "legal_basis": "刑事诉讼法第八十一条"})
    assert measure.status_code == 201, measure.json()
    assert measure.json()["arrest_request"] == body["id"]
    case.refresh_from_db()
    assert case.custody is True
    assert chain_intact(case)


def test_arrest_request_refusals(demo, as_user):
    case = case_in_state(demo, "investigating")
    url = f"/api/cases/{case.pk}/arrest-requests/"
    assert post(as_user(demo["police_clerk"]), url, {"grounds": "x"}).status_code == 403
    assert post(as_user(demo["procurator"]), url, {"grounds": "x"}).status_code == 403
    assert post(as_user(demo["police_investigator_2"]), url, {"grounds": "x"}).status_code == 404
    missing = post(as_user(demo["police_investigator"]), url, {})
    assert missing.status_code == 400 and "grounds" in missing.json()
    reviewing = case_in_state(demo, "filing_review")
    wrong_state = post(as_user(demo["police_investigator"]), f"/api/cases/{reviewing.pk}/arrest-requests/",
                       {"grounds": "x"})
    assert wrong_state.status_code == 409 and wrong_state.json()["state"] == "filing_review"

    police = as_user(demo["police_investigator"])
    first = post(police, url, {"grounds": "有逃跑可能", "detained": False}).json()
    assert post(police, url, {"grounds": "再次申请", "detained": False}).status_code == 409  # one pending at a time
    decision_url = f"/api/arrest-requests/{first['id']}/decision/"
    deny_without_reason = post(as_user(demo["procurator"]), decision_url, {"decision": "deny"})
    assert deny_without_reason.status_code == 400 and "reason" in deny_without_reason.json()
    assert post(as_user(demo["procurator"]), decision_url, {"decision": "maybe"}).status_code == 400
    assert post(police, decision_url, {"decision": "approve"}).status_code == 403
    assert post(as_user(demo["procurator_2"]), decision_url, {"decision": "approve"}).status_code == 404
    # The arrest review is internal to the organs: the creditor neither sees nor decides it.
    creditor = as_user(demo["creditor"])
    assert creditor.get(url).json()["count"] == 0
    assert post(creditor, decision_url, {"decision": "approve"}).status_code == 404
    denied = post(as_user(demo["procurator_general"]), decision_url, {"decision": "deny", "reason": "不符合逮捕条件"})
    assert denied.status_code == 200 and denied.json()["decision"] == "deny"
    # Without an approval an arrest cannot be recorded (CPL Art. 80).
    arrest = post(police, f"/api/cases/{case.pk}/coercive-measures/", {"kind": "arrest", "legal_basis": "x"})
    assert arrest.status_code == 400 and "kind" in arrest.json()


# --- coercive_measure -----------------------------------------------------------------------------------------


def test_detention_puts_the_suspect_in_custody_until_it_ends(demo, as_user):
    case = case_in_state(demo, "investigating")
    police = as_user(demo["police_investigator"])
    response = post(police, f"/api/cases/{case.pk}/coercive-measures/",
                    {"kind": "detention", "legal_basis": "刑事诉讼法第八十二条", "place": "第一看守所"})
    assert response.status_code == 201, response.json()
    measure = response.json()
    assert measure["person_name"] == case.debtor_name and measure["active"] is True
    case.refresh_from_db()
    assert case.custody is True
    ended = post(police, f"/api/coercive-measures/{measure['id']}/end/", {"reason": "变更为取保候审"})
    assert ended.status_code == 200 and ended.json()["active"] is False
    case.refresh_from_db()
    assert case.custody is False
    assert post(police, f"/api/coercive-measures/{measure['id']}/end/", {"reason": "x"}).status_code == 409
    assert [e.transition for e in CaseEvent.objects.filter(case=case).order_by("seq")][-2:] == [
        "coercive_measure", "end_coercive_measure"]


def test_coercive_measure_refusals(demo, as_user):
    case = case_in_state(demo, "investigating")
    url = f"/api/cases/{case.pk}/coercive-measures/"
    body = {"kind": "bail", "legal_basis": "刑事诉讼法第六十七条"}
    assert post(as_user(demo["enforcement_judge"]), url, body).status_code == 403
    assert post(as_user(demo["police_investigator_2"]), url, body).status_code == 404
    missing = post(as_user(demo["police_investigator"]), url, {"kind": "bail"})
    assert missing.status_code == 400 and "legal_basis" in missing.json()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = post(as_user(demo["police_investigator"]), url, {**body, "taken_on": tomorrow})
    assert future.status_code == 400 and "taken_on" in future.json()
    unknown = post(as_user(demo["police_investigator"]), url, {**body, "kind": "house_arrest"})
    assert unknown.status_code == 400 and "kind" in unknown.json()
    trial = case_in_state(demo, "trial")
    assert post(as_user(demo["police_investigator"]), f"/api/cases/{trial.pk}/coercive-measures/",
                body).status_code == 409
    measure = post(as_user(demo["police_investigator"]), url, body).json()
    assert post(as_user(demo["police_clerk"]), f"/api/coercive-measures/{measure['id']}/end/",
                {"reason": "x"}).status_code == 403
    no_reason = post(as_user(demo["police_investigator"]), f"/api/coercive-measures/{measure['id']}/end/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()


# --- property_control -----------------------------------------------------------------------------------------


def test_police_control_property_after_filing_and_hand_it_to_the_executing_court(demo, as_user):
    case = case_in_state(demo, "investigating")
    police = as_user(demo["police_investigator"])
    response = post(police, f"/api/cases/{case.pk}/property-controls/",
                    {"measure": "seize", "description": "房产一套", "location": "兴宁区某小区", "amount": "800000.00"})
    assert response.status_code == 201, response.json()
    control = response.json()
    assert control["status"] == "controlled" and control["controlling_agency"]["id"] == demo["police_clerk"].agency_id
    handed = post(police, f"/api/property-controls/{control['id']}/hand-over/", {"note": "移交处置"})
    assert handed.status_code == 200
    assert handed.json()["status"] == "handed_over"
    assert handed.json()["handed_to"]["id"] == demo["enforcement_judge"].agency_id
    assert post(police, f"/api/property-controls/{control['id']}/release/", {"reason": "x"}).status_code == 409
    assert [e.transition for e in CaseEvent.objects.filter(case=case).order_by("seq")][-2:] == [
        "property_control", "hand_over_property"]


def test_the_trial_court_preserves_property_in_a_private_prosecution(demo, as_user):
    """Art. 14 ¶2: in a private prosecution there is no police investigation; the court freezes property."""
    case = case_in_state(demo, "private_trial")
    judge = as_user(demo["trial_judge"])
    response = post(judge, f"/api/cases/{case.pk}/property-controls/",
                    {"measure": "freeze", "description": "银行存款", "amount": "50000"})
    assert response.status_code == 201, response.json()
    control = response.json()
    assert control["controlling_agency"]["id"] == demo["trial_judge"].agency_id
    # the police hold a position in this (court-origin) case but do not act in a private prosecution
    assert post(as_user(demo["police_investigator"]), f"/api/cases/{case.pk}/property-controls/",
                {"measure": "freeze", "description": "x"}).status_code == 409
    no_reason = post(judge, f"/api/property-controls/{control['id']}/release/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert post(as_user(demo["police_investigator"]), f"/api/property-controls/{control['id']}/release/",
                {"reason": "x"}).status_code == 403
    released = post(judge, f"/api/property-controls/{control['id']}/release/", {"reason": "被告人提供担保"})
    assert released.status_code == 200 and released.json()["status"] == "released"


def test_property_control_refusals(demo, as_user):
    public_trial = case_in_state(demo, "trial")
    body = {"measure": "freeze", "description": "银行存款"}
    assert post(as_user(demo["trial_judge"]), f"/api/cases/{public_trial.pk}/property-controls/",
                body).status_code == 409
    case = case_in_state(demo, "investigating")
    url = f"/api/cases/{case.pk}/property-controls/"
    # The executing court's trial judge preserves property only in a private prosecution (Art. 14 ¶2): 409 here.
    assert post(as_user(demo["trial_judge"]), url, body).status_code == 409
    assert post(as_user(demo["police_head"]), url, body).status_code == 403
    assert post(as_user(demo["police_investigator_2"]), url, body).status_code == 404
    missing = post(as_user(demo["police_investigator"]), url, {"measure": "freeze"})
    assert missing.status_code == 400 and "description" in missing.json()
    negative = post(as_user(demo["police_investigator"]), url, {**body, "amount": "-1"})
    assert negative.status_code == 400 and "amount" in negative.json()


# --- warning ----------------------------------------------------------------------------------------------------


def test_warning_by_any_organ_of_the_case_and_refusals(demo, as_user):
    case = case_in_state(demo, "draft")
    url = f"/api/cases/{case.pk}/warnings/"
    response = post(as_user(demo["enforcement_judge"]), url, {"content": "责令十日内履行", "performance_due":
                                                              (timezone.localdate() + datetime.timedelta(days=10)).isoformat()})
    assert response.status_code == 201, response.json()
    assert response.json()["given_by"]["id"] == demo["enforcement_judge"].agency_id
    assert events(case, "warning")
    assert post(as_user(demo["creditor"]), url, {"content": "x"}).status_code == 403
    assert post(as_user(demo["enforcement_judge_2"]), url, {"content": "x"}).status_code == 404
    missing = post(as_user(demo["enforcement_judge"]), url, {})
    assert missing.status_code == 400 and "content" in missing.json()
    before = post(as_user(demo["enforcement_judge"]), url, {
        "content": "x", "performance_due": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()})
    assert before.status_code == 400 and "performance_due" in before.json()
    cancelled = case_in_state(demo, "cancelled")
    assert post(as_user(demo["enforcement_judge"]), f"/api/cases/{cancelled.pk}/warnings/",
                {"content": "x"}).status_code == 409
    investigating = case_in_state(demo, "investigating")
    assert post(as_user(demo["police_investigator"]), f"/api/cases/{investigating.pk}/warnings/",
                {"content": "责令履行"}).status_code == 201


# --- evidence_copy_request and the download -------------------------------------------------------------------


def test_evidence_copies_requested_by_the_creditor_shared_by_the_court_and_downloaded(
        demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "private_trial")
    creditor = as_user(demo["creditor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(creditor, f"/api/cases/{case.pk}/evidence-copy-requests/",
                        {"description": "执行中的财产调查报告"})
    assert response.status_code == 201, response.json()
    request_id = response.json()["id"]
    assert Notification.objects.filter(recipient=demo["enforcement_judge"], kind="evidence_copy_request").exists()

    ability = case.evidence.get(category="ability")
    refusal = case.evidence.get(category="refusal")
    assert creditor.get(f"/api/evidence/{ability.pk}/file/").status_code == 404  # not shared yet

    judge = as_user(demo["enforcement_judge"])
    assert [r["id"] for r in judge.get("/api/evidence-copy-requests/?pending=true").json()["results"]] == [request_id]
    other_case = case_in_state(demo, "filing_review")
    foreign = post(judge, f"/api/evidence-copy-requests/{request_id}/answer/",
                   {"evidence": [other_case.evidence.first().pk]})
    assert foreign.status_code == 400 and "evidence" in foreign.json()
    empty = post(judge, f"/api/evidence-copy-requests/{request_id}/answer/", {"evidence": []})
    assert empty.status_code == 400 and "evidence" in empty.json()
    assert post(as_user(demo["filing_clerk"]), f"/api/evidence-copy-requests/{request_id}/answer/",
                {"evidence": [ability.pk]}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        answered = post(judge, f"/api/evidence-copy-requests/{request_id}/answer/",
                        {"evidence": [ability.pk, refusal.pk], "note": "已提供"})
    assert answered.status_code == 200, answered.json()
    assert {e["id"] for e in answered.json()["shared_evidence"]} == {ability.pk, refusal.pk}
    assert Notification.objects.filter(recipient=demo["creditor"], kind="answer_evidence_copy_request").exists()
    assert post(judge, f"/api/evidence-copy-requests/{request_id}/answer/",
                {"evidence": [ability.pk]}).status_code == 409

    download = creditor.get(f"/api/evidence/{ability.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    ability.file.open("rb")
    assert b"".join(download.streaming_content) == ability.file.read()
    ability.file.close()
    # still hidden: what the court did not share
    hidden = case.evidence.get(category="identity", added_by=demo["enforcement_judge"])
    assert creditor.get(f"/api/evidence/{hidden.pk}/file/").status_code == 404
    detail = creditor.get(f"/api/cases/{case.pk}/").json()
    assert {e["id"] for e in detail["evidence"]} >= {ability.pk, refusal.pk}
    # agency users of the case download anything; another region's user nothing
    assert as_user(demo["police_investigator"]).get(f"/api/evidence/{ability.pk}/file/").status_code == 200
    assert as_user(demo["enforcement_judge_2"]).get(f"/api/evidence/{ability.pk}/file/").status_code == 404
    assert as_user(demo["discipline_officer"]).get(f"/api/evidence/{ability.pk}/file/").status_code == 404


def test_evidence_copy_request_refusals(demo, as_user):
    advised = case_in_state(demo, "private_prosecution_advised")
    creditor = as_user(demo["creditor"])
    assert post(creditor, f"/api/cases/{advised.pk}/evidence-copy-requests/",
                {"description": "x"}).status_code == 409  # Art. 15: during filing or trial
    case = case_in_state(demo, "private_filing_review")
    url = f"/api/cases/{case.pk}/evidence-copy-requests/"
    assert post(as_user(demo["enforcement_judge"]), url, {"description": "x"}).status_code == 403
    assert post(as_user(demo["creditor_2"]), url, {"description": "x"}).status_code == 404
    missing = post(creditor, url, {})
    assert missing.status_code == 400 and "description" in missing.json()
    assert post(creditor, url, {"description": "执行笔录"}).status_code == 201


# --- locate_request ---------------------------------------------------------------------------------------------


def test_locate_request_to_a_police_agency_outside_the_case(demo, as_user, django_capture_on_commit_callbacks):
    """Art. 16: a private prosecution the creditor started has no police agency; the court names the one to ask,
    which answers although it holds no position in the case."""
    case = new_case(demo, origin="creditor")
    from tests.casebuilder import add_private_evidence, fire

    add_private_evidence(case, demo["creditor"])
    fire(case, "file_private_prosecution", demo["creditor"])
    fire(case, "accept_private_prosecution", demo["filing_clerk"], trial_court=demo["trial_judge"].agency.pk)
    judge = as_user(demo["trial_judge"])
    url = f"/api/cases/{case.pk}/locate-requests/"
    without = post(judge, url, {})
    assert without.status_code == 400 and "police_agency" in without.json()
    not_police = post(judge, url, {"police_agency": demo["procurator"].agency_id})
    assert not_police.status_code == 400 and "police_agency" in not_police.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(judge, url, {"police_agency": demo["police_clerk"].agency_id, "note": "可能在亲属处"})
    assert response.status_code == 201, response.json()
    request = response.json()
    assert request["letter"]["kind"] == "locate_request_letter"
    letter = case.documents.get(kind="locate_request_letter")
    assert letter.addressee_agency_id == demo["police_clerk"].agency_id
    assert Notification.objects.filter(recipient=demo["police_investigator"], kind="locate_request").exists()
    assert post(judge, url, {"police_agency": demo["police_clerk"].agency_id}).status_code == 409  # unanswered

    police = as_user(demo["police_investigator"])
    assert police.get(f"/api/cases/{case.pk}/").status_code == 404  # the case itself stays hidden
    pdf = police.get(request["letter"]["pdf_url"])  # but the letter addressed to it is readable
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    inbox = police.get("/api/locate-requests/?pending=true").json()["results"]
    assert [r["id"] for r in inbox] == [request["id"]]
    answer_url = f"/api/locate-requests/{request['id']}/answer/"
    assert post(as_user(demo["police_clerk"]), answer_url, {"result": "found", "detail": "x"}).status_code == 403
    assert post(as_user(demo["police_investigator_2"]), answer_url, {"result": "not_found"}).status_code == 404
    no_detail = post(police, answer_url, {"result": "found"})
    assert no_detail.status_code == 400 and "detail" in no_detail.json()
    with django_capture_on_commit_callbacks(execute=True):
        answered = post(police, answer_url, {"result": "found", "detail": "现居西乡塘区某小区"})
    assert answered.status_code == 200 and answered.json()["result"] == "found"
    assert Notification.objects.filter(recipient=demo["trial_judge"], kind="answer_locate_request").exists()
    assert post(police, answer_url, {"result": "not_found"}).status_code == 409
    # the creditor learns the result, not the address
    seen = as_user(demo["creditor"]).get(url).json()["results"][0]
    assert seen["result"] == "found" and seen["result_detail"] is None
    assert [e.transition for e in CaseEvent.objects.filter(case=case).order_by("seq")][-2:] == [
        "locate_request", "answer_locate_request"]
    assert chain_intact(case)


def test_locate_request_refusals(demo, as_user):
    case = case_in_state(demo, "trial")
    url = f"/api/cases/{case.pk}/locate-requests/"
    assert post(as_user(demo["enforcement_judge"]), url, {}).status_code == 403
    assert post(as_user(demo["trial_judge_2"]), url, {}).status_code == 404
    assert post(as_user(demo["trial_judge"]), url, {}).status_code == 201  # the case's police by default
    judged = case_in_state(demo, "judged")
    assert post(as_user(demo["trial_judge"]), f"/api/cases/{judged.pk}/locate-requests/", {}).status_code == 409
    bad = post(as_user(demo["trial_judge"]), url, {"police_agency": "abc"})
    assert bad.status_code == 400 and "police_agency" in bad.json()


# --- obstruction_referral ---------------------------------------------------------------------------------------


def test_obstruction_referral_to_the_discipline_commission(demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "filing_review")
    judge = as_user(demo["enforcement_judge"])
    discipline = demo["discipline_officer"].agency
    with django_capture_on_commit_callbacks(execute=True):
        response = post(judge, f"/api/cases/{case.pk}/obstruction-referrals/",
                        {"receiver": discipline.pk, "official_name": "张某", "official_position": "某局副局长",
                         "conduct": "向被执行人通风报信"})
    assert response.status_code == 201, response.json()
    referral = response.json()
    assert referral["letter"]["kind"] == "obstruction_referral_letter"
    assert case.documents.get(kind="obstruction_referral_letter").addressee_agency_id == discipline.pk
    assert Notification.objects.filter(recipient=demo["discipline_officer"], kind="obstruction_referral").exists()
    # the clue names an official: the event does not, and the other organs of the case do not see it
    event = events(case, "obstruction_referral")[0]
    assert "张某" not in str(event.payload)
    assert as_user(demo["police_investigator"]).get(
        f"/api/cases/{case.pk}/obstruction-referrals/").json()["count"] == 0
    assert as_user(demo["creditor"]).get(f"/api/cases/{case.pk}/obstruction-referrals/").json()["count"] == 0
    assert as_user(demo["police_investigator"]).get(referral["letter"]["pdf_url"]).status_code == 404
    assert as_user(demo["discipline_officer"]).get(referral["letter"]["pdf_url"]).status_code == 200

    officer = as_user(demo["discipline_officer"])
    assert [r["id"] for r in officer.get("/api/obstruction-referrals/?pending=true").json()["results"]] == [
        referral["id"]]
    ack_url = f"/api/obstruction-referrals/{referral['id']}/acknowledge/"
    assert post(as_user(demo["discipline_officer_2"]), ack_url).status_code == 404
    assert post(judge, ack_url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        acked = post(officer, ack_url, {"note": "已收到"})
    assert acked.status_code == 200 and acked.json()["acknowledged_at"]
    assert Notification.objects.filter(recipient=demo["enforcement_judge"],
                                       kind="acknowledge_obstruction_referral").exists()
    assert post(officer, ack_url).status_code == 409
    assert chain_intact(case)


def test_obstruction_referral_refusals(demo, as_user):
    case = case_in_state(demo, "investigating")
    url = f"/api/cases/{case.pk}/obstruction-referrals/"
    body = {"receiver": demo["procurator"].agency_id, "official_name": "李某", "conduct": "干扰查封"}
    assert post(as_user(demo["filing_clerk"]), url, body).status_code == 403
    assert post(as_user(demo["police_investigator"]), url, body).status_code == 403
    assert post(as_user(demo["enforcement_judge_2"]), url, body).status_code == 404
    police = post(as_user(demo["enforcement_judge"]), url, {**body, "receiver": demo["police_clerk"].agency_id})
    assert police.status_code == 400 and "receiver" in police.json()
    missing = post(as_user(demo["enforcement_judge"]), url, {"receiver": demo["procurator"].agency_id,
                                                             "official_name": "李某"})
    assert missing.status_code == 400 and "conduct" in missing.json()
    created = post(as_user(demo["enforcement_judge"]), url, body)
    assert created.status_code == 201
    ack = f"/api/obstruction-referrals/{created.json()['id']}/acknowledge/"
    assert post(as_user(demo["police_investigator"]), ack).status_code == 404
    assert post(as_user(demo["procurator"]), ack).status_code == 200


# --- the records of one case at once ----------------------------------------------------------------------------


def test_case_records_lists_what_the_user_may_add_now(demo, as_user):
    case = case_in_state(demo, "investigating")
    police = as_user(demo["police_investigator"]).get(f"/api/cases/{case.pk}/records/").json()
    assert set(police["allowed_record_actions"]) == {"arrest_request", "coercive_measure", "property_control",
                                                     "warning", "performance"}
    creditor = as_user(demo["creditor"]).get(f"/api/cases/{case.pk}/records/").json()
    assert creditor["allowed_record_actions"] == ["performance"]
    assert as_user(demo["police_investigator_2"]).get(f"/api/cases/{case.pk}/records/").status_code == 404


@pytest.mark.parametrize("path", ["arrest-requests", "coercive-measures", "property-controls", "warnings",
                                  "performances", "evidence-copy-requests", "locate-requests",
                                  "obstruction-referrals"])
def test_record_lists_of_a_hidden_case_are_404(demo, as_user, path):
    case = case_in_state(demo, "investigating")
    assert as_user(demo["procurator_2"]).get(f"/api/cases/{case.pk}/{path}/").status_code == 404
    assert as_user(demo["procurator_2"]).post(f"/api/cases/{case.pk}/{path}/", {}, format="json").status_code == 404
    assert as_user(demo["procurator"]).get(f"/api/cases/{case.pk}/{path}/").status_code == 200
