"""The electronic dossier a user downloads from `GET /api/cases/{id}/dossier/` (and the case page's button): a
cover, a catalogue, the materials in Art. 4 / Art. 13 order, then the letters; one bookmark per catalogue entry at
the page the catalogue gives; every page stamped with the case number and "第 n 页 / 共 N 页"; each reader sees
what the case shows them; broken files are named, never fatal; the result is cached by its contents and built by a
job after the materials change."""

import pytest
from django.test import Client

from documents.dossier import dossier_is_cached
from documents.models import Document
from procedure.states import EvidenceCategory
from tests.casebuilder import case_in_state, new_case
from tests.dossier.helpers import (
    encrypted_pdf,
    huge_image,
    office_file,
    photo,
    read_dossier,
    stamp_of,
    text_pdf,
    upload,
)
from workflow.cases import services
from workflow.cases.dossier import dossier_readers, dossier_spec
from workflow.cases.selectors import evidence_list
from workflow.models import Evidence

AGENCY_READERS = ("enforcement_judge", "filing_clerk", "trial_judge", "police_clerk", "police_investigator", "police_head",
                  "procurator", "procurator_general")


def add(case, user, category, title, name, content):
    return services.evidence_add(case_id=case.pk, actor=user, category=category, title=title,
                                 file=upload(name, content))


def dossier_of(as_user, user, case):
    return read_dossier(as_user(user).get(f"/api/cases/{case.pk}/dossier/"))


def assert_consistent(dossier, expected_titles):
    """One bookmark per entry, in order, each at a later page; every page stamped n of N."""
    assert [title.split(". ", 1)[1] for title, _page in dossier.bookmarks] == expected_titles
    assert [title.split(". ", 1)[0] for title, _page in dossier.bookmarks] == [
        str(n) for n in range(1, len(expected_titles) + 1)]
    starts = [page for _title, page in dossier.bookmarks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts) and starts[0] >= 2
    assert [stamp_of(text) for text in dossier.pages] == [(n, dossier.total) for n in range(1, dossier.total + 1)]


@pytest.fixture
def filed_case(demo):
    """A transferred case with real materials: a three-page PDF, a photo, a Word file, a page turned sideways,
    beside the builder's own."""
    case = case_in_state(demo, "filing_review")
    judge = demo["enforcement_judge"]
    add(case, judge, "refusal", "拒不履行的询问笔录", "record.pdf", text_pdf("REFUSAL-RECORD", pages=3))
    add(case, judge, "identity", "身份证照片", "id.png", photo())
    add(case, judge, "ability", "银行流水", "bank.doc", office_file())
    add(case, judge, "circumstances", "横向扫描的查封清单", "list.pdf", text_pdf("SEIZURE-LIST", rotate=90))
    return case


def test_bookmarks_pages_and_catalogue_agree_for_every_agency_reader(filed_case, demo, as_user):
    judge = demo["enforcement_judge"]
    order = list(EvidenceCategory.values)
    materials = sorted(Evidence.objects.filter(case=filed_case),
                       key=lambda m: (order.index(m.category), m.added_at, m.pk))
    for username in AGENCY_READERS:
        reader = demo[username]
        letters = [f"{d.get_kind_display()} {d}" for d in Document.objects.filter(case=filed_case)
                   .order_by("issued_at", "id")]
        dossier = dossier_of(as_user, reader, filed_case)

        assert_consistent(dossier, [m.title for m in materials] + letters)
        catalogue = "".join(dossier.pages[:dossier.bookmarks[0][1]])
        for material in materials:
            assert material.sha256 in catalogue
        # The three-page record sits at its bookmark, over the pages the catalogue gives.
        title_index = [m.title for m in materials].index("拒不履行的询问笔录")
        start = dossier.bookmarks[title_index][1]
        assert [("REFUSAL-RECORD" in dossier.pages[start + i]) for i in range(3)] == [True] * 3
        assert f"{start + 1}–{start + 3}" in catalogue
        # Art. 4 order: identity materials first, then obligation, ability, refusal, circumstances.
        assert dossier.bookmarks[0][0].endswith(("identity 材料", "身份证照片"))
    assert judge.agency.name in dossier_of(as_user, judge, filed_case).pages[0]


def test_the_creditor_gets_their_own_materials_and_the_letters_addressed_to_them(demo, as_user):
    case = case_in_state(demo, "private_prosecution_advised")
    creditor = demo["creditor"]
    add(case, creditor, "complaint", "刑事自诉状", "complaint.pdf", text_pdf("COMPLAINT", pages=2))

    dossier = dossier_of(as_user, creditor, case)

    own = [m.title for m in evidence_list(case=case, user=creditor)]
    letters = [f"{d.get_kind_display()} {d}" for d in Document.objects.filter(case=case, addressed_to_creditor=True)]
    assert own == ["刑事自诉状"] and letters
    assert_consistent(dossier, own + letters)
    assert not any("identity 材料" in title for title, _page in dossier.bookmarks)
    cover = dossier.pages[0]
    assert "450102198001011237" not in cover  # the debtor's identity number is not the creditor's to read
    # The judge's dossier of the same case holds everything: the court's materials too.
    judge_view = dossier_of(as_user, demo["enforcement_judge"], case)
    assert len(judge_view.bookmarks) > len(dossier.bookmarks)


