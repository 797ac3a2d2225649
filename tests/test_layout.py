"""How the product page is laid out in a real browser, where CSS alone decides it."""

import pytest

from tests.browser import DESKTOP, MOBILE

pytestmark = pytest.mark.browser


# The purchase panel: the pack choice, or (a prescription-only medicine under the default supply
# rules, as the demo's) the price list and the consultation call to action.
PANEL = ".product :is(.add-to-cart, .prescription-only-supply)"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1000, 1280, 1600])
def test_on_wide_screens_the_sections_start_under_the_contents_beside_the_panel(page, demo, width):
    """The purchase panel is taller than the facts beside it: the first section must not
    wait below the panel, leaving a blank band under "On this page"."""
    page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
    page.goto(demo.url)
    contents, panel = box(page, "nav.contents"), box(page, PANEL)
    # What follows the top: the medicine's facts (issue 17), then the sections.
    first_section = box(page, ".product__top + *")
    assert panel["x"] > contents["x"] + contents["width"]  # beside, on the right
    assert panel["y"] + panel["height"] > contents["y"] + contents["height"]  # and taller
    gap = first_section["y"] - (contents["y"] + contents["height"])
    assert 0 < gap < 48, gap
    assert first_section["x"] + first_section["width"] <= panel["x"]


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_on_a_phone_the_panel_comes_before_the_sections(page, demo):
    page.goto(demo.url)
    panel, first_section = box(page, PANEL), box(page, ".product__body h2")
    assert panel["y"] + panel["height"] <= first_section["y"]
