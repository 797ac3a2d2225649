"""Counting attempts in a time window, shared by every app server: one rule for all limits.

Used by the review rate limit, the admin login lockout and the page-password form.
A window starts at the first attempt and lasts `window` seconds; nothing extends it.

Counting is atomic: cache.add() creates the key (only one request can), cache.incr()
counts up (atomic on Redis and, under its lock, on the local-memory cache), and the
caller compares the number it got back, so 20 concurrent requests get 1 to 20 and
exactly `limit` of them pass. Limits and windows are read from settings on every call.

If the cache fails (Redis down), nothing answers 500: the count moves to a cache in
this process, so each app server still throttles on its own until Redis is back
(a warning is logged). See docs/security.md.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# Counts kept while the shared cache fails: this process only, bounded.
local_counts = LocMemCache("formulary-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _shared_cache():
    return caches[getattr(settings, "THROTTLE_CACHE", "default")]


def _counted(operation, key, *args):
    """operation(cache, key, *args) on the shared cache, or on this process's if it fails."""
    try:
        return operation(_shared_cache(), key, *args)
    except Exception as error:  # noqa: BLE001 - whatever the cache client raises, never a 500
        logger.warning("Throttle cache unavailable (%s); counting in this process.", error)
        return operation(local_counts, key, *args)


def _count_up(cache, key, window):
    """The key's new count: 1 for the first attempt of a window."""
    for _ in range(3):
        if cache.add(key, 1, timeout=window):
            return 1
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): start a new window
            continue
        if count is None:  # a client that logs and swallows its errors (django-redis)
            raise ConnectionError("the cache did not answer")
        if count == 1:  # Redis re-created it in incr() after an expiry: give it a window
            cache.touch(key, window)
        return count
    return 1


def _read(cache, key):
    return cache.get(key) or 0


def _delete(cache, key):
    cache.delete(key)


@dataclass(frozen=True)
class Throttle:
    """A named limit: at most settings.<limit_setting> attempts a settings.<window_setting>."""

    name: str
    limit_setting: str
    window_setting: str

    @property
    def limit(self):
        return getattr(settings, self.limit_setting)

    @property
    def window(self):
        return getattr(settings, self.window_setting)

    def key(self, *parts):
        """Hashed: no address or username is stored in the cache as it is."""
        digest = hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()
        return f"throttle:{self.name}:{digest}"

    def attempts(self, *parts):
        return _counted(_read, self.key(*parts))

    def is_blocked(self, *parts):
        """True once `limit` attempts have been counted in the current window."""
        return self.attempts(*parts) >= self.limit

    def count(self, *parts):
        """Count one attempt; True if it is within the limit (atomic: use this to admit)."""
        return _counted(_count_up, self.key(*parts), self.window) <= self.limit

    def clear(self, *parts):
        _counted(_delete, self.key(*parts))
