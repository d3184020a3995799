"""Every role tried on every transition of procedure.md §3: allowed only where the spec allows.

The table below is transcribed from the spec, independently of procedure/transitions.py, so that a wrong
rule in the code shows up here. Where the spec says "X proposes, Y approves" (§3 "Approvals"), X gets 202 with
a pending approval and the case does not move; Y fires it directly (200); everyone else 403/404.
"""

import datetime

import pytest
import time_machine

from tests.casebuilder import add_private_evidence, add_transfer_evidence, case_in_state
from workflow.models import Approval, Case, CaseEvent

ROLES = ["enforcement_judge", "filing_clerk", "trial_judge", "police_clerk", "police_investigator", "police_head",
         "procurator", "procurator_general", "discipline_officer", "creditor"]

# (transition, from state, origin, roles the spec allows to fire it at once, body)
SPEC = [
    ("submit_transfer", "draft", "court", {"enforcement_judge"}, {}),
    ("submit_transfer", "draft", "procuratorate", {"procurator"}, {}),
    ("cancel", "draft", "court", {"enforcement_judge"}, {"reason": "已履行"}),
    ("cancel", "draft", "procuratorate", {"procurator"}, {"reason": "已履行"}),
    ("cancel", "draft", "creditor", {"creditor"}, {"reason": "已履行"}),
    ("accept", "transferred", "court", {"police_clerk"}, {}),
    ("extend_review", "filing_review", "court", {"police_head"}, {"reason": "重大复杂"}),
    ("file_case", "filing_review", "court", {"police_head"}, {}),
    ("decline_filing", "filing_review", "court", {"police_head"}, {"reason": "不符合立案条件"}),
    ("withdraw_case", "investigating", "court", {"police_head"}, {"reason": "撤案"}),
    ("transfer_for_prosecution", "investigating", "court", {"police_head"}, {}),
    ("request_supervision", "not_filed", "court", {"enforcement_judge"}, {"reason": "应当立案"}),
    ("request_supervision", "withdrawn", "court", {"enforcement_judge"}, {"reason": "应当立案"}),
    ("request_supervision", "transferred", "court+overdue", {"enforcement_judge"}, {"reason": "逾期未答复"}),
    ("request_supervision", "filing_review", "court+overdue", {"enforcement_judge"}, {"reason": "逾期未答复"}),
    ("request_explanation", "not_filed", "procuratorate", {"procurator"}, {}),
    ("request_explanation", "not_filed", "court", {"procurator"}, {}),
    ("request_explanation", "withdrawn", "court", {"procurator"}, {}),
    ("request_explanation", "withdrawn", "procuratorate", {"procurator"}, {}),
    ("request_explanation", "supervision_requested", "court", {"procurator"}, {}),
    ("decline_supervision", "supervision_requested", "court", {"procurator"}, {"reason": "无需监督"}),
    ("submit_explanation", "explanation_requested", "court", {"police_investigator"}, {"explanation": "理由"}),
    ("accept_explanation", "explanation_review", "court", {"procurator"}, {"reason": "成立"}),
    ("order_filing", "explanation_review", "court", {"procurator_general"}, {"reason": "不成立"}),
    ("order_filing", "explanation_requested", "court+overdue", {"procurator_general"}, {"reason": "逾期未说明"}),
    ("file_case", "filing_ordered", "court", {"police_head"}, {}),
    ("extend_prosecution_review", "prosecution_review", "court", {"procurator"}, {"reason": "重大复杂"}),
    ("return_for_supplementary_investigation", "prosecution_review", "court", {"procurator"}, {"reason": "补查"}),
    ("resubmit_for_prosecution", "supplementary_investigation", "court", {"police_investigator"}, {}),
    ("indict", "prosecution_review", "court", {"procurator"}, {"trial_court": "COURT"}),
    ("decline_prosecution", "prosecution_review", "court", {"procurator_general"}, {"reason": "不起诉"}),
    ("render_judgment", "trial", "court", {"trial_judge"}, {"outcome": "convicted", "sentence": "拘役六个月"}),
    ("extend_trial", "trial", "court", {"trial_judge"}, {"reason": "案情复杂"}),
    ("advise_private_prosecution", "not_filed", "court", {"enforcement_judge"}, {}),
    ("advise_private_prosecution", "withdrawn", "court", {"enforcement_judge"}, {}),
    ("advise_private_prosecution", "supervision_closed", "court", {"enforcement_judge"}, {}),
    ("advise_private_prosecution", "not_prosecuted", "court", {"enforcement_judge"}, {}),
    ("advise_private_prosecution", "supervision_closed", "procuratorate", {"procurator"}, {}),
    ("advise_private_prosecution", "transferred", "court+overdue", {"enforcement_judge"}, {}),
    ("advise_private_prosecution", "filing_review", "court+overdue", {"enforcement_judge"}, {}),
    ("file_private_prosecution", "private_prosecution_advised", "court", {"creditor"}, {}),
    ("file_private_prosecution", "draft", "creditor", {"creditor"}, {}),
    ("request_supplement", "private_filing_review", "court", {"filing_clerk"}, {"missing": ["other"]}),
    ("accept_private_prosecution", "private_filing_review", "court", {"filing_clerk"}, {"trial_court": "COURT"}),
    ("reject_private_prosecution", "private_filing_review", "court", {"filing_clerk"}, {"reason": "不符合"}),
    ("reconcile", "private_filing_review", "court", {"filing_clerk"}, {"terms": "分期"}),
    ("reconcile", "private_trial", "court", {"trial_judge"}, {"terms": "分期"}),
    ("withdraw_private_prosecution", "private_filing_review", "court", {"filing_clerk"}, {}),
    ("withdraw_private_prosecution", "private_trial", "court", {"trial_judge"}, {}),
    ("render_judgment", "private_trial", "court", {"trial_judge"}, {"outcome": "acquitted", "sentence": "无罪"}),
]

