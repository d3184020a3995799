"""Duplicates, official forms and checks, through the API and the pages: a second open case of one enforcement
case (409 naming it, filed with a reason), the same file twice on a case (409 naming the material), a material
taken back from a draft (never after submission, counted right in the transfer letter), case numbers stored in
their official form and found however typed, identity numbers and credit codes checked by their standards, the
kind of a party from its name, a creditor account in another name, and the verification page's own 404."""

import re

import pytest
from django.test import Client

from documents.models import Document, SearchEntry
from procedure.letters import DocumentKind
from tests.casebuilder import CASE_BODY, add_transfer_evidence, fire, new_case, upload
from tests.documents.helpers import pdf_text, response_bytes
from workflow.cases import services
from workflow.models import Case, CaseEvent, Evidence


def body(demo, **overrides):
    return {**CASE_BODY, "police_agency": demo["police_clerk"].agency_id,
            "procuratorate": demo["procurator"].agency_id, **overrides}


def party(base: dict, **changes) -> dict:
    return {**base, **changes}


# ---------------------------------------------------------------------------------------------------------
# A second case of the same enforcement case


def test_a_second_open_case_of_the_same_enforcement_case_is_409_naming_it(demo, as_user):
    first = new_case(demo, enforcement_case_number="（2025）桂0102执1234号")
    client = as_user(demo["enforcement_judge"])
    # The same number typed with ASCII brackets and full-width digits is the same enforcement case.
    response = client.post("/api/cases/", body(demo, enforcement_case_number="(２０２５)桂0102执１２３４号"),
                           format="json")
    assert response.status_code == 409, response.json()
    data = response.json()
    assert first.number in data["enforcement_case_number"][0]
    assert data["existing"]["id"] == first.pk and data["existing"]["number"] == first.number
    assert data["existing"]["state"] == "draft" and data["override_field"] == "duplicate_reason"
    assert Case.objects.count() == 1

    filed = client.post("/api/cases/", body(demo, enforcement_case_number="(2025)桂0102执1234号",
                                            duplicate_reason="同一执行案件的另一被执行人"), format="json")
    assert filed.status_code == 201, filed.json()
    created = filed.json()["events"][0]
    assert created["transition"] == "create"
    assert created["payload"]["duplicate_reason"] == "同一执行案件的另一被执行人"
    assert created["payload"]["duplicate_of"] == first.number
    assert Case.objects.count() == 2


def test_an_ended_case_or_another_court_does_not_block_a_new_one(demo, as_user):
    first = new_case(demo, enforcement_case_number="（2025）桂0102执55号")
    fire(first, "cancel", demo["enforcement_judge"], reason="被执行人已履行")
    again = as_user(demo["enforcement_judge"]).post("/api/cases/", body(demo, enforcement_case_number="（2025）桂0102执55号"),
                                                    format="json")
    assert again.status_code == 201, again.json()
    assert "duplicate_reason" not in again.json()["events"][0]["payload"]
    # The same number at another court is another enforcement case.
    other = as_user(demo["enforcement_judge_2"]).post("/api/cases/", {
        **CASE_BODY, "applicant": party(CASE_BODY["applicant"], user="creditor_2"),
        "police_agency": demo["police_clerk_2"].agency_id, "procuratorate": demo["procurator_2"].agency_id,
        "enforcement_case_number": "（2025）桂0102执55号"}, format="json")
    assert other.status_code == 201, other.json()


def test_a_duplicate_the_user_may_not_see_is_not_named(demo, as_user):
    hidden = new_case(demo, enforcement_case_number="（2025）桂0102执66号")
    response = as_user(demo["creditor_2"]).post("/api/cases/", {
        **CASE_BODY, "applicant": party(CASE_BODY["applicant"], name="王秀英", kind="person",
                                        id_number="450103197502021224", user=""),
        "executing_court": demo["enforcement_judge"].agency_id, "enforcement_case_number": "（2025）桂0102执66号",
    }, format="json")
    assert response.status_code == 409
    assert response.json()["existing"] == {}
    assert hidden.number not in str(response.json())


