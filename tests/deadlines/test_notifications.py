"""Transitions that tell another organ something write their notices in their own transaction and e-mail them
after the commit; the user's notification API."""

import pytest
from django.core import mail

from outbox.models import Job
from tests.casebuilder import add_private_evidence, add_transfer_evidence, case_in_state, fire, new_case
from workflow.deadlines.sweep import sweep_deadlines
from workflow.models import CaseEvent, Notification
from workflow.notifications.services import notify, notify_transition
from workflow.records.services import locate_request_create


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_transfer_writes_its_notices_in_its_transaction_and_emails_them_after_the_commit(
        demo, eager_celery, django_capture_on_commit_callbacks):
    case = new_case(demo)
    add_transfer_evidence(case, demo["enforcement_judge"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fire(case, "submit_transfer", demo["enforcement_judge"])
    # Committed with its notices; the e-mails wait in the outbox until the commit hands them to a worker.
    assert notified("transfer_received") == ["police_clerk", "police_head", "police_investigator"]
    assert notified("case_news") == ["creditor"]  # procedure.md §3: the creditor hears of every change of state
    assert callbacks and not mail.outbox
    emailing = Job.objects.get(name="workflow.tasks.send_notification_emails_task")
    assert emailing.done_at is None
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    notice = Notification.objects.filter(kind="transfer_received").first()
    assert notice.case == case and case.number in notice.title and notice.event_key.startswith("event:")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        demo[u].email for u in ("creditor", "police_clerk", "police_head", "police_investigator"))
    emailing.refresh_from_db()
    assert emailing.done_at is not None and emailing.attempts == 1


def test_the_same_transition_event_never_notifies_twice(demo, eager_celery, django_capture_on_commit_callbacks):
    case = new_case(demo)
    add_transfer_evidence(case, demo["enforcement_judge"])
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "submit_transfer", demo["enforcement_judge"])
    event = CaseEvent.objects.get(case=case, transition="submit_transfer")
    with django_capture_on_commit_callbacks(execute=True):
        notify_transition(case_id=case.pk, name="submit_transfer", event_id=event.pk)  # a retry
    assert Notification.objects.count() == 4 and len(mail.outbox) == 4  # the police and the creditor, once


@pytest.mark.parametrize(("state", "name", "actor", "data", "kind", "expected"), [
    ("supervision_requested", "request_explanation", "procurator", {}, "explanation_requested",
     ["police_clerk", "police_head", "police_investigator"]),
    ("not_filed", "request_supervision", "enforcement_judge", {"reason": "应当立案"}, "supervision_requested",
     ["procurator", "procurator_general"]),
    ("private_prosecution_advised", "file_private_prosecution", "creditor", {}, "private_prosecution_filed",
     ["filing_clerk"]),
    ("private_filing_review", "request_supplement", "filing_clerk", {"missing": ["complaint", "other"]},
     "supplement_requested", ["creditor"]),
])
def test_transitions_that_notify(demo, eager_celery, django_capture_on_commit_callbacks, state, name, actor, data,
                                 kind, expected):
    case = case_in_state(demo, state)
    if name == "file_private_prosecution":
        add_private_evidence(case, demo["creditor"])
    demo["creditor"].language = "en"
    demo["creditor"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, name, demo[actor], **data)
    assert notified(kind) == expected
    # Nobody else, in particular not the other region; the creditor hears of the change of state in plain words.
    told = sorted({*expected, "creditor"} - {actor})
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == told
    assert sorted(m.to[0] for m in mail.outbox) == sorted(demo[u].email for u in told)
    if name == "request_supplement":
        body = Notification.objects.get(kind=kind).body
        assert "Criminal complaint (self-accusation)" in body and "Other material" in body


