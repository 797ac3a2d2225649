"""Pharmacy settings changed in the admin show up on the product page and footer."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from home.site_settings import PharmacySettings
from tests.factories import PackSizeFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


def settings_url():
    """The settings edit view (the pk-less URL only redirects here)."""
    pk = PharmacySettings.load().pk
    return reverse("wagtailsettings:edit", args=("home", "pharmacysettings", pk))


def settings_form(**changes):
    data = {
        "pharmacy_name": "Formulary Pharmacy",
        "registration_number": "",
        "phone": "",
        "email": "",
        "address": "",
        "currency": "GBP",
        "free_shipping_label": "+ Free Shipping",
        "shipping_returns_text": "",
        "ordering_instructions": "Call us to order.",
        "adverse_event_url": "https://yellowcard.mhra.gov.uk/",
        "review_notification_emails": "",
        "payment_instructions": "We call you to take payment.",
        "prescription_instructions": "Post your prescription to us.",
        "terms_url": "",
        "privacy_url": "",
        "order_retention_years": "",
        **changes,
    }
    return nested_form_data(data)


@pytest.fixture
def product(product_index):
    page = ProductPageFactory(
        parent=product_index, title="Baclofen 40 mg", slug="baclofen-40-mg", free_shipping=True
    )
    PackSizeFactory(page=page, quantity=30, price=Decimal("24.00"))
    return page


def test_settings_changes_appear_on_the_product_page(admin_client, client, product):
    response = admin_client.post(
        settings_url(),
        settings_form(
            pharmacy_name="Riverside Pharmacy",
            registration_number="1234567",
            phone="020 7946 0000",
            email="hello@riverside.test",
            address="1 River Street\nLondon",
            currency="EUR",
            free_shipping_label="Free delivery in 2 days",
            shipping_returns_text="We ship in plain packaging.\n\nUnopened packs can be returned.",
            adverse_event_url="https://example.org/report-a-side-effect",
        ),
    )
    assert response.status_code == 302
    assert PharmacySettings.load().currency == "EUR"

    html = client.get(product.url).content.decode()
    assert "€24.00" in html and "£24.00" not in html
    assert "Free delivery in 2 days" in html
    assert "Riverside Pharmacy" in html
    assert "Registered pharmacy number: 1234567" in html
    assert 'href="tel:02079460000"' in html
    assert "1 River Street<br>London" in html
    assert (
        '<a class="side-effect-report__link" href="https://example.org/report-a-side-effect"'
        in html
    )
    assert "Report a suspected side effect</a>" in html
    assert "<p>We ship in plain packaging.</p>" in html
    assert "<p>Unopened packs can be returned.</p>" in html


def test_every_product_page_links_to_side_effect_reporting(client, product):
    html = client.get(product.url).content.decode()
    assert 'href="https://yellowcard.mhra.gov.uk/"' in html
    assert "Report a suspected side effect" in html
    # No shipping section when the pharmacy has not written one.
    assert "Shipping and returns" not in html


def test_bad_settings_are_rejected_with_a_clear_error(admin_client, client, product):
    response = admin_client.post(
        settings_url(), settings_form(adverse_event_url="not a link", currency="XYZ")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid URL." in html
    assert "Select a valid choice." in html
    assert PharmacySettings.load().currency == "GBP"
    assert "£24.00" in client.get(product.url).content.decode()


def test_every_settings_field_has_help_text():
    for field in PharmacySettings._meta.get_fields():
        if getattr(field, "editable", False) and not field.auto_created and field.name != "id":
            assert field.help_text, field.name


def test_order_settings_change_the_cart_and_the_checkout(admin_client, client, product):
    assert client.post("/cart/add/", {"pack": product.pack_sizes.get().pk, "count": 1})
    response = admin_client.post(
        settings_url(),
        settings_form(
            payment_instructions="Pay when you collect.",
            terms_url="https://pharmacy.test/terms/",
            privacy_url="https://pharmacy.test/privacy/",
            order_retention_years="6",
        ),
    )
    assert response.status_code == 302
    assert PharmacySettings.load().order_retention_years == 6
    assert "Pay when you collect." in client.get("/cart/").content.decode()
    checkout = client.get("/checkout/").content.decode()
    assert "Pay when you collect." in checkout
    assert '<a href="https://pharmacy.test/terms/">terms of sale</a>' in checkout

    phone_only = settings_form(phone="020 7946 0000", phone_orders_only="on")
    assert admin_client.post(settings_url(), phone_only).status_code == 302
    cart = client.get("/cart/").content.decode()
    assert "Call us to order." in cart and 'href="tel:02079460000"' in cart
    assert 'href="/checkout/"' not in cart
