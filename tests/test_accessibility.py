"""Accessibility in a real browser: axe-core, the keyboard, focus and small screens."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from catalog.models import ProductPage
from catalog.reviews.models import ReviewStatus
from orders.models import Order
from orders.services import change_status
from tests.browser import DESKTOP, MOBILE
from tests.factories import ReviewFactory

pytestmark = pytest.mark.browser

axe = Axe()


def assert_no_axe_violations(page):
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def focus_is_visible(page):
    """The focused element (or, for a radio, its label) draws an outline or a ring."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const targets = [el, ...(el.labels || [])];
            return targets.some(t => {
                const s = getComputedStyle(t);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                    || s.boxShadow !== 'none';
            });
        }"""
    )


def tab_to(page, locator, limit=60):
    """Press Tab until `locator` has focus; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{locator} is not reachable with the Tab key")


# The demo's general-sale medicine: its pack goes in the cart under the default supply rules.
PARACETAMOL_URL = "/products/paracetamol-500-mg-tablets/"


def add_pack_to_cart(page, url, quantity):
    page.goto(url)
    page.get_by_role("radio", name=re.compile(rf"^{quantity} tablets")).check()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("added to your cart")


def add_90_pack_to_cart(page, product):
    """Baclofen's 90 pack: a prescription-only medicine, so the test runs in seed_mode."""
    add_pack_to_cart(page, product.url, 90)


PATIENT_INFORMATION_BLOCKS = {
    "key_facts",
    "who_can_take",
    "how_to_take",
    "side_effect_frequencies",
    "care_card",
    "pregnancy",
    "storage",
    "ingredients",
    "common_questions",
    "standard_text",
}


def test_public_pages_have_no_axe_violations(page, demo):
    # The prescription-only demo page under the defaults (price list, consultation) and the
    # general-sale one (every shop feature and every patient-information block).
    paracetamol = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")
    shown = {block.block_type for product in (demo, paracetamol) for block in product.body}
    assert PATIENT_INFORMATION_BLOCKS <= shown  # every new block is on a checked page
    for path in [
        "/",
        "/products/",
        demo.url,
        paracetamol.url,
        "/search/?q=baclofen",
        "/search/?q=zzzz",
        "/cart/",
    ]:
        page.goto(path)
        assert_no_axe_violations(page)
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    page.set_viewport_size(MOBILE)
    page.goto(demo.url)
    page.get_by_text("Menu").click()  # the phone header, its menu open
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    add_pack_to_cart(page, PARACETAMOL_URL, 16)
    assert_no_axe_violations(page)  # with the status message and the updated mini cart
    page.goto("/cart/")
    expect(page.get_by_role("table", name="Items in your cart")).to_be_visible()
    assert_no_axe_violations(page)


def test_product_page_with_reviews_and_the_review_form_with_errors(page, demo, seed_mode):
    ReviewFactory.create_batch(3, product=demo)
    ReviewFactory(product=demo, status=ReviewStatus.PENDING)
    page.goto(demo.url)
    expect(page.get_by_role("heading", name="Reviews (3)")).to_be_visible()
    assert_no_axe_violations(page)

    form = page.locator("#review-form")
    form.get_by_role("button", name="Submit review").click()
    expect(form.get_by_role("alert")).to_be_visible()
    expect(form.locator(".field-error")).to_have_count(4)  # rating, review, name, email
    assert_no_axe_violations(page)


def test_review_form_works_by_keyboard(page, demo, seed_mode):
    page.goto(demo.url)
    form = page.locator("#review-form")
    first_rating = form.get_by_role("radio").first
    tab_to(page, first_rating)
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    expect(first_rating).to_be_checked()
    for label in ["Your review", "Name", "Email"]:
        field = form.get_by_label(label)
        tab_to(page, field, limit=5)
        assert focus_is_visible(page)
    submit = form.get_by_role("button", name="Submit review")
    tab_to(page, submit, limit=5)
    assert focus_is_visible(page)


