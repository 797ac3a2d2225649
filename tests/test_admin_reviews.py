"""Moderating reviews through the Wagtail admin's own views, bulk actions and permissions."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from catalog.reviews.models import Review, ReviewStatus
from tests.admin_forms import product_form_data
from tests.factories import ProductPageFactory, ReviewFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_catalog_review:list")


def edit_url(review):
    return reverse("wagtailsnippets_catalog_review:edit", args=(review.pk,))


def bulk_url(action, reviews):
    query = urlencode([("next", LIST_URL)] + [("id", r.pk) for r in reviews])
    return reverse("wagtail_bulk_action", args=("catalog", "review", action)) + "?" + query


@pytest.fixture
def product(product_index):
    return ProductPageFactory(parent=product_index, title="Baclofen 40 mg", accept_reviews=True)


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("moderator", password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name="Review moderators"))
    return user


@pytest.fixture
def editor_without_review_rights(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def page_html(client, product):
    response = client.get(product.url)
    assert response.status_code == 200
    return response.content.decode()


def test_listing_shows_product_rating_status_and_date_and_filters(admin_client, product):
    other = ProductPageFactory(parent=product.get_parent(), title="Paracetamol 500 mg")
    ReviewFactory(product=product, author_name="Pending Pat", status=ReviewStatus.PENDING, rating=2)
    ReviewFactory(product=other, author_name="Approved Alex", rating=5)

    def rows(query=None):
        html = admin_client.get(LIST_URL, query or {}).content.decode()
        return re.search(r"<tbody>.*?</tbody>", html, re.S).group(0)

    everything = rows()
    for text in ["Baclofen 40 mg", "Paracetamol 500 mg", "Pending", "Approved", "Pending Pat"]:
        assert text in everything
    assert "Pending Pat" in rows({"status": "pending"})
    assert "Approved Alex" not in rows({"status": "pending"})
    assert "Approved Alex" in rows({"product": other.pk})
    assert "Pending Pat" not in rows({"product": other.pk})
    assert "Pending Pat" in rows({"rating": 2}) and "Approved Alex" not in rows({"rating": 2})
    assert "Approved Alex" in rows({"q": "Alex"}) and "Pending Pat" not in rows({"q": "Alex"})


def test_bulk_approve_shows_reviews_and_updates_average_and_count(
    admin_client, admin_user, product
):
    ReviewFactory(product=product, rating=5)
    pending = [
        ReviewFactory(product=product, rating=r, status=ReviewStatus.PENDING, text=f"Pending {r}.")
        for r in (2, 3)
    ]
    assert "Reviews (1)" in page_html(admin_client, product)

    confirm = admin_client.get(bulk_url("approve", pending))
    assert confirm.status_code == 200 and "No review is deleted." in confirm.content.decode()
    response = admin_client.post(bulk_url("approve", pending))
    assert response.status_code == 302 and response["Location"] == LIST_URL

    for review in pending:
        review.refresh_from_db()
        assert review.status == ReviewStatus.APPROVED
        assert review.moderated_by == admin_user and review.moderated_at is not None
    history = admin_client.get(
        reverse("wagtailsnippets_catalog_review:history", args=(pending[0].pk,))
    )
    assert "Marked as approved" in history.content.decode()
    html = page_html(admin_client, product)
    assert "Reviews (3)" in html and "Pending 2." in html and "Pending 3." in html
    assert "Rated 3.3 out of 5" in html  # (5 + 2 + 3) / 3


@pytest.mark.parametrize("action,status", [("reject", "rejected"), ("mark_spam", "spam")])
def test_bulk_reject_or_spam_hides_reviews_without_deleting(admin_client, product, action, status):
    keep = ReviewFactory(product=product, rating=5, text="Stays visible.")
    hide = ReviewFactory(product=product, rating=1, text="Goes away.")
    assert "Reviews (2)" in page_html(admin_client, product)

    assert admin_client.post(bulk_url(action, [hide])).status_code == 302
    hide.refresh_from_db()
    assert hide.status == status and Review.objects.count() == 2
    html = page_html(admin_client, product)
    assert "Reviews (1)" in html and "Goes away." not in html and "Stays visible." in html
    assert "Rated 5 out of 5" in html
    keep.refresh_from_db()
    assert keep.status == ReviewStatus.APPROVED


def test_moderator_changes_status_in_the_edit_form_and_cannot_rewrite_the_review(
    client, moderator, product
):
    review = ReviewFactory(product=product, status=ReviewStatus.PENDING, text="Original words.")
    client.force_login(moderator)
    form = client.get(edit_url(review))
    assert form.status_code == 200 and "Original words." in form.content.decode()

    data = nested_form_data({"status": "approved", "text": "Rewritten!", "rating": "1"})
    response = client.post(edit_url(review), data)
    assert response.status_code == 302

    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert (review.text, review.rating) == ("Original words.", 4)  # read-only in the admin
    assert review.moderated_by == moderator and review.moderated_at is not None
    assert "Original words." in page_html(client, product)

    client.post(edit_url(review), nested_form_data({"status": "rejected"}))
    review.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED
    assert "Original words." not in page_html(client, product)


def test_reviews_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("wagtailsnippets_catalog_review:add")).status_code in (302, 403)
    assert (
        reverse("wagtailsnippets_catalog_review:add")
        not in admin_client.get(LIST_URL).content.decode()
    )


def test_moderators_see_the_pending_count_on_the_dashboard(client, moderator, product):
    ReviewFactory.create_batch(2, product=product, status=ReviewStatus.PENDING)
    ReviewFactory(product=product)
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 reviews awaiting moderation" in html
    assert f'href="{LIST_URL}?status=pending"' in html
    assert client.get(LIST_URL).status_code == 200
    # A moderator moderates but cannot delete.
    delete = reverse("wagtail_bulk_action", args=("catalog", "review", "delete"))
    client.post(f"{delete}?id={Review.objects.first().pk}")
    assert Review.objects.count() == 3


def test_a_user_without_review_permissions_can_neither_list_nor_moderate(
    client, editor_without_review_rights, product
):
    review = ReviewFactory(product=product, status=ReviewStatus.PENDING)
    client.force_login(editor_without_review_rights)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert "awaiting moderation" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(LIST_URL).status_code in (302, 403)
    assert client.get(edit_url(review)).status_code in (302, 403)
    assert client.post(edit_url(review), {"status": "approved"}).status_code in (302, 403)
    for action in ("approve", "reject", "mark_spam"):
        assert client.post(bulk_url(action, [review])).status_code in (302, 403)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and review.moderated_by is None


def test_the_review_moderators_group_has_admin_access_and_review_rights_only():
    group = Group.objects.get(name="Review moderators")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("wagtailadmin", "access_admin"),
        ("catalog", "view_review"),
        ("catalog", "change_review"),
    }


def test_deleting_a_product_page_in_the_admin_keeps_its_reviews(admin_client, product):
    review = ReviewFactory(product=product, text="Still here.")
    ReviewFactory(product=product, status=ReviewStatus.PENDING)
    delete = reverse("wagtailadmin_pages:delete", args=(product.pk,))
    assert admin_client.get(delete).status_code == 200
    assert admin_client.post(delete).status_code == 302

    assert Review.objects.count() == 2
    review.refresh_from_db()
    assert review.product is None and review.product_title == "Baclofen 40 mg"
    listing = admin_client.get(LIST_URL)
    assert listing.status_code == 200 and "Baclofen 40 mg (deleted)" in listing.content.decode()
    assert admin_client.get(edit_url(review)).status_code == 200


def test_unpublishing_a_product_page_keeps_its_reviews(admin_client, product):
    ReviewFactory.create_batch(2, product=product)
    unpublish = reverse("wagtailadmin_pages:unpublish", args=(product.pk,))
    assert admin_client.post(unpublish).status_code == 302
    assert Review.objects.filter(product=product).count() == 2
    assert admin_client.get(product.url).status_code == 404


def test_listing_query_count_does_not_grow_with_reviews(
    admin_client, product, django_assert_max_num_queries
):
    ReviewFactory.create_batch(3, product=product)
    admin_client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(LIST_URL)
    ReviewFactory.create_batch(30, product=product)
    with django_assert_max_num_queries(len(few)):
        admin_client.get(LIST_URL)


@pytest.mark.parametrize("existing", [False, True])
def test_editors_preview_a_product_that_accepts_reviews(admin_client, product, existing):
    """Previewing (also a page not saved yet) shows the reviews section and never fails.
    A pharmacy medicine: a prescription-only one shows no reviews by default (supply rules)."""
    ReviewFactory(product=product, text="Shown in the preview.")
    if existing:
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(product.pk,))
        data = product_form_data(
            title=product.title, slug=product.slug, accept_reviews="on", legal_status="p"
        )
    else:
        parent = product.get_parent()
        url = reverse(
            "wagtailadmin_pages:preview_on_add", args=("catalog", "productpage", parent.pk)
        )
        data = product_form_data(
            title="New medicine", slug="new-medicine", accept_reviews="on", legal_status="p"
        )
    response = admin_client.post(url, data)
    assert response.status_code == 200 and response.json()["is_valid"]
    preview = admin_client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    if existing:
        assert "Reviews (1)" in html and "Shown in the preview." in html
    else:
        assert "Reviews (0)" in html and "Be the first to review “New medicine”" in html


def test_the_product_filter_is_a_page_chooser_not_a_list_of_every_product(
    admin_client, product_index
):
    products = [ProductPageFactory(parent=product_index, title=f"Medicine {i}") for i in range(30)]
    ReviewFactory(product=products[0])
    html = admin_client.get(LIST_URL).content.decode()
    assert "Medicine 29" not in html  # no <option> per product
    assert "Choose a page" in html
    chosen = admin_client.get(LIST_URL, {"product": products[0].pk}).content.decode()
    assert "Medicine 0" in chosen
