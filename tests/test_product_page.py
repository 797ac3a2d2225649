"""The product page as a visitor reads it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import LegalStatus
from tests.factories import (
    PackSizeFactory,
    ProductCategoryFactory,
    ProductPageFactory,
    ReviewFactory,
    section_blocks,
)

pytestmark = pytest.mark.django_db


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_section_heading_and_the_contents_list(client, product_index):
    product = ProductPageFactory(parent=product_index, body=section_blocks(10))
    html = get(client, product)

    contents = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
    headings = [
        "Overview",
        "How it works",
        "Uses",
        "Efficacy",
        "Dosage",
        "Side effects",
        "Interactions",
        "Summary",
        "Storage",
    ]
    for heading in headings:
        anchor = heading.lower().replace(" ", "-")
        assert f'<h2 id="{anchor}">{heading}</h2>' in html
        assert f'<a href="#{anchor}">{heading}</a>' in contents
    # The warning callout is shown but is not a section of the contents.
    assert "Do not stop suddenly" in html
    assert "Do not stop suddenly" not in contents


def test_section_content_is_rendered_by_its_own_template(client, product_index):
    product = ProductPageFactory(parent=product_index, body=section_blocks(7))
    html = get(client, product)
    assert "<li>Spasticity</li>" in html  # uses: list of conditions
    assert "<caption>Dose schedule</caption>" in html  # dosage: schedule table
    assert "Get medical help straight away if you have:" in html  # side effects: serious list
    assert '<th scope="row">Alcohol</th>' in html  # interactions table
    assert '<th scope="row">Onset</th><td>Hours</td>' in html  # efficacy key facts


def test_repeated_headings_get_distinct_anchors(client, product_index):
    body = [
        ("section", {"heading": "Storage", "text": "<p>a</p>"}),
        ("section", {"heading": "Storage", "text": "<p>b</p>"}),
    ]
    html = get(client, ProductPageFactory(parent=product_index, body=body))
    assert 'id="storage"' in html
    assert 'id="storage-2"' in html


def test_pack_sizes_with_prices_and_price_per_unit(client, product_index):
    product = ProductPageFactory(parent=product_index, packs=[])
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    PackSizeFactory(page=product, quantity=90, price=Decimal("57.00"), previous_price=Decimal("60"))
    html = get(client, product)
    assert "<legend>Pack size</legend>" in html
    assert "30 tablets" in html and "£24.00" in html and "£0.80 per tablet" in html
    assert "90 tablets" in html and "£57.00" in html and "£0.63 per tablet" in html
    assert '<del><span class="visually-hidden">Was </span>£60.00</del>' in html


def test_first_in_stock_pack_is_preselected_and_out_of_stock_cannot_be_chosen(
    client, product_index
):
    product = ProductPageFactory(parent=product_index)
    sold_out = PackSizeFactory(page=product, quantity=30, in_stock=False)
    available = PackSizeFactory(page=product, quantity=60)
    html = get(client, product)
    sold_out_input = re.search(rf'<input[^>]*id="pack-{sold_out.pk}"[^>]*>', html, re.S).group(0)
    available_input = re.search(rf'<input[^>]*id="pack-{available.pk}"[^>]*>', html, re.S).group(0)
    assert "disabled" in sold_out_input and "checked" not in sold_out_input
    assert "checked" in available_input
    assert "Out of stock" in html


def test_meta_line_badge_and_legal_status(client, product_index):
    product = ProductPageFactory(
        parent=product_index,
        free_shipping=True,
        sku="",
        legal_status=LegalStatus.PRESCRIPTION_ONLY,
    )
    html = get(client, product)
    assert "SKU: N/A" in html
    assert "Category:" not in html  # no dangling label when there are no categories
    # A prescription-only medicine is not promoted under the default supply rules.
    assert "+ Free Shipping" not in html
    assert "Prescription-only medicine" in html
    product.legal_status = LegalStatus.PHARMACY
    product.save_revision().publish()
    html = get(client, product)
    assert "+ Free Shipping" in html and "Pharmacy medicine" in html


def test_categories_are_linked_and_sku_shown(client, product_index):
    category = ProductCategoryFactory(name="Muscle relaxants", slug="muscle-relaxants")
    product = ProductPageFactory(parent=product_index, sku="BAC-40", free_shipping=False)
    product.categories.add(category)
    product.save_revision().publish()
    html = get(client, product)
    assert "SKU: BAC-40" in html
    assert '<a href="/products/?category=muscle-relaxants">Muscle relaxants</a>' in html
    assert "+ Free Shipping" not in html


def test_meta_description_comes_from_the_summary(client, product_index):
    product = ProductPageFactory(parent=product_index, summary="Eases muscle stiffness.")
    assert '<meta name="description" content="Eases muscle stiffness.">' in get(client, product)


def test_draft_product_is_not_public(client, product_index):
    product = ProductPageFactory(parent=product_index, live=False)
    assert client.get(product.url_path.replace("/home-", "/x")).status_code == 404
    assert client.get("/products/" + product.slug + "/").status_code == 404


def count_queries(client, page):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    return len(queries)


def first_and_next_views(client, page):
    """Queries of a page's first three views (the page cache is off in the suite)."""
    return tuple(count_queries(client, page) for _ in range(3))


