"""The read API at /api/v2/products/: published products as JSON, nothing else."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from catalog.models import ProductPage
from catalog.reviews.models import ReviewStatus
from tests.factories import ProductCategoryFactory, ProductPageFactory, ReviewFactory

pytestmark = pytest.mark.django_db

DEMO_BLOCKS = [
    "overview",
    "mechanism",
    "uses",
    "efficacy",
    "dosage",
    "warning",
    "side_effects",
    "interactions",
    "conclusion",
]


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_the_demo_product_with_all_its_blocks(client):
    call_command("load_demo")
    product = ProductPage.objects.get(slug="baclofen-40-mg")

    listing = client.get("/api/v2/products/").json()
    # Baclofen (POM) and paracetamol's general-sale and pharmacy packs
    assert listing["meta"]["total_count"] == ProductPage.objects.live().count() == 3
    item = next(item for item in listing["items"] if item["id"] == product.pk)
    assert item["title"] == "Baclofen 40 mg"
    # load_demo serves the Site at WAGTAILADMIN_BASE_URL (http://testserver in tests)
    assert item["meta"]["html_url"] == "http://testserver/products/baclofen-40-mg/"
    # A prescription-only medicine under the default supply rules: no badge (not promoted).
    assert item["legal_status"] == "pom" and item["free_shipping"] is False
    assert item["supply"]["needs_consultation"] is True
    assert "body" not in item  # listings stay small; the detail has the sections

    detail = client.get(f"/api/v2/products/{product.pk}/").json()
    types = [block["type"] for block in detail["body"]]
    # Key facts first, then the seed's sections in order, then the patient-leaflet sections.
    assert types[0] == "key_facts"
    assert types[1 : 1 + len(DEMO_BLOCKS)] == DEMO_BLOCKS
    assert {"who_can_take", "how_to_take", "storage", "common_questions"} <= set(types)
    assert all(block["id"] for block in detail["body"])
    blocks = {block["type"]: block["value"] for block in detail["body"]}
    assert blocks["overview"]["heading"] == "Understanding Baclofen 40 mg"
    assert blocks["overview"]["text"].startswith("<p>Baclofen relaxes muscles")
    assert blocks["uses"]["conditions"][:2] == ["Multiple sclerosis", "Spinal cord injury"]
    assert blocks["efficacy"]["key_facts"][0] == {
        "label": "Starts to work",
        "value": "Within a few hours of a dose",
    }
    assert blocks["dosage"]["schedule"][0]["when"] == "Start of treatment"
    assert blocks["warning"]["title"] == "Do not stop taking baclofen suddenly"
    assert "Seizures (fits)" in blocks["side_effects"]["serious"]
    assert blocks["interactions"]["interactions"][0] == {
        "substance": "Alcohol",
        "effect": "Stronger drowsiness; breathing may slow",
        "product": None,  # an interaction may link to one of our product pages
    }
    assert blocks["conclusion"]["heading"] == "In summary"

    assert detail["legal_status_label"] == "Prescription-only medicine"
    assert detail["currency"] == "GBP"
    assert detail["sku"] == "" and detail["categories"] == []
    assert detail["pack_sizes"][0] == {
        "quantity": 30,
        "unit": "tablets",
        "price": "24.00",
        "previous_price": None,
        "in_stock": True,
        "price_per_unit": "0.80",
    }
    assert [p["quantity"] for p in detail["pack_sizes"]] == [30, 60, 90, 120, 150, 180]


def test_find_by_the_pages_address(client):
    call_command("load_demo")
    response = client.get("/api/v2/products/find/?html_path=/products/baclofen-40-mg/")
    assert response.status_code == 302
    assert titles(client.get("/api/v2/products/", {"slug": "baclofen-40-mg"})) == ["Baclofen 40 mg"]


def test_drafts_unpublished_and_private_products_never_appear(client, product_index):
    live = ProductPageFactory(parent=product_index, title="Live product")
    draft = ProductPageFactory(parent=product_index, title="Draft product", live=False)
    withdrawn = ProductPageFactory(parent=product_index, title="Withdrawn product")
    withdrawn.unpublish()
    private = ProductPageFactory(parent=product_index, title="Private product")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert titles(client.get("/api/v2/products/")) == ["Live product"]
    for page in (draft, withdrawn, private):
        assert client.get(f"/api/v2/products/{page.pk}/").status_code == 404
    assert client.get(f"/api/v2/products/{live.pk}/").status_code == 200


def test_unpublished_changes_to_a_live_product_are_not_shown(client, product_index):
    product = ProductPageFactory(parent=product_index, title="Cetirizine 10 mg")
    editing = product.get_latest_revision_as_object()
    editing.title = "Cetirizine 10 mg (not signed off yet)"
    editing.save_revision()

    detail = client.get(f"/api/v2/products/{product.pk}/").json()
    assert detail["title"] == "Cetirizine 10 mg"


def test_the_api_is_read_only(client, product_index):
    product = ProductPageFactory(parent=product_index, title="Loratadine 10 mg")
    for url in ("/api/v2/products/", f"/api/v2/products/{product.pk}/"):
        assert client.post(url, {"title": "Hacked"}).status_code == 405
        assert (
            client.put(url, {"title": "Hacked"}, content_type="application/json").status_code == 405
        )
        assert (
            client.patch(url, {"title": "Hacked"}, content_type="application/json").status_code
            == 405
        )
        assert client.delete(url).status_code == 405
    product.refresh_from_db()
    assert product.title == "Loratadine 10 mg"


def test_bad_parameters_are_a_clear_400(client, product_index):
    response = client.get("/api/v2/products/", {"fields": "password"})
    assert response.status_code == 400
    assert response.json() == {"message": "unknown fields: password"}
    assert client.get("/api/v2/products/", {"type": "home.HomePage"}).status_code == 400


def test_listing_queries_do_not_grow_with_products_packs_or_reviews(client, product_index):
    category = ProductCategoryFactory(name="Antihistamines")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v2/products/", {"fields": "*,-body"})
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    first = ProductPageFactory(parent=product_index, packs=[30])
    first.categories.add(category)
    ReviewFactory(product=first)
    count_queries()  # warm the per-process caches (site root paths, content types)
    one = count_queries()
    for _ in range(5):
        product = ProductPageFactory(parent=product_index, packs=[30, 60, 90, 120])
        product.categories.add(category)
        ReviewFactory.create_batch(3, product=product)
    many = count_queries()

    assert one[1] == 1 and many[1] == 6
    assert many[0] == one[0]


def test_average_rating_and_review_count_count_approved_reviews_only(client, product_index):
    reviewed = ProductPageFactory(parent=product_index, title="Reviewed")
    ProductPageFactory(parent=product_index, title="Not reviewed yet")
    ReviewFactory(product=reviewed, rating=5)
    ReviewFactory(product=reviewed, rating=4)
    ReviewFactory(product=reviewed, rating=4)
    for status in (ReviewStatus.PENDING, ReviewStatus.SPAM, ReviewStatus.REJECTED):
        ReviewFactory(product=reviewed, rating=1, status=status)

    items = {i["title"]: i for i in client.get("/api/v2/products/").json()["items"]}
    assert items["Reviewed"]["review_count"] == 3
    assert items["Reviewed"]["average_rating"] == 4.3
    assert items["Not reviewed yet"]["review_count"] == 0
    assert items["Not reviewed yet"]["average_rating"] is None

    detail = client.get(f"/api/v2/products/{reviewed.pk}/").json()
    assert (detail["average_rating"], detail["review_count"]) == (4.3, 3)
