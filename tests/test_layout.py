"""How the product page is laid out in a real browser, where CSS alone decides it."""

import pytest

from catalog.demo import BACLOFEN_SEED_BODY
from tests.browser import DESKTOP, MOBILE
from tests.factories import ProductPageFactory

pytestmark = pytest.mark.browser


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1000, 1280, 1600])
def test_on_wide_screens_the_sections_start_under_the_contents_beside_the_panel(
    page, product_index, width
):
    """With the seed page's sections the purchase panel is taller than the facts and
    contents beside it: the first section must not wait below the panel, leaving a blank
    band under "On this page"."""
    product = ProductPageFactory(
        parent=product_index,
        title="Baclofen 40 mg",
        body=BACLOFEN_SEED_BODY,
        packs=[30, 60, 90, 120, 150, 180],
    )
    page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
    page.goto(product.url)
    contents, panel = box(page, "nav.contents"), box(page, ".product .add-to-cart")
    first_section = box(page, ".product__body > .section h2")
    assert panel["x"] > contents["x"] + contents["width"]  # beside, on the right
    assert panel["y"] + panel["height"] > contents["y"] + contents["height"]  # and taller
    gap = first_section["y"] - (contents["y"] + contents["height"])
    assert 0 < gap < 48, gap
    assert first_section["x"] + first_section["width"] <= panel["x"]


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_on_a_phone_the_panel_comes_before_the_sections(page, demo):
    page.goto(demo.url)
    panel, first_section = box(page, ".product .add-to-cart"), box(page, ".product__body h2")
    assert panel["y"] + panel["height"] <= first_section["y"]
