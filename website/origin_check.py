"""CSRF protection for public forms without a per-visitor token in the page.

Public pages are the same bytes for every visitor (so that Varnish or a CDN can
hold them), so their forms carry no CSRF token. A view decorated with
`public_post` is exempt from Django's token check and refuses, instead, a POST
that a browser says comes from another site:

* `Sec-Fetch-Site: cross-site` (every current browser sends it): refused;
* otherwise an `Origin` header (else a `Referer`) naming an origin that is not
  this site's own (the request's scheme and host, or CSRF_TRUSTED_ORIGINS): refused;
* neither header: allowed, as Django allows it on plain HTTP. Browsers send one of
  them on every cross-origin POST, so only non-browser clients (curl, a test
  client) get here, and they cannot ride on a visitor's cookies.

Together with SameSite=Lax session cookies, this is the check OWASP calls
"verifying origin with standard headers". The admin keeps Django's token check.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _origin_of(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(request):
    """The origins this request's site is served from."""
    own = {f"{request.scheme}://{request.get_host()}".lower()}
    own.update(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)
    return own


def refusal_reason(request):
    """Why this request must be refused as cross-site, or None if it may go on."""
    if request.method not in UNSAFE_METHODS:
        return None
    if request.META.get("HTTP_SEC_FETCH_SITE", "").lower() == "cross-site":
        return "The form was sent from another site."
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None and "HTTP_REFERER" in request.META:
        origin = _origin_of(request.META["HTTP_REFERER"]) or "null"
    if origin is not None and origin.lower() not in own_origins(request):
        return "The form was sent from another site."
    return None


def public_post(view):
    """For views that take POSTs from forms on public (shared, cached) pages."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        reason = refusal_reason(request)
        if reason is not None:
            failure_view = import_string(settings.CSRF_FAILURE_VIEW)
            return failure_view(request, reason=reason)
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)