# transition -> the roles that only propose it, for the roles of the SPEC row to approve (procedure.md §3)
PROPOSERS = {
    "file_case": {"police_investigator"},
    "decline_filing": {"police_investigator"},
    "withdraw_case": {"police_investigator"},
    "transfer_for_prosecution": {"police_investigator"},
    "decline_prosecution": {"procurator"},
    "reconcile": {"creditor"},
    "withdraw_private_prosecution": {"creditor"},
}


BASE = datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC)


def _build(demo, state, origin):
    overdue = origin.endswith("+overdue")
    case = case_in_state(demo, state, origin=origin.replace("+overdue", ""))
    if state == "draft" and origin == "creditor":
        add_private_evidence(case, demo["creditor"])
    elif state == "draft":
        add_transfer_evidence(case, demo["procurator" if origin == "procuratorate" else "enforcement_judge"])
    if state == "private_prosecution_advised":
        add_private_evidence(case, demo["creditor"])
    return case, overdue


def _body(demo, body):
    return {k: (demo["trial_judge"].agency.pk if v == "COURT" else v) for k, v in body.items()}


@pytest.mark.parametrize(("name", "state", "origin", "allowed", "body"), SPEC,
                         ids=[f"{r[0]}-from-{r[1]}-{r[2]}" for r in SPEC])
def test_role_transition_matrix(demo, as_user, name, state, origin, allowed, body):
    # A silence remedy needs a due date the holiday schedule knows (a provisional one opens nothing): the case is
    # transferred on a day of a known year, and the clock then moves past its written response.
    transferred = time_machine.travel(BASE, tick=False) if origin.endswith("+overdue") else None
    if transferred:
        transferred.start()
    case, overdue = _build(demo, state, origin)
    if transferred:
        transferred.stop()
    body = _body(demo, body)
    url = f"/api/cases/{case.pk}/transitions/{name}/"
    travel = time_machine.travel(BASE + datetime.timedelta(days=45), tick=False) if overdue else None
    if travel:
        travel.start()
    proposers = PROPOSERS.get(name, set())
    try:
        for role in ROLES:
            if role in allowed or role in proposers:
                continue
            response = as_user(demo[role]).post(url, body, format="json")
            sees_case = role != "discipline_officer" and not (
                origin == "creditor" and role.startswith(("police", "procurator"))
            )
            assert response.status_code == (403 if sees_case else 404), (role, response.json())
            # the same allowed role in another region's agency cannot even see the case
        for role in allowed | proposers:
            other = as_user(demo[f"{role}_2"]).post(url, body, format="json")
            assert other.status_code == 404, (role, other.json())
        events_before = CaseEvent.objects.filter(case=case).count()
        assert Case.objects.get(pk=case.pk).state == state  # refusals changed nothing
        for role in sorted(allowed):
            fresh, _ = _build(demo, state, origin) if role != sorted(allowed)[0] else (case, None)
            response = as_user(demo[role]).post(f"/api/cases/{fresh.pk}/transitions/{name}/", body, format="json")
            assert response.status_code == 200, (role, response.json())
            assert response.json()["events"][-1]["transition"] == name
        assert CaseEvent.objects.filter(case=case).count() == events_before + 1
        for role in sorted(proposers):
            fresh, _ = _build(demo, state, origin)
            response = as_user(demo[role]).post(f"/api/cases/{fresh.pk}/transitions/{name}/", body, format="json")
            assert response.status_code == 202, (role, response.json())
            assert response.json()["status"] == "pending" and response.json()["transition"] == name
            assert response.json()["proposed_by"] == demo[role].username
            assert Case.objects.get(pk=fresh.pk).state == state  # nothing moves until it is approved
            assert Approval.objects.filter(case=fresh, status="pending").count() == 1
    finally:
        if travel:
            travel.stop()


ALL_STATES = sorted({row[1] for row in SPEC} | {"cancelled", "judged", "private_rejected", "reconciled",
                                                "private_withdrawn", "not_prosecuted", "supervision_closed"})


@pytest.mark.parametrize("name", sorted({row[0] for row in SPEC}))
def test_wrong_state_is_409_with_state_and_allowed(demo, as_user, name):
    """The allowed role, from a state the transition does not start from: 409 naming the state."""
    sources = {row[1] for row in SPEC if row[0] == name}
    row = next(r for r in SPEC if r[0] == name)
    origin = row[2].replace("+overdue", "")
    role = sorted(row[3])[0]
    wrong = "judged" if "judged" not in sources else "cancelled"
    if origin == "creditor":
        wrong = "private_rejected"
    case = case_in_state(demo, wrong, origin=origin if origin != "creditor" else "court")
    response = as_user(demo[role]).post(f"/api/cases/{case.pk}/transitions/{name}/", _body(demo, row[4]),
                                        format="json")
    if response.status_code == 403:
        pytest.fail(f"{role} should be allowed to try {name}: {response.json()}")
    assert response.status_code == 409, response.json()
    assert response.json()["state"] == wrong and isinstance(response.json()["allowed_transitions"], list)


def test_every_state_is_terminal_or_has_a_way_forward():
    from procedure.states import TERMINAL_STATES, CaseState
    from procedure.transitions import TRANSITIONS

    for state in CaseState.values:
        outgoing = [n for n, r in TRANSITIONS.items() if state in r.sources]
        assert (state in TERMINAL_STATES) != bool(outgoing), state
