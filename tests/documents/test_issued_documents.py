"""Every document of procedure.md §5, issued by the real transitions and sub-procedures and fetched as the PDF a
user downloads: its text carries the title, number, parties, legal basis, addressee and due date; the bytes
served are the bytes hashed; what the letter says is fixed when it is issued; a correction is a new version."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import Document
from documents.render import format_date
from procedure.letters import DocumentKind
from tests.casebuilder import CASE_BODY, case_in_state, fire
from tests.documents.helpers import EXPECTED, ROUTES, pdf_text, reach, response_bytes
from workflow.cases import letters
from workflow.models import CaseEvent, Deadline


def fetch_pdf(client, document):
    response = client.get(f"/api/documents/{document.pk}/pdf/")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response_bytes(response)


def test_every_kind_of_the_procedure_is_covered():
    assert set(ROUTES) == set(DocumentKind.values) == set(EXPECTED)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_issued_document_reads_as_a_clerk_expects(kind, demo, as_user):
    title, article, issuer_user, addressee, deadline_kind = EXPECTED[kind]
    case, document = reach(demo, kind)
    reader = demo[ROUTES[kind][1]]

    pdf = fetch_pdf(as_user(reader), document)
    text = pdf_text(pdf)

    assert document.issued_by == demo[issuer_user].agency
    assert title in text
    assert document.number in text and document.number.startswith(demo[issuer_user].agency.abbreviation)
    assert f"〔{document.year}〕{document.sequence}号" in document.number
    assert CASE_BODY["debtor"]["name"] in text
    assert CASE_BODY["applicant"]["name"] in text
    assert article in text
    assert demo[issuer_user].agency.name in text
    assert document.verification_code in text
    # Addressed to the right party, by name, at the head of the letter (the registration form names the
    # transferring court as the organ that sent the case).
    if addressee == "creditor":
        assert document.addressed_to_creditor and document.addressee_agency is None
        assert f"{CASE_BODY['applicant']['name']}：" in text
    else:
        expected_agency = demo[addressee].agency
        assert expected_agency.name in text
        if kind != "registration_form":
            assert document.addressee_agency == expected_agency
            assert f"{expected_agency.name}：" in text
    # What the addressee must do by when: the due date of the deadline the same transition opened.
    if deadline_kind:
        deadline = Deadline.objects.filter(case=case, kind=deadline_kind).latest("id")
        assert format_date(deadline.due_date, "zh-hans") in text
        assert document.context["deadline"]["due_date"] == deadline.due_date.isoformat()
    else:
        assert document.context["deadline"] is None
    # The stored SHA-256 is that of the bytes served.
    document.refresh_from_db()
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.size == len(pdf)
    assert document.rendered_at is not None


def test_letters_cite_the_letters_they_answer(demo, as_user):
    """An acknowledgment cites the transfer letter's number; the notice to file cites the police's explanation;
    the supervision request says which police decision it contests."""
    case = case_in_state(demo, "filing_ordered")
    docs = {d.kind: d for d in Document.objects.filter(case=case)}
    judge, procurator = as_user(demo["enforcement_judge"]), as_user(demo["procurator_general"])

    assert docs["transfer_letter"].number in pdf_text(fetch_pdf(judge, docs["acknowledgment"]))
    supervision = pdf_text(fetch_pdf(judge, docs["supervision_request"]))
    assert f"以{docs['non_filing_notice'].number}不予立案通知书决定不予立案" in supervision
    order = pdf_text(fetch_pdf(procurator, docs["filing_order"]))
    assert docs["police_explanation"].number in order and docs["explanation_request"].number in order
    # The period is stated once, with its date, not twice.
    assert order.count("十五日内") == 1


def test_filing_decision_on_the_procuratorates_notice_goes_to_the_procuratorate(demo, as_user):
    """Art. 8 ¶2: the police file on the notice to file and send the decision to the procuratorate; the
    transferring court receives a copy."""
    case = case_in_state(demo, "filing_ordered")
    fire(case, "file_case", demo["police_head"])
    decision = Document.objects.get(case=case, kind="filing_decision")
    order = Document.objects.get(case=case, kind="filing_order")
    assert decision.addressee_agency == demo["procurator"].agency
    text = pdf_text(fetch_pdf(as_user(demo["procurator"]), decision))
    assert f"{demo['procurator'].agency.name}：" in text
    assert "第五条第二款、第八条第二款" in text
    assert order.number in text
    assert f"抄送：{demo['enforcement_judge'].agency.name}" in text


def test_private_prosecution_notice_names_the_route_that_failed(demo, as_user):
    """Art. 12 ¶1: the notice says why the public route failed, here the police's non-filing, by number."""
    case, document = reach(demo, "private_prosecution_notice")
    non_filing = Document.objects.get(case=case, kind="non_filing_notice")
    text = pdf_text(fetch_pdf(as_user(demo["creditor"]), document))
    assert f"以{non_filing.number}不予立案通知书决定不予立案" in text
    # The creditor's copy never carries the other party's identity number.
    assert CASE_BODY["debtor"]["id_number"] not in text


