"""documents.render: every document kind, in both languages, as a PDF a clerk can use.

The PDFs are read back with pypdf: the text must carry the title, number, parties, legal basis and
verification code, user text must come out as text, and only the Noto CJK fonts may be embedded
(a family that is not installed would silently fall back to a Latin font without Chinese glyphs).
"""

import datetime
import io
import logging
import re
from decimal import Decimal

import pypdf
import pytest

from documents import render

KINDS = (
    "transfer_letter",
    "execution_explanation",
    "evidence_list",
    "registration_form",
    "acknowledgment",
    "filing_decision",
    "non_filing_notice",
    "withdrawal_notice",
    "supervision_request",
    "explanation_request",
    "police_explanation",
    "filing_order",
    "private_prosecution_notice",
    "private_acceptance_notice",
    "locate_request_letter",
    "obstruction_referral_letter",
    "settlement_ruling",
    "correction_notice",
)

# kind: (issuer kind, addressee kind, Chinese title, English title, article in Chinese, article in English)
EXPECTED = {
    "transfer_letter": ("court", "police", "移送案件函", "Case Transfer Letter", "第三条、第四条", "Article 3 of"),
    "execution_explanation": (
        "court",
        "police",
        "执行情况说明",
        "Statement on the Enforcement Proceedings",
        "第三条",
        "Article 3",
    ),
    "evidence_list": ("court", "police", "证据材料清单", "List of Evidence Materials", "第四条", "Article 4"),
    "registration_form": (
        "police",
        "court",
        "受案登记表",
        "Case Acceptance Registration Form",
        "第五条第一款",
        "Article 5, paragraph 1",
    ),
    "acknowledgment": (
        "police",
        "court",
        "受案回执",
        "Acknowledgment of Receipt",
        "第五条第一款",
        "Article 5, paragraph 1",
    ),
    "filing_decision": (
        "police",
        "court",
        "立案决定书",
        "Decision to Open a Criminal Case",
        "第五条第二款",
        "Article 5, paragraph 2",
    ),
    "non_filing_notice": (
        "police",
        "court",
        "不予立案通知书",
        "Notice of Decision Not to Open a Case",
        "第五条第二款",
        "Article 5, paragraph 2",
    ),
    "withdrawal_notice": (
        "police",
        "court",
        "撤销案件通知书",
        "Notice of Withdrawal of the Case",
        "第七条",
        "Article 7",
    ),
    "supervision_request": (
        "court",
        "procuratorate",
        "提请立案监督函",
        "Request for Supervision of Case Filing",
        "第七条",
        "Article 7",
    ),
    "explanation_request": (
        "procuratorate",
        "police",
        "要求说明不立案理由通知书",
        "Notice Requiring Reasons for Not Opening a Case",
        "第八条第一款",
        "Article 8, paragraph 1",
    ),
    "police_explanation": (
        "police",
        "procuratorate",
        "不立案理由说明书",
        "Statement of Reasons for Not Opening a Case",
        "第八条第一款",
        "Article 8, paragraph 1",
    ),
    "filing_order": (
        "procuratorate",
        "police",
        "通知立案书",
        "Notice to Open a Case",
        "第八条第二款",
        "Article 8, paragraph 2",
    ),
    "private_prosecution_notice": (
        "court",
        "creditor",
        "刑事自诉权利告知书",
        "Notice of the Right to Bring a Private Prosecution",
        "第十二条",
        "Article 12",
    ),
    "private_acceptance_notice": (
        "court",
        "creditor",
        "刑事自诉案件受理通知书",
        "Notice of Acceptance of a Private Prosecution",
        "第十四条",
        "Article 14",
    ),
    "locate_request_letter": (
        "court",
        "police",
        "协助查找被告人下落函",
        "Letter Requesting Assistance in Locating a Defendant",
        "第十六条",
        "Article 16",
    ),
    "obstruction_referral_letter": (
        "court",
        "discipline",
        "妨害执行线索移送函",
        "Letter Referring Leads on Obstruction of Enforcement",
        "第十八条",
        "Article 18",
    ),
    "settlement_ruling": ("court", "creditor", "刑事裁定书", "Criminal Ruling", "第十七条", "Article 17"),
    "correction_notice": ("procuratorate", "police", "纠正违法通知书", "Notice to Correct a Violation", "第八条",
                          "Article 8"),
}

