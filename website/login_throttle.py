"""Brute-force protection for the Wagtail admin login.

After LOGIN_FAILURE_LIMIT failed logins for one username from one IP address,
further attempts for that pair are refused without checking the password until
LOGIN_LOCKOUT_SECONDS after the first failure. Counted in the default cache
(Redis in production, so every app server shares the count). Keyed on username
*and* IP so an attacker cannot lock a real editor out from elsewhere.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from .client_ip import client_ip


def _key(username, ip):
    digest = hashlib.sha256(f"{username.strip().lower()}\0{ip}".encode()).hexdigest()
    return f"login-failures:{digest}"


def failures(username, ip):
    return cache.get(_key(username, ip), 0)


def record_failure(username, ip):
    key = _key(username, ip)
    # add() starts the window only on the first failure; incr() never extends it.
    if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(username, ip):
    cache.delete(_key(username, ip))


class ThrottledLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "too_many_attempts": "Too many failed login attempts. For your security, logging in "
        "with this username is blocked for %(minutes)d minutes. Try again later or reset "
        "your password.",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else ""
        if username and failures(username, ip) >= settings.LOGIN_FAILURE_LIMIT:
            raise ValidationError(
                self.error_messages["too_many_attempts"],
                code="too_many_attempts",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if username and error.code == "invalid_login":
                record_failure(username, ip)
            raise
        if username:
            clear_failures(username, ip)
        return cleaned
