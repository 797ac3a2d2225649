"""The full-page cache: what it serves, what it never stores, and what drops it."""

import re
from datetime import timedelta
from decimal import Decimal
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page, PageViewRestriction, Site

from catalog.models import ProductIndexPage, ProductPage
from catalog.reviews.models import Review, ReviewStatus
from catalog.reviews.services import seconds_since_form_shown
from home.site_settings import PharmacySettings
from tests.admin_forms import pack, product_form_data
from tests.factories import (
    HomePageFactory,
    PackSizeFactory,
    ProductCategoryFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
    ReviewFactory,
)
from website.pagecache import store

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
STARTED = re.compile(r'name="started" value="([^"]*)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    """On for these tests (off for the rest of the suite); conftest empties the cache."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def product(product_index):
    product = ProductPageFactory(
        parent=product_index,
        title="Baclofen 10 mg",
        slug="baclofen-10-mg",
        packs=[],
        accept_reviews=True,
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    return product


def without_form_values(html):
    return STARTED.sub("", TOKEN.sub("", html))


def visit(url, client=None, **extra):
    response = (client or Client()).get(url, **extra)
    return response, response.content.decode()


def test_second_anonymous_visit_is_served_from_the_cache(product):
    first, html = visit(product.url)
    assert first["X-Cache"] == "MISS"
    second, cached_html = visit(product.url)
    assert second["X-Cache"] == "HIT"
    assert second.status_code == 200
    # The same page, but for the per-visitor form values.
    assert without_form_values(cached_html) == without_form_values(html)
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


# Forms on a cached page work for each visitor --------------------------------


def form_values(html):
    form = re.search(r'<form method="post" action="([^"]+)".*?</form>', html, re.S)
    return (
        form.group(1),
        TOKEN.search(form.group(0)).group(1),
        STARTED.search(form.group(0)).group(1),
    )


def review(token, started, **fields):
    return {
        "csrfmiddlewaretoken": token,
        "started": started,
        "rating": "5",
        "text": "Eased the spasms within a week.",
        "author_name": "Sam",
        "email": "sam@example.com",
        "website": "",
        **fields,
    }


def test_a_visitor_landing_on_a_cached_page_can_post_a_review(product):
    first = Client(enforce_csrf_checks=True)
    _, first_html = visit(product.url, first)
    _, first_token, first_started = form_values(first_html)

    stored = b"".join(cache.get(store.entry_key(_request_for(product.url)))[-1])
    assert store.CSRF_PLACEHOLDER.encode() in stored and first_token.encode() not in stored
    assert b"pagecache-fresh-started" in stored and first_started.encode() not in stored

    visitor = Client(enforce_csrf_checks=True)
    with freeze_time(timezone.now() + timedelta(seconds=30)) as frozen:
        response, html = visit(product.url, visitor)
        assert response["X-Cache"] == "HIT"
        action, token, started = form_values(html)
        assert token != first_token and started != first_started
        assert store.CSRF_PLACEHOLDER not in html and "pagecache-fresh" not in html
        assert "csrftoken" in response.cookies  # the cookie that goes with the token
        # The "form shown at" time is this visitor's: the minimum fill time counts from now.
        assert seconds_since_form_shown(started) == 0
        frozen.tick(10)
        posted = visitor.post(action, review(token, started))
    assert posted.status_code == 302
    stored_review = Review.objects.get()
    assert stored_review.status == ReviewStatus.PENDING  # not filed as spam
    # The visitor now has a session (the thank-you message): never served from the cache.
    after = visitor.get(posted["Location"])
    assert "X-Cache" not in after and "awaiting approval" in after.content.decode()


def test_another_visitors_token_does_not_work(product):
    visit(product.url)
    visitor, stranger = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    action, token, started = form_values(visit(product.url, visitor)[1])
    visit(product.url, stranger)
    assert stranger.post(action, review(token, started)).status_code == 403
    assert not Review.objects.exists()


def test_returning_visitor_keeps_their_csrf_cookie(product):
    visit(product.url)
    visitor = Client(enforce_csrf_checks=True)
    visit(product.url, visitor)
    cookie = visitor.cookies["csrftoken"].value
    response, html = visit(product.url, visitor)
    assert response["X-Cache"] == "HIT"
    assert visitor.cookies["csrftoken"].value == cookie
    action, token, started = form_values(html)
    assert visitor.post(action, review(token, started)).status_code == 302


def test_a_malformed_csrf_cookie_is_replaced_on_a_hit(product):
    visit(product.url)
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = "not a valid secret"
    response, html = visit(product.url, visitor)
    assert response["X-Cache"] == "HIT"
    assert visitor.cookies["csrftoken"].value != "not a valid secret"
    action, token, started = form_values(html)
    assert visitor.post(action, review(token, started)).status_code == 302


@pytest.mark.parametrize(
    "cookie_settings",
    [{}, {"CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Strict", "CSRF_COOKIE_AGE": 3600}],
)
def test_a_hit_sets_the_csrf_cookie_as_django_does_on_a_miss(product, settings, cookie_settings):
    for name, value in cookie_settings.items():
        setattr(settings, name, value)
    miss = Client().get(product.url)
    hit = Client().get(product.url)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    made_by_django, made_on_the_hit = miss.cookies["csrftoken"], hit.cookies["csrftoken"]
    assert made_on_the_hit.value != made_by_django.value
    for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
        assert made_on_the_hit[attribute] == made_by_django[attribute], attribute
    expires = [parsedate_to_datetime(c["expires"]) for c in (made_by_django, made_on_the_hit)]
    assert abs((expires[1] - expires[0]).total_seconds()) <= 2
    assert "Cookie" in hit["Vary"]


def test_hit_tokens_are_what_django_makes_and_checks():
    """website/pagecache/csrf.py draws the characters; Django unmasks and compares them."""
    from django.middleware.csrf import (
        CSRF_ALLOWED_CHARS,
        _check_token_format,
        _does_token_match,
        _unmask_cipher_token,
    )
    from django.test import RequestFactory

    from website.pagecache import csrf

    request = RequestFactory().get("/")
    first, second = csrf.get_token(request), csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert first != second  # a new mask each time (BREACH), the same secret underneath
    for token in (first, second):
        _check_token_format(token)
        assert _unmask_cipher_token(token) == secret
        assert _does_token_match(token, secret)
    assert not _does_token_match(csrf.get_token(RequestFactory().get("/")), secret)
    # Every secret masks and unmasks right, the alphabet's two ends included.
    for secret in [csrf.new_secret() for _ in range(500)] + ["a" * 32, "9" * 32, "Z" * 32]:
        assert _unmask_cipher_token(csrf.mask(secret)) == secret


def test_hit_token_characters_are_uniformly_drawn():
    """Every allowed character about equally often: a modulo bias (bytes 248-255 kept)
    would give the first eight characters 25% more than the rest."""
    from collections import Counter

    from django.middleware.csrf import CSRF_ALLOWED_CHARS

    from website.pagecache import csrf

    counts = Counter("".join(csrf.new_secret() for _ in range(2000)))  # 64,000 characters
    expected = 64_000 / len(CSRF_ALLOWED_CHARS)  # about 1,032 each; one sigma is about 32
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(0.85 * expected < n < 1.15 * expected for n in counts.values()), counts


def test_add_to_cart_from_a_cached_page_and_no_one_sees_another_visitors_cart(product):
    visit(product.url)  # cached for everyone
    shopper = Client(enforce_csrf_checks=True)
    response, html = visit(product.url, shopper)
    assert response["X-Cache"] == "HIT"
    action, token = re.search(
        r'<form class="add-to-cart" method="post" action="([^"]+)".*?'
        r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"',
        html,
        re.S,
    ).groups()
    pack_id = product.pack_sizes.get().pk
    added = shopper.post(action, {"csrfmiddlewaretoken": token, "pack": pack_id, "count": "2"})
    assert added.status_code == 302

    # The shopper (now with a session) sees their own cart, never a cached page...
    response, html = visit(product.url, shopper)
    assert "X-Cache" not in response
    assert "2 items, £48.00" in html
    # ...and other visitors still get the cached page, with an empty mini cart.
    response, html = visit(product.url)
    assert response["X-Cache"] == "HIT"
    assert "2 items" not in html and "£48.00" not in html


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


def test_a_page_made_private_is_never_served_from_the_cache_again(product, home):
    warm(product.url)
    restriction = PageViewRestriction.objects.create(
        page=product, restriction_type=PageViewRestriction.PASSWORD, password="staff-only"
    )
    response, html = visit(product.url)
    assert "X-Cache" not in response and "Baclofen 10 mg" not in html  # the password form
    assert "password" in html.lower()
    restriction.delete()
    response, html = visit(product.url)
    assert response["X-Cache"] == "MISS" and "Baclofen 10 mg" in html


def test_drafts_and_previews_are_not_cached(product, admin_client):
    visit(product.url)
    data = product_form_data(
        title="Draft title", slug=product.slug, packs=[], publish=False, initial_packs=0
    )
    assert (
        admin_client.post(reverse("wagtailadmin_pages:edit", args=(product.pk,)), data).status_code
        == 302
    )
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


def test_a_change_made_in_another_worker_process_drops_this_ones_pages(product, another_worker):
    """gunicorn's workers each have a local-memory cache: one that saves a change counts up
    the shared stamp file, and the others drop their own pages when they see it."""
    warm(product.url)
    another_worker([product.pk])
    assert visit(product.url)[0]["X-Cache"] == "MISS"
    assert visit(product.url)[0]["X-Cache"] == "HIT"


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


def test_an_edited_image_drops_the_pages_that_show_it(product):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Pack", file=get_test_image_file(size=(800, 600)))
    product.image = image
    product.save_revision().publish()
    warm(product.url)
    image.title = "Baclofen 10 mg pack"  # the alt text
    image.save()
    response, html = visit(product.url)
    assert response["X-Cache"] == "MISS" and 'alt="Baclofen 10 mg pack"' in html


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


def test_a_wrong_page_hint_never_serves_a_stale_page(product, product_index):
    """Hits fetch the entry with the tokens of the page last seen at that URL: only a hint."""
    warm(product.url)
    key = store.entry_key(_request_for(product.url))
    store.remember_page(key, product_index.pk)  # a wrong guess
    assert visit(product.url)[0]["X-Cache"] == "HIT"  # still checked against its own page
    store.remember_page(key, product_index.pk)
    store.drop_pages([product.pk])
    assert visit(product.url)[0]["X-Cache"] == "MISS"


def test_evicted_tokens_never_revive_a_stale_entry(product):
    warm(product.url)
    cache.delete(store.page_version_key(product.pk))
    assert visit(product.url)[0]["X-Cache"] == "MISS"
    cache.delete(store.GENERATION_KEY)
    assert visit(product.url)[0]["X-Cache"] == "MISS"


def bulk_url(action, reviews):
    query = urlencode([("id", r.pk) for r in reviews])
    return reverse("wagtail_bulk_action", args=("catalog", "review", action)) + "?" + query


def test_approving_and_rejecting_reviews_shows_on_the_next_request(product, admin_client):
    pending = ReviewFactory(
        product=product, status=ReviewStatus.PENDING, text="Worked well for me."
    )
    warm(product.url)
    assert "Worked well for me." not in visit(product.url)[1]

    assert admin_client.post(bulk_url("approve", [pending])).status_code == 302
    html = visit(product.url)[1]
    assert "Worked well for me." in html and "Reviews (1)" in html

    warm(product.url)
    assert admin_client.post(bulk_url("reject", [pending])).status_code == 302
    html = visit(product.url)[1]
    assert "Worked well for me." not in html and "There are no reviews yet." in html


def test_a_new_pending_review_keeps_the_page_cached(product):
    warm(product.url)
    ReviewFactory(product=product, status=ReviewStatus.PENDING)
    assert visit(product.url)[0]["X-Cache"] == "HIT"
    ReviewFactory(product=product, status=ReviewStatus.APPROVED, text="Approved at once.")
    assert "Approved at once." in visit(product.url)[1]


def test_review_pages_are_cached_and_dropped_together(product, admin_client):
    reviews = ReviewFactory.create_batch(11, product=product)
    warm(product.url, product.url + "?reviews=2")
    assert admin_client.post(bulk_url("reject", reviews[:1])).status_code == 302
    assert visit(product.url + "?reviews=2")[0]["X-Cache"] == "MISS"
    assert "Reviews (10)" in visit(product.url)[1]


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
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_page_cache.RecordingBackend"}}
    RecordingBackend.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()
    assert sorted(set(RecordingBackend.purged)) == [
        "http://localhost/",
        "http://localhost/products/",
        "http://localhost/products/baclofen-10-mg/",
    ]


def test_an_index_published_with_a_new_slug_drops_its_products_old_urls(
    product, product_index, django_capture_on_commit_callbacks
):
    old_url = product.url
    warm(old_url)
    index = ProductIndexPage.objects.get(pk=product_index.pk)
    index.slug = "medicines"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail tells after the commit
        index.save_revision().publish()
    response, _ = visit(old_url)
    assert response.status_code == 301 and response["Location"] == f"/medicines/{product.slug}/"
    assert "Baclofen 10 mg" in visit(f"/medicines/{product.slug}/")[1]
