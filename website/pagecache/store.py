"""Where cached pages live, and how they go stale.

Entries are keyed by host + path + query string. Each entry remembers the page
it renders and two tokens read *before* it was rendered: the page's version and
the site-wide generation. Dropping a page = giving it a new version (all its URLs,
query strings and hosts go stale at once); dropping everything = a new generation.
A missing token (evicted) is replaced by a fresh one, so eviction can only cause
misses, never a stale hit.

With a cache shared by every process (Redis) that is all. With Django's local-memory
cache each gunicorn worker has its own tokens, and a page published through one
worker would stay stale in the others: so every drop also counts up a small shared
file (PAGE_CACHE_STAMP_FILE), and a process that finds the count changed since it
last looked starts a new generation of its own (another process changed something;
it cannot know what, so all of its pages go).
"""

import fcntl
import hashlib
import os
import uuid

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"
# Stands for the visitor's CSRF token in stored pages; 64 characters like a real one.
CSRF_PLACEHOLDER = "pagecache-csrf-token-placeholder".ljust(64, "x")


# Part of every entry's key: bump it when the stored entry's shape changes, so a
# deploy never reads entries an older release left in a shared (Redis) cache.
ENTRY_FORMAT = 2


def entry_key(request):
    location = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:entry:{ENTRY_FORMAT}:" + hashlib.sha256(location.encode()).hexdigest()


def page_version_key(page_id):
    return f"pagecache:page:{page_id}"


def page_version(page_id):
    """Changes whenever the page cache drops this page (or everything): part of the key
    of the page's template fragments ({% wagtailpagecache %}), which must change with it."""
    _follow_other_processes()
    keys = [GENERATION_KEY, page_version_key(page_id)]
    found = cache.get_many(keys)
    return ".".join(found.get(key) or current_token(key) for key in keys)


def _new_token():
    return uuid.uuid4().hex


def current_token(key):
    """The token stored at `key`, creating one if there is none."""
    _follow_other_processes()
    token = cache.get(key)
    if token is None:
        cache.add(key, _new_token(), None)
        token = cache.get(key)
    return token


# Which page each cached URL shows, as last seen by this process: lets a hit fetch the
# entry and the tokens it must be checked against in one round trip. Only a hint: a
# wrong or missing guess costs a second round trip, never a stale page.
_page_of_entry = {}
_PAGE_OF_ENTRY_MAX = 10_000


def remember_page(key, page_id):
    if len(_page_of_entry) >= _PAGE_OF_ENTRY_MAX:
        _page_of_entry.clear()
    _page_of_entry[key] = page_id


def fetch_current(key):
    """The entry at `key` if it is still current, else None."""
    _follow_other_processes()
    guess = _page_of_entry.get(key)
    keys = [key, GENERATION_KEY] + ([page_version_key(guess)] if guess else [])
    found = cache.get_many(keys)
    entry = found.get(key)
    if entry is None:
        return None
    generation, page_id, page_version = entry[:3]
    if page_id != guess:
        remember_page(key, page_id)
        found = cache.get_many([GENERATION_KEY, page_version_key(page_id)])
    current = found.get(GENERATION_KEY) == generation
    if current and found.get(page_version_key(page_id)) == page_version:
        return entry
    return None


def drop_pages(page_ids):
    """Every cached URL of these pages is stale from now on."""
    cache.set_many({page_version_key(pk): _new_token() for pk in page_ids}, None)
    _tell_other_processes()


def drop_all():
    cache.set(GENERATION_KEY, _new_token(), None)
    _tell_other_processes()


# Processes with a local-memory cache of their own -----------------------------

_stamp_seen = {}  # stamp file -> the count this process last saw (or wrote) there


def _shares_tokens():
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _read_stamp(path):
    """The count (read on every hit: os-level calls, a third of open()'s cost)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return b"0"
    try:
        return os.read(descriptor, 32)
    finally:
        os.close(descriptor)


def _follow_other_processes():
    """A new local generation if another process dropped anything since we last looked."""
    if _shares_tokens():
        return
    path = settings.PAGE_CACHE_STAMP_FILE
    stamp = _read_stamp(path)
    seen = _stamp_seen.get(path)
    if stamp != seen:
        _stamp_seen[path] = stamp
        if seen is not None:
            cache.set(GENERATION_KEY, _new_token(), None)


def _tell_other_processes():
    """Count the stamp up, under a lock so that no two processes' counts are lost."""
    if _shares_tokens():
        return
    path = settings.PAGE_CACHE_STAMP_FILE
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _follow_other_processes()  # changes made elsewhere first: they are not ours to skip
        try:
            count = int(_read_stamp(path)) + 1
        except ValueError:
            count = 1
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "wb") as stamp:
            stamp.write(str(count).encode())
        os.replace(temporary, path)  # readers see the old count or the new, never half
        _stamp_seen[path] = str(count).encode()
