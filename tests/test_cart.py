"""The shopping cart as visitors use it: add, merge, update, remove, bad input, stale data."""

import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from catalog.cart.models import MAX_LINES, Cart, CartLine
from catalog.cart.session import SESSION_KEY
from catalog.models import LegalStatus
from home.site_settings import PharmacySettings
from tests import test_supply
from tests.factories import (
    CartFactory,
    CartLineFactory,
    PackSizeFactory,
    ProductPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

paracetamol = test_supply.paracetamol  # a fixture: two products under one quantity limit

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def baclofen(product_index):
    product = ProductPageFactory(
        parent=product_index, title="Baclofen 40 mg", slug="baclofen-40-mg", free_shipping=True
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    PackSizeFactory(page=product, quantity=90, price=Decimal("57.00"))
    return product


def pack_of(product, quantity):
    return product.pack_sizes.get(quantity=quantity)


def add(client, pack, count=1, **extra):
    return client.post("/cart/add/", {"pack": getattr(pack, "pk", pack), "count": count}, **extra)


def cart_of(client):
    """The client's cart lines as {pack_id: count}, read from the database."""
    token = client.session.get(SESSION_KEY)
    return dict(
        CartLine.objects.filter(cart__token=token).values_list("pack_id", "count") if token else []
    )


def page(client, url="/cart/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def messages_of(html):
    return re.search(r'<div class="messages".*?</div>', html, re.S).group(0)


def refused_at_the_product(response, title="Baclofen 40 mg"):
    """A refused plain add: its product page again, personal and never cached (as the review
    form shown again); the page's HTML."""
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies  # nothing stored for a refusal: no session, no message
    html = response.content.decode()
    assert f'<h1 id="product-title">{escape(title)}</h1>' in html
    return html


def add_to_cart_form(html):
    return re.search(r'<form class="add-to-cart".*?</form>', html, re.S).group(0)


def error_summary(html):
    """The add-to-cart form's error summary, or "" when there is none."""
    found = re.search(
        r'<div class="error-summary" id="add-to-cart-errors".*?</ul>\s*</div>\s*</div>', html, re.S
    )
    return found.group(0) if found else ""


def summary_links(html):
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', error_summary(html))


def give_cart(client, cart):
    session = client.session
    session[SESSION_KEY] = cart.token
    session.save()


# Adding


def test_add_without_javascript_goes_to_the_cart_with_a_message(client, baclofen):
    pack = pack_of(baclofen, 90)
    response = add(client, pack, 2)
    assert response.status_code == 302
    # Public pages show no messages of their own; its own fragment, not the form's.
    assert response.url == "/cart/#main"
    html = page(client, response.url)
    assert (
        'Baclofen 40 mg — 90 tablets added to your cart. <a href="/cart/">View your cart</a>'
        in messages_of(html)
    )
    assert cart_of(client) == {pack.pk: 2}
    assert (
        'Cart<span class="mini-cart__summary" data-mini-cart-summary>: 2 items, £114.00</span>'
        in html
    )


def test_adding_a_pack_already_in_the_cart_adds_to_its_line(client, baclofen):
    pack = pack_of(baclofen, 30)
    add(client, pack, 2)
    add(client, pack, 3)
    add(client, pack_of(baclofen, 90), 1)
    assert cart_of(client) == {pack.pk: 5, pack_of(baclofen, 90).pk: 1}
    html = page(client)
    assert html.count('<tr class="cart-line') == 2
    assert 'value="5"' in html


def test_adding_beyond_99_packs_is_capped_with_a_clear_message(client, baclofen):
    pack = pack_of(baclofen, 30)
    add(client, pack, 98)
    html = page(client, add(client, pack, 5).url)
    assert "1 more of Baclofen 40 mg — 30 tablets added: your cart now has 99" in html
    assert cart_of(client) == {pack.pk: 99}

    summary = error_summary(refused_at_the_product(add(client, pack, 1)))
    assert "Your cart already has 99 packs of Baclofen 40 mg — 30 tablets" in summary
    assert cart_of(client) == {pack.pk: 99}


def test_the_json_answer_for_javascript(client, baclofen):
    response = add(client, pack_of(baclofen, 90), 2, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["message"] == "Baclofen 40 mg — 90 tablets added to your cart."
    assert data["cart_url"] == "/cart/"
    assert data["count"] == 2
    assert data["subtotal"] == "114.00"
    assert 'href="/cart/"' in data["mini_cart"] and "2 items, £114.00" in data["mini_cart"]
    assert "messages" not in response.cookies  # the page shows the message itself

    bad = add(client, pack_of(baclofen, 90), 0, **JSON)
    assert bad.status_code == 400
    assert bad.json() == {"ok": False, "message": "Choose a number of packs from 1 to 99."}
    assert cart_of(client) == {pack_of(baclofen, 90).pk: 2}


def test_a_browser_accept_header_gets_the_redirect_not_json(client, baclofen):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = add(client, pack_of(baclofen, 30), 1, HTTP_ACCEPT=accept)
    assert response.status_code == 302


def test_add_to_cart_form_on_the_product_page(client, baclofen):
    html = page(client, baclofen.url)
    form = re.search(r'<form class="add-to-cart".*?</form>', html, re.S).group(0)
    # A refusal shows the page again, opened at the form (test_a_refused_count_...).
    assert 'id="add-to-cart" method="post" action="/cart/add/#add-to-cart"' in form
    assert "error-summary" not in html and "aria-invalid" not in form
    assert "csrfmiddlewaretoken" not in html  # a public page: checked by origin instead
    assert "<legend>Pack size</legend>" in form  # the pack radios are inside the form
    assert '<label for="add-to-cart-count">Number of packs</label>' in form
    assert 'min="1" max="99"' in form
    assert '<button type="submit">Add to cart</button>' in form
    assert 'aria-live="polite">£24.00</strong>' in form  # the first pack's price


def test_product_with_no_pack_in_stock_has_no_add_button(client, product_index):
    product = ProductPageFactory(parent=product_index)
    PackSizeFactory(page=product, in_stock=False)
    html = page(client, product.url)
    assert "None of the pack sizes is in stock at the moment." in html
    assert "Add to cart" not in html


def test_cross_site_adds_are_refused_same_origin_needs_no_token(baclofen):
    client = Client(enforce_csrf_checks=True)
    pack = pack_of(baclofen, 30)
    assert add(client, pack, 1, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert add(client, pack, 1, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert add(client, pack, 1, HTTP_REFERER="https://evil.example/page").status_code == 403
    assert not Cart.objects.exists()
    own = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    assert add(client, pack, 1, **own).status_code == 302
    assert cart_of(client) == {pack.pk: 1}
    # The cart page's own forms are personal pages: they keep Django's CSRF token.
    line = CartLine.objects.get()
    assert client.post("/cart/remove/", {"line": line.pk}, **own).status_code == 403


# Bad input: a clear message, an unchanged cart, never a 500


@pytest.mark.parametrize(
    "pack, count, message",
    [
        ("unknown", 1, "That pack is not available."),
        ("abc", 1, "That pack is not available."),
        ("", 1, "Choose a pack size."),
        (10**20, 1, "That pack is not available."),
        ("ok", 0, "Choose a number of packs from 1 to 99."),
        ("ok", -1, "Choose a number of packs from 1 to 99."),
        ("ok", 100, "Choose a number of packs from 1 to 99."),
        ("ok", "abc", "Choose a number of packs from 1 to 99."),
        ("ok", "", "Choose a number of packs from 1 to 99."),
        ("ok", "2.5", "Choose a number of packs from 1 to 99."),
    ],
)
def test_bad_add_input_leaves_the_cart_unchanged(client, baclofen, pack, count, message):
    good = pack_of(baclofen, 30)
    add(client, good, 3)
    if pack == "ok":
        pack = pack_of(baclofen, 90).pk
    elif pack == "unknown":
        pack = good.pk + 1000
    response = client.post("/cart/add/", {"pack": pack, "count": count})
    if pack == pack_of(baclofen, 90).pk:  # a known pack: its page again, the error at the form
        assert f'<a href="#add-to-cart-count">{message}</a>' in error_summary(
            refused_at_the_product(response)
        )
    else:  # no page to show it at
        assert response.status_code == 302
        assert message in messages_of(page(client, response.url))
    assert cart_of(client) == {good.pk: 3}
    json_response = client.post("/cart/add/", {"pack": pack, "count": count}, **JSON)
    assert json_response.status_code == 400
    assert json_response.json()["message"] == message
    assert cart_of(client) == {good.pk: 3}


def test_a_refused_first_add_creates_no_cart_and_no_session(client, baclofen):
    response = add(client, pack_of(baclofen, 30), 0)
    assert response.status_code == 200  # the product page again
    assert not Cart.objects.exists()
    assert "sessionid" not in response.cookies


def test_out_of_stock_pack_is_refused(client, baclofen):
    pack = PackSizeFactory(page=baclofen, quantity=180, in_stock=False)
    response = add(client, pack, 2)  # sent from a page read while it was in stock
    html = refused_at_the_product(response)
    assert "sessionid" not in response.cookies and not Cart.objects.exists()
    # Another pack to choose: the error links to the first one in stock, which is chosen.
    first = pack_of(baclofen, 30)
    assert (
        f'<li><a href="#pack-{first.pk}">Baclofen 40 mg — 180 tablets is out of stock.</a></li>'
        in error_summary(html)
    )
    assert re.search(rf'id="pack-{first.pk}" value="{first.pk}"\s[^>]*checked', html)
    assert '<fieldset class="pack-sizes has-error" aria-describedby="pack-error">' in html
    assert '<p class="field-error" id="pack-error">Baclofen 40 mg — 180 tablets is out' in html
    assert 'id="add-to-cart-count" name="count" value="2"' in html  # as typed
    assert cart_of(client) == {}


# Packs a visitor may not see: one answer for every case, never a title or a price

NOT_AVAILABLE = "That pack is not available."


def restrict(page, kind):
    """Make `page` a draft, login-only or password-protected page, or delete its pack."""
    if kind == "draft":
        page.unpublish()
    elif kind == "login":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif kind == "password":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
        )
    elif kind == "deleted pack":
        page.pack_sizes.all().delete()


HIDDEN_KINDS = ["draft", "login", "password", "deleted pack"]


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_a_pack_the_visitor_may_not_see_is_refused_without_its_name(client, product_index, kind):
    secret = ProductPageFactory(parent=product_index, title="Secretdrug 5 mg", packs=[30])
    pack_id = secret.pack_sizes.get().pk
    restrict(secret, kind)
    response = add(client, pack_id, 1)
    assert response.url == "/cart/#main"  # not the page, nor its address
    assert "sessionid" not in response.cookies and not Cart.objects.exists()
    html = page(client)
    assert NOT_AVAILABLE in messages_of(html)
    assert "Secretdrug" not in html and "secret" not in html.lower()
    json_response = add(client, pack_id, 1, **JSON)
    assert json_response.status_code == 400
    assert json_response.json() == {"ok": False, "message": NOT_AVAILABLE}
    assert cart_of(client) == {}


# A refused add without JavaScript: the product page again, the error at the form, as typed

COUNT_ERROR = "Choose a number of packs from 1 to 99."


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1000, "1000"), ("abc", "")])
def test_a_refused_count_shows_the_product_page_again_with_the_error_at_the_form(
    client, baclofen, count, shown
):
    """As the review form: the summary at the form's top, focused, each error a link to its
    field, the error at the field, and what was sent kept (a number field cannot hold "abc")."""
    good = pack_of(baclofen, 30)
    add(client, good, 3)
    chosen = pack_of(baclofen, 90)
    html = refused_at_the_product(add(client, chosen, count))
    form = add_to_cart_form(html)
    summary = error_summary(form)
    assert summary, "no error summary in the form"
    assert form.index(summary) < form.index("<fieldset")  # at the form's top
    assert 'tabindex="-1" autofocus data-error-summary' in summary
    assert '<div role="alert">' in summary and "There is a problem" in summary
    assert summary_links(form) == [("add-to-cart-count", COUNT_ERROR)]
    assert f'<p class="field-error" id="add-to-cart-count-error">{COUNT_ERROR}</p>' in form
    assert (
        f'<input type="number" id="add-to-cart-count" name="count" value="{shown}" min="1" '
        'max="99" step="1" required inputmode="numeric" aria-invalid="true" '
        'aria-describedby="add-to-cart-count-error add-to-cart-count-hint">'
    ) in form
    assert re.search(rf'id="pack-{chosen.pk}" value="{chosen.pk}"\s[^>]*checked', form)
    assert not re.search(rf'id="pack-{good.pk}" value="{good.pk}"\s[^>]*checked', form)
    # The response opens at the form, and sending it again comes back there.
    assert 'id="add-to-cart" method="post" action="/cart/add/#add-to-cart"' in form
    assert cart_of(client) == {good.pk: 3}
    assert "error-summary" not in page(client, baclofen.url)  # the public page is unchanged


def test_a_quantity_limit_shows_the_product_page_again_with_the_refusal(client, paracetamol):
    """A supply rule's refusal is about the count: the summary links there."""
    tablets, caplets = (product.pack_sizes.get() for product in paracetamol)
    add(client, tablets, 2)  # 32 tablets: the most one order may hold
    html = refused_at_the_product(add(client, caplets, 1), title="Paracetamol caplets")
    message = add(client, caplets, 1, **JSON).json()["message"]  # the same words for JSON
    assert "at most 32 tablets of paracetamol, across all the products" in message
    form = add_to_cart_form(html)
    assert summary_links(form) == [("add-to-cart-count", escape(message))]
    assert f'<p class="field-error" id="add-to-cart-count-error">{escape(message)}</p>' in form
    assert 'name="count" value="1"' in form and 'aria-invalid="true"' in form
    assert re.search(rf'id="pack-{caplets.pk}" value="{caplets.pk}"\s[^>]*checked', form)
    assert cart_of(client) == {tablets.pk: 2}


def test_a_refused_count_for_a_page_the_visitor_may_not_see_goes_to_the_cart(client, product_index):
    secret = ProductPageFactory(parent=product_index, title="Secretdrug 5 mg", packs=[30])
    restrict(secret, "login")
    response = add(client, secret.pack_sizes.get(), 0)
    assert response.status_code == 302 and response.url == "/cart/#main"
    html = page(client)
    assert COUNT_ERROR in messages_of(html)
    assert "Secretdrug" not in html and "Back to the product" not in html
    assert cart_of(client) == {}


def test_a_restriction_above_the_product_counts_too(client, product_index):
    product = ProductPageFactory(parent=product_index, title="Secretdrug 5 mg", packs=[30])
    restrict(product_index, "login")
    response = add(client, product.pack_sizes.get(), 1, **JSON)
    assert response.json()["message"] == NOT_AVAILABLE and cart_of(client) == {}


def test_a_visitor_the_restriction_lets_in_may_add_the_pack(client, product_index):
    login_only = ProductPageFactory(parent=product_index, title="Members 5 mg", packs=[30])
    restrict(login_only, "login")
    protected = ProductPageFactory(parent=product_index, title="Protected 5 mg", packs=[30])
    restrict(protected, "password")
    client.force_login(UserFactory())
    assert add(client, login_only.pack_sizes.get(), 1, **JSON).json()["ok"] is True
    assert add(client, protected.pack_sizes.get(), 1, **JSON).status_code == 400
    # The password form of the page, as a visitor fills it in.
    restriction = PageViewRestriction.objects.get(page=protected)
    auth_url = f"/_util/authenticate_with_password/{restriction.pk}/{protected.pk}/"
    client.post(auth_url, {"password": "open-sesame", "return_url": protected.url})
    assert add(client, protected.pack_sizes.get(), 1, **JSON).json()["ok"] is True
    html = page(client)
    assert "Members 5 mg" in html and "Protected 5 mg" in html


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_a_line_whose_page_closed_since_shows_no_title_or_price(
    client, product_index, kind, seed_mode
):
    """seed_mode: the customer sends a prescription, so the POM pack goes in the cart."""
    open_product = ProductPageFactory(parent=product_index, title="Open 10 mg", packs=[30])
    secret = ProductPageFactory(
        parent=product_index,
        title="Secretdrug 5 mg",
        packs=[],
        legal_status=LegalStatus.PRESCRIPTION_ONLY,
    )
    PackSizeFactory(page=secret, quantity=30, price=Decimal("77.77"))
    add(client, open_product.pack_sizes.get(), 1, **JSON)  # JSON: no message left to show
    add(client, secret.pack_sizes.get(), 2, **JSON)
    restrict(secret, kind)
    html = page(client)
    assert "Secretdrug" not in html and "77.77" not in html
    assert "Prescription required" not in html
    assert "An item no longer available" in html and "No longer available." in html
    assert "Open 10 mg" in html and "1 item," in html  # the mini cart counts the open line only
    line = CartLine.objects.get(count=2)
    client.post("/cart/remove/", {"line": line.pk})
    html = page(client)
    assert "The item removed from your cart." in messages_of(html)
    assert "Secretdrug" not in html


def test_a_cart_holds_at_most_50_different_packs(client, product_index):
    product = ProductPageFactory(parent=product_index, packs=[])
    packs = [PackSizeFactory(page=product, quantity=i + 1) for i in range(MAX_LINES + 1)]
    add(client, packs[0], 1)
    cart = Cart.objects.get()
    for pack in packs[1:MAX_LINES]:
        CartLineFactory(cart=cart, pack=pack)
    response = add(client, packs[-1], 1)
    assert "already has 50 different items" in error_summary(
        refused_at_the_product(response, title=product.title)
    )
    assert len(cart_of(client)) == MAX_LINES
    assert packs[-1].pk not in cart_of(client)
    # Adding to a line already in the full cart still works.
    add(client, packs[0], 1)
    assert cart_of(client)[packs[0].pk] == 2


@pytest.mark.parametrize("url", ["/cart/add/", "/cart/update/", "/cart/remove/"])
def test_get_on_a_post_endpoint_changes_nothing(client, baclofen, url):
    pack = pack_of(baclofen, 30)
    add(client, pack, 2)
    line = CartLine.objects.get()
    response = client.get(url, {"pack": pack.pk, "line": line.pk, "count": 5})
    assert response.status_code == 302 and response.url == "/cart/"
    assert "Nothing was changed" in messages_of(page(client))
    assert cart_of(client) == {pack.pk: 2}


# Changing the cart


def test_update_the_count_of_a_line(client, baclofen):
    pack = pack_of(baclofen, 30)
    add(client, pack, 2)
    line = CartLine.objects.get()
    response = client.post("/cart/update/", {"line": line.pk, "count": 7})
    assert response.status_code == 302 and response.url == "/cart/"
    html = page(client)
    assert "Your cart has been updated." in messages_of(html)
    assert cart_of(client) == {pack.pk: 7}
    assert "£168.00" in html


def test_remove_a_line(client, baclofen):
    add(client, pack_of(baclofen, 30), 2)
    add(client, pack_of(baclofen, 90), 1)
    line = CartLine.objects.get(pack=pack_of(baclofen, 30))
    response = client.post("/cart/remove/", {"line": line.pk})
    assert response.status_code == 302
    html = page(client)
    assert "Baclofen 40 mg — 30 tablets removed from your cart." in messages_of(html)
    assert cart_of(client) == {pack_of(baclofen, 90).pk: 1}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"line": "abc", "count": 2}, "That item is not in your cart any more."),
        ({"count": 2}, "That item is not in your cart any more."),
        ({"line": 10**20, "count": 2}, "That item is not in your cart any more."),
        ({"line": "own", "count": 0}, "Choose a number of packs from 1 to 99."),
        ({"line": "own", "count": -1}, "Choose a number of packs from 1 to 99."),
        ({"line": "own", "count": 100}, "Choose a number of packs from 1 to 99."),
        ({"line": "own", "count": "abc"}, "Choose a number of packs from 1 to 99."),
        ({"line": "foreign", "count": 2}, "That item is not in your cart any more."),
    ],
)
def test_bad_update_input_leaves_both_carts_unchanged(client, baclofen, data, message):
    pack = pack_of(baclofen, 30)
    add(client, pack, 3)
    own = CartLine.objects.get()
    foreign = CartLineFactory(pack=pack_of(baclofen, 90), count=4)
    data = {
        **data,
        "line": {"own": own.pk, "foreign": foreign.pk}.get(data.get("line"), data.get("line")),
    }
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post("/cart/update/", data)
    if data.get("line") == own.pk:  # the visitor's own line: the cart again, the count as typed
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<li><a href="#count-{own.pk}">{message}</a></li>' in html  # the error summary
        assert f'<p class="field-error" id="count-{own.pk}-error">{message}</p>' in html
        typed = re.search(rf'<input type="number" id="count-{own.pk}"[^>]*>', html).group(0)
        assert f'value="{data["count"]}"' in typed and 'aria-invalid="true"' in typed
    else:
        assert response.status_code == 302 and response.url == "/cart/"
        assert message in messages_of(page(client))
    assert cart_of(client) == {pack.pk: 3}
    foreign.refresh_from_db()
    assert foreign.count == 4