def test_a_user_reading_english_gets_the_letter_in_english(demo, as_user):
    judge = demo["enforcement_judge"]
    judge.language = "en"
    judge.save(update_fields=["language"])
    case = case_in_state(demo, "transferred")
    letter = Document.objects.get(case=case, kind="transfer_letter")
    assert letter.language == "en"
    text = pdf_text(fetch_pdf(as_user(judge), letter))
    assert "CaseTransferLetter" in text and "Article313oftheCriminalLawandArticle3of" in text
    assert "asArticle4oftheOpinionsrequires" in text and letter.number in text
    # The police's own documents follow the police user's language: Chinese.
    fire(case, "accept", demo["police_clerk"])
    ack = Document.objects.get(case=case, kind="acknowledgment")
    assert ack.language == "zh-hans"
    assert "受案回执" in pdf_text(fetch_pdf(as_user(demo["police_clerk"]), ack))


def test_what_the_letter_says_is_fixed_when_it_is_issued(demo, as_user):
    """A later change of the case does not change the letter: the stored text and the re-rendered bytes stay."""
    case, document = reach(demo, "transfer_letter")
    client = as_user(demo["enforcement_judge"])
    first = fetch_pdf(client, document)

    type(case).objects.filter(pk=case.pk).update(debtor_name="改名后的被执行人", amount_owed="1.00")
    Document.objects.filter(pk=document.pk).update(file="", sha256="", size=0, rendered_at=None)
    second = fetch_pdf(client, document)

    assert second == first
    assert "改名后的被执行人" not in pdf_text(second)
    document.refresh_from_db()
    assert document.context["case"]["debtor"]["name"] == CASE_BODY["debtor"]["name"]


def test_an_issued_document_is_never_changed_or_deleted(demo, as_user):
    case, document = reach(demo, "non_filing_notice")
    fetch_pdf(as_user(demo["police_investigator"]), document)
    document.refresh_from_db()
    document.number = "兴公不立〔2026〕99号"
    with pytest.raises(ValidationError):
        document.save()
    document.refresh_from_db()
    document.file.name = "documents/elsewhere.pdf"
    with pytest.raises(ValidationError):
        document.save()
    with pytest.raises(ValidationError):
        document.delete()


def test_a_correction_is_a_new_version_that_keeps_the_old_file_and_hash(demo, as_user):
    case, document = reach(demo, "non_filing_notice")
    police = demo["police_investigator"]
    client = as_user(police)
    old_pdf = fetch_pdf(client, document)
    document.refresh_from_db()
    old_name, old_hash, old_code = document.file.name, document.sha256, document.verification_code

    corrected = letters.issue_correction(document=document, actor=police,
                                         changes={"payload": {"reason": "经审查，现有证据不足以证明其有履行能力"}},
                                         reason="理由表述有误")

    assert corrected.number == document.number and corrected.sequence == document.sequence
    assert corrected.version == 2 and corrected.supersedes == document
    assert corrected.verification_code != old_code
    new_pdf = fetch_pdf(client, corrected)
    new_text = pdf_text(new_pdf)
    assert "现有证据不足以证明其有履行能力" in new_text and "第2版" in new_text and document.number in new_text
    corrected.refresh_from_db()
    assert corrected.sha256 == hashlib.sha256(new_pdf).hexdigest() != old_hash
    assert corrected.file.name != old_name

    document.refresh_from_db()
    assert (document.file.name, document.sha256) == (old_name, old_hash)
    assert fetch_pdf(client, document) == old_pdf
    event = CaseEvent.objects.get(case=case, transition="correct_document")
    assert corrected.event == event and event.payload["version"] == 2

    # Only the latest version is corrected, and only by the issuing agency.
    with pytest.raises(ValidationError):
        letters.issue_correction(document=document, actor=police, changes={"payload": {"reason": "又改"}})
    with pytest.raises(PermissionDenied):
        letters.issue_correction(document=corrected, actor=demo["enforcement_judge"],
                                 changes={"payload": {"reason": "又改"}})
    with pytest.raises(ValidationError):
        letters.issue_correction(document=corrected, actor=police, changes={"number": "兴公不立〔2026〕99号"})
    with pytest.raises(ValidationError):
        letters.issue_correction(document=corrected, actor=police, changes={"case": "not a case"})
    assert Document.objects.filter(case=case, kind="non_filing_notice").count() == 2
