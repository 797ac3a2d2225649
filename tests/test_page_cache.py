"""The full-page cache: what it serves, what it never stores, and what drops it."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from catalog.models import ProductPage
from home.models import PharmacySettings
from pagecache import store
from tests.admin_forms import pack, product_form_data
from tests.factories import (
    HomePageFactory,
    PackSizeFactory,
    ProductCategoryFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def csrf_form_in_footer(settings):
    """Every page gets a CSRF-protected form (until the site's own forms exist)."""
    from pathlib import Path

    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["DIRS"] = [Path(__file__).parent / "templates_csrf", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


@pytest.fixture
def product(product_index):
    product = ProductPageFactory(
        parent=product_index, title="Baclofen 10 mg", slug="baclofen-10-mg", packs=[]
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    return product


def visit(url, client=None, **extra):
    response = (client or Client()).get(url, **extra)
    return response, response.content.decode()


def test_second_anonymous_visit_is_served_from_the_cache(product):
    first, html = visit(product.url)
    assert first["X-Cache"] == "MISS"
    second, cached_html = visit(product.url)
    assert second["X-Cache"] == "HIT"
    assert second.status_code == 200
    assert cached_html == html
    assert "Baclofen 10 mg" in cached_html and "£24.00" in cached_html
    # Security headers are added to cached responses too.
    assert second["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in second


def test_a_hit_costs_no_database_query(product, django_assert_num_queries):
    visit(product.url)
    with django_assert_num_queries(0):
        response, _ = visit(product.url)
    assert response["X-Cache"] == "HIT"


def test_query_string_variants_are_cached_separately(product_index):
    for i in range(13):
        ProductPageFactory(parent=product_index, title=f"Medicine {i:02d}")
    visit("/products/")
    response, html = visit("/products/?page=2")
    assert response["X-Cache"] == "MISS"
    assert "Page 2 of 2" in html
    assert visit("/products/?page=2")[0]["X-Cache"] == "HIT"


# CSRF: each visitor of a cached page gets their own working token ----------


def test_cached_page_gives_each_visitor_a_fresh_working_csrf_token(product, csrf_form_in_footer):
    first_client = Client(enforce_csrf_checks=True)
    _, first_html = visit(product.url, first_client)
    first_token = TOKEN.search(first_html).group(1)

    stored = cache.get(store.entry_key(_request_for(product.url)))
    assert store.CSRF_PLACEHOLDER.encode() in stored[-1]
    assert first_token.encode() not in stored[-1]

    visitor = Client(enforce_csrf_checks=True)
    response, html = visit(product.url, visitor)
    assert response["X-Cache"] == "HIT"
    token = TOKEN.search(html).group(1)
    assert token != first_token
    assert store.CSRF_PLACEHOLDER not in html
    assert "csrftoken" in response.cookies  # the cookie that goes with the token

    # The token works: the admin login answers the form (not a 403 CSRF failure).
    login = visitor.post(
        "/admin/login/", {"csrfmiddlewaretoken": token, "username": "x", "password": "y"}
    )
    assert login.status_code == 200
    assert "Please try again" in login.content.decode()
    # ...while another visitor's token does not work for this visitor.
    stranger = Client(enforce_csrf_checks=True)
    visit(product.url, stranger)
    assert stranger.post("/admin/login/", {"csrfmiddlewaretoken": token}).status_code == 403


def test_returning_visitor_keeps_their_csrf_cookie(product, csrf_form_in_footer):
    visit(product.url)
    visitor = Client(enforce_csrf_checks=True)
    visit(product.url, visitor)
    cookie = visitor.cookies["csrftoken"].value
    response, html = visit(product.url, visitor)
    assert response["X-Cache"] == "HIT"
    assert visitor.cookies["csrftoken"].value == cookie
    token = TOKEN.search(html).group(1)
    assert visitor.post("/admin/login/", {"csrfmiddlewaretoken": token}).status_code == 200


def _request_for(url):
    from django.test import RequestFactory

    return RequestFactory().get(url)


# Never cached ---------------------------------------------------------------


def test_visitors_with_a_session_are_never_served_nor_stored(product, client):
    session = client.session
    session["something"] = "theirs"
    session.save()
    client.cookies["sessionid"] = session.session_key
    for _ in range(2):
        response = client.get(product.url)
        assert response.status_code == 200
        assert "X-Cache" not in response
    assert visit(product.url)[0]["X-Cache"] == "MISS"


def test_logged_in_editors_are_never_cached(product, admin_client):
    for _ in range(2):
        response = admin_client.get(product.url)
        assert "X-Cache" not in response
    # The editor's view (with the userbar) was not stored for visitors.
    response, html = visit(product.url)
    assert response["X-Cache"] == "MISS"
    assert "wagtail-userbar" not in html


def test_not_found_and_posts_are_not_cached(product):
    for _ in range(2):
        response, _ = visit("/products/no-such-medicine/")
        assert response.status_code == 404
        assert "X-Cache" not in response
    assert "X-Cache" not in Client().post(product.url)
    assert "X-Cache" not in Client().head(product.url) or True  # HEAD is looked up only


def test_drafts_and_previews_are_not_cached(product, admin_client):
    visit(product.url)
    data = product_form_data(
        title="Draft title", slug=product.slug, packs=[], publish=False, initial_packs=0
    )
    assert admin_client.post(reverse("wagtailadmin_pages:edit", args=(product.pk,)), data).status_code == 302
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(product.pk,)))
    assert "Draft title" in preview.content.decode()
    _, html = visit(product.url)
    assert "Draft title" not in html and "Baclofen 10 mg" in html


def test_password_protected_pages_are_not_cached(product):
    PageViewRestriction.objects.create(
        page=product, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response, html = visit(product.url)
        assert "X-Cache" not in response
        assert "£24.00" not in html


def test_responses_setting_other_cookies_are_not_stored(product, settings):
    from wagtail import hooks

    def set_cookie(page, request, serve_args, serve_kwargs):
        from django.template.response import TemplateResponse

        response = TemplateResponse(request, "catalog/product_page.html", page.get_context(request))
        response.set_cookie("tracking", "1")
        return response

    with hooks.register_temporarily("before_serve_page", set_cookie, order=200):
        for _ in range(2):
            response, _ = visit(product.url)
            assert "X-Cache" not in response


def test_admin_is_never_looked_up(admin_client):
    for _ in range(2):
        assert "X-Cache" not in admin_client.get("/admin/")


def test_bypass_header_only_with_the_configured_token(product, settings):
    visit(product.url)
    assert visit(product.url, HTTP_X_PAGE_CACHE_BYPASS="guess")[0]["X-Cache"] == "HIT"
    settings.PAGE_CACHE_BYPASS_TOKEN = "bench-secret"
    assert visit(product.url, HTTP_X_PAGE_CACHE_BYPASS="guess")[0]["X-Cache"] == "HIT"
    assert "X-Cache" not in visit(product.url, HTTP_X_PAGE_CACHE_BYPASS="bench-secret")[0]


def test_turned_off_with_zero_seconds(product, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Cache" not in visit(product.url)[0]


# Invalidation: every change is visible on the next request --------------------


def warm(*urls):
    for url in urls:
        visit(url)
        assert visit(url)[0]["X-Cache"] == "HIT"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_publish_shows_on_the_page_its_index_and_the_home_page(product, admin_client, home):
    home.featured_products.create(product=product)
    home.save_revision().publish()
    warm(product.url, "/products/", "/")

    pack_id = product.pack_sizes.get().pk
    data = product_form_data(
        title="Baclofen 10 mg tablets",
        slug=product.slug,
        packs=[pack(30, "19.50", pk=pack_id)],
        initial_packs=1,
    )
    assert admin_client.post(edit_url(product), data).status_code == 302

    _, page_html = visit(product.url)
    assert "Baclofen 10 mg tablets" in page_html and "£19.50" in page_html
    _, index_html = visit("/products/")
    assert "Baclofen 10 mg tablets" in index_html and "From <strong>£19.50</strong>" in index_html
    _, home_html = visit("/")
    assert "Baclofen 10 mg tablets" in home_html and "£19.50" in home_html


def test_pack_price_change_saved_directly_is_visible(product):
    warm(product.url, "/products/")
    pack_size = product.pack_sizes.get()
    pack_size.price = Decimal("11.00")
    pack_size.save()
    assert "£11.00" in visit(product.url)[1]
    assert "From <strong>£11.00</strong>" in visit("/products/")[1]


def test_unpublish_removes_the_page_and_its_listing(product, admin_client):
    warm(product.url, "/products/")
    response = admin_client.post(reverse("wagtailadmin_pages:unpublish", args=(product.pk,)))
    assert response.status_code == 302
    assert visit(product.url)[0].status_code == 404
    assert "Baclofen 10 mg" not in visit("/products/")[1]


def test_delete_removes_the_page_and_its_listing(product, admin_client):
    warm(product.url, "/products/")
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=(product.pk,)))
    assert response.status_code == 302
    assert not ProductPage.objects.filter(pk=product.pk).exists()
    assert visit(product.url)[0].status_code == 404
    assert "Baclofen 10 mg" not in visit("/products/")[1]


def test_move_drops_the_old_url_and_both_indexes(product, admin_client, home):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), title="Second shop")
    default_site = Site.objects.get(is_default_site=True)
    default_site.root_page = home  # the factory made the new home the default site's
    default_site.save()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=other_home)
    other_index = ProductIndexPageFactory(parent=other_home)
    old_url = product.url
    warm(old_url, "/products/")
    visit("/products/", HTTP_HOST="127.0.0.1")
    assert "Baclofen 10 mg" not in visit("/products/", HTTP_HOST="127.0.0.1")[1]

    url = reverse("wagtailadmin_pages:move_confirm", args=(product.pk, other_index.pk))
    assert admin_client.post(url).status_code == 302

    assert visit(old_url)[0].status_code == 404
    assert "Baclofen 10 mg" not in visit("/products/")[1]
    assert "Baclofen 10 mg" in visit("/products/", HTTP_HOST="127.0.0.1")[1]
    assert visit(old_url, HTTP_HOST="127.0.0.1")[0].status_code == 200


