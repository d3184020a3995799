"""The case API: create, list filters, detail, evidence, bad input, visibility, redaction, query counts."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tests.casebuilder import CASE_BODY, add_transfer_evidence, case_in_state, new_case
from workflow.models import Case, CaseEvent, Evidence


def body(demo, **overrides):
    return {**CASE_BODY, "police_agency": demo["police_clerk"].agency_id,
            "procuratorate": demo["procurator"].agency_id, **overrides}


def test_judge_creates_a_draft_in_own_court(demo, as_user):
    response = as_user(demo["enforcement_judge"]).post("/api/cases/", body(demo), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "draft" and data["origin"] == "court"
    assert data["executing_court"]["id"] == demo["enforcement_judge"].agency_id
    assert data["number"].startswith("RE") and data["applicant"]["user"] == "creditor"
    assert data["allowed_transitions"] == ["cancel"]  # no evidence yet: submit_transfer not offered
    assert data["missing_transfer_categories"] == ["identity", "obligation", "ability", "refusal", "circumstances"]
    assert data["events"][0]["transition"] == "create"


def test_create_refuses_another_regions_agency_without_reason(demo, as_user):
    client = as_user(demo["enforcement_judge"])
    other_police = demo["police_clerk_2"].agency_id
    refused = client.post("/api/cases/", body(demo, police_agency=other_police), format="json")
    assert refused.status_code == 400 and "jurisdiction_reason" in refused.json()
    ok = client.post("/api/cases/", body(demo, police_agency=other_police,
                                         jurisdiction_reason="被执行人长期居住于青秀区"), format="json")
    assert ok.status_code == 201 and ok.json()["cross_region"] is True


@pytest.mark.parametrize(("field", "value"), [
    ("police_agency", 999999),          # no such agency
    ("police_agency", "COURT"),         # an agency of the wrong kind
    ("procuratorate", "POLICE"),
    ("amount_owed", "-5"),
    ("amount_owed", "lots"),
    ("debtor", {"kind": "person"}),     # no name
    ("enforcement_case_number", ""),
])
def test_create_bad_input_is_400_naming_the_field(demo, as_user, field, value):
    value = {"COURT": demo["trial_judge"].agency_id, "POLICE": demo["police_clerk"].agency_id}.get(value, value) \
        if isinstance(value, str) else value
    response = as_user(demo["enforcement_judge"]).post("/api/cases/", body(demo, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_roles_that_do_not_start_cases_get_403(demo, as_user):
    for role in ("police_clerk", "trial_judge", "discipline_officer"):
        assert as_user(demo[role]).post("/api/cases/", body(demo), format="json").status_code == 403


def test_list_filters_state_q_and_overdue(demo, as_user):
    a = case_in_state(demo, "filing_review")
    b = new_case(demo, debtor={"name": "李强", "kind": "person"})
    client = as_user(demo["enforcement_judge"])
    assert [c["id"] for c in client.get("/api/cases/?state=filing_review").json()["results"]] == [a.pk]
    assert [c["id"] for c in client.get("/api/cases/?q=李强").json()["results"]] == [b.pk]
    assert client.get("/api/cases/?q=RE").json()["count"] == 2
    assert client.get("/api/cases/?overdue=true").json()["count"] == 0
    a.deadlines.filter(kind="filing_review").update(due_date="2020-01-01")
    assert [c["id"] for c in client.get("/api/cases/?overdue=true").json()["results"]] == [a.pk]
    assert client.get("/api/cases/?state=nonsense").status_code == 400
    assert client.get("/api/cases/?overdue=maybe").status_code == 400


def test_another_regions_case_is_404_everywhere(demo, as_user):
    case = case_in_state(demo, "filing_review")
    for role in ("enforcement_judge_2", "police_clerk_2", "procurator_2", "creditor_2", "discipline_officer"):
        client = as_user(demo[role])
        assert client.get(f"/api/cases/{case.pk}/").status_code == 404
        assert client.post(f"/api/cases/{case.pk}/transitions/file_case/", {}, format="json").status_code == 404
        upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
        assert client.post(f"/api/cases/{case.pk}/evidence/", {"category": "identity", "title": "t", "file": upload},
                           format="multipart").status_code == 404
        assert case.pk not in [c["id"] for c in client.get("/api/cases/").json()["results"]]
    assert as_user(demo["police_clerk"]).get("/api/cases/999999/").status_code == 404


def test_creditor_sees_own_case_without_identity_numbers_or_internal_notes(demo, as_user):
    case = new_case(demo, internal_note="内部：被执行人有隐匿财产线索")
    case_in_state(demo, "draft")
    creditor = as_user(demo["creditor"])
    listing = creditor.get("/api/cases/").json()
    assert listing["count"] == 2
    detail = creditor.get(f"/api/cases/{case.pk}/").json()
    assert detail["debtor"]["id_number"] is None and detail["internal_note"] is None
    assert detail["debtor"]["name"] == "张伟"
    judge = as_user(demo["enforcement_judge"]).get(f"/api/cases/{case.pk}/").json()
    assert judge["debtor"]["id_number"] == "450102198001011237" and "隐匿" in judge["internal_note"]


def test_evidence_upload_hashes_and_never_replaces(demo, as_user):
    case = new_case(demo)
    client = as_user(demo["enforcement_judge"])
    content = b"%PDF-1.4 identity card scan"
    response = client.post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "身份证", "file": SimpleUploadedFile("id.pdf", content)},
        format="multipart")
    assert response.status_code == 201
    import hashlib

    assert response.json()["sha256"] == hashlib.sha256(content).hexdigest()
    evidence = Evidence.objects.get()
    evidence.title = "changed"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        evidence.save()
    with pytest.raises(ValidationError):
        evidence.delete()


@pytest.mark.parametrize(("data", "field"), [
    ({"category": "weapons", "title": "x"}, "category"),
    ({"category": "identity", "title": ""}, "title"),
    ({"category": "identity", "title": "x", "nofile": True}, "file"),
])
def test_evidence_bad_input_is_400(demo, as_user, data, field):
    case = new_case(demo)
    payload = {k: v for k, v in data.items() if k != "nofile"}
    if "nofile" not in data:
        payload["file"] = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", payload,
                                                       format="multipart")
    assert response.status_code == 400 and field in response.json()
    assert not Evidence.objects.exists()


def test_oversized_evidence_is_400_with_the_limit(demo, as_user, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    case = new_case(demo)
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "big", "file": SimpleUploadedFile("big.pdf", b"x" * 2048)},
        format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not Evidence.objects.exists()


def test_creditor_may_not_add_transfer_categories(demo, as_user):
    case = new_case(demo)
    response = as_user(demo["creditor"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "ability", "title": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, format="multipart")
    assert response.status_code == 400 and "category" in response.json()


def test_police_cannot_add_evidence_to_a_draft_it_cannot_see_yet_or_judge_after_end(demo, as_user):
    case = case_in_state(demo, "cancelled")
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, format="multipart")
    assert response.status_code == 403


def test_submit_transfer_without_the_five_categories_names_what_is_missing(demo, as_user):
    case = new_case(demo)
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/transitions/submit_transfer/", {},
                                                       format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["evidence"])
    assert "Art. 4" in message or "第四条" in message


@pytest.mark.parametrize(("name", "body", "field"), [
    ("decline_filing", {}, "reason"),
    ("decline_filing", {"reason": "   "}, "reason"),
    ("decline_filing", {"reason": "ok", "note": ["not", "text"]}, "note"),
])
def test_transition_bad_body_is_400_naming_the_field(demo, as_user, name, body, field):
    case = case_in_state(demo, "filing_review")
    response = as_user(demo["police_investigator"]).post(f"/api/cases/{case.pk}/transitions/{name}/", body,
                                                         format="json")
    assert response.status_code == 400 and field in response.json()
    assert Case.objects.get(pk=case.pk).state == "filing_review"


def test_indict_with_a_foreign_or_wrong_agency_is_400(demo, as_user):
    case = case_in_state(demo, "prosecution_review")
    client = as_user(demo["procurator"])
    url = f"/api/cases/{case.pk}/transitions/indict/"
    assert "trial_court" in client.post(url, {"trial_court": demo["police_clerk"].agency_id}, format="json").json()
    assert "trial_court" in client.post(url, {"trial_court": 987654}, format="json").json()
    other = client.post(url, {"trial_court": demo["trial_judge_2"].agency_id}, format="json")
    assert other.status_code == 400 and "trial_court" in other.json()
    assert client.post(url, {"trial_court": "abc"}, format="json").status_code == 400


def test_unknown_transition_is_404_not_500(demo, as_user):
    case = case_in_state(demo, "filing_review")
    response = as_user(demo["police_investigator"]).post(f"/api/cases/{case.pk}/transitions/teleport/", {},
                                                         format="json")
    assert response.status_code == 404


def test_request_supplement_needs_known_categories(demo, as_user):
    case = case_in_state(demo, "private_filing_review")
    client = as_user(demo["filing_clerk"])
    url = f"/api/cases/{case.pk}/transitions/request_supplement/"
    assert "missing" in client.post(url, {"missing": []}, format="json").json()
    assert "missing" in client.post(url, {"missing": ["bribe"]}, format="json").json()
    ok = client.post(url, {"missing": ["other"]}, format="json")
    assert ok.status_code == 200 and ok.json()["events"][-1]["payload"]["missing"] == ["other"]


def test_case_list_runs_a_constant_number_of_queries(demo, as_user):
    client = as_user(demo["enforcement_judge"])
    new_case(demo)
    urls = ("/api/cases/", "/api/cases/?overdue=false")  # counted from the indexes, and from the cases' rows
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).json()["count"] == 1
        few[url] = len(queries)
    for _ in range(12):
        case_in_state(demo, "transferred")
    for url in urls:
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).json()["count"] == 13
        assert len(many) == few[url], [q["sql"] for q in many.captured_queries]


def test_case_detail_query_count_does_not_grow_with_events(demo, as_user):
    small = case_in_state(demo, "transferred")
    large = case_in_state(demo, "judged")
    client = as_user(demo["enforcement_judge"])
    with CaptureQueriesContext(connection) as q_small:
        client.get(f"/api/cases/{small.pk}/")
    with CaptureQueriesContext(connection) as q_large:
        client.get(f"/api/cases/{large.pk}/")
    assert len(q_large) <= len(q_small) + 2


def test_openapi_describes_every_transition_body(demo, client):
    from procedure.transitions import TRANSITIONS

    client.force_login(demo["procurator"])
    schema = client.get("/api/schema/?format=json").json()
    for name in TRANSITIONS:
        path = schema["paths"][f"/api/cases/{{id}}/transitions/{name}/"]
        assert "requestBody" in path["post"], name
    indict = schema["paths"]["/api/cases/{id}/transitions/indict/"]["post"]["requestBody"]["content"]
    ref = indict["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "trial_court" in schema["components"]["schemas"][ref]["required"]


@pytest.mark.django_db(transaction=True)
def test_two_users_fire_at_once_exactly_one_succeeds(require_postgres, as_user):
    from agencies.demo import seed_agencies_and_users
    from agencies.models import User

    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.all()}
    case = case_in_state(users, "filing_review")
    barrier = threading.Barrier(4)
    results = []

    def attempt(name, body):
        try:
            barrier.wait()
            response = as_user(users["police_head"]).post(
                f"/api/cases/{case.pk}/transitions/{name}/", body, format="json")
            results.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=a) for a in [
        ("file_case", {}), ("decline_filing", {"reason": "a"}), ("file_case", {}), ("decline_filing", {"reason": "b"})]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409, 409, 409]
    decisions = CaseEvent.objects.filter(case=case, transition__in=["file_case", "decline_filing"])
    assert decisions.count() == 1
    case.refresh_from_db()
    assert case.state == decisions.get().to_state
    from django.core.management import call_command

    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_concurrent_evidence_and_transfer_keep_one_chain(require_postgres, as_user):
    """Events from parallel requests on one case still form one unbroken chain."""
    from agencies.demo import seed_agencies_and_users
    from agencies.models import User

    seed_agencies_and_users()
    users = {u.username: u for u in User.objects.all()}
    case = new_case(users)
    add_transfer_evidence(case, users["enforcement_judge"])
    barrier = threading.Barrier(6)

    def upload(i):
        try:
            barrier.wait()
            as_user(users["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
                "category": "other", "title": f"补充{i}", "file": SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4 " + bytes([i]))},
                format="multipart")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True))
    assert seqs == list(range(1, 13))
    from django.core.management import call_command

    call_command("verify_audit")
