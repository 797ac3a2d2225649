"""The page cache: public pages are the same bytes for every visitor, cached whole, and
any content change is visible on the very next request (docs/caching.md)."""

import logging
import os
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from catalog.models import PackSize, ProductIndexPage, ProductPage
from catalog.reviews.models import ReviewStatus
from home.site_settings import PharmacySettings
from tests.admin_forms import pack, product_form_data
from tests.factories import (
    CartFactory,
    CartLineFactory,
    PackSizeFactory,
    ProductCategoryFactory,
    ProductPageFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def page_cache(settings):
    """On for these tests (off for the rest of the suite); conftest empties the cache."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a change's after-commit work, as the end of a real transaction does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def product(product_index, home):
    product = ProductPageFactory(
        parent=product_index,
        title="Baclofen 10 mg",
        slug="baclofen-10-mg",
        packs=[],
        accept_reviews=True,
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    home.featured_products.create(product=product)
    home.save_revision().publish()
    return product


def visit(url, client=None, **extra):
    response = (client or Client()).get(url, **extra)
    return response, response.content.decode()


def warm(*urls):
    for url in urls:
        visit(url)
        assert visit(url)[0]["X-Cache"] == "HIT", url


PUBLIC_URLS = ["/", "/products/", "/products/baclofen-10-mg/", "/search/?q=baclofen"]


def visitor_with_a_cart(product):
    client = Client()
    cart = CartFactory()
    CartLineFactory(cart=cart, pack=product.pack_sizes.get(), count=2)
    session = client.session
    session["cart_token"] = cart.token
    session.save()
    client.cookies["messages"] = "not-a-real-message"
    return client


# The same bytes for every visitor --------------------------------------------------


@pytest.mark.parametrize("cached", [True, False], ids=["cache-on", "cache-off"])
def test_public_pages_are_the_same_bytes_for_every_visitor(product, settings, cached):
    if not cached:
        settings.PAGE_CACHE_SECONDS = 0
    bogus = Client()
    bogus.cookies["sessionid"] = "made-up-session-key"
    for url in PUBLIC_URLS:
        bodies = set()
        for client in (Client(), visitor_with_a_cart(product), bogus, Client()):
            response = client.get(url)
            assert response.status_code == 200, url
            assert not response.cookies, (url, response.cookies)  # no Set-Cookie at all
            assert "Cookie" not in response.get("Vary", ""), url
            bodies.add(response.content)
        assert len(bodies) == 1, url
        html = bodies.pop().decode()
        assert "csrfmiddlewaretoken" not in html and "2 items" not in html, url


def test_public_pages_tell_shared_caches_to_keep_them(product, settings):
    for url in PUBLIC_URLS:
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=600", url
        assert response["Vary"] == "Accept-Encoding", url
        assert response["Content-Encoding"] == "gzip", url
    settings.PAGE_CACHE_SECONDS = 0  # every layer off: shared caches too
    assert Client().get("/products/")["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "url",
    [
        "/cart/",
        "/checkout/",
        "/orders/no-such-token/",
        "/consultations/expired/",
        "/visitor/",
        "/admin/login/",
        "/products/nowhere/",
    ],
)
def test_personal_responses_are_private_and_never_cached(product, url):
    for _ in range(2):
        response = Client().get(url)
        assert {"private", "no-store"} <= set(response["Cache-Control"].replace(",", " ").split())
        assert "X-Cache" not in response


def test_second_visit_is_a_hit_that_costs_no_query(product, django_assert_num_queries):
    first, html = visit(product.url)
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second, cached = visit(product.url)
    assert second["X-Cache"] == "HIT" and cached == html
    assert second["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in second


def test_a_cart_or_a_made_up_session_cookie_still_gets_the_hit(product):
    warm(product.url)
    bogus = Client()
    bogus.cookies["sessionid"] = "x" * 32
    assert visit(product.url, bogus)[0]["X-Cache"] == "HIT"
    assert visit(product.url, visitor_with_a_cart(product))[0]["X-Cache"] == "HIT"


def test_unknown_query_parameters_are_the_same_entry(product, product_index):
    for i in range(13):
        ProductPageFactory(parent=product_index, title=f"Medicine {i:02d}")
    warm("/products/")
    for n in range(5):
        assert visit(f"/products/?utm_source={n}&fbclid=x")[0]["X-Cache"] == "HIT"
    response, html = visit("/products/?page=2&utm_source=1")
    assert response["X-Cache"] == "MISS" and "Page 2 of 2" in html
    assert visit("/products/?utm_source=2&page=2")[0]["X-Cache"] == "HIT"


def test_signed_in_editors_get_the_live_page_with_their_user_bar_never_a_cached_one(
    product, admin_client
):
    warm(product.url)
    for _ in range(2):
        response, html = visit(product.url, admin_client)
        assert "X-Cache" not in response
        assert "wagtail-userbar" in html
        assert response["Cache-Control"] == "private, no-store"
    response, html = visit(product.url)  # and what they saw was not stored for visitors
    assert response["X-Cache"] == "HIT" and "wagtail-userbar" not in html


@pytest.mark.parametrize("warmed", [True, False], ids=["cached-before", "not-cached-before"])
def test_a_product_page_shown_again_with_a_refused_add_is_never_cached(product, warmed):
    """The page with the visitor's own add-to-cart errors (catalog/cart/refused_add.py) is
    personal: no cache keeps it, and the public page stays the same bytes."""
    if warmed:
        warm(product.url)
    pack_id = product.pack_sizes.get().pk
    for _ in range(2):
        refused = Client().post("/cart/add/", {"pack": pack_id, "count": 0})
        assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
        assert refused["Cache-Control"] == "private, no-store"
        assert "X-Cache" not in refused
    response, html = visit(product.url)
    assert response["X-Cache"] == ("HIT" if warmed else "MISS")
    assert "error-summary" not in html and 'name="count" value="1"' in html
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=600"


def test_restricted_pages_are_never_cached(product):
    warm(product.url)
    PageViewRestriction.objects.create(
        page=product, restriction_type=PageViewRestriction.PASSWORD, password="staff-only"
    )
    call_command("clear_page_cache")  # (the test transaction never commits)
    for _ in range(2):
        response, html = visit(product.url)
        assert "X-Cache" not in response and "£24.00" not in html
        assert "private" in response["Cache-Control"]


def test_previews_are_never_cached(product, admin_client):
    data = product_form_data(
        title="Draft title", slug=product.slug, packs=[], publish=False, initial_packs=0
    )
    assert admin_client.post(edit_url(product), data).status_code == 302
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(product.pk,)))
    assert "Draft title" in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    assert "Draft title" not in visit(product.url)[1]


def test_turned_off_with_zero_seconds(product, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Cache" not in visit(product.url)[0]


# One invalidation rule: any change, after commit, drops everything -------------


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_a_publish_shows_on_the_page_its_index_and_the_home_page(product, admin_client, committed):
    warm(product.url, "/products/", "/")
    pack_id = product.pack_sizes.get().pk
    data = product_form_data(
        title="Baclofen 10 mg tablets",
        slug=product.slug,
        legal_status="p",  # a pharmacy medicine: its card shows the price (docs/supply-rules.md)
        packs=[pack(30, "19.50", pk=pack_id)],
        initial_packs=1,
    )
    with committed():
        assert admin_client.post(edit_url(product), data).status_code == 302
    _, page_html = visit(product.url)
    assert "Baclofen 10 mg tablets" in page_html and "£19.50" in page_html
    _, index_html = visit("/products/")
    assert "Baclofen 10 mg tablets" in index_html and "From <strong>£19.50</strong>" in index_html
    _, home_html = visit("/")
    assert "Baclofen 10 mg tablets" in home_html


def test_nothing_is_dropped_before_the_commit(product, django_capture_on_commit_callbacks):
    """A visitor rendering between the save and the commit would store the old content
    under the new generation: the drop waits for the commit."""
    warm(product.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product.save_revision().publish()
    assert callbacks and visit(product.url)[0]["X-Cache"] == "HIT"
    for callback in callbacks:
        callback()
    assert visit(product.url)[0]["X-Cache"] == "MISS"


def test_a_pack_price_saved_outside_the_admin_shows_at_once(product, committed):
    warm(product.url, "/products/", "/")
    pack_size = PackSize.objects.get(page=product)
    pack_size.price = Decimal("11.00")
    with committed():
        pack_size.save()
    assert "£11.00" in visit(product.url)[1]
    assert "From <strong>£11.00</strong>" in visit("/products/")[1]


def save_a_price_during_the_render(monkeypatch, committed):
    """The product page reads its packs (£24.00), then the pack's price is saved (£9.99) and
    committed before the render ends."""
    original = ProductPage.get_context

    def save_a_price_meanwhile(self, request, *args, **kwargs):
        context = original(self, request, *args, **kwargs)
        pack_size = PackSize.objects.get(page=self)
        pack_size.price = Decimal("9.99")
        with committed():
            pack_size.save()
        return context

    monkeypatch.setattr(ProductPage, "get_context", save_a_price_meanwhile)


def test_a_pack_saved_while_the_page_renders_leaves_no_stale_page(product, committed, monkeypatch):
    """The race that left old prices in the pack list: the page read its packs, then a
    pack was saved and committed before the render ended."""
    save_a_price_during_the_render(monkeypatch, committed)
    racing, html = visit(product.url)
    monkeypatch.undo()
    assert "£24.00" in html  # what that visitor saw...
    assert racing["Cache-Control"] == "private, no-store"  # ...no shared cache may keep it
    response, html = visit(product.url)
    assert response["X-Cache"] == "MISS" and "£9.99" in html and "£24.00" not in html


def test_a_page_stored_just_after_a_change_it_missed_is_never_served(
    product, committed, monkeypatch
):
    """The change lands after the check that follows the render, before the store: the
    entry carries the generation its page was rendered under, stale from then on."""
    from website.pagecache import generation

    lookup, seen = generation.lookup, []

    def remember(key):
        seen.append(lookup(key)[0])
        return seen[-1], None

    monkeypatch.setattr(generation, "lookup", remember)
    monkeypatch.setattr(generation, "current", lambda: seen[-1])  # the check sees no change
    save_a_price_during_the_render(monkeypatch, committed)
    stored, html = visit(product.url)
    assert stored["X-Cache"] == "MISS" and "£24.00" in html  # stored, under the old generation
    monkeypatch.undo()
    response, html = visit(product.url)
    assert response["X-Cache"] == "MISS" and "£9.99" in html and "£24.00" not in html


def test_a_hit_for_a_visitor_with_a_cart_reads_only_their_session(
    product, django_assert_num_queries
):
    warm(product.url)
    visitor = visitor_with_a_cart(product)
    with django_assert_num_queries(1):  # the session: does it name a signed-in user?
        response, _ = visit(product.url, visitor)
    assert response["X-Cache"] == "HIT" and not response.cookies


def test_an_index_retitle_shows_in_every_product_breadcrumb(product, product_index, committed):
    warm(product.url)
    index = ProductIndexPage.objects.get(pk=product_index.pk)
    index.title = "Our medicines"
    with committed():
        index.save_revision().publish()
    assert '<a href="/products/">Our medicines</a>' in visit(product.url)[1]


def test_unpublish_and_delete_show_at_once(product, admin_client, committed):
    warm(product.url, "/products/")
    with committed():
        admin_client.post(reverse("wagtailadmin_pages:unpublish", args=(product.pk,)))
    assert visit(product.url)[0].status_code == 404
    assert "Baclofen 10 mg" not in visit("/products/")[1]


def bulk_url(action, reviews):
    query = urlencode([("id", r.pk) for r in reviews])
    return reverse("wagtail_bulk_action", args=("catalog", "review", action)) + "?" + query


def test_review_moderation_shows_at_once(product, admin_client, committed):
    pending = ReviewFactory(product=product, status=ReviewStatus.PENDING, text="Worked well.")
    warm(product.url)
    with committed():
        assert admin_client.post(bulk_url("approve", [pending])).status_code == 302
    html = visit(product.url)[1]
    assert "Worked well." in html and "Reviews (1)" in html


def test_a_new_pending_review_keeps_the_page_cached(product, committed):
    warm(product.url)
    with committed():
        ReviewFactory(product=product, status=ReviewStatus.PENDING)
    assert visit(product.url)[0]["X-Cache"] == "HIT"


@pytest.mark.parametrize("what", ["settings", "category"])
def test_site_wide_changes_drop_every_page(product, committed, what):
    category = ProductCategoryFactory(name="Muscle relaxants")
    product.categories.add(category)
    product.save_revision().publish()
    warm(product.url, "/")
    with committed():
        if what == "settings":
            PharmacySettings.objects.update_or_create(defaults={"pharmacy_name": "Riverside"})
        else:
            category.name = "Antispasmodics"
            category.save()
    expected = "Riverside" if what == "settings" else "Antispasmodics"
    assert expected in visit(product.url)[1]


def test_clear_page_cache_and_a_new_release_drop_every_page(product, settings):
    warm(product.url)
    call_command("clear_page_cache")
    assert visit(product.url)[0]["X-Cache"] == "MISS"
    settings.RELEASE_ID = "next-release"
    assert visit(product.url)[0]["X-Cache"] == "MISS"


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


def test_a_change_bans_every_page_from_front_end_caches_once_per_commit(
    product, settings, committed
):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_page_cache.RecordingBackend"}}
    RecordingBackend.purged = []
    with committed():
        product.save_revision().publish()  # the page, its pack, its revision...
    assert RecordingBackend.purged == ["http://localhost/"]  # the whole site, once


# Every process sees a change ------------------------------------------------------


def test_a_change_in_another_process_drops_this_ones_pages(product, settings, tmp_path):
    """gunicorn's workers are processes: the generation lives in a cache they share (the
    file cache production uses without Redis), so a drop in one is seen by all."""
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.CACHES = shared
    warm(product.url)
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.test.utils import override_settings\n"
        f"with override_settings(CACHES={shared!r}):\n"
        "    call_command('clear_page_cache')\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.test"}
    subprocess.run([sys.executable, "-c", code], env=environment, check=True, cwd=ROOT)
    assert visit(product.url)[0]["X-Cache"] == "MISS"
    assert visit(product.url)[0]["X-Cache"] == "HIT"


# Redis is optional, never fatal -----------------------------------------------------


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_with_redis_down_every_page_serves_and_editors_can_log_in(
    product, settings, caplog, django_user_model
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/4",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    django_user_model.objects.create_superuser("ops", "ops@example.com", "a-long-pass-phrase")
    with caplog.at_level(logging.WARNING):
        for url in [*PUBLIC_URLS, "/cart/", "/visitor/", "/admin/login/"]:
            response = Client().get(url)
            assert response.status_code == 200, url
            assert "X-Cache" not in response  # uncached
        client = Client()
        login = client.post(
            reverse("wagtailadmin_login"), {"username": "ops", "password": "a-long-pass-phrase"}
        )
        assert login.status_code == 302
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert any("redis" in r.getMessage().lower() or r.exc_info for r in caplog.records)