@pytest.mark.parametrize("line", ["abc", "", "foreign", "unknown"])
def test_bad_remove_input_leaves_both_carts_unchanged(client, baclofen, line):
    pack = pack_of(baclofen, 30)
    add(client, pack, 3)
    foreign = CartLineFactory(pack=pack, count=4)
    line = {"foreign": foreign.pk, "unknown": foreign.pk + 100}.get(line, line)
    response = client.post("/cart/remove/", {"line": line})
    assert response.status_code == 302
    assert "That item is not in your cart any more." in messages_of(page(client))
    assert cart_of(client) == {pack.pk: 3}
    assert CartLine.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("token", ["not-a-token", "f" * 64, 12345, ["a"], None])
def test_a_tampered_or_stale_cart_token(client, baclofen, token):
    foreign = CartLineFactory(pack=pack_of(baclofen, 30), count=4)
    session = client.session
    session[SESSION_KEY] = token
    session.save()
    html = page(client)
    assert "Your cart is empty." in html
    assert "data-mini-cart-summary></span>" in html  # an empty mini cart
    response = client.post("/cart/update/", {"line": foreign.pk, "count": 9})
    assert response.status_code == 302
    assert "Your cart has expired or is empty: nothing was changed." in messages_of(page(client))
    client.post("/cart/remove/", {"line": foreign.pk})
    foreign.refresh_from_db()
    assert foreign.count == 4
    # Adding starts a new cart of the visitor's own.
    add(client, pack_of(baclofen, 90), 1)
    assert cart_of(client) == {pack_of(baclofen, 90).pk: 1}
    assert Cart.objects.count() == 2


