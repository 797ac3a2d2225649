"""Lookups every page view makes, remembered per process between changes.

Which Wagtail site a host is, the pharmacy settings and whether any page on the
site is private cost four SQL queries a page view, and change a few times a year.
Each is remembered until the page cache's generation changes: every save or delete
of a site, the settings or a view restriction starts a new generation
(invalidation.py), and every process follows it (store.py).

The pages a URL routes through (home, products index, product) and a product's
pack sizes are remembered the same way, until the page cache drops that page:
publish, unpublish, move, a new slug (of the page or one above it) and delete drop
it, and so does a save of a pack size; and for PAGE_ROWS_SECONDS at most. They are
remembered only for visitors who are not signed in: editors always get them from
the database, and so does a preview.

Callers get a fresh model instance each time, never one shared between requests.
"""

import copy
import json
import threading
import time
from collections import OrderedDict

from django.conf import settings
from wagtail.fields import StreamField
from wagtail.models import PageViewRestriction, Site

from . import store

_remembered = {}  # name -> (generation, value)
_REMEMBERED_MAX = 100  # names include the Host header: a bound, whatever clients send


def remembered(name, make):
    """make(), or what it returned earlier in this generation."""
    generation = store.current_token(store.GENERATION_KEY)
    found = _remembered.get(name)
    if found is not None and found[0] == generation:
        return found[1]
    if len(_remembered) >= _REMEMBERED_MAX:
        _remembered.clear()
    value = make()
    _remembered[name] = (generation, value)
    return value


def _field_values(instance):
    """The instance's column values, none of them shared with the instance: a StreamField
    as its JSON text (each instance parses its own), other mutable values copied."""
    values = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, StreamField):
            value = json.dumps(field.get_prep_value(value))
        elif isinstance(value, (dict, list)):
            value = copy.deepcopy(value)
        values.append(value)
    return values


def _instance(model, values):
    return model.from_db("default", [f.attname for f in model._meta.concrete_fields], values)


def site_for_request(request):
    """Site.find_for_request(request) without its query after the first, with its root
    page fetched as its own type in one query (Wagtail fetches a Page, then its type)."""

    def find():
        site = Site._find_for_request(request)
        if site is None:
            return None
        return _field_values(site), site.root_page.specific_class

    found = remembered(("site", request._get_raw_host(), request.get_port()), find)
    if found is None:
        return None
    values, root_page_class = found
    site = _instance(Site, values)
    if root_page_class is not None:
        root_page = remembered_page(
            request,
            ("root page", site.root_page_id),
            lambda: root_page_class.objects.filter(pk=site.root_page_id).first(),
        )
        if root_page is not None:
            site.root_page = root_page
    return site


# Page rows and pack sizes -----------------------------------------------------

# name -> (page id, page version or None, when stored, [(model, field values)...]), least
# recently used first. Bounded: a product's row holds its body (tens of kB).
_page_rows = OrderedDict()
_page_rows_lock = threading.Lock()  # threaded servers: reordering races with eviction
PAGE_ROWS_MAX = 500
# A change made behind Wagtail's back (an UPDATE, a save() without publishing) drops
# nothing: visitors see it within this many seconds all the same.
PAGE_ROWS_SECONDS = 300


def _may_remember_pages(request):
    """Visitors' live pages only: not previews (a draft's own pack sizes), not signed-in
    users (editors). A visitor without a session is told apart without loading one."""
    if getattr(request, "is_preview", False):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


def _current_rows(name, version):
    """Fresh instances of what is remembered under `name`, if it is still current."""
    found = _page_rows.get(name)
    if found is None or found[1] != version or time.monotonic() - found[2] > PAGE_ROWS_SECONDS:
        return None
    with _page_rows_lock:
        if name in _page_rows:
            _page_rows.move_to_end(name)
    return [_instance(model, values) for model, values in found[3]]


def remembered_page(request, name, fetch):
    """fetch() -> a page or None, remembered until the page cache drops that page."""
    if not _may_remember_pages(request):
        return fetch()
    found = _page_rows.get(name)
    known_id = found[0] if found is not None else None
    version = store.page_version(known_id) if known_id is not None else None
    remembered = _current_rows(name, version)
    if remembered is not None:
        return remembered[0]
    page = fetch()
    if page is not None:
        # First sight of this page, or of a different one under the name: its version
        # is not known from before the fetch, so it is remembered from the next view.
        current = version if page.pk == known_id else None
        _store_rows(name, page.pk, current, [page])
    return page


def remembered_page_parts(request, page, name, fetch):
    """fetch() -> a list of instances (a page's pack sizes), remembered until the page
    cache drops `page`."""
    if not _may_remember_pages(request) or page.pk is None:
        return fetch()
    key = (name, page.pk)
    version = store.page_version(page.pk)
    remembered = _current_rows(key, version)
    if remembered is not None:
        return remembered
    objects = fetch()
    _store_rows(key, page.pk, version, objects)
    return objects


def _store_rows(name, page_id, version, objects):
    stored = [(type(o), _field_values(o)) for o in objects]
    with _page_rows_lock:
        _page_rows[name] = (page_id, version, time.monotonic(), stored)
        _page_rows.move_to_end(name)
        while len(_page_rows) > PAGE_ROWS_MAX:
            _page_rows.popitem(last=False)


def settings_instance(model, load):
    """A generic setting's single row (load() the first time)."""
    return _instance(
        model, remembered(("settings", model._meta.label), lambda: _field_values(load()))
    )


def any_view_restrictions():
    return remembered("view restrictions", PageViewRestriction.objects.exists)


class RememberedSiteMiddleware:
    """For pages Wagtail serves: puts the request's site where Wagtail looks first
    (request._wagtail_site). Other views look it up themselves, if they need it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve as wagtail_serve  # views import models: not at load

        if view_func is wagtail_serve:
            request._wagtail_site = site_for_request(request)


class ViewRestrictionsMixin:
    """For page models: Wagtail asks every page view for the page's view restrictions
    (two queries); while no page on the site has one, the answer is known."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
