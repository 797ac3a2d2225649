"""What every page view remembers between changes (website/pagecache/lookups.py) and the
product page's cached fragments: each change shows on the very next view, with the
full-page cache off (as for every visitor with a cart, and every editor).

The pages a URL routes through are remembered from a page's third view; `remembered`
views a URL until a view costs no query at all, so that a test then shows a change
reached what was remembered, not just the database."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import PageViewRestriction, Site

from catalog.models import ProductIndexPage, ProductPage
from home.site_settings import PharmacySettings
from tests.admin_forms import pack, product_form_data
from tests.factories import (
    PackSizeFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
    ReviewFactory,
)
from website.pagecache import lookups, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(product_index):
    product = ProductPageFactory(
        parent=product_index, title="Tizanidine 4 mg", packs=[], accept_reviews=True
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("12.00"))
    return product


def html_of(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def remembered(client, django_assert_num_queries):
    def view(url):
        html_of(client, url)
        html_of(client, url)
        with django_assert_num_queries(0):
            return html_of(client, url)

    return view


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def structured_data(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.dumps(json.loads(found.group(1)))


def test_a_page_made_private_is_private_on_the_next_view(client, product):
    html_of(client, product.url)  # "no page is private" is now remembered
    PageViewRestriction.objects.create(page=product, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(product.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_settings_change_shows_on_the_next_view(client, product):
    PharmacySettings.objects.create(free_shipping_label="Free delivery")
    product.free_shipping = True
    product.save_revision().publish()
    assert "Free delivery" in html_of(client, product.url)
    settings = PharmacySettings.objects.get()
    settings.free_shipping_label = "Delivered free in the UK"
    settings.save()
    html = html_of(client, product.url)
    assert "Delivered free in the UK" in html and "Free delivery" not in html


def test_a_new_site_for_a_host_is_used_at_once(client, product_index, settings):
    settings.ALLOWED_HOSTS = ["testserver", "shop.example"]
    assert "Tizanidine" not in html_of(client, "/", HTTP_HOST="shop.example")  # default site
    Site.objects.create(hostname="shop.example", port=80, root_page=product_index)
    ProductPageFactory(parent=product_index, title="Tizanidine 2 mg", packs=[30])
    assert "Tizanidine 2 mg" in html_of(client, "/", HTTP_HOST="shop.example")  # the index


def test_a_pack_price_change_shows_in_the_page_and_its_structured_data(client, product, remembered):
    before = remembered(product.url)
    assert "12.00" in structured_data(before)
    pack = product.pack_sizes.get()
    pack.price = Decimal("9.50")
    pack.save()
    after = html_of(client, product.url)
    assert "9.50" in structured_data(after) and "12.00" not in structured_data(after)
    assert "£9.50" in after


def test_an_approved_review_shows_in_the_rating_and_the_list(client, product, remembered):
    assert "There are no reviews yet." in remembered(product.url)
    ReviewFactory(product=product, rating=4, text="Eased the spasms within days.")
    html = html_of(client, product.url)
    assert "Eased the spasms within days." in html
    assert "1 customer review" in html and "Reviews (1)" in html
    assert '"ratingValue"' in structured_data(html)


def test_previews_show_the_draft_not_the_cached_fragments(admin_client, product):
    html_of(admin_client, product.url)  # the live page's fragments are cached
    data = product_form_data(
        title="Tizanidine 4 mg", slug=product.slug, summary="A draft summary.", publish=False
    )
    edit = reverse("wagtailadmin_pages:edit", args=(product.pk,))
    assert admin_client.post(edit, data).status_code == 302
    preview = html_of(admin_client, reverse("wagtailadmin_pages:view_draft", args=(product.pk,)))
    assert "A draft summary." in preview
    assert "A draft summary." not in html_of(admin_client, product.url)


# The pages a URL routes through, and a product's pack sizes ---------------------------


def test_a_published_edit_shows_on_the_next_view(client, admin_client, product, remembered):
    remembered(product.url)
    html_of(client, "/products/")
    pack_id = product.pack_sizes.get().pk
    data = product_form_data(
        title="Tizanidine 4 mg tablets",
        slug=product.slug,
        summary="Eases muscle spasm after a spinal injury.",
        packs=[pack(30, "11.25", pk=pack_id), pack(60, "21.00")],
        initial_packs=1,
    )
    assert admin_client.post(edit_url(product), data).status_code == 302
    html = html_of(client, product.url)
    assert "Tizanidine 4 mg tablets" in html and "Eases muscle spasm" in html
    assert "£11.25" in html and "£21.00" in html and "£12.00" not in html
    assert "Tizanidine 4 mg tablets" in html_of(client, "/products/")


def test_a_saved_draft_changes_nothing_a_visitor_sees(client, admin_client, product, remembered):
    before = remembered(product.url)
    data = product_form_data(title="Tizanidine 4 mg", slug=product.slug, publish=False)
    data["summary"] = "A draft summary."
    assert admin_client.post(edit_url(product), data).status_code == 302
    assert "A draft summary." not in html_of(client, product.url)
    assert html_of(client, product.url).count("Tizanidine 4 mg") == before.count("Tizanidine 4 mg")


def test_an_unpublished_page_is_gone_on_the_next_view(client, admin_client, product, remembered):
    remembered(product.url)
    url = reverse("wagtailadmin_pages:unpublish", args=(product.pk,))
    assert admin_client.post(url).status_code == 302
    assert client.get(product.url).status_code == 404


def test_a_deleted_page_is_gone_on_the_next_view(client, admin_client, product, remembered):
    remembered(product.url)
    url = reverse("wagtailadmin_pages:delete", args=(product.pk,))
    assert admin_client.post(url).status_code == 302
    assert client.get(product.url).status_code == 404


def test_a_moved_page_is_found_at_its_new_url_only(
    client, admin_client, product, product_index, remembered
):
    other_index = ProductIndexPageFactory(
        parent=product_index.get_parent(), title="Muscle relaxants", slug="muscle-relaxants"
    )
    old_url = product.url
    remembered(old_url)
    url = reverse("wagtailadmin_pages:move_confirm", args=(product.pk, other_index.pk))
    assert admin_client.post(url).status_code == 302
    new_url = f"/muscle-relaxants/{product.slug}/"
    assert "Tizanidine 4 mg" in html_of(client, new_url)
    assert client.get(old_url)["Location"] == new_url  # Wagtail's redirect, not the old page


def test_a_new_slug_is_the_only_url(
    client, admin_client, product, remembered, django_capture_on_commit_callbacks
):
    old_url = product.url
    remembered(old_url)
    data = product_form_data(title="Tizanidine 4 mg", slug="tizanidine-4mg")
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(edit_url(product), data).status_code == 302
    assert "Tizanidine 4 mg" in html_of(client, "/products/tizanidine-4mg/")
    assert client.get(old_url)["Location"] == "/products/tizanidine-4mg/"


def test_an_index_published_with_a_new_slug_moves_its_products(
    client, product, product_index, remembered, django_capture_on_commit_callbacks
):
    old_url = product.url
    remembered(old_url)
    index = ProductIndexPage.objects.get(pk=product_index.pk)
    index.slug = "medicines"
    # As the admin's publish does; Wagtail tells of the new slug after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        index.save_revision().publish()
    new_url = f"/medicines/{product.slug}/"
    html = html_of(client, new_url)
    assert f'<link rel="canonical" href="http://localhost{new_url}">' in html
    assert client.get(old_url)["Location"] == new_url


def test_signed_in_editors_always_see_the_pages_as_stored(
    client, admin_client, product, remembered
):
    """Visitors see a remembered page until Wagtail says it changed; an editor sees even a
    change made behind Wagtail's back (a shell, a data migration)."""
    remembered(product.url)
    ProductPage.objects.filter(pk=product.pk).update(title="Tizanidine 2 mg")
    assert "Tizanidine 2 mg" in html_of(admin_client, product.url)
    assert "Tizanidine 2 mg" not in html_of(client, product.url)
    store.drop_pages([product.pk])  # what a publish does
    assert "Tizanidine 2 mg" in html_of(client, product.url)


