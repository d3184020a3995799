"""A notification is stored as its text id and parameters and read in the reader's language (api.md conventions):
through the API, on the pages and in the e-mail, whatever language it was written in."""

from tests.casebuilder import case_in_state, fire
from workflow.models import Notification
from workflow.notifications.services import notify
from workflow.records.services import locate_request_create


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def first(client, **headers):
    return client.get("/api/notifications/", **headers).json()["results"][0]


def told(demo, capture, reader, language, state, name, actor, **body):
    """`reader` speaks `language`; a case in `state` takes `name` by `actor`, the notices written on commit."""
    speaks(demo[reader], language)
    case = case_in_state(demo, state)
    with capture(execute=True):
        fire(case, name, demo[actor], **body)
    return case


def test_a_notice_written_for_a_chinese_reader_is_read_in_english_after_they_switch(
        demo, as_user, django_capture_on_commit_callbacks):
    creditor = demo["creditor"]
    case = told(demo, django_capture_on_commit_callbacks, "creditor", "zh-hans", "filing_review", "decline_filing",
                "police_head", reason="证据不足")
    stored = Notification.objects.get(recipient=creditor)
    # Vocabulary is kept as codes, not as the words of the language it was written in.
    assert stored.text_id == "case_news"
    assert stored.params["state"] == "not_filed" and stored.params["transition"] == "decline_filing"

    client = as_user(creditor)
    chinese = first(client)
    assert chinese["title"] == f"您的案件{case.number}：公安机关不予立案"
    assert chinese["body"].startswith("公安机关决定不予立案。") and "立案监督" in chinese["body"]

    speaks(creditor, "en")
    english = first(client)
    assert english["title"] == f"Your case {case.number}: Police declined to file"
    assert english["body"] == ("The police have decided not to file the case. You may ask the procuratorate to "
                               "supervise the police's decision not to file (CPL Art. 113).")


def test_a_notice_written_for_an_english_reader_follows_the_browser_once_they_choose_no_language(
        demo, as_user, django_capture_on_commit_callbacks):
    judge = demo["enforcement_judge"]
    case = told(demo, django_capture_on_commit_callbacks, "enforcement_judge", "en", "transferred", "accept",
                "police_clerk")
    client = as_user(judge)
    assert first(client)["title"] == f"The police have accepted the transfer of the case. Case {case.number}"

    speaks(judge, "")
    assert first(client, HTTP_ACCEPT_LANGUAGE="zh-hans")["title"] == f"公安机关已接受案件移送。案件{case.number}"
    body = first(client, HTTP_ACCEPT_LANGUAGE="en")["body"]
    assert body.endswith("The case is now: Police reviewing whether to file.")


def test_a_sub_procedure_notice_is_chinese_for_a_chinese_reader(demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "trial")
    investigator = demo["police_investigator"]
    speaks(investigator, "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        locate_request_create(case_id=case.pk, actor=demo["trial_judge"])
    chinese = first(as_user(investigator))
    assert chinese["title"] == f"协助查找被告人：案件{case.number}"
    assert "下落不明的被告人张伟" in chinese["body"]
    speaks(investigator, "en")
    assert first(as_user(investigator))["title"] == f"Help to locate a defendant: case {case.number}"


def test_the_notifications_page_shows_the_notice_in_the_pages_language(
        demo, client, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "private_filing_review")
    speaks(demo["creditor"], "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "request_supplement", demo["filing_clerk"], missing=["complaint"])
    client.force_login(demo["creditor"])
    page = client.get("/notifications/").content.decode()
    assert f"材料不全：案件{case.number}" in page
    speaks(demo["creditor"], "en")
    page = client.get("/notifications/").content.decode()
    assert f"Materials missing: case {case.number}" in page and "Criminal complaint (self-accusation)" in page


def test_a_notification_stored_before_text_ids_shows_its_stored_text(demo, as_user):
    Notification.objects.create(recipient=demo["police_clerk"], event_key="old", kind="transfer_received",
                                title="移送已收到：案件A", body="旧的通知正文")
    shown = first(as_user(demo["police_clerk"]), HTTP_ACCEPT_LANGUAGE="en")
    assert (shown["title"], shown["body"]) == ("移送已收到：案件A", "旧的通知正文")


def test_deadline_kind_and_basis_are_named_in_the_readers_language(demo, as_user):
    clerk = demo["police_clerk"]
    notify(recipients=[clerk], event_key="w", kind="deadline_warning", text_id="deadline_warning",
           params={"number": "N1", "debtor": "张伟", "agency": "某公安局", "due": "2026-03-09",
                   "basis": "Opinions Art. 5 ¶2", "deadline_kind": "filing_review"})
    speaks(clerk, "en")
    english = first(as_user(clerk))
    assert english["title"] == "Deadline approaching: Filing review, case N1"
    assert english["body"].endswith("Basis: Opinions Art. 5 ¶2.")
    speaks(clerk, "zh-hans")
    assert "《意见》第5条第2款" in first(as_user(clerk))["body"]
