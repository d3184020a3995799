"""API tokens end (logout, password change, deactivation, idleness, age) and are stored only as hashes; browser
sessions end after an idle period and an absolute one; case data is never stored by browsers or proxies; the login
lockout keys on the real client behind a trusted proxy and ignores a forged X-Forwarded-For."""

import hashlib
from datetime import datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from agencies.demo import DEMO_PASSWORD
from refusal_cases import settings as production
from tests.casebuilder import new_case
from tests.conftest import at

PROXY = "10.0.0.1"


@pytest.fixture
def production_lifetimes(settings):
    """The lifetimes a deployment gets without configuring them (the test settings stretch them)."""
    for name in ("API_TOKEN_IDLE_MINUTES", "API_TOKEN_MAX_HOURS", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"):
        setattr(settings, name, getattr(production, name))
    return settings


@pytest.fixture
def clock():
    """clock(moment) stops the clock at a moment (and lets it go after the test)."""
    traveller, coordinates = None, None

    def move(moment: datetime):
        nonlocal traveller, coordinates
        if traveller is None:
            traveller = time_machine.travel(moment, tick=False)
            coordinates = traveller.start()
        else:
            coordinates.move_to(moment)

    yield move
    if traveller is not None:
        traveller.stop()


def log_in(username, password=DEMO_PASSWORD, **extra) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password, **extra},
                                format="json", HTTP_USER_AGENT="pytest-agent/1.0")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def refused(client: APIClient, code: str) -> str:
    response = client.get("/api/me/")
    assert response.status_code == 401, response.content
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"] == "Token"
    return response.json()["detail"]


# --- tokens -------------------------------------------------------------------------------------------------------

def test_each_login_gets_its_own_token_and_logout_ends_only_that_one(demo):
    laptop, phone = log_in("police_clerk", device="办公室电脑"), log_in("police_clerk")
    assert laptop != phone
    laptop_client, phone_client = with_token(laptop), with_token(phone)
    assert laptop_client.get("/api/me/").json()["username"] == "police_clerk"
    assert phone_client.get("/api/me/").json()["username"] == "police_clerk"

    devices = phone_client.get("/api/auth/tokens/").json()
    assert devices["count"] == 2
    assert {(d["device"], d["current"]) for d in devices["results"]} == {("办公室电脑", False),
                                                                       ("pytest-agent/1.0", True)}

    logout = laptop_client.post("/api/auth/logout/")
    assert logout.status_code == 204
    assert "logged out" in refused(laptop_client, "token_revoked")
    assert phone_client.get("/api/me/").status_code == 200
    assert phone_client.get("/api/auth/tokens/").json()["count"] == 1


def test_a_device_can_be_removed_from_another_and_no_one_elses(demo):
    laptop, phone = with_token(log_in("police_clerk", device="laptop")), with_token(log_in("police_clerk"))
    other = with_token(log_in("procurator"))
    laptop_id = next(d["id"] for d in phone.get("/api/auth/tokens/").json()["results"] if d["device"] == "laptop")
    assert other.delete(f"/api/auth/tokens/{laptop_id}/").status_code == 404
    assert laptop.get("/api/me/").status_code == 200
    assert phone.delete(f"/api/auth/tokens/{laptop_id}/").status_code == 204
    assert "device was removed" in refused(laptop, "token_revoked")
    assert phone.get("/api/me/").status_code == 200


def test_the_token_table_holds_only_hashes(demo):
    secret = log_in("police_clerk")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM agencies_apitoken")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
        assert "authtoken_token" not in connection.introspection.table_names(cursor)
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert secret not in stored and secret[:16] not in stored
    assert dict(zip(columns, rows[0], strict=True))["digest"] == hashlib.sha256(secret.encode()).hexdigest()