def test_pack_sizes_and_contents_work_by_keyboard_with_visible_focus(page, demo, seed_mode):
    page.goto(demo.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert focus_is_visible(page)

    # The radio group is one tab stop; the arrow keys choose a pack.
    thirty = page.get_by_role("radio", name=re.compile(r"^30 tablets"))
    tab_to(page, thirty)
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    ninety = page.get_by_role("radio", name=re.compile(r"^90 tablets"))
    expect(ninety).to_be_focused()
    expect(ninety).to_be_checked()

    # A contents link, followed with Enter, brings its section into view.
    link = page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Side effects and precautions"
    )
    tab_to(page, link)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#side-effects-and-precautions$"))
    expect(page.get_by_role("heading", name="Side effects and precautions")).to_be_in_viewport()


def test_status_messages_are_announced(page, demo):
    page.goto(demo.url)
    messages = page.locator("main .messages")
    expect(messages).to_have_attribute("role", "status")
    expect(messages).to_have_attribute("aria-live", "polite")


def horizontal_overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_no_horizontal_scroll_on_a_small_phone(page, demo):
    ReviewFactory.create_batch(2, product=demo)
    for path in ["/", "/products/", demo.url, PARACETAMOL_URL]:
        page.goto(path)
        assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways at 360px wide"
        assert_no_axe_violations(page)
    add_pack_to_cart(page, PARACETAMOL_URL, 16)
    page.goto("/cart/")
    assert horizontal_overflow(page) <= 0, "the cart scrolls sideways at 360px wide"
    assert_no_axe_violations(page)


@pytest.mark.parametrize("browser_javascript", [False], ids=["no-js"])
def test_buying_and_reviewing_work_without_javascript(page, demo, seed_mode):
    add_90_pack_to_cart(page, demo)  # a plain form post, then the cart page (personal)
    expect(page).to_have_url(re.compile("/cart/#main$"))  # not the form's #add-to-cart
    expect(page.get_by_role("main")).to_contain_text("90 tablets")
    page.goto(demo.url)  # the public page: the mini cart is a plain link without script
    expect(page.get_by_role("link", name=re.compile(r"^Cart"))).to_be_visible()
    form = page.locator("#review-form")
    form.get_by_role("button", name="Submit review").click()
    expect(page.locator("#review-form").get_by_role("alert")).to_be_visible()


def in_viewport(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 100) <= height


