"""What every page view remembers between changes (website/pagecache/lookups.py) and the
product page's cached fragments: each change shows on the very next view, with the
full-page cache off (as for every visitor with a cart, and every editor)."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from home.models import PharmacySettings
from tests.admin_forms import product_form_data
from tests.factories import PackSizeFactory, ProductPageFactory, ReviewFactory

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


def test_a_pack_price_change_shows_in_the_page_and_its_structured_data(client, product):
    before = html_of(client, product.url)
    assert "12.00" in structured_data(before)
    pack = product.pack_sizes.get()
    pack.price = Decimal("9.50")
    pack.save()
    after = html_of(client, product.url)
    assert "9.50" in structured_data(after) and "12.00" not in structured_data(after)
    assert "£9.50" in after


def test_an_approved_review_shows_in_the_rating_and_the_list(client, product):
    assert "There are no reviews yet." in html_of(client, product.url)
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
