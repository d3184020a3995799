"""Who hears of what (procedure.md §3): every transition fired through the API on a real case tells exactly those
it concerns, each once, and nobody else (not the actor, not the other region)."""

import pytest

from procedure.transitions import TRANSITIONS
from tests.casebuilder import add_private_evidence, add_transfer_evidence, case_in_state
from workflow.models import Notification

POLICE = ("police_clerk", "police_head", "police_investigator")

# (state, transition, actor, body, {username: kind of the notice they get}); court-origin cases of region 450102.
COURT_ORIGIN = [
    ("draft", "submit_transfer", "enforcement_judge", {},
     {**dict.fromkeys(POLICE, "transfer_received"), "creditor": "case_news"}),
    ("draft", "cancel", "enforcement_judge", {"reason": "被执行人已履行"}, {"creditor": "case_news"}),
    ("transferred", "accept", "police_clerk", {},
     {"enforcement_judge": "case_decision", "creditor": "case_news"}),
    ("filing_review", "extend_review", "police_head", {"reason": "案情重大复杂"}, {}),
    ("filing_review", "file_case", "police_head", {},
     {"enforcement_judge": "case_decision", "creditor": "case_news"}),
    ("filing_review", "decline_filing", "police_head", {"reason": "证据不足"},
     {"enforcement_judge": "case_decision", "procurator": "non_filing_in_region", "creditor": "case_news"}),
    ("investigating", "withdraw_case", "police_head", {"reason": "已履行"},
     {"enforcement_judge": "case_decision", "procurator": "non_filing_in_region", "creditor": "case_news"}),
    ("investigating", "transfer_for_prosecution", "police_head", {},
     {"enforcement_judge": "case_decision", "procurator": "next_act", "creditor": "case_news"}),
    ("not_filed", "request_supervision", "enforcement_judge", {"reason": "应当立案"},
     {"procurator": "supervision_requested", "procurator_general": "supervision_requested",
      "creditor": "case_news"}),
    ("supervision_requested", "request_explanation", "procurator", {},
     {**dict.fromkeys(POLICE, "explanation_requested"), "creditor": "case_news"}),
    ("supervision_requested", "decline_supervision", "procurator", {"reason": "无监督理由"},
     {"enforcement_judge": "next_act", "creditor": "case_news"}),
    ("explanation_requested", "submit_explanation", "police_investigator", {"explanation": "不立案理由如下"},
     {"procurator": "next_act", "procurator_general": "next_act", "creditor": "case_news"}),
    ("explanation_review", "accept_explanation", "procurator", {"reason": "理由成立"},
     {"police_investigator": "case_decision", "enforcement_judge": "next_act", "creditor": "case_news"}),
    ("explanation_review", "order_filing", "procurator_general", {"reason": "理由不成立"},
     {**dict.fromkeys(POLICE, "filing_ordered"), "creditor": "case_news"}),
    ("prosecution_review", "extend_prosecution_review", "procurator", {"reason": "案情重大复杂"}, {}),
    ("prosecution_review", "return_for_supplementary_investigation", "procurator", {"reason": "事实不清"},
     {"police_investigator": "supplementary_investigation", "police_head": "supplementary_investigation",
      "creditor": "case_news"}),
    ("supplementary_investigation", "resubmit_for_prosecution", "police_investigator", {},
     {"procurator": "next_act", "creditor": "case_news"}),
    ("prosecution_review", "indict", "procurator", {"trial_court": "COURT"},
     {"enforcement_judge": "case_decision", "police_investigator": "case_decision", "trial_judge": "next_act",
      "creditor": "case_news"}),
    ("prosecution_review", "decline_prosecution", "procurator_general", {"reason": "情节显著轻微"},
     {"enforcement_judge": "case_decision", "police_investigator": "case_decision", "creditor": "case_news"}),
    ("trial", "extend_trial", "trial_judge", {"reason": "案情复杂"}, {}),
    ("trial", "render_judgment", "trial_judge", {"outcome": "convicted", "sentence": "有期徒刑一年"},
     {"enforcement_judge": "case_decision", "creditor": "case_news"}),
    ("not_filed", "advise_private_prosecution", "enforcement_judge", {}, {"creditor": "case_news"}),
    ("private_prosecution_advised", "file_private_prosecution", "creditor", {},
     {"filing_clerk": "private_prosecution_filed"}),
    ("private_filing_review", "request_supplement", "filing_clerk", {"missing": ["complaint"]},
     {"creditor": "supplement_requested"}),
    ("private_filing_review", "accept_private_prosecution", "filing_clerk", {"trial_court": "COURT"},
     {"trial_judge": "next_act", "creditor": "case_news"}),
    ("private_filing_review", "reject_private_prosecution", "filing_clerk", {"reason": "不符合条件"},
     {"creditor": "case_news"}),
    # Art. 17, CPL 212: the court's ruling approves the creditor's reconciliation or withdrawal (here the trial judge
    # decides at once); the creditor hears of it.
    ("private_trial", "reconcile", "trial_judge", {"terms": "分期还款"}, {"creditor": "case_news"}),
    ("private_trial", "withdraw_private_prosecution", "trial_judge", {}, {"creditor": "case_news"}),
]

