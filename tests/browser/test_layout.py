"""Every role's pages on a phone (390 px) and a desktop (1280 px): nothing scrolls sideways, no table cell is squeezed,
axe-core finds no WCAG 2.1 A/AA violation, the procedure is drawn where the case stands. Then an expired session
inside a panel, the busy state of a slow step, and the transfer form by keyboard alone."""

import re

import pytest
from django.db.models import F
from django.utils import translation
from playwright.sync_api import expect

from agencies.demo import DEMO_PASSWORD
from documents.models import Document
from procedure.states import CaseState
from tests.browser.checks import DESKTOP, PHONE, check_page, layout_problems
from tests.browser.conftest import shot
from tests.casebuilder import case_in_state
from workflow.models import Case, CaseEvent

pytestmark = pytest.mark.browser

# The roles of the journeys and whether they start cases and see the statistics.
ROLES = {
    "enforcement_judge": {"new": True, "stats": True},
    "police_clerk": {"new": False, "stats": True},
    "police_investigator": {"new": False, "stats": True},
    "police_head": {"new": False, "stats": True},
    "procurator": {"new": True, "stats": True},
    "procurator_general": {"new": False, "stats": True},
    "creditor": {"new": True, "stats": False},
}


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text)) if isinstance(text, str) else str(text)


def visit(site, page, path: str, problems: dict, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    response = page.goto(f"{site.url}{path}")
    assert response.status == 200, (path, response.status)
    problems.update(check_page(page, name))


def open_first_action(page, problems: dict, name: str, *, offered: bool = False) -> None:
    """The first step offered on the case page, opened in its panel (htmx), checked like a page. `offered`: the
    user has a step to take here."""
    actions = page.locator("#actions .action-buttons a")
    assert actions.count() > 0 or not offered, f"{name}: no step offered"
    if actions.count() == 0:
        return
    page.set_viewport_size(PHONE)
    actions.first.click()
    expect(page.locator("#action-panel [data-testid=transition-form]")).to_be_visible()
    problems.update(check_page(page, f"{name} with a step's form open", within="#actions"))


def check_diagram(page, case: Case) -> None:
    diagram = page.get_by_test_id("diagram")
    expect(diagram.locator("svg.procedure-diagram")).to_be_visible()
    expect(diagram.locator("g.state.current")).to_have_count(1)
    expect(diagram.locator(f"g.state.current[data-state={case.state}]")).to_have_count(1)
    moves = list(case.events.exclude(to_state="").exclude(to_state=F("from_state")).order_by("seq"))
    passed = [state for state in (moves[0].from_state, *(event.to_state for event in moves)) if state]
    expect(diagram.locator("g.state.visited")).to_have_count(len(set(passed)))
    for event in moves[1:] if not moves[0].from_state else moves:  # the first, the case's creation, has no source
        taken = f"g.edge.taken[data-source={event.from_state}][data-transition={event.transition}]"
        expect(diagram.locator(taken)).to_have_count(1)
    items = page.get_by_test_id("procedure-path").locator("li")
    expect(items).to_have_text([str(CaseState(state).label) for state in passed])
    expect(items.last).to_have_attribute("aria-current", "step")


def test_every_roles_pages_fit_a_phone_and_a_desktop_and_pass_axe(site, browser):
    case = case_in_state(site.users, "prosecution_review")
    other = case_in_state(site.users, "filing_review")
    problems: dict = {}

    # The login page, before anyone logs in.
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    site.contexts.append(context)
    anonymous = context.new_page()
    anonymous.on("console", lambda m: m.type == "error" and site.console_errors.append(m.text))
    response = anonymous.goto(f"{site.url}/accounts/login/")
    # The policy: styles and scripts from the site's own files only.
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "style-src 'self'" in policy and "script-src 'self'" in policy
    problems.update(check_page(anonymous, "login"))
    # The public check of a letter's verification code, without logging in.
    letter = Document.objects.filter(case=case).order_by("pk").first()
    for path, name in (("/verify/", "verification form"), (f"/verify/{letter.verification_code}/", "verified letter")):
        anonymous.goto(f"{site.url}{path}")
        problems.update(check_page(anonymous, name))
    anonymous.goto(f"{site.url}/accounts/login/")
    # The checks can fail: a field without a label is an axe violation, a wide block a page scrolling sideways.
    anonymous.evaluate("""() => {
        const field = document.createElement("input"); field.id = "unlabelled"; document.body.append(field);
        const wide = document.createElement("div"); wide.id = "wide"; wide.textContent = "x".repeat(400); document.body.append(wide);
    }""")
    broken = check_page(anonymous, "broken")
    assert any("label" in line and "#unlabelled" in line for line in broken["broken: axe"])
    assert any("scrolls sideways" in line for line in broken["broken at 390px"])

    for username, may in ROLES.items():
        page = site.as_user(browser, username, viewport=DESKTOP)
        visit(site, page, "/", problems, f"{username}: home")
        visit(site, page, f"/cases/{case.pk}/", problems, f"{username}: case")
        with translation.override("zh-hans"):
            check_diagram(page, case)
        shot(page, f"{username}-case-desktop")
        page.set_viewport_size(PHONE)
        shot(page, f"{username}-case-phone")
        open_first_action(page, problems, f"{username}: case")
        if username == "police_investigator":  # the case waiting for the police's decision on filing
            visit(site, page, f"/cases/{other.pk}/", problems, f"{username}: another case")
            open_first_action(page, problems, f"{username}: another case", offered=True)
            # The same step's form as a page of its own (without the script, or opened in a new tab).
            visit(site, page, f"/cases/{other.pk}/transitions/decline_filing/", problems, "a step's form as a page")
        visit(site, page, "/notifications/", problems, f"{username}: notifications")
        visit(site, page, "/search/?q=%E5%BC%A0%E4%BC%9F", problems, f"{username}: search")
        if may["new"]:
            visit(site, page, "/cases/new/", problems, f"{username}: new case")
        if may["stats"]:
            visit(site, page, "/stats/", problems, f"{username}: statistics")
            counts = page.get_by_test_id("procedure")
            expect(counts.locator("g.state[data-state=prosecution_review] text.count")).to_have_text("1")
            expect(counts.locator("g.state[data-state=filing_review] text.count")).to_have_text("1")
            expect(counts.locator("g.state[data-state=judged] text.count")).to_have_text("0")
        else:
            expect(page.get_by_test_id("nav-stats")).to_have_count(0)
        page.context.close()
        site.contexts.remove(page.context)

    # In English: the same pages in another language (longer words, other line breaks).
    user = site.users["police_investigator"]
    user.language = "en"
    user.save(update_fields=["language"])
    page = site.as_user(browser, "police_investigator", viewport=DESKTOP, locale="en-GB")
    for path, name in (("/", "home"), (f"/cases/{case.pk}/", "case"), ("/stats/", "statistics"),
                       ("/notifications/", "notifications")):
        visit(site, page, path, problems, f"English: {name}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{site.url}/cases/{case.pk}/")
    expect(page.get_by_test_id("procedure")).to_contain_text("Where the case stands in the procedure")

    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())


