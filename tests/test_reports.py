"""The "Medical reviews due" report, as editors and reviewers see it in the admin."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
REPORT = reverse("medical_reviews_due")


def product(index, title, next_review_due, **kwargs):
    return ProductPageFactory(parent=index, title=title, next_review_due=next_review_due, **kwargs)


def listed_titles(html):
    return re.findall(r'<a href="/admin/pages/\d+/edit/"[^>]*>\s*([^<]+?)\s*</a>', html)


@pytest.fixture
def due_pages(product_index):
    """One page in each state the report must tell apart."""
    return {
        "overdue": product(product_index, "Overdue tablets", TODAY - timedelta(days=3)),
        "today": product(product_index, "Due today tablets", TODAY),
        "soon": product(product_index, "Due soon tablets", TODAY + timedelta(days=30)),
        "later": product(product_index, "Later tablets", TODAY + timedelta(days=31)),
        "unset": product(product_index, "Unscheduled tablets", None),
        "draft": product(product_index, "Draft tablets", TODAY - timedelta(days=1), live=False),
    }


@freeze_time(TODAY)
def test_report_lists_exactly_the_overdue_and_due_pages(client, editor, due_pages):
    client.force_login(editor)
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    # Soonest first: overdue, then drafts overdue too, today, within 30 days.
    assert listed_titles(html) == [
        "Overdue tablets",
        "Draft tablets",
        "Due today tablets",
        "Due soon tablets",
    ]
    assert "Overdue by 3 days" in html and "Due today" in html and "Due in 30 days" in html
    edit = reverse("wagtailadmin_pages:edit", args=(due_pages["overdue"].pk,))
    assert f'href="{edit}"' in html


@freeze_time(TODAY)
def test_report_is_sortable(client, medical_reviewer, due_pages):
    client.force_login(medical_reviewer)
    html = client.get(REPORT, {"ordering": "-next_review_due"}).content.decode()
    assert listed_titles(html) == [
        "Due soon tablets",
        "Due today tablets",
        "Draft tablets",
        "Overdue tablets",
    ]
    html = client.get(REPORT, {"ordering": "title"}).content.decode()
    assert listed_titles(html) == sorted(listed_titles(html))
    assert len(listed_titles(html)) == 4


@freeze_time(TODAY)
def test_report_moves_with_the_calendar(client, editor, due_pages):
    client.force_login(editor)
    with freeze_time(TODAY + timedelta(days=1)):
        html = client.get(REPORT).content.decode()
    assert "Later tablets" in listed_titles(html)


@freeze_time(TODAY)
def test_report_says_so_when_nothing_is_due(client, editor, product_index):
    product(product_index, "Later tablets", TODAY + timedelta(days=90))
    client.force_login(editor)
    html = client.get(REPORT).content.decode()
    assert listed_titles(html) == []
    assert "No product page is overdue or due for medical review" in html


def test_report_is_in_the_reports_menu_for_editors_and_reviewers_only(
    client, editor, medical_reviewer, review_moderator, product_index
):
    for user in (editor, medical_reviewer):
        client.force_login(user)
        assert REPORT in client.get(reverse("wagtailadmin_home")).content.decode()
        assert client.get(REPORT).status_code == 200
    client.force_login(review_moderator)
    assert REPORT not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(REPORT).status_code in (302, 403)


@freeze_time(TODAY)
def test_report_query_count_does_not_grow_with_pages(
    client, editor, product_index, django_assert_max_num_queries
):
    client.force_login(editor)
    product(product_index, "First tablets", TODAY)
    client.get(REPORT)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT)
    for n in range(8):
        product(product_index, f"More tablets {n}", TODAY + timedelta(days=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(REPORT).content.decode()
    assert len(listed_titles(html)) == 9
