"""The journeys of issue 8 in a real browser: transfer, acceptance, non-filing, supervision, explanation,
the creditor's view, and English for an English user."""

import hashlib
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from procedure.deadlines import DeadlineKind
from procedure.states import TRANSFER_CATEGORIES, CaseState
from tests.browser.conftest import shot
from tests.casebuilder import case_in_state
from workflow.cases.transitions import unmet
from workflow.models import Case

pytestmark = pytest.mark.browser


def zh(label) -> str:
    """A label as the server renders it for a Chinese browser."""
    with translation.override("zh-hans"):
        return str(label)


def material(category: str) -> dict:
    return {"name": f"{category}.pdf", "mimeType": "application/pdf",
            "buffer": f"%PDF-1.4 material for {category}".encode()}


def fire_from_page(page, name: str, **fields) -> None:
    """Click the step's button, fill its form in the panel, confirm and wait for the case page to reload."""
    page.get_by_test_id(f"action-{name}").click()
    form = page.get_by_test_id("transition-form")
    expect(form).to_be_visible()
    for field, value in fields.items():
        control = form.locator(f"[name={field}]")
        if control.first.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        elif control.first.get_attribute("type") == "checkbox":
            for item in value:
                form.locator(f"[name={field}][value={item}]").check()
        else:
            control.fill(value)
    with page.expect_navigation():
        form.get_by_test_id("confirm").click()


def expect_state(page, state: str) -> None:
    expect(page.get_by_test_id("case-state")).to_have_text(zh(CaseState(state).label))


