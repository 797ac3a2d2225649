"""What visitors and editors do, in a real browser against the live server."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def pack_radio(page, quantity):
    return page.get_by_role("radio", name=re.compile(rf"^{quantity} tablets"))


def test_visitor_reads_the_product_page_follows_a_contents_link_and_picks_a_pack(page, demo):
    page.goto(demo.url)
    expect(page).to_have_title("Baclofen 40 mg | Formulary Pharmacy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baclofen 40 mg")
    contents = page.get_by_role("navigation", name="On this page")
    expect(contents.get_by_role("link")).to_have_count(8)

    contents.get_by_role("link", name="Dosage and administration").click()
    expect(page).to_have_url(re.compile(r"#dosage-and-administration$"))
    dosage = page.get_by_role("heading", name="Dosage and administration", level=2)
    expect(dosage).to_be_in_viewport()
    expect(page.get_by_role("table", name="Dose schedule")).to_be_visible()

    page.go_back()
    expect(pack_radio(page, 30)).to_be_checked()  # the first pack in stock is preselected
    pack_radio(page, 90).check()
    expect(pack_radio(page, 90)).to_be_checked()
    expect(pack_radio(page, 30)).not_to_be_checked()
    expect(page.get_by_text("£57.00", exact=True)).to_be_visible()
