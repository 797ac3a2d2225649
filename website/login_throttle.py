"""Brute-force protection for the Wagtail admin login.

After LOGIN_FAILURE_LIMIT failed logins for one username from one IP address,
further attempts for that pair are refused without checking the password until
LOGIN_LOCKOUT_SECONDS after the first failure (a successful login starts again). Counted by website/throttle.py
(Redis in production, so every app server shares the count). Keyed on username
*and* IP so an attacker cannot lock a real editor out from elsewhere.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from .client_ip import client_ip
from .throttle import Throttle

login_failures = Throttle("login-failures", "LOGIN_FAILURE_LIMIT", "LOGIN_LOCKOUT_SECONDS")


def _who(username, ip):
    return username.strip().lower(), ip


class ThrottledLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "too_many_attempts": "Too many failed login attempts. For your security, logging in "
        "with this username is blocked for %(minutes)d minutes. Try again later or reset "
        "your password.",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not username:
            return super().clean()
        who = _who(username, client_ip(self.request) if self.request else "")
        # Each attempt takes its slot before the password is checked, atomically: however
        # many guesses arrive at once, at most LOGIN_FAILURE_LIMIT are ever checked.
        if not login_failures.count(*who):
            raise ValidationError(
                self.error_messages["too_many_attempts"],
                code="too_many_attempts",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        cleaned = super().clean()
        login_failures.clear(*who)  # a success forgets the failures before it
        return cleaned