# The procuratorate that transferred a case hears of the police's decisions on it (Art. 8 ¶3).
PROCURATORATE_ORIGIN = [
    ("transferred", "accept", "police_clerk", {}, {"procurator": "case_decision", "creditor": "case_news"}),
    ("filing_review", "decline_filing", "police_head", {"reason": "证据不足"},
     {"procurator": "case_decision", "creditor": "case_news"}),
    ("prosecution_review", "decline_prosecution", "procurator_general", {"reason": "情节显著轻微"},
     {"procurator": "case_decision", "police_investigator": "case_decision", "creditor": "case_news"}),
    ("investigating", "transfer_for_prosecution", "police_head", {},
     {"procurator": "case_decision", "creditor": "case_news"}),
    ("explanation_requested", "submit_explanation", "police_investigator", {"explanation": "不立案理由如下"},
     {"procurator": "next_act", "procurator_general": "next_act", "creditor": "case_news"}),
]


def told(case):
    return dict(Notification.objects.filter(case=case).values_list("recipient__username", "kind"))


def fire_through_api(as_user, demo, case, name, actor, body):
    body = {k: (demo["trial_judge"].agency.pk if v == "COURT" else v) for k, v in body.items()}
    return as_user(demo[actor]).post(f"/api/cases/{case.pk}/transitions/{name}/", body, format="json")


def check(demo, as_user, capture, origin, state, name, actor, body, expected):
    case = case_in_state(demo, state, origin=origin)
    if name == "file_private_prosecution":
        add_private_evidence(case, demo["creditor"])
    if name == "submit_transfer":
        add_transfer_evidence(case, demo[actor])
    assert not Notification.objects.exists()  # reaching the state told nobody (no commit in the test)
    with capture(execute=True):
        response = fire_through_api(as_user, demo, case, name, actor, body)
    assert response.status_code == 200, response.content
    assert told(case) == expected
    assert Notification.objects.count() == len(expected)  # each once, on this case only


@pytest.mark.parametrize(("state", "name", "actor", "body", "expected"), COURT_ORIGIN,
                         ids=[row[1] for row in COURT_ORIGIN])
def test_who_hears_of_each_transition(demo, as_user, django_capture_on_commit_callbacks, state, name, actor, body,
                                      expected):
    check(demo, as_user, django_capture_on_commit_callbacks, "court", state, name, actor, body, expected)


@pytest.mark.parametrize(("state", "name", "actor", "body", "expected"), PROCURATORATE_ORIGIN,
                         ids=[row[1] for row in PROCURATORATE_ORIGIN])
def test_who_hears_on_a_procuratorate_case(demo, as_user, django_capture_on_commit_callbacks, state, name, actor,
                                           body, expected):
    check(demo, as_user, django_capture_on_commit_callbacks, "procuratorate", state, name, actor, body, expected)


def test_a_creditors_own_private_prosecution_reaches_the_filing_division_only(
        demo, as_user, django_capture_on_commit_callbacks):
    check(demo, as_user, django_capture_on_commit_callbacks, "creditor", "draft", "file_private_prosecution",
          "creditor", {}, {"filing_clerk": "private_prosecution_filed"})


def test_the_procuratorate_of_the_region_hears_of_a_non_filing_when_the_case_names_none(
        demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "filing_review")
    type(case).objects.filter(pk=case.pk).update(procuratorate=None)
    with django_capture_on_commit_callbacks(execute=True):
        fire_through_api(as_user, demo, case, "decline_filing", "police_head", {"reason": "证据不足"})
    assert told(case)["procurator"] == "non_filing_in_region"
    assert not Notification.objects.filter(recipient__username__endswith="_2").exists()


def test_every_transition_of_the_table_is_in_the_matrix():
    assert {row[1] for row in COURT_ORIGIN} == set(TRANSITIONS)