def test_broken_materials_are_named_and_the_dossier_still_builds(filed_case, demo, as_user):
    judge = demo["enforcement_judge"]
    add(filed_case, judge, "circumstances", "加密的审计报告", "audit.pdf", encrypted_pdf())
    add(filed_case, judge, "circumstances", "损坏的扫描件", "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    add(filed_case, judge, "circumstances", "超大照片", "huge.png", huge_image())

    dossier = dossier_of(as_user, judge, filed_case)

    titles = [title.split(". ", 1)[1] for title, _page in dossier.bookmarks]
    catalogue = "".join(dossier.pages[:dossier.bookmarks[0][1]])
    for title, reason in (("加密的审计报告", "加密"), ("损坏的扫描件", "损坏"), ("超大照片", "9000×9000")):
        page = dossier.pages[dossier.bookmarks[titles.index(title)][1]]
        assert title in page and "未能收入" in page and reason in page
        assert title in catalogue
    assert "未能收入" in dossier.pages[0]  # the cover says materials are missing
    assert_consistent(dossier, titles)


def test_an_image_and_an_office_file_each_take_one_page(filed_case, demo, as_user):
    dossier = dossier_of(as_user, demo["enforcement_judge"], filed_case)
    titles = [title.split(". ", 1)[1] for title, _page in dossier.bookmarks]
    starts = [page for _title, page in dossier.bookmarks] + [dossier.total]
    for title in ("身份证照片", "银行流水"):
        i = titles.index(title)
        assert starts[i + 1] - starts[i] == 1
    word = dossier.pages[starts[titles.index("银行流水")]]
    assert "bank.doc" in word and Evidence.objects.get(title="银行流水").sha256 in word


def test_the_dossier_is_cached_by_its_contents(filed_case, demo, as_user):
    client = as_user(demo["enforcement_judge"])
    first = client.get(f"/api/cases/{filed_case.pk}/dossier/")
    again = client.get(f"/api/cases/{filed_case.pk}/dossier/")
    assert first["ETag"] == again["ETag"] and first.content == again.content

    add(filed_case, demo["enforcement_judge"], "other", "补充材料", "more.pdf", text_pdf("MORE"))
    changed = client.get(f"/api/cases/{filed_case.pk}/dossier/")
    assert changed["ETag"] != first["ETag"]
    assert "补充材料" in [t.split(". ", 1)[1] for t, _p in read_dossier(changed).bookmarks]


def test_a_job_builds_every_readers_dossier_after_a_material_is_added(filed_case, demo, settings, eager_celery,
                                                                      django_capture_on_commit_callbacks):
    settings.CASE_CONTENT_JOBS = True
    settings.DOSSIER_PREBUILD = True
    with django_capture_on_commit_callbacks(execute=True):
        add(filed_case, demo["enforcement_judge"], "other", "新证据", "new.pdf", text_pdf("NEW"))

    readers = dossier_readers(filed_case)
    assert {r.agency_id for r in readers if r.agency_id} == {filed_case.executing_court_id,
                                                             filed_case.police_agency_id, filed_case.procuratorate_id}
    for reader in readers:
        assert dossier_is_cached(dossier_spec(case=filed_case, user=reader, language=reader.language or "zh-hans"))


def test_other_regions_and_strangers_get_no_dossier(filed_case, demo, as_user):
    assert as_user(demo["enforcement_judge_2"]).get(f"/api/cases/{filed_case.pk}/dossier/").status_code == 404
    # The discipline commission of the same region holds no position in the case.
    assert as_user(demo["discipline_officer"]).get(f"/api/cases/{filed_case.pk}/dossier/").status_code == 404
    assert as_user(demo["police_clerk_2"]).get("/api/cases/999999/dossier/").status_code == 404
    assert Client().get(f"/api/cases/{filed_case.pk}/dossier/").status_code in (401, 403)


def test_the_case_page_offers_the_dossier(filed_case, demo):
    client = Client()
    client.force_login(demo["police_clerk"])
    page = client.get(f"/cases/{filed_case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/api/cases/{filed_case.pk}/dossier/"' in page and 'data-testid="dossier"' in page


def test_a_creditors_own_private_prosecution_reads_in_the_order_of_art_13(demo, as_user):
    creditor = demo["creditor"]
    case = new_case(demo, origin="creditor")
    add(case, creditor, "execution_basis", "执行依据", "basis.pdf", text_pdf("BASIS"))
    add(case, creditor, "accuser_identity", "自诉人身份证明", "id.pdf", text_pdf("ID"))
    add(case, creditor, "complaint", "刑事自诉状", "complaint.pdf", text_pdf("COMPLAINT"))

    titles = [t.split(". ", 1)[1] for t, _p in dossier_of(as_user, creditor, case).bookmarks]

    assert titles[:3] == ["刑事自诉状", "自诉人身份证明", "执行依据"]