@pytest.mark.parametrize("browser_javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_the_review_form_opens_at_its_error_summary_with_focus(
    page, demo, seed_mode, browser_javascript
):
    """On a phone the form is thousands of pixels down the page: after sending it, the
    visitor must land at the errors (focus on the summary, in view), not at the page's top;
    each link of the summary takes them to its field."""
    page.goto(demo.url)
    form = page.locator("#review-form")
    form.get_by_label("Your review").fill("Too short")
    form.get_by_role("button", name="Submit review").click()
    summary = page.locator("[data-error-summary]")
    if browser_javascript:  # without it, the form's #review-form brings the summary into view
        expect(summary).to_be_focused()
    page.wait_for_load_state("load")
    assert in_viewport(page, summary), "the error summary is out of sight"
    expect(summary.get_by_role("link")).to_have_count(4)
    expect(page.locator("#review-form").get_by_label("Your review")).to_have_value("Too short")
    if not browser_javascript:
        return
    summary.get_by_role("link", name="Your review needs at least 10 characters.").click()
    field = page.locator("#id_text")
    expect(field).to_be_focused()
    assert in_viewport(page, field)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("browser_javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("browser_viewport", [MOBILE], ids=["360px"])
def test_a_refused_add_to_cart_is_said_at_the_form(page, demo, browser_javascript):
    """Three packs of 16 paracetamol tablets are over the demo's limit of 32 a order. Without
    JavaScript the page comes back opened at the form, its error summary in view and next
    in the Tab order, what was chosen kept; with it, cart.js says why at the form, as an
    alert (the messages at the page's top are out of sight on a phone)."""
    page.goto(PARACETAMOL_URL)
    form = page.locator("#add-to-cart")
    pack = form.get_by_role("radio", name=re.compile(r"^16 tablets"))
    pack.check()
    count = form.get_by_label("Number of packs")
    count.fill("3")
    form.get_by_role("button", name="Add to cart").click()
    limit = "One order may hold at most 32 tablets of paracetamol"
    if browser_javascript:
        alert = form.get_by_role("alert")
        expect(alert).to_contain_text(limit)
        assert in_viewport(page, alert), "the refusal is out of sight"
        expect(page.locator("[data-messages]")).to_be_empty()  # said once, at the form
        # The button was disabled while the cart was asked: the keyboard is where it was.
        expect(form.get_by_role("button", name="Add to cart")).to_be_focused()
        expect(page).to_have_url(re.compile(re.escape(PARACETAMOL_URL) + "$"))
    else:
        expect(page).to_have_url(re.compile("/cart/add/#add-to-cart$"))
        summary = page.locator("[data-error-summary]")
        expect(summary).to_contain_text(limit)
        page.wait_for_load_state("load")
        assert in_viewport(page, summary), "the error summary is out of sight"
        # Browsers skip `autofocus` at a #fragment; the fragment puts the summary next.
        page.keyboard.press("Tab")
        expect(summary.get_by_role("link")).to_be_focused()
        expect(form.locator(".field-error")).to_contain_text(limit)
    expect(pack).to_be_checked()
    expect(count).to_have_value("3")  # as typed
    if browser_javascript:  # axe-core runs as a script (the page without: test_html_validity)
        assert_no_axe_violations(page)


def test_a_refused_cart_count_is_shown_at_its_line_with_an_error_summary(page, demo, seed_mode):
    add_90_pack_to_cart(page, demo)
    page.goto("/cart/")
    count = page.get_by_label(re.compile("^Number of packs of"))
    count.fill("0")
    # The browser's own check is skipped, as an old browser or a crafted request would.
    page.locator(".cart-line__update").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name=re.compile("^Update")).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose a number of packs from 1 to 99.")
    expect(count).to_have_value("0")  # as typed
    summary.get_by_role("link").click()
    expect(count).to_be_focused()
    assert_no_axe_violations(page)


def fill_checkout(page):
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("Date of birth").fill("1980-03-27")
    page.get_by_label("Collect from the pharmacy").check()
    page.get_by_label("I agree to the terms of sale and the privacy notice").check()


@pytest.mark.parametrize("browser_viewport", [DESKTOP, MOBILE], ids=["desktop", "360px"])
def test_checkout_confirmation_and_status_pages_have_no_axe_violations(page, demo):
    add_pack_to_cart(page, PARACETAMOL_URL, 16)  # general sale: no prescription to wait for
    page.goto("/checkout/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Place order").click()  # everything missing
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.locator(".field-error")).to_have_count(6)
    assert_no_axe_violations(page)
    assert horizontal_overflow(page) <= 0
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your order is placed")
    assert_no_axe_violations(page)
    assert horizontal_overflow(page) <= 0
    order = Order.objects.get()
    change_status(order, "query", None, message="Have you taken it before?")
    page.goto(f"/orders/{order.status_token}/")
    expect(page.get_by_role("heading", name="Answer the pharmacy's question")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send your answer").click()  # empty
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    assert horizontal_overflow(page) <= 0


def test_every_consultation_step_has_no_axe_violations(page, demo):
    """Each step as first shown and with its errors, the review, the status page, a stop."""
    from tests.test_consultation_journeys import answer_the_baclofen_questions, give_details

    page.goto(f"/consultations/start/{demo.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)  # every question with its error
    answer_the_baclofen_questions(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert_no_axe_violations(page)
    give_details(page)
    assert_no_axe_violations(page)  # preferred pack
    page.get_by_role("button", name="Continue").click()
    assert_no_axe_violations(page)  # check and send
    page.get_by_role("button", name="Send to a prescriber").click()
    expect(page.get_by_role("status")).to_contain_text("Awaiting a prescriber")
    assert_no_axe_violations(page)

    page.goto(f"/consultations/start/{demo.pk}/")
    answer_the_baclofen_questions(page, diagnosed="No")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)