def test_two_clients_never_see_each_others_cart(baclofen):
    alice, bob = Client(), Client()
    add(alice, pack_of(baclofen, 30), 2)
    add(bob, pack_of(baclofen, 90), 5)
    alice_html, bob_html = page(alice), page(bob)
    assert "30 tablets" in alice_html and "90 tablets" not in alice_html
    assert "90 tablets" in bob_html and "30 tablets" not in bob_html
    bob_line = CartLine.objects.get(pack=pack_of(baclofen, 90))
    alice.post("/cart/remove/", {"line": bob_line.pk})
    alice.post("/cart/update/", {"line": bob_line.pk, "count": 1})
    assert cart_of(bob) == {pack_of(baclofen, 90).pk: 5}


# What the cart page shows


def test_empty_cart(client, baclofen):
    html = page(client)
    assert 'Your cart is empty. <a href="/products/">Browse our products</a>' in html
    assert "<table" not in html
    assert 'href="/checkout/"' not in html  # nothing to check out


def test_cart_page_lines_subtotal_and_how_to_order(client, baclofen, product_index):
    settings = PharmacySettings.load()
    settings.phone = "020 7946 0000"
    settings.ordering_instructions = "Call us to order."
    settings.save()
    other = ProductPageFactory(
        parent=product_index, title="Ibuprofen 200 mg", legal_status=LegalStatus.GENERAL_SALE
    )
    PackSizeFactory(page=other, quantity=24, price=Decimal("3.50"))
    add(client, pack_of(baclofen, 90), 2)
    add(client, other.pack_sizes.get(), 3)
    html = page(client)
    assert "<caption>Items in your cart</caption>" in html
    assert '<th scope="col">Unit price</th>' in html
    assert '<a href="/products/baclofen-40-mg/">Baclofen 40 mg</a>' in html
    assert "£57.00" in html and "£114.00" in html  # unit price, line total
    assert "£3.50" in html and "£10.50" in html
    assert re.search(r'<td class="cart-subtotal">£124.50</td>', html)
    assert "Subtotal (5 items)" in html
    assert html.count("+ Free Shipping") == 1  # baclofen ships free, ibuprofen does not
    assert "Prescription required" not in html
    assert '<a class="button" href="/checkout/">Check out</a>' in html
    assert "Call us to order." not in html  # only when orders are taken by phone only
    assert '<label class="visually-hidden" for="count-' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_prescription_only_lines_and_explanation(client, product_index, seed_mode):
    """In "the customer sends a prescription" mode (docs/supply-rules.md)."""
    product = ProductPageFactory(
        parent=product_index, legal_status=LegalStatus.PRESCRIPTION_ONLY, packs=[30]
    )
    add(client, product.pack_sizes.get(), 1)
    html = page(client)
    assert '<span class="cart-line__prescription">Prescription required</span>' in html
    assert "once we have a valid prescription, or after a consultation" in html
    assert "your order cannot be completed before then" in html


