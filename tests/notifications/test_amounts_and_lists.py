"""Notifications write amounts as pages and letters do (¥250,000.00) and list items with the reader's joiner:
、 in Chinese, ", " in English."""

from tests.casebuilder import case_in_state, fire
from workflow.models import Notification


def read(as_user, notification, language):
    client = as_user(notification.recipient)
    results = client.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    return next(item for item in results if item["id"] == notification.pk)


def test_a_performance_is_told_in_yuan_with_the_sign_and_separators(demo, as_user,
                                                                     django_capture_on_commit_callbacks):
    case = case_in_state(demo, "investigating")
    judge = as_user(demo["enforcement_judge"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = judge.post(f"/api/cases/{case.pk}/performances/", {"kind": "payment", "amount": "250000.00"},
                            format="json")
    assert answer.status_code == 201, answer.json()
    notice = Notification.objects.filter(case=case, text_id="performance").first()
    assert notice is not None
    chinese = read(as_user, notice, "zh-hans")["body"]
    assert "已执行到位¥250,000.00" in chinese and "应履行¥1,250,000.00" in chinese
    english = read(as_user, notice, "en")["body"]
    assert "¥250,000.00 recovered of ¥1,250,000.00" in english


def test_missing_materials_are_listed_with_the_readers_joiner(demo, as_user, django_capture_on_commit_callbacks):
    case = case_in_state(demo, "private_filing_review")
    with django_capture_on_commit_callbacks(execute=True):
        fire(case, "request_supplement", demo["filing_clerk"], missing=["complaint", "other"])
    notice = Notification.objects.get(case=case, recipient=demo["creditor"], text_id="supplement_requested")
    chinese = read(as_user, notice, "zh-hans")["body"]
    assert "刑事自诉状、其他材料" in chinese
    english = read(as_user, notice, "en")["body"]
    assert "Criminal complaint (self-accusation), Other material" in english