def test_transfer_acceptance_non_filing_supervision_explanation_and_the_creditor(site, browser):
    # Another case already waits for the police, without a running deadline: it must sort below the new one.
    older = case_in_state(site.users, "investigating")

    # The enforcement judge creates the case; the police and procuratorate of the court's region are filled in.
    judge = site.as_user(browser, "enforcement_judge")
    shot(judge, "judge-inbox")
    judge.get_by_test_id("nav-new-case").click()
    police = site.users["police_clerk"].agency
    procuratorate = site.users["procurator"].agency
    expect(judge.locator("#id_police_agency")).to_have_value(str(police.pk))
    expect(judge.locator("#id_procuratorate")).to_have_value(str(procuratorate.pk))
    expect(judge.locator("#field-jurisdiction_reason")).to_be_hidden()
    judge.fill("#id_enforcement_case_number", "（2025）桂0102执0815号")
    judge.fill("#id_amount_owed", "380000.00")
    judge.fill("#id_basis_document", "（2024）桂0102民初321号民事判决书")
    judge.fill("#id_applicant_name", "广西南宁宏达建材有限公司")
    judge.check("#id_applicant_kind_1")
    judge.fill("#id_applicant_user", "creditor")
    judge.fill("#id_debtor_name", "黄某某")
    judge.fill("#id_debtor_id_number", "450102198203034322")
    judge.fill("#id_summary", "被执行人将名下车辆转让他人，拒不履行。")
    shot(judge, "judge-transfer-form")
    with judge.expect_navigation():
        judge.click("form.case-form button[type=submit]")
    case = Case.objects.get(enforcement_case_number="（2025）桂0102执0815号")
    assert case.state == "draft" and case.police_agency == police and case.applicant_user.username == "creditor"
    expect(judge.get_by_test_id("checklist-progress")).to_contain_text("0")
    expect(judge.get_by_test_id("blocked-submit_transfer")).to_be_visible()

    # The five Art. 4 materials, one per row of the checklist.
    for category in TRANSFER_CATEGORIES:
        row = judge.get_by_test_id(f"check-{category}")
        row.get_by_test_id(f"file-{category}").set_input_files(material(category))
        row.get_by_test_id(f"upload-{category}").click()
        expect(judge.get_by_test_id(f"check-{category}")).to_have_class(re.compile(r"\bpresent\b"))
    digest = hashlib.sha256(material("identity")["buffer"]).hexdigest()
    expect(judge.get_by_test_id("evidence")).to_contain_text(digest)
    shot(judge, "judge-draft-checklist")
    fire_from_page(judge, "submit_transfer")
    expect_state(judge, "transferred")
    expect(judge.get_by_test_id("deadline-written_response")).to_be_visible()
    shot(judge, "judge-case-transferred")

    # The police clerk finds it at the top of the inbox, accepts it and opens the acknowledgment.
    clerk = site.as_user(browser, "police_clerk")
    rows = clerk.get_by_test_id("inbox-row")
    expect(rows.first).to_have_attribute("data-case", case.number)
    expect(rows.nth(1)).to_have_attribute("data-case", older.number)
    shot(clerk, "police-clerk-inbox")
    rows.first.locator("a.case-link").click()
    fire_from_page(clerk, "accept")
    expect_state(clerk, "filing_review")
    acknowledgment = clerk.get_by_test_id("pdf-acknowledgment")
    expect(acknowledgment).to_be_visible()
    with clerk.context.expect_page() as opened, \
            clerk.context.expect_event("response", lambda r: "/pdf/" in r.url) as served:
        acknowledgment.click()  # opens in a new tab
    assert served.value.status == 200 and served.value.headers["content-type"] == "application/pdf"
    assert opened.value.url == site.url + acknowledgment.get_attribute("href")
    pdf = clerk.request.get(opened.value.url)  # the same bytes, with the clerk's session
    assert pdf.body().startswith(b"%PDF")
    opened.value.close()
    shot(clerk, "police-clerk-case")

    # The investigator proposes not to file: without a reason the error stands next to the field.
    investigator = site.as_user(browser, "police_investigator")
    investigator.goto(f"{site.url}/cases/{case.pk}/")
    investigator.get_by_test_id("action-decline_filing").click()
    form = investigator.get_by_test_id("transition-form")
    form.get_by_test_id("confirm").click()
    expect(investigator.get_by_test_id("error-reason")).to_be_visible()
    shot(investigator, "investigator-decline-error")
    investigator.get_by_test_id("transition-form").locator("[name=reason]").fill("现有证据不足以证明被执行人有能力履行。")
    with investigator.expect_navigation():
        investigator.get_by_test_id("transition-form").get_by_test_id("confirm").click()
    # Proposed: the case waits for the police head's approval (procedure.md §3 "Approvals").
    expect_state(investigator, "filing_review")
    expect(investigator.get_by_test_id("pending-approvals")).to_contain_text("现有证据不足以证明被执行人有能力履行。")
    head = site.as_user(browser, "police_head")
    expect(head.get_by_test_id("pending-approvals")).to_contain_text(case.number)
    with head.expect_navigation():
        head.get_by_test_id("pending-approvals").get_by_role("button").first.click()
    expect_state(head, "not_filed")
    shot(head, "police-head-approved")
    investigator.goto(f"{site.url}/cases/{case.pk}/")
    expect_state(investigator, "not_filed")
    expect(investigator.get_by_test_id("timeline")).to_contain_text("现有证据不足以证明被执行人有能力履行。")

    # The judge asks the procuratorate to supervise (Art. 7).
    judge.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(judge, "request_supervision", reason="被执行人有履行能力，不立案理由不能成立。")
    expect_state(judge, "supervision_requested")

    # The procurator requires the police to explain (Art. 8): a 7-day deadline owed by the police.
    procurator = site.as_user(browser, "procurator")
    expect(procurator.get_by_test_id("inbox-row").first).to_have_attribute("data-case", case.number)
    shot(procurator, "procurator-inbox")
    procurator.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(procurator, "request_explanation")
    expect_state(procurator, "explanation_requested")
    deadline = case.deadlines.get(kind="police_explanation")
    row = procurator.get_by_test_id("deadline-police_explanation")
    expect(row).to_contain_text(deadline.due_date.isoformat())
    expect(row).to_contain_text(deadline.explanation)
    shot(procurator, "procurator-case")
    procurator.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    shot(procurator, "tablet-procurator-case")
    procurator.goto(f"{site.url}/")
    shot(procurator, "tablet-procurator-inbox")

    # The creditor sees where the case stands and the next deadline, in plain words.
    creditor = site.as_user(browser, "creditor")
    card = creditor.locator(f"[data-testid=creditor-case][data-case='{case.number}']")
    expect(card.get_by_test_id("case-state")).to_have_text(zh(CaseState.EXPLANATION_REQUESTED.label))
    expect(card.get_by_test_id("next-deadline")).to_contain_text(deadline.due_date.isoformat())
    expect(card.get_by_test_id("next-deadline")).to_contain_text(zh(DeadlineKind.POLICE_EXPLANATION.label))
    shot(creditor, "creditor-home")
    card.locator("h2 a").click()
    expect_state(creditor, "explanation_requested")
    expect(creditor.get_by_test_id("debtor")).not_to_contain_text("450102198203034322")
    shot(creditor, "creditor-case")


