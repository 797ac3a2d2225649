"""Pharmacy settings changed in the admin show up on the product page and footer."""

import json
import re
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
        "prescription_only_supply": "consultation",
        "complaints": "Ask for the superintendent pharmacist.",
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
    assert "<dt>GPhC premises registration number</dt><dd>1234567</dd>" in html
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


IDENTITY = {
    "legal_owner": "Riverside Pharmacy Ltd",
    "registered_address": "2 Quay Road\nBristol",
    "registration_number": "1234567",
    "register_entry_url": "https://www.pharmacyregulation.org/registers/pharmacy/1234567",
    "superintendent_name": "B. Jones",
    "superintendent_registration_number": "2345678",
    "company_number": "SC123456",
    "cqc_registration": "1-123456789",
    "complaints": "Write to the superintendent pharmacist.",
    "complaints_escalation": "Then to the GPhC.",
    "prescribers": "Dr C. Lee, GP, GMC number 7654321",
}


def test_the_pharmacys_identity_is_in_every_footer(admin_client, client, product):
    response = admin_client.post(settings_url(), settings_form(**IDENTITY))
    assert response.status_code == 302, response.content.decode()
    for url in ["/", "/products/", product.url, "/cart/", "/search/"]:
        html = client.get(url).content.decode()
        assert "<dt>Owner</dt><dd>Riverside Pharmacy Ltd</dd>" in html, url
        assert "2 Quay Road<br>Bristol" in html
        assert (
            '<a href="https://www.pharmacyregulation.org/registers/pharmacy/1234567" '
            'rel="external">1234567<span class="visually-hidden"> on the GPhC register</span></a>'
        ) in html
        assert "B. Jones, GPhC registration number 2345678" in html
        assert "<dd>SC123456</dd>" in html and "<dd>1-123456789</dd>" in html
        assert "Write to the superintendent pharmacist." in html and "Then to the GPhC." in html


def test_the_home_page_has_the_pharmacys_json_ld(admin_client, client, home):
    admin_client.post(settings_url(), settings_form(**IDENTITY))
    html = client.get("/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "Pharmacy" and data["legalName"] == "Riverside Pharmacy Ltd"
    assert data["sameAs"] == IDENTITY["register_entry_url"]
    assert {"propertyID": "GPhC premises registration number", "value": "1234567"} in [
        {k: v for k, v in i.items() if k != "@type"} for i in data["identifier"]
    ]
    assert data["employee"]["name"] == "B. Jones"
    assert data["employee"]["identifier"]["value"] == "2345678"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("registration_number", "123", "A GPhC registration number has 7 digits"),
        ("superintendent_registration_number", "12x4567", "A GPhC registration number has 7"),
        ("register_entry_url", "https://example.com/me", "your entry on the GPhC register"),
        ("company_number", "123", "A company number has 8 characters"),
        ("cqc_registration", "ABC", "A CQC ID starts with"),
        ("prescribers", "Dr Nobody", "Write one prescriber a line"),
    ],
)
def test_each_identity_field_is_validated_beside_the_field(admin_client, field, value, message):
    response = admin_client.post(settings_url(), settings_form(**{**IDENTITY, field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert value in html  # nothing typed is lost
    assert PharmacySettings.load().legal_owner == ""


def test_a_register_logo_needs_a_link(admin_client):
    from tests.factories import ImageFactory

    image = ImageFactory(title="GPhC registered pharmacy logo")
    data = {**IDENTITY, "register_entry_url": "", "register_logo": str(image.pk)}
    response = admin_client.post(settings_url(), settings_form(**data))
    assert response.status_code == 200
    assert "A register logo must link to the register entry" in response.content.decode()


def test_the_register_logo_links_to_the_register_entry(admin_client, client, home):
    from tests.factories import ImageFactory

    image = ImageFactory(title="GPhC registered pharmacy logo")
    data = {**IDENTITY, "register_logo": str(image.pk)}
    assert admin_client.post(settings_url(), settings_form(**data)).status_code == 302
    html = client.get("/").content.decode()
    logo = re.search(r'<p class="site-footer__logo">(.*?)</p>', html, re.S)[1]
    assert f'<a href="{IDENTITY["register_entry_url"]}" rel="external">' in logo
    assert 'alt="GPhC registered pharmacy logo"' in logo


def test_the_supply_mode_is_changed_in_the_settings_form(admin_client, client, product):
    from catalog.models import LegalStatus

    product.legal_status = LegalStatus.PRESCRIPTION_ONLY
    product.save_revision().publish()
    assert "Start a consultation" in client.get(product.url).content.decode()
    response = admin_client.post(
        settings_url(),
        settings_form(prescription_only_supply="prescription", promote_prescription_only="on"),
    )
    assert response.status_code == 302
    html = client.get(product.url).content.decode()
    assert "Add to cart" in html and "Start a consultation" not in html
    assert "+ Free Shipping" in html


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
