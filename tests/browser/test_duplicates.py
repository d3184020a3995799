"""Duplicates in a real browser: the transfer form names the open case of the same enforcement case and files a
second one only with a reason; the draft page refuses the same file twice and takes a material back; a wrong
verification code gets a page of its own."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.casebuilder import new_case, upload
from workflow.cases.services import evidence_add
from workflow.models import Case, CaseEvent

pytestmark = pytest.mark.browser


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def test_a_second_case_of_the_same_enforcement_case_needs_a_reason(site, browser):
    first = new_case(site.users, enforcement_case_number="（2025）桂0102执0815号")
    judge = site.as_user(browser, "enforcement_judge")
    judge.goto(f"{site.url}/cases/new/")
    expect(judge.locator("#id_duplicate_reason")).to_have_count(0)
    judge.fill("#id_enforcement_case_number", "(2025)桂0102执0815号")  # ASCII brackets: the same number
    judge.fill("#id_amount_owed", "1000")
    judge.fill("#id_basis_document", "（2024）桂0102民初321号民事判决书")
    judge.fill("#id_applicant_name", "广西南宁宏达建材有限公司")
    judge.fill("#id_debtor_name", "黄某某")
    with judge.expect_navigation():
        judge.click("form.case-form button[type=submit]")
    expect(judge.get_by_test_id("error-enforcement_case_number")).to_contain_text(first.number)
    expect(judge.get_by_test_id("duplicate-case").locator("a")).to_have_attribute("href", f"/cases/{first.pk}/")
    shot(judge, "judge-duplicate-case")
    judge.fill("#id_duplicate_reason", "同一执行案件的另一被执行人")
    with judge.expect_navigation():
        judge.click("form.case-form button[type=submit]")
    second = Case.objects.exclude(pk=first.pk).get()
    assert judge.url.startswith(f"{site.url}/cases/{second.pk}/")
    assert second.enforcement_case_number == "（2025）桂0102执0815号" and second.debtor_kind == "person"
    assert second.applicant_kind == "entity"  # from the name ending in 有限公司
    assert CaseEvent.objects.get(case=second, transition="create").payload["duplicate_reason"] == "同一执行案件的另一被执行人"


def test_the_draft_page_refuses_the_same_file_and_takes_a_material_back(site, browser):
    case = new_case(site.users)
    evidence_add(case_id=case.pk, actor=site.users["enforcement_judge"], category="ability", title="银行流水",
                 file=upload(content=b"%PDF-1.4 statement"))
    judge = site.as_user(browser, "enforcement_judge")
    judge.goto(f"{site.url}/cases/{case.pk}/")
    judge.locator("details.add-evidence summary").click()
    form = judge.locator("details.add-evidence form")
    form.locator("[name=category]").select_option("refusal")
    form.locator("[name=file]").set_input_files({"name": "copy.pdf", "mimeType": "application/pdf",
                                                 "buffer": b"%PDF-1.4 statement"})
    form.locator("button[type=submit]").click()
    expect(judge.get_by_test_id("error-file")).to_contain_text("银行流水")
    assert case.evidence.count() == 1

    with judge.expect_navigation():
        judge.get_by_test_id("remove-evidence").click()
    expect(judge.get_by_test_id("evidence")).to_have_count(0)
    expect(judge.get_by_test_id("timeline")).to_contain_text(zh("Evidence material removed from the draft"))
    expect(judge.get_by_test_id("timeline")).to_contain_text("银行流水")
    assert not case.evidence.exists()


def test_a_wrong_verification_code_has_a_page_of_its_own(site, browser):
    context = browser.new_context(locale="zh-CN")
    site.contexts.append(context)
    page = context.new_page()
    response = page.goto(f"{site.url}/verify/abcde-fghjk-lmnpq-rstuv/")
    assert response.status == 404
    expect(page.get_by_test_id("verify-not-found")).to_contain_text(zh("No document with this verification code"))
    expect(page.locator("#verify-code")).to_be_visible()

