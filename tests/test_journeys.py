"""What visitors, editors and moderators do, in a real browser against the live server."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from catalog.models import ProductPage
from catalog.reviews import services as review_services
from catalog.reviews.models import Review, ReviewStatus
from orders.models import Order
from tests.factories import ReviewFactory

pytestmark = pytest.mark.browser

PASSWORD = "journey-Pa55word"  # noqa: S105 - test users only


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """As in production: pages come from the page cache, changes drop it after commit.
    One browser plays several people here: it may not reuse a page on its own
    (the browser max-age a real visitor's browser gets)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 0


def pack_radio(page, quantity):
    return page.get_by_role("radio", name=re.compile(rf"^{quantity} tablets"))


def price_of(page, quantity):
    """A pack's row in a prescription-only page's price list (the default supply rules)."""
    prices = page.get_by_role("table", name="Prices")
    return prices.get_by_role("row", name=re.compile(rf"^{quantity} tablets"))


def sign_in_to_admin(page, username):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formulary")


def user_in_group(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_visitor_reads_picks_the_90_pack_buys_it_and_changes_the_cart(page, demo, seed_mode):
    """The seed page's journey: a prescription-only medicine in the cart needs the settings of
    a pharmacy where the customer sends a prescription (docs/supply-rules.md)."""
    page.goto(demo.url)
    expect(page).to_have_title("Baclofen 40 mg | Formulary Pharmacy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baclofen 40 mg")
    contents = page.get_by_role("navigation", name="On this page")
    # One link for each section, the patient-leaflet ones and the seed's.
    sections = page.locator(".product__body > .section h2")
    assert sections.count() > 8
    expect(contents.get_by_role("link")).to_have_count(sections.count())
    expect(contents.get_by_role("link", name="How and when to take it")).to_be_visible()

    contents.get_by_role("link", name="Dosage and administration").click()
    expect(page).to_have_url(re.compile(r"#dosage-and-administration$"))
    dosage = page.get_by_role("heading", name="Dosage and administration", level=2)
    expect(dosage).to_be_in_viewport()
    expect(page.get_by_role("table", name="Dose schedule")).to_be_visible()

    page.go_back()
    price = page.locator("[data-cart-price]")
    expect(pack_radio(page, 30)).to_be_checked()  # the first pack in stock is preselected
    expect(price).to_have_text("£24.00")
    pack_radio(page, 90).check()
    expect(pack_radio(page, 30)).not_to_be_checked()
    expect(price).to_have_text("£57.00")

    mini_cart = page.get_by_role("link", name=re.compile(r"^Cart"))
    expect(mini_cart).to_have_text("Cart")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Baclofen 40 mg — 90 tablets added to your cart."
    )
    expect(mini_cart).to_have_text("Cart: 1 item, £57.00")
    expect(page).to_have_url(re.compile(re.escape(demo.url) + "$"))  # no reload needed

    page.get_by_role("status").get_by_role("link", name="View your cart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cart")
    table = page.get_by_role("table", name="Items in your cart")
    expect(table).to_contain_text("90 tablets")
    page.get_by_label(re.compile("Number of packs of Baclofen 40 mg — 90 tablets")).fill("3")
    page.get_by_role("button", name=re.compile(r"^Update")).click()
    expect(page.get_by_role("status")).to_have_text("Your cart has been updated.")
    expect(page.locator(".cart-subtotal")).to_have_text("£171.00")
    expect(mini_cart).to_have_text("Cart: 3 items, £171.00")

    page.get_by_role("button", name=re.compile(r"^Remove")).click()
    expect(page.get_by_role("status")).to_have_text(
        "Baclofen 40 mg — 90 tablets removed from your cart."
    )
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    expect(mini_cart).to_have_text("Cart")


def test_visitor_fixes_a_missing_field_and_the_review_awaits_approval(
    page, demo, seed_mode, monkeypatch
):
    # The spam check rejects forms sent back within seconds: a test types faster than people.
    monkeypatch.setattr(review_services, "MIN_FILL_SECONDS", 0)
    page.goto(demo.url)
    form = page.locator("#review-form")
    expect(form.get_by_role("heading")).to_have_text("Be the first to review “Baclofen 40 mg”")
    form.get_by_label("Name").fill("Sam Patel")
    form.get_by_label("Email").fill("sam@example.com")
    form.get_by_label("Your review").fill("Eased the stiffness in my legs within a week.")
    form.get_by_role("button", name="Submit review").click()

    form = page.locator("#review-form")
    summary = form.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Choose a rating from 1 to 5.")).to_be_visible()
    rating = form.get_by_role("group", name="Rating")
    expect(rating).to_contain_text("Choose a rating from 1 to 5.")
    expect(form.get_by_label("Your review")).to_have_value(
        "Eased the stiffness in my legs within a week."
    )  # nothing typed is lost
    assert not Review.objects.exists()

    rating.get_by_label("4 out of 5").check()
    form.get_by_role("button", name="Submit review").click()
    expect(page.get_by_role("status")).to_have_text("Thank you — your review is awaiting approval.")
    expect(page).to_have_url(re.compile(re.escape(demo.url) + "#main$"))
    review = Review.objects.get()
    assert (review.author_name, review.rating, review.status) == ("Sam Patel", 4, "pending")
    expect(page.locator("#reviews")).not_to_contain_text("Eased the stiffness")  # not yet shown


def test_moderator_approves_a_review_and_visitors_see_it(page, demo, seed_mode, django_user_model):
    ReviewFactory(
        product=demo,
        author_name="Jo Evans",
        rating=5,
        text="My spasms are far less frequent now.",
        status=ReviewStatus.PENDING,
    )
    page.goto(demo.url)
    expect(page.get_by_role("heading", name="Reviews (0)")).to_be_visible()

    user_in_group(django_user_model, "moderator", "Review moderators")
    sign_in_to_admin(page, "moderator")
    page.get_by_role("link", name="Reviews", exact=True).first.click()
    page.get_by_role("link", name="Baclofen 40 mg").click()
    page.get_by_role("combobox", name="Status").select_option(label="Approved")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    assert Review.objects.get().status == ReviewStatus.APPROVED

    page.context.clear_cookies()  # a visitor again
    page.goto(demo.url)
    expect(page.get_by_role("heading", name="Reviews (1)")).to_be_visible()
    expect(page.locator("#reviews")).to_contain_text("My spasms are far less frequent now.")
    expect(page.get_by_role("link", name="1 customer review")).to_be_visible()


def test_editor_changes_dosage_and_price_a_medical_reviewer_approves_visitors_see_it(
    page, demo, django_user_model
):
    user_in_group(django_user_model, "editor", "Editors")
    user_in_group(django_user_model, "reviewer", "Medical reviewers")
    new_dosage = "Take one tablet three times a day with food, as your prescriber has told you."

    sign_in_to_admin(page, "editor")
    page.goto(f"/admin/pages/{demo.pk}/edit/")
    n = [block.block_type for block in demo.body].index("dosage")
    expect(page.locator(f"input[name='body-{n}-type']")).to_have_value("dosage")
    dosage_text = (
        page.locator(f"input[name='body-{n}-value-text']")
        .locator("xpath=..")
        .locator("[contenteditable=true]")
    )
    dosage_text.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(new_dosage)

    page.get_by_role("tab", name="Product").click()
    expect(page.locator("input[name='pack_sizes-2-quantity']")).to_have_value("90")
    page.locator("input[name='pack_sizes-2-price']").fill("55.00")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Medical sign-off").click()
    expect(page.locator(".messages")).to_contain_text("has been submitted for moderation")

    page.context.clear_cookies()  # a visitor: the change is not live before sign-off
    page.goto(demo.url)
    expect(page.locator("#dosage-and-administration").locator("..")).not_to_contain_text(new_dosage)
    expect(price_of(page, 90)).to_contain_text("£57.00")

    sign_in_to_admin(page, "reviewer")
    expect(page.get_by_text("Awaiting your review")).to_be_visible()
    page.goto(f"/admin/pages/{demo.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Page 'Baclofen 40 mg' has been updated.")
    state = demo.workflow_states.get()
    assert (state.workflow.name, state.status) == ("Medical sign-off", "approved")

    page.context.clear_cookies()
    page.goto(demo.url)
    expect(page.locator("#dosage-and-administration").locator("..")).to_contain_text(new_dosage)
    expect(price_of(page, 90)).to_contain_text("£55.00")


def test_visitor_orders_a_general_sale_pack_a_pharmacist_checks_and_dispatches_it(
    page, demo, django_user_model
):
    paracetamol = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")
    page.goto(paracetamol.url)
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("status").get_by_role("link", name="View your cart").click()
    page.get_by_role("link", name="Check out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check out")
    expect(page.get_by_role("table", name="Your order")).to_contain_text("16 tablets")

    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("Date of birth").fill("1980-03-27")
    page.get_by_label("Deliver to my address").check()
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("ls1 4ap")
    page.get_by_role("button", name="Place order").click()  # the agreement is missing
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Agree to the terms of sale and the privacy notice")
    expect(page.get_by_label("Postcode")).to_have_value("ls1 4ap")  # nothing typed is lost
    page.get_by_label("I agree to the terms of sale and the privacy notice").check()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your order is placed")
    order = Order.objects.get()
    expect(page.locator(".order-reference")).to_have_text(order.reference)
    status_link = page.get_by_role("link", name="your order's status")
    status_url = status_link.get_attribute("href")
    assert status_url == f"/orders/{order.status_token}/"

    page.context.clear_cookies()
    user_in_group(django_user_model, "pharmacist", "Pharmacists")
    sign_in_to_admin(page, "pharmacist")
    page.get_by_role("link", name="1 order awaiting a pharmacist's check").click()
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_role("heading", name="Status: Received")).to_be_visible()
    expect(page.get_by_text("Sam Patel")).to_be_visible()
    page.get_by_role("button", name="Pass the clinical check").click()
    expect(page.locator(".messages")).to_contain_text("clinical check passed")
    dispatch = page.get_by_role("form", name="Mark dispatched")
    dispatch.get_by_label("Tracking reference (optional)").fill("RM123456789GB")
    dispatch.get_by_role("button", name="Mark dispatched").click()
    expect(page.locator(".messages")).to_contain_text("dispatched")
    order.refresh_from_db()
    assert order.status == "dispatched" and order.tracking_reference == "RM123456789GB"

    page.context.clear_cookies()  # the customer, following the link in their email
    page.goto(status_url)
    expect(page.locator(".order-status")).to_have_text("Status: Dispatched")
    expect(page.get_by_text("Tracking reference: RM123456789GB")).to_be_visible()
    expect(page.locator(".order-history")).to_contain_text("Checked by our pharmacist")


