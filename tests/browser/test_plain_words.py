"""The words people read on the pages, through Django's test client: the creditor's cases that need them come
first, a creditor reads no SHA-256 digests, every note field says exactly who sees it (and the creditor's own
form never says a field is hidden from the creditor), the private prosecution form says when one is allowed and
what proves the public route failed, amounts read ¥1,250,000.00, and Chinese pages use Chinese punctuation."""

import re

from django.utils import translation

from procedure.letters import DocumentKind
from tests.casebuilder import add_private_evidence, add_transfer_evidence, case_in_state, fire, new_case
from workflow.models import Evidence


def page(client, user, url, **kwargs) -> str:
    client.force_login(user)
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def creditor_numbers(text: str) -> list[str]:
    return re.findall(r'data-testid="creditor-case" data-case="([^"]+)"', text)


def help_of(text: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_helptext">([^<]*)<', text)
    assert match, f"no help text for {field}"
    return match.group(1)


def test_the_creditors_case_that_needs_them_comes_first(demo, client):
    advised = case_in_state(demo, "private_prosecution_advised")  # the creditor's turn: older
    reviewing = case_in_state(demo, "filing_review")  # the police's turn, with a nearer deadline: newer
    draft = new_case(demo, origin="creditor")  # the creditor's own private prosecution: their turn, newest
    closed = case_in_state(demo, "cancelled")
    order = creditor_numbers(page(client, demo["creditor"], "/"))
    assert set(order[:2]) == {advised.number, draft.number}
    assert order.index(reviewing.number) > 1 and order.index(closed.number) > 1
    # Without a deadline, the newest first among those that wait for the creditor.
    assert order[:2] == [draft.number, advised.number]
    # Once the creditor has acted, the case no longer leads.
    add_private_evidence(advised, demo["creditor"])
    fire(advised, "file_private_prosecution", demo["creditor"])
    assert creditor_numbers(page(client, demo["creditor"], "/"))[0] == draft.number
    assert creditor_numbers(page(client, demo["creditor"], "/"))[1] != advised.number


def test_the_creditor_reads_no_digests_where_the_court_does(demo, client):
    case = case_in_state(demo, "private_prosecution_advised")
    add_private_evidence(case, demo["creditor"])
    digests = list(Evidence.objects.filter(case=case).values_list("sha256", flat=True))
    creditor = page(client, demo["creditor"], f"/cases/{case.pk}/")
    assert "complaint 材料" in creditor  # the creditor's own material is listed, by its title
    for digest in digests:
        assert digest[:12] not in creditor
    assert "SHA-256" not in creditor
    judge = page(client, demo["enforcement_judge"], f"/cases/{case.pk}/")
    assert all(digest in judge for digest in digests)


def test_a_note_says_it_is_printed_in_the_transfer_letter_to_the_police(demo, client):
    case = new_case(demo)
    add_transfer_evidence(case, demo["enforcement_judge"])
    with translation.override("zh-hans"):
        letter = str(DocumentKind.TRANSFER_LETTER.label)
    hint = help_of(page(client, demo["enforcement_judge"], f"/cases/{case.pk}/transitions/submit_transfer/"), "note")
    assert "可见范围：执行法院、公安机关、人民检察院、审判法院。" in hint
    assert "申请执行人看不到" in hint
    assert f"将原文载入：{letter}（送公安机关）" in hint
    english = help_of(page(client, demo["enforcement_judge"], f"/cases/{case.pk}/transitions/submit_transfer/",
                           HTTP_ACCEPT_LANGUAGE="en"), "note")
    assert "Printed word for word in: Case transfer letter (to the police)" in english


def test_a_note_printed_in_a_notice_to_the_creditor_says_the_creditor_reads_it(demo, client):
    case = case_in_state(demo, "not_filed")
    url = f"/cases/{case.pk}/transitions/advise_private_prosecution/"
    hint = help_of(page(client, demo["enforcement_judge"], url), "note")
    assert "申请执行人" in hint.split("。")[0] and "看不到" not in hint
    assert "将原文载入：刑事自诉权利告知书（送申请执行人）。" in hint
    # What the hint says holds: the creditor reads that note on the case, as in the notice.
    fire(case, "advise_private_prosecution", demo["enforcement_judge"], note="请于三十日内准备材料")
    assert "请于三十日内准备材料" in page(client, demo["creditor"], f"/cases/{case.pk}/")


def test_the_creditors_own_form_never_says_a_field_is_hidden_from_the_creditor(demo, client):
    case = case_in_state(demo, "private_prosecution_advised")
    add_private_evidence(case, demo["creditor"])
    text = page(client, demo["creditor"], f"/cases/{case.pk}/transitions/file_private_prosecution/")
    hint = help_of(text, "note")
    assert "申请执行人看不到" not in text and "不向申请执行人显示" not in text
    assert "您" in hint and "执行法院" in hint
    new_form = page(client, demo["creditor"], "/cases/new/")
    assert "申请执行人看不到" not in new_form and "不向申请执行人显示" not in new_form
    # The judge's transfer form says so of the internal note, which the creditor never reads.
    judge_form = page(client, demo["enforcement_judge"], "/cases/new/")
    assert "申请执行人看不到" in help_of(judge_form, "internal_note")


def test_the_private_prosecution_form_says_when_it_is_allowed_and_what_proves_it(demo, client):
    text = page(client, demo["creditor"], "/cases/new/")
    section = text.split('data-testid="private-when"')[1].split("</section>")[0]
    assert "《刑事诉讼法》第二百一十条第三项" in section and "《意见》第十一条" in section
    assert "三十日内没有书面答复" in section
    for proof in ("不予立案通知书", "撤销案件决定书", "不起诉决定书"):
        assert proof in section
    assert 'data-testid="private-when"' not in page(client, demo["enforcement_judge"], "/cases/new/")
    english = page(client, demo["creditor"], "/cases/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Criminal Procedure Law Art. 210 (3)" in english


def test_the_creditor_reads_legal_terms_in_plain_words(demo, client):
    case = new_case(demo, origin="creditor")
    text = page(client, demo["creditor"], f"/cases/{case.pk}/")
    assert 'data-testid="hint-public_route_failed"' in text
    hint = text.split('data-testid="hint-public_route_failed">')[1].split("<")[0]
    assert "不予立案通知书" in hint and "不起诉决定书" in hint
    transferred = case_in_state(demo, "transferred")
    explained = page(client, demo["creditor"], f"/cases/{transferred.pk}/")
    assert "已将案件移送公安机关" in explained.split('data-testid="origin-explained">')[1].split("<")[0]


def test_amounts_read_the_same_everywhere_on_the_pages(demo, client):
    case = case_in_state(demo, "transferred")
    home = page(client, demo["creditor"], "/")
    assert "¥1,250,000.00" in home and "¥1250000.00" not in home
    assert "¥1,250,000.00" in page(client, demo["enforcement_judge"], f"/cases/{case.pk}/")


def test_chinese_pages_use_chinese_punctuation(demo, client):
    case = case_in_state(demo, "not_filed")
    text = page(client, demo["enforcement_judge"], f"/cases/{case.pk}/transitions/request_supervision/")
    assert "依据：" in text and "依据: " not in text
    assert "出具文书：" in text
    english = page(client, demo["enforcement_judge"], f"/cases/{case.pk}/transitions/request_supervision/",
                    HTTP_ACCEPT_LANGUAGE="en")
    assert "Basis: " in english
    case_page = page(client, demo["enforcement_judge"], f"/cases/{case.pk}/")
    heading = re.search(r'<h2 id="deadlines-title">([^<]*)</h2>', case_page).group(1)
    column = re.search(r'<thead><tr><th scope="col">([^<]*)</th><th scope="col">届满日', case_page).group(1)
    assert heading != column


def test_a_refusal_lists_missing_categories_with_the_chinese_joiner(demo, client):
    case = new_case(demo)
    client.force_login(demo["enforcement_judge"])
    text = client.get(f"/cases/{case.pk}/transitions/submit_transfer/").content.decode()
    text += client.get(f"/cases/{case.pk}/").content.decode()
    assert "犯罪嫌疑人身份材料、" in text
    assert not re.search(r"[\u4e00-\u9fff], [\u4e00-\u9fff]", text)
