"""The supply rules in a real browser: the demo's prescription-only page under the defaults,
and its general-sale medicine with its quantity limit (catalog/supply.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ReviewFactory

pytestmark = pytest.mark.browser


# In a browser --------------------------------------------------------------------------------


def tab_to(page, locator, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{locator} is not reachable with the Tab key")


def test_a_visitor_on_the_demo_pom_page_under_the_defaults(page, demo):
    ReviewFactory.create_batch(2, product=demo)
    page.goto(demo.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Baclofen 40 mg")
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile(r"^Reviews"))).to_have_count(0)
    expect(page.get_by_text("+ Free Shipping")).to_have_count(0)
    prices = page.get_by_role("table", name="Prices")
    expect(prices.get_by_role("row")).to_have_count(7)  # a header and six packs
    expect(prices).to_contain_text("£57.00")
    cta = page.get_by_role("region", name="Start a consultation")
    expect(cta).to_contain_text("one of our prescribers asks about your health")
    phone = cta.get_by_role("link", name="020 7946 0123")
    tab_to(page, phone)  # the call to action is reachable by keyboard
    expect(phone).to_be_focused()
    expect(phone).to_have_attribute("href", "tel:02079460123")
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("GPhC premises registration number")
    expect(footer).to_contain_text("Superintendent pharmacist")


def test_a_visitor_buys_the_demo_gsl_medicine_up_to_its_limit(page, demo):
    page.goto("/products/paracetamol-500-mg-tablets/")
    expect(page.get_by_role("radio", name=re.compile(r"^16 tablets"))).to_be_checked()
    page.get_by_label("Number of packs").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("added to your cart")
    page.get_by_role("button", name="Add to cart").click()
    # Said at the form, as an alert; the earlier "added" message is gone.
    expect(page.locator("#add-to-cart").get_by_role("alert")).to_contain_text(
        "One order may hold at most 32 tablets of paracetamol"
    )
    expect(page.locator("[data-messages]")).not_to_contain_text("added to your cart")
    page.goto("/cart/")
    expect(page.get_by_role("table", name="Items in your cart")).to_contain_text("16 tablets")
    expect(page.get_by_label(re.compile("Number of packs of Paracetamol"))).to_have_value("2")
