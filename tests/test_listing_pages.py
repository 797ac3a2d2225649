"""The home page and the products index."""

import re
from decimal import Decimal

import pytest

from catalog.models import PRODUCTS_PER_PAGE
from tests.factories import PackSizeFactory, ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


def test_index_lists_published_products_with_lowest_price_and_badge(client, product_index):
    product = ProductPageFactory(
        parent=product_index, title="Baclofen 10 mg", summary="Relaxes muscles.", free_shipping=True
    )
    PackSizeFactory(page=product, quantity=60, price=Decimal("40.00"))
    PackSizeFactory(page=product, quantity=30, price=Decimal("22.50"))
    ProductPageFactory(parent=product_index, title="Hidden draft", live=False)

    html = client.get("/products/").content.decode()
    assert "Baclofen 10 mg" in html
    assert "Relaxes muscles." in html
    assert "From <strong>£22.50</strong>" in html
    assert "+ Free Shipping" in html
    assert "Hidden draft" not in html


def test_index_is_paginated_and_survives_bad_page_numbers(client, product_index):
    for i in range(PRODUCTS_PER_PAGE + 1):
        ProductPageFactory(parent=product_index, title=f"Medicine {i:02d}")
    first = client.get("/products/").content.decode()
    assert first.count('class="product-card"') == PRODUCTS_PER_PAGE
    assert "Page 1 of 2" in first
    second = client.get("/products/?page=2").content.decode()
    assert second.count('class="product-card"') == 1
    for bad in ["abc", "999", "-1"]:
        assert client.get(f"/products/?page={bad}").status_code == 200


def test_index_filters_by_category(client, product_index):
    relaxants = ProductCategoryFactory(name="Muscle relaxants")
    listed = ProductPageFactory(parent=product_index, title="Baclofen 10 mg")
    listed.categories.add(relaxants)
    listed.save_revision().publish()
    ProductPageFactory(parent=product_index, title="Paracetamol 500 mg")

    html = client.get(f"/products/?category={relaxants.slug}").content.decode()
    assert "Baclofen 10 mg" in html and "Paracetamol 500 mg" not in html
    assert "Products: Muscle relaxants" in html
    # An unknown category shows everything rather than an error.
    html = client.get("/products/?category=nope").content.decode()
    assert "Baclofen 10 mg" in html and "Paracetamol 500 mg" in html


def test_a_later_index_page_lists_its_products_in_title_order_with_prices(client, product_index):
    for n in range(PRODUCTS_PER_PAGE + 3):
        ProductPageFactory(parent=product_index, title=f"Product {n:02d} 5 mg", packs=[30, 60])
    html = client.get("/products/?page=2").content.decode()
    titles = re.findall(r"Product (\d\d) 5 mg", html)
    assert sorted(set(titles)) == [
        f"{n:02d}" for n in range(PRODUCTS_PER_PAGE, PRODUCTS_PER_PAGE + 3)
    ]
    assert titles == sorted(titles)
    assert "Product 00 5 mg" not in html
    assert html.count("From <strong>£") == 3  # each with its lowest price


def test_index_query_count_does_not_grow_with_products(
    client, product_index, django_assert_max_num_queries
):
    for _i in range(PRODUCTS_PER_PAGE):
        ProductPageFactory(parent=product_index, packs=[30, 60])
    client.get("/products/")
    with django_assert_max_num_queries(10):
        client.get("/products/")


def test_home_page_introduces_the_pharmacy_and_links_featured_products(client, product_index):
    home = product_index.get_parent().specific
    product = ProductPageFactory(parent=product_index, title="Baclofen 40 mg", packs=[30])
    home.featured_products.create(product=product)
    home.save_revision().publish()

    html = client.get("/").content.decode()
    assert "Formulary Pharmacy" in html
    assert 'href="/products/"' in html
    assert f'<a href="{product.url}">Baclofen 40 mg</a>' in html
    assert "From <strong>£15.00</strong>" in html


def test_cards_show_the_legal_status_next_to_the_price(client, product_index):
    from catalog.models import LegalStatus

    ProductPageFactory(parent=product_index, legal_status=LegalStatus.PHARMACY, packs=[30])
    html = client.get("/products/").content.decode()
    price = html[html.index('<p class="product-card__price">') :].split("</p>")[0]
    assert '<span class="legal-status legal-status--p">Pharmacy medicine</span>' in price
    assert "From <strong>£15.00</strong>" in price
    # (A prescription-only card shows its legal status without a price: tests/test_supply.py.)


def test_the_home_page_heading_says_what_the_site_offers_not_the_brand_again(client, product_index):
    home = product_index.get_parent().specific
    home.title = "Formulary Pharmacy"
    home.heading = "Medicines explained, packs to order"
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert "<h1>Medicines explained, packs to order</h1>" in html
    home.heading = ""  # not set: the title, as before
    home.save_revision().publish()
    assert "<h1>Formulary Pharmacy</h1>" in client.get("/").content.decode()


def test_the_demo_home_page_heading_is_not_the_pharmacy_name(client, demo):
    from home.site_settings import PharmacySettings

    html = client.get("/").content.decode()
    h1 = html[html.index("<h1>") + 4 : html.index("</h1>")]
    assert h1 and h1 != PharmacySettings.load().pharmacy_name
