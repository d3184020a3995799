"""Legal bases as the code records them, shown to Chinese readers as Chinese legal citations."""

import re

import pytest

from procedure import periods
from procedure.basis import article_words, basis_text, chinese_numeral, english_numeral
from procedure.periods import FILING_REVIEW, PROSECUTION_REVIEW
from workflow.notifications.texts import render


@pytest.mark.parametrize(("code", "chinese"), [
    ("Opinions Art. 12 ¶1", "《意见》第12条第1款"),
    ("Opinions Art. 5 ¶2 (extended)", "《意见》第5条第2款（延长）"),
    ("CPL Art. 91 ¶3; Opinions Art. 9", "《刑事诉讼法》第91条第3款；《意见》第9条"),
    ("CPL Art. 172 (extended by 15 days)", "《刑事诉讼法》第172条（延长15日）"),
    ("CPL Art. 105", "《刑事诉讼法》第105条"),
    ("Criminal Law Art. 313", "《刑法》第313条"),
    ("CPL Art. 208", "《刑事诉讼法》第208条"),
    ("Art. 10", "第10条"),
    ("SPC Interpretation of the CPL Art. 320", "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第320条"),
    ("CPL Art. 212 ¶2", "《刑事诉讼法》第212条第2款"),
])
def test_codes_become_chinese_citations(code, chinese):
    assert basis_text(code, "zh-hans") == chinese
    assert basis_text(code, "en") == code


def test_a_bare_article_list_takes_the_law_it_belongs_to():
    assert basis_text("Art. 3, 4; Art. 8 ¶3", "zh-hans", law="Opinions") == "《意见》第3条、第4条；第8条第3款"


def test_text_of_another_form_is_shown_unchanged():
    # A basis typed by a user (a coercive measure's) is not a code: never half-translated.
    assert basis_text("Civil Procedure Law Art. 114", "zh-hans") == "Civil Procedure Law Art. 114"
    assert basis_text("", "zh-hans") == ""


def test_deadline_notifications_cite_the_basis_in_the_readers_language():
    params = {"number": "（2026）桂0102移1号", "debtor": "张三", "agency": "兴宁分局", "due": "2026-12-01",
              "basis": FILING_REVIEW.basis, "deadline_kind": "filing_review"}
    _, zh = render("deadline_warning", "zh-hans", params)
    _, en = render("deadline_warning", "en", params)
    assert "依据：《意见》第5条第2款。" in zh
    assert "Basis: Opinions Art. 5 ¶2." in en
    _, zh = render("deadline_warning", "zh-hans", {**params, "basis": PROSECUTION_REVIEW.basis})
    assert "《刑事诉讼法》第172条" in zh


def test_every_periods_basis_reads_in_chinese_without_a_latin_letter():
    """A deadline's Chinese explanation cites its basis in Chinese (the private filing review showed "SPC
    Interpretation…" in English)."""
    bases = {value.basis for value in vars(periods).values() if isinstance(value, periods.Period)}
    assert "SPC Interpretation of the CPL Art. 320" in bases
    for basis in bases:
        assert not re.search(r"[A-Za-z¶]", basis_text(basis, "zh-hans")), basis


@pytest.mark.parametrize(("n", "chinese", "english"), [
    (7, "七", "seven"), (10, "十", "ten"), (15, "十五", "fifteen"), (30, "三十", "thirty"), (45, "四十五", "forty-five"),
])
def test_periods_are_written_in_words(n, chinese, english):
    assert (chinese_numeral(n), english_numeral(n)) == (chinese, english)


@pytest.mark.parametrize(("n", "chinese"), [(105, "一百零五"), (112, "一百一十二"), (212, "二百一十二"), (320, "三百二十")])
def test_article_numbers_are_written_as_letters_write_them(n, chinese):
    assert chinese_numeral(n) == chinese


def test_a_letter_cites_the_articles_after_the_laws_name():
    assert article_words("Opinions Art. 8 ¶3", "zh-hans") == "第八条第三款"
    assert article_words("Opinions Art. 8 ¶3", "en") == "Article 8, paragraph 3"
    assert article_words("CPL Art. 212 ¶2", "zh-hans") == "第二百一十二条第二款"
    assert article_words("Opinions Art. 3, 4", "zh-hans") == "第三条、第四条"
    assert article_words("", "zh-hans") == ""