def test_the_case_tables_are_cards_on_a_phone_and_rows_on_a_desktop(site, browser):
    case = case_in_state(site.users, "prosecution_review")
    page = site.as_user(browser, "procurator", viewport=PHONE)
    page.goto(f"{site.url}/cases/{case.pk}/")
    for table in ("deadlines", "documents", "evidence"):
        rows = page.get_by_test_id(table).locator("tbody tr")
        assert rows.count() > 0
        first = rows.first
        # A card: the row's cells one under another, each the row's full width, each named by its column.
        boxes = [cell.bounding_box() for cell in first.locator("td").all()]
        assert all(b["width"] > 300 for b in boxes), (table, boxes)
        assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes) and boxes[0]["x"] == boxes[-1]["x"]
        label = first.locator("td").first.evaluate("e => getComputedStyle(e, '::before').content")
        assert label.strip('"') == first.locator("td").first.get_attribute("data-label") != ""
    shot(page, "case-phone-cards")
    # The diagram scrolls within its frame, the case's state in view.
    frame, current = page.get_by_test_id("diagram"), page.get_by_test_id("diagram").locator("g.state.current")
    outer, inner = frame.bounding_box(), current.bounding_box()
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"], (outer, inner)

    # The narrowest phones in use: still nothing sideways, nothing squeezed.
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (f"/cases/{case.pk}/", "/", "/stats/", "/cases/new/", "/notifications/"):
        page.goto(f"{site.url}{path}")
        assert layout_problems(page) == [], path

    page.goto(f"{site.url}/cases/{case.pk}/")
    page.set_viewport_size(DESKTOP)
    cells = [cell.bounding_box() for cell in page.get_by_test_id("documents").locator("tbody tr").first.locator("td").all()]
    assert len({round(b["y"]) for b in cells}) == 1  # one row, side by side
    label = page.get_by_test_id("documents").locator("td").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert label in ("none", "normal")


