"""The admin's "Products" listing: SKU, legal status, price range and next review due."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import LegalStatus
from tests.factories import PackSizeFactory, ProductPageFactory

pytestmark = pytest.mark.django_db

LISTING = reverse("products:index")


def test_listing_shows_the_facts_editors_check(client, editor, product_index):
    page = ProductPageFactory(
        parent=product_index,
        title="Baclofen 40 mg",
        sku="BAC-40",
        legal_status=LegalStatus.PRESCRIPTION_ONLY,
        next_review_due=date(2027, 3, 1),
        packs=[],
    )
    PackSizeFactory(page=page, quantity=30, price=Decimal("24.00"))
    PackSizeFactory(page=page, quantity=180, price=Decimal("96.00"))
    ProductPageFactory(parent=product_index, title="Loose tablets", sku="", packs=[])

    client.force_login(editor)
    response = client.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Baclofen 40 mg",
        "BAC-40",
        "Prescription-only medicine",
        "£24.00–£96.00",
        "1 Mar 2027",
        "No pack sizes",
        "Not set",
    ):
        assert text in html
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html


def test_listing_sorts_by_next_review_due(client, editor, product_index):
    ProductPageFactory(parent=product_index, title="Later", next_review_due=date(2027, 1, 1))
    ProductPageFactory(parent=product_index, title="Sooner", next_review_due=date(2026, 7, 1))
    client.force_login(editor)
    html = client.get(LISTING, {"ordering": "next_review_due"}).content.decode()
    assert html.index("Sooner") < html.index("Later")
    html = client.get(LISTING, {"ordering": "-next_review_due"}).content.decode()
    assert html.index("Later") < html.index("Sooner")


def test_listing_query_count_does_not_grow_with_products(client, editor, product_index):
    client.force_login(editor)
    ProductPageFactory(parent=product_index, packs=[30, 60])
    client.get(LISTING)  # warm per-process caches

    with CaptureQueriesContext(connection) as one:
        client.get(LISTING)
    for _ in range(9):
        ProductPageFactory(parent=product_index, packs=[30, 60, 90])
    with CaptureQueriesContext(connection) as ten:
        html = client.get(LISTING).content.decode()
    assert html.count("£15.00–£45.00") == 9
    assert len(ten.captured_queries) == len(one.captured_queries)


def test_review_moderator_does_not_get_the_listing(client, review_moderator, product_index):
    client.force_login(review_moderator)
    assert client.get(LISTING).status_code in (302, 403)
