"""Lookups every page view makes, remembered per process between changes.

Which Wagtail site a host is, the pharmacy settings and whether any page on the
site is private cost four SQL queries a page view, and change a few times a year.
Each is remembered until the page cache's generation changes: every save or delete
of a site, the settings or a view restriction starts a new generation
(invalidation.py), and every process follows it (store.py). Callers get a fresh
model instance each time, never one shared between requests.
"""

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
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


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
        root_page = root_page_class.objects.filter(pk=site.root_page_id).first()
        if root_page is not None:
            site.root_page = root_page
    return site


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
