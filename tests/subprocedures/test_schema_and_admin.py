"""The record endpoints are described in the OpenAPI schema; the admin shows the records read-only."""

from workflow.management.demo import seed_cases

RECORD_PATHS = [
    "/api/cases/{id}/arrest-requests/", "/api/arrest-requests/{id}/decision/", "/api/cases/{id}/coercive-measures/",
    "/api/coercive-measures/{id}/end/", "/api/cases/{id}/property-controls/", "/api/property-controls/{id}/release/",
    "/api/property-controls/{id}/hand-over/", "/api/cases/{id}/warnings/", "/api/cases/{id}/performances/",
    "/api/cases/{id}/evidence-copy-requests/", "/api/evidence-copy-requests/{id}/answer/",
    "/api/cases/{id}/locate-requests/", "/api/locate-requests/{id}/answer/",
    "/api/cases/{id}/obstruction-referrals/", "/api/obstruction-referrals/{id}/acknowledge/",
    "/api/joint-meetings/", "/api/supervision-ledger/", "/api/supervision-ledger/csv/",
    "/api/supervision-ledger/xlsx/", "/api/cases/{id}/private-checklist/", "/api/evidence/{id}/file/",
]


def test_openapi_describes_the_record_endpoints(demo, as_user):
    response = as_user(demo["procurator"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in RECORD_PATHS:
        assert path in schema["paths"], path
    create = schema["paths"]["/api/cases/{id}/arrest-requests/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(create["responses"])
    body = schema["components"]["schemas"][create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                                           .rsplit("/", 1)[1]]
    assert "grounds" in body["required"]


def test_admin_lists_the_records_read_only(demo, admin_client):
    seed_cases()
    for model in ("arrestrequest", "coercivemeasure", "propertycontrol", "warning", "performance",
                  "evidencecopyrequest", "locaterequest", "obstructionreferral", "jointmeeting"):
        listing = admin_client.get(f"/admin/workflow/{model}/")
        assert listing.status_code == 200, model
        assert admin_client.get(f"/admin/workflow/{model}/add/").status_code == 403, model


def test_notifications_of_the_records_carry_a_kind_the_schema_documents(demo, as_user,
                                                                       django_capture_on_commit_callbacks):
    from workflow.models import Notification
    from workflow.notifications.texts import RECORD_TEXTS

    with django_capture_on_commit_callbacks(execute=True):
        seed_cases()  # the demo cases include records that notify other agencies
    procurator = as_user(demo["procurator"])
    schema = procurator.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    kind = schema["components"]["schemas"]["NotificationOutput"]["properties"]["kind"]
    ref = kind["allOf"][0]["$ref"] if "allOf" in kind else kind["$ref"]
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert set(RECORD_TEXTS) <= set(enum)
    sent = set(Notification.objects.values_list("kind", flat=True))
    assert sent & set(RECORD_TEXTS), "the demo records notified no one"
    assert sent <= set(enum)