def test_a_change_made_behind_wagtails_back_shows_within_minutes(client, product, remembered):
    with freeze_time() as clock:
        remembered(product.url)
        ProductPage.objects.filter(pk=product.pk).update(title="Tizanidine 2 mg")
        clock.tick(lookups.PAGE_ROWS_SECONDS - 1)
        assert "Tizanidine 2 mg" not in html_of(client, product.url)
        clock.tick(2)
        assert "Tizanidine 2 mg" in html_of(client, product.url)


def test_a_change_made_in_another_worker_process_shows_here(
    client, product, remembered, another_worker
):
    """Each gunicorn worker remembers pages in its own memory; a drop in one reaches the
    others through the shared stamp file (website/pagecache/store.py)."""
    remembered(product.url)
    ProductPage.objects.filter(pk=product.pk).update(title="Tizanidine 2 mg")
    another_worker([product.pk])
    assert "Tizanidine 2 mg" in html_of(client, product.url)


def test_memory_is_bounded_and_every_page_still_shows_its_own(client, product_index, monkeypatch):
    monkeypatch.setattr(lookups, "PAGE_ROWS_MAX", 4)
    products = [ProductPageFactory(parent=product_index, packs=[30]) for _ in range(6)]
    for _ in range(3):
        for product in products:
            assert f'<h1 id="product-title">{product.title}</h1>' in html_of(client, product.url)
    assert len(lookups._page_rows) <= 4


def test_each_view_gets_its_own_copy_of_a_remembered_page(rf, product):
    """A view that changes its page (a template filter, a context processor) must not
    change what the next visitor is shown."""
    request = rf.get(product.url)

    def fetch():
        return ProductPage.objects.get(pk=product.pk)

    for _ in range(3):
        first = lookups.remembered_page(request, ("copy test", product.pk), fetch)
    first.title = "Changed by one view"
    first.body[0].value["heading"] = "Changed by one view"
    again = lookups.remembered_page(request, ("copy test", product.pk), fetch)
    assert again is not first
    assert again.title == "Tizanidine 4 mg" and again.body[0].value["heading"] == "Overview"