def warm_process_caches(client, product_index):
    """Site root paths and content types: what every process looks up once."""
    warm_up = ProductPageFactory(parent=product_index, packs=[30])
    for _ in range(3):
        count_queries(client, warm_up)


def test_query_count_does_not_grow_with_pack_sizes(client, product_index):
    one = ProductPageFactory(parent=product_index, packs=[30])
    twelve = ProductPageFactory(parent=product_index, packs=[30 * (i + 1) for i in range(12)])
    warm_process_caches(client, product_index)
    assert first_and_next_views(client, one) == first_and_next_views(client, twelve)


def test_query_count_does_not_grow_with_sections(client, product_index):
    one = ProductPageFactory(parent=product_index, body=section_blocks(1), packs=[30])
    ten = ProductPageFactory(parent=product_index, body=section_blocks(10), packs=[30])
    warm_process_caches(client, product_index)
    assert first_and_next_views(client, one) == first_and_next_views(client, ten)


def test_product_page_query_budget(client, product_index, django_assert_num_queries):
    product = ProductPageFactory(
        parent=product_index,
        body=section_blocks(10),
        packs=[30, 60, 90, 120, 150, 180],
        accept_reviews=True,
    )
    ReviewFactory.create_batch(25, product=product)
    warm_process_caches(client, product_index)
    # The site, routing (home, index, product), view restrictions, packs, breadcrumbs,
    # categories, active ingredients, settings, and the reviews' totals and page: the same on every view
    # (no per-process copies of rows; the page cache answers repeat visits whole).
    for _ in range(3):
        with django_assert_num_queries(13):
            client.get(product.url)


def test_product_image_is_responsive_with_its_title_as_alt_text(client, product_index):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(
        title="Baclofen 40 mg tablet pack", file=get_test_image_file(size=(1200, 900))
    )
    product = ProductPageFactory(parent=product_index, image=image)
    html = get(client, product)
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert 'type="image/webp"' in picture and 'type="image/avif"' in picture
    assert re.search(r'srcset="[^"]*320w[^"]*640w', picture)
    assert 'alt="Baclofen 40 mg tablet pack"' in picture
    assert 'sizes="(max-width: 760px) 100vw, 320px"' in picture


def test_product_image_srcset_never_repeats_a_width(client, product_index):
    """A 640px original gives 320w and 640w, not a second "640w" for the 960 wanted."""
    from tests.factories import ImageFactory

    product = ProductPageFactory(parent=product_index, image=ImageFactory(title="Pack shot"))
    html = get(client, product)
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    srcsets = re.findall(r'srcset="([^"]+)"', picture)
    assert len(srcsets) == 3  # avif and webp sources, the jpeg fallback
    for srcset in srcsets:
        assert [c.rsplit(" ", 1)[1] for c in srcset.split(", ")] == ["320w", "640w"]
    assert 'alt="Pack shot"' in picture
    assert 'sizes="(max-width: 760px) 100vw, 320px"' in picture