# Prices and availability are read when shown


def test_a_changed_price_shows_the_new_price(client, baclofen):
    pack = pack_of(baclofen, 90)
    add(client, pack, 2)
    pack.price = Decimal("50.00")
    pack.save()
    html = page(client)
    assert "£50.00" in html and "£100.00" in html
    assert "Price changed since you added it (was £57.00)" in html
    assert "£114.00" not in html
    assert "2 items, £100.00" in html  # mini cart


def test_a_deleted_pack_is_flagged_and_left_out_of_the_subtotal(client, baclofen):
    add(client, pack_of(baclofen, 30), 1, **JSON)
    add(client, pack_of(baclofen, 90), 1, **JSON)
    pack_of(baclofen, 90).delete()
    html = page(client)
    assert "Baclofen 40 mg — 90 tablets" not in html
    assert "An item no longer available" in html and "No longer available." in html
    assert "cannot be ordered at the moment" in html
    assert re.search(r'<td class="cart-subtotal">£24.00</td>', html)
    assert "1 item, £24.00" in html
    line = CartLine.objects.get(pack=None)
    client.post("/cart/remove/", {"line": line.pk})
    assert "removed from your cart" in messages_of(page(client))
    assert CartLine.objects.count() == 1


def test_an_unpublished_product_is_flagged_not_linked(client, baclofen):
    add(client, pack_of(baclofen, 30), 1, **JSON)
    baclofen.unpublish()
    html = page(client)
    assert "No longer available." in html
    assert '<a href="/products/baclofen-40-mg/">' not in html
    assert "Baclofen" not in html.split("<main")[1]  # the site's menu may name it
    assert re.search(r'<td class="cart-subtotal">£0.00</td>', html)
    assert "data-mini-cart-summary></span>" in html  # an empty mini cart
    # a stale form posted for it never fails
    line = CartLine.objects.get()
    assert client.post("/cart/update/", {"line": line.pk, "count": 3}).status_code == 302