AGENCIES = {
    "court": {"name": "南宁市兴宁区人民法院", "kind": "court", "region_name": "南宁市兴宁区", "region_code": "450102"},
    "police": {
        "name": "南宁市公安局兴宁分局",
        "kind": "police",
        "region_name": "南宁市兴宁区",
        "region_code": "450102",
    },
    "procuratorate": {
        "name": "南宁市兴宁区人民检察院",
        "kind": "procuratorate",
        "region_name": "南宁市兴宁区",
        "region_code": "450102",
    },
    "discipline": {
        "name": "南宁市兴宁区纪律检查委员会",
        "kind": "discipline",
        "region_name": "南宁市兴宁区",
        "region_code": "450102",
    },
    "creditor": {"name": "张三", "kind": "creditor"},
}
NUMBERS = {"court": "兴法移〔2026〕3号", "police": "兴公（刑）受字〔2026〕17号", "procuratorate": "兴检立监〔2026〕2号"}
CODE = "K7Q2-M9XD-4RTB"
URL = "https://example.org/verify/K7Q2M9XD4RTB/"
HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
CATEGORIES = ("identity", "obligation", "ability", "refusal", "circumstances", "coercive_record")


# What workflow.cases.letters hands a court-origin letter about its law (procedure.md §5).
LAW = {
    "transfer": "Opinions Art. 3",
    "acceptance": "Opinions Art. 5 ¶1",
    "filing": "Opinions Art. 5 ¶2",
    "decision_notice": "Opinions Art. 7",
    "private_advice": "Opinions Art. 12 ¶1",
    "opinions_named": False,
    "periods": {
        "filing_review": {"days": 7, "months": None, "basis": "Opinions Art. 5 ¶2", "extended_days": 30},
        "written_response": {"days": 30, "months": None, "basis": "Opinions Art. 12 ¶1"},
        "police_explanation": {"days": 7, "months": None, "basis": "Opinions Art. 8 ¶1"},
        "filing_after_order": {"days": 15, "months": None, "basis": "Opinions Art. 8 ¶2"},
        "trial": {"days": None, "months": 6, "basis": "CPL Art. 212 ¶2"},
    },
}


def make_context(kind, *, summary=None, **overrides):
    issuer_kind, addressee_kind = EXPECTED[kind][:2]
    court, police, procuratorate = AGENCIES["court"], AGENCIES["police"], AGENCIES["procuratorate"]
    context = {
        "kind": kind,
        "number": NUMBERS[issuer_kind],
        "version": 1,
        "issued_at": datetime.date(2026, 11, 23),
        "issuer": AGENCIES[issuer_kind],
        "addressee": AGENCIES[addressee_kind],
        "case": {
            "number": "JZ-2026-000012",
            "origin": "court",
            "enforcement_case_number": "（2025）桂0102执1234号",
            "basis_document": "（2024）桂0102民初567号民事判决书",
            "amount_owed": Decimal("1250000.00"),
            "amount_recovered": Decimal("0"),
            "summary": summary or "被执行人收到执行通知后，将名下房产低价转让给亲属，拒不申报财产。",
            "jurisdiction_reason": "",
            "applicant": {
                "name": "张三",
                "kind": "person",
                "id_number": "450102198001011237",
                "address": "南宁市兴宁区民主路1号",
                "phone": "13800000000",
            },
            "debtor": {
                "name": "南宁市某某建材有限公司",
                "kind": "entity",
                "id_number": "91450102MA5K000008",
                "address": "南宁市兴宁区朝阳路88号",
            },
            "executing_court": court,
            "police_agency": police,
            "procuratorate": procuratorate,
            "trial_court": court,
        },
        "payload": {
            "reason": "现有证据不足以证明被执行人具有履行能力。",
            "note": "",
            "explanation": "房产转让发生于判决生效之前。",
        },
        "deadline": {
            "kind": "written_response",
            "due_date": datetime.date(2026, 12, 23),
            "legal_basis": "Art. 12 ¶1",
            "explanation": "",
        },
        "evidence": [
            {
                "category": category,
                "title": f"材料{i + 1}",
                "sha256": HASH,
                "added_at": datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC),
            }
            for i, category in enumerate(CATEGORIES)
        ],
        "record": {
            "defendant": "南宁市某某建材有限公司",
            "last_known_address": "南宁市青秀区某路9号",
            "official_name": "王五",
            "official_position": "某镇副镇长",
            "conduct": "向被执行人通风报信。",
        },
        "law": LAW,
        "verification_code": CODE,
        "verify_url": URL,
    }
    context.update(overrides)
    return context


