"""Limits on what a request may send: bodies over the limit are refused before they are read (413, JSON under
/api/), a request Django cannot read is a JSON 400 under /api/, and a PDF with active content is refused."""

import io
import json
import socket
import time

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.casebuilder import new_case
from workflow.models import Evidence


def test_a_json_body_over_the_limit_is_413_json_even_anonymously(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    body = json.dumps({"username": "x" * (70 * 1024), "password": "y"})
    response = client.post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "MB" in response.json()["detail"] and response.json()["limit_bytes"] == 64 * 1024


def test_a_case_over_the_limit_is_413_and_nothing_is_created(demo, as_user, settings):
    from workflow.models import Case

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    before = Case.objects.count()
    response = as_user(demo["enforcement_judge"]).post(
        "/api/cases/", {"debtor_name": "甲" * 40000, "applicant_name": "乙"}, format="json")
    assert response.status_code == 413 and "detail" in response.json()
    assert Case.objects.count() == before


def test_a_page_form_over_the_limit_is_the_sites_own_413_page(client, settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/accounts/login/", {"username": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b'data-testid="too-large"' in response.content


def test_an_unreadable_request_under_the_api_is_json_400(demo, as_user, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    case = new_case(demo)
    fields = {f"f{i}": "x" for i in range(20)}
    fields.update(category="identity", title="x", file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", fields,
                                                       format="multipart")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert not Evidence.objects.filter(case=case).exists()


def read_response(sock) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_an_upload_over_the_limit_is_refused_before_it_is_sent_whole(live_server, settings):
    """A real server: the client declares 200 MB, sends 64 KB, and has its 413 at once, without sending the rest."""
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    host, port = live_server.thread.host, live_server.thread.port
    declared = 200 * 1024 * 1024
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall((f"POST /api/cases/1/evidence/ HTTP/1.1\r\nHost: {host}\r\n"
                      f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {declared}\r\n\r\n").encode())
        started = time.monotonic()
        sock.sendall(b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n"
                     + b"0" * (64 * 1024))
        head = read_response(sock)
        elapsed = time.monotonic() - started
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert b"application/json" in head
    assert elapsed < 5


def test_a_file_over_the_limit_in_an_accepted_body_is_400_naming_the_file(demo, as_user, settings):
    settings.EVIDENCE_MAX_BYTES = 4096
    case = new_case(demo)
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "big", "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 8192)},
        format="multipart")
    assert response.status_code == 400 and "4096" not in str(response.json())
    assert "file" in response.json()
    assert not Evidence.objects.filter(case=case).exists()


# PDFs with active content ---------------------------------------------------------------------------------


def pdf_bytes(build=None, **save) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    if build is not None:
        build(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def javascript_on_opening(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))


def javascript_by_name(pdf):
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["a", action])))


def launch_on_page_open(pdf):
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="cmd.exe"))


def embedded_file(pdf):
    attachment = pikepdf.AttachedFileSpec(pdf, b"MZ payload", filename="run.exe")
    pdf.attachments["run.exe"] = attachment


def go_to_first_page(pdf):
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])


def post_pdf(demo, as_user, case, data: bytes):
    return as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "scan", "file": SimpleUploadedFile("scan.pdf", data)}, format="multipart")


@pytest.mark.parametrize(("build", "save", "named"), [
    (javascript_on_opening, {}, "OpenAction"),
    (javascript_on_opening, {"object_stream_mode": pikepdf.ObjectStreamMode.generate}, "OpenAction"),
    (javascript_by_name, {}, "JavaScript"),
    (launch_on_page_open, {}, "AA"),
    (embedded_file, {}, "EmbeddedFile"),
], ids=["openaction-js", "openaction-js-in-object-stream", "names-javascript", "page-open-launch", "attachment"])
def test_a_pdf_with_active_content_is_refused_and_says_what_it_found(demo, as_user, build, save, named):
    case = new_case(demo)
    response = post_pdf(demo, as_user, case, pdf_bytes(build, **save))
    assert response.status_code == 400
    message = " ".join(response.json()["file"])
    assert named in message and "PDF/A" in message
    assert not Evidence.objects.filter(case=case).exists()


def test_a_damaged_pdf_hiding_javascript_behind_escapes_is_refused(demo, as_user):
    case = new_case(demo)
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"
    response = post_pdf(demo, as_user, case, data)
    assert response.status_code == 400 and "JavaScript" in " ".join(response.json()["file"])


def test_a_plain_pdf_opening_at_its_first_page_is_accepted_unchanged(demo, as_user):
    import hashlib

    case = new_case(demo)
    data = pdf_bytes(go_to_first_page)
    response = post_pdf(demo, as_user, case, data)
    assert response.status_code == 201, response.content
    assert Evidence.objects.get(case=case).sha256 == hashlib.sha256(data).hexdigest()


def test_the_evidence_page_refuses_a_pdf_with_javascript(demo, client):
    case = new_case(demo)
    client.force_login(demo["enforcement_judge"])
    response = client.post(f"/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "scan",
        "file": SimpleUploadedFile("scan.pdf", pdf_bytes(javascript_on_opening))})
    assert "OpenAction" in response.content.decode()
    assert not Evidence.objects.filter(case=case).exists()
