"""Settings for the test suite: the project's own settings with a throwaway secret key."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-a-secret")

from refusal_cases.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; Argon2 is tested on its own

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="refusal-cases-media-"))

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The test servers speak plain HTTP: no HTTPS redirect, cookies over HTTP (production keeps them secure).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# No signing keys unless a test makes its own (tests/signing): a development keys file is never picked up.
DOCUMENT_SIGNING_KEYS_FILE = str(MEDIA_ROOT / "no-signing-keys.json")
# The job after a change of materials (OCR, search index, dossiers): tests that want it enable it.
CASE_CONTENT_JOBS = False
DOSSIER_PREBUILD = False

# Tests move the clock across weeks and months with one login: tokens and sessions outlive them here. Their
# lifetimes are tested on their own, with the production values (tests/security/test_tokens_and_sessions.py).
API_TOKEN_IDLE_MINUTES = API_TOKEN_MAX_HOURS = SESSION_IDLE_MINUTES = SESSION_MAX_HOURS = 10 * 365 * 24 * 60
SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
