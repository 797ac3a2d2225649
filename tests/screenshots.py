"""Refreshes docs/screenshots/ with headless Chromium: `make screenshots`.

Not part of `make test` (pytest collects test_*.py only): it runs when named on
the command line, against the demo content in a throwaway test database.
PNGs are cut to a useful height and reduced to 256 colours to stay small.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from tests.browser import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

OUT = Path(os.environ.get("SCREENSHOTS", "docs/screenshots"))
ADMIN_PASSWORD = "screenshots-only-Pa55"  # noqa: S105 - a throwaway test database


def save(page, name, height):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    full = page.evaluate("() => document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    page.screenshot(
        path=path,
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(full, height)},
    )
    return reduce(path)


def save_viewport(page, name):
    """The viewport as it opens (at a form's #fragment, not the page's top)."""
    page.wait_for_load_state("load")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    page.screenshot(path=path)
    return reduce(path)


def reduce(path):
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    return path


@pytest.mark.parametrize(
    ("browser_viewport", "name", "height"),
    [(DESKTOP, "product-desktop", 1500), (MOBILE, "product-mobile", 2000)],
    ids=["desktop", "mobile"],
)
def test_product_page(page, demo, name, height):
    page.goto(demo.url)
    save(page, name, height)


def test_cart(page, demo, seed_mode):
    """In the seed page's supply mode: the prescription-only pack in the cart, with its notice."""
    page.goto(demo.url)
    page.get_by_role("radio", name=re.compile(r"^90 tablets")).check()
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("status").get_by_role("link", name="View your cart").click()
    page.get_by_role("heading", name="Your cart").wait_for()
    save(page, "cart", 900)


def test_admin_edit_view(page, demo):
    get_user_model().objects.create_superuser("editor", "editor@example.com", ADMIN_PASSWORD)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"/admin/pages/{demo.pk}/edit/")
    page.get_by_role("tab", name="Content").wait_for()
    save(page, "admin-edit", 1000)
    page.get_by_role("tab", name="Product").click()  # brand, categories (none yet), GTINs
    page.get_by_text("No categories yet.").wait_for()
    save(page, "admin-product", 1400)


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["mobile"])
def test_review_form_with_errors(page, demo, seed_mode):
    """What a visitor on a phone sees after sending the form with a mistake: the errors (in the
    seed page's mode, where the prescription-only page has its reviews)."""
    page.goto(demo.url)
    form = page.locator("#review-form")
    form.get_by_label("Your review").fill("Too short")
    form.get_by_label("Email").fill("sam@example")
    form.get_by_role("button", name="Submit review").click()
    page.locator("[data-error-summary]").wait_for()
    save_viewport(page, "review-form-errors")


@pytest.mark.parametrize("browser_javascript", [False], ids=["no-js"])
@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["mobile"])
def test_add_to_cart_refused(page, demo):
    """A refused add without JavaScript (over paracetamol's limit): the product page again,
    opened at the form with its error summary."""
    page.goto("/products/paracetamol-500-mg-tablets/")
    form = page.locator("#add-to-cart")
    form.get_by_role("radio", name=re.compile(r"^16 tablets")).check()
    form.get_by_label("Number of packs").fill("3")
    form.get_by_role("button", name="Add to cart").click()
    page.locator("[data-error-summary]").wait_for()
    save_viewport(page, "add-to-cart-errors")


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["mobile"])
def test_search_mobile(page, demo):
    page.goto("/search/?q=baclofen")
    save(page, "search-mobile", 900)


PHARMACY_PACK = "/products/paracetamol-500-mg-tablets-pharmacy-pack/"


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["mobile"])
def test_pharmacy_questions(page, demo):
    page.goto(PHARMACY_PACK)
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url(re.compile(r"/consultations/pharmacy/"))
    page.get_by_role("button", name="Continue").click()  # with nothing answered: the errors
    page.get_by_role("alert").wait_for()
    save(page, "pharmacy-questions", 1800)


def test_pharmacist_sees_the_answers(page, demo):
    from tests.test_accessibility import fill_checkout
    from tests.test_consultation_journeys import answer_the_pack_questions

    page.goto(PHARMACY_PACK)
    page.get_by_role("button", name="Add to cart").click()
    answer_the_pack_questions(page, other_paracetamol="No")
    page.get_by_role("button", name=re.compile(r"^Add 1 × 32 tablets")).click()
    page.goto("/checkout/")
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    page.get_by_role("heading", name="Thank you: your order is placed").wait_for()
    get_user_model().objects.create_superuser("pharmacist", "ph@example.com", ADMIN_PASSWORD)
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("pharmacist")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="1 order awaiting a pharmacist's check").click()
    page.get_by_role("link", name=re.compile(r"^FM-")).first.click()
    page.get_by_role(
        "heading", name=re.compile(r"^Pharmacy questions")
    ).scroll_into_view_if_needed()
    save(page, "pharmacist-order-answers", 1400)
