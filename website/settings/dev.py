"""Local development: DEBUG on, an insecure key that can never reach production."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-formulary"  # noqa: S105 - dev only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Django's debug pages use inline styles: report CSP violations in the console instead.
CSP_REPORT_ONLY = True
