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
        "shipping_country": "GB",
        "shipping_price": "",
        "delivery_days_min": "",
        "delivery_days_max": "",
        "return_days": "",
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


def test_the_shopping_listing_settings_are_checked_in_the_admin(admin_client):
    response = admin_client.post(
        settings_url(),
        settings_form(
            shipping_country="gb",
            shipping_price="3.95",
            delivery_days_min="5",
            delivery_days_max="2",
            returns_accepted="on",
        ),
    )
    assert response.status_code == 200  # the form again, with each error at its field
    html = response.content.decode()
    assert "The most days cannot be fewer than the fewest days." in html
    assert "Say within how many days returns are accepted." in html
    assert 'value="3.95"' in html  # as typed

    response = admin_client.post(
        settings_url(),
        settings_form(
            shipping_country="gb",
            shipping_price="3.95",
            delivery_days_min="1",
            delivery_days_max="3",
        ),
    )
    assert response.status_code == 302
    saved = PharmacySettings.load()
    assert (saved.shipping_country, saved.returns_accepted) == ("GB", False)
