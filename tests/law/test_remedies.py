"""Art. 12 per origin, the police's receipt, and the remedies on the police's silence (procedure.md §3, §4):
request_supervision and order_filing once the period is overdue, the creditor's supervision complaint, the
procurator's correction notice; a provisional due date (a year the holiday schedule lacks) opens none of them."""

import datetime

import pytest

from documents.models import Document
from tests.casebuilder import case_in_state, fire
from tests.documents.helpers import pdf_text, response_bytes
from tests.law.helpers import deadline, on, post, transition
from workflow.deadlines.holidays import import_schedule
from workflow.deadlines.sweep import sweep_deadlines
from workflow.models import Case, Notification

D = datetime.date.fromisoformat


# --- Art. 12 ¶2: the procuratorate's own transfer ------------------------------------------------------------


@pytest.mark.parametrize("state", ["not_filed", "withdrawn", "transferred", "filing_review", "not_prosecuted"])
def test_procuratorate_origin_advises_only_after_reasons_were_found_tenable(demo, as_user, state):
    with on("2026-03-02"):
        case = case_in_state(demo, state, origin="procuratorate")
    with on("2026-05-04"):  # long after any 30 days: silence opens nothing for this origin
        procurator = as_user(demo["procurator"])
        assert "advise_private_prosecution" not in procurator.get(f"/api/cases/{case.pk}/").json()[
            "allowed_transitions"]
        refused = transition(procurator, case, "advise_private_prosecution")
    assert refused.status_code == 409
    assert "Art. 12 ¶2" in refused.json()["detail"] or "第十二条" in refused.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == state


def test_procuratorate_origin_advises_once_it_accepted_the_police_explanation(demo, as_user):
    case = case_in_state(demo, "supervision_closed", origin="procuratorate")
    assert case.events.filter(transition="accept_explanation").exists()
    advised = transition(as_user(demo["procurator"]), case, "advise_private_prosecution")
    assert advised.status_code == 200 and advised.json()["state"] == "private_prosecution_advised"


def test_procuratorate_transfer_opens_no_written_response_and_its_silence_tells_no_one(demo, as_user):
    with on("2026-03-02"):
        case = case_in_state(demo, "transferred", origin="procuratorate")
    assert not case.deadlines.filter(kind="written_response").exists()
    with on("2026-04-10"):
        sweep_deadlines(email=False)
    assert not Notification.objects.filter(case=case, kind="deadline_awaited").exists()
    # the executing court holds no remedy in a case the procuratorate transferred
    assert transition(as_user(demo["enforcement_judge"]), case, "request_supervision",
                      {"reason": "x"}).status_code == 403


def test_court_origin_still_advises_from_its_states(demo, as_user):
    for state in ("not_filed", "withdrawn", "supervision_closed", "not_prosecuted"):
        case = case_in_state(demo, state)
        response = transition(as_user(demo["enforcement_judge"]), case, "advise_private_prosecution")
        assert response.status_code == 200, (state, response.json())


# --- Art. 12 ¶1: the periods run from the police's receipt ----------------------------------------------------


def test_accept_records_the_day_of_receipt_and_the_periods_run_from_it(demo, as_user):
    with on("2026-03-02"):
        case = case_in_state(demo, "transferred")
        assert deadline(case, "written_response").due_date == D("2026-04-01")
    with on("2026-03-05"):
        accepted = transition(as_user(demo["police_clerk"]), case, "accept", {"received_on": "2026-03-04"})
    assert accepted.status_code == 200, accepted.json()
    case.refresh_from_db()
    assert case.received_on == D("2026-03-04")
    response, review = deadline(case, "written_response"), deadline(case, "filing_review")
    assert (response.start_date, response.due_date) == (D("2026-03-04"), D("2026-04-03"))
    assert (review.start_date, review.due_date) == (D("2026-03-04"), D("2026-03-11"))
    assert case.events.get(transition="accept").payload["received_on"] == "2026-03-04"


