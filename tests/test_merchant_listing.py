"""Merchant-listing data for products that may be promoted, GTINs in the admin, ?pack=N."""

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.gtin import ean13_check_digit, validate_ean13
from catalog.models import LegalStatus, PackSize, ProductCategory, ProductPage
from home.site_settings import PharmacySettings
from tests.admin_forms import add_url, edit_url, pack, product_form_data
from tests.factories import ImageFactory, PackSizeFactory, ProductPageFactory

pytestmark = pytest.mark.django_db

URL = "http://localhost/products/paracetamol-500-mg/"
GTIN = "5012345678900"  # a made-up number with a valid check digit


def graph(client, page, query=""):
    html = client.get(page.url + query).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)["@graph"]


def product_node(client, page):
    return next(node for node in graph(client, page) if node["@id"].endswith("#product"))


@pytest.fixture
def paracetamol(product_index):
    product = ProductPageFactory(
        parent=product_index,
        title="Paracetamol 500 mg",
        sku="PAR-500",
        legal_status=LegalStatus.GENERAL_SALE,
        free_shipping=True,
        brand="Example Pharma",
        image=ImageFactory(),
        packs=[],
    )
    PackSizeFactory(page=product, quantity=16, price=Decimal("1.20"), gtin=GTIN)
    PackSizeFactory(page=product, quantity=32, price=Decimal("2.00"), in_stock=False)
    return product


# GTIN --------------------------------------------------------------------------------------


def test_ean13_check_digit():
    assert ean13_check_digit("501234567890") == 0
    assert ean13_check_digit("400638133393") == 1  # 4006381333931, a published example
    validate_ean13("4006381333931")


@pytest.mark.parametrize(
    "value, message",
    [
        ("4006381333932", "last digit does not match the others (it should be 1)"),
        ("400638133393", "the 13 digits under the pack's barcode"),
        ("4006 381333931", "the 13 digits under the pack's barcode"),
        ("40063813339ab", "the 13 digits under the pack's barcode"),
    ],
)
def test_a_wrong_gtin_is_refused(value, message):
    with pytest.raises(ValidationError) as raised:
        validate_ean13(value)
    assert message in " ".join(raised.value.messages)


def test_the_editor_enters_a_gtin_and_a_brand_and_a_typo_is_caught(admin_client, product_index):
    typo = {**pack(30, "10.00"), "gtin": "5012345678901"}
    data = product_form_data(packs=[typo], brand="Example Pharma")
    response = admin_client.post(add_url(product_index), data)
    assert response.status_code == 200  # the form again, with the error at the field
    assert "should be 0" in response.content.decode()
    assert 'value="5012345678901"' in response.content.decode()  # as typed
    assert not ProductPage.objects.exists()

    fixed = {**pack(30, "10.00"), "gtin": GTIN}
    response = admin_client.post(
        add_url(product_index), product_form_data(packs=[fixed], brand="Example Pharma")
    )
    assert response.status_code == 302
    page = ProductPage.objects.get()
    assert page.brand == "Example Pharma"
    assert PackSize.objects.get().gtin == GTIN


# The JSON-LD -------------------------------------------------------------------------------


