"""Optional OpenID Connect sign-on against a real provider (django-oidc-provider, a second Django process)."""

import re
import subprocess
import sys

import httpx
import pytest

from agencies.demo import seed_agencies_and_users
from agencies.models import User
from tests.ops.conftest import ROOT, app_environment, free_port, stop, wait_for


@pytest.fixture
def provider(live_server, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = app_environment(DJANGO_SETTINGS_MODULE="tests.ops.oidc_provider.settings", PROVIDER_SITE_URL=url,
                          PROVIDER_DB=str(tmp_path / "provider.db"))
    subprocess.run([sys.executable, "-m", "tests.ops.oidc_provider.prepare", f"{live_server.url}/oidc/callback/"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    log = (tmp_path / "provider.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def answers():
        try:
            return httpx.get(f"{url}/openid/.well-known/openid-configuration", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(answers, timeout=60)
        yield url
    finally:
        stop(process)
        log.close()


@pytest.fixture
def sign_on(settings, provider):
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "refusal_cases.sso.ClaimMatchingBackend"]
    settings.OIDC_RP_CLIENT_ID = "refusal-cases"
    settings.OIDC_RP_CLIENT_SECRET = "provider-client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/openid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/openid/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/openid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/openid/jwks"
    settings.OIDC_PROVIDER_NAME = "省统一身份认证平台"
    seed_agencies_and_users()


@pytest.fixture
def browser():
    """An HTTP client keeping cookies; closed after the test, so that the live server's threads end with it."""
    with httpx.Client(follow_redirects=True, timeout=30) as client:
        yield client


def signed_on_as(browser, live_server, username: str) -> httpx.Client:
    """The browser starts at our login page, signs on at the provider and comes back."""
    login_page = browser.get(f"{live_server.url}/accounts/login/")
    assert "通过省统一身份认证平台登录" in login_page.text
    at_provider = browser.get(f"{live_server.url}/oidc/authenticate/")
    assert at_provider.url.port != live_server.thread.port and "/accounts/login/" in at_provider.url.path
    next_url = re.search(r'name="next" value="([^"]*)"', at_provider.text).group(1).replace("&amp;", "&")
    browser.post(str(at_provider.url), data={
        "username": username, "password": "provider-pass", "next": next_url,
        "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"]})


def test_a_provider_sign_on_logs_in_the_matching_account_without_changing_its_role(live_server, sign_on, browser):
    judge = User.objects.get(username="enforcement_judge")
    signed_on_as(browser, live_server, "enforcement_judge")
    me = browser.get(f"{live_server.url}/api/me/")
    assert me.status_code == 200
    assert (me.json()["username"], me.json()["role"]) == ("enforcement_judge", "enforcement_judge")
    judge.refresh_from_db()
    assert judge.role == "enforcement_judge"  # the provider's "role" claim is not ours to take


def test_a_provider_user_without_an_account_here_gets_none(live_server, sign_on, browser):
    accounts = User.objects.count()
    signed_on_as(browser, live_server, "stranger")
    assert browser.get(f"{live_server.url}/api/me/").status_code in {401, 403}
    assert User.objects.count() == accounts
    assert not User.objects.filter(username="stranger").exists()


def test_local_password_login_stays_beside_the_sign_on(live_server, sign_on, browser):
    browser.get(f"{live_server.url}/accounts/login/")
    browser.post(f"{live_server.url}/accounts/login/", data={
        "username": "creditor", "password": "demo", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{live_server.url}/accounts/login/"})
    assert browser.get(f"{live_server.url}/api/me/").json()["username"] == "creditor"


def test_sign_on_is_off_by_default(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "oidc" not in client.get("/accounts/login/").content.decode()
