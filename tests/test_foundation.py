"""The foundation: demo data, tokens, /api/me/, the agency directory, error shapes, login and home pages."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.demo import DEMO_PASSWORD, REGIONS
from agencies.models import Agency, User
from agencies.roles import ROLE_AGENCY_KIND, Role

ALL_DEMO_USERNAMES = [f"{role.value}{region['suffix']}" for region in REGIONS for role in Role]


@pytest.mark.parametrize("username", ALL_DEMO_USERNAMES)
def test_every_demo_user_gets_a_token_and_me_reports_role_and_agency(demo, api, username):
    response = api.post("/api/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/me/").json()
    user = demo[username]
    assert me["username"] == username
    assert me["role"] == user.role
    if user.role == Role.CREDITOR:
        assert me["agency"] is None
    else:
        assert me["agency"]["kind"] == ROLE_AGENCY_KIND[user.role]
        assert me["agency"]["region_code"] == ("450103" if username.endswith("_2") else "450102")
        assert set(me["agency"]) >= {"id", "name", "kind", "region_code"}


def test_demo_has_two_regions_with_four_agencies_each(demo):
    by_region = {}
    for agency in Agency.objects.all():
        by_region.setdefault((agency.region_code, agency.region_name), set()).add(agency.kind)
    assert by_region == {
        ("450102", "南宁市兴宁区"): {"court", "police", "procuratorate", "discipline"},
        ("450103", "南宁市青秀区"): {"court", "police", "procuratorate", "discipline"},
    }
    assert User.objects.count() == 20


def test_second_seed_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = (
        list(Agency.objects.values_list("pk", "name", "kind", "region_code").order_by("pk")),
        list(User.objects.values_list("pk", "username", "password", "role", "agency_id").order_by("pk")),
    )
    call_command("seed_demo")
    after = (
        list(Agency.objects.values_list("pk", "name", "kind", "region_code").order_by("pk")),
        list(User.objects.values_list("pk", "username", "password", "role", "agency_id").order_by("pk")),
    )
    assert before == after


def test_seed_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="creditor", agency__isnull=True).exists()


def test_no_token_is_401(db, api):
    for path in ("/api/me/", "/api/agencies/"):
        assert api.get(path).status_code == 401


def test_bad_token_is_401(db, api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/me/").status_code == 401


def test_wrong_password_is_400_with_a_message(demo, api):
    response = api.post("/api/auth/token/", {"username": "police_clerk", "password": "wrong"}, format="json")
    assert response.status_code == 400
    body = response.json()
    messages = [m for value in body.values() for m in value]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_missing_password_names_the_field(demo, api):
    response = api.post("/api/auth/token/", {"username": "police_clerk"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_agency_filters(demo, as_user):
    client = as_user(demo["police_clerk"])
    police = client.get("/api/agencies/?kind=police").json()
    assert police["count"] == 2
    assert {a["kind"] for a in police["results"]} == {"police"}
    region = client.get("/api/agencies/?region_code=450103").json()
    assert region["count"] == 4
    assert {a["region_code"] for a in region["results"]} == {"450103"}
    both = client.get("/api/agencies/?kind=court&region_code=450102").json()
    assert [a["name"] for a in both["results"]] == ["南宁市兴宁区人民法院"]
    assert set(both["results"][0]) == {"id", "name", "kind", "region_code", "region_name"}


def test_unknown_filter_values_are_empty_or_400_never_500(demo, as_user):
    client = as_user(demo["procurator"])
    unknown_kind = client.get("/api/agencies/?kind=army")
    assert unknown_kind.status_code == 400
    assert "kind" in unknown_kind.json()
    unknown_region = client.get("/api/agencies/?region_code=999999")
    assert unknown_region.status_code == 200 and unknown_region.json()["count"] == 0
    garbage = client.get("/api/agencies/?region_code=%27%3B--&page=abc")
    assert garbage.status_code in (200, 404)
    assert client.get("/api/agencies/?page=999").status_code == 404


def test_list_is_paginated_in_pages_of_50(demo, as_user):
    Agency.objects.bulk_create(
        Agency(kind="court", name=f"法院{i}", region_code="450105", region_name="南宁市江南区") for i in range(60)
    )
    client = as_user(demo["procurator"])
    first = client.get("/api/agencies/").json()
    assert first["count"] == 68 and len(first["results"]) == 50 and first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 18


def test_openapi_schema_and_docs_page(demo, client):
    client.force_login(demo["procurator"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/agencies/" in schema.content and b"/api/auth/token/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_session_authentication_works_for_the_api(demo, client):
    client.force_login(demo["trial_judge"])
    assert client.get("/api/me/").json()["role"] == "trial_judge"


def test_login_page_then_home_shows_identity_in_chinese(demo, client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": "police_investigator", "password": DEMO_PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "覃海涛" in html and "南宁市公安局兴宁分局" in html and "南宁市兴宁区" in html
    assert "侦查员" in html  # the role in Chinese


def test_home_switches_to_english(demo, client):
    client.force_login(demo["police_investigator"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Police investigator" in html and "Region" in html


def test_home_requires_login(db, client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_creditor_has_no_agency_and_an_officer_must_have_one(db):
    from django.core.exceptions import ValidationError

    officer = User(username="x", role="police_clerk")
    with pytest.raises(ValidationError):
        officer.full_clean()
