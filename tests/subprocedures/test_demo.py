"""seed_demo: the sample cases carry every kind of record, and a second run changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile

from workflow import models
from workflow.management.demo import seed_cases
from workflow.models import Case


def test_seed_cases_shows_each_record_and_is_idempotent(demo):
    counts = seed_cases()
    assert counts["cases"] >= 10
    for name in ("ArrestRequest", "CoerciveMeasure", "PropertyControl", "Warning", "Performance",
                 "EvidenceCopyRequest", "LocateRequest", "ObstructionReferral", "JointMeeting"):
        model = getattr(models, name)
        assert model.objects.exists(), name
    states = set(Case.objects.values_list("state", flat=True))
    assert len(states) >= 8
    before = Case.objects.count()
    assert seed_cases() == {"cases": 0}
    assert Case.objects.count() == before


def _demo_case(number):
    return Case.objects.get(enforcement_case_number=number)


def test_creditor_trial_judge_and_police_do_their_part_on_the_demo_data(demo, as_user):
    seed_cases()
    creditor, trial_judge, police = (as_user(demo[u]) for u in ("creditor", "trial_judge", "police_investigator"))

    # The creditor completes the Art. 13 materials of the advised case and files it.
    advised = _demo_case("（2025）桂0102执1007号")
    listing = creditor.get(f"/api/cases/{advised.pk}/private-checklist/").json()
    assert "public_route_failed" in listing["missing"]
    for category in ("accuser_identity", "public_route_failed"):
        file = SimpleUploadedFile(f"{category}.pdf", f"%PDF-1.4 demo {category}".encode(),
                                  content_type="application/pdf")
        assert creditor.post(f"/api/cases/{advised.pk}/evidence/", {"category": category, "title": "材料",
                                                                    "file": file}, format="multipart").status_code == 201
    filed = creditor.post(f"/api/cases/{advised.pk}/transitions/file_private_prosecution/", {}, format="json")
    assert filed.status_code == 200 and filed.json()["state"] == "private_filing_review"
    # ... supplies what the filing division asked for in the case it started itself ...
    own = _demo_case("（2025）桂0102执1008号")
    assert creditor.get(f"/api/cases/{own.pk}/private-checklist/").json()["requested_outstanding"] == ["other"]
    other = SimpleUploadedFile("other.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    creditor.post(f"/api/cases/{own.pk}/evidence/", {"category": "other", "title": "控告回执", "file": other},
                  format="multipart")
    assert creditor.get(f"/api/cases/{own.pk}/private-checklist/").json()["requested_outstanding"] == []
    # ... downloads the copies the executing court shared, and asks for more.
    private = _demo_case("（2025）桂0102执1009号")
    shared = creditor.get(f"/api/cases/{private.pk}/evidence-copy-requests/").json()["results"][0]["shared_evidence"]
    assert shared and creditor.get(shared[0]["file_url"]).status_code == 200
    assert creditor.post(f"/api/cases/{private.pk}/evidence-copy-requests/", {"description": "执行笔录"},
                         format="json").status_code == 201

    # The trial judge preserves more property, asks the police to locate the defendant again, and records terms.
    assert trial_judge.post(f"/api/cases/{private.pk}/property-controls/",
                            {"measure": "seize", "description": "被告人名下车辆"}, format="json").status_code == 201
    assert trial_judge.post(f"/api/cases/{private.pk}/locate-requests/", {}, format="json").status_code == 201
    reconciled = trial_judge.post(f"/api/cases/{private.pk}/transitions/reconcile/",
                                  {"terms": "被告人于三个月内付清余款"}, format="json")
    assert reconciled.status_code == 200 and reconciled.json()["state"] == "reconciled"

    # The police investigator: an arrest request, a detention and a freeze on the cases under investigation,
    # and the answer to the locate request the trial judge just sent.
    executed = _demo_case("（2025）桂0102执1004号")
    assert police.post(f"/api/cases/{executed.pk}/arrest-requests/",
                       {"grounds": "同案人员可能串供", "detained": False}, format="json").status_code == 201
    pending = _demo_case("（2025）桂0102执1003号")
    assert police.post(f"/api/cases/{pending.pk}/coercive-measures/",
                       {"kind": "detention", "legal_basis": "刑事诉讼法第八十二条"}, format="json").status_code == 201
    assert police.post(f"/api/cases/{pending.pk}/property-controls/",
                       {"measure": "freeze", "description": "支付宝账户余额"}, format="json").status_code == 201
    locate = police.get("/api/locate-requests/?pending=true").json()["results"]
    assert len(locate) == 1
    assert police.post(f"/api/locate-requests/{locate[0]['id']}/answer/", {"result": "not_found"},
                       format="json").status_code == 200

    # and the others waiting: the procurator's arrest review, the other region's locate request
    review = as_user(demo["procurator"]).get("/api/arrest-requests/?pending=true").json()["results"]
    assert {r["case"] for r in review} == {pending.pk, executed.pk}
    assert as_user(demo["police_investigator_2"]).get("/api/locate-requests/?pending=true").json()["count"] == 1
    assert as_user(demo["discipline_officer"]).get("/api/obstruction-referrals/").json()["count"] == 1
    ledger = as_user(demo["procurator"]).get("/api/supervision-ledger/").json()
    assert ledger["count"] == 3
