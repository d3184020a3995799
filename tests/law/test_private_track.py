"""The private track (procedure.md §2, §3): the accuser's identity is its own Art. 13 material; the trial may be
extended once (CPL Art. 208 ¶1), a private one only with the defendant in custody; the court preserves property
from the filing review of a private prosecution on (Art. 14 ¶2)."""

import datetime
from importlib import import_module

from django.apps import apps

from tests.casebuilder import case_in_state, new_case, upload
from tests.law.helpers import deadline, on, post, transition
from workflow.models import Case, Evidence

D = datetime.date.fromisoformat


def _add(client, case, category):
    return client.post(f"/api/cases/{case.pk}/evidence/", {"category": category, "title": "材料",
                                                            "file": upload(content=f"{category}-{case.pk}".encode())},
                       format="multipart")


def test_the_suspects_identity_never_stands_in_for_the_accusers(demo, as_user):
    case = case_in_state(demo, "private_prosecution_advised")  # carries the transfer's identity material
    assert case.evidence.filter(category="identity").exists()
    creditor = as_user(demo["creditor"])
    for category in ("complaint", "execution_basis", "refusal_evidence", "public_route_failed"):
        assert _add(creditor, case, category).status_code == 201
    refused = transition(creditor, case, "file_private_prosecution")
    assert refused.status_code == 400 and "evidence" in refused.json()
    checklist = creditor.get(f"/api/cases/{case.pk}/private-checklist/").json()
    assert checklist["missing"] == ["accuser_identity"]
    # the creditor adds the accuser's identity, not the suspect's
    suspect = _add(creditor, case, "identity")
    assert suspect.status_code == 400 and "category" in suspect.json()
    assert _add(creditor, case, "accuser_identity").status_code == 201
    filed = transition(creditor, case, "file_private_prosecution")
    assert filed.status_code == 200 and filed.json()["state"] == "private_filing_review"


def test_data_migration_relabels_the_creditors_identity_materials_only(demo):
    private = new_case(demo, origin="creditor")
    court = case_in_state(demo, "private_prosecution_advised")
    before = {}
    for case, user in ((private, demo["creditor"]), (court, demo["creditor"]), (court, demo["enforcement_judge"])):
        # rows as the old category allowed them (the service now refuses a creditor's "identity")
        material = Evidence.objects.create(case=case, category="identity", title="身份证明", added_by=user,
                                           file=upload(), sha256="0" * 64)
        before[material.pk] = (case, user)
    migration = import_module("workflow.migrations.0012_remedies")
    migration.relabel_accuser_identity(apps, None)
    for pk, (_case, user) in before.items():
        expected = "identity" if user == demo["enforcement_judge"] else "accuser_identity"
        assert Evidence.objects.get(pk=pk).category == expected
    # the transfer's own identity material (added by the court) keeps its category
    assert court.evidence.filter(category="identity", added_by=demo["enforcement_judge"]).count() == 2


def test_extend_trial_once_two_months_become_three_from_the_start(demo, as_user):
    judge = as_user(demo["trial_judge"])
    with on("2026-03-02"):
        case = case_in_state(demo, "trial")
        assert deadline(case, "trial").due_date == D("2026-05-06")  # 05-02 is in the Labour Day rest
        missing = transition(judge, case, "extend_trial")
        assert missing.status_code == 400 and "reason" in missing.json()
        assert transition(as_user(demo["procurator"]), case, "extend_trial", {"reason": "x"}).status_code == 403
        extended = transition(judge, case, "extend_trial", {"reason": "案情重大复杂"})
        assert extended.status_code == 200 and extended.json()["state"] == "trial"
        again = transition(judge, case, "extend_trial", {"reason": "再延"})
        assert again.status_code == 409
    trial = deadline(case, "trial")
    assert (trial.start_date, trial.due_date, trial.legal_basis) == (D("2026-03-02"), D("2026-06-02"),
                                                                     "CPL Art. 208 ¶1 (extended)")


def test_an_expired_trial_period_cannot_be_extended(demo, as_user):
    with on("2026-03-02"):
        case = case_in_state(demo, "trial")
    with on("2026-05-07"):
        late = transition(as_user(demo["trial_judge"]), case, "extend_trial", {"reason": "x"})
    assert late.status_code == 409
    assert deadline(case, "trial").due_date == D("2026-05-06")


def test_a_private_trial_is_extended_only_with_the_defendant_in_custody(demo, as_user):
    judge = as_user(demo["trial_judge"])
    free = case_in_state(demo, "private_trial")
    refused = transition(judge, free, "extend_trial", {"reason": "x"})
    assert refused.status_code == 409
    assert "Art. 212" in refused.json()["detail"] or "第二百一十二条" in refused.json()["detail"]
    with on("2026-03-02"):
        held = case_in_state(demo, "private_filing_review")
        # the court's own custody decision is not a recorded measure: the defendant held is set on the row
        Case.objects.filter(pk=held.pk).update(custody=True)
        accepted = transition(as_user(demo["filing_clerk"]), held, "accept_private_prosecution",
                                   {"trial_court": demo["trial_judge"].agency.pk})
        assert accepted.status_code == 200
        extended = transition(judge, held, "extend_trial", {"reason": "需要补充调查"})
    assert extended.status_code == 200 and extended.json()["state"] == "private_trial"
    assert deadline(held, "trial").due_date == D("2026-06-02")


def test_the_court_preserves_property_from_the_private_filing_review_on(demo, as_user):
    case = case_in_state(demo, "private_filing_review")
    body = {"measure": "freeze", "description": "被告人银行存款", "amount": "100000.00"}
    judge = as_user(demo["trial_judge"])
    assert post(as_user(demo["filing_clerk"]), f"/api/cases/{case.pk}/property-controls/", body).status_code == 403
    assert post(as_user(demo["trial_judge_2"]), f"/api/cases/{case.pk}/property-controls/", body).status_code == 404
    created = post(judge, f"/api/cases/{case.pk}/property-controls/", body)
    assert created.status_code == 201, created.json()
    assert created.json()["controlling_agency"]["id"] == case.executing_court_id
    assert "property_control" in judge.get(f"/api/cases/{case.pk}/records/").json()["allowed_record_actions"]
