"""Consultations in a real browser: a visitor asks for Baclofen, a prescriber approves it and
a pharmacist checks the order; a visitor answers a pharmacy medicine's questions before its
pack goes into the cart, and the pharmacist sees the answers."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from consultations.models import Consultation, Prescriber
from orders.models import Order
from tests.test_accessibility import assert_no_axe_violations, fill_checkout

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
    page.goto(demo.url)  # the product page, as a patient finds it
    page.get_by_role("link", name="Start a consultation").click()
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
    sign_in(page, "prescriber")
    page.get_by_role("link", name="Consultations").first.click()
    page.get_by_role("link", name=consultation.reference).click()
    approve = page.locator("form[action$='/approve/']")
    expect(approve.get_by_label("90 tablets")).to_be_checked()  # the patient's preference
    approve.get_by_label("Number of packs").fill("1")
    approve.get_by_role("button", name="Approve and prescribe").click()
    expect(page.locator(".messages")).to_contain_text(f"Approved {consultation.reference}")
    consultation.refresh_from_db()
    assert consultation.prescribed_pack_label == "90 tablets"

    order = Order.objects.get(consultation_reference=consultation.reference)
    make_pharmacist(django_user_model)
    sign_in(page, "pharmacist")
    page.get_by_role("link", name="1 order awaiting a pharmacist's check").click()
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_role("main")).to_contain_text("prescribed by Dr A. Khan")
    page.get_by_role("button", name="Pass the clinical check").click()
    expect(page.get_by_role("heading", name="Status: Clinical check passed")).to_be_visible()

    page.context.clear_cookies()  # the patient again, from the link in their email
    page.goto(status_url)
    expect(page.get_by_role("status")).to_contain_text("1 × 90 tablets")
    page.get_by_role("link", name="follow your order").click()
    expect(page.get_by_role("main")).to_contain_text(order.reference)
    expect(page.get_by_role("main")).to_contain_text("Status: Checked by our pharmacist")


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def make_pharmacist(django_user_model):
    user = django_user_model.objects.create_user("pharmacist", "ph@pharmacy.test", PASSWORD)
    user.groups.add(Group.objects.get(name="Pharmacists"))
    return user


PHARMACY_PACK = "/products/paracetamol-500-mg-tablets-pharmacy-pack/"


def answer_the_pack_questions(page, other_paracetamol):
    """The demo pharmacy pack's questions; the last answer is flagged for the pharmacist."""
    answer(page, "Is the medicine for you?", "Yes")
    answer(page, "Are you taking any other medicine that contains paracetamol?", other_paracetamol)
    answer(page, "Do you have liver or kidney problems?", "No")
    answer(page, "Do you often drink more alcohol than the recommended limits?", "No")
    answer(page, "Is the pain one that has lasted a long time or keeps coming back?", "Yes")
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("browser_javascript", [True, False], ids=["js", "no-js"])
def test_a_pharmacy_medicine_asks_its_questions_before_the_cart_and_the_pharmacist_sees_them(
    page, demo, django_user_model, browser_javascript
):
    def no_axe_violations():  # axe runs as a script: in the run with JavaScript
        if browser_javascript:
            assert_no_axe_violations(page)

    page.goto(PHARMACY_PACK)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paracetamol, pharmacy pack")
    no_axe_violations()
    page.get_by_role("button", name="Continue").click()  # nothing answered
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    no_axe_violations()
    answer_the_pack_questions(page, other_paracetamol="Yes")
    expect(page.get_by_role("alert")).to_contain_text("can lead to an overdose")  # a stop
    no_axe_violations()

    expect(page.locator(".cart-line")).to_have_count(0)  # nothing went in
    page.goto(PHARMACY_PACK)  # another time, without the other paracetamol medicine
    page.get_by_role("button", name="Add to cart").click()
    answer_the_pack_questions(page, other_paracetamol="No")
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved")
    no_axe_violations()
    page.get_by_role("button", name=re.compile(r"^Add 1 × 32 tablets")).click()
    expect(page.locator(".cart-line")).to_have_count(1)
    page.goto("/checkout/")
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your order is placed")
    order = Order.objects.get()

    make_pharmacist(django_user_model)
    sign_in(page, "pharmacist")
    page.get_by_role("link", name="1 order awaiting a pharmacist's check").click()
    page.get_by_role("link", name=order.reference).click()
    answers = page.get_by_role(
        "region", name="Pharmacy questions: " + order.lines.get().product_title
    )
    row = answers.get_by_role("row").filter(has_text="lasted a long time")
    expect(row).to_contain_text("Needs your attention")
    expect(answers.get_by_role("row").filter(has_text="liver")).not_to_contain_text("attention")
    page.get_by_role("button", name="Pass the clinical check").click()
    expect(page.get_by_role("heading", name="Status: Clinical check passed")).to_be_visible()


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
