"""Full-page cache for anonymous visitors.

Only Wagtail pages served normally (see wagtail_hooks.py) to a visitor with no
session are stored, as rendered for everyone. Per-visitor parts are handled so a
cached page is safe to share:

* the CSRF token of the visitor who caused the render is stored as a placeholder
  and every hit gets a fresh token for its own visitor (csrf.py), with the matching
  CSRF cookie: Django's CsrfViewMiddleware reads the visitor's cookie, and the one
  sent back is a copy of a cookie Django formats;
* hidden form fields that must be fresh per visitor (PAGE_CACHE_FRESH_FIELDS, e.g.
  the review form's signed "form shown at" time, so its minimum fill time still
  counts from when *this* visitor got the page) are regenerated on every hit;
* visitors with a session (a cart, messages, logged in) are never served from
  nor stored into the cache, and a response that changes the session or sets any
  cookie but the CSRF one is not stored.

It sits just inside the security headers and static files (settings.MIDDLEWARE):
a hit answers before sessions, authentication and routing are set up, which is
what makes it nearly as cheap as a static file. A miss goes down the rest of the
stack as usual and is stored on the way back.
"""

import re
from functools import cache as memoise

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token
from django.utils.html import escape
from django.utils.module_loading import import_string

from . import csrf, store

HEADER = "X-Cache"
BYPASS_HEADER = "HTTP_X_PAGE_CACHE_BYPASS"
# Masked CSRF tokens are 64 ASCII letters and digits.
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_NOT_STORED_HEADERS = {"content-length", "x-cache"}


@memoise
def _fresh_fields(fields):
    """(pattern, placeholder, make_value) for each PAGE_CACHE_FRESH_FIELDS entry."""
    result = []
    for name, function in fields:
        pattern = re.compile(
            rb'(<input\b[^>]*\bname="' + re.escape(name.encode()) + rb'"[^>]*\bvalue=")([^"]*)(")'
        )
        placeholder = f"pagecache-fresh-{name}".encode()
        result.append((pattern, placeholder, import_string(function)))
    return result


def fresh_fields():
    return _fresh_fields(tuple(sorted(settings.PAGE_CACHE_FRESH_FIELDS.items())))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Hits never reach the CSRF middleware further in: it reads the cookie here.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)

        key = store.entry_key(request)
        entry = store.fetch_current(key)
        if entry is not None:
            status, headers, parts = entry[3:]
            return self._hit(request, status, headers, parts)

        request._pagecache_generation = store.current_token(store.GENERATION_KEY)
        response = self.get_response(request)
        if request.method == "GET" and self._may_store(request, response):
            cache.set(key, self._entry(request, response), settings.PAGE_CACHE_SECONDS)
            store.remember_page(key, request._pagecache_page_id)
            response[HEADER] = "MISS"
        return response

    def _may_use_cache(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return False
        if settings.CSRF_USE_SESSIONS:
            return False  # every page with a form would need a session
        if any(request.path.startswith(p) for p in settings.PAGE_CACHE_EXCLUDED_PATHS):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        token = settings.PAGE_CACHE_BYPASS_TOKEN
        return not (token and request.META.get(BYPASS_HEADER) == token)

    def _may_store(self, request, response):
        if not hasattr(request, "_pagecache_page_id"):
            return False  # not a Wagtail page served normally (admin, preview, restricted...)
        if response.status_code != 200 or response.streaming:
            return False
        if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
            return False
        session = getattr(request, "session", None)
        if session is not None and (session.modified or not session.is_empty()):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("private", "no-store", "no-cache"))

    def _entry(self, request, response):
        body = response.content
        secret = request.META.get("CSRF_COOKIE")
        if secret:
            tokens = {
                t
                for t in set(_TOKEN_CANDIDATE.findall(body))
                if _unmask_cipher_token(t.decode()) == secret
            }
            for token in tokens:
                body = body.replace(token, store.CSRF_PLACEHOLDER.encode())
        for pattern, placeholder, _ in fresh_fields():
            body = pattern.sub(lambda m, p=placeholder: m.group(1) + p + m.group(3), body)
        headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED_HEADERS]
        return (
            request._pagecache_generation,
            request._pagecache_page_id,
            request._pagecache_page_version,
            response.status_code,
            headers,
            _split_at_placeholders(body),
        )

    def _hit(self, request, status, headers, parts):
        self.csrf.process_request(request)  # the visitor's CSRF cookie, if valid
        makers = _fresh_value_makers()
        values = {}
        for placeholder in parts[1::2]:
            if placeholder not in values:
                make = makers.get(placeholder)
                values[placeholder] = placeholder if make is None else make(request)
        body = b"".join(values[part] if i % 2 else part for i, part in enumerate(parts))
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "HIT"
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            csrf.set_cookie(request, response)
        return response


def _placeholders():
    return [store.CSRF_PLACEHOLDER.encode()] + [placeholder for _, placeholder, _ in fresh_fields()]


def _split_at_placeholders(body):
    """The stored body: text and placeholders alternating (placeholders at odd
    positions), so a hit fills them in with one join instead of searching the page."""
    pattern = b"(" + b"|".join(re.escape(p) for p in _placeholders()) + b")"
    return tuple(re.split(pattern, body))


def _fresh_value_makers():
    """placeholder -> function(request) making that visitor's value, as bytes. A stored
    placeholder no longer configured is left as it was (a miss will store it anew)."""
    return _makers(tuple(sorted(settings.PAGE_CACHE_FRESH_FIELDS.items())))


@memoise
def _makers(_fields):
    makers = {store.CSRF_PLACEHOLDER.encode(): lambda request: csrf.get_token(request).encode()}
    for _, placeholder, make_value in fresh_fields():
        makers[placeholder] = lambda request, make=make_value: escape(make()).encode()
    return makers
