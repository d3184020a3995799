"""Custody follows the recorded measures (procedure.md §3, §4): detention and arrest open their custody periods,
counted exactly without the holiday shift (CPL Art. 91, 105, 156); the arrest review runs 7 days for a detained
suspect, otherwise 15 or 20 (CPL Art. 91 ¶3, procuratorial rules). Custody is never a request field."""

import datetime

import pytest

from tests.casebuilder import case_in_state, fire
from tests.law.helpers import deadline, on, post, transition
from workflow.models import Case

D = datetime.date.fromisoformat

# Due dates derived by hand from the rules and the 2026 State Council schedule (National Day rest 10-01..10-07,
# Saturday 10-10 a working day): (what, start day, days asked, detained, expected kind, due date).
ARREST_REVIEW_TABLE = [
    ("detained: 7 days, no shift in custody", "2026-09-30", True, False, "2026-10-07"),
    ("not detained: 15 days, the holiday shifts the end", "2026-09-20", False, False, "2026-10-08"),
    ("not detained, major or complex: 20 days, a working Saturday", "2026-09-20", False, True, "2026-10-10"),
]


@pytest.mark.parametrize(("what", "start", "detained", "complex_case", "due"), ARREST_REVIEW_TABLE,
                         ids=[row[0] for row in ARREST_REVIEW_TABLE])
def test_arrest_review_runs_by_whether_the_suspect_is_detained(demo, as_user, what, start, detained, complex_case,
                                                                due):
    with on(start):
        case = case_in_state(demo, "investigating")
        response = post(as_user(demo["police_investigator"]), f"/api/cases/{case.pk}/arrest-requests/",
                        {"grounds": "有逃跑可能", "detained": detained, "complex_case": complex_case})
    assert response.status_code == 201, response.json()
    assert response.json()["detained"] is detained
    review = deadline(case, "arrest_review")
    assert (review.start_date, review.due_date, review.custody) == (D(start), D(due), detained)


def test_an_arrest_request_must_say_whether_the_suspect_is_detained(demo, as_user):
    case = case_in_state(demo, "investigating")
    response = post(as_user(demo["police_investigator"]), f"/api/cases/{case.pk}/arrest-requests/",
                    {"grounds": "有逃跑可能"})
    assert response.status_code == 400 and "detained" in response.json()
    bad = post(as_user(demo["police_investigator"]), f"/api/cases/{case.pk}/arrest-requests/",
               {"grounds": "有逃跑可能", "detained": "perhaps"})
    assert bad.status_code == 400 and "detained" in bad.json()
    assert not case.arrest_requests.exists()


CUSTODY_TABLE = [
    # (measure, taken on, expected deadline kind, due): custody periods run through holidays (CPL Art. 105).
    ("detention", "2026-09-30", "detention", "2026-10-03"),
    ("arrest", "2026-08-03", "investigative_custody", "2026-10-03"),
    ("arrest", "2026-02-28", "investigative_custody", "2026-04-30"),
]


@pytest.mark.parametrize(("kind", "taken_on", "deadline_kind", "due"), CUSTODY_TABLE)
def test_a_custodial_measure_opens_its_custody_period(demo, as_user, kind, taken_on, deadline_kind, due):
    police = as_user(demo["police_investigator"])
    with on(taken_on):
        case = case_in_state(demo, "investigating")
        if kind == "arrest":
            request = post(police, f"/api/cases/{case.pk}/arrest-requests/", {"grounds": "x", "detained": False})
            post(as_user(demo["procurator"]), f"/api/arrest-requests/{request.json()['id']}/decision/",
                 {"decision": "approve"})
        measure = post(police, f"/api/cases/{case.pk}/coercive-measures/", {"kind": kind, "legal_basis": "CPL"})
    assert measure.status_code == 201, measure.json()
    period = deadline(case, deadline_kind)
    assert measure.json()["deadline"]["id"] == period.pk
    assert (period.start_date, period.due_date, period.custody, period.owed_by) == (
        D(taken_on), D(due), True, demo["police_investigator"].agency)
    assert Case.objects.get(pk=case.pk).custody is True


def _detained(demo, police, day="2026-09-30"):
    """A case under investigation whose suspect the police detained on `day` (a Wednesday before National Day)."""
    with on(day):
        case = case_in_state(demo, "investigating")
        detention = post(police, f"/api/cases/{case.pk}/coercive-measures/",
                         {"kind": "detention", "legal_basis": "CPL Art. 82"}).json()
    return case, detention


def test_detention_is_met_by_the_arrest_request_and_custody_ends_with_the_release(demo, as_user):
    police = as_user(demo["police_investigator"])
    case, detention = _detained(demo, police)
    with on("2026-10-02"):
        post(police, f"/api/cases/{case.pk}/arrest-requests/", {"grounds": "x", "detained": True})
        assert deadline(case, "detention").status == "met"
        ended = post(police, f"/api/coercive-measures/{detention['id']}/end/", {"reason": "取保候审"})
    assert ended.status_code == 200 and ended.json()["active"] is False
    assert Case.objects.get(pk=case.pk).custody is False


def test_release_meets_the_detention_period_and_an_overdue_one_stays_overdue(demo, as_user):
    police = as_user(demo["police_investigator"])
    case, detention = _detained(demo, police)
    with on("2026-10-05"):  # past the 3 days (10-03): released late
        post(police, f"/api/coercive-measures/{detention['id']}/end/", {"reason": "释放"})
    period = deadline(case, "detention")
    assert period.met_at is not None and period.status == "overdue"