def test_received_on_defaults_to_today(demo, as_user):
    with on("2026-03-02"):
        case = case_in_state(demo, "transferred")
    with on("2026-03-03"):
        transition(as_user(demo["police_clerk"]), case, "accept")
    case.refresh_from_db()
    assert case.received_on == D("2026-03-03")
    assert deadline(case, "written_response").due_date == D("2026-04-02")


@pytest.mark.parametrize("received_on", ["2026-03-01", "2026-03-06", "03/04/2026", "yesterday"])
def test_received_on_is_between_the_submission_and_today(demo, as_user, received_on):
    with on("2026-03-02"):
        case = case_in_state(demo, "transferred")
    with on("2026-03-05"):
        refused = transition(as_user(demo["police_clerk"]), case, "accept", {"received_on": received_on})
    assert refused.status_code == 400 and "received_on" in refused.json()
    assert Case.objects.get(pk=case.pk).state == "transferred"


# --- Silence: request_supervision, order_filing ---------------------------------------------------------------


@pytest.mark.parametrize("state", ["transferred", "filing_review"])
def test_court_requests_supervision_once_the_written_response_is_overdue(demo, as_user, state):
    judge = as_user(demo["enforcement_judge"])
    with on("2026-03-02"):
        case = case_in_state(demo, state)
        early = transition(judge, case, "request_supervision", {"reason": "未答复"})
    assert early.status_code == 409
    with on("2026-04-02"):  # the written response was due 2026-04-01
        done = transition(judge, case, "request_supervision", {"reason": "逾期未书面答复，视为不立案"})
    assert done.status_code == 200 and done.json()["state"] == "supervision_requested"
    letter = Document.objects.get(case=case, kind="supervision_request")
    text = pdf_text(response_bytes(judge.get(f"/api/documents/{letter.pk}/pdf/")))
    assert "逾期未作出是否立案的决定" in text and "决定不予立案" not in text
    assert deadline(case, "written_response").status == "overdue"  # the miss stays on record


def test_procurator_general_orders_filing_once_the_explanation_is_overdue(demo, as_user):
    general = as_user(demo["procurator_general"])
    with on("2026-03-02"):
        case = case_in_state(demo, "explanation_requested")
        assert deadline(case, "police_explanation").due_date == D("2026-03-09")
        early = transition(general, case, "order_filing", {"reason": "逾期未说明"})
    assert early.status_code == 409
    with on("2026-03-10"):
        ordered = transition(general, case, "order_filing", {"reason": "逾期未说明理由，视为理由不成立"})
        assert ordered.status_code == 200 and ordered.json()["state"] == "filing_ordered"
    assert deadline(case, "police_explanation").status == "overdue"
    assert deadline(case, "filing_after_order").start_date == D("2026-03-10")
    order = Document.objects.get(case=case, kind="filing_order")
    text = pdf_text(response_bytes(general.get(f"/api/documents/{order.pk}/pdf/")))
    assert "未在收到通知书之日起七日内书面说明理由" in text and "进行了审查" not in text
    assert transition(as_user(demo["procurator"]), case, "order_filing", {"reason": "x"}).status_code == 403


# --- A year the holiday schedule lacks -------------------------------------------------------------------------


def test_a_provisional_due_date_opens_no_remedy_until_the_year_is_imported(demo, as_user):
    judge = as_user(demo["enforcement_judge"])
    with on("2026-12-10"):
        case = case_in_state(demo, "transferred")
    response = deadline(case, "written_response")
    assert response.provisional and response.due_date == D("2027-01-09")  # a Saturday, unshifted
    with on("2027-01-20"):
        sweep_deadlines(email=False)
        response.refresh_from_db()
        assert response.status == "open"  # never overdue nor escalated while provisional
        assert not Notification.objects.filter(case=case, kind__in=["deadline_overdue", "deadline_escalated",
                                                                    "deadline_awaited"]).exists()
        assert transition(judge, case, "advise_private_prosecution").status_code == 409
        assert transition(judge, case, "request_supervision", {"reason": "x"}).status_code == 409
        import_schedule(entries=[(datetime.date(2027, 1, 1), False, "元旦")], source="test", years=[2027])
        response.refresh_from_db()
        assert not response.provisional and response.due_date == D("2027-01-11")  # shifted to the Monday
        sweep_deadlines(email=False)
        response.refresh_from_db()
        assert response.status == "overdue"
        assert transition(judge, case, "advise_private_prosecution").status_code == 200


