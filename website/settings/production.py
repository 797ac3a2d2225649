"""Production: refuses to start without a SECRET_KEY and ALLOWED_HOSTS, or with DEBUG on.

Every value that differs between deployments comes from the environment; docs/operations.md
("Environment variables") lists them all.
"""

import importlib.util
import json
import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, CSP_POLICY, STORAGES, env_bool, env_list

if env_bool("DEBUG", False):
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG).")
DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
# Rotating the key (docs/operations.md): the old key here for a while keeps sessions and
# signed values made with it valid.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Persistent connections: each app-server thread keeps its connection for
# DATABASE_CONN_MAX_AGE seconds (checked before reuse) instead of reconnecting per request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# The default cache (the page cache, login throttling, Wagtail's caches) must be shared
# by every process that serves pages, or a change seen by one gunicorn worker would not
# drop the pages another keeps (docs/caching.md).
# * REDIS_URL: Redis, shared by every app server. django-redis with IGNORE_EXCEPTIONS:
#   Redis down is a cache miss and a logged warning, never an error page.
# * Otherwise: a file cache in CACHE_DIR, shared by the workers of one machine (one
#   app server; several need Redis).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "formulary"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
    # Reads from Redis when it is up, every write also to the database: a Redis
    # outage or eviction never empties a cart or logs an editor out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }
# django-redis logs each ignored error (a warning) instead of raising it.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "website.cache"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media (uploaded images and documents) on S3-compatible storage when a bucket is
# configured, so app servers share it; otherwise MEDIA_ROOT (a shared volume).
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            'AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: pip install ".[s3]"'
        )
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
if urlsplit(MEDIA_URL).netloc:  # media on another origin: images must be allowed from it
    _media = urlsplit(MEDIA_URL)
    CSP_POLICY = {
        **CSP_POLICY,
        "img-src": [*CSP_POLICY["img-src"], f"{_media.scheme}://{_media.netloc}"],
    }

# HTTPS. The redirect is on by default; SECURE_SSL_REDIRECT=0 turns it off (a
# proxy that redirects itself, or a plain-HTTP benchmark on loopback).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Only behind a proxy that sets this header and strips it from clients, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _proxy_header = os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_header}", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Varnish or a CDN in front: a JSON object in Wagtail's WAGTAILFRONTENDCACHE format,
# e.g. {"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
# "LOCATION": "http://127.0.0.1:6081"}}. Every content change bans every page from it
# (website/pagecache/invalidation.py).
if os.environ.get("WAGTAILFRONTENDCACHE"):
    try:
        WAGTAILFRONTENDCACHE = json.loads(os.environ["WAGTAILFRONTENDCACHE"])
    except ValueError as error:
        raise ImproperlyConfigured(f"WAGTAILFRONTENDCACHE is not valid JSON: {error}") from error

WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "root@localhost")
ADMINS = [("Admins", a) for a in env_list("ADMINS")]
