"""Settings, all read from the environment.

With nothing set the project runs on an SQLite file with tasks executed in-process.
`DATABASE_URL` switches to PostgreSQL and `REDIS_URL` to a Celery worker and beat on Redis.
"""

import hashlib
import hmac
import ipaddress
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Commands that only read or write the project's own files sign nothing: they run without a key (a build step, a
# migrations check). Anything that serves requests or touches data refuses to start without one.
KEYLESS_COMMANDS = {"makemigrations", "collectstatic", "compilemessages", "makemessages"}
_keyless = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or _keyless):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address printed on documents for verification (QR code and link).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "agencies",
    "workflow",
    "documents",
    "refusal_cases",
    "outbox",
]

MIDDLEWARE = [
    # First, so that they see every answer: the request's figures and its one JSON log line (with its request id).
    "refusal_cases.metrics.RequestMetricsMiddleware",
    "refusal_cases.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: one longer than its limit is refused from its Content-Length (413).
    "refusal_cases.limits.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a user's change, where the primary's log stands (read-your-writes with DATABASE_REPLICA_URL).
    "refusal_cases.replica.WriteMarkMiddleware",
    "agencies.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A browser session idle or old beyond its limits is logged out here, before any view sees its user.
    "agencies.sessions.SessionLifetimeMiddleware",
    # An htmx request without a session (none, or one just ended above) is sent to the login as a whole page (HX-Redirect), not inside a panel.
    "refusal_cases.htmx.HtmxLoginRedirectMiddleware",
    # Answers carrying case data (the API, every page of a logged-in user) are never stored by a browser or proxy.
    "refusal_cases.cachecontrol.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out login attempt into a refusal (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "refusal_cases.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "refusal_cases.wsgi.application"
ASGI_APPLICATION = "refusal_cases.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails a request (and /health/) in seconds, not after TCP's minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (dev server, in-process tasks) write to one file: wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL streaming replica for the heavy reads (statistics, ledger exports, search): refusal_cases.replica
# routes there only what asks for it, only while it is reachable, close enough behind and past the user's own writes.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", "30"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")), conn_health_checks=True)
    if "postgresql" not in DATABASES["default"]["ENGINE"] or "postgresql" not in DATABASES["replica"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL is a PostgreSQL standby of the PostgreSQL DATABASE_URL.")
    # An unreachable replica costs a request this long once; the primary then answers (and is asked again later).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")))
    # Tests: the replica replays the primary's test database; it is never created on its own.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["refusal_cases.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First: refuses a username/address that failed too often, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The client's address (for the login lockout): REMOTE_ADDR, unless that is one of TRUSTED_PROXIES (addresses or
# networks); then X-Forwarded-For is read from the right, past the trusted proxies (refusal_cases.clientip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network.") from None
AXES_CLIENT_IP_CALLABLE = "refusal_cases.clientip.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# API tokens (agencies.tokens): a token unused for API_TOKEN_IDLE_MINUTES ends (a working day: a program or person
# that stops for the night logs in again), and every token ends API_TOKEN_MAX_HOURS after its login whatever its use.
API_TOKEN_IDLE_MINUTES = int(os.environ.get("API_TOKEN_IDLE_MINUTES", "480"))
API_TOKEN_MAX_HOURS = int(os.environ.get("API_TOKEN_MAX_HOURS", "24"))
# Browser sessions (agencies.sessions): court PCs are shared, so a session unused for SESSION_IDLE_MINUTES is logged
# out, and any session SESSION_MAX_HOURS after its login.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
for _name in ("API_TOKEN_IDLE_MINUTES", "API_TOKEN_MAX_HOURS", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # uploads are served only through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Largest evidence file accepted (bytes); larger uploads get a 400 naming the limit.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The first handler stops storing a file once it is longer than EVIDENCE_MAX_BYTES (refusal_cases.limits).
FILE_UPLOAD_HANDLERS = [
    "refusal_cases.limits.EvidenceLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "refusal-cases@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request is answered 401 with a WWW-Authenticate header.
        "refusal_cases.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies are JSON (api.md); a view that takes a file upload says multipart itself.
    "DEFAULT_PARSER_CLASSES": ["refusal_cases.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "refusal_cases.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "refusal_cases.schema.ApiSchema",
    "EXCEPTION_HANDLER": "refusal_cases.api.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Refusal-to-execute cases API",
    "DESCRIPTION": "Transfers, filing review, procuratorial supervision, prosecution, trial and private "
    "prosecution of refusal-to-execute cases (Criminal Law Art. 313; 2025 Opinions).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "refusal_cases.schema.tidy_for_clients",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.roles.AgencyKind",
        "PartyKindEnum": "procedure.states.PartyKind",
        "DeadlineKindEnum": "procedure.deadlines.DeadlineKind",
        "DocumentKindEnum": "procedure.letters.DocumentKind",
        "CoerciveMeasureKindEnum": "workflow.models.records.CoerciveMeasureKind",
        "PerformanceKindEnum": "workflow.models.records.PerformanceKind",
        "ApprovalStatusEnum": "workflow.models.approval.ApprovalStatus",
        "DeadlineStatusEnum": "procedure.states.DeadlineStatus",
        "ComplaintDecisionEnum": "workflow.models.records.ComplaintDecision",
        "ArrestDecisionEnum": "workflow.models.records.ArrestDecision",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise every task runs in-process at once.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A broker that does not answer fails a publish within about BROKER_TIMEOUT_SECONDS, once retried, instead of
# holding the request: the job stays in the outbox and the catch-up runs it. A task taken by a worker that died
# is handed out again after CELERY_VISIBILITY_TIMEOUT_SECONDS (Redis's default is an hour).
BROKER_TIMEOUT_SECONDS = float(os.environ.get("BROKER_TIMEOUT_SECONDS", "1"))
CELERY_VISIBILITY_TIMEOUT_SECONDS = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT_SECONDS", "300"))
_ONE_QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": max(BROKER_TIMEOUT_SECONDS, 10),  # above the worker's one-second BRPOP
    **_ONE_QUICK_RETRY,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = _ONE_QUICK_RETRY
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = max(BROKER_TIMEOUT_SECONDS, 10)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _ONE_QUICK_RETRY}
# A worker that loses the broker gives its late-acknowledged tasks back to be run again (each job is idempotent).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "workflow.tasks.sweep_deadlines_task",
        "schedule": crontab(minute=f"*/{int(os.environ.get('SWEEP_EVERY_MINUTES', '15'))}"),
    },
    "compact-deadline-tally": {
        "task": "workflow.tasks.compact_deadline_tally_task",
        "schedule": timedelta(minutes=int(os.environ.get("TALLY_COMPACT_EVERY_MINUTES", "10"))),
    },
    "render-pending-documents": {
        "task": "documents.tasks.render_pending_documents_task",
        "schedule": timedelta(minutes=5),
    },
    "seal-audit-chains": {
        "task": "workflow.cases.tasks.seal_audit_chains_task",
        "schedule": timedelta(minutes=int(os.environ.get("AUDIT_SEAL_EVERY_MINUTES", "60"))),
    },
    "heartbeat": {"task": "refusal_cases.tasks.heartbeat", "schedule": timedelta(minutes=1)},
    "outbox-catch-up": {
        "task": "outbox.tasks.run_pending_jobs_task",
        "schedule": timedelta(minutes=int(os.environ.get("OUTBOX_CATCH_UP_EVERY_MINUTES", "2"))),
    },
}
# However many beats run, only the one holding the database's beat lock queues the schedule (refusal_cases.beat).
CELERY_BEAT_SCHEDULER = "refusal_cases.beat:SingleBeatScheduler"
# The outbox (outbox.services): the catch-up runs a job not queued this many seconds after its commit, or queued
# but not finished this many minutes later (longer than the visibility timeout, so that the broker's own redelivery
# comes first); one that failed this many times is left with its last error; finished jobs are kept this many days.
OUTBOX_QUEUE_GRACE_SECONDS = int(os.environ.get("OUTBOX_QUEUE_GRACE_SECONDS", "60"))
OUTBOX_RETRY_AFTER_MINUTES = int(os.environ.get("OUTBOX_RETRY_AFTER_MINUTES", "10"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "7"))
# The worker's log lines go through LOGGING below (one JSON line per job), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The key the audit chains' heads are sealed with (workflow/cases/audit.py). It must not be stored in the database;
# by default it is derived from SECRET_KEY, which is not either.
AUDIT_SEAL_KEY = os.environ.get("AUDIT_SEAL_KEY") or hmac.new(
    SECRET_KEY.encode(), b"refusal-cases audit seal", hashlib.sha256).hexdigest()

# Working days before a due date at which the owing agency is warned.
DEADLINE_WARN_WORKING_DAYS = int(os.environ.get("DEADLINE_WARN_WORKING_DAYS", "2"))

# Letters are signed as their issuing agency (documents.signing): the signer class (an SM2 signing server's client
# replaces it), the JSON keys file mapping each agency to its PKCS#12 file and password (made for development and
# the demo by `manage.py make_signing_keys`), more keys and trust roots from the environment, and whether a letter
# may be stored unsigned when its agency has no key (it may not where DOCUMENT_SIGNING_REQUIRED is true).
DOCUMENT_SIGNER = os.environ.get("DOCUMENT_SIGNER", "documents.signing.Pkcs12Signer")
DOCUMENT_SIGNING_KEYS_FILE = os.environ.get("DOCUMENT_SIGNING_KEYS_FILE", str(BASE_DIR / "signing" / "keys.json"))
DOCUMENT_SIGNING_KEYS = json.loads(os.environ.get("DOCUMENT_SIGNING_KEYS", "{}"))
DOCUMENT_SIGNING_TRUST_ROOTS = env_list("DOCUMENT_SIGNING_TRUST_ROOTS")
DOCUMENT_SIGNING_REQUIRED = env_bool("DOCUMENT_SIGNING_REQUIRED", False)
# After a case's materials or letters change, a job reads the new materials' text (OCR, with these Tesseract
# languages), indexes the case for search and, where a worker runs it (DOSSIER_PREBUILD), builds its dossiers;
# without a worker each dossier is built when first asked for.
CASE_CONTENT_JOBS = env_bool("CASE_CONTENT_JOBS", True)
CASE_CONTENT_JOB_DELAY = int(os.environ.get("CASE_CONTENT_JOB_DELAY", "10"))
OCR_LANGUAGES = os.environ.get("OCR_LANGUAGES", "chi_sim+eng")
DOSSIER_PREBUILD = env_bool("DOSSIER_PREBUILD", bool(REDIS_URL))

# Production defaults are strict (HTTPS only, HSTS, secure cookies); a TLS-terminating proxy sets
# X-Forwarded-Proto. Each can be relaxed by its variable, never by DEBUG alone in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^health/?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, never inline (the
# drawings carry their colours as SVG presentation attributes, which the policy does not govern).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs: one JSON line per request and per job on standard output (LOG_FORMAT=text for a developer's terminal).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT is json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "refusal_cases.logs.JsonFormatter"},
        "text": {"()": "refusal_cases.logs.TextFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # The request's own line (refusal_cases.requests) replaces the dev server's and Django's 4xx lines, and the
        # job's line (refusal_cases.jobs) Celery's; errors are still logged by each.
        "django.server": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},  # "Task ... received"
    },
}

# Optional single sign-on by OpenID Connect (refusal_cases.sso): off by default. A sign-on logs in the existing
# account whose OIDC_MATCH_FIELD equals the provider's OIDC_MATCH_CLAIM; it never creates one.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_MATCH_CLAIM = os.environ.get("OIDC_MATCH_CLAIM", "preferred_username")
OIDC_MATCH_FIELD = os.environ.get("OIDC_MATCH_FIELD", "username")
OIDC_CREATE_USER = False
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "login"
if OIDC_ENABLED:
    missing = [name for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
                                 "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT") if not globals()[name]]
    if missing or (OIDC_RP_SIGN_ALGO.startswith("RS") and not OIDC_OP_JWKS_ENDPOINT):
        raise ImproperlyConfigured(f"OIDC_ENABLED needs {', '.join(missing) or 'OIDC_OP_JWKS_ENDPOINT'}.")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "refusal_cases.sso.ClaimMatchingBackend"]

# Metrics (GET /metrics/): for a staff login, or for Prometheus with `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