def test_a_provisional_explanation_period_opens_no_order_nor_correction(demo, as_user):
    with on("2026-12-28"):
        case = case_in_state(demo, "explanation_requested")
    assert deadline(case, "police_explanation").provisional
    with on("2027-01-15"):
        assert transition(as_user(demo["procurator_general"]), case, "order_filing",
                          {"reason": "x"}).status_code == 409
        assert post(as_user(demo["procurator"]), f"/api/cases/{case.pk}/correction-notices/",
                    {"reason": "x"}).status_code == 409


# --- The creditor's supervision complaint (CPL Art. 113) -----------------------------------------------------


def test_creditor_complains_and_the_procurator_refuses_in_writing(demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "not_filed")
    creditor, procurator = as_user(demo["creditor"]), as_user(demo["procurator"])
    url = f"/api/cases/{case.pk}/supervision-complaints/"
    missing = post(creditor, url, {})
    assert missing.status_code == 400 and "reason" in missing.json()
    assert post(as_user(demo["enforcement_judge"]), url, {"reason": "x"}).status_code == 403
    assert post(as_user(demo["creditor_2"]), url, {"reason": "x"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        filed = post(creditor, url, {"reason": "被执行人转移房产，公安机关应当立案"})
    assert filed.status_code == 201, filed.json()
    assert post(creditor, url, {"reason": "再次"}).status_code == 409  # one awaits its answer
    assert Notification.objects.filter(recipient=demo["procurator"], kind="supervision_complaint").exists()
    inbox = procurator.get("/api/supervision-complaints/?pending=true").json()
    assert [c["id"] for c in inbox["results"]] == [filed.json()["id"]]

    answer_url = f"/api/supervision-complaints/{filed.json()['id']}/answer/"
    assert post(as_user(demo["police_investigator"]), answer_url, {"decision": "refuse", "reason": "x"}
                ).status_code == 403
    no_reason = post(procurator, answer_url, {"decision": "refuse"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    wrong = post(procurator, answer_url, {"decision": "maybe"})
    assert wrong.status_code == 400 and "decision" in wrong.json()
    with django_capture_on_commit_callbacks(execute=True):
        refused = post(procurator, answer_url, {"decision": "refuse", "reason": "不予立案的理由成立"})
    assert refused.status_code == 200 and refused.json()["answer"] == "refused"
    assert Notification.objects.filter(recipient=demo["creditor"], kind="answer_supervision_complaint").exists()
    assert post(procurator, answer_url, {"decision": "refuse", "reason": "x"}).status_code == 409
    assert Case.objects.get(pk=case.pk).state == "not_filed"


def test_the_procurator_answers_a_complaint_by_requiring_the_explanation(demo, as_user):
    case = case_in_state(demo, "withdrawn")
    complaint = post(as_user(demo["creditor"]), f"/api/cases/{case.pk}/supervision-complaints/",
                     {"reason": "撤案错误"}).json()
    answered = post(as_user(demo["procurator"]), f"/api/supervision-complaints/{complaint['id']}/answer/",
                    {"decision": "request_explanation"})
    assert answered.status_code == 200 and answered.json()["answer"] == "explanation_requested"
    case.refresh_from_db()
    assert case.state == "explanation_requested"
    assert deadline(case, "police_explanation").status == "open"
    assert Document.objects.filter(case=case, kind="explanation_request").exists()


def test_a_complaint_already_met_by_the_procurators_own_request_is_answered_by_it(demo, as_user):
    case = case_in_state(demo, "not_filed")
    complaint = post(as_user(demo["creditor"]), f"/api/cases/{case.pk}/supervision-complaints/",
                     {"reason": "应当立案"}).json()
    procurator = as_user(demo["procurator"])
    assert transition(procurator, case, "request_explanation").status_code == 200
    answered = post(procurator, f"/api/supervision-complaints/{complaint['id']}/answer/",
                    {"decision": "request_explanation"})
    assert answered.status_code == 200 and answered.json()["answer"] == "explanation_requested"
    assert case.events.filter(transition="request_explanation").count() == 1


def test_a_complaint_only_about_a_non_filing_or_withdrawal(demo, as_user):
    case = case_in_state(demo, "filing_review")
    refused = post(as_user(demo["creditor"]), f"/api/cases/{case.pk}/supervision-complaints/", {"reason": "x"})
    assert refused.status_code == 409 and refused.json()["state"] == "filing_review"


# --- The correction notice ------------------------------------------------------------------------------------


def test_correction_notice_once_the_explanation_is_overdue(demo, as_user, django_capture_on_commit_callbacks):
    procurator = as_user(demo["procurator"])
    with on("2026-03-02"):
        case = case_in_state(demo, "explanation_requested")
        url = f"/api/cases/{case.pk}/correction-notices/"
        assert post(procurator, url, {"reason": "x"}).status_code == 409  # the 7 days still run
    with on("2026-03-10"):
        missing = post(procurator, url, {})
        assert missing.status_code == 400 and "reason" in missing.json()
        assert post(as_user(demo["police_investigator"]), url, {"reason": "x"}).status_code == 403
        with django_capture_on_commit_callbacks(execute=True):
            issued = post(procurator, url, {"reason": "逾期未书面说明不立案理由"})
        assert issued.status_code == 201, issued.json()
        assert post(procurator, url, {"reason": "again"}).status_code == 409  # once per missed period
    body = issued.json()
    assert body["deadline"]["kind"] == "police_explanation" and body["police_agency"]["id"] == case.police_agency_id
    letter = Document.objects.get(pk=body["letter"]["id"])
    assert letter.kind == "correction_notice" and letter.addressee_agency == case.police_agency
    assert letter.issued_by == demo["procurator"].agency and letter.context["record"]["missed"] == "police_explanation"
    assert Notification.objects.filter(recipient=demo["police_investigator"], kind="correction_notice").exists()
    assert as_user(demo["creditor"]).get(url).json()["count"] == 0  # between the organs

    reply_url = f"/api/correction-notices/{body['id']}/reply/"
    assert post(as_user(demo["procurator"]), reply_url, {"reply": "x"}).status_code == 403
    empty = post(as_user(demo["police_investigator"]), reply_url, {})
    assert empty.status_code == 400 and "reply" in empty.json()
    replied = post(as_user(demo["police_head"]), reply_url, {"reply": "已责成办案部门三日内说明理由"})
    assert replied.status_code == 200 and replied.json()["reply"]
    assert post(as_user(demo["police_head"]), reply_url, {"reply": "x"}).status_code == 409

    ledger = procurator.get("/api/supervision-ledger/").json()["results"]
    row = next(r for r in ledger if r["case"] == case.pk)
    assert (row["correction_notice_on"], row["correction_replied_on"]) == ("2026-03-10", str(datetime.date.today()))


def test_correction_notice_once_the_filing_after_an_order_is_overdue(demo, as_user):
    with on("2026-03-02"):
        case = case_in_state(demo, "filing_ordered")
        assert deadline(case, "filing_after_order").due_date == D("2026-03-17")
    with on("2026-03-18"):
        issued = post(as_user(demo["procurator"]), f"/api/cases/{case.pk}/correction-notices/",
                      {"reason": "通知立案后十五日内未立案"})
    assert issued.status_code == 201 and issued.json()["deadline"]["kind"] == "filing_after_order"
    with on("2026-03-19"):
        fire(case, "file_case", demo["police_head"])  # the police correct it by filing
    assert Case.objects.get(pk=case.pk).state == "investigating"
