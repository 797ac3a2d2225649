"""How the product page is laid out in a real browser, where CSS alone decides it."""

import re

import pytest
from playwright.sync_api import expect

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


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_on_a_phone_the_header_is_one_compact_row_with_the_cart(page, demo):
    page.goto(demo.url)
    header = box(page, ".site-header")
    assert header["height"] <= 64, header  # was 140 px over three rows
    brand, menu, cart = (
        box(page, ".brand"),
        box(page, ".site-menu summary"),
        box(page, ".mini-cart"),
    )
    for item in (menu, cart):  # one row: beside the brand, not under it
        assert item["y"] < brand["y"] + brand["height"] and item["x"] > brand["x"]
    expect(page.get_by_role("link", name=re.compile("^Cart"))).to_be_visible()
    page.get_by_text("Menu").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Products")
    ).to_be_visible()


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_on_a_phone_the_breadcrumb_is_one_link_back_up(page, demo):
    page.goto(demo.url)
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link")).to_have_count(1)
    expect(crumbs.get_by_role("link")).to_have_text("Products")
    assert box(page, ".breadcrumbs")["height"] < 32  # one line


def test_on_wide_screens_the_header_has_a_search_box_and_the_footer_ends_the_window(page, demo):
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto("/cart/")  # a page shorter than the window
    search = page.get_by_role("search", name="Medicines")
    expect(search.get_by_role("searchbox")).to_be_visible()
    footer = box(page, ".site-footer")
    assert abs(footer["y"] + footer["height"] - 1400) <= 1, footer  # no white band below it
    search.get_by_role("searchbox").fill("baclofen")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile("result"))).to_contain_text("baclofen")


def test_a_link_to_one_pack_preselects_it(page, demo, seed_mode):
    """As the shopping listings link each pack (catalog/merchant_listing.py); the script does
    it, so the cached page stays the same for every address. (Seed mode: the demo's
    prescription-only packs can be chosen.)"""
    pack = page.get_by_role("radio", name=re.compile(r"^90 tablets"))
    page.goto(demo.url + "?pack=90")
    expect(pack).to_be_checked()
    expect(page.locator("[data-cart-price]")).to_have_text("£57.00")
    page.goto(demo.url + "?pack=9999")  # no such pack: the first in stock, as on any visit
    expect(page.get_by_role("radio").first).to_be_checked()


def test_a_lone_product_card_is_wide_not_a_narrow_column_beside_a_blank_area(page, demo):
    page.goto("/")  # the demo features one product
    expect(page.locator(".product-card")).to_have_count(1)
    card, grid = box(page, ".product-card"), box(page, ".product-grid")
    assert card["width"] >= min(640, grid["width"]) - 1, card
