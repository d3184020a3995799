"""The documents API (api.md: `GET /api/cases/{id}/documents/`, `GET /api/documents/{id}/pdf/`) and the public
verification page (`GET /verify/{code}/`): who may read what, and what a stranger with the code learns."""

import hashlib

import pytest
from django.test import Client

from documents.models import Document
from tests.casebuilder import CASE_BODY, add_private_evidence, case_in_state, fire, new_case
from tests.documents.helpers import pdf_text, reach, response_bytes
from workflow.cases import letters
from workflow.models import Case
from workflow.records import services as record_services


def pdf_url(document):
    return f"/api/documents/{document.pk}/pdf/"


# --- the case's documents --------------------------------------------------------------------------------------


def test_case_documents_are_listed_for_its_agencies(demo, as_user):
    case = case_in_state(demo, "filing_review")
    response = as_user(demo["police_clerk"]).get(f"/api/cases/{case.pk}/documents/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and set(body) >= {"count", "next", "previous", "results"}
    kinds = [d["kind"] for d in body["results"]]
    assert kinds == ["transfer_letter", "execution_explanation", "evidence_list", "registration_form",
                     "acknowledgment"]
    first = body["results"][0]
    assert {"id", "kind", "number", "version", "sha256", "issued_by", "issued_at", "verification_code"} <= set(first)
    assert first["issued_by"] == demo["enforcement_judge"].agency.name
    assert first["pdf_url"] == f"/api/documents/{first['id']}/pdf/"
    assert first["verify_url"].endswith(f"/verify/{first['verification_code']}/")


def test_another_regions_user_gets_404_for_the_list_and_the_pdf(demo, as_user):
    case, document = reach(demo, "transfer_letter")
    stranger = as_user(demo["police_clerk_2"])
    assert stranger.get(f"/api/cases/{case.pk}/documents/").status_code == 404
    assert stranger.get(pdf_url(document)).status_code == 404
    assert as_user(demo["enforcement_judge_2"]).get(pdf_url(document)).status_code == 404
    assert stranger.get("/api/documents/999999/pdf/").status_code == 404
    assert stranger.get("/api/documents/abc/pdf/").status_code == 404


def test_anonymous_requests_are_refused(demo, api):
    case, document = reach(demo, "transfer_letter")
    assert api.get(pdf_url(document)).status_code == 401
    assert api.get(f"/api/cases/{case.pk}/documents/").status_code == 401


def test_the_pdf_is_served_as_stored_whatever_the_client_accepts(demo, as_user):
    _, document = reach(demo, "evidence_list")
    client = as_user(demo["police_clerk"])
    response = client.get(pdf_url(document), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response_bytes(response)
    document.refresh_from_db()
    assert hashlib.sha256(body).hexdigest() == document.sha256 == response["X-Content-SHA256"]
    assert "inline" in response["Content-Disposition"]
    # Served again: the same stored file, not a new rendering.
    name = document.file.name
    assert response_bytes(client.get(pdf_url(document))) == body
    document.refresh_from_db()
    assert document.file.name == name


def test_a_damaged_stored_file_is_not_served(demo, as_user):
    _, document = reach(demo, "acknowledgment")
    client = as_user(demo["police_clerk"])
    assert client.get(pdf_url(document)).status_code == 200
    document.refresh_from_db()
    with document.file.storage.open(document.file.name, "wb") as stored:
        stored.write(b"%PDF-1.7 tampered")
    assert client.get(pdf_url(document)).status_code == 503
    document.file.storage.delete(document.file.name)
    assert client.get(pdf_url(document)).status_code == 503
    document.refresh_from_db()
    assert document.sha256 and document.file.name  # the record keeps what was issued; nothing is re-rendered


def test_a_creditor_reads_only_what_is_addressed_to_the_creditor(demo, as_user):
    case, notice = reach(demo, "private_prosecution_notice")
    creditor = as_user(demo["creditor"])
    listed = creditor.get(f"/api/cases/{case.pk}/documents/").json()["results"]
    assert [d["kind"] for d in listed] == ["private_prosecution_notice"]
    assert creditor.get(pdf_url(notice)).status_code == 200
    letter = Document.objects.get(case=case, kind="transfer_letter")
    assert creditor.get(pdf_url(letter)).status_code == 404
    # The case detail lists the same.
    detail = creditor.get(f"/api/cases/{case.pk}/").json()
    assert [d["kind"] for d in detail["documents"]] == ["private_prosecution_notice"]


def test_an_obstruction_referral_is_read_only_by_the_court_and_the_receiver(demo, as_user):
    """Art. 18: the letter names an official; the case's police and procuratorate do not read it, the
    commission it is referred to does, although it holds no position in the case."""
    case, letter = reach(demo, "obstruction_referral_letter")
    assert as_user(demo["enforcement_judge"]).get(pdf_url(letter)).status_code == 200
    assert as_user(demo["discipline_officer"]).get(pdf_url(letter)).status_code == 200
    assert as_user(demo["police_clerk"]).get(pdf_url(letter)).status_code == 404
    assert as_user(demo["procurator"]).get(pdf_url(letter)).status_code == 404
    police_list = as_user(demo["police_clerk"]).get(f"/api/cases/{case.pk}/documents/").json()["results"]
    assert "obstruction_referral_letter" not in [d["kind"] for d in police_list]


def test_the_police_asked_to_locate_a_defendant_read_the_letter(demo, as_user):
    """Art. 16: in a private prosecution the police agency asked holds no position in the case."""
    case = new_case(demo, origin="creditor")
    add_private_evidence(case, demo["creditor"])
    fire(case, "file_private_prosecution", demo["creditor"])
    fire(case, "accept_private_prosecution", demo["filing_clerk"], trial_court=demo["trial_judge"].agency.pk)
    assert Case.objects.get(pk=case.pk).police_agency is None
    record_services.locate_request_create(case_id=case.pk, actor=demo["trial_judge"],
                                          police_agency=demo["police_clerk"].agency.pk)
    letter = Document.objects.get(case=case, kind="locate_request_letter")
    police = as_user(demo["police_investigator"])
    assert police.get(pdf_url(letter)).status_code == 200
    assert police.get(f"/api/cases/{case.pk}/documents/").status_code == 404


# --- the public verification page ------------------------------------------------------------------------------


def test_the_verify_page_confirms_a_document_without_login_and_leaks_nothing(demo, as_user):
    case, document = reach(demo, "transfer_letter")
    pdf = response_bytes(as_user(demo["enforcement_judge"]).get(pdf_url(document)))
    document.refresh_from_db()

    response = Client().get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert document.number in page
    assert "移送案件函" in page or "Case transfer letter" in page
    assert demo["enforcement_judge"].agency.name in page
    assert document.sha256 == hashlib.sha256(pdf).hexdigest() and document.sha256 in page
    # No personal data and nothing that identifies the case.
    for secret in (CASE_BODY["debtor"]["name"], CASE_BODY["applicant"]["name"], CASE_BODY["debtor"]["id_number"],
                   CASE_BODY["enforcement_case_number"], CASE_BODY["basis_document"], case.number,
                   demo["police_clerk"].agency.name, "1,250,000", "1250000"):
        assert secret not in page, secret
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_verify_page_in_english(demo):
    _, document = reach(demo, "acknowledgment")
    page = Client().get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Acknowledgment of receipt" in page and document.number in page


def test_unknown_and_malformed_codes_are_404(demo):
    reach(demo, "transfer_letter")
    client = Client()
    assert client.get("/verify/ABCDE-FGHJK-LMNPQ-RSTUV/").status_code == 404
    assert client.get("/verify/short/").status_code == 404
    assert client.get("/verify/ABCDE-FGHJK-LMNPQ-RSTU0/").status_code == 404  # 0 is not in the alphabet


def test_a_code_typed_loosely_leads_to_its_page(demo):
    _, document = reach(demo, "transfer_letter")
    loose = document.verification_code.replace("-", "").lower()
    response = Client().get(f"/verify/{loose}/")
    assert response.status_code == 302 and response["Location"] == f"/verify/{document.verification_code}/"
    typed = Client().get("/verify/", {"code": " " + document.verification_code.lower() + " "})
    assert typed.status_code == 302 and typed["Location"] == f"/verify/{document.verification_code}/"
    bad = Client().get("/verify/", {"code": "not a code"})
    assert bad.status_code == 400


def test_the_verify_page_of_a_corrected_version_says_so(demo):
    _, document = reach(demo, "non_filing_notice")
    corrected = letters.issue_correction(document=document, actor=demo["police_investigator"],
                                         changes={"payload": {"reason": "更正后的理由"}})
    page = Client().get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="verify-corrected"' in page and "version 2" in page
    newer = Client().get(f"/verify/{corrected.verification_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="verify-corrected"' not in newer and "corrects version 1" in newer
    assert "更正后的理由" not in newer


@pytest.mark.parametrize("kind", ["private_prosecution_notice", "obstruction_referral_letter"])
def test_verify_page_shows_no_addressee(kind, demo):
    """The creditor's notices name a person and the referral an official: the page names neither."""
    _, document = reach(demo, kind)
    page = Client().get(f"/verify/{document.verification_code}/").content.decode()
    assert CASE_BODY["applicant"]["name"] not in page and "王五" not in page
    assert document.number in page


def test_codes_are_long_enough_not_to_be_guessed(demo):
    case = case_in_state(demo, "filing_review")
    codes = list(Document.objects.filter(case=case).values_list("verification_code", flat=True))
    assert len(set(codes)) == len(codes)
    for code in codes:
        symbols = code.replace("-", "")
        assert len(symbols) == 20  # 32 ** 20 = 2 ** 100


def test_pdf_text_of_served_document_has_its_code(demo, as_user):
    _, document = reach(demo, "registration_form")
    text = pdf_text(response_bytes(as_user(demo["police_clerk"]).get(pdf_url(document))))
    assert document.verification_code in text
