"""The shared cache, through a real Varnish running deploy/varnish/formulary.vcl in front
of the live test server (tests/varnish.py)."""

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from catalog.models import PackSize, ProductIndexPage
from orders.models import Order
from tests.factories import PackSizeFactory, ProductPageFactory

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SAME_ORIGIN = {**FORM, "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def product(varnish, product_index):
    product = ProductPageFactory(
        parent=product_index, title="Baclofen 10 mg", slug="baclofen-10-mg", packs=[]
    )
    PackSizeFactory(page=product, quantity=30, price=Decimal("24.00"))
    return product


def hit_after_miss(varnish, path, **headers):
    first = varnish.get(path, **headers)
    assert first.status == 200, (path, first.status)
    second = varnish.get(path, **headers)
    assert second.headers["X-Cache"] == "HIT", (path, second.headers["X-Cache"])
    return second


def test_a_page_is_a_hit_the_second_time_and_compressed(varnish, product):
    first = varnish.get(product.url)
    assert first.headers["X-Cache"] == "MISS"
    second = varnish.get(product.url)
    assert second.headers["X-Cache"] == "HIT" and second.body == first.body
    assert "Baclofen 10 mg" in second.body and "£24.00" in second.body
    assert (
        varnish.get(product.url, **{"Accept-Encoding": "gzip"}).headers["Content-Encoding"]
        == "gzip"
    )


def test_a_made_up_session_cookie_or_a_tracking_parameter_still_gets_the_hit(varnish, product):
    hit_after_miss(varnish, product.url)
    assert varnish.get(product.url, Cookie="sessionid=made-up").headers["X-Cache"] == "HIT"
    for n in range(3):
        response = varnish.get(f"{product.url}?utm_source=mail{n}&fbclid={n}")
        assert response.headers["X-Cache"] == "HIT"


def test_a_visitor_with_a_cart_gets_the_cached_page_and_their_own_mini_cart(varnish, product):
    hit_after_miss(varnish, product.url)
    pack = product.pack_sizes.get()
    added = varnish.request(
        "POST", "/cart/add/", urlencode({"pack": pack.pk, "count": 2}), SAME_ORIGIN
    )
    assert added.status == 302
    cookies = " ".join(added.headers.get_all("Set-Cookie"))
    cookie = re.search(r"sessionid=([^;]+)", cookies).group(0)
    page = varnish.get(product.url, Cookie=cookie)
    assert page.headers["X-Cache"] == "HIT" and "2 items" not in page.body
    mine = varnish.get("/visitor/", Cookie=cookie)
    assert mine.headers["X-Cache"] != "HIT" and '"summary": "2 items, \\u00a348.00"' in mine.body


def test_a_published_change_shows_on_the_very_next_request(varnish, product):
    hit_after_miss(varnish, product.url)
    hit_after_miss(varnish, "/products/")
    product.title = "Baclofen 10 mg tablets"
    product.save_revision().publish()
    assert "Baclofen 10 mg tablets" in varnish.get(product.url).body
    assert "Baclofen 10 mg tablets" in varnish.get("/products/").body


def test_a_pack_price_saved_outside_the_admin_shows_on_the_very_next_request(varnish, product):
    hit_after_miss(varnish, product.url)
    pack = PackSize.objects.get(page=product)
    pack.price = Decimal("11.00")
    pack.save()
    response = varnish.get(product.url)
    assert "£11.00" in response.body and "£24.00" not in response.body


def test_an_index_retitle_shows_in_the_product_breadcrumbs_at_once(varnish, product, product_index):
    hit_after_miss(varnish, product.url)
    index = ProductIndexPage.objects.get(pk=product_index.pk)
    index.title = "Our medicines"
    index.save_revision().publish()
    assert '<a href="/products/">Our medicines</a>' in varnish.get(product.url).body


@pytest.mark.parametrize(
    "path", ["/cart/", "/visitor/", "/admin/login/", "/consultations/expired/"]
)
def test_the_cart_the_admin_and_the_visitor_endpoint_are_never_cached(varnish, product, path):
    for _ in range(3):
        response = varnish.get(path)
        assert response.status == 200
        assert response.headers["X-Cache"] != "HIT"
        assert "private" in response.headers["Cache-Control"]


def test_posts_are_passed_and_never_cached(varnish, product):
    pack = product.pack_sizes.get()
    for _ in range(2):
        data = urlencode({"pack": pack.pk, "count": 1})
        response = varnish.request("POST", "/cart/add/", data, SAME_ORIGIN)
        assert response.status == 302 and response.headers["X-Cache"] != "HIT"
    # A refused add shows the product page again: the visitor's own, never cached either.
    for _ in range(2):
        data = urlencode({"pack": pack.pk, "count": 0})
        refused = varnish.request("POST", "/cart/add/", data, SAME_ORIGIN)
        assert refused.status == 200 and refused.headers["X-Cache"] != "HIT"
        assert "private" in refused.headers["Cache-Control"]
    cross_site = {**FORM, "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    refused = varnish.request("POST", "/cart/add/", urlencode({"pack": pack.pk}), cross_site)
    assert refused.status == 403


def test_a_visitor_checks_out_through_varnish_and_nothing_personal_is_cached(varnish, product):
    pack = product.pack_sizes.get()
    added = varnish.request(
        "POST", "/cart/add/", urlencode({"pack": pack.pk, "count": 1}), SAME_ORIGIN
    )
    cookies = " ".join(added.headers.get_all("Set-Cookie"))
    cookie = re.search(r"sessionid=([^;]+)", cookies).group(0)
    for _ in range(2):
        page = varnish.get("/checkout/", Cookie=cookie)  # the cookie reaches Django
        assert page.status == 200 and page.headers["X-Cache"] != "HIT"
        assert "Baclofen 10 mg" in page.body and "private" in page.headers["Cache-Control"]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.body))
    form = {
        **fields,
        "name": "Sam Patel",
        "email": "sam@example.com",
        "phone": "07700900982",
        "date_of_birth": "1980-03-27",
        "fulfilment": "collection",
        "agree": "on",
    }
    placed = varnish.request(
        "POST", "/checkout/", urlencode(form), {**SAME_ORIGIN, "Cookie": cookie}
    )
    assert placed.status == 302
    status_path = f"/orders/{Order.objects.get().status_token}/"
    for _ in range(2):
        status = varnish.get(status_path)
        assert status.status == 200 and status.headers["X-Cache"] != "HIT"
    assert varnish.get("/cart/", Cookie=cookie).headers["X-Cache"] != "HIT"


def test_a_consultation_in_progress_keeps_its_cookie_through_varnish(varnish, product):
    """/consultations/ is passed with its cookie: the visitor's answers are found again."""
    from consultations.models import ConsultationDraft
    from tests.consultations_helpers import live_questionnaire

    product.legal_status = "pom"
    product.save_revision().publish()
    draft = ConsultationDraft.objects.create(
        product=product, questionnaire=live_questionnaire(product)
    )
    for _ in range(2):
        response = varnish.get("/consultations/details/", Cookie=f"consultation={draft.token}")
        assert response.status == 200, response.status
        assert response.headers["X-Cache"] != "HIT"
        assert "Your details" in response.body
