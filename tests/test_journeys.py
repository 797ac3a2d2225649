"""What visitors, editors and moderators do, in a real browser against the live server."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from catalog.reviews import services as review_services
from catalog.reviews.models import Review, ReviewStatus
from tests.factories import ReviewFactory

pytestmark = pytest.mark.browser

PASSWORD = "journey-Pa55word"  # noqa: S105 - test users only


def pack_radio(page, quantity):
    return page.get_by_role("radio", name=re.compile(rf"^{quantity} tablets"))


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


def test_visitor_fixes_a_missing_field_and_the_review_awaits_approval(page, demo, monkeypatch):
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
    expect(form.get_by_role("alert")).to_have_text("Please correct the errors below.")
    rating = form.get_by_role("group", name="Rating")
    expect(rating).to_contain_text("Choose a rating from 1 to 5.")
    expect(form.get_by_label("Your review")).to_have_value(
        "Eased the stiffness in my legs within a week."
    )  # nothing typed is lost
    assert not Review.objects.exists()

    rating.get_by_label("4 out of 5").check()
    form.get_by_role("button", name="Submit review").click()
    expect(page.get_by_role("status")).to_have_text("Thank you — your review is awaiting approval.")
    expect(page).to_have_url(re.compile(re.escape(demo.url) + "$"))
    review = Review.objects.get()
    assert (review.author_name, review.rating, review.status) == ("Sam Patel", 4, "pending")
    expect(page.locator("#reviews")).not_to_contain_text("Eased the stiffness")  # not yet shown


def test_moderator_approves_a_review_and_visitors_see_it(page, demo, django_user_model):
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
