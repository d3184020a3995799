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
