"""Legal bases as the code records them, shown to Chinese readers as Chinese legal citations."""

import pytest

from procedure.basis import basis_text
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