def test_an_expired_session_in_a_panel_leads_to_the_login_and_back_with_the_reason_kept(site, browser):
    case = case_in_state(site.users, "filing_review")
    page = site.as_user(browser, "police_head", viewport=PHONE)
    page.goto(f"{site.url}/cases/{case.pk}/")
    page.get_by_test_id("action-decline_filing").click()
    form = page.get_by_test_id("transition-form")
    reason = "被执行人已于立案前全部履行，不符合立案条件。"
    form.locator("[name=reason]").fill(reason)

    # The session ends (it expired, or was ended elsewhere) while the form is open.
    page.context.clear_cookies(name="sessionid")
    with page.expect_navigation(url=re.compile(r"/accounts/login/")):
        form.get_by_test_id("confirm").click()
    # The whole window shows the login page, which leads back to the case page, not into the panel.
    assert page.url == f"{site.url}/accounts/login/?next=%2Fcases%2F{case.pk}%2F"
    expect(page.get_by_test_id("transition-form")).to_have_count(0)
    assert Case.objects.get(pk=case.pk).state == "filing_review"
    page.fill("#id_username", "police_head")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation(url=f"{site.url}/cases/{case.pk}/"):
        page.click("button[type=submit].primary")

    # Back on the case page: the step's form open again, with the reason as it was typed.
    form = page.get_by_test_id("transition-form")
    expect(form.locator("[name=reason]")).to_have_value(reason)
    expect(form.get_by_test_id("restored")).to_be_visible()
    expect(form.locator("[name=reason]")).to_be_focused()

    # A slow answer: the button is disabled and turning, the form busy, a word says so.
    held = []
    page.route(f"**/cases/{case.pk}/transitions/decline_filing/",
               lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    button = form.get_by_test_id("confirm")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_class(re.compile(r"\bis-busy\b"))
    expect(form.locator("form")).to_have_attribute("aria-busy", "true")
    expect(form.locator(".busy-note")).to_have_text(zh("Working…"))
    shot(page, "busy-step", full_page=False)
    page.wait_for_timeout(300)
    assert len(held) == 1  # one click, one request: the disabled button takes no second one
    with page.expect_navigation():
        held[0].continue_()
    expect(page.get_by_test_id("case-state")).to_have_text(zh(CaseState.NOT_FILED.label))
    event = CaseEvent.objects.filter(case=case, transition="decline_filing").get()
    assert event.payload["reason"] == reason
    # Done: the kept copy is gone, the page opens no panel on its own.
    page.reload()
    expect(page.get_by_test_id("case-state")).to_be_visible()
    expect(page.get_by_test_id("transition-form")).to_have_count(0)
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith(\"refusal-cases\"))") == []


def test_the_transfer_form_by_keyboard_alone(site, browser):
    page = site.as_user(browser, "enforcement_judge", viewport=DESKTOP)
    page.goto(f"{site.url}/cases/new/")

    def tab_to(selector: str, *, most: int = 40) -> None:
        for _ in range(most):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"{selector} shows no focus"
                return
        raise AssertionError(f"Tab never reaches {selector}")

    for selector, text in (
        ("#id_enforcement_case_number", "（2025）桂0102执0909号"),
        ("#id_amount_owed", "52000.00"),
        ("#id_basis_document", "（2024）桂0102民初88号民事判决书"),
        ("#id_applicant_name", "南宁市某某商贸有限公司"),
    ):
        tab_to(selector)
        page.keyboard.type(text)
    tab_to("input[name=applicant_kind]")
    page.keyboard.press("ArrowDown")  # radio buttons: the arrows move the choice
    expect(page.locator("#id_applicant_kind_1")).to_be_checked()
    tab_to("#id_applicant_user")
    page.keyboard.type("creditor")
    tab_to("#id_debtor_name")
    page.keyboard.type("李某")
    tab_to("#id_summary")
    page.keyboard.type("被执行人隐匿财产。")
    tab_to("form.case-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case = Case.objects.get(enforcement_case_number="（2025）桂0102执0909号")
    assert case.applicant_kind == "entity" and case.debtor_name == "李某" and case.state == "draft"
    assert page.url == f"{site.url}/cases/{case.pk}/#checklist"  # on to the evidence
