"""
Settings for satupintu, driven by the environment.

DATABASE_URL picks the database: SQLite (WAL) in ./var/ by default, PostgreSQL when set to a
postgres:// URL. SECRET_KEY and DEBUG come from the environment; DEBUG defaults to off.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SATUPINTU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# The test suite (pytest) runs with test-only conveniences: a fixed secret key and a fast hasher.
TESTING = bool(os.environ.get("SATUPINTU_TESTING")) or "pytest" in sys.modules
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-do-not-use-in-production" if DEBUG or TESTING else ""
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "crontask",
    "ninja",
    # Second factor (TOTP and one-time recovery codes): docs/security.md, "Masuk dua langkah".
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "satupintu.core",
    "satupintu.accounts",
    "satupintu.workdays",
    "satupintu.organisations",
    "satupintu.catalogue",
    "satupintu.control_card",
    "satupintu.applications",
    "satupintu.documents",
    "satupintu.notifications",
    "satupintu.complaints",
    "satupintu.surveys",
    "satupintu.payments",
    "satupintu.reports",
    "satupintu.portal",
    "satupintu.staff",
    "satupintu.api",
    "satupintu.demo",
]

MIDDLEWARE = [
    "satupintu.core.metrics.RequestMetricsMiddleware",
    "satupintu.core.proxy.ForwardedClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satupintu.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "satupintu.accounts.middleware.PermissionMemoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The idle timeout and the second factor for staff (after messages: it says why it signed out).
    "satupintu.accounts.middleware.AccountSessionMiddleware",
    "satupintu.core.routing.ReplicaReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "satupintu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

SQLITE_PATH = VAR_DIR / "satupintu.sqlite3"
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions keep a web process and a worker from tripping over locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Production profile (docs/deploy.md). Every statement is bounded, so a runaway query is
    # cancelled instead of holding a worker; an idle transaction is not left holding locks.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = " ".join(
        [
            f"-c statement_timeout={int(os.environ.get('DATABASE_STATEMENT_TIMEOUT_MS', '30000'))}",
            f"-c idle_in_transaction_session_timeout={int(os.environ.get('DATABASE_IDLE_TX_TIMEOUT_MS', '60000'))}",
        ]
    )
    _pg_options["application_name"] = os.environ.get("DATABASE_APPLICATION_NAME", "satupintu")
    # psycopg's pool keeps the connections of one process bounded (a threaded server would otherwise
    # open one per request thread) and reuses them. DATABASE_POOL_MAX_SIZE=0 turns it off and
    # falls back to persistent connections (DATABASE_CONN_MAX_AGE) with health checks.
    _pool_max = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "0" if TESTING else "4"))
    if _pool_max > 0:
        _pg_options["pool"] = {
            "min_size": min(int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")), _pool_max),
            "max_size": _pool_max,
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
            "max_idle": 300,
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool reuses connections itself
    else:
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A PostgreSQL streaming replica for reads that may be a moment stale (satupintu/core/routing.py):
# public pages, tracking, verification, published results and reports. Skipped while it is down or
# lags more than SATUPINTU_REPLICA_MAX_LAG_SECONDS.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    _replica_options = dict(DATABASES["default"].get("OPTIONS", {}))
    _replica_options.pop("pool", None)  # a replica's pool would outlive its outages; plain connections
    _replica_options["connect_timeout"] = int(os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2"))
    DATABASES["replica"]["OPTIONS"] = _replica_options
    DATABASES["replica"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["satupintu.core.routing.ReplicaRouter"]
SATUPINTU_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("SATUPINTU_REPLICA_MAX_LAG_SECONDS", "10"))
SATUPINTU_REPLICA_CHECK_SECONDS = float(os.environ.get("SATUPINTU_REPLICA_CHECK_SECONDS", "5"))
SATUPINTU_REPLICA_VIEWS = [
    "portal:home",
    "portal:services",
    "portal:service",
    "portal:office_services",
    "portal:office_service",
    "portal:track",
    "portal:verify",
    "surveys_public:published",
    "surveys_public:office_published",
    "surveys_staff:results",
    "surveys_staff:performance",
    "surveys_staff:performance_xlsx",
    "api-v1:services_list",
    "api-v1:track",
    "api-v1:verify",
]

if os.environ.get("SATUPINTU_TEST_DB_NAME"):
    # Lets several test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["SATUPINTU_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Usernames first (officers); applicants may also sign in with their e-mail or mobile number.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "satupintu.accounts.backends.EmailOrPhoneBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian is the primary language (and the language of the source strings, see
# docs/adr/0002-indonesian-source-strings.md); English is the second locale.
if TESTING:
    # Hashing cost is for production; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "satupintu" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads and issued documents go to S3-compatible object storage (SeaweedFS, MinIO, a cloud's
# S3) when SATUPINTU_S3_BUCKET is set; otherwise to MEDIA_ROOT on local disk (the default).
if os.environ.get("SATUPINTU_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SATUPINTU_S3_BUCKET"],
            "endpoint_url": os.environ.get("SATUPINTU_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("SATUPINTU_S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("SATUPINTU_S3_SECRET_KEY", ""),
            "region_name": os.environ.get("SATUPINTU_S3_REGION", "us-east-1"),
            "location": os.environ.get("SATUPINTU_S3_PREFIX", ""),
            "addressing_style": "path",
            "signature_version": "s3v4",
            # Never replace a stored file: a second upload under the same name gets a new name.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
# Offices run on closed networks: the app serves its own static files (no CDN).
WHITENOISE_USE_FINDERS = DEBUG
# Source maps (the API docs' bundles, megabytes each) are read only by a browser's developer
# tools: not compressed, which takes most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv"),
    *("woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv"),
    "map",
)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- notifications (outbox, channels, worker, schedule) ---
# docs/notifications.md explains every key. Channels: "console" (log; the default when nothing is
# configured), "file" (JSON lines to SATUPINTU_NOTICE_FILE), "http" (an SMS/WhatsApp gateway),
# "mail" (Django's e-mail backend), "fake" (tests).
# A gateway is "http" when <PREFIX>_URL is set. HEADERS, PAYLOAD and SUCCESS are JSON (a string
# from the environment or a dict); PAYLOAD placeholders: {to} (+62…), {to_digits} (62…),
# {to_local} (08…), {text}, {subject}, {key} (the notice's idempotency key). Success: the HTTP
# status is in SUCCESS["status"] and, when given, SUCCESS["json_path"] equals SUCCESS["equals"]
# or the body contains SUCCESS["contains"].
SATUPINTU_SMS, SATUPINTU_WHATSAPP = (
    {
        "BACKEND": "http" if os.environ.get(f"{prefix}_URL") else os.environ.get(f"{prefix}_BACKEND", "console"),
        "URL": os.environ.get(f"{prefix}_URL", ""),
        "METHOD": os.environ.get(f"{prefix}_METHOD", "POST"),
        "FORMAT": os.environ.get(f"{prefix}_FORMAT", "json"),  # json, form or query
        "HEADERS": os.environ.get(f"{prefix}_HEADERS", "{}"),
        "BASIC_AUTH": os.environ.get(f"{prefix}_BASIC_AUTH", ""),  # "user:password"
        "PAYLOAD": os.environ.get(f"{prefix}_PAYLOAD", '{"to": "{to}", "message": "{text}"}'),
        "SUCCESS": os.environ.get(f"{prefix}_SUCCESS", '{"status": [200, 201, 202]}'),
        "PROVIDER_ID_PATH": os.environ.get(f"{prefix}_ID_PATH", ""),
        "IDEMPOTENCY_HEADER": os.environ.get(f"{prefix}_IDEMPOTENCY_HEADER", ""),
        "TIMEOUT": float(os.environ.get(f"{prefix}_TIMEOUT", "10")),
    }
    for prefix in ("SATUPINTU_SMS", "SATUPINTU_WHATSAPP")
)
# The payment gateway (docs/payments.md): a bank's virtual account / QRIS API over HTTP, or the
# local fake. SECRET signs the gateway's callbacks (HMAC-SHA256); without it every callback is refused.
SATUPINTU_PAYMENTS = {
    "BACKEND": "http"
    if os.environ.get("SATUPINTU_PAYMENTS_URL")
    else os.environ.get("SATUPINTU_PAYMENTS_BACKEND", "fake"),
    "URL": os.environ.get("SATUPINTU_PAYMENTS_URL", ""),
    "SECRET": os.environ.get("SATUPINTU_PAYMENTS_SECRET", "uji-rahasia-gateway" if TESTING else ""),
    "HEADERS": json.loads(os.environ.get("SATUPINTU_PAYMENTS_HEADERS", "{}")),
    "CODE_PATH": os.environ.get("SATUPINTU_PAYMENTS_CODE_PATH", "payment_code"),
    "QRIS_PATH": os.environ.get("SATUPINTU_PAYMENTS_QRIS_PATH", "qris"),
    "REFERENCE_PATH": os.environ.get("SATUPINTU_PAYMENTS_REFERENCE_PATH", "reference"),
    "BILL_NUMBER_FORMAT": os.environ.get(
        "SATUPINTU_PAYMENTS_BILL_FORMAT", "973/{seq:05d}/SKRD/{office_code}/{roman_month}/{year}"
    ),
}
SATUPINTU_EMAIL = {"BACKEND": os.environ.get("SATUPINTU_EMAIL_BACKEND", "mail")}
SATUPINTU_NOTICE_FILE = os.environ.get("SATUPINTU_NOTICE_FILE", str(VAR_DIR / "notices.jsonl"))
# E-mail (Django 6.1 MAILERS): SMTP when DJANGO_EMAIL_HOST is set; otherwise printed to the
# console in development and handed to the server's own mail transfer agent (localhost:25, as
# Debian's exim4 or postfix listen) in production. The test runner replaces every mailer with locmem.
_smtp_local = not os.environ.get("DJANGO_EMAIL_HOST") and not (DEBUG or TESTING)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25" if _smtp_local else "587")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", not _smtp_local),
            "timeout": 20,
        },
    }
    if os.environ.get("DJANGO_EMAIL_HOST") or _smtp_local
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "DPMPTSP <noreply@localhost>")
SATUPINTU_NOTICES = {
    # Channels an applicant is told through, in order; a channel is used when the applicant has
    # an address for it. Add "whatsapp" to send WhatsApp as well (its template falls back to SMS).
    "APPLICANT_CHANNELS": ["sms", "email"],
    "MAX_ATTEMPTS": int(os.environ.get("SATUPINTU_NOTICE_MAX_ATTEMPTS", "6")),
    # Back-off after the n-th failed attempt: BASE × 2^(n-1) seconds, at most MAX.
    "BACKOFF_BASE_SECONDS": 60,
    "BACKOFF_MAX_SECONDS": 3600,
    # A notice "sending" for longer than this belongs to a crashed worker and is sent again.
    "SENDING_TIMEOUT_SECONDS": 600,
    # The sweeper leaves a pending notice this long to its own queued task before re-queueing it.
    "SWEEP_GRACE_SECONDS": 120,
    # Seconds between sweeps when set (test/dev only); otherwise every minute by cron.
    "SWEEP_INTERVAL_SECONDS": int(os.environ.get("SATUPINTU_NOTICE_SWEEP_SECONDS", "0")),
    # Seed, Jaminan pelayanan b ("1 bulan"): the period lives in each standard
    # (guarantees.uncollected_notice_after), not here.
    # Permit expiry reminders, days before valid_until (one notice per threshold).
    "EXPIRY_REMINDER_DAYS": [60, 30],
    # Link in the survey invitation; {nomor} is the registration number (the survey issue sets it).
    "SURVEY_URL": os.environ.get("SATUPINTU_SURVEY_URL", ""),
    # Whom an overdue step is escalated to: role → superior role.
    "SUPERIOR_ROLES": {
        "front_office": "sekretaris",
        "back_office": "sekretaris",
        "tim_teknis": "sekretaris",
        "analis_muda": "analis_madya",
        "analis_madya": "sekretaris",
        "sekretaris": "kepala_dinas",
        "pengelola_pengaduan": "sekretaris",
        "kepala_bidang": "kepala_dinas",
    },
}
# --- end notifications ---

# --- documents (permit letters, signatures, verification; docs/documents.md) ---
# The public address printed in the QR code of every permit (the verification page).
# The address printed in QR codes, receipts, SMS and survey links; `make run` sets it from HOST/PORT.
SATUPINTU_PUBLIC_URL = os.environ.get("SATUPINTU_PUBLIC_URL") or "http://{}:{}".format(
    os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
)
SATUPINTU_SIGNING = {
    # "local" (pyHanko with the office's PKCS#12) or "bsre" (the BSrE esign-client adapter).
    "BACKEND": os.environ.get("SATUPINTU_SIGNING_BACKEND", "local"),
    "DIR": VAR_DIR / "signing",
    "PKCS12": {},  # {"office-slug": "/path/kantor.p12"} in production
    "PASSPHRASE": os.environ.get("SATUPINTU_SIGNING_PASSPHRASE", "satupintu-dev"),
    # A development CA and certificates are made on first use only in development and tests.
    "AUTO_DEV_CA": DEBUG or TESTING,
    "TRUST_ROOTS": [p for p in os.environ.get("SATUPINTU_TRUST_ROOTS", "").split(",") if p],
    # Sign in the approving request instead of the worker (ADR 0009): tests and in-process benchmarks.
    "EAGER": TESTING or os.environ.get("SATUPINTU_SIGNING_EAGER") == "1",
    "BSRE": {
        "URL": os.environ.get("SATUPINTU_BSRE_URL", ""),
        "NIK": os.environ.get("SATUPINTU_BSRE_NIK", ""),
        "PASSPHRASE": os.environ.get("SATUPINTU_BSRE_PASSPHRASE", ""),
        "USERNAME": os.environ.get("SATUPINTU_BSRE_USERNAME", ""),
        "PASSWORD": os.environ.get("SATUPINTU_BSRE_PASSWORD", ""),
    },
}
# --- end documents ---

# The control card's and the complaint history's hash chains are keyed (HMAC) with a secret kept
# outside the database, and each office's card heads are anchored daily under a second secret
# (docs/security.md, "Kartu kendali: kunci dan jangkar"). Either the key itself (hex) or a file
# holding it; in development a key file under var/ is made on first use, tests use a fixed key.
SATUPINTU_CARD_KEY = os.environ.get("SATUPINTU_CARD_KEY", "0123456789abcdef" * 4 if TESTING else "")
SATUPINTU_CARD_KEY_FILE = os.environ.get("SATUPINTU_CARD_KEY_FILE", str(VAR_DIR / "card.key") if DEBUG else "")
SATUPINTU_CARD_ANCHOR_KEY = os.environ.get("SATUPINTU_CARD_ANCHOR_KEY", "fedcba9876543210" * 4 if TESTING else "")
SATUPINTU_CARD_ANCHOR_KEY_FILE = os.environ.get(
    "SATUPINTU_CARD_ANCHOR_KEY_FILE", str(VAR_DIR / "card-anchor.key") if DEBUG else ""
)
# Card entries written before the chain was keyed (plain SHA-256) are accepted up to this entry id.
SATUPINTU_CARD_UNKEYED_MAX_ID = int(os.environ.get("SATUPINTU_CARD_UNKEYED_MAX_ID", "0"))

# Standards shipped with the project (one YAML file per service).
SATUPINTU_STANDARDS_DIR = BASE_DIR / "standards"
# The office the public pages show when a request names none.
SATUPINTU_DEFAULT_OFFICE = os.environ.get("SATUPINTU_DEFAULT_OFFICE", "dpmptsp-kota-pekanbaru")

# Login throttling: SATUPINTU_LOGIN_THROTTLE in the security block at the end of this file.

# --- production profile (docs/deploy.md) ---
# The shared cache holds the throttles' counters and the sessions, so that every
# web process sees the same counts. SATUPINTU_CACHE_URL (or REDIS_URL): redis://host:6379/0, db://
# (the database cache; `manage.py createcachetable`), locmem:// (one process only) or dummy://.
# Unset: local memory in development and tests, the database cache in production.
CACHE_URL = os.environ.get("SATUPINTU_CACHE_URL") or os.environ.get("REDIS_URL") or ""
if not CACHE_URL:
    CACHE_URL = "locmem://" if DEBUG or TESTING else "db://"
_cache_scheme = CACHE_URL.split("://", 1)[0].lower()
if _cache_scheme in {"redis", "rediss", "unix"}:
    _default_cache: dict[str, Any] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # A Redis that stops answering fails a request in seconds instead of hanging it.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
elif _cache_scheme == "db":
    _default_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "satupintu_cache"}
elif _cache_scheme == "dummy":
    _default_cache = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
elif _cache_scheme == "locmem":
    _default_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    raise RuntimeError(f"SATUPINTU_CACHE_URL: unknown cache {CACHE_URL!r} (redis://, db://, locmem://, dummy://)")
_default_cache["KEY_PREFIX"] = os.environ.get("SATUPINTU_CACHE_PREFIX", "satupintu")
CACHES = {"default": _default_cache}
CACHE_SHARED = _cache_scheme not in {"locmem", "dummy"}
if CACHE_SHARED:
    # Sessions read from the shared cache, written through to the database (they survive a flush).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# TLS: SATUPINTU_TLS=1 when the site is served over HTTPS (nginx terminates TLS and sets
# X-Forwarded-Proto). Then cookies are secure, plain HTTP is redirected and HSTS is sent.
TLS = env_bool("SATUPINTU_TLS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", TLS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Probes and the metrics scraper talk to the web process directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SATUPINTU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SATUPINTU_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SATUPINTU_HSTS_PRELOAD", True)

# Requests from these addresses come through the reverse proxy: the client's address is taken from
# its X-Real-IP / X-Forwarded-For (satupintu/core/proxy.py). Empty to trust no proxy.
SATUPINTU_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("SATUPINTU_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a.strip()
]

# Health and metrics (satupintu/core/health.py). /metrics answers a request that carries
# "Authorization: Bearer <SATUPINTU_METRICS_TOKEN>", or, without a token, only a direct local one.
SATUPINTU_METRICS_TOKEN = os.environ.get("SATUPINTU_METRICS_TOKEN", "")
# The worker counts as alive while some task (the scheduler's minute heartbeat at least) finished
# within this many seconds.
SATUPINTU_WORKER_MAX_SILENCE_SECONDS = int(os.environ.get("SATUPINTU_WORKER_MAX_SILENCE_SECONDS", "180"))
# Gauges sampled at each scrape: metric name → (help, dotted path of a function returning a number
# or a {label value: number} mapping). The apps provide them; core only calls them.
SATUPINTU_METRICS_GAUGES = {
    "satupintu_outbox_backlog": (
        "Notices waiting in the outbox, by status",
        "satupintu.notifications.metrics.outbox_backlog",
    ),
}

# Logs: one JSON object per line in production (SATUPINTU_LOG_FORMAT=json|text); e-mail
# addresses, phone numbers and NIKs are masked in every message (satupintu/core/logs.py).
LOG_FORMAT = os.environ.get("SATUPINTU_LOG_FORMAT", "text" if DEBUG or TESTING else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "satupintu.core.logs.MaskPersonalData"}},
    "formatters": {
        "json": {"()": "satupintu.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # The scheduler logs every run of every job (the lock refresh every 5 s); keep its warnings only.
        # Failed jobs still log; SATUPINTU_SCHEDULER_LOG_LEVEL=INFO shows every run.
        "apscheduler": {"level": os.environ.get("SATUPINTU_SCHEDULER_LOG_LEVEL", "WARNING")},
        # The console channel logs that a message went out (its id and length, never the recipient
        # or the text): development only. In production configure a gateway or the file channel.
        "satupintu.notifications.channels": {"level": "INFO" if LOG_FORMAT == "text" else "WARNING"},
    },
}
# --- end production profile ---

# --- security: uploads, request limits, personal responses, CSP (issue 13; docs/security.md) ---
# Kept as one block at the end of the file: it only adds middleware and settings.
# What an upload may be (satupintu/applications/uploads.py): pixel and PDF limits, replacements.
SATUPINTU_UPLOADS = {
    "MAX_PIXELS": int(os.environ.get("SATUPINTU_UPLOAD_MAX_PIXELS", "40000000")),
    "IMAGE_MAX_SIDE": int(os.environ.get("SATUPINTU_UPLOAD_IMAGE_MAX_SIDE", "4000")),
    "PDF_MAX_PAGES": int(os.environ.get("SATUPINTU_UPLOAD_PDF_MAX_PAGES", "300")),
    "PDF_MAX_OBJECTS": int(os.environ.get("SATUPINTU_UPLOAD_PDF_MAX_OBJECTS", "100000")),
    "PDF_MAX_INFLATED_BYTES": int(os.environ.get("SATUPINTU_UPLOAD_PDF_MAX_INFLATED_MB", "256")) * 1024 * 1024,
    "MAX_REPLACEMENTS": int(os.environ.get("SATUPINTU_UPLOAD_MAX_REPLACEMENTS", "20")),
}
# Request bodies (satupintu/core/security.py), refused with 413 before they are read. Bodies that
# are not multipart are held to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB) the same way.
SATUPINTU_REQUEST_LIMITS = {
    "MAX_BYTES": int(os.environ.get("SATUPINTU_REQUEST_MAX_MB", "64")) * 1024 * 1024,
    "ANONYMOUS_MAX_BYTES": int(os.environ.get("SATUPINTU_REQUEST_ANONYMOUS_MAX_MB", "12")) * 1024 * 1024,
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "satupintu.core.security.RequestLimitMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "satupintu.core.security.PersonalNoStoreMiddleware",
)
# The access log of personal data (satupintu/core/privacy.py) records the client address of the
# request being served: after the proxy middleware has put the real one in REMOTE_ADDR.
MIDDLEWARE.insert(
    MIDDLEWARE.index("satupintu.core.proxy.ForwardedClientMiddleware") + 1,
    "satupintu.core.privacy.AccessOriginMiddleware",
)
# One sign-in throttle for the web, admin and API doors (satupintu/accounts/throttle.py):
# progressive delays per name from an address and per address, never a lock of a name.
SATUPINTU_LOGIN_THROTTLE = {
    "FREE_FAILURES": int(os.environ.get("SATUPINTU_LOGIN_FREE_FAILURES", "5")),
    "ADDRESS_FREE_FAILURES": int(os.environ.get("SATUPINTU_LOGIN_ADDRESS_FREE_FAILURES", "50")),
    "BASE_DELAY_SECONDS": 2,
    "MAX_DELAY_SECONDS": int(os.environ.get("SATUPINTU_LOGIN_MAX_DELAY_SECONDS", "900")),
    "WINDOW_HOURS": 24,
    "KNOWN_ADDRESS_DAYS": 90,
}
# Content-Security-Policy (Django's own, docs/security.md): this site's files only. No page has an
# inline script or style attribute (the print buttons use portal/print.js); the nonce is for the
# admin's templates ({% csp_nonce_attr %}). Stored uploads are served with their own, stricter
# policy (satupintu/core/serving.py), which the middleware leaves in place.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")  # type: ignore[index]
# Accounts (satupintu/accounts/sessions.py, twofactor.py; docs/security.md "Akun"): the second
# factor for staff, idle timeouts, the password reset link.
SATUPINTU_ACCOUNTS = {
    # "wajib 2FA untuk petugas" for an office without its own policy row (OfficeAccountPolicy):
    # on in production; off in development and tests, so the demo's officers sign in with a
    # password alone (an office's row, or SATUPINTU_STAFF_OTP_REQUIRED=1, turns it on there too).
    "STAFF_OTP_REQUIRED_DEFAULT": env_bool("SATUPINTU_STAFF_OTP_REQUIRED", not (DEBUG or TESTING)),
    # Signed out after this long without a request: staff, and applicants (who fill long forms).
    "STAFF_IDLE_MINUTES": int(os.environ.get("SATUPINTU_STAFF_IDLE_MINUTES", "30")),
    "APPLICANT_IDLE_MINUTES": int(os.environ.get("SATUPINTU_APPLICANT_IDLE_MINUTES", "240")),
    # How often a request refreshes "last seen" (seconds): the session is not written on every request.
    "LAST_SEEN_PRECISION_SECONDS": 60,
    # The issuer shown in the authenticator app.
    "OTP_ISSUER": os.environ.get("SATUPINTU_OTP_ISSUER", "satupintu"),
    # Recovery codes made at enrolment (each works once).
    "RECOVERY_CODES": 10,
    # Password-reset notices one account may be sent per hour (the form answers the same anyway).
    "RESET_NOTICES_PER_HOUR": 3,
    # Queues the reset link through the outbox: (office, user, link, channel) -> notice or None.
    # A dotted path because notifications sits above accounts in the layers.
    "PASSWORD_RESET_NOTIFY": "satupintu.notifications.services.password_reset_notify",
}
# A reset link works once (its token is bound to the password hash) and for an hour.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("SATUPINTU_PASSWORD_RESET_SECONDS", "3600"))
# Sessions end after 12 hours at most, whatever the activity; idle ones earlier (above).
SESSION_COOKIE_AGE = int(os.environ.get("SATUPINTU_SESSION_MAX_HOURS", "12")) * 3600
OTP_TOTP_ISSUER = SATUPINTU_ACCOUNTS["OTP_ISSUER"]
# The admin lists authenticators but never shows their secret keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# --- end security ---
