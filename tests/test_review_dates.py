"""Medical review dates: shown on the product page, validated in the admin, set in the demo."""

import re
from datetime import date

import pytest
from django.urls import reverse

from catalog.demo import load_demo
from catalog.models import PackSize, ProductCategory, ProductPage
from tests.admin_forms import overview, product_form_data
from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_page_shows_when_it_was_reviewed_and_is_due_again(client, product_index):
    page = ProductPageFactory(
        parent=product_index,
        last_reviewed=date(2026, 3, 1),
        reviewed_by="A. Patel, MPharm",
        next_review_due=date(2027, 3, 1),
    )
    html = client.get(page.url).content.decode()
    assert "Page last reviewed: 1 March 2026 · Next review due: 1 March 2027" in text(html)
    assert "Reviewed by A. Patel, MPharm" in text(html)
    assert '<time datetime="2026-03-01">1 March 2026</time>' in html


def test_page_without_review_dates_shows_no_review_line(client, product_index):
    page = ProductPageFactory(parent=product_index)
    html = client.get(page.url).content.decode()
    assert "Page last reviewed" not in html and "Next review due" not in html


def test_next_review_must_come_after_the_last_review(client, medical_reviewer, product_index):
    page = ProductPageFactory(parent=product_index, slug="baclofen-10-mg")
    client.force_login(medical_reviewer)
    data = product_form_data(
        body=[overview("Overview", "<p>Text.</p>")],
        last_reviewed="2026-03-01",
        reviewed_by="A. Patel, MPharm",
        next_review_due="2026-02-01",
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 200
    assert "The next review must be due after the last review date." in response.content.decode()
    assert ProductPage.objects.get(pk=page.pk).next_review_due is None

    data["next_review_due"] = "2027-03-01"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.last_reviewed, page.next_review_due) == (date(2026, 3, 1), date(2027, 3, 1))


def test_demo_product_has_review_dates_and_reloading_keeps_editors_changes():
    load_demo()
    product = ProductPage.objects.get(slug="baclofen-40-mg")
    assert product.last_reviewed == date(2026, 3, 1)
    assert product.next_review_due == date(2027, 3, 1)
    assert product.reviewed_by
    ProductPage.objects.filter(pk=product.pk).update(next_review_due=date(2026, 9, 1))
    assert load_demo() == []
    assert ProductPage.objects.get(pk=product.pk).next_review_due == date(2026, 9, 1)


@pytest.mark.parametrize("model", [ProductPage, PackSize, ProductCategory])
def test_every_editable_field_has_help_text(model):
    own_fields = [
        f
        for f in model._meta.get_fields()
        if getattr(f, "editable", False)
        and not f.auto_created
        and f.model is model
        and f.name not in {"id", "page", "sort_order", "page_ptr"}
    ]
    assert own_fields
    for field in own_fields:
        assert field.help_text, f"{model.__name__}.{field.name} has no help text"
