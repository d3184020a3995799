"""Issued letters carry a PAdES signature of their issuing agency: pyHanko's own validator accepts the PDF a user
downloads against the local certificate authority, refuses a tampered copy and a foreign authority, and the
public verification page says who signed and when."""

import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from agencies.models import Agency
from documents.models import Document
from documents.services import render_and_store
from documents.signing import DocumentSigner, Pkcs12Signer, SigningUnavailable
from tests.documents.helpers import reach, response_bytes


def download(as_user, user, document):
    response = as_user(user).get(f"/api/documents/{document.pk}/pdf/")
    assert response.status_code == 200
    return response_bytes(response)


def validate(pdf: bytes, ca_pem):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_pem))], allow_fetching=False)
    return validate_pdf_signature(signature, context)


def tampered(pdf: bytes) -> bytes:
    """The same file with one byte of the signed content changed (the page's content stream)."""
    at = pdf.index(b"stream", len(pdf) // 4) + 20
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def test_an_issued_letter_is_signed_by_its_agency_and_validates_offline(signing_keys, demo, as_user):
    _case, document = reach(demo, "transfer_letter")
    pdf = download(as_user, demo["enforcement_judge"], document)

    status = validate(pdf, signing_keys / "ca.pem")

    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["organization_name"] == demo["enforcement_judge"].agency.name
    assert hashlib.sha256(pdf).hexdigest() == Document.objects.get(pk=document.pk).sha256


def test_each_agency_signs_its_own_letters(signing_keys, demo, as_user):
    _case, registration = reach(demo, "registration_form")
    pdf = download(as_user, demo["police_clerk"], registration)
    status = validate(pdf, signing_keys / "ca.pem")
    assert status.bottom_line
    assert status.signing_cert.subject.native["organization_name"] == demo["police_clerk"].agency.name


def test_a_tampered_copy_is_refused(signing_keys, demo, as_user):
    _case, document = reach(demo, "transfer_letter")
    pdf = download(as_user, demo["enforcement_judge"], document)

    status = validate(tampered(pdf), signing_keys / "ca.pem")

    assert not status.intact and not status.bottom_line


def test_a_signature_from_another_authority_is_not_trusted(signing_keys, demo, as_user, tmp_path_factory):
    _case, document = reach(demo, "transfer_letter")
    pdf = download(as_user, demo["enforcement_judge"], document)
    other = tmp_path_factory.mktemp("other-ca")
    call_command("make_signing_keys", dir=str(other))

    status = validate(pdf, other / "ca.pem")

    assert status.intact and not status.trusted and not status.bottom_line


def test_the_verify_page_says_who_signed_and_when(signing_keys, demo):
    _case, document = reach(demo, "transfer_letter")
    render_and_store(document=document)

    page = Client().get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-testid="verify-signature"' in page
    assert f"valid digital signature of {demo['enforcement_judge'].agency.name}" in page
    assert document.issued_at.astimezone().strftime("%Y-%m-%d") in page


def test_the_verify_page_refuses_a_stored_file_changed_after_signing(signing_keys, demo):
    _case, document = reach(demo, "transfer_letter")
    document = render_and_store(document=document)
    with default_storage.open(document.file.name, "rb") as handle:
        original = handle.read()
    with open(default_storage.path(document.file.name), "wb") as handle:
        handle.write(tampered(original))

    page = Client().get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "does not hold" in page and "valid digital signature" not in page


def test_without_a_key_the_letter_is_stored_unsigned_and_the_page_says_so(demo):
    _case, document = reach(demo, "transfer_letter")
    render_and_store(document=document)

    page = Client().get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "carries no digital signature" in page


def test_where_signing_is_required_a_letter_without_a_key_is_not_stored(demo, settings):
    settings.DOCUMENT_SIGNING_REQUIRED = True
    _case, document = reach(demo, "transfer_letter")
    with pytest.raises(SigningUnavailable):
        render_and_store(document=document)
    assert not Document.objects.get(pk=document.pk).is_rendered


def test_the_command_keeps_its_authority_and_keys_and_adds_new_agencies(signing_keys, demo):
    ca_before = (signing_keys / "ca.pem").read_bytes()
    keys_before = json.loads((signing_keys / "keys.json").read_text())["agencies"]
    newcomer = Agency.objects.create(kind="court", name="南宁市邕宁区人民法院", abbreviation="邕法",
                                     region_code="450109", region_name="南宁市邕宁区")

    call_command("make_signing_keys", dir=str(signing_keys))

    keys_after = json.loads((signing_keys / "keys.json").read_text())["agencies"]
    assert (signing_keys / "ca.pem").read_bytes() == ca_before
    assert {k: v for k, v in keys_after.items() if k in keys_before} == keys_before
    assert keys_after[str(newcomer.pk)]["name"] == newcomer.name


class RemoteSignerStandIn(DocumentSigner):
    """What a national-algorithm (SM2) signing server's client implements: here it signs with the agency's local
    PKCS#12 key, and records what it was asked to sign."""

    requests: list = []

    def __init__(self):
        self.local = Pkcs12Signer()

    def can_sign(self, agency) -> bool:
        return self.local.can_sign(agency)

    def sign(self, pdf: bytes, *, agency, reason: str, location: str) -> bytes:
        RemoteSignerStandIn.requests.append((agency.pk, reason, location))
        return self.local.sign(pdf, agency=agency, reason=reason, location=location)


def test_the_signer_is_chosen_by_setting(signing_keys, demo, settings, as_user):
    settings.DOCUMENT_SIGNER = f"{__name__}.RemoteSignerStandIn"
    RemoteSignerStandIn.requests = []
    _case, document = reach(demo, "transfer_letter")
    pdf = download(as_user, demo["enforcement_judge"], document)

    court = demo["enforcement_judge"].agency
    assert [(pk, location) for pk, _reason, location in RemoteSignerStandIn.requests] == [(court.pk, court.region_name)]
    assert document.number in RemoteSignerStandIn.requests[0][1]
    assert validate(pdf, signing_keys / "ca.pem").bottom_line
