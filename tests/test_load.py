"""Under concurrent load nothing is lost: real HTTP requests to a live server, in parallel.

PostgreSQL only: SQLite's in-memory test database locks whole tables across
threads, and the guarantee is about the production database.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from catalog.cart.models import CartLine
from catalog.reviews.models import Review, ReviewStatus
from catalog.reviews.services import new_form_token
from orders.models import Order
from tests.factories import PackSizeFactory, ProductPageFactory
from tests.http_visitor import HttpVisitor, form_fields

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="concurrency guarantees are about PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def server(live_server, request_gate):
    """The live server, shared with the browser tests: open its gate for this test only."""
    request_gate.open()
    yield live_server
    request_gate.shut()


def run_in_parallel(jobs):
    """Start every job at once (a barrier); return the exceptions they raised."""
    errors = []
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connections.close_all()  # a job's ORM use (page.url) opened one for this thread

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_200_reviews_from_20_concurrent_clients_are_stored_exactly_once(
    server, settings, product_index
):
    settings.REVIEWS_RATE_LIMIT = 1000  # every client comes from 127.0.0.1
    product = ProductPageFactory(parent=product_index, accept_reviews=True)

    def client(number):
        def job():
            visitor = HttpVisitor(server.url)
            status, html = visitor.get(product.url)
            assert status == 200
            action, hidden = form_fields(html, "reviews/add")
            for i in range(10):
                # A form shown a minute ago, with its own one-use token: a person's review.
                hidden["started"] = new_form_token(at=time.time() - 60)
                status, _ = visitor.post(
                    action,
                    {
                        **hidden,
                        "rating": str(1 + i % 5),
                        "text": f"Load test review {number}-{i}: it eased my spasms.",
                        "author_name": f"Client {number}",
                        "email": f"client{number}@example.com",
                        "website": "",
                    },
                )
                assert status == 302, status

        return job

    errors = run_in_parallel([client(n) for n in range(20)])

    assert errors == []
    texts = list(Review.objects.filter(product=product).values_list("text", flat=True))
    assert len(texts) == 200
    assert len(set(texts)) == 200  # each submission stored once
    expected = {
        f"Load test review {n}-{i}: it eased my spasms." for n in range(20) for i in range(10)
    }
    assert set(texts) == expected
    assert not Review.objects.exclude(status=ReviewStatus.PENDING).exists()


def test_20_concurrent_reviews_from_one_address_exactly_the_limit_get_through(
    server, settings, product_index, redis_throttle
):
    """The rate limit counted in Redis (as in production), checked atomically."""
    settings.REVIEWS_RATE_LIMIT = 5
    product = ProductPageFactory(parent=product_index, accept_reviews=True)
    forms = []
    for _ in range(20):  # each visitor reads the page (its cookies and form) first
        visitor = HttpVisitor(server.url)
        status, html = visitor.get(product.url)
        assert status == 200
        forms.append((visitor, *form_fields(html, "reviews/add")))
    statuses = []

    def review(number, visitor, action, hidden):
        def job():
            hidden["started"] = new_form_token(at=time.time() - 60)
            data = {**hidden, "rating": "5", "text": f"Concurrent review {number}."}
            data.update(author_name=f"Client {number}", email="c@example.com", website="")
            statuses.append(visitor.post(action, data)[0])

        return job

    errors = run_in_parallel([review(n, *form) for n, form in enumerate(forms)])

    assert errors == []
    assert sorted(statuses) == [302] * 5 + [429] * 15
    assert Review.objects.filter(product=product).count() == 5


def test_concurrent_add_to_cart_in_one_session_loses_no_line(server, product_index):
    product = ProductPageFactory(parent=product_index, packs=[])
    packs = [PackSizeFactory(page=product, quantity=i + 1) for i in range(10)]
    visitor = HttpVisitor(server.url)
    status, html = visitor.get(product.url)
    action, hidden = form_fields(html, "/cart/add/")
    # The first add creates the session and the cart; then 20 requests of that session race.
    assert visitor.post(action, {**hidden, "pack": packs[0].pk, "count": "1"})[0] == 302
    cookies = visitor.cookies()
    assert "sessionid=" in cookies

    def add(pack):
        def job():
            status, _ = HttpVisitor(server.url, cookies).post(
                action, {**hidden, "pack": pack.pk, "count": "1"}
            )
            assert status == 302, status

        return job

    errors = run_in_parallel([add(pack) for pack in packs * 2])

    assert errors == []
    lines = {line.pack_id: line.count for line in CartLine.objects.all()}
    expected = {pack.pk: 2 for pack in packs}
    expected[packs[0].pk] = 3
    assert lines == expected
    status, cart_html = HttpVisitor(server.url, cookies).get("/cart/")
    assert status == 200 and cart_html.count('class="cart-line') >= 10


def checkout_forms(count, pack):
    """`count` visitors, each with a cart and the checkout form it was shown."""
    forms = []
    for number in range(count):
        visitor = Client()
        added = visitor.post("/cart/add/", {"pack": pack.pk, "count": 1 + number % 3})
        assert added.status_code == 302
        response = visitor.get("/checkout/")
        assert response.status_code == 200
        action, hidden = form_fields(response.content.decode(), "/checkout/")
        data = {
            **hidden,
            "name": f"Customer {number}",
            "email": f"customer{number}@example.com",
            "phone": "07700900982",
            "date_of_birth": "1980-03-27",
            "fulfilment": "collection",
            "agree": "on",
        }
        forms.append((visitor.cookies["sessionid"].value, action, data))
    return forms


def assert_one_order_each(count):
    orders = list(Order.objects.prefetch_related("lines"))
    assert sorted(o.name for o in orders) == sorted(f"Customer {n}" for n in range(count))
    assert all(o.lines.get().count == 1 + int(o.name.split()[1]) % 3 for o in orders)
    assert not CartLine.objects.exists()


@pytest.fixture
def pack(settings, product_index):
    settings.CHECKOUT_RATE_LIMIT = 1000  # every client comes from 127.0.0.1
    return PackSizeFactory(page=ProductPageFactory(parent=product_index, packs=[]), quantity=30)


def checkout_job(statuses, session, action, data, times=1):
    """Through Django's test client, one thread and one database connection each (the live
    server's listen queue would refuse this many connections at once)."""

    def job():
        client = Client()
        client.cookies["sessionid"] = session
        for _ in range(times):
            statuses.append(client.post(action, data).status_code)

    return job


def test_50_concurrent_checkouts_of_50_carts_make_50_orders_each_once(pack):
    """50 at once; each then sends its form again (a retry after a timeout)."""
    forms = checkout_forms(50, pack)
    statuses = []
    errors = run_in_parallel([checkout_job(statuses, *form, times=2) for form in forms])
    assert errors == []
    assert statuses == [302] * 100
    assert_one_order_each(50)


def test_double_clicks_sent_at_the_same_instant_make_one_order_each(pack):
    forms = checkout_forms(15, pack)
    statuses = []
    errors = run_in_parallel([checkout_job(statuses, *form) for form in forms * 2])
    assert errors == []
    assert statuses == [302] * 30
    assert_one_order_each(15)
