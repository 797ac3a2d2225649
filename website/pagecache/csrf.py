"""A visitor's CSRF token for a cached page, drawn in one system call.

Django's get_token() picks each of a token's 64 random characters with its own
call into the OS's random source, and on a page-cache hit that was a third of the
time spent. `get_token` here returns the same thing (a 32-character secret, kept
in request.META for CsrfViewMiddleware to set as the cookie, masked the way Django
masks it) from one read of os.urandom. Django's middleware still sets the cookie
and checks every POST: only the drawing of random characters is ours.
"""

import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_N = len(_CHARS)
# Bytes at or above this are dropped, so that `byte % _N` makes every character equally likely.
_LIMIT = 256 - 256 % _N
_DROP = bytes(range(_LIMIT, 256))
# Translation tables, so that no step loops over characters in Python: a byte to its
# index modulo _N; an index (or a sum of two, up to 2 * _N - 2) to its character; a
# character to its index.
_MODULO = bytes(i % _N for i in range(256))
_TO_CHAR = bytes(ord(_CHARS[i % _N]) for i in range(256))
_TO_INDEX = bytes(_CHARS.index(chr(i)) if chr(i) in _CHARS else 0 for i in range(256))


def _random_indices(count):
    """`count` uniformly random indices into CSRF_ALLOWED_CHARS, as bytes."""
    drawn = b""
    while len(drawn) < count:
        drawn += os.urandom(count + 8).translate(_MODULO, _DROP)
    return drawn[:count]


def new_secret():
    return _random_indices(CSRF_SECRET_LENGTH).translate(_TO_CHAR).decode()


def mask(secret):
    """The secret masked with a fresh random mask, as django.middleware.csrf masks it:
    each character's index plus the mask's, modulo the alphabet. The indices are bytes
    below _N, so adding them as two big integers adds them byte by byte (no carry)."""
    mask_indices = _random_indices(CSRF_SECRET_LENGTH)
    secret_indices = secret.encode().translate(_TO_INDEX)
    sums = int.from_bytes(secret_indices) + int.from_bytes(mask_indices)
    cipher = sums.to_bytes(CSRF_SECRET_LENGTH)
    return (mask_indices.translate(_TO_CHAR) + cipher.translate(_TO_CHAR)).decode()


def get_token(request):
    """What django.middleware.csrf.get_token(request) returns, with the same side effects."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = new_secret()
    # As Django does: send the cookie (again) so its expiry is renewed.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)


_cookie = (None, None)  # (what it depends on, a Morsel formatted by Django for that)


def set_cookie(request, response):
    """The CSRF cookie on a hit, as CsrfViewMiddleware.process_response sets it (the page
    used the token, so the cookie is sent again and its expiry renewed). Django formats
    the cookie once a second (its expiry date has that resolution); each hit copies it
    with its own visitor's secret. The stored headers already say `Vary: Cookie`."""
    global _cookie
    depends_on = (
        int(time.time()),
        settings.CSRF_COOKIE_NAME,
        settings.CSRF_COOKIE_AGE,
        settings.CSRF_COOKIE_DOMAIN,
        settings.CSRF_COOKIE_PATH,
        settings.CSRF_COOKIE_SECURE,
        settings.CSRF_COOKIE_HTTPONLY,
        settings.CSRF_COOKIE_SAMESITE,
    )
    if _cookie[0] != depends_on:
        formatted = HttpResponse()
        formatted.set_cookie(
            settings.CSRF_COOKIE_NAME,
            "",
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        _cookie = (depends_on, formatted.cookies[settings.CSRF_COOKIE_NAME])
    morsel = _cookie[1].copy()
    secret = request.META["CSRF_COOKIE"]
    morsel.set(settings.CSRF_COOKIE_NAME, secret, secret)  # letters and digits: no quoting
    response.cookies[settings.CSRF_COOKIE_NAME] = morsel
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
