"""What a letter cites comes with its `law`, computed in procedure/ (procedure.letters), never chosen by its template:
the paragraph of Art. 12 a notice of the right to a private prosecution is given under, Art. 8 ¶2 in a decision to
file taken on the procuratorate's notice, and the short name 《意见》 once a letter's opening has named the
Opinions in full. Each variant is issued by the real transitions and read back from its PDF, in both languages;
amounts are written ¥1,250,000.00 on paper as on the pages."""

import pytest

from documents.models import Document
from documents.render import render_document_pdf
from tests.casebuilder import case_in_state, fire
from tests.documents.helpers import pdf_text
from workflow.cases import letters
from workflow.models import Case

FULL_TITLE = "《最高人民法院最高人民检察院公安部关于办理拒不执行判决、裁定刑事案件若干问题的意见》（以下简称《意见》）"
EN_FULL_TITLE = "theOpinionsoftheSupremePeople'sCourt"


def read(document, language="zh-hans") -> str:
    return pdf_text(render_document_pdf(document.kind, document.context, language=language))


def letter(case, kind) -> Document:
    return Document.objects.filter(case=case, kind=kind).latest("id")


@pytest.mark.parametrize(("origin", "paragraph", "zh_cited", "en_cited"), [
    ("court", "Opinions Art. 12 ¶1", FULL_TITLE + "第十二条第一款的规定", "UnderArticle12,paragraph1of" + EN_FULL_TITLE),
    ("procuratorate", "Opinions Art. 12 ¶2", "依照《意见》第十二条第二款的规定", "UnderArticle12,paragraph2oftheOpinions,"),
])
def test_the_private_prosecution_notice_cites_the_paragraph_of_its_issuer(demo, origin, paragraph, zh_cited,
                                                                          en_cited):
    case = case_in_state(demo, "private_prosecution_advised", origin=origin)
    document = letter(case, "private_prosecution_notice")
    assert document.context["law"]["private_advice"] == paragraph
    zh, en = read(document), read(document, "en")
    assert zh_cited in zh
    assert en_cited in en
    other = "第十二条第二款" if origin == "court" else "第十二条第一款"
    assert other not in zh
    # The full title of the Opinions is written once, at its first mention.
    assert zh.count("以下简称《意见》") == 1
    assert en.count(EN_FULL_TITLE) == 1


@pytest.mark.parametrize("origin", ["court", "procuratorate"])
def test_a_filing_decision_on_the_procuratorates_notice_also_cites_article_8_2(demo, origin):
    case = case_in_state(demo, "filing_ordered", origin=origin)
    fire(case, "file_case", demo["police_head"])
    document = letter(case, "filing_decision")
    basis = "第五条第二款" if origin == "court" else "第八条第三款"
    en_basis = "Article5,paragraph2" if origin == "court" else "Article8,paragraph3"
    assert read(document).count("第八条第二款") == 1
    assert f"{basis}、第八条第二款的规定，本局决定对该案立案侦查" in read(document)
    assert f"{en_basis}andArticle8,paragraph2of" in read(document, "en")


def test_a_filing_decision_after_the_ordinary_review_cites_article_5_2_alone(demo):
    case = case_in_state(demo, "investigating")
    document = letter(case, "filing_decision")
    zh, en = read(document), read(document, "en")
    assert "第五条第二款的规定，本局决定对该案立案侦查" in zh
    assert "第八条第二款" not in zh
    assert "Article8,paragraph2" not in en


@pytest.mark.parametrize(("origin", "zh_cited", "en_cited", "named"), [
    ("court", "第一百一十三条和" + FULL_TITLE + "第八条第一款", "Article8,paragraph1of" + EN_FULL_TITLE, False),
    ("procuratorate", "第一百一十三条和《意见》第八条第一款", "Article8,paragraph1oftheOpinions,", True),
])
def test_the_explanation_request_names_the_opinions_in_full_once(demo, origin, zh_cited, en_cited, named):
    case = case_in_state(demo, "explanation_requested", origin=origin)
    document = letter(case, "explanation_request")
    assert document.context["law"]["opinions_named"] is named
    zh, en = read(document), read(document, "en")
    assert zh_cited in zh
    assert en_cited in en
    assert zh.count("以下简称《意见》") == 1
    assert en.count(EN_FULL_TITLE) == 1


def test_correcting_a_filing_decision_keeps_article_8_2(demo, eager_celery):
    """A letter stored before its law carried the article is stated afresh when it is corrected."""
    case = case_in_state(demo, "filing_ordered")
    fire(case, "file_case", demo["police_head"])
    document = letter(case, "filing_decision")
    context = dict(document.context)
    context["law"] = {**context["law"], "filing": "Opinions Art. 5 ¶2"}
    context["law"].pop("private_advice")
    Document.objects.filter(pk=document.pk).update(context=context)
    document.refresh_from_db()
    corrected = letters.issue_correction(document=document, actor=demo["police_investigator"],
                                         changes={"payload": {"note": "更正备注"}}, reason="补充备注")
    assert corrected.context["law"]["filing"] == "Opinions Art. 5 ¶2, 8 ¶2"
    assert "第五条第二款、第八条第二款" in read(corrected)


def test_letters_write_amounts_as_the_pages_do(demo, client):
    case = case_in_state(demo, "transferred")
    Case.objects.filter(pk=case.pk).update(amount_owed="128000.50")
    case.refresh_from_db()
    client.force_login(demo["enforcement_judge"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "¥128,000.50" in page and "¥128000.50" not in page
    document = letters.issue_letter(case=case, kind="transfer_letter", actor=demo["enforcement_judge"])
    assert "被执行人尚未履行的金额为¥128,000.50" in read(document)
    assert "theamountthedebtorstillowesis¥128,000.50" in read(document, "en")
    with_english = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "¥128,000.50" in with_english