def test_an_out_of_stock_pack_is_flagged(client, baclofen):
    add(client, pack_of(baclofen, 30), 1)
    pack = pack_of(baclofen, 30)
    pack.in_stock = False
    pack.save()
    html = page(client)
    assert "Out of stock at the moment." in html
    assert re.search(r'<td class="cart-subtotal">£0.00</td>', html)


def test_html_in_a_product_title_is_escaped_in_messages(client, product_index):
    product = ProductPageFactory(parent=product_index, title="<b>Bold</b> 5 mg", packs=[30])
    html = page(client, add(client, product.pack_sizes.get(), 1).url)
    assert "&lt;b&gt;Bold&lt;/b&gt; 5 mg — 30 tablets added to your cart." in html
    assert "<b>Bold</b>" not in html


# Queries and the mini cart


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_cart_page_queries_do_not_grow_with_lines(
    client, product_index, django_assert_max_num_queries
):
    product = ProductPageFactory(parent=product_index, packs=[])
    packs = [PackSizeFactory(page=product, quantity=i + 1) for i in range(20)]
    one, twenty = Client(), Client()
    give_cart(one, CartLineFactory(pack=packs[0]).cart)
    cart = CartFactory()
    for pack in packs:
        CartLineFactory(cart=cart, pack=pack)
    give_cart(twenty, cart)
    count_queries(one, "/cart/")  # warm per-process caches
    assert count_queries(one, "/cart/") == count_queries(twenty, "/cart/")
    # session, cart lines with their packs and products, settings, site (for product links),
    # the active ingredients' unit limits (catalog/supply.py)
    with django_assert_max_num_queries(5):
        twenty.get("/cart/")


