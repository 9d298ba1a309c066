"""Casebook settings: one file, read from the environment only (see config/env.py).

With nothing set, Casebook runs embedded: SQLite, tasks in-process, local-memory cache.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false.")
    SECRET_KEY = "embedded-default-only-never-for-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

# The audit log's hashes are keyed with this, kept outside the database so that write
# access to the database alone cannot forge or re-chain entries. Set it explicitly in
# production (then SECRET_KEY can be rotated without touching the log).
AUDIT_KEY = env_str("AUDIT_KEY") or hmac.new(SECRET_KEY.encode(), b"casebook.audit", hashlib.sha256).hexdigest()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name this site's hosts when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "audit",
    "outbox",
    "casebook",
    "notifications",
    "precedent",
    "principles",
    "reviews",
    "dashboard",
    "demo",
    "transfer",
    "casebook.apps.CasebookAdminConfig",  # django.contrib.admin, on Casebook's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_prometheus",
]

MIDDLEWARE = [
    # Probes first: plain HTTP to the container's address, before the TLS redirect and hosts.
    "config.probes.ProbesMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "casebook.middleware.RequestIdMiddleware",
    "casebook.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "casebook.middleware.AccessMiddleware",
    "casebook.middleware.ConflictMiddleware",
    "casebook.middleware.NotFoundMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of every sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "casebook.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names another engine.
DATABASE_URL = env_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "casebook.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction begins, so two writers that read
    # before they write (the audit chain does) wait for each other instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The audit log's anchor outside the database (audit.anchor): a file the database's users
# cannot write, one per database (beside an SQLite file; named for a PostgreSQL database).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _anchor = f"{DATABASES['default']['NAME']}.audit-anchor"
else:
    _anchor = str(BASE_DIR / "var" / f"audit-anchor-{DATABASES['default']['NAME']}.json")
AUDIT_ANCHOR_FILE = Path(env_str("AUDIT_ANCHOR_FILE", _anchor)).resolve()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis carries the Celery broker and the cache in production; without it, tasks run
# in-process and the cache is local memory.
REDIS_URL = env_url("REDIS_URL", {"redis", "rediss"})
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # Embedded mode only: no broker, so tasks run where they are enqueued.
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A web request that finds the broker down gives up at once rather than retrying for
# seconds: what it asked for waits in the outbox (outbox.services) and is relayed later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "socket_connect_timeout": 2}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# A draft's embedding is asked for by a web request that waits for it, so it has a queue
# of its own, which an encoder worker serves (scripts/prod.sh): a backlog of cases to embed
# never delays it, and no web worker holds the model. A worker started without -Q serves both.
# Cases decided or changed are embedded on a third queue, which the encoder serves too: the
# general worker's forked processes never load the model.
CELERY_TASK_QUEUES = [Queue("celery"), Queue("encode", routing_key="encode"), Queue("embed", routing_key="embed")]
# Tasks are named as they were first queued: "casebook.tasks.…" ones now live in audit and
# precedent (docs/architecture.md, "Tasks").
CELERY_TASK_ROUTES = {
    "casebook.tasks.encode_draft": {"queue": "encode"},
    "casebook.tasks.embed_case": {"queue": "embed"},
}
# Daily jobs at fixed times (crontab), not "every 24 hours from when beat started": a beat
# restarted at each deploy would otherwise start their countdown again, and might never run
# them. Beat keeps what it last ran in its schedule file (a volume under compose).
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain": {"task": "casebook.tasks.verify_audit_chain", "schedule": crontab(minute=7)},
    "flag-conditions": {"task": "reviews.tasks.flag_conditions", "schedule": crontab(hour=5, minute=0)},
    "reopen-due-reviews": {"task": "reviews.tasks.reopen_due_reviews", "schedule": crontab(hour=5, minute=15)},
    "refit-similarity": {"task": "precedent.tasks.refit_similarity", "schedule": crontab(hour=2, minute=30)},
    "send-digests": {"task": "precedent.tasks.send_digests", "schedule": crontab(day_of_month=1, hour=6, minute=0)},
    "saved-searches-daily": {
        "task": "precedent.tasks.round_up_saved_searches",
        "schedule": crontab(hour=6, minute=30),
        "args": ("daily",),
    },
    "saved-searches-weekly": {
        "task": "precedent.tasks.round_up_saved_searches",
        "schedule": crontab(day_of_week="mon", hour=6, minute=45),
        "args": ("weekly",),
    },
    # What the broker could not take when a change asked for it (outbox.services).
    "relay-outbox": {"task": "outbox.tasks.relay_outbox", "schedule": timedelta(seconds=15)},
}

# E-mail: console unless EMAIL_URL says smtp://user:password@host:port (smtps:// for TLS
# from the start, smtp+starttls:// to upgrade the connection).
EMAIL_URL = env_url("EMAIL_URL", {"console", "smtp", "smtps", "smtp+starttls"})
if EMAIL_URL and not EMAIL_URL.startswith("console"):
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or ""
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "smtp+starttls"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "casebook@localhost")
# Where e-mails link to: the address people reach Casebook at.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many days ahead a condition's due date is announced.
CONDITION_WARNING_DAYS = 14
# The search engine's index (precedent.search.engine): a directory of its own on a local
# disk, one per host, which every web and worker process of the host reads and writes.
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(BASE_DIR / "var" / "search-index"))).resolve()
# Closeness in meaning for "similar past decisions", when the [semantic] extra is installed.
SEMANTIC_SEARCH = env_bool("SEMANTIC_SEARCH", True)
# How long a request waits for the encoder worker to embed a draft before it ranks without.
SEMANTIC_ENCODE_TIMEOUT = 2.0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: five failures for one username from one address lock that pair out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casebook.views.locked_out"
# Behind a proxy every request comes from the proxy's address, which would turn the
# username+address lock into a username lock anyone could trip; read the client's instead.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_ip"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Fixed here, from the environment's DEBUG: the test runner turns DEBUG off at run time,
# and WhiteNoise would then scan every static file for each test's new handler.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["casebook.access.MappedAccess"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "casebook.api.schema.CasebookAutoSchema",
    "EXCEPTION_HANDLER": "casebook.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.StrictJSONParser"],
}
# API tokens (django-rest-knox): stored as digests, one per sign-in, expiring, revoked at
# sign-out, on a password change and by admins (casebook.tokens).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casebook API",
    "DESCRIPTION": "The review board's framework, cases, decisions and precedent.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["casebook.access.MappedAccess"],
    # Several models share a field name ("kind", "status"): name each enum after its choices.
    "ENUM_NAME_OVERRIDES": {
        "ProvisionKindEnum": "principles.choices.ProvisionKind",
        "PartnerKindEnum": "casebook.choices.PartnerKind",
        "RevisionStateEnum": "principles.choices.RevisionState",
        "CaseStatusEnum": "casebook.choices.CaseStatus",
        "ConditionStatusEnum": "casebook.choices.ConditionStatus",
        "OutcomeEnum": "casebook.choices.Outcome",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Request bodies are prose, not uploads: anything larger is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers. Production (DEBUG=false) turns on HSTS, TLS redirect and
# __Host- cookies, which browsers accept only over HTTPS (or on localhost).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The access log (casebook.middleware.RequestIdMiddleware); runserver keeps its own.
    "loggers": {"axes": {"level": "WARNING"}, "casebook.requests": {"level": "WARNING" if DEBUG else "INFO"}},
}
# Workers and beat log through the same handler, so their lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
METRICS_TOKEN = env_str("METRICS_TOKEN")