def test_the_transfer_form_shows_the_open_case_and_asks_for_a_reason(demo, client):
    first = new_case(demo, enforcement_case_number="（2025）桂0102执1234号")
    client.force_login(demo["enforcement_judge"])
    form = {"enforcement_case_number": "(2025)桂0102执1234号", "basis_document": CASE_BODY["basis_document"],
            "amount_owed": "1000", "applicant_name": "广西南宁宏达建材有限公司", "applicant_kind": "entity",
            "debtor_name": "李四", "debtor_kind": "person",
            "police_agency": demo["police_clerk"].agency_id, "procuratorate": demo["procurator"].agency_id}
    assert 'name="duplicate_reason"' not in client.get("/cases/new/").content.decode()
    refused = client.post("/cases/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 400
    error = re.search(r'data-testid="error-enforcement_case_number">([^<]*)<', page).group(1)
    assert first.number in error
    assert f'href="/cases/{first.pk}/"' in page and 'name="duplicate_reason"' in page
    assert Case.objects.count() == 1

    filed = client.post("/cases/new/", {**form, "duplicate_reason": "另一被执行人"})
    assert filed.status_code == 302
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.enforcement_case_number == "（2025）桂0102执1234号"
    assert second.events.get(transition="create").payload["duplicate_reason"] == "另一被执行人"


# ---------------------------------------------------------------------------------------------------------
# The same file twice on a case; taking a material back from a draft


def test_the_same_file_twice_on_a_case_is_409_naming_the_material(demo, as_user):
    case = new_case(demo)
    client = as_user(demo["enforcement_judge"])
    content = b"%PDF-1.4\nthe same judgment"
    first = client.post(f"/api/cases/{case.pk}/evidence/",
                        {"category": "obligation", "title": "民事判决书", "file": upload("a.pdf", content)},
                        format="multipart")
    assert first.status_code == 201
    again = client.post(f"/api/cases/{case.pk}/evidence/",
                        {"category": "refusal", "title": "判决书（再次）", "file": upload("b.pdf", content)},
                        format="multipart")
    assert again.status_code == 409, again.json()
    data = again.json()
    assert "民事判决书" in data["file"][0]
    assert data["existing"]["id"] == first.json()["id"] and data["existing"]["category"] == "obligation"
    assert data["existing"]["sha256"] == first.json()["sha256"] and data["existing"]["added_at"]
    assert case.evidence.count() == 1
    # Another case may carry the same file.
    other = new_case(demo)
    elsewhere = client.post(f"/api/cases/{other.pk}/evidence/",
                            {"category": "obligation", "title": "民事判决书", "file": upload("a.pdf", content)},
                        format="multipart")
    assert elsewhere.status_code == 201


def test_the_upload_form_says_which_material_the_file_already_is(demo, client):
    case = new_case(demo)
    services.evidence_add(case_id=case.pk, actor=demo["enforcement_judge"], category="ability", title="银行流水",
                          file=upload(content=b"statement"))
    client.force_login(demo["enforcement_judge"])
    response = client.post(f"/cases/{case.pk}/evidence/", {"category": "refusal", "title": "",
                                                          "file": upload("copy.pdf", b"statement")})
    assert response.status_code == 400
    error = re.search(r'data-testid="error-file">([^<]*)<', response.content.decode()).group(1)
    assert "银行流水" in error
    assert case.evidence.count() == 1


def test_a_material_taken_back_from_the_draft_is_not_counted_in_the_transfer_letter(demo, as_user):
    case = new_case(demo)
    judge = demo["enforcement_judge"]
    add_transfer_evidence(case, judge)
    mistake = services.evidence_add(case_id=case.pk, actor=judge, category="other", title="误传的材料",
                                    file=upload(content=b"wrong case"))
    client = as_user(judge)
    assert client.delete(f"/api/cases/{case.pk}/evidence/{mistake.pk}/?reason=传错了").status_code == 204
    assert not Evidence.objects.filter(pk=mistake.pk).exists()
    removed = CaseEvent.objects.get(case=case, transition="remove_evidence")
    assert removed.payload["title"] == "误传的材料" and removed.payload["sha256"] == mistake.sha256
    assert removed.payload["reason"] == "传错了"
    assert not SearchEntry.objects.filter(case=case, source="material", source_id=mistake.pk).exists()
    detail = client.get(f"/api/cases/{case.pk}/").json()
    assert len(detail["evidence"]) == 5 and detail["events"][-1]["transition"] == "remove_evidence"

    fire(case, "submit_transfer", judge)
    letter = Document.objects.get(case=case, kind=DocumentKind.TRANSFER_LETTER)
    pdf = response_bytes(client.get(f"/api/documents/{letter.pk}/pdf/"))
    assert "证据材料共5份" in pdf_text(pdf)

    # Once submitted, the materials are fixed.
    kept = case.evidence.first()
    refused = client.delete(f"/api/cases/{case.pk}/evidence/{kept.pk}/")
    assert refused.status_code == 409 and refused.json()["state"] == "transferred"
    assert Evidence.objects.filter(pk=kept.pk).exists()


def test_only_the_own_side_takes_a_material_back(demo, as_user):
    case = new_case(demo)
    material = services.evidence_add(case_id=case.pk, actor=demo["enforcement_judge"], category="identity",
                                     title="身份证明", file=upload(content=b"identity"))
    # The creditor follows the case but does not see the court's material, let alone remove it.
    assert as_user(demo["creditor"]).delete(f"/api/cases/{case.pk}/evidence/{material.pk}/").status_code == 404
    # A user of another court does not see the case at all.
    assert as_user(demo["enforcement_judge_2"]).delete(
        f"/api/cases/{case.pk}/evidence/{material.pk}/").status_code == 404
    assert Evidence.objects.filter(pk=material.pk).exists()


def test_the_draft_page_offers_removal_and_the_timeline_keeps_it(demo, client):
    case = new_case(demo)
    material = services.evidence_add(case_id=case.pk, actor=demo["enforcement_judge"], category="identity",
                                     title="误传的身份证明", file=upload(content=b"identity"))
    client.force_login(demo["enforcement_judge"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/evidence/{material.pk}/remove/"' in page
    response = client.post(f"/cases/{case.pk}/evidence/{material.pk}/remove/")
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    timeline = page[page.index('data-testid="timeline"'):]
    assert "误传的身份证明" in timeline and "已从草稿中移除证据材料" in timeline
    assert not case.evidence.exists()


def test_the_page_refuses_removal_after_submission(demo, client):
    case = new_case(demo)
    add_transfer_evidence(case, demo["enforcement_judge"])
    fire(case, "submit_transfer", demo["enforcement_judge"])
    material = case.evidence.first()
    client.force_login(demo["enforcement_judge"])
    assert "/remove/" not in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(f"/cases/{case.pk}/evidence/{material.pk}/remove/")
    assert response.status_code == 409
    assert Evidence.objects.filter(pk=material.pk).exists()


# ---------------------------------------------------------------------------------------------------------
# Case numbers in their official form, found however typed


def test_case_numbers_are_stored_official_and_found_however_typed(demo, as_user):
    client = as_user(demo["enforcement_judge"])
    created = client.post("/api/cases/", body(demo, enforcement_case_number=" (２０２５) 桂0102执９９号 "),
                          format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["enforcement_case_number"] == "（2025）桂0102执99号"
    for typed in ("(2025)桂0102执99", "（２０２５）桂0102执９９号", "执99号"):
        found = client.get("/api/cases/", {"q": typed}).json()
        assert [c["id"] for c in found["results"]] == [created.json()["id"]], typed


def test_the_inbox_search_takes_ascii_brackets(demo, client):
    case = new_case(demo, enforcement_case_number="（2025）桂0102执777号")
    client.force_login(demo["enforcement_judge"])
    page = client.get("/", {"q": "(2025)桂0102执777", "view": "all"}).content.decode()
    assert case.number in page


# ---------------------------------------------------------------------------------------------------------
# Identity numbers and credit codes; the kind of a party


@pytest.mark.parametrize(("who", "changes", "standard"), [
    ("debtor", {"kind": "person", "id_number": "450102198001011234"}, "GB 11643-1999"),  # check digit wrong
    ("debtor", {"kind": "person", "id_number": "450102198013011237"}, "GB 11643-1999"),  # month 13
    ("debtor", {"kind": "person", "id_number": "45010219800101123"}, "GB 11643-1999"),  # a digit lost
    ("applicant", {"kind": "entity", "id_number": "91450100MA5KXXXX1X"}, "GB 32100-2015"),  # check wrong
    ("applicant", {"kind": "entity", "id_number": "91450100MA5KOOOO13"}, "GB 32100-2015"),  # O is no symbol
    ("debtor", {"kind": "person", "id_number": "91350100M000100Y43"}, "GB 32100-2015"),  # a code for a person
])
def test_a_wrong_identity_number_or_credit_code_is_400_naming_the_field(demo, as_user, who, changes, standard):
    response = as_user(demo["enforcement_judge"]).post(
        "/api/cases/", body(demo, **{who: party(CASE_BODY[who], **changes)}), format="json")
    assert response.status_code == 400, response.json()
    message = response.json()[who]["id_number"][0]
    assert standard in message
    assert not Case.objects.exists()


def test_identity_numbers_are_stored_as_printed(demo, as_user):
    response = as_user(demo["enforcement_judge"]).post("/api/cases/", body(
        demo, debtor=party(CASE_BODY["debtor"], id_number=" 110105 19491231 002x"),
        applicant=party(CASE_BODY["applicant"], id_number="９１３５０１００Ｍ０００１００Ｙ４３")), format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.debtor_id_number == "11010519491231002X" and case.applicant_id_number == "91350100M000100Y43"


def test_the_transfer_form_names_the_wrong_number(demo, client):
    client.force_login(demo["enforcement_judge"])
    response = client.post("/cases/new/", {
        "enforcement_case_number": "（2025）桂0102执31号", "basis_document": CASE_BODY["basis_document"],
        "amount_owed": "1000", "applicant_name": "广西南宁宏达建材有限公司", "applicant_kind": "entity",
        "applicant_id_number": "91450100MA5KXXXX1X", "debtor_name": "李四", "debtor_kind": "person",
        "debtor_id_number": "450102198001011234",
        "police_agency": demo["police_clerk"].agency_id, "procuratorate": demo["procurator"].agency_id,
    }, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 400
    assert "GB 11643-1999" in re.search(r'data-testid="error-debtor_id_number">([^<]*)<', page).group(1)
    assert not Case.objects.exists()


def test_a_company_name_makes_an_entity_unless_told_otherwise(demo, as_user, client):
    api = as_user(demo["enforcement_judge"])
    response = api.post("/api/cases/", body(demo, enforcement_case_number="（2025）桂0102执41号", debtor={
        "name": "南宁市鑫盛商贸有限公司", "id_number": "91450102MA5K00002E"}), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["debtor"]["kind"] == "entity"
    person = api.post("/api/cases/", body(demo, enforcement_case_number="（2025）桂0102执42号",
                                          debtor={"name": "张伟"}), format="json")
    assert person.json()["debtor"]["kind"] == "person"
    # The page's kind left unchosen follows the name too.
    client.force_login(demo["enforcement_judge"])
    client.post("/cases/new/", {
        "enforcement_case_number": "（2025）桂0102执43号", "basis_document": CASE_BODY["basis_document"],
        "amount_owed": "1000", "applicant_name": "广西南宁宏达建材有限公司",
        "debtor_name": "广西恒通物流有限公司",
        "police_agency": demo["police_clerk"].agency_id, "procuratorate": demo["procurator"].agency_id,
    })
    case = Case.objects.get(enforcement_case_number="（2025）桂0102执43号")
    assert case.debtor_kind == "entity" and case.applicant_kind == "entity"


# ---------------------------------------------------------------------------------------------------------
# A creditor account in another name


def test_linking_a_creditor_account_in_another_name_warns(demo, as_user, client):
    api = as_user(demo["enforcement_judge"])
    other = api.post("/api/cases/", body(demo, applicant=party(CASE_BODY["applicant"], user="creditor_2")),
                     format="json")
    assert other.status_code == 201
    warnings = other.json()["warnings"]
    assert [w["field"] for w in warnings] == ["applicant.user"] and "王秀英" in warnings[0]["message"]
    assert other.json()["events"][0]["payload"]["creditor_name_differs"] is True
    same = api.post("/api/cases/", body(demo, enforcement_case_number="（2025）桂0102执3号"), format="json")
    assert same.status_code == 201 and same.json()["warnings"] == []

    client.force_login(demo["enforcement_judge"])
    response = client.post("/cases/new/", {
        "enforcement_case_number": "（2025）桂0102执4号", "basis_document": CASE_BODY["basis_document"],
        "amount_owed": "1000", "applicant_name": "广西南宁宏达建材有限公司", "applicant_user": "creditor_2",
        "debtor_name": "李四", "police_agency": demo["police_clerk"].agency_id,
        "procuratorate": demo["procurator"].agency_id,
    }, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "王秀英" in response.content.decode() and "creditor_2" in response.content.decode()


# ---------------------------------------------------------------------------------------------------------
# The verification page


def test_an_unknown_verification_code_has_a_page_of_its_own(db):
    response = Client().get("/verify/ABCDE-FGHJK-LMNPQ-RSTUV/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="verify-not-found"' in page and 'name="code"' in page
    assert "ABCDE-FGHJK-LMNPQ-RSTUV" in page  # offered again to correct
    assert Client().get("/verify/not-a-code/").status_code == 404


def test_full_width_and_lower_case_codes_lead_to_the_document(demo):
    case = new_case(demo)
    add_transfer_evidence(case, demo["enforcement_judge"])
    fire(case, "submit_transfer", demo["enforcement_judge"])
    code = Document.objects.filter(case=case).first().verification_code
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else "－" for c in code.lower())
    response = Client().get(f"/verify/{wide}/")
    assert response.status_code == 302 and response["Location"] == f"/verify/{code}/"
    typed = Client().get("/verify/", {"code": wide})
    assert typed.status_code == 302 and typed["Location"] == f"/verify/{code}/"


def test_the_full_text_search_takes_full_width_digits(demo, as_user, settings, django_capture_on_commit_callbacks,
                                                      eager_celery):
    settings.CASE_CONTENT_JOBS = True
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(demo, enforcement_case_number="（2025）桂0102执4321号")
    client = as_user(demo["enforcement_judge"])
    for typed in ("（2025）桂0102执4321号", "（２０２５）桂０１０２执４３２１号", "(2025)桂0102执4321号"):
        results = client.get("/api/search/", {"q": typed}).json()["results"]
        assert case.pk in {r["case"]["id"] for r in results}, typed


def test_stored_case_numbers_take_their_official_form_by_the_migration(demo):
    from importlib import import_module

    from django.apps import apps

    case = new_case(demo)
    Case.objects.filter(pk=case.pk).update(enforcement_case_number=" (２０２５)桂0102执１２号")
    import_module("workflow.migrations.0017_normalize_enforcement_case_numbers").normalize(apps, None)
    assert Case.objects.get(pk=case.pk).enforcement_case_number == "（2025）桂0102执12号"