def test_mini_cart_on_a_product_page_matches_the_cart(client, baclofen):
    add(client, pack_of(baclofen, 30), 3)
    add(client, pack_of(baclofen, 90), 1)
    cart_html = page(client)
    subtotal = re.search(r'<td class="cart-subtotal">(.*?)</td>', cart_html).group(1)
    assert subtotal == "£129.00"
    assert "Subtotal (4 items)" in cart_html
    # The product page is the same as for everyone; /visitor/ fills the mini cart in.
    assert page(client, baclofen.url) == page(Client(), baclofen.url)
    visitor = client.get("/visitor/")
    assert visitor["Cache-Control"] == "private, no-store"
    assert visitor.json()["cart"] == {
        "count": 4,
        "subtotal": "129.00",
        "summary": f"4 items, {subtotal}",
        "url": "/cart/",
    }


def test_reading_visitors_get_no_session_and_no_cart_state(client, baclofen):
    response = client.get(baclofen.url)
    assert "sessionid" not in response.cookies
    html = response.content.decode()
    assert (
        '<a class="mini-cart" href="/cart/" data-mini-cart>Cart'
        '<span class="mini-cart__summary" data-mini-cart-summary></span></a>' in html
    )
    assert client.get("/visitor/").json()["cart"]["count"] == 0
    assert "sessionid" not in client.get("/visitor/").cookies
    assert "sessionid" not in client.get("/cart/").cookies


