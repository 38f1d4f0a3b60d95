"""One settings file, driven by the environment.

Defaults give a development run that needs no server: SQLite and Celery tasks run eagerly in-process.
``DATABASE_URL`` switches to PostgreSQL (psycopg 3), ``CELERY_BROKER_URL`` sends tasks to real workers.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


# Off unless asked for: a production host that forgets the variable must not show the technical 500 page (settings,
# the URL list on 404). `make run`, `make test` and `make worker` turn it on explicitly.
DEBUG = envbool("DEBUG", "false")

# A development key is fine while DEBUG is on; with DEBUG off there is no default on purpose.
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's assets, served from the app (no CDN on the logged-in origin)
    "axes",
    "readiness",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app itself, DEBUG or not (after `collectstatic`), compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL in a path or a query string is refused before any view sees it (PostgreSQL cannot store it).
    "readiness.web.guards.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "readiness.web.locale.CookieLocaleMiddleware",  # Chinese unless the user picked English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# that user name is locked out from that address for AXES_COOLOFF_MINUTES, even with the right password (the
# login page and the admin alike). A successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # answered with 429

ROOT_URLCONF = "readiness.urls"
WSGI_APPLICATION = "readiness.wsgi.application"

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

# SQLite unless DATABASE_URL is set (postgres://user@host:port/db uses psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"  # `manage.py collectstatic` fills it; WhiteNoise serves it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Celery: eager (in-process) unless a broker is configured; then real workers pick the tasks up.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task's time limits; an import of 20k listings takes ~30 s and a chunk of 2,000 a few seconds.
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "600")
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "540")
# A worker whose main process dies (SIGKILL, the machine lost) cannot hand its task back; the Redis broker gives
# it to another worker once it has been unacknowledged for the visibility timeout. It must be longer than any
# task may run (else a live task would be delivered twice), and short enough that a lost scan resumes within
# minutes, not the hour Redis defaults to. Workers look for such tasks every 10 s.
CELERY_BROKER_VISIBILITY_TIMEOUT = envint("CELERY_BROKER_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 60))
if CELERY_BROKER_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_BROKER_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# A task is acknowledged only after it has run, so a worker killed mid-task leaves it for another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.getenv("API_THROTTLE_RATE", "600/minute"),
        "scan": os.getenv("API_SCAN_THROTTLE_RATE", "30/minute"),
    },
    "EXCEPTION_HANDLER": "readiness.api.errors.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    # ASCII: client generators make package and class names of titles (the Chinese name is in the description).
    "TITLE": "Double 11 Readiness API",
    "DESCRIPTION": "双11 备战检查: push catalogues, pull readiness reports and findings (interfaces.md §2, §3).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from drf-spectacular-sidecar's pinned copy, served as our own static files: no third-party
    # script on the logged-in origin, and /api/docs/ works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "readiness.api.openapi.strict_schema_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SeverityEnum": "readiness.api.serializers.SEVERITIES",
        "CheckEnum": "readiness.api.serializers.CHECKS",
        "CheckStatusEnum": "readiness.api.serializers.CHECK_STATUSES",
        "FindingStatusEnum": ["open", "waived"],
        "JobStatusEnum": "readiness.api.serializers.JOB_STATUSES",
        "RunStatusEnum": "readiness.api.serializers.RUN_STATUSES",
        "PlatformEnum": "readiness.platforms.PLATFORMS",
        "RebateKindEnum": "readiness.platforms.REBATE_KINDS",
        "ImageKindEnum": "readiness.platforms.IMAGE_KINDS",
    },
}

# Listings per scan task: a big shop's scan is split into chunks that several workers scan in parallel.
SCAN_CHUNK_SIZE = envint("SCAN_CHUNK_SIZE", "2000")

# Listing pictures (docs/images.md): what one picture may cost, how long a URL may take, how many pictures one
# OCR task reads, and onnxruntime threads per worker process (0: its default, every core).
IMAGE_MAX_BYTES = envint("IMAGE_MAX_BYTES", str(20 * 1024 * 1024))
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", "25000000")
IMAGE_MAX_TILES = envint("IMAGE_MAX_TILES", "40")
IMAGE_FETCH_TIMEOUT = envint("IMAGE_FETCH_TIMEOUT", "15")
IMAGE_READ_BATCH = envint("IMAGE_READ_BATCH", "8")
OCR_THREADS = envint("OCR_THREADS", "0")

# ---- what one request may cost (each limit is one setting; a request over it gets 413, nothing is read whole) ----
# Bundles larger than this are refused before parsing (bytes).
BUNDLE_MAX_BYTES = envint("BUNDLE_MAX_BYTES", str(200 * 1024 * 1024))
# The body of any other API request (a listing edit, a waiver, a stateless scan), in bytes.
API_JSON_MAX_BYTES = envint("API_JSON_MAX_BYTES", str(10 * 1024 * 1024))
# How deeply a JSON body may nest (objects and arrays); the deepest real request (a scan) nests 4 deep.
API_JSON_MAX_DEPTH = envint("API_JSON_MAX_DEPTH", "32")
# A web form's fields (Django reads them into memory), in bytes; a file uploaded in the browser is limited by
# BUNDLE_MAX_BYTES (web/forms.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("WEB_FORM_MAX_BYTES", str(2_621_440))
# POST /api/v1/scan: listings per request, characters of text per request, findings reported per field, and its
# own rate per user (it costs CPU in the web process, unlike every other endpoint).
API_SCAN_MAX_LISTINGS = envint("API_SCAN_MAX_LISTINGS", "500")
API_SCAN_MAX_CHARS = envint("API_SCAN_MAX_CHARS", "1000000")
API_SCAN_MAX_FINDINGS_PER_FIELD = envint("API_SCAN_MAX_FINDINGS_PER_FIELD", "50")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "true")
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "true")