def test_a_password_change_in_the_admin_ends_tokens_and_other_sessions(demo, django_user_model):
    token = with_token(log_in("police_clerk"))
    browser = Client()
    assert browser.post("/accounts/login/", {"username": "police_clerk", "password": DEMO_PASSWORD}).status_code == 302
    assert browser.get("/").status_code == 200
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("root", password="root-password-1"))
    user = demo["police_clerk"]
    changed = admin.post(f"/admin/agencies/user/{user.pk}/password/",
                         {"password1": "A-new-long-passphrase-7", "password2": "A-new-long-passphrase-7"})
    assert changed.status_code == 302, changed.content
    assert "password was changed" in refused(token, "token_revoked")
    assert browser.get("/")["Location"].startswith("/accounts/login/")
    fresh = with_token(log_in("police_clerk", password="A-new-long-passphrase-7"))
    assert fresh.get("/api/me/").status_code == 200


def test_set_password_anywhere_ends_tokens(demo):
    token = with_token(log_in("procurator"))
    user = demo["procurator"]
    user.set_password("another-long-passphrase")
    user.save()
    refused(token, "token_revoked")


def test_a_stronger_hash_of_the_same_password_at_login_ends_nothing(demo, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = demo["procurator"]
    type(user).objects.filter(pk=user.pk).update(password=make_password(DEMO_PASSWORD, hasher="pbkdf2_sha256"))
    first = with_token(log_in("procurator"))  # this login rehashes the password with the preferred hasher
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_sha256$")
    log_in("procurator")
    assert first.get("/api/me/").status_code == 200


def test_deactivation_ends_tokens(demo):
    token = with_token(log_in("trial_judge"))
    user = demo["trial_judge"]
    user.is_active = False
    user.save()
    assert "deactivated" in refused(token, "token_revoked")
    user.is_active = True
    user.save()
    refused(token, "token_revoked")  # reactivating the account does not bring its old tokens back


def test_an_unused_token_ends_after_its_idle_lifetime(demo, production_lifetimes, clock):
    start = at("2026-03-02", 9)
    clock(start)
    token = with_token(log_in("police_clerk"))
    clock(start + timedelta(hours=7, minutes=59))
    assert token.get("/api/me/").status_code == 200  # used: the idle time starts again
    clock(start + timedelta(hours=15, minutes=58))
    assert token.get("/api/me/").status_code == 200
    clock(start + timedelta(hours=23, minutes=58))
    assert "480 minutes without use" in refused(token, "token_expired")


def test_a_token_in_use_ends_after_its_absolute_lifetime(demo, production_lifetimes, clock):
    start = at("2026-03-02", 9)
    clock(start)
    token = with_token(log_in("police_clerk"))
    for hour in range(1, 24):
        clock(start + timedelta(hours=hour))
        assert token.get("/api/me/").status_code == 200, hour
    clock(start + timedelta(hours=24))
    assert "at most 24 hours" in refused(token, "token_expired")
    assert with_token(log_in("police_clerk")).get("/api/me/").status_code == 200


def test_unknown_token_and_refusals_in_the_readers_language(demo):
    assert refused(with_token("no-such-token"), "token_invalid") == "Invalid token."
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token = log_in("police_clerk")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.post("/api/auth/logout/")
    body = client.get("/api/me/").json()
    assert body["code"] == "token_revoked" and "已退出登录" in body["detail"]


def test_an_expired_token_does_not_stop_a_new_login(demo):
    stale = APIClient()
    stale.credentials(HTTP_AUTHORIZATION="Token no-such-token")
    response = stale.post("/api/auth/token/", {"username": "police_clerk", "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["token"]


def test_a_browser_session_logs_out_through_the_api(demo):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(demo["police_clerk"])
    assert browser.post("/api/auth/logout/").status_code == 403  # a session write needs its CSRF token
    browser.get("/")
    browser.credentials(HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert browser.post("/api/auth/logout/").status_code == 204
    assert browser.get("/api/me/").status_code == 401


# --- sessions -----------------------------------------------------------------------------------------------------

def logged_in_browser(username="police_clerk") -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    answer = browser.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    return browser


def test_an_idle_session_is_logged_out_to_the_login_page(demo, production_lifetimes, clock):
    start = at("2026-03-02", 9)
    clock(start)
    browser = logged_in_browser()
    clock(start + timedelta(minutes=29))
    assert browser.get("/notifications/").status_code == 200
    clock(start + timedelta(minutes=58))
    assert browser.get("/notifications/").status_code == 200
    clock(start + timedelta(minutes=88))
    answer = browser.get("/notifications/")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/?next=/notifications/"
    login_page = browser.get(answer["Location"])
    assert "after 30 minutes without activity" in login_page.content.decode()
    assert browser.get("/api/me/").status_code in (401, 403)


def test_a_session_in_use_ends_after_its_absolute_lifetime(demo, production_lifetimes, clock):
    start = at("2026-03-02", 8)
    clock(start)
    browser = logged_in_browser()
    for quarter in range(1, 48):
        clock(start + timedelta(minutes=15 * quarter))
        assert browser.get("/").status_code == 200, quarter
    clock(start + timedelta(hours=12))
    answer = browser.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert browser.post("/accounts/login/", {"username": "police_clerk", "password": DEMO_PASSWORD}).status_code == 302
    assert browser.get("/").status_code == 200  # a new login starts a new 12 hours


# --- no-store -----------------------------------------------------------------------------------------------------

def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


def test_case_data_is_never_stored_by_browsers_or_proxies(demo, as_user, client):
    case = new_case(demo)
    judge = as_user(demo["enforcement_judge"])
    for path in ("/api/me/", "/api/cases/", f"/api/cases/{case.pk}/"):
        answer = judge.get(path)
        assert answer.status_code == 200 and no_store(answer), path
    assert no_store(APIClient().get("/api/cases/"))  # the 401 too
    client.force_login(demo["enforcement_judge"])
    for path in ("/", f"/cases/{case.pk}/", "/notifications/"):
        answer = client.get(path)
        assert answer.status_code == 200 and no_store(answer), path
    static = Client().get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


# --- lockout behind a proxy ---------------------------------------------------------------------------------------

def token_attempt(password: str, remote: str, forwarded: str | None = None, username: str = "police_clerk"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json", **extra)


def test_behind_the_trusted_proxy_one_clients_failures_lock_out_only_that_client(demo, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(5):
        token_attempt("wrong", PROXY, "203.0.113.5")
    assert token_attempt(DEMO_PASSWORD, PROXY, "203.0.113.5").status_code == 429
    assert token_attempt(DEMO_PASSWORD, PROXY, "198.51.100.7").status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_client_cannot_pick_its_address_through_the_proxy(demo, settings):
    """Addresses a client writes into X-Forwarded-For itself stand left of what the proxy appends: never read."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    for n in range(5):
        token_attempt("wrong", PROXY, f"192.0.2.{n}, 203.0.113.5, 10.0.0.2")
    assert token_attempt(DEMO_PASSWORD, PROXY, "192.0.2.99, 203.0.113.5, 10.0.0.2").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_forged_forwarded_header_from_an_untrusted_address_is_ignored(demo, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for n in range(5):
        token_attempt("wrong", "192.0.2.9", f"198.51.100.{n}")
    assert token_attempt(DEMO_PASSWORD, "192.0.2.9", "198.51.100.77").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.9"}


def test_without_trusted_proxies_the_header_is_never_read(demo, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        token_attempt("wrong", PROXY, f"203.0.113.{n}")
    assert token_attempt(DEMO_PASSWORD, PROXY, "203.0.113.200").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_the_login_page_behind_the_proxy_locks_out_only_the_failing_client(demo, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    failing = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(5):
        failing.post("/accounts/login/", {"username": "trial_judge", "password": "nope"})
    assert failing.post("/accounts/login/", {"username": "trial_judge", "password": DEMO_PASSWORD}).status_code == 429
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.post("/accounts/login/", {"username": "trial_judge", "password": DEMO_PASSWORD}).status_code == 302
