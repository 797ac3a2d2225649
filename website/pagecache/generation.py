"""Cache keys, and the generation that makes every stored page stale at once.

A key is release id + host + path + the query parameters pages use
(PAGE_CACHE_QUERY_PARAMS) + whether the body is gzipped. The generation is a random
token kept in the configured cache, and every entry is stored with the generation
read before its page was rendered: an entry counts only while that is still the
current one. Renewing it (bump) makes every entry stale at once, and a page
rendered from data that changed meanwhile carries the old generation, so nobody
is ever served it. Entry and generation are read together (`lookup`): one round
trip to Redis per request.

The cache must be shared by every process that serves pages (Redis, or the file
cache production uses without Redis: website/settings/production.py), or a bump
made in one process would not be seen by the others.
"""

import hashlib
import logging
import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
_GZIP = re.compile(r"\bgzip\b")


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def current():
    """The current generation, or None if the cache cannot be reached."""
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            token = cache.get(GENERATION_KEY)
    except Exception:  # a cache backend that raises (django-redis is told not to)
        logger.warning("Page cache: the cache cannot be reached", exc_info=True)
        return None
    return token


def lookup(key):
    """(the current generation, the entry stored under key or None), in one read.

    The generation is None if the cache cannot be reached. An entry stored under
    another generation is stale: it is returned as None.
    """
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:
        logger.warning("Page cache: the cache cannot be reached", exc_info=True)
        return None, None
    token = found.get(GENERATION_KEY)
    if token is None:
        return current(), None
    entry = found.get(key)
    if entry is None or entry[0] != token:
        return token, None
    return token, entry[1:]


def bump():
    """A new generation: every stored page is stale from now on. Returns it."""
    token = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, token, None)
    except Exception:
        logger.warning("Page cache: could not renew the generation", exc_info=True)
    return token


def query_key(request):
    """Only the parameters pages read, in a fixed order: `?utm=1` is the same page."""
    pairs = []
    for name in settings.PAGE_CACHE_QUERY_PARAMS:
        value = request.GET.get(name)
        if value is not None:
            pairs.append((name, value))
    return urlencode(pairs)


def wants_gzip(request):
    return bool(_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def entry_key(request):
    encoding = "gzip" if wants_gzip(request) else "identity"
    location = f"{request.get_host()}{request.path}?{query_key(request)}"
    digest = hashlib.sha256(location.encode()).hexdigest()
    return f"pagecache:{settings.RELEASE_ID}:{encoding}:{digest}"
