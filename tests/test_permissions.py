"""The permission table of docs/permissions.md, walked through the admin's own URLs.

Each cell is one role trying one action with the admin's real views (GET the screen,
POST the form) and the database saying whether it happened, so a right that changes
(a Wagtail upgrade, a group edited by hand in a migration) fails a cell here.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from catalog.models import ActiveIngredient, ProductPage
from home.site_settings import PharmacySettings
from orders.services import place_prescribed_order
from tests.admin_forms import add_url, edit_url, product_form_data, ready_for_sign_off
from tests.consultations_helpers import fine_answers, live_questionnaire, prescriber
from tests.factories import (
    PackSizeFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
    ReviewFactory,
    UserFactory,
)
from tests.test_consultations_admin import submit_consultation

pytestmark = pytest.mark.django_db

ACTIONS = [
    "edit",
    "submit",
    "approve",
    "publish",
    "unpublish",
    "delete",
    "move",
    "privacy",
    "settings",
    "users",
    "reviews",
    "orders",
    "consultations",
]

# The table of docs/permissions.md: the actions each role may take.
ALLOWED = {
    "Editors": {"edit", "submit"},
    "Medical reviewers": {"edit", "submit", "approve", "publish", "unpublish"},
    "Review moderators": {"reviews"},
    "Pharmacists": {"orders"},
    "Prescribers": {"consultations"},
    "a user with no group": set(),
    "anonymous": set(),
    "superusers": set(ACTIONS),
}


def make_user(role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "superusers":
        return UserFactory(username="admin", is_superuser=True)
    if role == "Prescribers":
        return prescriber("someone")  # with their registration, as the group needs
    groups = [] if role == "a user with no group" else [role]
    return UserFactory(username="someone", groups=groups)


@pytest.fixture
def world(client, product_index):
    """A live product, a product an editor submitted for sign-off, a second index to move
    to, and a pending review."""
    product = ProductPageFactory(parent=product_index, title="Baclofen 10 mg", slug="baclofen")
    author = UserFactory(username="author", groups=["Editors"])
    client.force_login(author)
    baclofen = ActiveIngredient.objects.create(name="Baclofen")
    data = product_form_data(publish=False, **ready_for_sign_off(baclofen), slug="submitted")
    data["action-submit"] = "action-submit"
    assert client.post(add_url(product_index), data).status_code == 302
    client.logout()
    pom = ProductPageFactory(parent=product_index, title="Baclofen 40 mg", legal_status="pom")
    PackSizeFactory(page=pom, quantity=90)
    return {
        "consultation": submit_consultation(client, pom, fine_answers(live_questionnaire(pom))),
        "index": product_index,
        "product": product,
        "submitted": ProductPage.objects.get(slug="submitted"),
        "other_index": ProductIndexPageFactory(parent=product_index.get_parent(), slug="more"),
        "review": ReviewFactory(product=product, status="pending"),
        "order": place_prescribed_order(
            {"name": "Sam Patel", "email": "sam@example.com", "phone": "07700900982"}
            | {"date_of_birth": date(1980, 3, 27), "fulfilment": "collection"},
            product,
            PackSizeFactory(page=product, quantity=30, price=Decimal("5.00")),
            1,
            "Dr Ada Lovelace",
            "C-1",
        ),
    }


def shows(client, url):
    return client.get(url).status_code == 200


def try_edit(client, world):
    product = world["product"]
    data = product_form_data(publish=False, title="Edited title", slug=product.slug)
    client.post(edit_url(product), data)
    latest = ProductPage.objects.get(pk=product.pk).get_latest_revision()
    return shows(client, edit_url(product)) and latest.content["title"] == "Edited title"


def try_submit(client, world):
    product = world["product"]
    baclofen = ActiveIngredient.objects.get(name="Baclofen")
    data = product_form_data(publish=False, **ready_for_sign_off(baclofen), slug=product.slug)
    data["action-submit"] = "action-submit"
    client.post(edit_url(product), data)
    return ProductPage.objects.get(pk=product.pk).workflow_in_progress


def try_approve(client, world):
    page = world["submitted"]
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    client.post(url, {"comment": ""})
    return ProductPage.objects.get(pk=page.pk).live


def try_publish(client, world):
    product = world["product"]
    client.post(edit_url(product), product_form_data(title="Published title", slug=product.slug))
    return ProductPage.objects.get(pk=product.pk).title == "Published title"


def try_unpublish(client, world):
    url = reverse("wagtailadmin_pages:unpublish", args=(world["product"].pk,))
    shown = shows(client, url)
    client.post(url)
    return shown and not ProductPage.objects.get(pk=world["product"].pk).live


def try_delete(client, world):
    url = reverse("wagtailadmin_pages:delete", args=(world["product"].pk,))
    shown = shows(client, url)
    client.post(url)
    return shown and not ProductPage.objects.filter(pk=world["product"].pk).exists()


def try_move(client, world):
    product, destination = world["product"], world["other_index"]
    shown = shows(client, reverse("wagtailadmin_pages:move", args=(product.pk,)))
    client.post(reverse("wagtailadmin_pages:move_confirm", args=(product.pk, destination.pk)))
    moved = ProductPage.objects.get(pk=product.pk).get_parent().pk == destination.pk
    return shown and moved


def try_privacy(client, world):
    product = world["product"]
    url = reverse("wagtailadmin_pages:set_privacy", args=(product.pk,))
    shown = shows(client, url)
    client.post(url, {"restriction_type": "login"})
    return shown and product.view_restrictions.exists()


def try_settings(client, world):
    pk = PharmacySettings.load().pk
    url = reverse("wagtailsettings:edit", args=("home", "pharmacysettings", pk))
    return shows(client, url)


def try_users(client, world):
    return shows(client, reverse("wagtailusers_users:index"))


def try_reviews(client, world):
    review = world["review"]
    listed = shows(client, reverse("wagtailsnippets_catalog_review:list"))
    return listed and shows(
        client, reverse("wagtailsnippets_catalog_review:edit", args=(review.pk,))
    )


def try_orders(client, world):
    """The queue, an order (the customer's details), and a pharmacist's action."""
    order = world["order"]
    url = reverse("orders_admin:edit", args=(order.pk,))
    shown = shows(client, reverse("orders_admin:index")) and shows(client, url)
    client.post(url, {"action": "pass"})
    order.refresh_from_db()
    return shown and order.status == "check_passed"


def try_consultations(client, world):
    """The prescribers' queue and a consultation: the patient's answers and details."""
    consultation = world["consultation"]
    detail = reverse("consultations_admin:detail", args=[consultation.pk])
    queue = client.get(reverse("consultations_admin:queue"))
    return (
        queue.status_code == 200
        and consultation.reference in queue.content.decode()
        and shows(client, detail)
        and "Sam Patel" in client.get(detail).content.decode()
    )


TRIES = {action: globals()[f"try_{action}"] for action in ACTIONS}
CELLS = [(role, action) for role in ALLOWED for action in ACTIONS]


@pytest.mark.parametrize(("role", "action"), CELLS, ids=[f"{r}-{a}" for r, a in CELLS])
def test_each_role_may_do_exactly_what_the_table_says(client, world, role, action):
    user = make_user(role)
    if user.is_authenticated:
        client.force_login(user)
    expected = action in ALLOWED[role]
    assert TRIES[action](client, world) is expected


def test_the_table_in_the_docs_is_the_table_tested():
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "permissions.md").read_text()
    for role, allowed in ALLOWED.items():
        row = next(line for line in doc.splitlines() if line.startswith(f"| {role} |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")[1:]]
        assert cells == ["yes" if action in allowed else "no" for action in ACTIONS], role


def test_a_medical_reviewer_withdraws_a_page_but_cannot_delete_it(client, medical_reviewer, world):
    client.force_login(medical_reviewer)
    product = world["product"]
    explorer = client.get(reverse("wagtailadmin_explore", args=(world["index"].pk,)))
    assert reverse("wagtailadmin_pages:unpublish", args=(product.pk,)) in explorer.text
    assert reverse("wagtailadmin_pages:delete", args=(product.pk,)) not in explorer.text
