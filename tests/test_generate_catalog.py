"""`manage.py generate_catalog` builds a valid page tree that the site serves."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page

from catalog.models import ProductPage
from catalog.reviews.models import Review
from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def test_generated_products_are_live_valid_pages_the_site_serves(client, product_index):
    ProductPageFactory(parent=product_index, title="Existing 5 mg")
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_catalog", products=25, reviews=200, stdout=out, stderr=err)

    assert "Created 25 product pages and 200 reviews" in out.getvalue()
    assert "generating reviews [" in err.getvalue() and "200/200" in err.getvalue()
    assert Review.objects.filter(product__sku__startswith="GEN-").count() == 200
    assert "generating products [" in err.getvalue() and "25/25" in err.getvalue()
    assert Page.find_problems() == ([], [], [], [], [])  # treebeard's own tree check
    product_index.refresh_from_db()
    assert product_index.numchild == 26
    generated = ProductPage.objects.filter(sku__startswith="GEN-")
    assert generated.count() == 25
    product = generated.last()
    assert product.live and product.url == f"/products/{product.slug}/"
    html = client.get(product.url).content.decode()
    assert product.title in html and "per tablet" in html
    assert "Page 1 of 3" in client.get("/products/").content.decode()
    # Indexed for site search.
    assert product in ProductPage.objects.live().search(product.title)
    # An editor can still add a page after them (treebeard paths continue).
    later = ProductPageFactory(parent=product_index, title="Added later 10 mg")
    assert later.url == "/products/added-later-10-mg/"
    call_command("generate_catalog", products=3, stdout=out, stderr=err)
    assert Page.find_problems() == ([], [], [], [], [])


def test_generated_reviews_show_on_their_product(client, product_index):
    call_command(
        "generate_catalog", products=2, reviews=40, stdout=io.StringIO(), stderr=io.StringIO()
    )
    product = ProductPage.objects.filter(reviews__status="approved").distinct().first()
    approved = product.reviews.filter(status="approved").count()
    assert f"Reviews ({approved})" in client.get(product.url).content.decode()


def test_needs_a_products_index(db):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_catalog", products=1, stdout=io.StringIO(), stderr=io.StringIO())


def test_statistics_are_gathered_for_sqlites_planner_after_generating(capsys, product_index):
    """Without them SQLite joined the search index the slow way (bench/scale.py: 300 ms
    against under 1 ms for a search over 10,000 products)."""
    call_command("generate_catalog", products=3, reviews=0, stderr=io.StringIO())
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'wagtailsearch_indexentry'")
            assert cursor.fetchall()  # generate_catalog gathered them
    call_command("analyze_database")
    expected = "SQLite statistics gathered." if connection.vendor == "sqlite" else "Nothing to do"
    assert expected in capsys.readouterr().out
