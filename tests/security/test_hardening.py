"""Security hardening: password hashing, login lockout, CSP, production settings, upload validation (the deploy check
with production settings: tests/ops/test_operator_steps.py)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from agencies.demo import DEMO_PASSWORD
from tests.casebuilder import new_case
from workflow.models import Evidence

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({"DJANGO_SETTINGS_MODULE": "refusal_cases.settings", "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "cases.example.gov.cn",
                "DATABASE_URL": "sqlite:///:memory:"})
    env.update(extra)
    return env


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_passwords_are_hashed_with_argon2(db):
    from refusal_cases import settings as production
    from tests.factories import UserFactory

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = UserFactory(role="police_clerk")
        user.set_password("a long passphrase")
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("a long passphrase")


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_commands_that_only_build_files_run_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
    assert "SECRET_KEY must be set" in manage("migrate", "--plan", env=env).stderr


def test_production_cookies_are_secure_and_https_enforced():
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG)")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                            env=production_env(), capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


def test_token_endpoint_locks_out_after_repeated_failures(demo, api):
    codes = [api.post("/api/auth/token/", {"username": "police_clerk", "password": "wrong"}, format="json").status_code
             for _ in range(5)]
    assert codes[:4] == [400] * 4 and codes[4] in (400, 429)
    locked = api.post("/api/auth/token/", {"username": "police_clerk", "password": DEMO_PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "token" not in locked.content.decode()
    # another account from the same address is not punished for it
    other = api.post("/api/auth/token/", {"username": "procurator", "password": DEMO_PASSWORD}, format="json")
    assert other.status_code == 200 and other.json()["token"]


def test_login_page_locks_out_after_repeated_failures(demo, client):
    codes = [client.post("/accounts/login/", {"username": "trial_judge", "password": "nope"}).status_code
             for _ in range(5)]
    assert codes[:4] == [200] * 4 and codes[4] in (200, 429)
    locked = client.post("/accounts/login/", {"username": "trial_judge", "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert client.get("/api/me/").status_code in (401, 403)


def test_pages_carry_a_csp_without_inline_scripts_or_styles(db, client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert style_src.split() == ["style-src", "'self'"]
    # Swagger UI's page alone brings a <style> block of its own; its scripts stay as strict as everywhere.
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    docs_style = next(d for d in docs.split(";") if d.strip().startswith("style-src"))
    assert "'unsafe-inline'" in docs_style
    assert next(d for d in docs.split(";") if d.strip().startswith("script-src")).split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "<script>" not in response.content.decode().replace(" ", "")


@pytest.mark.parametrize(("name", "content", "accepted"), [
    ("scan.pdf", b"%PDF-1.7\n1 0 obj", True),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, True),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, True),
    ("notes.pdf", b"#!/bin/sh\nrm -rf /\n", False),          # a script named .pdf
    ("page.png", b"<html><script>alert(1)</script></html>", False),
    ("tool.docx", b"MZ\x90\x00" + b"\x00" * 64, False),     # a Windows executable named .docx
])
def test_uploads_are_checked_by_content_not_name(demo, as_user, name, content, accepted):
    case = new_case(demo)
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "材料", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        format="multipart")
    if accepted:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 400 and "file" in response.json()
        assert not Evidence.objects.exists()


def test_uploads_are_stored_under_random_names_outside_static(demo, as_user, settings):
    case = new_case(demo)
    response = as_user(demo["enforcement_judge"]).post(f"/api/cases/{case.pk}/evidence/", {
        "category": "identity", "title": "身份证", "file": SimpleUploadedFile("张伟身份证.pdf", b"%PDF-1.4 id")},
        format="multipart")
    evidence = Evidence.objects.get(pk=response.json()["id"])
    stored = Path(evidence.file.path)
    assert "张伟" not in stored.name and stored.suffix == ""
    assert Path(settings.MEDIA_ROOT) in stored.parents
    assert Path(settings.STATIC_ROOT) not in stored.parents
    assert all(Path(d) not in stored.parents for d in settings.STATICFILES_DIRS)
    assert evidence.original_name == "张伟身份证.pdf"


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_bad_input_not_a_server_error(demo, api, as_user, depth):
    """A body nested deeper than the decoder goes is a 400 naming the problem, anonymously and logged in alike,
    and changes nothing."""
    body = "[" * depth + "]" * depth
    anonymous = api.post("/api/auth/token/", data=body, content_type="application/json")
    assert anonymous.status_code == 400 and "nested too deeply" in anonymous.json()["detail"]
    case = new_case(demo)
    judge = as_user(demo["enforcement_judge"])
    refused = judge.post(f"/api/cases/{case.pk}/transitions/cancel/", data=body, content_type="application/json")
    assert refused.status_code == 400 and "nested too deeply" in refused.json()["detail"]
    assert judge.get(f"/api/cases/{case.pk}/").json()["state"] == "draft"