def test_police_head_extends_the_detention_while_it_runs(demo, as_user):
    police, head = as_user(demo["police_investigator"]), as_user(demo["police_head"])
    case, detention = _detained(demo, police)
    with on("2026-10-01"):
        url = f"/api/coercive-measures/{detention['id']}/extend/"
        assert post(police, url, {"days": 7, "reason": "x"}).status_code == 403
        assert post(as_user(demo["police_head_2"]), url, {"days": 7, "reason": "x"}).status_code == 404
        bad = post(head, url, {"days": 10, "reason": "x"})
        assert bad.status_code == 400 and "days" in bad.json()
        missing = post(head, url, {"days": 30})
        assert missing.status_code == 400 and "reason" in missing.json()
        extended = post(head, url, {"days": 30, "reason": "结伙作案"})
        assert extended.status_code == 200, extended.json()
        assert post(head, url, {"days": 7, "reason": "x"}).status_code == 409  # once
    period = deadline(case, "detention")
    # 30 days from the detention itself, no shift in custody (CPL Art. 91 ¶2, 105).
    assert (period.start_date, period.due_date, period.legal_basis) == (D("2026-09-30"), D("2026-10-30"),
                                                                        "CPL Art. 91 ¶2 (extended)")


def test_an_expired_detention_period_cannot_be_extended(demo, as_user):
    police, head = as_user(demo["police_investigator"]), as_user(demo["police_head"])
    case, detention = _detained(demo, police)
    with on("2026-10-04"):
        late = post(head, f"/api/coercive-measures/{detention['id']}/extend/", {"days": 7, "reason": "x"})
    assert late.status_code == 409
    assert deadline(case, "detention").due_date == D("2026-10-03")


def _arrested(demo, as_user):
    police = as_user(demo["police_investigator"])
    case = case_in_state(demo, "investigating")
    request = post(police, f"/api/cases/{case.pk}/arrest-requests/", {"grounds": "x", "detained": False}).json()
    post(as_user(demo["procurator"]), f"/api/arrest-requests/{request['id']}/decision/", {"decision": "approve"})
    post(police, f"/api/cases/{case.pk}/coercive-measures/", {"kind": "arrest", "legal_basis": "CPL Art. 81"})
    assert Case.objects.get(pk=case.pk).custody is True
    return case


def test_transfer_for_prosecution_meets_the_custody_in_investigation(demo, as_user):
    case = _arrested(demo, as_user)
    moved = transition(as_user(demo["police_head"]), case, "transfer_for_prosecution")
    assert moved.status_code == 200 and moved.json()["state"] == "prosecution_review"
    assert deadline(case, "investigative_custody").status == "met"
    assert Case.objects.get(pk=case.pk).custody is True  # still held, now for the procuratorate


@pytest.mark.parametrize(("route", "ends"), [
    ([("withdraw_case", "police_head", {"reason": "撤案"})], True),
    ([("transfer_for_prosecution", "police_head", {}),
      ("decline_prosecution", "procurator_general", {"reason": "不起诉"})], True),
    ([("transfer_for_prosecution", "police_head", {}),
      ("indict", "procurator", {"trial_court": "COURT"}),
      ("render_judgment", "trial_judge", {"outcome": "acquitted", "sentence": "无罪"})], True),
    ([("transfer_for_prosecution", "police_head", {}),
      ("indict", "procurator", {"trial_court": "COURT"}),
      ("render_judgment", "trial_judge", {"outcome": "exempted", "sentence": "免予刑事处罚"})], True),
    ([("transfer_for_prosecution", "police_head", {}),
      ("indict", "procurator", {"trial_court": "COURT"}),
      ("render_judgment", "trial_judge", {"outcome": "convicted", "sentence": "有期徒刑一年"})], False),
], ids=["withdrawn", "not_prosecuted", "acquitted", "exempted", "convicted"])
def test_custody_ends_with_withdrawal_non_prosecution_acquittal_or_exemption(demo, as_user, route, ends):
    case = _arrested(demo, as_user)
    for name, username, body in route:
        body = {k: (demo["trial_judge"].agency.pk if v == "COURT" else v) for k, v in body.items()}
        fire(case, name, demo[username], **body)
    assert Case.objects.get(pk=case.pk).custody is (not ends)


def test_custody_is_not_a_request_field(demo, as_user):
    case = case_in_state(demo, "filing_review")
    filed = transition(as_user(demo["police_head"]), case, "file_case", {"custody": True})
    assert filed.status_code == 200
    assert Case.objects.get(pk=case.pk).custody is False
    case = case_in_state(demo, "investigating")
    moved = transition(as_user(demo["police_head"]), case, "transfer_for_prosecution", {"custody": True})
    assert moved.status_code == 200 and Case.objects.get(pk=case.pk).custody is False
    schema = as_user(demo["procurator"]).get("/api/schema/?format=json").json()
    inputs = {name: body for name, body in schema["components"]["schemas"].items() if "Input" in name}
    assert "TrialCourtInputRequest" in inputs and "ReceiptInputRequest" in inputs
    assert [name for name, body in inputs.items() if "custody" in body.get("properties", {})] == []
