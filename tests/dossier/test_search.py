"""Text of materials and search (`GET /api/search/?q=`): a scan made in the test (Chinese text drawn with the Noto
CJK font) is read by OCR after upload, its file left as it was, and found by search, but never by another
region's users nor by a creditor it was not shared with."""

import hashlib
import io
import subprocess

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image, ImageDraw, ImageFont

from documents.models import MaterialText
from tests.casebuilder import CASE_BODY, case_in_state, new_case
from tests.dossier.helpers import upload
from workflow.cases import services

PHRASE = "被执行人隐匿房产"


def noto_cjk() -> str:
    return subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True,
                          check=True).stdout


def scan(text: str, *, as_pdf: bool = False) -> bytes:
    """A page as a scanner gives it: an image of black Chinese text on white, alone or wrapped in a PDF."""
    image = Image.new("L", (1654, 600), 255)
    ImageDraw.Draw(image).text((80, 200), text, font=ImageFont.truetype(noto_cjk(), 96, index=2), fill=0)
    buffer = io.BytesIO()
    if as_pdf:
        image.save(buffer, "PDF", resolution=200)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def content_jobs(settings, django_capture_on_commit_callbacks, eager_celery):
    """The job after an upload runs, in-process, when the upload commits."""
    settings.CASE_CONTENT_JOBS = True

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def search(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_scan_is_read_by_ocr_and_found_only_by_those_who_may_see_it(demo, as_user, content_jobs):
    case = case_in_state(demo, "filing_review")
    data = scan(f"{PHRASE}至外省")
    material = content_jobs(lambda: services.evidence_add(
        case_id=case.pk, actor=demo["enforcement_judge"], category="ability", title="现场照片",
        file=upload("scan.png", data)))

    layer = MaterialText.objects.get(evidence=material)
    assert layer.status == MaterialText.Status.DONE and layer.ocr_pages == 1
    assert "隐匿房产至外省" in layer.text  # OCR may misread a character; these words are read reliably
    with material.file.open("rb") as stored:  # the original is never altered
        assert hashlib.sha256(stored.read()).hexdigest() == material.sha256 == hashlib.sha256(data).hexdigest()

    detail = as_user(demo["police_clerk"]).get(f"/api/cases/{case.pk}/").json()
    assert {e["title"]: e["text_status"] for e in detail["evidence"]}["现场照片"] == "done"
    page = Client()
    page.force_login(demo["police_clerk"])
    assert "文字已识别" in page.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    for username in ("enforcement_judge", "police_clerk", "procurator"):
        results = search(as_user(demo[username]), "隐匿房产")
        hit = next(r for r in results if r["source"] == "material")
        assert hit["source_id"] == material.pk and hit["case"]["id"] == case.pk
        assert "<mark>" in hit["snippet"]
    for username in ("enforcement_judge_2", "police_clerk_2", "procurator_2", "creditor"):
        assert search(as_user(demo[username]), "隐匿房产") == []


def test_a_scanned_pdf_page_is_read_and_a_broken_file_is_marked_failed(demo, as_user, content_jobs):
    case = case_in_state(demo, "filing_review")
    judge = demo["enforcement_judge"]
    scanned = content_jobs(lambda: services.evidence_add(
        case_id=case.pk, actor=judge, category="refusal", title="询问笔录扫描件",
        file=upload("record.pdf", scan("拒不申报财产", as_pdf=True))))
    broken = content_jobs(lambda: services.evidence_add(
        case_id=case.pk, actor=judge, category="refusal", title="损坏的文件",
        file=upload("broken.pdf", b"%PDF-1.7\nnot really")))

    layer = MaterialText.objects.get(evidence=scanned)
    assert layer.status == MaterialText.Status.DONE and layer.ocr_pages == 1 and "申报财产" in layer.text
    assert MaterialText.objects.get(evidence=broken).status == MaterialText.Status.FAILED
    # The broken material is still found by its title, and the case by its fields.
    assert [r["source_id"] for r in search(as_user(judge), "损坏的文件") if r["source"] == "material"] == [broken.pk]
    assert any(r["source"] == "case" and r["case"]["id"] == case.pk for r in search(as_user(judge), "张伟"))


def test_a_creditor_finds_their_own_material(demo, as_user, content_jobs):
    case = case_in_state(demo, "private_prosecution_advised")
    creditor = demo["creditor"]
    content_jobs(lambda: services.evidence_add(
        case_id=case.pk, actor=creditor, category="complaint", title="刑事自诉状（转移财产）",
        file=upload("complaint.pdf", b"%PDF-1.4\nbroken")))
    assert [r["title"] for r in search(as_user(creditor), "转移财产") if r["source"] == "material"] == [
        "刑事自诉状（转移财产）"]
    assert search(as_user(demo["enforcement_judge_2"]), "转移财产") == []


def test_a_search_without_words_is_a_400_naming_the_field(demo, as_user):
    client = as_user(demo["enforcement_judge"])
    response = client.get("/api/search/")
    assert response.status_code == 400 and "q" in response.json()
    assert client.get("/api/search/", {"q": "！？"}).json()["results"] == []


def test_the_search_box_finds_a_material_with_the_words_marked(demo, content_jobs):
    case = case_in_state(demo, "filing_review")
    content_jobs(lambda: services.evidence_add(
        case_id=case.pk, actor=demo["enforcement_judge"], category="refusal", title="转移存款的询问笔录<b>",
        file=upload("record.pdf", b"%PDF-1.4\nbroken")))
    client = Client()
    client.force_login(demo["police_clerk"])
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="nav-search"' in home

    page = client.get("/search/", {"q": "转移存款"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "<mark>转移</mark><mark>存款</mark>" in page or "<mark>转移存款</mark>" in page
    assert "&lt;b&gt;" in page and "<b>" not in page  # the material's title is text, never markup
    assert f'href="/cases/{case.pk}/#evidence"' in page
    other = Client()
    other.force_login(demo["police_clerk_2"])
    assert "转移存款的询问笔录" not in other.get("/search/", {"q": "转移存款"}).content.decode()


def test_a_new_case_is_found_by_its_parties_before_any_material(demo, as_user, content_jobs):
    case = content_jobs(lambda: new_case(demo, debtor={**CASE_BODY["debtor"], "name": "覃永福"}))
    hits = search(as_user(demo["enforcement_judge"]), "覃永福")
    assert [(h["source"], h["case"]["id"]) for h in hits] == [("case", case.pk)]
    assert search(as_user(demo["enforcement_judge_2"]), "覃永福") == []


def test_cases_that_predate_the_search_are_indexed_by_the_command(demo, as_user):
    case = case_in_state(demo, "transferred")  # no job ran: nothing indexed, no text read
    judge = as_user(demo["enforcement_judge"])
    assert search(judge, "张伟") == []

    call_command("index_cases", stdout=io.StringIO())

    assert any(h["source"] == "case" and h["case"]["id"] == case.pk for h in search(judge, "张伟"))
    assert MaterialText.objects.filter(evidence__case=case, status=MaterialText.Status.FAILED).count() == 5


def test_control_characters_in_a_query_are_no_error(demo, as_user):
    client = as_user(demo["enforcement_judge"])
    assert client.get("/api/search/", {"q": "张\x00伟"}).status_code == 400  # the API refuses NUL, naming q
    page = Client()
    page.force_login(demo["enforcement_judge"])
    assert page.get("/search/", {"q": "张\x00伟"}).status_code == 200
