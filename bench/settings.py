"""Settings for the benchmarks' servers: the project's own, with static files served unhashed (so that pages
render without `collectstatic`) and plain HTTP on 127.0.0.1 (no redirect to HTTPS, cookies over HTTP)."""

from refusal_cases.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
