"""The product page's JSON-LD, parsed as a search engine would."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import LegalStatus
from catalog.reviews.models import ReviewStatus
from catalog.structured_data import to_json_ld
from home.site_settings import PharmacySettings
from tests.factories import (
    ImageFactory,
    PackSizeFactory,
    ProductPageFactory,
    ReviewFactory,
    section_blocks,
)

pytestmark = pytest.mark.django_db

URL = "http://localhost/products/baclofen-40-mg/"


def json_ld(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    return {
        node["@type"] if isinstance(node["@type"], str) else "Product": node
        for node in data["@graph"]
    }


@pytest.fixture
def baclofen(product_index, seed_mode):
    """A prescription-only medicine with promotion on (seed_mode): offers, rating and reviews
    are published; under the default rules they are not (tests/test_supply.py)."""
    product = ProductPageFactory(
        parent=product_index,
        title="Baclofen 40 mg",
        summary="Eases severe muscle stiffness.",
        sku="BAC-40",
        legal_status=LegalStatus.PRESCRIPTION_ONLY,
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    PackSizeFactory(page=product, quantity=90, price=Decimal("57.50"))
    PackSizeFactory(page=product, quantity=180, price=Decimal("99.00"), in_stock=False)
    return product


def test_product_is_a_drug_with_name_description_sku_and_prescription_status(client, baclofen):
    product = json_ld(client, baclofen)["Product"]
    assert product["@type"] == ["Product", "Drug"]
    assert product["@id"] == URL + "#product"
    assert product["name"] == "Baclofen 40 mg"
    assert product["description"] == "Eases severe muscle stiffness."
    assert product["sku"] == "BAC-40"
    assert product["url"] == URL
    assert product["prescriptionStatus"] == "https://schema.org/PrescriptionOnly"
    assert "image" not in product


def test_an_offer_per_pack_with_price_currency_and_availability(client, baclofen):
    offers = json_ld(client, baclofen)["Product"]["offers"]
    assert offers["@type"] == "AggregateOffer"
    assert offers["lowPrice"] == "24.00"
    assert offers["highPrice"] == "99.00"
    assert offers["offerCount"] == 3
    assert offers["priceCurrency"] == "GBP"
    assert offers["seller"] == {"@type": "Pharmacy", "name": "Formulary Pharmacy"}
    assert [
        (o["name"], o["price"], o["priceCurrency"], o["availability"]) for o in offers["offers"]
    ] == [
        ("30 tablets", "24.00", "GBP", "https://schema.org/InStock"),
        ("90 tablets", "57.50", "GBP", "https://schema.org/InStock"),
        ("180 tablets", "99.00", "GBP", "https://schema.org/OutOfStock"),
    ]


def test_currency_comes_from_the_pharmacy_settings(client, baclofen):
    settings = PharmacySettings.load()
    settings.currency = "EUR"
    settings.save()
    offers = json_ld(client, baclofen)["Product"]["offers"]
    assert offers["priceCurrency"] == "EUR"
    assert {o["priceCurrency"] for o in offers["offers"]} == {"EUR"}


def test_no_sku_no_packs_no_rating_means_those_properties_are_left_out(client, product_index):
    product = ProductPageFactory(
        parent=product_index, sku="", legal_status=LegalStatus.GENERAL_SALE
    )
    data = json_ld(client, product)["Product"]
    assert "sku" not in data
    assert "offers" not in data
    assert "aggregateRating" not in data  # never an empty or invented rating
    assert "review" not in data
    assert data["prescriptionStatus"] == "https://schema.org/OTC"


def test_image_is_an_absolute_url(client, product_index):
    image = ImageFactory()
    product = ProductPageFactory(parent=product_index, image=image)
    assert re.fullmatch(
        r"http://testserver/media/images/.+\.jpg", json_ld(client, product)["Product"]["image"]
    )


def test_breadcrumb_list_from_home_to_the_product(client, baclofen):
    crumbs = json_ld(client, baclofen)["BreadcrumbList"]
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "Formulary Pharmacy", "http://localhost/"),
        (2, "Products", "http://localhost/products/"),
        (3, "Baclofen 40 mg", URL),
    ]


def test_medical_web_page_says_who_reviewed_it_and_when(client, baclofen):
    page = json_ld(client, baclofen)["MedicalWebPage"]
    assert page["url"] == URL
    assert page["mainEntity"] == {"@id": URL + "#product"}
    assert page["breadcrumb"] == {"@id": URL + "#breadcrumb"}
    assert "lastReviewed" not in page and "reviewedBy" not in page  # not set: not claimed

    baclofen.last_reviewed = datetime.date(2026, 3, 14)
    baclofen.reviewed_by = "A. Patel, MPharm"
    baclofen.save_revision().publish()
    page = json_ld(client, baclofen)["MedicalWebPage"]
    assert page["lastReviewed"] == "2026-03-14"
    assert page["reviewedBy"] == {"@type": "Person", "name": "A. Patel, MPharm"}


def test_text_cannot_end_the_script_block(client, product_index):
    product = ProductPageFactory(
        parent=product_index, title="Tricky", summary="</script><script>alert(1)</script> & <!--"
    )
    html = client.get(product.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["@graph"][1]["description"] == product.summary
    assert to_json_ld({"a": "</script>"}) == '{"a":"\\u003C/script\\u003E"}'


def test_structured_data_costs_no_extra_query(client, product_index, django_assert_max_num_queries):
    product = ProductPageFactory(
        parent=product_index, body=section_blocks(10), packs=[30, 60, 90, 120, 150, 180]
    )
    client.get(product.url)
    # The page's own budget without reviews (tests/test_product_page.py): JSON-LD adds none.
    with django_assert_max_num_queries(11):
        response = client.get(product.url)
    assert b"application/ld+json" in response.content


def test_rating_and_the_five_latest_approved_reviews(client, baclofen):
    baclofen.accept_reviews = True
    baclofen.save_revision().publish()
    now = timezone.now()
    for days, rating in enumerate([5, 4, 4, 3, 5, 2, 5]):
        ReviewFactory(
            product=baclofen,
            rating=rating,
            author_name=f"Customer {days}",
            text=f"Review {days}",
            created=now - datetime.timedelta(days=days),
        )
    ReviewFactory(product=baclofen, rating=1, status=ReviewStatus.PENDING)
    ReviewFactory(product=baclofen, rating=1, status=ReviewStatus.REJECTED)

    product = json_ld(client, baclofen)["Product"]
    assert product["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4,  # (5+4+4+3+5+2+5) / 7 = 4.0: pending and rejected do not count
        "reviewCount": 7,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert [r["author"]["name"] for r in product["review"]] == [f"Customer {n}" for n in range(5)]
    first = product["review"][0]
    assert first["reviewBody"] == "Review 0"
    assert first["datePublished"] == timezone.localdate(now).isoformat()
    assert first["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_no_rating_without_approved_reviews_or_when_reviews_are_off(client, baclofen):
    baclofen.accept_reviews = True
    baclofen.save_revision().publish()
    ReviewFactory(product=baclofen, status=ReviewStatus.PENDING)
    product = json_ld(client, baclofen)["Product"]
    assert "aggregateRating" not in product and "review" not in product

    ReviewFactory(product=baclofen, rating=3)
    assert json_ld(client, baclofen)["Product"]["aggregateRating"]["ratingValue"] == 3

    baclofen.accept_reviews = False  # reviews hidden on the page: not claimed either
    baclofen.save_revision().publish()
    product = json_ld(client, baclofen)["Product"]
    assert "aggregateRating" not in product and "review" not in product


def test_structured_data_with_reviews_stays_within_the_page_budget(
    client, product_index, django_assert_max_num_queries
):
    product = ProductPageFactory(
        parent=product_index, accept_reviews=True, body=section_blocks(10), packs=[30, 60, 90]
    )
    ReviewFactory.create_batch(12, product=product)
    client.get(product.url)
    # The page's budget with reviews (tests/test_product_page.py): the rating and the latest
    # reviews in JSON-LD reuse the reviews section's two queries.
    with django_assert_max_num_queries(13):
        response = client.get(product.url)
    assert b'"reviewCount":12' in response.content
