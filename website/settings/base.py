"""Settings shared by every environment.

Anything secret or deployment-specific comes from the environment; the
environment-specific modules (dev, test, production) only change defaults.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "home",
    "catalog",
    "website.pagecache",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "website.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside the security headers, outside everything that costs (sessions,
    # authentication, routing): a hit sets its visitor's CSRF cookie itself.
    "website.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "website.pagecache.lookups.RememberedSiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "website.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "catalog.cart.context_processors.mini_cart",
            ],
        },
    },
]

WSGI_APPLICATION = "website.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (e.g. postgres://...) overrides it.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The default cache holds the full-page cache, login throttling and Wagtail's own
# caches. Local memory per process by default; production uses Redis with REDIS_URL.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "formulary",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Full-page cache for anonymous visitors (website/pagecache/). 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# Paths never looked up in the page cache (only Wagtail pages are ever stored).
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/cart/", "/documents/", "/search/"]
# Hidden inputs (by name) whose value is made anew for each visitor of a cached page,
# by calling the function at the dotted path.
PAGE_CACHE_FRESH_FIELDS = {"started": "catalog.reviews.services.form_started_token"}
# With the local-memory cache (one per process), every change to cached pages counts
# up this file, so that each gunicorn worker drops its own pages too (pagecache/store.py).
# Every process of one deployment must share it; not used with Redis.
PAGE_CACHE_STAMP_FILE = os.environ.get(
    "PAGE_CACHE_STAMP_FILE",
    os.path.join(
        tempfile.gettempdir(),
        f"formulary-pagecache-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]}.stamp",
    ),
)
# Requests sending `X-Page-Cache-Bypass: <this token>` skip the cache. Empty (the
# default) disables the bypass; `make bench` sets a random one to time uncached pages.
PAGE_CACHE_BYPASS_TOKEN = os.environ.get("PAGE_CACHE_BYPASS_TOKEN", "")

# Content-Security-Policy (website/csp.py): no inline scripts or styles on the site.
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The Wagtail admin only (see README, "Content-Security-Policy"): Wagtail 8's form
# widgets (date choosers, inline panels, choosers) are initialised by inline scripts,
# its editors inject style elements, and the live preview is a same-origin frame.
CSP_ADMIN_PATH = "/admin/"
CSP_ADMIN_OVERRIDES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
}
CSP_REPORT_ONLY = False

# Attempt limits (website/throttle.py; docs/security.md). Counted in this cache alias.
THROTTLE_CACHE = "default"
# Admin login brute-force protection (website/login_throttle.py).
WAGTAILADMIN_USER_LOGIN_FORM = "website.login_throttle.ThrottledLoginForm"
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
# Reviews one client (IP address) may send an hour; then HTTP 429.
REVIEWS_RATE_LIMIT = int(os.environ.get("REVIEWS_RATE_LIMIT", "5"))
REVIEWS_RATE_WINDOW_SECONDS = int(os.environ.get("REVIEWS_RATE_WINDOW_SECONDS", "3600"))
# Wrong passwords for one password-protected page from one client, then a pause
# (wagtail's /_util/authenticate_with_password/, throttled in home/views.py).
PAGE_PASSWORD_FAILURE_LIMIT = int(os.environ.get("PAGE_PASSWORD_FAILURE_LIMIT", "5"))
PAGE_PASSWORD_LOCKOUT_SECONDS = int(os.environ.get("PAGE_PASSWORD_LOCKOUT_SECONDS", "900"))
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

WAGTAIL_SITE_NAME = "Formulary"
# No third-party avatar requests from the admin (privacy, and the CSP allows none).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call from editors' browsers to Wagtail's release server (and the CSP allows none).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The read API gives rich text as display HTML (links resolved); ?rich_text_format= overrides.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Formulary <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_warning": {"()": "website.log_filters.OneLineWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # A bad Host header (scanners): a one-line warning, not an ERROR with a traceback
        # (which would also be emailed to ADMINS). The request is still answered 400.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}
