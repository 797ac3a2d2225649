"""Site-wide views that are not pages in the Wagtail tree."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request):
    """Keep crawlers out of the admin and the cart, and point them to the sitemap."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def favicon_ico(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file
    (hashed and cached for a year in production, by WhiteNoise)."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
