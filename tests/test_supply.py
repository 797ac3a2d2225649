"""The supply rules (catalog/supply.py): what each legal status shows and allows, in each mode,
through the rendered pages, the cart endpoints (form and JSON), the JSON-LD and the API."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.cart.models import Cart, CartLine
from catalog.cart.session import SESSION_KEY
from catalog.models import ActiveIngredient, LegalStatus, ProductIngredient, ProductPage
from catalog.supply import CONSULTATION, PACK_LIMIT, UNIT_LIMIT, SupplyRules
from home.site_settings import PharmacySettings, PrescriptionOnlySupply
from tests.factories import PackSizeFactory, ProductPageFactory, ReviewFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
CONSULTATION_FIRST = PrescriptionOnlySupply.CONSULTATION_FIRST
SENDS_PRESCRIPTION = PrescriptionOnlySupply.CUSTOMER_SENDS_PRESCRIPTION


def set_rules(supply=CONSULTATION_FIRST, promote=False, **fields):
    pharmacy = PharmacySettings.load()
    pharmacy.prescription_only_supply = supply
    pharmacy.promote_prescription_only = promote
    for name, value in fields.items():
        setattr(pharmacy, name, value)
    pharmacy.save()
    return pharmacy


def shop_product(product_index, title, legal_status):
    """A product with every shop feature switched on: badge, previous price, reviews."""
    product = ProductPageFactory(
        parent=product_index,
        title=title,
        legal_status=legal_status,
        free_shipping=True,
        accept_reviews=True,
    )
    PackSizeFactory(
        page=product, quantity=30, price=Decimal("24.00"), previous_price=Decimal("30.00")
    )
    PackSizeFactory(page=product, quantity=90, price=Decimal("57.00"))
    ReviewFactory.create_batch(2, product=product, rating=5, text="Worked for me, five stars.")
    return product


@pytest.fixture
def pom(product_index):
    return shop_product(product_index, "Baclofen 40 mg", LegalStatus.PRESCRIPTION_ONLY)


@pytest.fixture
def gsl(product_index):
    return shop_product(product_index, "Ibuprofen 200 mg", LegalStatus.GENERAL_SALE)


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def add(client, pack, count=1, **extra):
    return client.post("/cart/add/", {"pack": pack.pk, "count": count}, **extra)


def lines_of(client):
    token = client.session.get(SESSION_KEY)
    return dict(
        CartLine.objects.filter(cart__token=token).values_list("pack_id", "count") if token else []
    )


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def drug_node(html):
    return next(n for n in json_ld(html)["@graph"] if "Drug" in n["@type"])


# The product page ------------------------------------------------------------------------


def test_a_pom_page_under_the_defaults_is_a_price_list_and_a_consultation(client, pom):
    set_rules(phone="020 7946 0123", prescribers="Dr A. Name, GP, GMC number 1234567")
    html = html_of(client, pom.url)
    assert 'type="radio"' not in html and "Add to cart" not in html
    assert 'action="/cart/add/"' not in html
    assert '<table class="price-list">' in html and "<caption>Prices</caption>" in html
    assert '<th scope="row">30 tablets</th>' in html
    assert "<td>£24.00</td>" in html and "£0.80 per tablet" in html
    assert "<del>" not in html and "£30.00" not in html  # no struck-through price
    assert '<h2 id="consultation-cta-heading">Start a consultation</h2>' in html
    assert "one of our prescribers asks about your health" in html
    assert (
        f'<a class="button" href="/consultations/start/{pom.pk}/">Start a consultation</a>' in html
    )
    assert 'You can also call us on <a href="tel:02079460123">020 7946 0123</a>' in html
    # No promotion: reviews, stars, review form and badge are gone; the reviews are kept.
    assert 'id="reviews"' not in html and "customer review" not in html
    assert "review-form" not in html and "+ Free Shipping" not in html
    assert pom.reviews.approved().count() == 2
    # Who prescribes, on prescription-only pages.
    assert "Our prescribers" in html and "Dr A. Name, GP, GMC number 1234567" in html


def test_the_seed_behaviour_is_one_settings_change_away(client, pom, seed_mode):
    html = html_of(client, pom.url)
    assert 'type="radio"' in html and "Add to cart" in html
    assert "Start a consultation" not in html and "price-list" not in html
    assert 'id="reviews"' in html and "2 customer reviews" in html
    assert "+ Free Shipping" in html and "<del>" in html


def test_prescription_mode_without_promotion_sells_but_does_not_promote(client, pom):
    set_rules(SENDS_PRESCRIPTION, promote=False)
    html = html_of(client, pom.url)
    assert 'type="radio"' in html and "Add to cart" in html
    assert 'id="reviews"' not in html and "+ Free Shipping" not in html and "<del>" not in html


@pytest.mark.parametrize("mode", [CONSULTATION_FIRST, SENDS_PRESCRIPTION])
def test_a_general_sale_page_keeps_every_shop_feature(client, gsl, mode):
    set_rules(mode)
    html = html_of(client, gsl.url)
    assert 'type="radio"' in html and "Add to cart" in html
    assert "Start a consultation" not in html and "Our prescribers" not in html
    assert 'id="reviews"' in html and "2 customer reviews" in html and "review-form" in html
    assert "+ Free Shipping" in html and "<del>" in html


def test_the_review_address_of_a_pom_is_not_found_under_the_defaults(client, pom):
    data = {"rating": "5", "text": "A review long enough to be accepted.", "author_name": "A"}
    response = client.post(pom.url + "reviews/add/", data)
    assert response.status_code == 404
    set_rules(promote=True)
    assert client.post(pom.url + "reviews/add/", data).status_code != 404


# Listings --------------------------------------------------------------------------------


def test_listings_show_no_price_or_badge_for_a_pom_under_the_defaults(client, pom, gsl):
    html = html_of(client, "/products/")
    pom_card, gsl_card = (
        re.search(rf'<li class="product-card">(?:(?!</li>).)*{title}.*?</li>', html, re.S)[0]
        for title in ["Baclofen 40 mg", "Ibuprofen 200 mg"]
    )
    assert "£" not in pom_card and "Free Shipping" not in pom_card
    assert "Prescription-only medicine" in pom_card  # its legal status, without a price
    assert "From <strong>£24.00</strong>" in gsl_card and "Free Shipping" in gsl_card

    set_rules(promote=True)
    assert html_of(client, "/products/").count("From <strong>£24.00</strong>") == 2


def test_search_shows_no_price_for_a_pom(client, pom):
    html = html_of(client, "/search/?q=Baclofen")
    assert "Baclofen 40 mg" in html and "£" not in html


# The cart --------------------------------------------------------------------------------


def test_the_cart_refuses_a_pom_pack_by_form_and_stores_nothing(client, pom):
    response = add(client, pom.pack_sizes.first())
    # Its page has no add-to-cart form to show the refusal at: the cart page says why.
    assert response.status_code == 302 and response["Location"] == "/cart/#main"
    assert not Cart.objects.exists() and SESSION_KEY not in client.session
    html = html_of(client, "/cart/")
    assert "Baclofen 40 mg is a prescription-only medicine" in html
    assert "cannot be added to the cart" in html and "Nothing was added." in html


def test_the_cart_refuses_a_pom_pack_by_json(client, pom):
    response = add(client, pom.pack_sizes.first(), **JSON)
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False and "prescription-only medicine" in answer["message"]
    assert not CartLine.objects.exists()


def test_in_prescription_mode_a_pom_goes_in_the_cart_marked_prescription_required(client, pom):
    set_rules(SENDS_PRESCRIPTION)
    pack = pom.pack_sizes.get(quantity=90)
    assert add(client, pack, **JSON).json()["ok"] is True
    assert lines_of(client) == {pack.pk: 1}
    html = html_of(client, "/cart/")
    assert '<span class="cart-line__prescription">Prescription required</span>' in html
    assert "+ Free Shipping" not in html  # not promoted, in the cart either
    set_rules(SENDS_PRESCRIPTION, promote=True)
    assert "+ Free Shipping" in html_of(client, "/cart/")


def test_a_pom_line_from_before_is_shown_as_unavailable(client, pom, gsl):
    set_rules(SENDS_PRESCRIPTION)
    add(client, pom.pack_sizes.get(quantity=90))
    add(client, gsl.pack_sizes.get(quantity=30))
    set_rules(CONSULTATION_FIRST)
    html = html_of(client, "/cart/")
    assert "Some items in your cart cannot be ordered" in html
    assert "only be supplied after a consultation with our prescriber" in html
    assert "Subtotal (1 item)" in html and '<td class="cart-subtotal">£24.00</td>' in html
    assert "Prescription required" not in html


# Quantity limits ---------------------------------------------------------------------------


@pytest.fixture
def paracetamol(product_index):
    """Two products of one ingredient limited to 32 units an order (packs of 16 and 32)."""
    ingredient = ActiveIngredient.objects.create(name="Paracetamol", max_units_per_order=32)
    products = []
    for title, quantity in [("Paracetamol 500 mg", 16), ("Paracetamol caplets", 32)]:
        product = ProductPageFactory(
            parent=product_index, title=title, legal_status=LegalStatus.GENERAL_SALE
        )
        PackSizeFactory(page=product, quantity=quantity, price=Decimal("1.00"))
        ProductIngredient.objects.create(page=product, ingredient=ingredient, strength=500)
        products.append(product)
    return products


def test_a_product_pack_limit_is_refused_by_form_and_json(client, gsl):
    gsl.max_packs_per_order = 2
    gsl.save_revision().publish()
    small, large = gsl.pack_sizes.get(quantity=30), gsl.pack_sizes.get(quantity=90)
    assert add(client, small, 2).status_code == 302
    response = add(client, large, 1, **JSON)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "One order may hold at most 2 packs of Ibuprofen 200 mg: reduce the number of packs. "
        "Nothing was added."
    )
    refused = add(client, small, 1)  # the product page again, the refusal at its form
    assert refused.status_code == 200 and refused["Cache-Control"] == "private, no-store"
    assert (
        '<li><a href="#add-to-cart-count">One order may hold at most 2 packs of Ibuprofen 200 mg'
        in refused.content.decode()
    )
    assert lines_of(client) == {small.pk: 2}


def test_an_ingredient_unit_limit_counts_across_products(client, paracetamol):
    tablets, caplets = (product.pack_sizes.get() for product in paracetamol)
    assert add(client, tablets, 2, **JSON).json()["ok"] is True  # 32 tablets: the most
    response = add(client, caplets, 1, **JSON)
    assert response.status_code == 400
    assert (
        "at most 32 tablets of paracetamol, across all the products" in response.json()["message"]
    )
    assert lines_of(client) == {tablets.pk: 2}


def test_a_count_update_beyond_a_limit_is_refused(client, paracetamol):
    tablets = paracetamol[0].pack_sizes.get()
    add(client, tablets, 1)
    line = CartLine.objects.get()
    response = client.post("/cart/update/", {"line": line.pk, "count": 3})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.count == 1
    assert "at most 32 tablets of paracetamol" in html_of(client, "/cart/")
    assert client.post("/cart/update/", {"line": line.pk, "count": 2}).status_code == 302
    line.refresh_from_db()
    assert line.count == 2


def test_the_cart_page_enforces_a_limit_lowered_after_adding(client, paracetamol):
    tablets = paracetamol[0].pack_sizes.get()
    add(client, tablets, 2)
    ActiveIngredient.objects.update(max_units_per_order=16)
    html = html_of(client, "/cart/")
    assert "Some items are over the most one order may hold" in html
    assert "One order may hold at most 16 tablets of paracetamol" in html


def test_cart_problems_for_lines_from_outside_the_cart(paracetamol, pom, gsl):
    """The checkout (orders) asks the same question with its own lines."""

    class Line:
        def __init__(self, pack, count):
            self.pack, self.count = pack, count

    gsl.max_packs_per_order = 1
    gsl.save()
    lines = [
        Line(pom.pack_sizes.first(), 1),
        Line(gsl.pack_sizes.first(), 2),
        Line(paracetamol[0].pack_sizes.get(), 1),
        Line(paracetamol[1].pack_sizes.get(), 1),
        Line(None, 1),
    ]
    problems = SupplyRules().cart_problems(lines)
    kinds = [[problem.kind for problem in found] for found in problems]
    assert kinds == [[CONSULTATION], [PACK_LIMIT], [UNIT_LIMIT], [UNIT_LIMIT], []]
    assert SupplyRules(SENDS_PRESCRIPTION).cart_problems(lines[:1]) == [[]]


def test_cart_problems_cost_one_query_whatever_the_lines(
    paracetamol, product_index, django_assert_num_queries
):
    more = [ProductPageFactory(parent=product_index, packs=[10]) for _ in range(5)]

    class Line:
        def __init__(self, pack):
            self.pack, self.count = pack, 1

    lines = [Line(p.pack_sizes.select_related("page").get()) for p in [*paracetamol, *more]]
    with django_assert_num_queries(1):
        SupplyRules().cart_problems(lines)


# JSON-LD and the API -----------------------------------------------------------------------


def test_the_json_ld_of_a_pom_is_a_drug_with_no_offers_or_reviews(client, pom):
    html = html_of(client, pom.url)
    graph = json_ld(html)["@graph"]
    assert graph[0]["@type"] == "MedicalWebPage"
    drug = drug_node(html)
    assert drug["@type"] == "Drug"
    assert not {"offers", "aggregateRating", "review"} & set(drug)

    set_rules(SENDS_PRESCRIPTION, promote=True)
    drug = drug_node(html_of(client, pom.url))
    assert drug["@type"] == ["Product", "Drug"]
    assert {"offers", "aggregateRating", "review"} <= set(drug)


def test_the_json_ld_of_a_general_sale_medicine_keeps_its_offers(client, gsl):
    drug = drug_node(html_of(client, gsl.url))
    # A medicine that may be promoted is a merchant listing: an Offer per pack (its variants).
    assert drug["@type"] == ["ProductGroup", "Drug"]
    assert [variant["offers"]["@type"] for variant in drug["hasVariant"]] == ["Offer", "Offer"]
    assert drug["aggregateRating"]["reviewCount"] == 2


def api_item(client, product):
    items = client.get("/api/v2/products/").json()["items"]
    return next(item for item in items if item["id"] == product.pk)


def test_the_api_publishes_no_promotion_of_a_pom_under_the_defaults(client, pom, gsl):
    item = api_item(client, pom)
    assert item["free_shipping"] is False
    assert item["average_rating"] is None and item["review_count"] is None
    assert [pack["previous_price"] for pack in item["pack_sizes"]] == [None, None]
    assert [pack["price"] for pack in item["pack_sizes"]] == ["24.00", "57.00"]  # a price list
    assert item["supply"] == {
        "may_add_to_cart": False,
        "needs_consultation": True,
        "prescription_required": True,
        "promotion_allowed": False,
        "max_packs_per_order": None,
    }
    other = api_item(client, gsl)
    assert other["free_shipping"] is True and other["review_count"] == 2
    assert other["pack_sizes"][0]["previous_price"] == "30.00"
    assert other["supply"]["may_add_to_cart"] is True

    set_rules(SENDS_PRESCRIPTION, promote=True)
    item = api_item(client, pom)
    assert item["free_shipping"] is True and item["review_count"] == 2
    assert (
        item["supply"]["may_add_to_cart"] is True and item["supply"]["needs_consultation"] is False
    )


# The admin -----------------------------------------------------------------------------------


def test_the_product_editor_says_what_visitors_can_do(admin_client, pom, paracetamol):
    edit = reverse("wagtailadmin_pages:edit", args=(pom.pk,))
    html = admin_client.get(edit).content.decode()
    assert "What visitors can do with this product" in html
    assert (
        "Prescription-only medicine: visitors see a price list and start a consultation with a "
        "prescriber; they cannot add it to the cart; reviews, ratings, the free-shipping badge "
        "and previous prices are hidden, and listings show no price." in html
    )
    assert "Under the default supply rules" in html  # beside the accept-reviews switch

    set_rules(SENDS_PRESCRIPTION)
    html = admin_client.get(edit).content.decode()
    assert "the pharmacy checks their prescription before dispatch" in html

    edit = reverse("wagtailadmin_pages:edit", args=(paracetamol[0].pk,))
    html = admin_client.get(edit).content.decode()
    assert "General sale: visitors choose a pack and add it to the cart." in html
    assert "Paracetamol: at most 32 units an order, across products." in html


def test_an_editor_sets_an_ingredient_limit_in_the_admin(admin_client):
    ingredient = ActiveIngredient.objects.create(name="Codeine")
    url = reverse("wagtailsnippets_catalog_activeingredient:edit", args=(ingredient.pk,))
    response = admin_client.post(url, {"name": "Codeine", "max_units_per_order": "0"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    response = admin_client.post(url, {"name": "Codeine", "max_units_per_order": "32"})
    assert response.status_code == 302
    ingredient.refresh_from_db()
    assert ingredient.max_units_per_order == 32


def test_an_editor_sets_a_pack_limit_on_the_product_tab(admin_client, client, product_index):
    from tests.admin_forms import add_url, pack, product_form_data

    data = product_form_data(legal_status="gsl", packs=[pack(16, "1.00")], max_packs_per_order="0")
    response = admin_client.post(add_url(product_index), data)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    data = product_form_data(legal_status="gsl", packs=[pack(16, "1.00")], max_packs_per_order="1")
    response = admin_client.post(add_url(product_index), data)
    assert response.status_code == 302
    product = ProductPage.objects.get(slug="baclofen-10-mg")
    assert product.max_packs_per_order == 1
    response = add(client, product.pack_sizes.get(), 2, **JSON)
    assert response.status_code == 400
    assert "at most 1 pack of Baclofen 10 mg" in response.json()["message"]