def test_an_english_user_sees_english(site, browser):
    user = site.users["police_investigator"]
    user.language = "en"
    user.save(update_fields=["language"])
    case = case_in_state(site.users, "filing_review")

    page = site.as_user(browser, "police_investigator")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Waiting for my agency")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_test_id("role")).to_have_text("Police investigator")
    shot(page, "english-inbox")
    page.goto(f"{site.url}/cases/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text("Police reviewing whether to file")
    deadline = case.deadlines.get(kind="filing_review")
    expect(page.get_by_test_id("deadline-filing_review")).to_contain_text(deadline.explanation_en)
    expect(page.get_by_test_id("action-decline_filing")).to_have_text("Decline to file")
    shot(page, "english-case")


def test_a_chinese_user_switches_to_english_and_back(site, browser):
    page = site.as_user(browser, "enforcement_judge")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    with page.expect_navigation():
        page.select_option("#language-select", "en")  # switches on change (static/js/app.js)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_another_region_asks_for_the_art2_reason_and_the_server_insists(site, browser):
    page = site.as_user(browser, "enforcement_judge")
    page.goto(f"{site.url}/cases/new/")
    reason = page.locator("#field-jurisdiction_reason")
    expect(reason).to_be_hidden()
    other_police = site.users["police_clerk_2"].agency
    page.select_option("#id_police_agency", str(other_police.pk))
    expect(reason).to_be_visible()
    page.fill("#id_enforcement_case_number", "（2025）桂0102执0901号")
    page.fill("#id_amount_owed", "1000")
    page.fill("#id_basis_document", "（2024）桂0102民初1号")
    page.fill("#id_applicant_name", "甲公司")
    page.fill("#id_debtor_name", "乙")
    with page.expect_navigation():
        page.click("form.case-form button[type=submit]")
    expect(page.get_by_test_id("error-jurisdiction_reason")).to_be_visible()
    assert not Case.objects.exists()
    page.fill("#id_jurisdiction_reason", "被执行人长期居住在青秀区。")
    with page.expect_navigation():
        page.click("form.case-form button[type=submit]")
    case = Case.objects.get()
    assert case.cross_region and case.police_agency == other_police


def test_a_refused_step_explains_why(site, browser):
    """Art. 12: before the 30-day written response is overdue, private prosecution may not be advised yet."""
    case = case_in_state(site.users, "transferred")
    page = site.as_user(browser, "enforcement_judge")
    page.goto(f"{site.url}/cases/{case.pk}/")
    with translation.override("zh-hans"):
        why = unmet(case, "advise_private_prosecution")[0]
    blocked = page.get_by_test_id("blocked-advise_private_prosecution")
    expect(blocked.locator("button")).to_be_disabled()
    expect(blocked).to_contain_text(why)
    # Opening the step's address directly gets the same explanation, and nothing changes.
    page.goto(f"{site.url}/cases/{case.pk}/transitions/advise_private_prosecution/")
    expect(page.get_by_test_id("refused")).to_contain_text(why)
    case.refresh_from_db()
    assert case.state == "transferred"


def test_a_case_walks_from_filing_to_judgment_in_the_browser_alone(site, browser):
    case = case_in_state(site.users, "filing_review")
    investigator = site.as_user(browser, "police_investigator")
    investigator.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(investigator, "file_case")
    expect_state(investigator, "filing_review")  # proposed, for the police head to approve
    head = site.as_user(browser, "police_head")
    head.goto(f"{site.url}/cases/{case.pk}/")
    with head.expect_navigation():
        head.get_by_test_id("pending-approvals").get_by_role("button").first.click()
    expect_state(head, "investigating")
    fire_from_page(head, "transfer_for_prosecution")  # the head may also decide at once
    expect_state(head, "prosecution_review")

    procurator = site.as_user(browser, "procurator")
    procurator.goto(f"{site.url}/cases/{case.pk}/")
    procurator.get_by_test_id("action-indict").click()
    court = site.users["trial_judge"].agency
    expect(procurator.get_by_test_id("transition-form").locator("[name=trial_court]")).to_have_value(str(court.pk))
    with procurator.expect_navigation():
        procurator.get_by_test_id("transition-form").get_by_test_id("confirm").click()
    expect_state(procurator, "trial")

    judge = site.as_user(browser, "trial_judge")
    expect(judge.get_by_test_id("inbox-row").first).to_have_attribute("data-case", case.number)
    judge.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(judge, "render_judgment", outcome="convicted", sentence="判处有期徒刑一年六个月。")
    expect_state(judge, "judged")
    shot(judge, "trial-judge-judged")
    case.refresh_from_db()
    assert case.outcome == "convicted" and case.sentence == "判处有期徒刑一年六个月。"


def test_the_private_prosecution_route_in_the_browser(site, browser):
    """Art. 12-14: advised after non-filing, the creditor uploads the Art. 13 materials and files; the filing
    division asks for a supplement, then accepts; the creditor sees what was asked."""
    case = case_in_state(site.users, "not_filed")
    judge = site.as_user(browser, "enforcement_judge")
    judge.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(judge, "advise_private_prosecution")
    expect_state(judge, "private_prosecution_advised")

    creditor = site.as_user(browser, "creditor")
    card = creditor.locator(f"[data-testid=creditor-case][data-case='{case.number}']")
    expect(card).to_have_class(re.compile(r"\bmy-turn\b"))
    expect(card.get_by_test_id("creditor-document")).to_be_visible()  # the notice of the right to prosecute
    with creditor.expect_navigation():
        card.locator(".your-turn a").click()
    for category in ("complaint", "accuser_identity", "execution_basis", "refusal_evidence", "public_route_failed"):
        row = creditor.get_by_test_id(f"check-{category}")
        row.get_by_test_id(f"file-{category}").set_input_files(material(category))
        row.get_by_test_id(f"upload-{category}").click()
        expect(creditor.get_by_test_id(f"check-{category}")).to_have_class(re.compile(r"\bpresent\b"))
    shot(creditor, "creditor-private-checklist")
    fire_from_page(creditor, "file_private_prosecution")
    expect_state(creditor, "private_filing_review")

    clerk = site.as_user(browser, "filing_clerk")
    expect(clerk.get_by_test_id("inbox-row").first).to_have_attribute("data-case", case.number)
    clerk.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(clerk, "request_supplement", missing=["other"])
    expect_state(clerk, "private_filing_review")

    creditor.goto(f"{site.url}/cases/{case.pk}/")
    expect(creditor.get_by_test_id("check-other")).to_have_class(re.compile(r"\basked\b"))
    row = creditor.get_by_test_id("check-other")
    row.get_by_test_id("file-other").set_input_files(material("other"))
    row.get_by_test_id("upload-other").click()
    expect(creditor.get_by_test_id("check-other")).not_to_have_class(re.compile(r"\basked\b"))

    clerk.goto(f"{site.url}/cases/{case.pk}/")
    fire_from_page(clerk, "accept_private_prosecution")
    expect_state(clerk, "private_trial")
    creditor.goto(f"{site.url}/")
    expect(card.get_by_test_id("case-state")).to_have_text(zh(CaseState.PRIVATE_TRIAL.label))
    expect(card.get_by_test_id("next-deadline")).to_contain_text(zh(DeadlineKind.TRIAL.label))
