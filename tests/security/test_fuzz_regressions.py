"""What the schema fuzzing (test_fuzz.py) found, each reproduced: the API answers in api.md's shapes and the
OpenAPI schema documents what the API really answers."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.casebuilder import case_in_state


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def responses(openapi, path: str, method: str) -> dict:
    return openapi["paths"][path][method]["responses"]


def resolve(openapi, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def json_schema(openapi, path: str, method: str, status: str) -> dict:
    return resolve(openapi, responses(openapi, path, method)[status]["content"]["application/json"]["schema"])


@pytest.mark.parametrize("url", ["/api/cases/%C3%BC/", "/api/cases/-1/records/", "/api/documents/x/pdf/",
                                 "/api/no-such-thing/"])
def test_an_api_url_that_matches_no_route_is_a_json_404(demo, as_user, url):
    response = as_user(demo["enforcement_judge"]).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_page_url_that_matches_no_route_is_still_an_html_404(demo, client):
    client.force_login(demo["enforcement_judge"])
    response = client.get("/cases/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_filter_is_400_and_documented(demo, as_user, openapi):
    response = as_user(demo["enforcement_judge"]).get("/api/agencies/", {"kind": "-Infinity"})
    assert response.status_code == 400 and "kind" in response.json()
    for path in ("/api/agencies/", "/api/cases/", "/api/deadlines/", "/api/notifications/", "/api/stats/",
                 "/api/supervision-ledger/csv/"):
        assert "400" in responses(openapi, path, "get"), path


def test_an_unknown_id_is_404_and_documented(demo, as_user, openapi):
    client = as_user(demo["enforcement_judge"])
    assert client.get("/api/cases/999999/").status_code == 404
    assert client.get("/api/cases/999999/documents/").status_code == 404
    assert client.post("/api/notifications/999999/read/").status_code == 404
    for path, method in [("/api/cases/{id}/", "get"), ("/api/cases/{id}/documents/", "get"),
                         ("/api/documents/{id}/pdf/", "get"), ("/api/notifications/{id}/read/", "post"),
                         ("/api/cases/{id}/evidence/", "post"), ("/api/joint-meetings/{id}/", "patch")]:
        assert json_schema(openapi, path, method, "404")["required"] == ["detail"], (path, method)


def test_a_rejected_create_is_400_and_documented(demo, as_user, openapi):
    response = as_user(demo["enforcement_judge"]).post("/api/cases/", {"amount_owed": "-1"}, format="json")
    assert response.status_code == 400 and "enforcement_case_number" in response.json()
    assert {"201", "400", "401"} <= set(responses(openapi, "/api/cases/", "post"))


def test_the_token_endpoint_documents_its_refusals(demo, api, openapi):
    response = api.post("/api/auth/token/", {"username": "police_clerk", "password": "wrong"}, format="json")
    assert response.status_code == 400
    documented = responses(openapi, "/api/auth/token/", "post")
    assert {"200", "400", "429"} <= set(documented)
    assert "401" not in documented  # no login is needed to get a token


def test_the_due_date_400_is_documented_for_field_errors_too(demo, as_user, openapi):
    response = as_user(demo["enforcement_judge"]).get("/api/calendar/due-date/", {"start": "2026-03-02"})
    assert response.status_code == 400 and "days" in response.json() and "detail" not in response.json()
    schema = json_schema(openapi, "/api/calendar/due-date/", "get", "400")
    assert schema["type"] == "object" and "required" not in schema


@pytest.mark.parametrize("path", ["/api/arrest-requests/", "/api/joint-meetings/", "/api/supervision-ledger/",
                                  "/api/cases/{id}/arrest-requests/", "/api/locate-requests/",
                                  "/api/obstruction-referrals/", "/api/evidence-copy-requests/"])
def test_hand_paginated_lists_are_documented_as_pages(openapi, path):
    schema = json_schema(openapi, path, "get", "200")
    assert set(schema["properties"]) == {"count", "next", "previous", "results"}
    assert schema["properties"]["results"]["type"] == "array"
    operation = openapi["paths"][path]["get"]
    assert operation["operationId"].endswith("_list")
    assert "page" in {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert "404" in operation["responses"]  # a page beyond the last


def test_a_hand_paginated_list_answers_a_page(demo, as_user):
    case = case_in_state(demo, "investigating")
    police = as_user(demo["police_investigator"])
    assert police.post(f"/api/cases/{case.pk}/arrest-requests/", {"grounds": "有逃跑可能", "detained": False},
                       format="json").status_code == 201
    for url in ("/api/arrest-requests/", f"/api/cases/{case.pk}/arrest-requests/"):
        body = as_user(demo["procurator"]).get(url).json()
        assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1
        assert as_user(demo["procurator"]).get(url, {"page": 9}).status_code == 404


BEYOND_ANY_ID = 293619557281089833865159987167232  # larger than a 64-bit integer: the database cannot take it


def test_an_id_beyond_any_row_in_a_list_is_400_naming_the_field(demo, as_user):
    judge = as_user(demo["enforcement_judge"])
    created = judge.post("/api/joint-meetings/", {"held_on": "2026-03-02", "title": "联席会议",
                                                  "cases": [BEYOND_ANY_ID]}, format="json")
    assert created.status_code == 400 and str(BEYOND_ANY_ID) in created.json()["cases"][0]
    meeting = judge.post("/api/joint-meetings/", {"held_on": "2026-03-02", "title": "联席会议"}, format="json").json()
    patched = judge.patch(f"/api/joint-meetings/{meeting['id']}/", {"add_cases": [BEYOND_ANY_ID]}, format="json")
    assert patched.status_code == 400 and "cases" in patched.json()

    case = case_in_state(demo, "private_trial")
    copy = as_user(demo["creditor"]).post(f"/api/cases/{case.pk}/evidence-copy-requests/",
                                          {"description": "查封笔录"}, format="json").json()
    answer = judge.post(f"/api/evidence-copy-requests/{copy['id']}/answer/", {"evidence": [BEYOND_ANY_ID]},
                        format="json")
    assert answer.status_code == 400 and "evidence" in answer.json()


def test_a_body_of_no_readable_media_type_is_415_and_documented(demo, as_user, openapi):
    case = case_in_state(demo, "transferred")
    response = as_user(demo["police_clerk"]).post(f"/api/cases/{case.pk}/transitions/accept/", b"<note/>",
                                                  content_type="application/xml")
    assert response.status_code == 415 and set(response.json()) == {"detail"}
    case.refresh_from_db()
    assert case.state == "transferred"
    for path in ("/api/cases/{id}/transitions/accept/", "/api/cases/", "/api/cases/{id}/evidence/"):
        assert "415" in responses(openapi, path, "post"), path


def test_an_evidence_download_has_its_sniffed_type_and_it_is_documented(demo, as_user, openapi):
    case = case_in_state(demo, "transferred")
    evidence = case.evidence.first()
    response = as_user(demo["enforcement_judge"]).get(f"/api/evidence/{evidence.pk}/file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    documented = responses(openapi, "/api/evidence/{id}/file/", "get")["200"]["content"]
    assert {"application/pdf", "image/jpeg", "application/octet-stream"} <= set(documented)


def test_an_unreadable_body_to_a_hidden_case_is_404_not_415(demo, as_user):
    case = case_in_state(demo, "transferred")  # region 450102
    url = f"/api/cases/{case.pk}/transitions/accept/"
    hidden = as_user(demo["police_clerk_2"]).post(url, data="<x/>", content_type="application/xml")
    assert hidden.status_code == 404
    visible = as_user(demo["police_clerk"]).post(url, data="<x/>", content_type="application/xml")
    assert visible.status_code == 415
    case.refresh_from_db()
    assert case.state == "transferred"