def test_editor_adds_patient_sections_fixes_a_failing_readiness_check_and_submits(
    page, demo, django_user_model
):
    """The demo without its "Who can and cannot take it" section fails a readiness check;
    the editor follows the check's link, adds the section and a care card, and submits."""
    demo.body = [(b.block_type, b.value) for b in demo.body if b.block_type != "who_can_take"]
    demo.save_revision().publish()
    user_in_group(django_user_model, "editor", "Editors")
    sign_in_to_admin(page, "editor")
    page.goto(f"/admin/pages/{demo.pk}/edit/")

    panel = page.locator("[data-readiness]")
    expect(panel).to_contain_text("Failed: Required sections are present")
    expect(panel).to_contain_text("Add a 'Who can and cannot take it' section.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Medical sign-off").click()
    expect(page.locator(".messages")).to_contain_text("Who can and cannot take it")
    assert not demo.workflow_states.exists()  # refused: nothing went to the reviewer

    panel.get_by_role("link", name="Fix it on the Content tab").click()  # to the sections
    expect(page.locator("[id$='-content-body-section']")).to_be_in_viewport()
    expect(page.locator("[data-readiness]")).not_to_be_in_viewport()
    add_block(page, "Who can and cannot take it")
    section = page.locator("[data-contentpath='body'] [data-streamfield-child]").last
    section.locator("[contenteditable=true]").first.click()
    page.keyboard.type("Adults whose muscles are stiff after a nerve condition.")
    add_block(page, "Care card")
    card = page.locator("[data-contentpath='body'] [data-streamfield-child]").last
    card.get_by_label("Level").select_option(label="Emergency: call 999 or go to A&E")
    card.locator("[data-contentpath='symptoms'] [data-streamfield-list-add]").first.click()
    card.locator("input[name$='-symptoms-0-value']").fill("You have a fit (seizure)")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Medical sign-off").click()
    expect(page.locator(".messages")).to_contain_text("has been submitted for moderation")
    page.goto(f"/admin/pages/{demo.pk}/edit/")
    expect(panel).to_contain_text("Every check passes")
    state = demo.workflow_states.get()
    assert state.status == "in_progress"
    latest = ProductPage.objects.get(pk=demo.pk).get_latest_revision_as_object()
    types = [block.block_type for block in latest.body]
    assert types[-2:] == ["who_can_take", "care_card"]


def add_block(page, label):
    """Wagtail's "Insert a block" button after the last block, then the block's name."""
    page.locator("[data-contentpath='body'] button[title='Insert a block']").last.click()
    page.get_by_role("option", name=label, exact=True).click()