def test_product_page_costs_the_same_with_a_cart(client, baclofen):
    count_queries(client, baclofen.url)
    without = count_queries(client, baclofen.url)
    add(client, pack_of(baclofen, 30), 1)
    for quantity in range(100, 110):
        add(client, PackSizeFactory(page=baclofen, quantity=quantity), 1)
    # The page never reads the cart (/visitor/ does); only Wagtail's user bar reads the
    # session, to know the visitor is not an editor.
    assert count_queries(client, baclofen.url) <= without + 1
    # session, cart lines, settings, ingredient limits
    assert count_queries(client, "/visitor/") <= 4


# Housekeeping and concurrency


def test_purge_carts_deletes_only_old_carts(baclofen):
    old = CartLineFactory(pack=pack_of(baclofen, 30)).cart
    recent = CartLineFactory(pack=pack_of(baclofen, 30)).cart
    Cart.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=31))
    call_command("purge_carts", "--days", "30")
    assert list(Cart.objects.all()) == [recent]
    assert CartLine.objects.filter(cart=recent).count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables across threads (errors, not "
    "waits); the guarantee is about PostgreSQL, where this test runs",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("has_cart", [True, False], ids=["with-cart", "stale-token"])
def test_concurrent_adds_in_one_session_lose_no_line(product_index, has_cart):
    product = ProductPageFactory(parent=product_index, packs=[])
    packs = [PackSizeFactory(page=product, quantity=i + 1) for i in range(8)]
    first = Client()
    add(first, packs[0], 1)
    if not has_cart:
        Cart.objects.all().delete()  # the session's token now names no cart
    cookie = first.cookies["sessionid"].value

    errors = []
    barrier = threading.Barrier(len(packs) * 2)

    def visitor(pack):
        client = Client()
        client.cookies["sessionid"] = cookie
        try:
            barrier.wait()
            response = add(client, pack, 1)
            assert response.status_code == 302, response.status_code
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    # Every pack twice: new lines and merges into lines race with each other.
    threads = [threading.Thread(target=visitor, args=(pack,)) for pack in packs * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    expected = {pack.pk: 2 for pack in packs}
    if has_cart:
        expected[packs[0].pk] = 3
    assert Cart.objects.count() == 1
    assert cart_of(first) == expected
