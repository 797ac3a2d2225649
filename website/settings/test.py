"""The test suite: fast hashing, in-memory email and media, deterministic."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-formulary"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="formulary-test-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True  # no collectstatic needed to run the suite
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatars in browser tests
# Off for the suite (tests change data inside a test transaction that never commits, so
# the after-commit drop never runs); the cache's own tests and the browser journeys turn
# it on.
PAGE_CACHE_SECONDS = 0