def squeeze(text):
    """Text without any whitespace: PDF extraction breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


def pdf_pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


_cache: dict = {}


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


_warnings: dict = {}


def rendered(kind, language):
    """Each standard document is rendered once for the whole module (a PDF takes ~0.15 s)."""
    key = (kind, language)
    if key not in _cache:
        collect = _Collect()
        logging.getLogger("weasyprint").addHandler(collect)
        try:
            pdf = render.render_document_pdf(kind, make_context(kind), language=language)
        finally:
            logging.getLogger("weasyprint").removeHandler(collect)
        _cache[key] = (pdf, pdf_pages(pdf))
        _warnings[key] = collect.messages
    return _cache[key]


def embedded_fonts(pdf: bytes) -> list[tuple[str, str, bool]]:
    """(base font name, subtype, embedded?) for every font used on any page, descendants included."""
    fonts = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for leaf in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                descriptor = leaf.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                has_file = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.append((str(leaf["/BaseFont"]), str(leaf["/Subtype"]), has_file))
    return fonts


def test_document_kinds_are_those_of_the_procedure():
    assert render.DOCUMENT_KINDS == KINDS


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_document_carries_title_number_parties_basis_and_verification(kind, language):
    pdf, pages = rendered(kind, language)
    text = squeeze("".join(pages))
    _, _, title_zh, title_en, article_zh, article_en = EXPECTED[kind]
    context = make_context(kind)

    assert squeeze(title_zh if language == "zh-hans" else title_en) in text
    assert squeeze(context["number"]) in text
    assert "南宁市某某建材有限公司" in text  # debtor
    assert "张三" in text  # applicant
    assert squeeze(article_zh if language == "zh-hans" else article_en) in text
    assert context["issuer"]["name"] in text
    # The footer with the verification code and URL is on every page.
    for page in pages:
        assert CODE in squeeze(page)
        assert URL in squeeze(page)
    # Page x of y from CSS counters.
    total = len(pages)
    last = squeeze(pages[-1])
    assert (f"第{total}页共{total}页" if language == "zh-hans" else f"Page{total}of{total}") in last


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_only_noto_cjk_fonts_are_embedded(kind, language):
    pdf, _ = rendered(kind, language)
    fonts = embedded_fonts(pdf)
    assert fonts
    for name, subtype, has_file in fonts:
        # A subset prefix (ABCDEF+) then a Noto CJK family: never a Latin fallback, never Type 3.
        assert re.fullmatch(r"/[A-Z]{6}\+Noto-(Serif|Sans|Sans-Mono)-CJK-SC.*", name), name
        assert subtype in ("/CIDFontType0", "/CIDFontType2"), (name, subtype)
        assert has_file, f"{name} is not embedded"
    # No character drawn as an empty box (.notdef) for want of a glyph in the chosen font.
    assert not [m for m in _warnings[(kind, language)] if "notdef" in m], _warnings[(kind, language)]


@pytest.mark.parametrize("kind", KINDS)
def test_dates_and_amounts_are_written_as_in_official_documents(kind):
    _, pages = rendered(kind, "zh-hans")
    text = squeeze("".join(pages))
    assert "二〇二六年十一月二十三日" in text
    if kind in (
        "transfer_letter",
        "execution_explanation",
        "registration_form",
        "supervision_request",
        "private_prosecution_notice",
    ):
        assert "¥1,250,000.00" in text


def test_deadline_tells_the_addressee_what_to_do_by_when():
    _, pages = rendered("transfer_letter", "zh-hans")
    text = squeeze("".join(pages))
    assert "依照《意见》第五条第二款，自收到本函之日起七日内作出是否立案的决定" in text
    assert "请你局自收到本函之日起三十日内（即于二〇二六年十二月二十三日前）将是否立案书面答复本院" in text
    _, pages = rendered("transfer_letter", "en")
    text = squeeze("".join(pages))
    assert squeeze("please decide whether to open a case within seven days from the day of receipt") in text
    assert squeeze("within thirty days from the day of receipt of this letter (that is, by 23 December 2026)") in text


def test_qr_code_of_the_verification_url_is_in_the_first_page_footer():
    svg = render.qr_svg(URL)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    html = render.render_document_html("acknowledgment", make_context("acknowledgment"))
    first_footer = html[html.index('<div class="doc-footer first">') : html.index('<div class="doc-footer">')]
    assert svg in first_footer
    assert html.count(svg) == 1  # drawn once: the other pages' footer carries the code and address only
    # A different URL gives a different code.
    assert render.qr_svg(URL + "x") != svg


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_after_the_first_point_to_the_address_not_to_a_qr_code(language):
    _, pages = rendered("transfer_letter", language)
    assert len(pages) >= 2
    scan = "扫描二维码" if language == "zh-hans" else "ScantheQRcode"
    assert scan in squeeze(pages[0])
    for page in pages[1:]:
        assert scan not in squeeze(page)
        assert URL in squeeze(page)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        render.render_document_html("court_order", make_context("transfer_letter"))
    with pytest.raises(ValueError):
        render.render_document_pdf("court_order", make_context("transfer_letter"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_user_text_is_escaped_not_executed(language):
    script = "<script>alert('x')</script>"
    context = make_context("transfer_letter", summary=f"被执行人声称{script}无力履行。")
    context["case"]["debtor"] = {**context["case"]["debtor"], "name": "某公司<b>加粗</b>"}
    html = render.render_document_html("transfer_letter", context, language=language)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>加粗</b>" not in html

    text = squeeze("".join(pdf_pages(render.render_document_pdf("transfer_letter", context, language=language))))
    assert squeeze(script) in text
    assert "某公司<b>加粗</b>" in text


def test_evidence_list_names_categories_in_words_and_prints_full_hashes():
    _, pages = rendered("evidence_list", "zh-hans")
    text = squeeze("".join(pages))
    assert text.count(HASH) == len(CATEGORIES)
    for words in ("犯罪嫌疑人身份", "负有执行义务", "具有履行能力", "拒不执行的行为", "情节严重或造成的后果"):
        assert words in text
    assert "identity" not in text and "circumstances" not in text
    _, pages = rendered("evidence_list", "en")
    text = squeeze("".join(pages))
    assert text.count(HASH) == len(CATEGORIES)
    assert squeeze("Ability to perform") in text


def test_private_prosecution_notice_lists_the_article_13_materials():
    _, pages = rendered("private_prosecution_notice", "zh-hans")
    text = squeeze("".join(pages))
    for words in (
        "刑事自诉状",
        "自诉人的身份证明材料",
        "生效法律文书",
        "执行案件受理通知书",
        "有能力执行却拒不执行",
        "不予立案通知书",
        "不起诉决定书",
        "其他材料",
        "第十三条",
    ):
        assert words in text
    _, pages = rendered("private_prosecution_notice", "en")
    text = squeeze("".join(pages))
    for words in (
        "A criminal complaint",
        "Proof of your identity",
        "notice accepting the enforcement case",
        "able to perform and refuses",
        "decision not to prosecute",
        "Any other material",
        "Article 13",
    ):
        assert squeeze(words) in text


def test_long_transfer_letter_runs_on_to_further_pages():
    summary = "\n".join(
        ["被执行人在收到执行通知后，将名下房产以明显不合理的低价转让给亲属，并通过他人账户收取货款。"] * 14
    )
    pages = pdf_pages(render.render_document_pdf("transfer_letter", make_context("transfer_letter", summary=summary)))
    assert len(pages) >= 2
    assert f"第1页共{len(pages)}页" in squeeze(pages[0])
    assert CODE in squeeze(pages[-1])
    assert "特此函告" in squeeze("".join(pages))


@pytest.mark.parametrize("kind", KINDS)
def test_optional_parts_may_be_missing(kind):
    context = make_context(kind, deadline=None, evidence=[], record=None, payload={})
    del context["case"]["executing_court"], context["case"]["trial_court"], context["case"]["amount_recovered"]
    context["case"]["procuratorate"] = None
    html = render.render_document_html(kind, context)
    assert EXPECTED[kind][2] in html
    assert "None" not in html


def test_other_languages_fall_back_to_chinese():
    html = render.render_document_html("acknowledgment", make_context("acknowledgment"), language="fr")
    assert 'lang="zh-CN"' in html and "受案回执" in html
    html = render.render_document_html("acknowledgment", make_context("acknowledgment"), language="en-us")
    assert 'lang="en"' in html and "Acknowledgment of Receipt" in html


def test_formatting_helpers():
    assert render.format_date(datetime.date(2026, 11, 23), "zh-hans") == "二〇二六年十一月二十三日"
    assert render.format_date(datetime.date(2026, 10, 10), "zh-hans") == "二〇二六年十月十日"
    assert render.format_date(datetime.date(2030, 1, 31), "zh-hans") == "二〇三〇年一月三十一日"
    assert render.format_date(datetime.date(2026, 11, 23), "en") == "23 November 2026"
    assert render.format_amount(Decimal("1250000")) == "¥1,250,000.00"
    assert render.format_amount(Decimal("35000.5")) == "¥35,000.50"
    assert render.format_amount(None) == ""


def test_same_context_gives_the_same_bytes():
    """The stored SHA-256 of an issued document must be reproducible from its context."""
    context = make_context("non_filing_notice")
    first = render.render_document_pdf("non_filing_notice", context)
    assert render.render_document_pdf("non_filing_notice", context) == first


def test_a_rare_character_falls_back_to_the_full_installed_font():
    """The cut-down faces hold GB 2312; a rarer character in a name is drawn by the installed Noto font."""
    context = make_context("acknowledgment")
    context["case"]["applicant"] = {**context["case"]["applicant"], "name": "李堃喆"}
    pdf = render.render_document_pdf("acknowledgment", context)
    assert "李堃喆" in squeeze("".join(pdf_pages(pdf)))
    names = {name for name, _, _ in embedded_fonts(pdf)}
    assert any(name.endswith("+Noto-Serif-CJK-SC") for name in names), names


def test_dates_and_citations_the_code_writes_are_in_the_core_font():
    from procedure.basis import article_words, basis_text

    core = set(render._charset("core"))
    written = render.format_date(datetime.date(2026, 11, 23), "zh-hans") + render.format_date(
        datetime.date(2030, 10, 31), "zh-hans"
    )
    written += basis_text("Opinions Art. 5 ¶2; CPL Art. 172 (extended by 15 days)", "zh-hans")
    written += basis_text("Criminal Law Art. 313 (extended)", "zh-hans")
    written += basis_text("SPC Interpretation of the CPL Art. 320", "zh-hans")
    # The articles and periods a letter writes in words (documents.wording): 第二百一十二条第二款, 一百零五.
    written += "".join(article_words(code, "zh-hans") for code in ("CPL Art. 212 ¶2", "CPL Art. 105", "Opinions Art. 8 ¶3"))
    assert "《刑事诉讼法》" in written and "年" in written
    assert {c for c in written if ord(c) not in core} == set()


def test_each_character_is_drawn_from_the_smallest_font_that_holds_it():
    """Fixed wording from the cut-down core font, names from the GB 2312 fonts; level 2 only when used."""
    context = make_context("acknowledgment")
    plain = {name.split("+")[1] for name, _, _ in embedded_fonts(render.render_document_pdf("acknowledgment", context))}
    assert "Noto-Serif-CJK-SC-Doc" in plain
    assert not any("Rare" in name for name in plain), plain
    # 亍 and 噩 are GB 2312 level 2.
    context["case"]["applicant"] = {**context["case"]["applicant"], "name": "亍噩"}
    pdf = render.render_document_pdf("acknowledgment", context)
    assert "亍噩" in squeeze("".join(pdf_pages(pdf)))
    names = {name.split("+")[1] for name, _, _ in embedded_fonts(pdf)}
    assert "Noto-Serif-CJK-SC-Doc-Rare" in names, names
    assert not any("," in name for name in names), names


def test_document_fonts_are_prepared_in_the_cache_folder(settings, tmp_path, monkeypatch):
    settings.DOCUMENT_FONT_CACHE_DIR = str(tmp_path)
    monkeypatch.setattr(render, "_document_fonts", None)
    monkeypatch.setattr(render, "_font_config", None)
    css = render.document_font_faces_css()
    # Three cut-down fonts (template wording, GB 2312 level 1, level 2) for each of the three text faces, one for codes.
    assert css.count("@font-face") == 10
    assert len(list(tmp_path.glob("*.otf"))) == 10
    stacks = render.document_font_stacks()
    assert stacks["serif"] == (
        '"Noto Serif CJK SC Doc", "Noto Serif CJK SC Doc Common", "Noto Serif CJK SC Doc Rare", "Noto Serif CJK SC", serif'
    )
    assert stacks["mono"] == '"Noto Sans Mono CJK SC Doc", "Noto Sans Mono CJK SC", monospace'
    pdf = render.render_document_pdf("filing_decision", make_context("filing_decision"))
    names = {name for name, _, _ in embedded_fonts(pdf)}
    assert any("-Doc" in name for name in names), names


def test_a_font_made_in_one_weight_only_is_not_offered(settings, tmp_path, monkeypatch):
    """If the bold cut of a family fails, bold text must not be drawn from that family's regular cut."""
    settings.DOCUMENT_FONT_CACHE_DIR = str(tmp_path)
    monkeypatch.setattr(render, "_document_fonts", None)
    monkeypatch.setattr(render, "_font_config", None)
    real = render._installed_face
    monkeypatch.setattr(
        render, "_installed_face", lambda family, weight: None if weight == "bold" else real(family, weight)
    )
    assert render.document_font_stacks()["serif"] == '"Noto Serif CJK SC", serif'
    assert render.document_font_stacks()["sans"].startswith('"Noto Sans CJK SC Doc", "Noto Sans CJK SC Doc Common"')
    assert "Noto Serif CJK SC Doc" not in render.document_font_faces_css()
    pdf = render.render_document_pdf("filing_decision", make_context("filing_decision"))
    names = {name.split("+")[1] for name, _, _ in embedded_fonts(pdf)}
    assert "Noto-Serif-CJK-SC-Bold" in names, names


def test_documents_still_render_when_fonts_cannot_be_prepared(settings, tmp_path, monkeypatch):
    settings.DOCUMENT_FONT_CACHE_DIR = str(tmp_path)
    monkeypatch.setattr(render, "_document_fonts", None)
    monkeypatch.setattr(render, "_font_config", None)
    monkeypatch.setattr(render, "_subset_with_harfbuzz", lambda *args: None)
    assert render.document_font_faces_css() == ""
    assert render.document_font_stacks()["serif"] == '"Noto Serif CJK SC", serif'
    pdf = render.render_document_pdf("filing_decision", make_context("filing_decision"))
    assert "立案决定书" in squeeze("".join(pdf_pages(pdf)))
    for name, _, has_file in embedded_fonts(pdf):
        assert re.fullmatch(r"/[A-Z]{6}\+Noto-(Serif|Sans|Sans-Mono)-CJK-SC(-Bold)?", name), name
        assert has_file
