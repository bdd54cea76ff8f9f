"""Django settings, built from ``TACNGHIEP_*`` environment variables only.

Two profiles share this file (docs/installation.md):

* ``embedded`` (default): SQLite in WAL mode, local files, Celery over kombu's
  filesystem transport — everything in ``TACNGHIEP_DATA_DIR``.
* ``production``: PostgreSQL, Redis or RabbitMQ, S3-compatible storage; every
  secret must come from the environment.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
from celery.schedules import crontab

from tacnghiep.settings import env

# Lets annotations such as ModelAdmin[Catalog] work at run time, not only for mypy.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
PROFILE = env.get_choice("PROFILE", "embedded", {"embedded", "production"})
PRODUCTION = PROFILE == "production"
DATA_DIR = env.get_path("DATA_DIR", Path.cwd() / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_file(name: str, make: Any) -> str:
    """Read a generated secret from DATA_DIR, creating it on first start (embedded only)."""
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _make_rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


SECRET_KEY = env.raw("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise env.SettingsError("TACNGHIEP_SECRET_KEY is required in the production profile")
    SECRET_KEY = _secret_file("secret_key", lambda: secrets.token_urlsafe(50))

DEBUG = env.get_bool("DEBUG", False)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])
# Client addresses are taken from X-Forwarded-For only when the request comes from one of these.
TRUSTED_PROXIES = env.get_list("TRUSTED_PROXIES", [])
SITE_URL = env.get_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Ours before the libraries, so that our templates replace theirs (e.g. the OIDC consent page).
    "tacnghiep.core",
    "tacnghiep.directory",
    "tacnghiep.documents",
    "tacnghiep.search",
    "tacnghiep.signing",
    "tacnghiep.exchange",
    "tacnghiep.bus",
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tacnghiep.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tacnghiep.core.middleware.SessionPolicyMiddleware",
    "tacnghiep.directory.middleware.ActorMiddleware",
    "tacnghiep.directory.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tacnghiep.urls"
WSGI_APPLICATION = "tacnghiep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tacnghiep.directory.context_processors.actor",
            ],
        },
    }
]

# --- Database ----------------------------------------------------------------
_db = env.parse_database_url(env.get_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tacnghiep.sqlite3'}"))
if _db.engine == "sqlite":
    DATABASES: dict[str, dict[str, Any]] = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _db.name,
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two
                # writers never read a stale snapshot (arrival numbers, audit chain).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": env.get_str("TEST_SQLITE_NAME", str(DATA_DIR / "test.sqlite3"))},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "OPTIONS": dict(_db.options or {}),
            "CONN_MAX_AGE": env.get_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
        }
    }
if PRODUCTION and _db.engine != "postgresql":
    raise env.SettingsError("the production profile needs TACNGHIEP_DATABASE_URL=postgresql://…")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, sessions, sign-in ----------------------------------------------
AUTH_USER_MODEL = "directory.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "tacnghiep.directory.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# OWASP's recommended minimum for Argon2id (19 MiB, 2 passes, 1 lane): ~40 ms a check on
# this machine class; Django's defaults (100 MiB, 8 lanes) cost ~145 ms. See docs/decisions.
ARGON2_MEMORY_KIB = env.get_int("ARGON2_MEMORY_KIB", 19456, minimum=8192)
ARGON2_TIME_COST = env.get_int("ARGON2_TIME_COST", 2, minimum=1)
ARGON2_PARALLELISM = env.get_int("ARGON2_PARALLELISM", 1, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.get_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tacnghiep.directory.passwords.ContextWordValidator"},
]
LOGIN_URL = "directory:login"
LOGIN_REDIRECT_URL = "directory:home"
LOGOUT_REDIRECT_URL = "directory:login"

IDLE_TIMEOUT = timedelta(minutes=env.get_int("IDLE_TIMEOUT_MINUTES", 15, minimum=1))
SESSION_MAX_AGE = timedelta(hours=env.get_int("SESSION_MAX_HOURS", 8, minimum=1))
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(SESSION_MAX_AGE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env.get_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # The __Host- prefix pins the cookie to this host and path, over HTTPS only.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.get_int("HSTS_SECONDS", 31536000, minimum=0)
    SECURE_SSL_REDIRECT = env.get_bool("SSL_REDIRECT", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Lockout after repeated failures, per account and per client address separately.
AXES_FAILURE_LIMIT = env.get_int("LOCKOUT_ATTEMPTS", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "tacnghiep.core.context.client_address_of"
AXES_LOCKOUT_CALLABLE = "tacnghiep.directory.views.auth.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = env.get_str("OTP_ISSUER", "tacnghiep")
OTP_TOTP_THROTTLE_FACTOR = 1

# --- OpenID Connect provider ---------------------------------------------------
_oidc_key_file = env.raw("OIDC_PRIVATE_KEY_FILE")
if _oidc_key_file:
    OIDC_PRIVATE_KEY = Path(_oidc_key_file).read_text()
elif PRODUCTION:
    raise env.SettingsError("TACNGHIEP_OIDC_PRIVATE_KEY_FILE is required in the production profile")
else:
    OIDC_PRIVATE_KEY = _secret_file("oidc_private_key.pem", _make_rsa_key)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_PRIVATE_KEY,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tacnghiep.directory.oidc.Validator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Họ tên và tên đăng nhập",
        "email": "Thư điện tử",
        "organization": "Cơ quan, đơn vị và vai trò",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if not PRODUCTION else ["https"],
    "OIDC_ISS_ENDPOINT": env.get_str("OIDC_ISSUER", ""),
}

# --- REST API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tacnghiep.directory.api.authentication.ApiTokenAuthentication",
        "tacnghiep.directory.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tacnghiep.core.api.KeysetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tacnghiep.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tacnghiep API",
    "DESCRIPTION": "REST API của hệ thống thông tin điều hành tác nghiệp.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "AssignmentRoleEnum": "tacnghiep.documents.models.AssignmentRole",
        "DeliveryStateEnum": "tacnghiep.documents.models.DeliveryState",
        "InboxStateEnum": "tacnghiep.exchange.models.InboxState",
    },
}

# --- Background jobs -------------------------------------------------------------
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = env.get_str("BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # A change must be searchable within a second: the worker looks for new messages often.
        "polling_interval": 0.1,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.get_int("TASK_TIME_LIMIT", 600, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # The indexer is woken by every change; this catches anything a lost wake-up left behind.
    "search-index-pending": {"task": "tacnghiep.search.tasks.index_pending", "schedule": 30.0},
    "clear-expired-sessions": {"task": "tacnghiep.core.tasks.clear_expired_sessions", "schedule": 900.0},
    "deadline-reminders": {
        "task": "tacnghiep.documents.tasks.deadline_reminders",
        "schedule": crontab(minute=0, hour="7,13"),
    },
    "certificate-expiry": {
        "task": "tacnghiep.signing.tasks.warn_expiring_certificates",
        "schedule": crontab(hour=7, minute=5),
    },
    "verify-audit-chain": {"task": "tacnghiep.core.tasks.verify_audit_chain", "schedule": crontab(hour=1, minute=30)},
    # The exchange: take what the hub lists for us; send what a lost wake-up left in the outbox.
    "exchange-poll": {
        "task": "tacnghiep.exchange.tasks.poll_hub",
        "schedule": float(env.get_int("EXCHANGE_POLL_SECONDS", 15, minimum=1)),
    },
    "exchange-relay": {"task": "tacnghiep.exchange.tasks.relay_outbox", "schedule": 30.0},
}

# --- Files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = env.get_path("MEDIA_ROOT", DATA_DIR / "media")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGE_BACKEND = env.get_choice("STORAGE", "local", {"local", "s3"})
_media: dict[str, Any]
if STORAGE_BACKEND == "s3":
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.get_str("S3_BUCKET", "tacnghiep"),
            "endpoint_url": env.raw("S3_ENDPOINT_URL"),
            "access_key": env.raw("S3_ACCESS_KEY"),
            "secret_key": env.raw("S3_SECRET_KEY"),
            "region_name": env.raw("S3_REGION"),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 50
PDF_FONT = env.get_path("PDF_FONT", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
SEARCH_INDEX_DIR = env.get_path("SEARCH_INDEX_DIR", DATA_DIR / "search")
SEARCH_WAKE_WORKER = True
# Limits on every stored upload (core.uploads); a reverse proxy should refuse larger bodies first.
UPLOAD_MAX_BYTES = env.get_int("UPLOAD_MAX_MB", 100, minimum=1) * 1024 * 1024
UPLOAD_MAX_PAGES = env.get_int("UPLOAD_MAX_PAGES", 2000, minimum=1)
UPLOAD_MAX_PIXELS = env.get_int("UPLOAD_MAX_PIXELS", 120_000_000, minimum=1)
# .docx files are ZIP archives: refuse bombs before anything unpacks them.
UPLOAD_MAX_UNPACKED_BYTES = env.get_int("UPLOAD_MAX_UNPACKED_MB", 300, minimum=1) * 1024 * 1024
UPLOAD_MAX_ARCHIVE_ENTRIES = 2000
UPLOAD_MAX_COMPRESSION_RATIO = 200

# --- Digital signatures (docs/administration.md "Chữ ký số") --------------------------------
# Every PDF is read in a pool of child processes with bounded memory and time.
SIGNING_CHECK_PROCESSES = env.get_int("SIGNING_CHECK_PROCESSES", 2, minimum=1)
SIGNING_CHECK_MEMORY_MB = env.get_int("SIGNING_CHECK_MEMORY_MB", 1024, minimum=256)
SIGNING_CHECK_TIMEOUT = float(env.get_int("SIGNING_CHECK_TIMEOUT", 30, minimum=1))
# Revocation: "soft-fail" uses what is embedded or reachable; "hard-fail" fails on unknown status.
SIGNING_REVOCATION_MODE = env.get_choice("SIGNING_REVOCATION_MODE", "soft-fail", {"soft-fail", "hard-fail", "require"})
# Closed network: OCSP/CRL are fetched only when the administrator allows it (configured peers).
SIGNING_FETCH_REVOCATION = env.get_bool("SIGNING_FETCH_REVOCATION", False)
# What was fetched is reused this long per process (one round trip per certificate per hour).
SIGNING_REVOCATION_CACHE_SECONDS = env.get_int("SIGNING_REVOCATION_CACHE_SECONDS", 3600, minimum=0)
# PAdES B-T with a timestamp authority; B-LT embeds revocation data (needs fetching).
SIGNING_TSA_URL = env.get_str("SIGNING_TSA_URL", "")
SIGNING_TSA_TIMEOUT = env.get_int("SIGNING_TSA_TIMEOUT", 10, minimum=1)
SIGNING_EMBED_REVOCATION = env.get_bool("SIGNING_EMBED_REVOCATION", False)
# Times New Roman 10 pt for the text lines (Liberation Serif has its metrics).
SIGNING_FONT = env.get_path("SIGNING_FONT", Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"))
SIGNING_SEAL_MM = env.get_int("SIGNING_SEAL_MM", 36, minimum=10)
SIGNING_SIGNATURE_SIZE = (150.0, 60.0)
# Documents may be approved and issued without digital signatures (signed on paper).
SIGNING_ALLOW_UNSIGNED = env.get_bool("SIGNING_ALLOW_UNSIGNED", True)
SIGNING_DESKTOP_MINUTES = env.get_int("SIGNING_DESKTOP_MINUTES", 15, minimum=1)
SIGNING_DESKTOP_REQUIRE_REGISTERED = env.get_bool("SIGNING_DESKTOP_REQUIRE_REGISTERED", True)
SIGNING_EXPIRY_WARNING_DAYS = env.get_int("SIGNING_EXPIRY_WARNING_DAYS", 30, minimum=1)

# --- Document exchange and the hub (docs/exchange.md) ----------------------------------
# The hub (``tacnghiep bus serve``): where packages are kept, its key (agency secrets are
# derived from it) and its message-log signing key.
BUS_DIR = env.get_path("BUS_DIR", DATA_DIR / "bus")
BUS_SECRET = env.raw("BUS_SECRET") or ("" if PRODUCTION else _secret_file("bus_secret", lambda: secrets.token_hex(32)))
BUS_LOG_KEY_FILE = env.get_path("BUS_LOG_KEY_FILE", DATA_DIR / "bus_log_key.pem")
BUS_MAX_BYTES = env.get_int("BUS_MAX_MB", 200, minimum=1) * 1024 * 1024
# The national SDK fixes its timestamp when its service object is created, so a long-lived
# client sends old timestamps: the accepted skew is wide by default (repeats are harmless,
# sends are idempotent).
BUS_CLOCK_SKEW_SECONDS = env.get_int("BUS_CLOCK_SKEW_SECONDS", 86400, minimum=60)
# After "processing" or "fail" a package leaves the recipient's list this long, then comes back.
BUS_RETRY_SECONDS = env.get_int("BUS_RETRY_SECONDS", 300, minimum=1)
BUS_MAX_FAILURES = env.get_int("BUS_MAX_FAILURES", 5, minimum=1)
BUS_LIST_LIMIT = env.get_int("BUS_LIST_LIMIT", 500, minimum=1)
BUS_AGENCY_CACHE_SECONDS = env.get_int("BUS_AGENCY_CACHE_SECONDS", 5, minimum=0)

# This instance's connection to a hub (ours or the national one).
EXCHANGE_HUB_URL = env.get_str("EXCHANGE_HUB_URL", "")
EXCHANGE_SYSTEM_ID = env.get_str("EXCHANGE_SYSTEM_ID", "")
EXCHANGE_SECRET = env.get_str("EXCHANGE_SECRET", "")
EXCHANGE_TIMEOUT = env.get_int("EXCHANGE_TIMEOUT", 30, minimum=1)
# Some peers expect every attachment inside a ZIP of its own (QCVN 102 allows both forms).
EXCHANGE_ZIP_ATTACHMENTS = env.get_bool("EXCHANGE_ZIP_ATTACHMENTS", False)

# --- Mail ---------------------------------------------------------------------------
EMAIL_HOST = env.raw("EMAIL_HOST") or ""
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.get_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.get_str("EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env.get_str("EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", True)
else:
    # Without a mail relay, messages are written to files an administrator can read.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env.get_str("EMAIL_FROM", "tacnghiep@localhost")

# --- Language, time ---------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["tacnghiep.formats"]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
_cache_url = env.raw("CACHE_URL")
if _cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# How many days before a deadline the assignee is reminded (then daily once it has passed).
REMINDER_DAYS_BEFORE = env.get_int("REMINDER_DAYS_BEFORE", 1, minimum=0)

# Demo sign-ins are printed by `tacnghiep demo`; the password comes from here so that
# no credential is in the repository.
DEMO_PASSWORD = env.get_str("DEMO_PASSWORD", "")