def test_emails_never_handed_to_a_worker_are_sent_by_the_next_sweep(demo, django_capture_on_commit_callbacks):
    """A transition committed while no worker took its e-mails (its commit hooks never ran): the sweep sends them."""
    case = new_case(demo)
    add_transfer_evidence(case, demo["enforcement_judge"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):
        fire(case, "submit_transfer", demo["enforcement_judge"])
    case.refresh_from_db()
    police = ["police_clerk", "police_head", "police_investigator"]
    assert case.state == "transferred" and notified("transfer_received") == police
    assert not mail.outbox and Notification.objects.filter(emailed_at__isnull=True).count() == 4
    assert sweep_deadlines().emailed == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(demo[u].email for u in [*police, "creditor"])


def test_an_agency_without_the_role_a_notice_names_still_hears_of_it(demo, django_capture_on_commit_callbacks):
    """One rule for transitions and records: the users holding the role, else every active user of the agency."""
    case = case_in_state(demo, "private_prosecution_advised")
    add_private_evidence(case, demo["creditor"])
    demo["filing_clerk"].is_active = False
    demo["filing_clerk"].save()
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "file_private_prosecution", demo["creditor"])
    assert notified("private_prosecution_filed") == ["enforcement_judge", "trial_judge"]

    case = case_in_state(demo, "trial")
    demo["police_investigator"].is_active = False
    demo["police_investigator"].save()
    with django_capture_on_commit_callbacks(execute=True):
        locate_request_create(case_id=case.pk, actor=demo["trial_judge"])
    assert notified("locate_request") == ["police_clerk", "police_head"]
    notice = Notification.objects.filter(kind="locate_request").first()
    assert notice.event_key.startswith("event:") and case.number in notice.title


def test_transitions_that_tell_nobody_write_nothing(demo, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "filing_review")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "extend_review", demo["police_head"], reason="案情重大复杂")
    assert not Notification.objects.exists()  # the police's own extension changes no state and decides nothing


def _note(user, key, title="t"):
    notify(recipients=[user], event_key=key, kind="transfer_received", text_id="transfer_received",
           params={"number": title, "debtor": "张伟", "creditor": "", "sender": "某法院", "missing": ""})
    return Notification.objects.get(recipient=user, event_key=key)


def test_the_list_is_the_users_own_newest_first_with_the_unread_count(demo, travel, as_user):
    clerk = demo["police_clerk"]
    travel("2026-03-02")
    first = _note(clerk, "a", "A1")
    travel("2026-03-03")
    second = _note(clerk, "b", "B2")
    _note(demo["police_clerk_2"], "a", "other")
    client = as_user(clerk)
    body = client.get("/api/notifications/").json()
    assert [n["id"] for n in body["results"]] == [second.pk, first.pk]
    assert body["count"] == 2 and body["unread"] == 2
    assert set(body["results"][0]) >= {"id", "kind", "title", "body", "case", "created_at", "read_at", "read"}

    read = client.post(f"/api/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
    assert client.get("/api/notifications/").json()["unread"] == 1
    assert [n["id"] for n in client.get("/api/notifications/?unread=true").json()["results"]] == [second.pk]
    assert [n["id"] for n in client.get("/api/notifications/?unread=false").json()["results"]] == [first.pk]
    again = client.post(f"/api/notifications/{first.pk}/read/")
    assert again.json()["read_at"] == read.json()["read_at"]  # reading twice keeps the first time

    everything = client.post("/api/notifications/read-all/").json()
    assert everything == {"marked": 1, "unread": 0}
    assert as_user(demo["police_clerk_2"]).get("/api/notifications/").json()["unread"] == 1


def test_another_users_notification_is_404(demo, as_user):
    theirs = _note(demo["police_clerk_2"], "x")
    client = as_user(demo["police_clerk"])
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post("/api/notifications/999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bad_filter_is_400_and_login_is_required(demo, as_user, api):
    assert "unread" in as_user(demo["creditor"]).get("/api/notifications/?unread=sometimes").json()
    assert api.get("/api/notifications/").status_code == 401
    assert api.post("/api/notifications/read-all/").status_code == 401


def test_the_list_is_paginated(demo, as_user):
    for i in range(55):
        _note(demo["creditor"], f"k{i}")
    body = as_user(demo["creditor"]).get("/api/notifications/").json()
    assert body["count"] == 55 and len(body["results"]) == 50 and body["next"] and body["unread"] == 55


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_the_email_goes_out_in_the_recipients_language_at_sending(
        demo, settings, eager_celery, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.deadlines.mail.UnreachableBackend"  # the first attempt fails
    case = case_in_state(demo, "filing_review")
    speaks(demo["creditor"], "zh-hans")
    speaks(demo["enforcement_judge"], "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "file_case", demo["police_head"])
    assert not mail.outbox
    speaks(demo["creditor"], "en")  # the creditor switches before the e-mail goes out
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep_deadlines().emailed == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address[demo["creditor"].email]
    assert english.subject == f"Your case {case.number}: Under investigation"
    assert english.body.startswith("The police have filed the case for investigation.")
    chinese = by_address[demo["enforcement_judge"].email]
    assert chinese.subject == f"公安机关已立案侦查。案件{case.number}"
