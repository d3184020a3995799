"""The pages through Django's test client: inbox order and badges, forms and their errors, refusals, and the
same permissions as the API."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from procedure.states import CaseState, Origin
from procedure.transitions import TRANSITIONS
from tests.casebuilder import add_private_evidence, add_transfer_evidence, case_in_state, fire, new_case
from workflow.cases.inputs import input_serializer
from workflow.cases.transitions import unmet
from workflow.models import Case, CaseEvent, Evidence
from workflow.pages.forms import transition_form_class
from workflow.pages.labels import TRANSITION_LABELS


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def html(response) -> str:
    return response.content.decode()


def inbox_numbers(response) -> list[str]:
    return re.findall(r'data-testid="inbox-row" data-case="([^"]+)"', html(response))


def upload(name="m.pdf", content=b"x"):
    """A file the upload check accepts: its content starts with the PDF signature (empty stays empty)."""
    if content and not content.startswith(b"%PDF-"):
        content = b"%PDF-1.4\n" + content
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def days_ago(days: int):
    return time_machine.travel(timezone.now() - datetime.timedelta(days=days), tick=False)


def test_inbox_holds_what_waits_for_my_agency_and_nothing_of_another_region(demo, client):
    transferred = case_in_state(demo, "transferred")
    not_filed = case_in_state(demo, "not_filed")
    supervised = case_in_state(demo, "supervision_requested")
    elsewhere = case_in_state(demo, "transferred", suffix="_2")
    assert inbox_numbers(page(client, demo["police_clerk"], "/")) == [transferred.number]
    assert inbox_numbers(page(client, demo["enforcement_judge"], "/")) == [not_filed.number]
    assert inbox_numbers(page(client, demo["procurator"], "/")) == [supervised.number]
    assert inbox_numbers(page(client, demo["police_clerk_2"], "/")) == [elsewhere.number]
    # The "all" tab lists every case the agency takes part in, still never another region's.
    everything = inbox_numbers(page(client, demo["police_clerk"], "/?view=all"))
    assert set(everything) == {transferred.number, not_filed.number, supervised.number}


def test_inbox_is_sorted_by_the_nearest_due_date_and_marks_overdue_and_due_soon(demo, client):
    with days_ago(40):
        overdue = case_in_state(demo, "transferred")          # 30-day written response, 10 days overdue
    with days_ago(6):
        soon = case_in_state(demo, "filing_review")           # 7-day filing review: due tomorrow
    fresh = case_in_state(demo, "transferred")                # due in 30 days
    no_deadline = case_in_state(demo, "investigating")        # nothing running: last
    response = page(client, demo["police_clerk"], "/")
    assert inbox_numbers(response) == [overdue.number, soon.number, fresh.number, no_deadline.number]
    rows = html(response).split('data-testid="inbox-row"')[1:]
    assert 'class="row-overdue"' in rows[0] and 'class="badge overdue"' in rows[0]
    assert 'class="row-soon"' in rows[1] and 'class="badge soon"' in rows[1]
    assert "badge overdue" not in rows[2] and "badge soon" not in rows[2]
    summary = re.search(r'data-testid="inbox-summary">(.*?)</p>', html(response), re.S).group(1)
    assert "badge overdue" in summary and "badge soon" in summary


def test_inbox_counts_states_and_searches_number_debtor_and_enforcement_number(demo, client):
    first = new_case(demo, debtor={"name": "韦某甲", "kind": "person"}, enforcement_case_number="（2025）桂0102执7001号")
    second = new_case(demo, debtor={"name": "陆某乙", "kind": "person"}, enforcement_case_number="（2025）桂0102执7002号")
    case_in_state(demo, "transferred")
    client.force_login(demo["enforcement_judge"])
    response = client.get("/")
    counts = re.search(r'data-testid="state-counts">(.*?)</ul>', html(response), re.S).group(1)
    with translation.override("zh-hans"):
        assert re.search(rf'{re.escape(str(CaseState.DRAFT.label))}</a> <span class="count">2<', counts)
        assert re.search(rf'{re.escape(str(CaseState.TRANSFERRED.label))}</a> <span class="count">1<', counts)
    assert inbox_numbers(client.get("/", {"q": "陆某乙"})) == [second.number]
    assert inbox_numbers(client.get("/", {"q": "执7001"})) == [first.number]
    assert inbox_numbers(client.get("/", {"q": first.number})) == [first.number]
    assert inbox_numbers(client.get("/", {"q": "无此人"})) == []
    assert set(inbox_numbers(client.get("/", {"view": "all", "state": "transferred"}))) == {
        Case.objects.get(state="transferred").number}
    # Nonsense filters are ignored, never an error.
    assert client.get("/", {"state": "nonsense", "view": "x" * 500}).status_code == 200


def test_inbox_query_count_does_not_grow_with_the_cases(demo, client):
    client.force_login(demo["police_clerk"])
    for _ in range(2):
        case_in_state(demo, "transferred")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(6):
        case_in_state(demo, "filing_review")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert len(inbox_numbers(response)) == 8
    assert len(many) == len(few)


def test_home_requires_login_and_keeps_the_identity(demo, client):
    assert client.get("/")["Location"].startswith("/accounts/login/")
    response = page(client, demo["police_investigator"], "/")
    assert 'data-testid="identity"' in html(response) and "南宁市公安局兴宁分局" in html(response)


# --- the transfer form --------------------------------------------------------------------------------------


def transfer_form(demo, **overrides):
    data = {
        "enforcement_case_number": "（2025）桂0102执0815号", "basis_document": "（2024）桂0102民初321号民事判决书",
        "amount_owed": "380000.00", "applicant_name": "广西南宁宏达建材有限公司", "applicant_kind": "entity",
        "applicant_user": "creditor", "debtor_name": "黄某某", "debtor_kind": "person",
        "police_agency": demo["police_clerk"].agency_id, "procuratorate": demo["procurator"].agency_id,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_transfer_form_prefills_the_courts_region(demo, client):
    response = page(client, demo["enforcement_judge"], "/cases/new/")
    text = html(response)
    police, procuratorate = demo["police_clerk"].agency, demo["procurator"].agency
    assert f'<option value="{police.pk}" selected data-region="450102">' in text
    assert f'<option value="{procuratorate.pk}" selected data-region="450102">' in text
    assert 'data-court-region="450102"' in text and 'name="executing_court"' not in text


def test_transfer_form_creates_a_draft_and_leads_to_the_checklist(demo, client):
    client.force_login(demo["enforcement_judge"])
    response = client.post("/cases/new/", transfer_form(demo))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/#checklist"
    assert case.state == "draft" and case.origin == "court" and case.applicant_user == demo["creditor"]
    assert case.applicant_kind == "entity" and str(case.amount_owed) == "380000.00"
    checklist = client.get(f"/cases/{case.pk}/")
    assert 'data-testid="checklist"' in html(checklist) and 'data-testid="file-identity"' in html(checklist)


@pytest.mark.parametrize(("field", "value"), [
    ("enforcement_case_number", ""),
    ("basis_document", ""),
    ("amount_owed", "-1"),
    ("amount_owed", "lots"),
    ("debtor_name", ""),
    ("applicant_name", ""),
    ("police_agency", "999999"),
    ("applicant_user", "nobody"),   # no creditor account: refused by the service, shown next to the field
])
def test_transfer_form_errors_stand_next_to_the_field(demo, client, field, value):
    client.force_login(demo["enforcement_judge"])
    response = client.post("/cases/new/", transfer_form(demo, **{field: value}))
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in html(response)
    assert not Case.objects.exists()


def test_another_regions_police_needs_the_art2_reason(demo, client):
    client.force_login(demo["enforcement_judge"])
    other = demo["police_clerk_2"].agency_id
    refused = client.post("/cases/new/", transfer_form(demo, police_agency=other))
    assert refused.status_code == 400 and 'data-testid="error-jurisdiction_reason"' in html(refused)
    assert not Case.objects.exists()
    client.post("/cases/new/", transfer_form(demo, police_agency=other, jurisdiction_reason="被执行人长期居住在青秀区"))
    case = Case.objects.get()
    assert case.cross_region and case.jurisdiction_reason == "被执行人长期居住在青秀区"


def test_procurator_and_creditor_start_cases_of_their_kind(demo, client):
    client.force_login(demo["procurator"])
    form = transfer_form(demo, procuratorate=None, executing_court=demo["enforcement_judge"].agency_id)
    assert client.post("/cases/new/", form).status_code == 302
    assert Case.objects.get().origin == Origin.PROCURATORATE
    assert Case.objects.get().procuratorate == demo["procurator"].agency

    client.force_login(demo["creditor"])
    assert 'name="police_agency"' not in html(client.get("/cases/new/"))
    form = transfer_form(demo, police_agency=None, procuratorate=None, applicant_user=None,
                         executing_court=demo["enforcement_judge"].agency_id)
    assert client.post("/cases/new/", form).status_code == 302
    mine = Case.objects.get(origin=Origin.CREDITOR)
    assert mine.applicant_user == demo["creditor"] and mine.police_agency is None


@pytest.mark.parametrize("username", ["police_clerk", "trial_judge", "filing_clerk", "discipline_officer"])
def test_roles_that_do_not_start_cases_are_refused(demo, client, username):
    client.force_login(demo[username])
    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", transfer_form(demo)).status_code == 403
    assert not Case.objects.exists()


def test_forms_need_the_csrf_token(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["enforcement_judge"])
    assert client.post("/cases/new/", transfer_form(demo)).status_code == 403
    assert not Case.objects.exists()
    case = case_in_state(demo, "draft")
    assert client.post(f"/cases/{case.pk}/transitions/cancel/", {"reason": "x"}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == "draft"


# --- evidence -----------------------------------------------------------------------------------------------


def test_checklist_uploads_fill_the_art4_categories_and_unlock_the_transfer(demo, client):
    case = new_case(demo)
    client.force_login(demo["enforcement_judge"])
    first = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="blocked-submit_transfer"' in first and 'data-testid="action-submit_transfer"' not in first
    for category in ("identity", "obligation", "ability", "refusal", "circumstances"):
        response = client.post(f"/cases/{case.pk}/evidence/", {
            "category": category, "slot": category, "title": "", "file": upload(f"{category}.pdf", category.encode())})
        assert response.status_code == 302 and response["Location"].endswith("#checklist")
    titles = set(case.evidence.values_list("title", flat=True))
    assert titles == {"identity.pdf", "obligation.pdf", "ability.pdf", "refusal.pdf", "circumstances.pdf"}
    after = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="action-submit_transfer"' in after
    assert Evidence.objects.get(case=case, category="identity").sha256 in after


def test_upload_errors_stand_next_to_the_field(demo, client):
    case = new_case(demo)
    client.force_login(demo["enforcement_judge"])
    no_file = client.post(f"/cases/{case.pk}/evidence/", {"category": "identity", "slot": "identity"})
    assert no_file.status_code == 400 and 'data-testid="error-file"' in html(no_file)
    empty = client.post(f"/cases/{case.pk}/evidence/", {"category": "identity", "slot": "general",
                                                        "file": upload(content=b"")})
    assert empty.status_code == 400 and 'data-testid="error-file"' in html(empty)
    bad_category = client.post(f"/cases/{case.pk}/evidence/", {"category": "nonsense", "slot": "general",
                                                               "file": upload()})
    assert bad_category.status_code == 400 and 'data-testid="error-category"' in html(bad_category)
    assert not case.evidence.exists()


def test_who_may_upload_and_download_evidence(demo, client):
    case = case_in_state(demo, "private_prosecution_advised")
    judges_material = case.evidence.first()
    # The police clerk may not add evidence; the other region's judge does not see the case at all.
    client.force_login(demo["police_clerk"])
    assert client.post(f"/cases/{case.pk}/evidence/", {"category": "other", "file": upload()}).status_code == 403
    client.force_login(demo["enforcement_judge_2"])
    assert client.post(f"/cases/{case.pk}/evidence/", {"category": "other", "file": upload()}).status_code == 404
    assert client.get(f"/cases/{case.pk}/evidence/{judges_material.pk}/").status_code == 404
    # The creditor adds Art. 13 materials only, and sees only its own or shared ones.
    client.force_login(demo["creditor"])
    refused = client.post(f"/cases/{case.pk}/evidence/", {"category": "ability", "slot": "general", "file": upload()})
    assert refused.status_code == 400 and 'data-testid="error-category"' in html(refused)
    ok = client.post(f"/cases/{case.pk}/evidence/", {"category": "complaint", "slot": "complaint",
                                                     "file": upload("诉状.pdf", b"complaint")})
    assert ok.status_code == 302
    own = case.evidence.get(category="complaint")
    download = client.get(f"/cases/{case.pk}/evidence/{own.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4\ncomplaint"
    assert "attachment" in download["Content-Disposition"]
    assert client.get(f"/cases/{case.pk}/evidence/{judges_material.pk}/").status_code == 404
    client.force_login(demo["enforcement_judge"])
    assert client.get(f"/cases/{case.pk}/evidence/{own.pk}/").status_code == 200


# --- the case page and its transitions --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_transition_form_asks_exactly_the_fields_of_its_api_body(name):
    assert set(transition_form_class(name)().fields) == set(input_serializer(name)().fields)


def test_case_page_offers_the_steps_of_this_user_and_no_other(demo, client):
    case = case_in_state(demo, "filing_review")
    investigator = html(page(client, demo["police_investigator"], f"/cases/{case.pk}/"))
    assert re.findall(r'data-testid="action-(\w+)"', investigator) == ["file_case", "decline_filing"]
    head = html(page(client, demo["police_head"], f"/cases/{case.pk}/"))
    # The head extends the review, and decides what the investigator proposes (procedure.md §3 "Approvals").
    assert re.findall(r'data-testid="action-(\w+)"', head) == ["extend_review", "file_case", "decline_filing"]
    judge = html(page(client, demo["enforcement_judge"], f"/cases/{case.pk}/"))
    assert re.findall(r'data-testid="action-(\w+)"', judge) == []
    assert 'data-testid="blocked-advise_private_prosecution"' in judge  # explained, not offered
    assert page(client, demo["police_investigator_2"], f"/cases/{case.pk}/").status_code == 404


def test_case_page_shows_deadlines_with_the_explanation_in_the_users_language(demo, client):
    case = case_in_state(demo, "filing_review")
    deadline = case.deadlines.get(kind="filing_review")
    zh = html(page(client, demo["police_investigator"], f"/cases/{case.pk}/"))
    assert deadline.due_date.isoformat() in zh and deadline.explanation in zh
    user = demo["police_investigator"]
    user.language = "en"
    user.save()
    en = html(page(client, user, f"/cases/{case.pk}/"))
    assert deadline.explanation_en in en and deadline.explanation not in en
    assert "Police reviewing whether to file" in en and "Decline to file" in en


def test_legal_bases_are_written_as_chinese_citations_on_chinese_pages(demo, client):
    case = case_in_state(demo, "filing_review")
    assert case.deadlines.get(kind="filing_review").legal_basis == "Opinions Art. 5 ¶2"
    zh = html(page(client, demo["police_investigator"], f"/cases/{case.pk}/"))
    assert "《意见》第5条第2款" in zh and "Opinions Art. 5" not in zh
    form = html(client.get(f"/cases/{case.pk}/transitions/decline_filing/"))
    assert "依据" in form and "《意见》第5条第2款；第7条" in form
    user = demo["police_investigator"]
    user.language = "en"
    user.save()
    assert "Opinions Art. 5 ¶2" in html(page(client, user, f"/cases/{case.pk}/"))


def test_transition_form_loads_as_a_fragment_for_htmx_and_as_a_page_otherwise(demo, client):
    case = case_in_state(demo, "filing_review")
    client.force_login(demo["police_investigator"])
    fragment = client.get(f"/cases/{case.pk}/transitions/decline_filing/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in html(fragment) and 'name="reason"' in html(fragment)
    full = client.get(f"/cases/{case.pk}/transitions/decline_filing/")
    assert full.status_code == 200 and "<html" in html(full) and 'name="reason"' in html(full)


def test_htmx_without_a_session_is_sent_whole_to_the_login_and_back_to_its_page(demo, client):
    case = case_in_state(demo, "filing_review")
    url = f"/cases/{case.pk}/transitions/decline_filing/"
    here = f"http://testserver/cases/{case.pk}/?tab=1"
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": here}
    for answer in (client.get(url, **htmx), client.post(url, {"reason": "理由"}, **htmx)):
        # Not a login page inside the panel: a 401 that sends the window to the login, back to the case page.
        assert answer.status_code == 401 and answer.content == b""
        assert answer["HX-Redirect"] == f"/accounts/login/?next=%2Fcases%2F{case.pk}%2F%3Ftab%3D1"
    # A page of another site is never where the login leads.
    elsewhere = client.post(url, {"reason": "x"}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/")
    assert elsewhere["HX-Redirect"] == "/accounts/login/?next=%2F"
    # Without a session and without the CSRF cookie (both gone): the same, not a CSRF error in the panel.
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(url, {"reason": "x"}, **htmx)
    assert refused.status_code == 401 and refused["HX-Redirect"].startswith("/accounts/login/?next=")
    # A plain request still gets the ordinary redirect; a logged-in htmx request its fragment.
    plain = client.get(url)
    assert plain.status_code == 302 and plain["Location"].startswith("/accounts/login/?next=")
    client.force_login(demo["police_head"])
    assert client.get(url, **htmx).status_code == 200
    assert Case.objects.get(pk=case.pk).state == "filing_review"


def test_a_missing_reason_is_an_error_next_to_the_field_and_changes_nothing(demo, client):
    case = case_in_state(demo, "filing_review")
    client.force_login(demo["police_investigator"])
    response = client.post(f"/cases/{case.pk}/transitions/decline_filing/", {"reason": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and 'data-testid="error-reason"' in html(response)
    assert Case.objects.get(pk=case.pk).state == "filing_review"


def test_a_step_fires_through_the_same_service_and_reports_back(demo, client):
    case = case_in_state(demo, "filing_review")
    client.force_login(demo["police_head"])
    response = client.post(f"/cases/{case.pk}/transitions/decline_filing/", {"reason": "证据不足", "note": "内部"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.state == "not_filed"
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.transition == "decline_filing" and event.payload["reason"] == "证据不足"
    assert event.actor == demo["police_head"]
    assert "non_filing_notice" in set(case.documents.values_list("kind", flat=True))
    followed = html(client.get(f"/cases/{case.pk}/"))
    with translation.override("zh-hans"):
        assert str(TRANSITION_LABELS["decline_filing"]) in followed  # the success message and the timeline


def test_without_htmx_a_step_redirects_to_the_case(demo, client):
    case = case_in_state(demo, "transferred")
    client.force_login(demo["police_clerk"])
    response = client.post(f"/cases/{case.pk}/transitions/accept/", {})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert Case.objects.get(pk=case.pk).state == "filing_review"


def test_the_wrong_role_is_refused_with_403_and_an_explanation(demo, client):
    case = case_in_state(demo, "filing_review")
    client.force_login(demo["police_clerk"])
    shown = client.get(f"/cases/{case.pk}/transitions/decline_filing/")
    assert shown.status_code == 403 and 'data-testid="refused"' in html(shown)
    posted = client.post(f"/cases/{case.pk}/transitions/decline_filing/", {"reason": "x"})
    assert posted.status_code == 403 and 'data-testid="refused"' in html(posted)
    assert Case.objects.get(pk=case.pk).state == "filing_review"


def test_the_wrong_state_is_refused_with_409_and_an_explanation(demo, client):
    case = case_in_state(demo, "transferred")
    client.force_login(demo["police_investigator"])
    response = client.post(f"/cases/{case.pk}/transitions/decline_filing/", {"reason": "x"})
    assert response.status_code == 409 and 'data-testid="refused"' in html(response)
    with translation.override("zh-hans"):
        assert str(CaseState.TRANSFERRED.label) in html(response)
    assert Case.objects.get(pk=case.pk).state == "transferred"


def test_an_unmet_legal_condition_is_explained(demo, client):
    case = new_case(demo)  # no evidence yet: Art. 4
    client.force_login(demo["enforcement_judge"])
    with translation.override("zh-hans"):
        why = unmet(case, "submit_transfer")[0]
    shown = client.get(f"/cases/{case.pk}/transitions/submit_transfer/")
    assert shown.status_code == 409 and 'data-testid="refused"' in html(shown) and why in html(shown)
    # Posted anyway: the service's evidence check answers 400, shown above the form.
    posted = client.post(f"/cases/{case.pk}/transitions/submit_transfer/", {})
    assert posted.status_code == 400 and 'data-testid="form-errors"' in html(posted) and why in html(posted)
    assert Case.objects.get(pk=case.pk).state == "draft"


def test_another_regions_case_and_unknown_steps_are_404(demo, client):
    case = case_in_state(demo, "filing_review")
    client.force_login(demo["police_investigator_2"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/transitions/decline_filing/").status_code == 404
    assert client.post(f"/cases/{case.pk}/transitions/decline_filing/", {"reason": "x"}).status_code == 404
    client.force_login(demo["police_investigator"])
    assert client.get(f"/cases/{case.pk}/transitions/fly_away/").status_code == 404
    assert client.get("/cases/999999/").status_code == 404


def test_indict_defaults_to_the_regions_court_and_needs_a_reason_for_another(demo, client):
    case = case_in_state(demo, "prosecution_review")
    client.force_login(demo["procurator"])
    form = html(client.get(f"/cases/{case.pk}/transitions/indict/"))
    court = demo["trial_judge"].agency
    assert f'<option value="{court.pk}" selected data-region="450102">' in form
    other = demo["trial_judge_2"].agency_id
    refused = client.post(f"/cases/{case.pk}/transitions/indict/", {"trial_court": other})
    assert refused.status_code == 400 and 'data-testid="error-trial_court"' in html(refused)
    assert Case.objects.get(pk=case.pk).state == "prosecution_review"
    # Custody is no form field (it follows the recorded measures): a posted value changes nothing.
    client.post(f"/cases/{case.pk}/transitions/indict/", {"trial_court": court.pk, "custody": "true"})
    case.refresh_from_db()
    assert case.state == "trial" and case.trial_court == court and case.custody is False


def test_judgment_and_supplement_forms_validate_their_choices(demo, client):
    trial = case_in_state(demo, "trial")
    client.force_login(demo["trial_judge"])
    bad = client.post(f"/cases/{trial.pk}/transitions/render_judgment/", {"outcome": "pardoned", "sentence": "x"})
    assert bad.status_code == 400 and 'data-testid="error-outcome"' in html(bad)
    ok = client.post(f"/cases/{trial.pk}/transitions/render_judgment/", {"outcome": "convicted", "sentence": "有期徒刑一年"})
    assert ok.status_code == 302 and Case.objects.get(pk=trial.pk).outcome == "convicted"

    review = case_in_state(demo, "private_filing_review")
    client.force_login(demo["filing_clerk"])
    none = client.post(f"/cases/{review.pk}/transitions/request_supplement/", {})
    assert none.status_code == 400 and 'data-testid="error-missing"' in html(none)
    client.post(f"/cases/{review.pk}/transitions/request_supplement/", {"missing": ["complaint", "other"]})
    event = CaseEvent.objects.filter(case=review).order_by("-seq").first()
    assert event.transition == "request_supplement" and event.payload["missing"] == ["complaint", "other"]


# --- the creditor -------------------------------------------------------------------------------------------


def test_creditor_sees_own_cases_in_plain_words_with_the_next_deadline(demo, client):
    mine = case_in_state(demo, "filing_review")
    other = case_in_state(demo, "filing_review", suffix="_2")  # creditor_2's case
    response = page(client, demo["creditor"], "/")
    text = html(response)
    assert mine.number in text and other.number not in text
    deadline = mine.deadlines.filter(met_at__isnull=True).order_by("due_date").first()
    card = text.split(f'data-case="{mine.number}"')[1]
    assert deadline.due_date.isoformat() in card
    with translation.override("zh-hans"):
        assert str(CaseState.FILING_REVIEW.label) in card
    assert page(client, demo["creditor"], f"/cases/{other.pk}/").status_code == 404


def test_creditor_case_page_hides_the_debtors_id_internal_notes_and_others_materials(demo, client):
    case = new_case(demo, internal_note="仅供内部参考")
    add_transfer_evidence(case, demo["enforcement_judge"])
    fire(case, "submit_transfer", demo["enforcement_judge"], note="内部备注甲")
    text = html(page(client, demo["creditor"], f"/cases/{case.pk}/"))
    assert case.debtor_name in text
    assert case.debtor_id_number not in text
    assert "仅供内部参考" not in text and "内部备注甲" not in text
    assert "identity 材料" not in text  # the judge's materials are not the creditor's
    judge = html(page(client, demo["enforcement_judge"], f"/cases/{case.pk}/"))
    assert case.debtor_id_number in judge and "仅供内部参考" in judge and "内部备注甲" in judge


def test_creditor_files_the_private_prosecution_from_the_art13_checklist(demo, client):
    case = case_in_state(demo, "private_prosecution_advised")
    client.force_login(demo["creditor"])
    home = html(client.get("/"))
    assert "my-turn" in home and "private_prosecution_notice" not in home
    assert f"/api/documents/{case.documents.get(kind='private_prosecution_notice').pk}/pdf/" in home
    before = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="checklist"' in before and 'data-testid="blocked-file_private_prosecution"' in before
    add_private_evidence(case, demo["creditor"])
    after = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="action-file_private_prosecution"' in after
    assert client.post(f"/cases/{case.pk}/transitions/file_private_prosecution/", {}).status_code == 302
    assert Case.objects.get(pk=case.pk).state == "private_filing_review"


def test_creditor_documents_are_only_those_addressed_to_them(demo, client):
    case = case_in_state(demo, "private_prosecution_advised")
    text = html(page(client, demo["creditor"], f"/cases/{case.pk}/"))
    assert 'data-testid="document-private_prosecution_notice"' in text
    assert 'data-testid="document-transfer_letter"' not in text
    judge = html(page(client, demo["enforcement_judge"], f"/cases/{case.pk}/"))
    assert 'data-testid="document-transfer_letter"' in judge


# --- notifications ------------------------------------------------------------------------------------------


def test_notifications_page_lists_marks_read_and_counts(demo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in_state(demo, "transferred")  # the police are told of the transfer
    client.force_login(demo["police_clerk"])
    inbox = html(client.get("/"))
    assert 'data-testid="notification"' in inbox and case.number in inbox
    assert re.search(r'data-testid="nav-notifications">[^<]*<span class="count"[^>]*>1<', inbox)
    listing = html(client.get("/notifications/"))
    notice = demo["police_clerk"].notifications.get()
    assert notice.title in listing
    opened = client.post(f"/notifications/{notice.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == f"/cases/{case.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'data-testid="no-notifications"' in html(client.get("/"))
    # Another user's notification is not there for this user.
    client.force_login(demo["police_investigator"])
    assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404
    assert client.post("/notifications/read-all/").status_code == 302
    assert not demo["police_investigator"].notifications.filter(read_at__isnull=True).exists()


# --- sub-procedure records and evidence copies --------------------------------------------------------------


def test_creditor_asks_for_copies_and_the_executing_court_shares_them(demo, client):
    from workflow.models.records import EvidenceCopyRequest

    case = case_in_state(demo, "private_filing_review")
    judges_material = case.evidence.filter(added_by=demo["enforcement_judge"]).first()
    client.force_login(demo["creditor"])
    assert 'data-testid="ask-copies"' in html(client.get(f"/cases/{case.pk}/"))
    empty = client.post(f"/cases/{case.pk}/copy-requests/", {"description": " "})
    assert empty.status_code == 400 and 'data-testid="error-description"' in html(empty)
    assert client.post(f"/cases/{case.pk}/copy-requests/", {"description": "执行中查明的银行流水"}).status_code == 302
    request = EvidenceCopyRequest.objects.get(case=case)
    assert client.get(f"/cases/{case.pk}/evidence/{judges_material.pk}/").status_code == 404

    # Only the executing court answers; a police clerk of the case is refused.
    client.force_login(demo["police_clerk"])
    refused = client.post(f"/cases/{case.pk}/copy-requests/{request.pk}/answer/", {"note": "x"})
    assert refused.status_code == 403
    client.force_login(demo["enforcement_judge"])
    page_html = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="answer-copy-request"' in page_html
    nothing = client.post(f"/cases/{case.pk}/copy-requests/{request.pk}/answer/", {"note": ""})
    assert nothing.status_code == 400 and 'data-testid="error-evidence"' in html(nothing)
    shared = client.post(f"/cases/{case.pk}/copy-requests/{request.pk}/answer/",
                         {"evidence": [str(judges_material.pk)], "note": "已提供"})
    assert shared.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered"

    client.force_login(demo["creditor"])
    creditor_page = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="shared-material"' in creditor_page and judges_material.title in creditor_page
    assert client.get(f"/cases/{case.pk}/evidence/{judges_material.pk}/").status_code == 200


def test_a_copy_request_outside_the_private_prosecution_is_refused(demo, client):
    case = case_in_state(demo, "filing_review")
    client.force_login(demo["creditor"])
    assert 'data-testid="ask-copies"' not in html(client.get(f"/cases/{case.pk}/"))
    response = client.post(f"/cases/{case.pk}/copy-requests/", {"description": "x"})
    assert response.status_code == 409 and 'data-testid="refused"' in html(response)


def test_case_page_lists_the_sub_procedure_records_each_may_see(demo, client):
    from workflow.records import services as record_services

    case = case_in_state(demo, "investigating")
    investigator = demo["police_investigator"]
    record_services.arrest_request_create(case_id=case.pk, actor=investigator, grounds="有转移财产、逃避执行的可能",
                                          detained=False)
    record_services.warning_create(case_id=case.pk, actor=demo["enforcement_judge"], content="限期履行")
    officer = html(page(client, demo["procurator"], f"/cases/{case.pk}/"))
    assert 'data-testid="records-arrest"' in officer and "有转移财产、逃避执行的可能" in officer
    assert 'data-testid="records-warnings"' in officer and "限期履行" in officer
    creditor = html(page(client, demo["creditor"], f"/cases/{case.pk}/"))
    assert 'data-testid="records-warnings"' in creditor
    assert 'data-testid="records-arrest"' not in creditor and "有转移财产" not in creditor


def test_acting_on_a_case_marks_its_notices_read(demo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in_state(demo, "transferred")
    clerk = demo["police_clerk"]
    assert clerk.notifications.filter(case=case, read_at__isnull=True).exists()
    client.force_login(clerk)
    client.post(f"/cases/{case.pk}/transitions/accept/", {})
    assert not clerk.notifications.filter(case=case, read_at__isnull=True).exists()
    # Someone else's notices stay as they are.
    assert demo["police_investigator"].notifications.filter(case=case, read_at__isnull=True).exists()


def test_each_record_form_asks_exactly_the_fields_of_its_api_body():
    from workflow.api.record_answers import RecordActionApi
    from workflow.api.records import CaseRecordApi
    from workflow.pages.forms import record_form_class
    from workflow.pages.labels import ANSWER_LABELS, RECORD_LABELS
    from workflow.records.inputs import ANSWER_INPUTS, RECORD_INPUTS

    # Every record and answer a page offers is one the API takes, with the same input serializer as its body.
    assert set(RECORD_LABELS) <= {api.record for api in CaseRecordApi.__subclasses__()}
    assert set(ANSWER_LABELS) <= {api.answer for api in RecordActionApi.__subclasses__()}
    offered = [*((key, RECORD_INPUTS[key]) for key in RECORD_LABELS),
               *((key, ANSWER_INPUTS[key]) for key in ANSWER_LABELS)]
    for key, body in offered:
        assert set(record_form_class(key, body)().fields) == set(body().fields), key


def test_investigator_requests_an_arrest_and_the_procurator_decides_it(demo, client):
    from workflow.models.records import ArrestRequest

    case = case_in_state(demo, "investigating")
    client.force_login(demo["police_investigator"])
    page_html = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="record-arrest_request"' in page_html and 'data-testid="record-coercive_measure"' in page_html
    form = client.get(f"/cases/{case.pk}/records/arrest_request/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "<html" not in html(form) and 'name="grounds"' in html(form)
    missing = client.post(f"/cases/{case.pk}/records/arrest_request/", {"grounds": ""})
    assert missing.status_code == 400 and 'data-testid="error-grounds"' in html(missing)
    done = client.post(f"/cases/{case.pk}/records/arrest_request/", {"grounds": "有逃跑可能", "detained": "false"},
                       HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done["HX-Redirect"] == f"/cases/{case.pk}/#records"
    request = ArrestRequest.objects.get(case=case)
    assert request.grounds == "有逃跑可能" and request.suspect_name == case.debtor_name

    client.force_login(demo["procurator"])
    inbox = html(client.get("/"))
    assert 'data-testid="pending-arrest_requests"' in inbox and 'data-testid="answer-decide_arrest_request"' in inbox
    url = f"/records/decide_arrest_request/{request.pk}/"
    assert 'data-testid="record-summary"' in html(client.get(url))
    bad = client.post(url, {"decision": "maybe"})
    assert bad.status_code == 400 and 'data-testid="error-decision"' in html(bad)
    assert client.post(url, {"decision": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.decision == "approve" and request.decided_by == demo["procurator"]
    again = client.post(url, {"decision": "deny", "reason": "x"})
    assert again.status_code == 409 and 'data-testid="refused"' in html(again)


@pytest.mark.parametrize(("username", "status"), [("creditor", 403), ("police_clerk", 403), ("procurator", 403),
                                                  ("police_investigator_2", 404)])
def test_records_are_refused_to_those_the_table_does_not_name(demo, client, username, status):
    from workflow.models.records import ArrestRequest

    case = case_in_state(demo, "investigating")
    client.force_login(demo[username])
    assert client.get(f"/cases/{case.pk}/records/arrest_request/").status_code == status
    assert client.post(f"/cases/{case.pk}/records/arrest_request/", {"grounds": "x"}).status_code == status
    assert not ArrestRequest.objects.exists()
    assert client.get(f"/cases/{case.pk}/records/no_such_record/").status_code == 404


def test_a_referral_reaches_the_discipline_commission_which_acknowledges_without_seeing_the_case(
        demo, client, django_capture_on_commit_callbacks):
    from workflow.models.records import ObstructionReferral

    case = case_in_state(demo, "transferred")
    discipline = demo["discipline_officer"].agency
    client.force_login(demo["enforcement_judge"])
    form = html(client.get(f"/cases/{case.pk}/records/obstruction_referral/"))
    assert f'<option value="{discipline.pk}" selected' in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.pk}/records/obstruction_referral/", {
            "receiver": discipline.pk, "official_name": "某局干部", "conduct": "打招呼阻挠查封"})
    referral = ObstructionReferral.objects.get()
    # Told of it, but not linked to a case page it may not open.
    client.force_login(demo["discipline_officer"])
    notices = html(client.get("/notifications/"))
    assert 'data-testid="notification"' in notices and f"/cases/{case.pk}/" not in notices
    notice = demo["discipline_officer"].notifications.get()
    assert client.post(f"/notifications/{notice.pk}/read/", {"open": "1"})["Location"] == "/notifications/"

    client.force_login(demo["discipline_officer_2"])
    assert client.get(f"/records/acknowledge_obstruction_referral/{referral.pk}/").status_code == 404
    client.force_login(demo["discipline_officer"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404  # the case stays out of sight
    inbox = html(client.get("/"))
    assert 'data-testid="pending-obstruction_referrals"' in inbox
    assert 'data-testid="tab-all"' not in inbox  # a commission holds no case: no case lists to show
    shown = html(client.get(f"/records/acknowledge_obstruction_referral/{referral.pk}/"))
    assert "打招呼阻挠查封" in shown and "某局干部" in shown
    done = client.post(f"/records/acknowledge_obstruction_referral/{referral.pk}/", {"note": "已收到"})
    assert done.status_code == 302 and done["Location"] == "/"
    referral.refresh_from_db()
    assert referral.acknowledged_by == demo["discipline_officer"]
    assert 'data-testid="pending-obstruction_referrals"' not in html(client.get("/"))


def test_the_trial_judge_preserves_and_releases_property_in_a_private_trial(demo, client):
    from workflow.models.records import PropertyControl

    case = case_in_state(demo, "private_trial")
    client.force_login(demo["trial_judge"])
    bad = client.post(f"/cases/{case.pk}/records/property_control/", {"measure": "freeze", "description": "",
                                                                      "amount": "-3"})
    assert bad.status_code == 400
    assert 'data-testid="error-description"' in html(bad) and 'data-testid="error-amount"' in html(bad)
    client.post(f"/cases/{case.pk}/records/property_control/", {"measure": "freeze", "description": "银行存款",
                                                                 "amount": "50000", "controlled_on": "2026-01-05"})
    control = PropertyControl.objects.get()
    assert str(control.amount) == "50000.00" and control.controlled_on.isoformat() == "2026-01-05"
    page_html = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-testid="answer-release_property"' in page_html
    assert client.post(f"/records/release_property/{control.pk}/", {"reason": "已履行"}).status_code == 302
    control.refresh_from_db()
    assert control.status == "released"


def test_the_inbox_marks_the_cases_in_which_my_role_takes_the_next_step(demo, client):
    private = case_in_state(demo, "private_filing_review")
    trial = case_in_state(demo, "trial")
    for username, mine, other in (("filing_clerk", private, trial), ("trial_judge", trial, private)):
        rows = html(page(client, demo[username], "/")).split('data-testid="inbox-row"')[1:]
        row_of = {re.search(r'data-case="([^"]+)"', r).group(1): r for r in rows}
        assert 'data-testid="for-me"' in row_of[mine.number]
        assert 'data-testid="for-me"' not in row_of[other.number]
