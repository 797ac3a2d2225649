"""The pharmacists' side of orders, through the Wagtail admin's own views: the queue, every
status change, the dashboard, the export, and who may see any of it."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import LegalStatus
from orders.models import Order, OrderEmail, OrderStatus
from orders.services import change_status, place_prescribed_order
from tests.factories import ProductPageFactory, UserFactory
from tests.test_orders import check_out

pytestmark = pytest.mark.django_db

QUEUE = reverse("orders_admin:index")
EXPORT = reverse("orders_admin:export")


def order_url(order):
    return reverse("orders_admin:edit", args=(order.pk,))


@pytest.fixture
def product(product_index):
    return ProductPageFactory(
        parent=product_index, title="Hayfever 10 mg", legal_status=LegalStatus.PHARMACY, packs=[30]
    )


def new_order(product, name="Sam Patel", email="sam@example.com", fulfilment="delivery", **kw):
    order = place_prescribed_order(
        {
            "name": name,
            "email": email,
            "phone": "07700900982",
            "date_of_birth": date(1980, 3, 27),
            "fulfilment": fulfilment,
            "address_line_1": "1 High Street",
            "town": "Leeds",
            "postcode": "LS1 4AP",
        },
        product,
        product.pack_sizes.get(),
        1,
        "Dr Ada Lovelace",
        "C-1",
    )
    if kw:
        Order.objects.filter(pk=order.pk).update(**kw)
        order.refresh_from_db()
    return order


@pytest.fixture
def pharmacist(db):
    return UserFactory(
        username="phil", first_name="Phil", last_name="Jones", groups=["Pharmacists"]
    )


@pytest.fixture
def pharmacist_client(client, pharmacist):
    client.force_login(pharmacist)
    return client


def act(client, order, action, **fields):
    return client.post(order_url(order), {"action": action, **fields})


# --- The group and who sees orders --------------------------------------------------------------


def test_the_pharmacists_group_has_admin_access_and_the_orders_rights_only():
    group = Group.objects.get(name="Pharmacists")
    rights = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert rights == {
        ("wagtailadmin", "access_admin"),
        ("orders", "view_order"),
        ("orders", "change_order"),
        ("orders", "export_order"),
    }


@pytest.mark.parametrize("role", ["editor", "medical_reviewer", "review_moderator"])
def test_other_roles_cannot_see_orders(client, request, product, role):
    order = new_order(product)
    client.force_login(request.getfixturevalue(role))
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    html = home.content.decode()
    assert "awaiting a pharmacist" not in html and QUEUE not in html  # no panel, no menu
    for url in (QUEUE, reverse("orders_admin:index_results"), order_url(order), EXPORT):
        assert client.get(url).status_code in (302, 403), url
    assert act(client, order, "pass").status_code in (302, 403)
    assert client.post(EXPORT, {"email": order.email}).status_code in (302, 403)
    order.refresh_from_db()
    assert order.status == OrderStatus.PRESCRIBED


def test_visitors_cannot_reach_the_admin_views(client, product):
    order = new_order(product)
    for url in (QUEUE, order_url(order), EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("who", ["pharmacist", "superuser"])
def test_pharmacists_and_superusers_see_the_queue(client, request, product, admin_user, who):
    new_order(product)
    client.force_login(admin_user if who == "superuser" else request.getfixturevalue(who))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 order awaiting a pharmacist&#x27;s check" in html or (
        "1 order awaiting a pharmacist's check" in html
    )
    assert QUEUE in html  # the Orders menu
    assert client.get(QUEUE).status_code == 200


def test_nobody_adds_or_deletes_an_order_in_the_admin(admin_client, product):
    order = new_order(product)
    html = admin_client.get(QUEUE).content.decode()
    assert "/admin/orders/new/" not in html and "delete" not in html.lower().split("<main")[-1]
    assert admin_client.get("/admin/orders/new/").status_code == 404
    assert admin_client.post(f"/admin/orders/delete/{order.pk}/").status_code == 404
    assert Order.objects.count() == 1


# --- The queue -------------------------------------------------------------------------------


def test_the_queue_puts_orders_awaiting_a_check_first_oldest_first(pharmacist_client, product):
    now = timezone.now()
    dispatched = new_order(product, name="Dee Spatched", created_at=now - timedelta(days=9))
    change_status(dispatched, "pass", None)
    change_status(dispatched, "dispatch", None)
    newest = new_order(product, name="Nia Newest", created_at=now - timedelta(hours=1))
    oldest = new_order(product, name="Olu Oldest", created_at=now - timedelta(days=2))
    done = new_order(product, name="Cat Cancelled", created_at=now - timedelta(days=20))
    change_status(done, "cancel", None)
    html = pharmacist_client.get(QUEUE).content.decode()
    positions = [html.index(o.reference) for o in (oldest, newest, dispatched, done)]
    assert positions == sorted(positions)


def test_the_queue_filters_by_status_and_searches_reference_name_and_email(
    pharmacist_client, product
):
    sam = new_order(product)
    jo = new_order(product, name="Jo Evans", email="jo@example.org")
    change_status(jo, "pass", None)
    html = pharmacist_client.get(QUEUE, {"status": "check_passed"}).content.decode()
    assert jo.reference in html and sam.reference not in html
    for query in (sam.reference, "Patel", "sam@example"):
        html = pharmacist_client.get(QUEUE, {"q": query}).content.decode()
        assert sam.reference in html and jo.reference not in html, query


def test_the_queue_costs_the_same_queries_for_2_or_20_orders(pharmacist_client, product):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert pharmacist_client.get(QUEUE).status_code == 200
        return len(context)

    for _ in range(2):
        new_order(product)
    few = queries()
    for _ in range(18):
        new_order(product)
    assert queries() == few


# --- The order view and every status change ------------------------------------------------------


def test_the_order_view_shows_lines_customer_history_and_the_actions(pharmacist_client, product):
    order = new_order(product)
    html = pharmacist_client.get(order_url(order)).content.decode()
    for text in (
        "Order " + order.reference,
        "Hayfever 10 mg",
        "30 tablets",
        "Sam Patel",
        "sam@example.com",
        "07700900982",
        "27 March 1980",
        "LS1 4AP",
        "Dr Ada Lovelace",
        "Pass the clinical check",
        "Query with a message to the customer",
        "Refuse, with the reason for the customer",
        "Cancel the order",
    ):
        assert text in html, text
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Mark dispatched" not in html  # not before the check


def test_pass_dispatch_with_tracking_and_complete(
    pharmacist_client, pharmacist, product, django_capture_on_commit_callbacks
):
    order = new_order(product)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(pharmacist_client, order, "pass", note="Suitable.")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CHECK_PASSED
    assert (
        "Mark ready for collection" not in pharmacist_client.get(order_url(order)).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        act(pharmacist_client, order, "dispatch", tracking_reference="RM123456789GB")
        act(pharmacist_client, order, "complete")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.tracking_reference == "RM123456789GB"
    history = list(order.status_changes.values_list("to_status", "by_name", "note"))
    assert history == [
        ("prescribed", "Dr Ada Lovelace", "Prescribed after consultation C-1."),
        ("check_passed", "Phil Jones", "Suitable."),
        ("dispatched", "Phil Jones", ""),
        ("completed", "Phil Jones", ""),
    ]
    assert [m.subject.split(": ")[-1] for m in mail.outbox] == [
        "checked by our pharmacist",
        "dispatched",
        "completed",
    ]
    assert order.status_changes.last().by == pharmacist


def test_collection_orders_are_made_ready_not_dispatched(pharmacist_client, product):
    order = new_order(product, fulfilment="collection")
    act(pharmacist_client, order, "pass")
    assert act(pharmacist_client, order, "dispatch").status_code == 400
    assert act(pharmacist_client, order, "ready").status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.READY_FOR_COLLECTION
    act(pharmacist_client, order, "complete")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


@pytest.mark.parametrize("action,status", [("query", "queried"), ("refuse", "refused")])
def test_a_query_or_refusal_needs_a_message_to_the_customer(
    pharmacist_client, product, client, action, status
):
    order = new_order(product)
    response = act(pharmacist_client, order, action, note="kept")
    assert response.status_code == 400
    assert "Write the message the customer will read." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PRESCRIBED and order.status_changes.count() == 1

    message = "We cannot supply this with the other medicine you take."
    assert act(pharmacist_client, order, action, message=message).status_code == 302
    order.refresh_from_db()
    assert order.status == status
    assert order.status_changes.last().message_to_customer == message
    client.logout()
    assert message in client.get(f"/orders/{order.status_token}/").content.decode()


def test_a_query_answered_comes_back_to_the_queue_and_can_pass(pharmacist_client, product):
    order = new_order(product)
    act(pharmacist_client, order, "query", message="Are you pregnant?")
    pharmacist_client.post(f"/orders/{order.status_token}/reply/", {"reply": "No."})
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and order.awaits_check
    html = pharmacist_client.get(order_url(order)).content.decode()
    assert "No." in html and "Are you pregnant?" in html
    assert act(pharmacist_client, order, "pass").status_code == 302


def test_an_order_awaiting_its_prescription(pharmacist_client, client, product_index, seed_mode):
    pom = ProductPageFactory(
        parent=product_index, legal_status=LegalStatus.PRESCRIPTION_ONLY, packs=[28]
    )
    client.post("/cart/add/", {"pack": pom.pack_sizes.get().pk, "count": 1})
    check_out(client)
    order = Order.objects.get()
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION
    assert act(pharmacist_client, order, "pass").status_code == 400  # not before it comes
    assert act(pharmacist_client, order, "prescription_received").status_code == 302
    assert act(pharmacist_client, order, "pass").status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CHECK_PASSED


def test_cancel_and_nothing_after(pharmacist_client, product):
    order = new_order(product)
    assert act(pharmacist_client, order, "cancel", note="Customer called").status_code == 302
    for action in ("pass", "dispatch", "complete", "cancel", "made-up"):
        response = act(pharmacist_client, order, action)
        assert response.status_code == 400
        assert "That action is not possible for this order now" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.status_changes.count() == 2


def test_an_unsent_email_is_shown_on_the_order(pharmacist_client, product):
    order = new_order(product)
    OrderEmail.objects.filter(order=order).update(attempts=1, last_error="Connection refused")
    html = pharmacist_client.get(order_url(order)).content.decode()
    assert "1 email to the customer not sent yet" in html and "Connection refused" in html


# --- Subject access: the export -------------------------------------------------------------


def test_export_one_customers_orders_as_json(pharmacist_client, product):
    first = new_order(product)
    act(pharmacist_client, first, "query", message="Any allergies?", note="Ask about nuts")
    second = new_order(product, email="SAM@example.com")
    other = new_order(product, name="Jo Evans", email="jo@example.org")
    assert "Export this customer" in pharmacist_client.get(order_url(first)).content.decode()
    response = pharmacist_client.post(EXPORT, {"email": "sam@example.com"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [o["reference"] for o in data["orders"]] == [first.reference, second.reference]
    assert other.reference not in response.content.decode()
    exported = data["orders"][0]
    assert exported["name"] == "Sam Patel" and exported["date_of_birth"] == "1980-03-27"
    assert exported["lines"] == [
        {
            "product": "Hayfever 10 mg",
            "pack": "30 tablets",
            "count": 1,
            "unit_price": str(Decimal(product.pack_sizes.get().price)),
            "pharmacy_answers": [],  # prescribed: the answers are the consultation's
        }
    ]
    assert exported["history"][-1]["message_to_customer"] == "Any allergies?"


def test_the_export_form_asks_for_an_email(pharmacist_client):
    assert pharmacist_client.get(EXPORT).status_code == 200
    response = pharmacist_client.post(EXPORT, {"email": "not an email"})
    assert response.status_code == 400


def test_a_pack_deleted_after_the_order_keeps_the_line(pharmacist_client, product):
    order = new_order(product)
    product.pack_sizes.all().delete()
    html = pharmacist_client.get(order_url(order)).content.decode()
    assert "Hayfever 10 mg" in html and "30 tablets" in html