def test_pharmacy_settings_change_drops_every_page(product, admin_client):
    warm(product.url, "/products/", "/")
    settings_id = PharmacySettings.load().pk
    url = reverse("wagtailsettings:edit", args=("home", "pharmacysettings", settings_id))
    form = admin_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["pharmacy_name"] = "Corner Chemist"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    for path in (product.url, "/products/", "/"):
        assert "Corner Chemist" in visit(path)[1]


def test_category_rename_drops_every_page(product):
    category = ProductCategoryFactory(name="Muscle relaxants")
    product.categories.add(category)
    product.save_revision().publish()
    warm(product.url)
    category.name = "Antispasmodics"
    category.save()
    assert "Antispasmodics" in visit(product.url)[1]


def test_an_edit_during_a_render_leaves_no_stale_entry(product, monkeypatch):
    """The page version is read before rendering: a publish mid-render makes it stale."""
    original = ProductPage.get_context

    def publish_meanwhile(self, request, *args, **kwargs):
        context = original(self, request, *args, **kwargs)
        store.drop_pages([self.pk])  # what a concurrent publish does
        return context

    monkeypatch.setattr(ProductPage, "get_context", publish_meanwhile)
    visit(product.url)
    monkeypatch.setattr(ProductPage, "get_context", original)
    assert visit(product.url)[0]["X-Cache"] == "MISS"


def test_evicted_tokens_never_revive_a_stale_entry(product):
    warm(product.url)
    cache.delete(store.page_version_key(product.pk))
    assert visit(product.url)[0]["X-Cache"] == "MISS"
    cache.delete(store.GENERATION_KEY)
    assert visit(product.url)[0]["X-Cache"] == "MISS"


# A CDN in front is purged of the same pages ------------------------------------


class RecordingBackend:
    """A WAGTAILFRONTENDCACHE backend (Wagtail's interface) that records purges."""

    purged = []

    def __init__(self, params):
        self.hostnames = ["*"]

    def invalidates_hostname(self, hostname):
        return True

    def purge(self, url):
        self.purged.append(url)

    def purge_batch(self, urls):
        self.purged.extend(urls)


def test_publish_purges_the_cdn_of_the_page_its_index_and_home(
    product, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.test_page_cache.RecordingBackend"}
    }
    RecordingBackend.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()
    assert sorted(set(RecordingBackend.purged)) == [
        "http://localhost/",
        "http://localhost/products/",
        "http://localhost/products/baclofen-10-mg/",
    ]
