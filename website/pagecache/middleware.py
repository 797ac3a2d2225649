"""The embedded page cache and the caching headers of every response.

Two middlewares, because they must sit at two places in settings.MIDDLEWARE:

* CacheHeadersMiddleware (outermost but for security headers and static files):
  decides what shared caches may keep. A public page (marked by wagtail_hooks.py or
  `public_page`) for a visitor not signed in gets `Cache-Control: public, max-age=…,
  s-maxage=…` and no `Vary: Cookie` (its bytes never depend on a cookie); every other
  response that did not say otherwise gets `private, no-store`.
* PageCacheMiddleware (before sessions, authentication and messages, so that a hit
  costs none of them; before GZip, as entries are stored gzipped): answers GET/HEAD
  of public pages from the configured cache, and stores them. Visitors who may be
  signed in (an editor, with Wagtail's user bar) are neither served nor stored;
  visitors with a cart are, as they get the same page.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from . import generation
from .public import mark_public

logger = logging.getLogger(__name__)

HEADER = "X-Cache"
_NOT_STORED_HEADERS = {"content-length", HEADER.lower()}


def is_public(request, response):
    if not getattr(response, "public_page", False) or response.status_code != 200:
        return False
    if response.cookies or response.has_header("Cache-Control"):
        return False  # Wagtail marks restricted pages never-cache itself
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def may_be_signed_in(request):
    """Whether the visitor's session names a user (who then gets the live page).

    Read before the session and authentication middlewares run: without a session
    cookie nobody is signed in, and nothing is loaded. A cart's session names no user.
    A session that names one whose account has gone only loses the cache.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        return SESSION_KEY in store
    except Exception:  # a session store that cannot be read: treat as signed in
        logger.warning("Page cache: the session could not be read", exc_info=True)
        return True


class CacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "public_page", False):  # decided by PageCacheMiddleware
            if generation.enabled():
                response["Cache-Control"] = (
                    f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}, "
                    f"s-maxage={settings.PAGE_CACHE_SECONDS}"
                )
            else:
                response["Cache-Control"] = "no-cache"
            _drop_vary_cookie(response)
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


def _drop_vary_cookie(response):
    if not response.has_header("Vary"):
        return
    kept = [v for v in cc_delim_re.split(response["Vary"]) if v and v.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return _decide(request, self.get_response(request))
        key = generation.entry_key(request)
        seen, entry = generation.lookup(key)
        if seen is None:  # the cache is down: serve uncached
            return _decide(request, self.get_response(request))
        if entry is not None:
            return _hit(entry)
        response = _decide(request, self.get_response(request))
        if request.method == "GET" and response.public_page and not response.streaming:
            if generation.current() == seen:
                _set(key, _entry(seen, response))
                response[HEADER] = "MISS"
            else:  # content changed while this page was rendered: keep it nowhere
                response.public_page = False
        return response

    def _may_use_cache(self, request):
        if not generation.enabled() or request.method not in ("GET", "HEAD"):
            return False
        return not may_be_signed_in(request)


def _decide(request, response):
    """Whether this response is a public page, decided once (CacheHeadersMiddleware reads it)."""
    if getattr(response, "public_page", False):
        _drop_session_cookie_deletion(response)
    response.public_page = is_public(request, response)
    return response


def _drop_session_cookie_deletion(response):
    """Django deletes an unknown session cookie (a made-up or expired one) on any
    response: not on a public page, which sets no cookie; the next personal one will."""
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    if morsel is not None and not morsel.value:
        del response.cookies[settings.SESSION_COOKIE_NAME]


def _entry(seen, response):
    """What is stored: the generation read before the page was rendered, and the page."""
    headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED_HEADERS]
    return (seen, response.status_code, headers, response.content)


def _hit(entry):
    status, headers, body = entry
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "HIT"
    return mark_public(response)


def _set(key, entry):
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache: the cache cannot be reached", exc_info=True)