def test_a_product_that_may_be_promoted_is_a_product_group_with_an_offer_per_pack(
    client, paracetamol
):
    node = product_node(client, paracetamol)
    assert node["@type"] == ["ProductGroup", "Drug"]
    assert "offers" not in node  # each variant has its own
    assert node["productGroupID"] == "PAR-500"
    assert node["variesBy"] == "https://schema.org/size"
    assert node["brand"] == {"@type": "Brand", "name": "Example Pharma"}
    assert node["image"].startswith("http://")  # absolute
    first, second = node["hasVariant"]
    assert first["@type"] == "Product" and first["name"] == "Paracetamol 500 mg, 16 tablets"
    assert first["gtin13"] == GTIN and "gtin13" not in second
    assert first["image"] == node["image"] and first["brand"] == node["brand"]
    offer = first["offers"]
    assert offer["@type"] == "Offer"
    assert offer["url"] == URL + "?pack=16" and second["offers"]["url"] == URL + "?pack=32"
    assert (offer["price"], offer["priceCurrency"]) == ("1.20", "GBP")
    assert offer["availability"] == "https://schema.org/InStock"
    assert second["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert offer["itemCondition"] == "https://schema.org/NewCondition"
    assert offer["shippingDetails"]["shippingRate"] == {
        "@type": "MonetaryAmount",
        "value": "0.00",
        "currency": "GBP",
    }  # free shipping
    assert offer["shippingDetails"]["shippingDestination"]["addressCountry"] == "GB"
    assert offer["hasMerchantReturnPolicy"] == {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": "GB",
        "returnPolicyCategory": "https://schema.org/MerchantReturnNotPermitted",
    }


def test_shipping_and_returns_come_from_the_settings(client, paracetamol):
    paracetamol.free_shipping = False
    paracetamol.save_revision().publish()
    offer = product_node(client, paracetamol)["hasVariant"][0]["offers"]
    assert "shippingDetails" not in offer  # no price stated: none invented

    settings = PharmacySettings.load()
    settings.shipping_price = Decimal("3.95")
    settings.delivery_days_min, settings.delivery_days_max = 1, 3
    settings.returns_accepted, settings.return_days = True, 14
    settings.save()
    offer = product_node(client, paracetamol)["hasVariant"][0]["offers"]
    assert offer["shippingDetails"]["shippingRate"]["value"] == "3.95"
    transit = offer["shippingDetails"]["deliveryTime"]["transitTime"]
    assert (transit["minValue"], transit["maxValue"], transit["unitCode"]) == (1, 3, "DAY")
    policy = offer["hasMerchantReturnPolicy"]
    assert policy["returnPolicyCategory"] == "https://schema.org/MerchantReturnFiniteReturnWindow"
    assert policy["merchantReturnDays"] == 14


def test_a_prescription_only_medicine_is_never_a_merchant_listing(client, paracetamol):
    paracetamol.legal_status = LegalStatus.PRESCRIPTION_ONLY
    paracetamol.save_revision().publish()
    node = product_node(client, paracetamol)
    assert "ProductGroup" not in node["@type"] and "hasVariant" not in node
    assert "hasMerchantReturnPolicy" not in json.dumps(node)


def test_the_settings_refuse_what_does_not_add_up():
    settings = PharmacySettings.load()
    settings.delivery_days_min, settings.delivery_days_max = 5, 2
    settings.returns_accepted, settings.return_days = True, None
    settings.shipping_country = "United Kingdom"
    with pytest.raises(ValidationError) as raised:
        settings.full_clean()
    assert set(raised.value.message_dict) == {
        "delivery_days_max",
        "return_days",
        "shipping_country",
    }


# ?pack=N -----------------------------------------------------------------------------------


def test_the_pack_link_is_the_same_page_for_everyone(client, paracetamol, settings):
    """?pack= is not part of the page cache's key (nor Varnish's): the page is the same bytes,
    and static/js/cart.js preselects the pack from the address."""
    assert "pack" not in settings.PAGE_CACHE_QUERY_PARAMS
    plain = client.get(paracetamol.url).content
    assert client.get(paracetamol.url + "?pack=32").content == plain
    assert b'data-pack-quantity="16"' in plain


def test_varnish_drops_the_pack_parameter_too():
    from pathlib import Path

    vcl = Path("deploy/varnish/formulary.vcl").read_text()
    kept = re.search(r"\(\?!\(\?:([a-z|]+)\)=\)", vcl).group(1).split("|")
    assert "pack" not in kept


# The Categories panel ----------------------------------------------------------------------


def test_the_categories_panel_without_categories_links_to_adding_one(admin_client, paracetamol):
    html = admin_client.get(edit_url(paracetamol)).content.decode()
    assert "No categories yet." in html
    assert '<a href="/admin/snippets/catalog/productcategory/add/"' in html

    for i in range(30):
        ProductCategory.objects.create(name=f"Category {i:02d}", slug=f"category-{i:02d}")
    html = admin_client.get(edit_url(paracetamol)).content.decode()
    assert "No categories yet." not in html
    panel = html[html.index('<div class="categories-panel">') :]
    assert panel.count('type="checkbox" name="categories"') == 30
    assert "css/admin.css" in html  # its columns keep many categories compact
