"""Settings shared by every environment.

Anything secret or deployment-specific comes from the environment; the
environment-specific modules (dev, test, production) only change defaults.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _release_id():
    """The installed version and the newest code, template or static file: a deploy changes it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("formulary")
    except PackageNotFoundError:
        installed = "0"
    newest = max(
        (
            path.stat().st_mtime_ns
            for folder in (
                "website",
                "catalog",
                "consultations",
                "home",
                "orders",
                "templates",
                "static",
            )
            for path in (BASE_DIR / folder).rglob("*")
        ),
        default=0,
    )
    return hashlib.sha256(f"{installed}:{newest}".encode()).hexdigest()[:12]


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "home",
    "catalog",
    "orders",
    "consultations",
    "website.pagecache",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
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
    # What shared caches may keep: public pages `public`, everything else `private`.
    "website.pagecache.middleware.CacheHeadersMiddleware",
    # The embedded page cache: a hit costs no session, authentication or messages (it
    # reads the session cookie itself: anyone who may be signed in gets the live page),
    # and entries are stored gzipped (GZip runs inside it).
    "website.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The admin's (and every non-public form's) CSRF token check; public forms are
    # checked by origin instead (website/origin_check.py).
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
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

# The default cache holds the page cache, login throttling and Wagtail's own caches.
# Local memory (one process: `make run`, the tests) by default; production uses Redis
# with REDIS_URL, else a file cache shared by the machine's workers (production.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "formulary",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# The page cache (website/pagecache/, docs/caching.md): how long shared caches (the
# embedded one, Varnish, a CDN) keep a public page; 0 turns every layer off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# How long a visitor's browser may reuse a public page without asking again.
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
# The only query parameters public pages read: others (?utm=...) are the same page.
PAGE_CACHE_QUERY_PARAMS = ["page", "category", "reviews", "q"]
# Part of every page-cache key: a deploy never serves pages an older release stored.
RELEASE_ID = os.environ.get("RELEASE_ID") or _release_id()

# Sessions (the cart, signed-in editors) are kept in the database, never only in a
# cache that may be down or evicted. Lax: no cookie on cross-site POSTs.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"

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
# The Wagtail admin only (see docs/operations.md, "Content-Security-Policy"): Wagtail 8's form
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
# How long the review form's one-use token (issued when the page loads) stays good;
# a review sent with an older one is filed as spam.
REVIEW_FORM_TOKEN_MAX_AGE = int(os.environ.get("REVIEW_FORM_TOKEN_MAX_AGE", str(2 * 3600)))
# The one-use form tokens /visitor/ hands to the page's script (website/visitor.py):
# the form's `data-form-token` name -> the function that makes one.
VISITOR_FORM_TOKENS = {"review": "catalog.reviews.services.new_form_token"}
REVIEWS_RATE_WINDOW_SECONDS = int(os.environ.get("REVIEWS_RATE_WINDOW_SECONDS", "3600"))
# Orders one client (IP address) may place a window (orders/views.py); then HTTP 429.
# Invalid forms shown again are not counted.
CHECKOUT_RATE_LIMIT = int(os.environ.get("CHECKOUT_RATE_LIMIT", "10"))
CHECKOUT_RATE_WINDOW_SECONDS = int(os.environ.get("CHECKOUT_RATE_WINDOW_SECONDS", "3600"))
# Answers to a pharmacist's query one client may send a window.
ORDER_REPLY_RATE_LIMIT = int(os.environ.get("ORDER_REPLY_RATE_LIMIT", "10"))
ORDER_REPLY_RATE_WINDOW_SECONDS = int(os.environ.get("ORDER_REPLY_RATE_WINDOW_SECONDS", "3600"))
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

# Consultations (consultations/, docs/consultations.md). A consultation in progress is kept
# this many hours after its last step; then the visitor starts again.
CONSULTATION_DRAFT_HOURS = int(os.environ.get("CONSULTATION_DRAFT_HOURS", "24"))
# Consultations (and replies to a prescriber's question) one client may send a window;
# steps of the questionnaire (each page's "Continue") one client may post a window.
CONSULTATIONS_RATE_LIMIT = int(os.environ.get("CONSULTATIONS_RATE_LIMIT", "5"))
CONSULTATION_STEPS_RATE_LIMIT = int(os.environ.get("CONSULTATION_STEPS_RATE_LIMIT", "100"))
CONSULTATIONS_RATE_WINDOW_SECONDS = int(os.environ.get("CONSULTATIONS_RATE_WINDOW_SECONDS", "3600"))
