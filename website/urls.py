from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from catalog.search import search
from home.views import favicon_ico, robots_txt

from .api import api_router
from .origin_check import public_post
from .page_passwords import authenticate_with_password
from .pagecache.public import public_page
from .visitor import visitor

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("cart/", include("catalog.cart.urls")),
    path("", include("orders.urls")),  # /checkout/ and /orders/<token>/: per-visitor pages
    path("consultations/", include("consultations.urls")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon_ico, name="favicon_ico"),
    path("search/", public_page(search), name="search"),
    path("visitor/", visitor, name="visitor"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree: keep this last. Its page-password
# form first goes through the guessing limit (same URL name, so Wagtail's links use it).
# Pages take the public forms' POSTs (the review form), checked by origin instead of a
# CSRF token (website/origin_check.py).
urlpatterns += [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, public_post(wagtail_views.serve), name="wagtail_serve"),
]
