"""Drafts, preview, revisions and scheduled publishing of product pages, through the admin."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from catalog.blocks import ProductBodyBlock
from catalog.models import ActiveIngredient, ProductPage
from tests.admin_forms import (
    add_url,
    dosage,
    edit_url,
    overview,
    product_form_data,
    ready_for_sign_off,
)
from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def draft(data):
    data.pop("action-publish", None)
    return data


# --- Required fields: deferred for drafts, enforced on publish and submit -------------


def test_a_draft_saves_without_a_summary(client, editor, product_index):
    client.force_login(editor)
    response = client.post(add_url(product_index), draft(product_form_data(summary="")))
    assert response.status_code == 302, response.context["form"].errors
    page = ProductPage.objects.get(slug="baclofen-10-mg")
    assert page.summary == "" and not page.live


def test_publishing_without_a_summary_shows_the_error(client, medical_reviewer, product_index):
    client.force_login(medical_reviewer)
    response = client.post(add_url(product_index), product_form_data(summary=""))
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert "This field is required." in response.content.decode()
    assert not ProductPage.objects.filter(slug="baclofen-10-mg").exists()


def test_a_draft_without_a_summary_cannot_be_published_later(
    client, editor, medical_reviewer, product_index
):
    client.force_login(editor)
    client.post(add_url(product_index), draft(product_form_data(summary="")))
    page = ProductPage.objects.get(slug="baclofen-10-mg")
    # Submitting for sign-off needs the required fields too...
    data = product_form_data(summary="")
    data["action-submit"] = data.pop("action-publish")
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert not ProductPage.objects.get(pk=page.pk).workflow_in_progress
    # ...and so does publishing.
    client.force_login(medical_reviewer)
    response = client.post(edit_url(page), product_form_data(summary=""))
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert not ProductPage.objects.get(pk=page.pk).live


# --- Preview --------------------------------------------------------------------------


def test_editor_previews_unsaved_changes(client, editor, product_index):
    page = ProductPageFactory(parent=product_index, slug="baclofen-10-mg")
    client.force_login(editor)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    data = product_form_data(
        body=[overview("Overview", "<p>A sentence not yet saved.</p>")],
        next_review_due="2027-03-01",
    )
    response = client.post(preview_url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    html = client.get(preview_url).content.decode()
    assert "A sentence not yet saved." in html
    assert "Next review due" in html and "1 March 2027" in html
    # Nothing was saved.
    assert "A sentence not yet saved." not in client.get(page.url).content.decode()


def test_editor_previews_a_block(client, editor):
    client.force_login(editor)
    block = ProductBodyBlock().child_blocks["side_effects"]
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    assert block.meta.preview_value["heading"] in response.content.decode()


# --- Revisions ------------------------------------------------------------------------


def test_comparing_revisions_shows_the_changed_sections(client, editor, product_index):
    page = ProductPageFactory(parent=product_index, slug="baclofen-10-mg", packs=[])
    client.force_login(editor)
    schedule = [{"when": "Week 1", "dose": "5 mg three times a day"}]
    first = product_form_data(
        body=[overview("Overview", "<p>Eases stiffness.</p>"), dosage("Dosage", "", schedule)]
    )
    client.post(edit_url(page), draft(first))
    changed = [{"when": "Week 1", "dose": "10 mg three times a day"}]
    second = product_form_data(
        body=[overview("Overview", "<p>Eases stiffness.</p>"), dosage("Dosage", "", changed)],
        summary="Now with a clearer summary.",
    )
    client.post(edit_url(page), draft(second))
    older, newer = page.revisions.order_by("-created_at", "-pk")[:2][::-1]

    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, older.pk, newer.pk))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Now with a clearer summary." in html
    assert "10 mg three times a day" in html
    assert "5 mg three times a day" in html  # the old dose, shown as removed
    # Only the changed fields are listed: the title and SKU did not change.
    changed_fields = re.findall(r'<div class="title-wrapper">([^<]+):</div>', html)
    assert changed_fields == ["Summary", "Body"]


# --- Scheduled publishing -------------------------------------------------------------


def test_scheduled_page_goes_live_at_its_time_and_expires(client, medical_reviewer, product_index):
    client.force_login(medical_reviewer)
    with freeze_time(datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)):
        data = product_form_data(
            body=[overview("Overview", "<p>Scheduled text.</p>")],
            go_live_at="2026-06-02 09:00",
            expire_at="2026-06-30 17:00",
        )
        response = client.post(add_url(product_index), data)
        assert response.status_code == 302, response.context["form"].errors
        page = ProductPage.objects.get(slug="baclofen-10-mg")
        assert not page.live
        assert page.get_latest_revision().approved_go_live_at is not None
        call_command("publish_scheduled")
        assert client.get("/products/baclofen-10-mg/").status_code == 404

    with freeze_time(datetime(2026, 6, 2, 9, 1, tzinfo=LONDON)):
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert page.live
        assert "Scheduled text." in client.get("/products/baclofen-10-mg/").content.decode()

    with freeze_time(datetime(2026, 6, 30, 17, 1, tzinfo=LONDON)):
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert not page.live and page.expired
        assert client.get("/products/baclofen-10-mg/").status_code == 404


def test_approval_of_a_scheduled_page_waits_for_its_time(
    client, editor, medical_reviewer, product_index
):
    with freeze_time(datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)):
        client.force_login(editor)
        baclofen = ActiveIngredient.objects.create(name="Baclofen")
        data = product_form_data(**ready_for_sign_off(baclofen), go_live_at="2026-06-08 09:00")
        data["action-submit"] = data.pop("action-publish")
        response = client.post(add_url(product_index), data)
        assert response.status_code == 302, response.context["form"].errors
        page = ProductPage.objects.get(slug="baclofen-10-mg")

        client.force_login(medical_reviewer)
        task_state = page.current_workflow_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
        )
        assert client.post(url, {"comment": ""}).status_code == 302
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert not page.live

    with freeze_time(datetime(2026, 6, 8, 9, 0, 30, tzinfo=LONDON) + timedelta(minutes=1)):
        call_command("publish_scheduled")
        page.refresh_from_db()
        assert page.live
