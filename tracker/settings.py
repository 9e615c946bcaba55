"""
Django settings for Trackside.

Everything a deployment changes comes from environment variables, documented in
the README: DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS. The
product's own knobs live in the TRACKSIDE dict at the bottom; tracker.conf reads
them with their defaults, so tests can override single keys.
"""
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TRACKSIDE_DATA_DIR", BASE_DIR / "data"))


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key() -> str:
    """Read the secret key kept in the data folder, creating it on first use."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
# Behind a proxy that ends TLS, Django reads the scheme from the proxy's
# X-Forwarded-Proto header, and these origins may post the admin's forms.
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]
if _env_flag("TRACKSIDE_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    # Daphne must come before staticfiles so its runserver replaces Django's.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "channels",
    "tracker",
    "debugger",
]

MIDDLEWARE = [
    "tracker.api.cors.IngestCorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tracker.urls"
ASGI_APPLICATION = "tracker.asgi.application"
WSGI_APPLICATION = None

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
            ],
        },
    },
]


def _database_config() -> dict:
    default_url = "sqlite:///" + str(DATA_DIR / "trackside.sqlite3")
    url = os.environ.get("DATABASE_URL") or default_url
    if url.startswith("sqlite:"):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets the debugger read while ingest writes; NORMAL syncs at
            # checkpoints only, which WAL keeps crash-safe.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Take the write lock when a transaction starts, so two writers
            # queue on the busy timeout instead of failing mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        # SQLite connections are cheap to keep; closing after every request
        # would reopen the file and rerun the PRAGMAs for each commit.
        config["CONN_MAX_AGE"] = None
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Persistent connections leak under ASGI (each request may open its
        # own); Django's psycopg pool with CONN_MAX_AGE=0 does not.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 20}
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Seconds a Redis read may take before the connection counts as broken.
REDIS_SOCKET_TIMEOUT = 30


def _channel_layers() -> dict:
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        # Redis Pub/Sub pushes each group message to every subscribed worker.
        # channels-redis's list-based layer needs several round trips per
        # message on the receiving side, and under ingest load a debugger fell
        # seconds behind (bench/latency.py, 2 workers at 600 events/s: p99 549 ms
        # against 119 ms with Pub/Sub). A live view needs no stored backlog: a
        # lost message shows up as a gap, reported to the page as skipped.
        return {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {
                    # redis-py 8 gives connections a 5 s read timeout by default,
                    # which failed idle websockets on the list-based layer.
                    "hosts": [{"address": redis_url, "socket_timeout": REDIS_SOCKET_TIMEOUT}],
                },
            }
        }
    return {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1000},
        }
    }


CHANNEL_LAYERS = _channel_layers()


def _caches() -> dict:
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        # Shared by every worker, so per-source rate limits hold across processes.
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


CACHES = _caches()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# TRACKSIDE_EXTRA_STATIC_DIRS adds folders of static files (a demo or test page
# that loads analytics.js from this server, say), separated by os.pathsep.
STATICFILES_DIRS = [BASE_DIR / "static"] + [
    Path(folder) for folder in os.environ.get("TRACKSIDE_EXTRA_STATIC_DIRS", "").split(os.pathsep) if folder
]
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns about a missing STATIC_ROOT even when it serves from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the finders, so `daphne tracker.asgi:application` works
# without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    # Token first, so a request with no credentials gets 401 with
    # "WWW-Authenticate: Token" rather than a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Trackside API",
    "DESCRIPTION": "Segment-compatible ingest endpoints and the read API of the live debugger.",
    "VERSION": "0.1.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}



def _drop_traceback(record) -> bool:
    record.exc_info = None
    record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"drop_traceback": {"()": "django.utils.log.CallbackFilter", "callback": _drop_traceback}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "console_brief": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["drop_traceback"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # A request for a host missing from ALLOWED_HOSTS: the message names the
        # host and the fix, and a traceback per request would flood the log.
        "django.security.DisallowedHost": {"handlers": ["console_brief"], "level": "WARNING", "propagate": False},
        "tracker": {"level": os.environ.get("TRACKSIDE_LOG_LEVEL", "INFO")},
        "debugger": {"level": os.environ.get("TRACKSIDE_LOG_LEVEL", "INFO")},
    },
}

# Product settings; see tracker/conf.py for what each key means.
TRACKSIDE: dict = {}
