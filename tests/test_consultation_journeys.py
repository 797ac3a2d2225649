"""A consultation in a real browser: a visitor asks for Baclofen, a prescriber approves it."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from consultations.models import Consultation, Prescriber

pytestmark = pytest.mark.browser

PASSWORD = "journey-Pa55word"  # noqa: S105 - test users only


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """As in production: the consultation's pages must still be the visitor's own."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 0


def answer(page, question, label):
    page.get_by_role("group", name=question).get_by_label(label, exact=True).check()


def answer_the_baclofen_questions(page, diagnosed="Yes"):
    expect(page.get_by_role("heading", level=1)).to_have_text("Muscle spasticity (baclofen)")
    progress = page.get_by_role("navigation", name="Consultation progress")
    expect(progress.locator("[aria-current=step]")).to_have_text("Questions")
    answer(page, "Has a doctor diagnosed your spasticity?", diagnosed)
    answer(page, "Have you taken baclofen before?", "Yes")
    answer(page, "Are you pregnant or breastfeeding?", "No")
    answer(page, "Do you take other medicines that make you sleepy?", "Yes")
    answer(page, "Do you have any of these conditions?", "None of these")
    page.get_by_role("button", name="Continue").click()


def give_details(page):
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Date of birth").fill("27/03/1980")
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Phone number").fill("01632 960 001")
    page.get_by_label("Address").fill("1 High Street\nExampletown\nEX1 1AA")
    page.get_by_role("button", name="Continue").click()


def test_a_visitor_asks_for_baclofen_and_a_prescriber_approves_90_tablets(
    page, demo, django_user_model
):
    page.goto(f"/consultations/start/{demo.pk}/")
    page.get_by_role("button", name="Continue").click()  # nothing answered
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    answer_the_baclofen_questions(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    page.get_by_role("link", name="Back to the questions").click()
    group = page.get_by_role("group", name="Do you take other medicines that make you sleepy?")
    expect(group.get_by_label("Yes", exact=True)).to_be_checked()  # the answers were kept
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Enter an email address like name@example.com.").first).to_be_visible()
    give_details(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Preferred pack")
    page.get_by_label("90 tablets").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and send")
    expect(page.get_by_role("main")).to_contain_text("Sam Patel")
    page.get_by_role("button", name="Send to a prescriber").click()
    expect(page.get_by_role("status")).to_contain_text("Awaiting a prescriber")
    status_url = page.url
    consultation = Consultation.objects.get()
    assert status_url.endswith(f"/consultations/status/{consultation.token}/")

    user = django_user_model.objects.create_user("prescriber", "dr@pharmacy.test", PASSWORD)
    user.groups.add(Group.objects.get(name="Prescribers"))
    Prescriber.objects.create(
        user=user, name="Dr A. Khan", registration_body="gmc", registration_number="7654321"
    )
    page.context.clear_cookies()
    page.goto("/admin/")
    page.get_by_label("Username").fill("prescriber")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Consultations").first.click()
    page.get_by_role("link", name=consultation.reference).click()
    approve = page.locator("form[action$='/approve/']")
    expect(approve.get_by_label("90 tablets")).to_be_checked()  # the patient's preference
    approve.get_by_label("Number of packs").fill("1")
    approve.get_by_role("button", name="Approve and prescribe").click()
    expect(page.locator(".messages")).to_contain_text(f"Approved {consultation.reference}")
    consultation.refresh_from_db()
    assert consultation.prescribed_pack_label == "90 tablets"

    page.context.clear_cookies()  # the patient again, from the link in their email
    page.goto(status_url)
    expect(page.get_by_role("status")).to_contain_text("1 × 90 tablets")


@pytest.mark.parametrize("browser_javascript", [False], ids=["no-js"])
def test_a_stop_answer_ends_the_consultation_with_its_message(page, demo):
    page.goto(f"/consultations/start/{demo.pk}/")
    answer_the_baclofen_questions(page, diagnosed="No")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "We cannot supply this medicine online"
    )
    expect(page.get_by_role("alert")).to_contain_text(
        "Baclofen is only for spasticity a doctor has diagnosed."
    )
    assert not Consultation.objects.exists()
    expect(page).to_have_url(re.compile(rf"/consultations/start/{demo.pk}/$"))
