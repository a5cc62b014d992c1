"""Castless settings: one module, every value read from the environment.

Embedded defaults run everything on a fresh machine with no services and no keys (SQLite,
django-q2's ORM broker, local media, the in-house engines). `.env.example` lists every
variable this module reads.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CASTLESS_DATA_DIR", str(BASE_DIR / "var")))

# --- Core -----------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-castless-do-not-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("CASTLESS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_q",
    "ninja",
    "axes",
    "csp",
    "accounts",
    "catalog",
    "identities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.CastlessCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.CurrentAccountMiddleware",
    # Last, as django-axes requires: it turns a paused sign-in into the login page's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "accounts.context_processors.current_account",
                "identities.context_processors.pricing",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_DATABASE_URL = env_str("DATABASE_URL")
# The web server and the worker share a SQLite file: wait for the lock, not fail. In WAL mode
# readers never wait for a writer and a commit costs one sync instead of a rollback journal's
# several (a create's latency was mostly its commits); synchronous stays FULL, so a commit
# that answered survives a power cut.
_SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL",
}
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A SQLite file named by URL is shared with the worker just like the embedded default.
        DATABASES["default"]["OPTIONS"] = {
            **_SQLITE_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "castless.sqlite3",
            "OPTIONS": _SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
# axes first: it refuses a paused e-mail or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.EmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "identities:library"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (django-axes, attempts stored in the database so every web process counts
# together; see accounts.throttle). Failed log-ins count per e-mail and per client address,
# unknown API tokens per address: LIMIT failures within COOLOFF pause that e-mail or address
# until COOLOFF after the failure that reached the limit. Failures during a pause do not
# extend it, and a successful log-in does not wipe the count (or an attacker could reset their
# address by logging in to an account of their own between guesses).
AXES_FAILURE_LIMIT = env_int("CASTLESS_SIGNIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CASTLESS_SIGNIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = "accounts.throttle.lockout_parameters"
AXES_USERNAME_CALLABLE = "accounts.throttle.attempt_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Proxies in front of the web process that each append the address they saw to
# X-Forwarded-For (1 for nginx alone); 0 = the server's REMOTE_ADDR is the client's (uvicorn
# with --proxy-headers already puts it there). Wrong here, every client shares one count.
CASTLESS_TRUSTED_PROXY_COUNT = env_int("CASTLESS_TRUSTED_PROXY_COUNT", 0, minimum=0)

# --- I18N / static / media ------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(DATA_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("CASTLESS_MEDIA_ROOT", str(DATA_DIR / "media")))

# Private images are served through expiring links (S3 presigned URLs, or Django-signed links on
# local storage), so a link works in an <img> without a session and nobody can guess one.
MEDIA_URL_TTL_SECONDS = env_int("CASTLESS_MEDIA_URL_TTL_SECONDS", 3600, minimum=60)

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": env_choice(
                "AWS_S3_ADDRESSING_STYLE", "auto", {"auto", "path", "virtual"}
            ),
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": MEDIA_URL_TTL_SECONDS,
        },
    }
else:
    _media_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Upload limits apply before any image is decoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("CASTLESS_MAX_REQUEST_BYTES", 30 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Task queue (django-q2) -----------------------------------------------------------------
REDIS_URL = env_str("CASTLESS_REDIS_URL")
Q_CLUSTER = {
    "name": env_str("CASTLESS_Q_NAME", "castless"),
    "workers": env_int("CASTLESS_Q_WORKERS", 2, minimum=1),
    "timeout": env_int("CASTLESS_Q_TIMEOUT", 300, minimum=10),
    "retry": env_int("CASTLESS_Q_RETRY", 360, minimum=20),
    "max_attempts": 1,
    "catch_up": False,
    "save_limit": 500,
    "label": "Task queue",
    # Tests run the real task code in-process. django-q2 reads this once at import, so it must be
    # set here (override_settings cannot reach it).
    "sync": env_bool("CASTLESS_Q_SYNC", False),
    "poll": env_float("CASTLESS_Q_POLL", 0.2, minimum=0.05),
    # Tasks a cluster pulls ahead die with it (Redis pops them; the ORM broker locks them for
    # `retry` seconds). One ready task per worker keeps workers fed and strands few; the
    # workers' sweep (`manage.py worker`) re-queues the rows of any that are stranded.
    "queue_limit": env_int("CASTLESS_Q_WORKERS", 2, minimum=1),
}
# How long a task holds its row (draft, run, preprocessing, delivery) between heartbeats; a
# killed worker's work is claimed again by another worker about this long after it died.
CASTLESS_TASK_LEASE_SECONDS = env_float("CASTLESS_TASK_LEASE_SECONDS", 20.0, minimum=2.0)
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
    # One Redis client per process, not one per queued job (config/queue.py).
    Q_CLUSTER["broker_class"] = "config.queue.PooledRedis"
else:
    Q_CLUSTER["orm"] = "default"

# E-mail for team invitations: sent only when an SMTP host is set (else owners copy the link).
EMAIL_HOST = env_str("CASTLESS_EMAIL_HOST")
EMAIL_PORT = env_int("CASTLESS_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("CASTLESS_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("CASTLESS_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("CASTLESS_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("CASTLESS_EMAIL_FROM", "Castless <no-reply@castless.local>")
# --- Castless -------------------------------------------------------------------------------
# Creation jobs and promotions an account may start per minute (the API answers 429 beyond).
CASTLESS_CREATE_PER_MINUTE = env_int("CASTLESS_CREATE_PER_MINUTE", 30, minimum=1)
CASTLESS_PROMOTE_PER_MINUTE = env_int("CASTLESS_PROMOTE_PER_MINUTE", 30, minimum=1)
# Reference images an account may upload per minute (one-step and two-step starts alike).
CASTLESS_UPLOAD_PER_MINUTE = env_int("CASTLESS_UPLOAD_PER_MINUTE", 60, minimum=1)
CASTLESS_STARTER_CREDITS = env_int("CASTLESS_STARTER_CREDITS", 60, minimum=0)
CASTLESS_DEMO_EMAIL = env_str("CASTLESS_DEMO_EMAIL", "demo@castless.local")
CASTLESS_DEMO_PASSWORD = env_str("CASTLESS_DEMO_PASSWORD", "castless-demo-2026")
CASTLESS_DEMO_CREDITS = env_int("CASTLESS_DEMO_CREDITS", 5000, minimum=0)
# Webhooks to private or loopback addresses are refused unless this is on (tests, development).
CASTLESS_ALLOW_PRIVATE_WEBHOOKS = env_bool("CASTLESS_ALLOW_PRIVATE_WEBHOOKS", DEBUG)
# A directory holding an insightface model pack (e.g. buffalo_l); empty = the embedded models.
CASTLESS_FACE_MODEL_DIR = env_str("CASTLESS_FACE_MODEL_DIR")
# onnxruntime threads per face model session (0 = onnxruntime's default).
CASTLESS_FACE_THREADS = env_int("CASTLESS_FACE_THREADS", 1, minimum=0)
CASTLESS_MODEL_CACHE_DIR = Path(env_str("CASTLESS_MODEL_CACHE_DIR", str(DATA_DIR / "models")))
# The offline photoreal engine `mobile_stylegan`. Its weights derive from NVIDIA's
# StyleGAN2-FFHQ (research and evaluation only), so it exists only when switched on here;
# when on, `auto` prefers it over the in-house painter.
CASTLESS_ENABLE_MOBILE_STYLEGAN = env_bool("CASTLESS_ENABLE_MOBILE_STYLEGAN", False)

# External engines: each is off until its key is set.
CASTLESS_GEMINI_API_KEY = env_str("CASTLESS_GEMINI_API_KEY")
CASTLESS_GEMINI_BASE_URL = env_str(
    "CASTLESS_GEMINI_BASE_URL", "https://generativelanguage.googleapis.com"
).rstrip("/")
CASTLESS_GEMINI_MODEL = env_str("CASTLESS_GEMINI_MODEL", "gemini-3-pro-image-preview")
CASTLESS_SEEDREAM_API_KEY = env_str("CASTLESS_SEEDREAM_API_KEY")
CASTLESS_SEEDREAM_BASE_URL = env_str(
    "CASTLESS_SEEDREAM_BASE_URL", "https://ark.ap-southeast.bytepluses.com"
).rstrip("/")
CASTLESS_SEEDREAM_MODEL = env_str("CASTLESS_SEEDREAM_MODEL", "seedream-4-0-250828")
CASTLESS_MODELCREATE_API_KEY = env_str("CASTLESS_MODELCREATE_API_KEY")
CASTLESS_MODELCREATE_BASE_URL = env_str(
    "CASTLESS_MODELCREATE_BASE_URL", "https://api.fashn.ai"
).rstrip("/")
# model-create queues a prediction and is polled: every POLL seconds, giving up after DEADLINE.
CASTLESS_MODELCREATE_POLL_SECONDS = env_float("CASTLESS_MODELCREATE_POLL_SECONDS", 2.0, minimum=0.1)
CASTLESS_MODELCREATE_DEADLINE_SECONDS = env_float(
    "CASTLESS_MODELCREATE_DEADLINE_SECONDS", 180.0, minimum=1.0
)
CASTLESS_ENGINE_TIMEOUT_SECONDS = env_float("CASTLESS_ENGINE_TIMEOUT_SECONDS", 120.0, minimum=1.0)
CASTLESS_ENGINE_MAX_RETRIES = env_int("CASTLESS_ENGINE_MAX_RETRIES", 3, minimum=0)

# --- Extraction (From Image, From Text) ------------------------------------------------------
# Credits one From Image reading costs (a ledger "charge"); From Text is free unless set. 0 = free.
CASTLESS_EXTRACT_IMAGE_CREDITS = env_int("CASTLESS_EXTRACT_IMAGE_CREDITS", 1, minimum=0)
CASTLESS_EXTRACT_TEXT_CREDITS = env_int("CASTLESS_EXTRACT_TEXT_CREDITS", 0, minimum=0)
# An OpenAI-compatible chat-completions API (image input, JSON-schema answers) read instead of
# the embedded models when the URL and model are set; the embedded models answer when it fails.
CASTLESS_EXTRACT_LLM_BASE_URL = env_str("CASTLESS_EXTRACT_LLM_BASE_URL").rstrip("/")
CASTLESS_EXTRACT_LLM_API_KEY = env_str("CASTLESS_EXTRACT_LLM_API_KEY")
CASTLESS_EXTRACT_LLM_MODEL = env_str("CASTLESS_EXTRACT_LLM_MODEL")
CASTLESS_EXTRACT_LLM_TIMEOUT_SECONDS = env_float(
    "CASTLESS_EXTRACT_LLM_TIMEOUT_SECONDS", 60.0, minimum=1.0
)
# --- End of Extraction --------------------------------------------------------------------------

# --- Notifications and webhooks ---------------------------------------------------------------
# Server-sent events: each stream polls the notifications table by id (any web machine serves
# any account, no broker), sends a comment line when idle so proxies keep the connection, and
# ends after MAX seconds. The seed's tracking loop treats the end of a stream as the end of the
# job, so under ASGI streams stay open long; clients that reconnect resume with Last-Event-ID.
CASTLESS_SSE_POLL_SECONDS = env_float("CASTLESS_SSE_POLL_SECONDS", 1.0, minimum=0.01)
CASTLESS_SSE_HEARTBEAT_SECONDS = env_float("CASTLESS_SSE_HEARTBEAT_SECONDS", 15.0, minimum=0.01)
CASTLESS_SSE_MAX_SECONDS = env_float("CASTLESS_SSE_MAX_SECONDS", 3600.0, minimum=0.1)
# Each web process's one stream poller queries when a committed notification wakes it: "auto"
# listens with PostgreSQL LISTEN/NOTIFY on PostgreSQL, else Redis pub/sub when CASTLESS_REDIS_URL
# is set, else polls every POLL seconds; "poll" behind a transaction-pooling PgBouncer (no LISTEN).
# A process that listens still polls every SAFETY_POLL seconds, for a wake-up a dropped
# connection lost.
CASTLESS_SSE_WAKEUP = env_choice(
    "CASTLESS_SSE_WAKEUP", "auto", {"auto", "postgres", "redis", "poll"}
)
if CASTLESS_SSE_WAKEUP == "postgres" and "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured("CASTLESS_SSE_WAKEUP=postgres needs a PostgreSQL DATABASE_URL")
if CASTLESS_SSE_WAKEUP == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("CASTLESS_SSE_WAKEUP=redis needs CASTLESS_REDIS_URL")
CASTLESS_SSE_SAFETY_POLL_SECONDS = env_float("CASTLESS_SSE_SAFETY_POLL_SECONDS", 15.0, minimum=0.1)
# Event streams one API token may hold open at once, per server process.
CASTLESS_STREAMS_PER_TOKEN = env_int("CASTLESS_STREAMS_PER_TOKEN", 5, minimum=1)
# Webhook deliveries: seconds one POST may take, attempts before giving up, and the delays
# between attempts (seconds; the last one repeats), so a receiver may be down for days.
CASTLESS_WEBHOOK_TIMEOUT_SECONDS = env_float("CASTLESS_WEBHOOK_TIMEOUT_SECONDS", 10.0, minimum=0.1)
CASTLESS_WEBHOOK_MAX_ATTEMPTS = env_int("CASTLESS_WEBHOOK_MAX_ATTEMPTS", 10, minimum=1)
_WEBHOOK_DELAYS = env_list(
    "CASTLESS_WEBHOOK_RETRY_DELAYS", ["10", "60", "300", "1800", "7200", "21600", "43200", "86400"]
)
if not all(delay.isdigit() for delay in _WEBHOOK_DELAYS):
    raise ImproperlyConfigured(
        "CASTLESS_WEBHOOK_RETRY_DELAYS must be whole seconds separated by commas, "
        f"not {','.join(_WEBHOOK_DELAYS)!r}"
    )
CASTLESS_WEBHOOK_RETRY_DELAYS = [int(delay) for delay in _WEBHOOK_DELAYS]

# --- Content credentials (C2PA) -------------------------------------------------------------
# Every output is signed. A PEM certificate chain (signer first, root left out) with its PEM
# private key, or the chain with a dotted path to a callable sign(bytes) -> bytes whose key lives
# in a KMS; with neither, an untrusted development chain is made under CASTLESS_C2PA_DEV_DIR.
CASTLESS_C2PA_CERT_CHAIN = env_str("CASTLESS_C2PA_CERT_CHAIN")
CASTLESS_C2PA_PRIVATE_KEY = env_str("CASTLESS_C2PA_PRIVATE_KEY")
CASTLESS_C2PA_SIGNER = env_str("CASTLESS_C2PA_SIGNER")
CASTLESS_C2PA_ALG = env_choice(
    "CASTLESS_C2PA_ALG", "es256", {"es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519"}
)
CASTLESS_C2PA_TSA_URL = env_str("CASTLESS_C2PA_TSA_URL")
CASTLESS_C2PA_DEV_DIR = Path(env_str("CASTLESS_C2PA_DEV_DIR", str(DATA_DIR / "c2pa")))
# PEM bundle of roots whose signatures verify as "valid"; others verify as "untrusted".
CASTLESS_C2PA_TRUST_ANCHORS = env_str("CASTLESS_C2PA_TRUST_ANCHORS")
if (CASTLESS_C2PA_PRIVATE_KEY or CASTLESS_C2PA_SIGNER) and not CASTLESS_C2PA_CERT_CHAIN:
    raise ImproperlyConfigured(
        "CASTLESS_C2PA_CERT_CHAIN must be set with a private key or a signer hook"
    )
if CASTLESS_C2PA_CERT_CHAIN and not (CASTLESS_C2PA_PRIVATE_KEY or CASTLESS_C2PA_SIGNER):
    raise ImproperlyConfigured(
        "CASTLESS_C2PA_CERT_CHAIN needs CASTLESS_C2PA_PRIVATE_KEY or CASTLESS_C2PA_SIGNER"
    )

# --- Security -------------------------------------------------------------------------------
# Behind nginx, which terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
_HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = _HTTPS
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if _HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True


def _media_image_sources() -> list[str]:
    """Where private image links point when media is on S3 (presigned URLs go straight to the
    bucket): the custom endpoint, or AWS's hosts for the bucket; path-style URLs name the
    bucket in the path, so their host is the service's."""
    if not AWS_STORAGE_BUCKET_NAME:
        return []
    options = STORAGES["default"]["OPTIONS"]
    bucket, region = AWS_STORAGE_BUCKET_NAME, options["region_name"]
    virtual = options["addressing_style"] != "path"
    path = options["addressing_style"] != "virtual"
    if options["endpoint_url"]:
        endpoint = urlsplit(options["endpoint_url"])
        hosts = [endpoint.netloc] if path else []
        hosts += [f"{bucket}.{endpoint.netloc}"] if virtual else []
        return [f"{endpoint.scheme}://{host}" for host in hosts]
    hosts = []
    for service in ["s3.amazonaws.com", *([f"s3.{region}.amazonaws.com"] if region else [])]:
        hosts += [service] if path else []
        hosts += [f"{bucket}.{service}"] if virtual else []
    return [f"https://{host}" for host in hosts]


# Content-Security-Policy (django-csp, through config.csp). Pages run only this site's script
# files and style sheets: no inline script, no style attribute, no eval (htmx is configured
# without it in base.html). Images may also come from S3 and from extra origins (a CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            "blob:",
            *_media_image_sources(),
            *env_list("CASTLESS_CSP_IMG_SOURCES", []),
        ],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The JSON API's answers are data, never documents: nothing loads from them, nothing frames them.
CASTLESS_API_CSP = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CASTLESS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per request (and per model-create poll) is noise at INFO.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # axes says every step of every sign-in at INFO; its warnings (failures, pauses) stay.
        "axes": {"level": "WARNING"},
    },
}
