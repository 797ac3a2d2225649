"""Where cached pages live, and how they go stale.

Entries are keyed by host + path + query string. Each entry remembers the page
it renders and two tokens read *before* it was rendered: the page's version and
the site-wide generation. Dropping a page = giving it a new version (all its URLs,
query strings and hosts go stale at once); dropping everything = a new generation.
A missing token (evicted) is replaced by a fresh one, so eviction can only cause
misses, never a stale hit.
"""

import hashlib
import uuid

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


def _new_token():
    return uuid.uuid4().hex


def current_token(key):
    """The token stored at `key`, creating one if there is none."""
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


def drop_all():
    cache.set(GENERATION_KEY, _new_token(), None)
