"""The case page lists the supervision complaints and correction notices, with the answers the reader may give,
and offers the police head the extension of a detention (procedure.md §3)."""

from tests.casebuilder import case_in_state
from tests.law.helpers import on, post


def _page(client, user, case):
    client.force_login(user)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_procurator_sees_the_complaint_and_answers_it_on_the_page(demo, as_user, client):
    case = case_in_state(demo, "not_filed")
    creditor_page = _page(client, demo["creditor"], case)
    assert 'data-testid="record-supervision_complaint"' in creditor_page
    complaint = post(as_user(demo["creditor"]), f"/api/cases/{case.pk}/supervision-complaints/",
                     {"reason": "公安机关应当立案"}).json()
    page = _page(client, demo["procurator"], case)
    assert 'data-testid="records-complaints"' in page and "公安机关应当立案" in page
    assert 'data-testid="answer-answer_supervision_complaint"' in page
    answered = client.post(f"/records/answer_supervision_complaint/{complaint['id']}/",
                           {"decision": "refuse", "reason": "理由成立"})
    assert answered.status_code == 302
    assert 'data-testid="answer-answer_supervision_complaint"' not in _page(client, demo["procurator"], case)


def test_the_police_head_extends_a_detention_and_replies_to_a_correction_on_the_page(demo, as_user, client):
    with on("2026-03-02"):
        case = case_in_state(demo, "investigating")
        post(as_user(demo["police_investigator"]), f"/api/cases/{case.pk}/coercive-measures/",
             {"kind": "detention", "legal_basis": "CPL Art. 82"})
        assert 'data-testid="answer-extend_detention"' in _page(client, demo["police_head"], case)
        assert 'data-testid="answer-extend_detention"' not in _page(client, demo["police_investigator"], case)
        silent = case_in_state(demo, "explanation_requested")
    with on("2026-03-10"):
        post(as_user(demo["procurator"]), f"/api/cases/{silent.pk}/correction-notices/", {"reason": "逾期未说明"})
        page = _page(client, demo["police_head"], silent)
    assert 'data-testid="records-corrections"' in page and 'data-testid="answer-reply_correction_notice"' in page
