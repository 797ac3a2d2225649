"""Checkout and orders as customers use them: the form, bad input, one order per submission,
the lines that stop a checkout, the confirmation, the status page, emails and housekeeping."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from catalog.cart.models import CartLine
from catalog.models import LegalStatus
from home.site_settings import PharmacySettings
from orders import emails as order_emails
from orders.forms import normalise_phone, normalise_postcode
from orders.models import REMOVED, Order, OrderEmail, OrderStatus, StatusChange
from orders.services import (
    OrderError,
    change_status,
    place_prescribed_order,
    reply_to_query,
)
from tests.factories import PackSizeFactory, ProductPageFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "k" * 43


@pytest.fixture
def paracetamol(product_index):
    product = ProductPageFactory(
        parent=product_index,
        title="Paracetamol 500 mg tablets",
        slug="paracetamol-500-mg-tablets",
        legal_status=LegalStatus.GENERAL_SALE,
    )
    PackSizeFactory(page=product, quantity=16, price=Decimal("1.50"))
    return product


def pack_of(product):
    return product.pack_sizes.get()


def add(client, pack, count=1):
    response = client.post("/cart/add/", {"pack": pack.pk, "count": count})
    assert response.status_code == 302
    return response


def details(**overrides):
    data = {
        "name": "Sam Patel",
        "email": "sam@example.com",
        "phone": "07700 900982",
        "date_of_birth": "1980-03-27",
        "fulfilment": "delivery",
        "address_line_1": "1 High Street",
        "address_line_2": "",
        "town": "Leeds",
        "postcode": "ls1 4ap",
        "note_to_pharmacist": "I also take ibuprofen sometimes.",
        "agree": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def checkout_page(client):
    response = client.get("/checkout/")
    assert response.status_code == 200
    return response.content.decode()


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def check_out(client, **overrides):
    """Open the checkout page and send its form, as a browser would."""
    fields = hidden_fields(checkout_page(client))
    return client.post("/checkout/", {**fields, **details(**overrides)})


def status_path(order):
    return f"/orders/{order.status_token}/"


# --- The cart leads to the checkout ----------------------------------------------------------


def test_the_cart_has_a_check_out_button_and_no_call_us(client, paracetamol):
    add(client, pack_of(paracetamol))
    html = client.get("/cart/").content.decode()
    assert '<a class="button" href="/checkout/">Check out</a>' in html
    cart = html.split("<main")[1].split("</main>")[0]  # (the footer says how to complain)
    assert "There is no online checkout" not in cart
    assert "call the pharmacy" not in cart
    assert PharmacySettings.load().payment_instructions in html


def test_phone_orders_only_shows_the_instructions_and_no_check_out(client, paracetamol):
    settings = PharmacySettings.load()
    settings.phone_orders_only = True
    settings.phone = "020 7946 0000"
    settings.save()
    add(client, pack_of(paracetamol))
    html = client.get("/cart/").content.decode()
    assert 'href="/checkout/"' not in html
    assert settings.ordering_instructions in html
    assert "020 7946 0000" in html
    assert client.get("/checkout/").status_code == 302


def test_the_checkout_page_shows_the_lines_payment_terms_and_is_personal(client, paracetamol):
    settings = PharmacySettings.load()
    settings.terms_url = "https://pharmacy.test/terms/"
    settings.privacy_url = "https://pharmacy.test/privacy/"
    settings.save()
    add(client, pack_of(paracetamol), 2)
    response = client.get("/checkout/")
    html = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "<caption>Your order</caption>" in html
    assert "Paracetamol 500 mg tablets" in html and "£3.00" in html
    assert settings.payment_instructions in html
    assert '<a href="https://pharmacy.test/terms/">terms of sale</a>' in html
    assert '<a href="https://pharmacy.test/privacy/">privacy notice</a>' in html
    assert 'name="csrfmiddlewaretoken"' not in html  # checked by origin instead
    fields = hidden_fields(html)
    assert len(fields["idempotency_key"]) >= 40
    assert fields["seen_prices"].endswith(":1.50")


def test_an_empty_cart_has_nothing_to_check_out(client, home):
    response = client.get("/checkout/")
    assert response.status_code == 302 and response["Location"] == "/cart/"


# --- Placing the order -----------------------------------------------------------------------


def test_a_checkout_makes_the_order_empties_the_cart_and_emails_after_commit(
    client, paracetamol, django_capture_on_commit_callbacks
):
    add(client, pack_of(paracetamol), 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = check_out(client)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/checkout/confirmation/{order.reference}/"
    assert re.fullmatch(r"FM-[0-9A-Z]{5}", order.reference)
    assert len(order.status_token) >= 40
    assert order.status == OrderStatus.RECEIVED
    assert (order.name, order.email, order.phone) == ("Sam Patel", "sam@example.com", "07700900982")
    assert order.postcode == "LS1 4AP" and order.date_of_birth == date(1980, 3, 27)
    assert order.subtotal == Decimal("3.00") and order.agreed_to_terms_at is not None
    [line] = order.lines.all()
    assert (line.product_title, line.pack_description, line.count, line.unit_price) == (
        "Paracetamol 500 mg tablets",
        "16 tablets",
        2,
        Decimal("1.50"),
    )
    assert not CartLine.objects.exists()
    [change] = order.status_changes.all()
    assert (change.from_status, change.to_status, change.by_name) == ("", "received", "Customer")

    [email] = mail.outbox
    assert email.to == ["sam@example.com"]
    assert order.reference in email.subject and order.reference in email.body
    assert f"http://localhost/orders/{order.status_token}/" in email.body
    assert OrderEmail.objects.get().sent_at is not None

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert order.reference in html and "Thank you: your order is placed" in html
    assert f'href="/orders/{order.status_token}/"' in html
    assert PharmacySettings.load().payment_instructions in html
    assert "Send us your prescription" not in html


def test_a_price_change_after_the_order_keeps_the_price_ordered(client, paracetamol):
    add(client, pack_of(paracetamol))
    check_out(client)
    paracetamol.pack_sizes.update(price=Decimal("9.99"))
    assert Order.objects.get().lines.get().unit_price == Decimal("1.50")


def test_the_same_submission_twice_makes_one_order(client, paracetamol):
    add(client, pack_of(paracetamol))
    fields = hidden_fields(checkout_page(client))
    first = client.post("/checkout/", {**fields, **details()})
    again = client.post("/checkout/", {**fields, **details()})  # a double click, a retry
    order = Order.objects.get()
    assert first["Location"] == again["Location"] == f"/checkout/confirmation/{order.reference}/"
    assert order.lines.count() == 1 and order.status_changes.count() == 1


def test_two_checkouts_with_new_keys_of_an_emptied_cart_make_one_order(client, paracetamol):
    add(client, pack_of(paracetamol))
    check_out(client)
    response = client.post("/checkout/", {"idempotency_key": "x" * 43, **details()})
    assert response.status_code in (200, 302)
    assert Order.objects.count() == 1


def test_the_confirmation_is_only_for_the_session_that_placed_the_order(client, paracetamol):
    add(client, pack_of(paracetamol))
    location = check_out(client)["Location"]
    assert client.get(location).status_code == 200
    client.cookies.clear()
    assert client.get(location).status_code == 404


BAD_INPUT = [
    ({"name": ""}, "name", "Enter your full name."),
    ({"email": ""}, "email", "Enter your email address."),
    ({"email": "sam@"}, "email", "Enter an email address like name@example.com."),
    ({"phone": ""}, "phone", "Enter a phone number"),
    ({"phone": "12345"}, "phone", "Enter a UK phone number"),
    ({"phone": "+1 212 555 0100"}, "phone", "Enter a UK phone number"),
    ({"date_of_birth": ""}, "date_of_birth", "Enter your date of birth."),
    ({"date_of_birth": "31/02/1980"}, "date_of_birth", "as a real date"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "must be in the past"),
    ({"date_of_birth": "1890-01-01"}, "date_of_birth", "Check the year"),
    ({"fulfilment": None}, "fulfilment", "Choose delivery to your address or collection"),
    ({"fulfilment": "drone"}, "fulfilment", "Choose delivery to your address or collection"),
    ({"address_line_1": ""}, "address_line_1", "Enter the first line of your address."),
    ({"town": ""}, "town", "Enter your town or city."),
    ({"postcode": ""}, "postcode", "Enter your postcode."),
    ({"postcode": "12345"}, "postcode", "Enter a UK postcode, like SW1A 1AA."),
    ({"postcode": "SW1A 1AAA"}, "postcode", "Enter a UK postcode"),
    ({"note_to_pharmacist": "x" * 1001}, "note_to_pharmacist", "1,000 characters or fewer"),
    ({"agree": None}, "agree", "Agree to the terms of sale and the privacy notice"),
]


@pytest.mark.parametrize(
    "overrides,field,message", BAD_INPUT, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_INPUT)]
)
def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(
    client, paracetamol, overrides, field, message
):
    add(client, pack_of(paracetamol))
    response = check_out(client, **overrides)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Order.objects.exists() and CartLine.objects.count() == 1
    assert "There is a problem" in html  # the summary, linking to the field
    error = re.search(rf'<p class="field-error" id="id_{field}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    assert f'href="#id_{field}' in html
    if field not in ("fulfilment",):
        assert re.search(rf'aria-describedby="id_{field}-error"', html)
    kept = details(**overrides)
    for name in ("name", "email", "town", "address_line_1"):
        if name != field and kept.get(name):
            assert f'value="{kept[name]}"' in html
    assert "I also take ibuprofen sometimes." in html or field == "note_to_pharmacist"
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Check out" in html


def test_collection_needs_no_address(client, paracetamol):
    add(client, pack_of(paracetamol))
    response = check_out(client, fulfilment="collection", address_line_1="", town="", postcode="")
    assert response.status_code == 302
    order = Order.objects.get()
    assert not order.is_delivery and order.address_lines == []


@pytest.mark.parametrize(
    "typed,kept",
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" EC1A 1BB ", "EC1A 1BB"),
        ("m11ae", "M1 1AE"),
        ("W1A 0AX", "W1A 0AX"),
    ],
)
def test_postcodes_are_kept_in_the_usual_form(typed, kept):
    assert normalise_postcode(typed) == kept


@pytest.mark.parametrize("bad", ["", "SW1A", "Q1 1AA", "SW1A 1CA", "1234 5AB", "SW1A-1AA!"])
def test_not_a_uk_postcode(bad):
    assert normalise_postcode(bad) is None


def test_phone_numbers():
    assert normalise_phone("(01632) 960-001") == "01632960001"
    assert normalise_phone("+44 7700 900982") == "+447700900982"
    assert normalise_phone("0800 123") is None


def test_a_lost_idempotency_key_asks_to_send_again_and_keeps_the_form(client, paracetamol):
    add(client, pack_of(paracetamol))
    response = client.post("/checkout/", details())
    html = response.content.decode()
    assert "press “Place order” once more" in html and 'value="Sam Patel"' in html
    assert not Order.objects.exists()
    again = client.post("/checkout/", {**hidden_fields(html), **details()})
    assert again.status_code == 302 and Order.objects.count() == 1


# --- Lines that cannot be ordered -------------------------------------------------------------


def test_an_out_of_stock_line_stops_the_checkout_with_the_reason(client, paracetamol):
    add(client, pack_of(paracetamol))
    fields = hidden_fields(checkout_page(client))
    paracetamol.pack_sizes.update(in_stock=False)
    response = client.post("/checkout/", {**fields, **details()})
    html = response.content.decode()
    assert response.status_code == 200 and not Order.objects.exists()
    assert "Your order cannot be placed yet" in html
    assert "Paracetamol 500 mg tablets — 16 tablets is out of stock" in html
    assert 'value="Sam Patel"' in html and CartLine.objects.count() == 1


def test_an_unpublished_product_stops_the_checkout_without_its_name(client, paracetamol):
    add(client, pack_of(paracetamol))
    fields = hidden_fields(checkout_page(client))
    paracetamol.unpublish()
    html = client.post("/checkout/", {**fields, **details()}).content.decode()
    assert "An item in your cart is no longer available" in html
    assert "Paracetamol" not in html.split("Your order cannot be placed yet")[1].split("</ul>")[0]
    assert not Order.objects.exists()


def test_a_price_changed_since_the_page_was_shown_stops_until_seen(client, paracetamol):
    add(client, pack_of(paracetamol))
    fields = hidden_fields(checkout_page(client))
    paracetamol.pack_sizes.update(price=Decimal("2.00"))
    response = client.post("/checkout/", {**fields, **details()})
    html = response.content.decode()
    assert "The price of Paracetamol 500 mg tablets — 16 tablets has changed" in html
    assert "£2.00" in html and not Order.objects.exists()
    # The form shown again carries the new prices: sending it places the order.
    again = client.post("/checkout/", {**hidden_fields(html), **details()})
    assert again.status_code == 302
    assert Order.objects.get().subtotal == Decimal("2.00")


def test_a_prescription_only_line_waits_for_the_prescription(client, product_index, seed_mode):
    """Under "the customer sends a prescription" (seed_mode); under "consultation first" a
    prescription-only line stops the checkout (tests/test_orders.py, below)."""
    pom = ProductPageFactory(
        parent=product_index, legal_status=LegalStatus.PRESCRIPTION_ONLY, packs=[28]
    )
    settings = PharmacySettings.load()
    settings.prescription_instructions = "Post it to 1 Chemist Row with your reference."
    settings.save()
    add(client, pom.pack_sizes.get())
    response = check_out(client)
    order = Order.objects.get()
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION
    html = client.get(response["Location"]).content.decode()
    assert "Send us your prescription" in html
    assert "Post it to 1 Chemist Row with your reference." in html


# --- The public-form rules ----------------------------------------------------------------------


def test_a_cross_site_checkout_is_refused(client, paracetamol):
    add(client, pack_of(paracetamol))
    fields = hidden_fields(checkout_page(client))
    response = client.post(
        "/checkout/", {**fields, **details()}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403 and not Order.objects.exists()


def test_checkouts_are_rate_limited(client, settings, product_index):
    settings.CHECKOUT_RATE_LIMIT = 2
    product = ProductPageFactory(parent=product_index, packs=[10])
    statuses = []
    for _ in range(3):
        add(client, product.pack_sizes.get())
        statuses.append(check_out(client).status_code)
    assert statuses == [302, 302, 429]
    assert Order.objects.count() == 2


def test_invalid_forms_do_not_count_against_the_limit(client, settings, paracetamol):
    settings.CHECKOUT_RATE_LIMIT = 1
    add(client, pack_of(paracetamol))
    for _ in range(3):
        assert check_out(client, name="").status_code == 200
    assert check_out(client).status_code == 302


# --- The status page --------------------------------------------------------------------------


@pytest.fixture
def order(client, paracetamol):
    add(client, pack_of(paracetamol))
    check_out(client)
    return Order.objects.get()


@pytest.fixture
def pharmacist(db):
    return UserFactory(username="phil", first_name="Phil", groups=["Pharmacists"])


def test_the_status_page_shows_lines_history_and_messages_and_is_private(order, pharmacist):
    change_status(order, "query", pharmacist, note="Check dose", message="Are you over 16?")
    anyone = Client()  # the status link, opened anywhere
    response = anyone.get(status_path(order))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex">' in html
    assert "Paracetamol 500 mg tablets" in html
    assert "The pharmacy has a question for you" in html
    assert "Message from the pharmacy: Are you over 16?" in html
    assert "Check dose" not in html  # the pharmacy's own note
    assert "Answer the pharmacy's question" in html


def test_the_customer_answers_a_query_and_the_order_goes_back_to_the_check(
    client, order, pharmacist
):
    change_status(order, "query", pharmacist, message="Are you over 16?")
    response = client.post(status_path(order) + "reply/", {"reply": "Yes, I am 44."})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    change = order.status_changes.last()
    assert (change.customer_reply, change.by_name) == ("Yes, I am 44.", "Customer")
    html = client.get(status_path(order)).content.decode()
    assert "Your answer: Yes, I am 44." in html
    assert "your answer has been sent" in html
    assert "Send your answer" not in html


def test_an_empty_answer_is_shown_again_with_the_message(client, order, pharmacist):
    change_status(order, "query", pharmacist, message="Are you over 16?")
    response = client.post(status_path(order) + "reply/", {"reply": " "})
    assert response.status_code == 200
    assert "Write your answer to the pharmacy&#x27;s question." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.QUERIED


def test_no_answer_when_no_question_was_asked(client, order):
    client.post(status_path(order) + "reply/", {"reply": "Hello"})
    assert order.status_changes.count() == 1
    with pytest.raises(OrderError):
        reply_to_query(order, "Hello")


@pytest.mark.parametrize("token", ["nope", "x" * 43])
def test_an_unknown_status_link_is_not_found(client, order, token):
    assert client.get(f"/orders/{token}/").status_code == 404


# --- Emails ---------------------------------------------------------------------------------


def test_emails_carry_no_health_details(order, pharmacist, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change_status(order, "query", pharmacist, message="Do you take warfarin?", note="x")
    [email] = mail.outbox
    for secret in ("Paracetamol", "warfarin", "ibuprofen", "1980", "07700", "High Street"):
        assert secret not in email.body and secret not in email.subject
    assert order.reference in email.subject and status_path(order) in email.body


def test_a_failing_mail_server_loses_no_order_and_the_command_retries(
    client, paracetamol, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.test_orders.BrokenBackend"
    add(client, pack_of(paracetamol))
    with django_capture_on_commit_callbacks(execute=True):
        response = check_out(client)
    assert response.status_code == 302
    order = Order.objects.get()
    email = OrderEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1 and "refused" in email.last_error
    assert "Could not send the confirmation email" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_order_emails")
    email.refresh_from_db()
    assert email.sent_at is not None and mail.outbox[-1].to == [order.email]
    call_command("send_order_emails")  # nothing sent twice
    assert len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused by the mail server")


# --- Orders from a prescriber (issue 20) -------------------------------------------------------


def test_place_prescribed_order_waits_for_the_pharmacists_check(product_index):
    pom = ProductPageFactory(
        parent=product_index, legal_status=LegalStatus.PRESCRIPTION_ONLY, packs=[28, 56]
    )
    pack = pom.pack_sizes.get(quantity=56)
    prescriber = UserFactory(username="dr-who", first_name="Ada", last_name="Lovelace")
    order = place_prescribed_order(
        {
            "name": "Jo Evans",
            "email": "jo@example.com",
            "phone": "07700900123",
            "date_of_birth": date(1970, 1, 2),
            "fulfilment": "collection",
        },
        pom,
        pack,
        2,
        prescriber,
        "C-123",
    )
    assert order.status == OrderStatus.PRESCRIBED and order.awaits_check
    assert (order.prescriber, order.consultation_reference) == ("Ada Lovelace", "C-123")
    assert order.subtotal == pack.price * 2
    line = order.lines.get()
    assert (line.pack, line.count, line.legal_status) == (pack, 2, "pom")
    change = order.status_changes.get()
    assert change.by == prescriber and change.to_status == "prescribed"
    assert Order.objects.awaiting_check().get() == order
    with pytest.raises(OrderError):
        place_prescribed_order({}, pom, PackSizeFactory(), 1, prescriber, "C-124")


# --- Housekeeping ---------------------------------------------------------------------------


def test_history_is_never_deleted(order):
    with pytest.raises(PermissionError):
        order.status_changes.get().delete()
    with pytest.raises(PermissionError):
        StatusChange.objects.all().delete()
    assert StatusChange.objects.count() == 1


def close(order, pharmacist, years_ago):
    for action in ("pass", "dispatch", "complete"):
        change_status(order, action, pharmacist)
    Order.objects.filter(pk=order.pk).update(
        updated_at=timezone.now() - timedelta(days=365 * years_ago + 2)
    )


def test_purge_orders_anonymises_closed_orders_past_the_retention_period(
    client, paracetamol, pharmacist
):
    settings = PharmacySettings.load()
    settings.order_retention_years = 2
    settings.save()
    orders = []
    for _ in range(3):
        add(client, pack_of(paracetamol))
        check_out(client)
        orders.append(Order.objects.latest("pk"))
    old, recent, open_old = orders
    close(old, pharmacist, years_ago=3)
    close(recent, pharmacist, years_ago=1)
    Order.objects.filter(pk=open_old.pk).update(updated_at=timezone.now() - timedelta(days=2000))
    old_token = old.status_token

    with pytest.raises(CommandError):
        call_command("purge_orders", "--older-than", "1")  # less than the setting
    call_command("purge_orders", "--older-than", "2")

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.name, old.phone, old.date_of_birth, old.postcode) == (REMOVED, "", None, "")
    assert old.note_to_pharmacist == "" and old.email == "removed@invalid"
    assert old.lines.count() == 1 and old.status_changes.count() == 4  # history kept
    assert client.get(f"/orders/{old_token}/").status_code == 404
    for kept in (recent, open_old):
        kept.refresh_from_db()
        assert kept.anonymised_at is None and kept.name == "Sam Patel"


def test_purge_orders_needs_the_retention_setting(db):
    with pytest.raises(CommandError, match="Set the retention period"):
        call_command("purge_orders", "--older-than", "5")


def test_customer_status_words(db):
    assert order_emails.customer_status(OrderStatus.DISPATCHED) == "dispatched"


@pytest.mark.parametrize(
    "path", ["/orders/%00/", "/orders/a%00b/reply/", "/checkout/confirmation/%00/"]
)
def test_a_nul_byte_in_a_link_is_not_found_not_an_error(client, path):
    assert client.get(path).status_code == 404


def test_under_consultation_first_a_prescription_only_line_stops_the_checkout(
    client, product_index, seed_mode
):
    """A line put in the cart under "the customer sends a prescription" cannot be ordered
    once the pharmacy switches to "consultation first": the supply rules stop it."""
    pom = ProductPageFactory(
        parent=product_index, legal_status=LegalStatus.PRESCRIPTION_ONLY, packs=[28]
    )
    add(client, pack_of(pom))
    seed_mode.prescription_only_supply = "consultation"
    seed_mode.save()
    response = check_out(client)
    assert response.status_code == 200
    assert "it can only be supplied after a consultation with our prescriber" in (
        response.content.decode()
    )
    assert not Order.objects.exists()


def test_a_quantity_limit_is_enforced_again_at_the_checkout(client, paracetamol):
    add(client, pack_of(paracetamol), 3)
    paracetamol.max_packs_per_order = 2
    paracetamol.save_revision().publish()
    response = check_out(client)
    assert response.status_code == 200
    assert f"One order may hold at most 2 packs of {paracetamol.title}" in (
        response.content.decode()
    )
    assert not Order.objects.exists()
