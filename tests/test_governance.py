"""Roles and medical sign-off, exercised through the Wagtail admin's own views."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowState

from catalog.demo import load_demo
from catalog.models import ActiveIngredient, ProductIndexPage, ProductPage
from catalog.signoff import WORKFLOW_NAME, require_medical_sign_off
from home.site_settings import PharmacySettings
from tests.admin_forms import (
    add_url,
    edit_url,
    overview,
    product_form_data,
    ready_for_sign_off,
)
from tests.factories import ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


def workflow_action_url(page, action):
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def submit_new_product(client, index, **fields):
    """An editor writes a product that passes the readiness checks and clicks "Submit to
    Medical sign-off"."""
    baclofen, _ = ActiveIngredient.objects.get_or_create(name="Baclofen")
    data = product_form_data(publish=False, **{**ready_for_sign_off(baclofen), **fields})
    data["action-submit"] = "action-submit"
    response = client.post(add_url(index), data)
    assert response.status_code == 302, response.context["form"].errors
    return ProductPage.objects.get(slug=data["slug"])


# --- The roles the migration created -------------------------------------------------


def test_migration_creates_the_three_roles_and_removes_wagtails_moderators():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editors", "Medical reviewers", "Review moderators"} <= names
    assert "Moderators" not in names
    # Nobody has page rights on the root any more, and the default workflow is off.
    root = Page.get_first_root_node()
    assert not GroupPagePermission.objects.filter(page=root).exists()
    assert not WorkflowPage.objects.filter(page=root).exists()
    assert not Workflow.objects.get(name="Moderators approval").active


def test_a_new_products_index_requires_medical_sign_off(product_index):
    workflow = WorkflowPage.objects.get(page=product_index).workflow
    assert workflow.name == WORKFLOW_NAME
    [task] = [t.specific for t in workflow.tasks]
    assert set(task.groups.values_list("name", flat=True)) == {"Medical reviewers"}
    rights = set(
        GroupPagePermission.objects.filter(page=product_index).values_list(
            "group__name", "permission__codename"
        )
    )
    assert rights == {
        ("Editors", "add_page"),
        ("Editors", "change_page"),
        ("Medical reviewers", "add_page"),
        ("Medical reviewers", "change_page"),
        ("Medical reviewers", "publish_page"),
    }
    require_medical_sign_off(product_index)  # idempotent
    assert GroupPagePermission.objects.filter(page=product_index).count() == 5
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_load_demo_puts_the_demo_products_under_medical_sign_off():
    load_demo()
    load_demo()
    index = ProductIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=index).workflow.name == WORKFLOW_NAME
    assert GroupPagePermission.objects.filter(page=index).count() == 5


# --- Editors ---------------------------------------------------------------------------


def test_editor_can_write_a_product_but_not_publish_it(client, editor, product_index):
    client.force_login(editor)
    response = client.get(add_url(product_index))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    # Even a hand-made "publish" POST only saves a draft.
    response = client.post(
        add_url(product_index),
        product_form_data(body=[overview("Overview", "<p>Text.</p>")], publish=True),
    )
    assert response.status_code == 302
    page = ProductPage.objects.get(slug="baclofen-10-mg")
    assert not page.live and page.has_unpublished_changes
    assert client.get("/products/baclofen-10-mg/").status_code == 404


def test_editor_cannot_edit_outside_the_products_index(client, editor, product_index):
    client.force_login(editor)
    home = product_index.get_parent()
    assert client.get(edit_url(home)).status_code in (302, 403)


def test_editor_can_add_a_category_and_submit_for_medical_sign_off(client, editor, product_index):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_catalog_productcategory:add"),
        {"name": "Muscle relaxants", "slug": "muscle-relaxants"},
    )
    assert response.status_code == 302

    page = submit_new_product(client, product_index)
    assert not page.live
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == editor
    assert page.current_workflow_task.name == "Medical reviewer approval"


# --- Medical reviewers ------------------------------------------------------------------


def test_medical_reviewer_approves_and_the_page_goes_live(
    client, editor, medical_reviewer, product_index
):
    client.force_login(editor)
    page = submit_new_product(client, product_index)

    client.force_login(medical_reviewer)
    # The reviewer sees it waiting on their dashboard.
    assert "Baclofen 10 mg" in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(workflow_action_url(page, "approve"), {"comment": "Checked."})
    assert response.status_code == 302

    page.refresh_from_db()
    assert page.live
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert page.live_revision.approved_go_live_at is None
    html = client.get("/products/baclofen-10-mg/").content.decode()
    assert "Relaxes stiff muscles." in html


def test_editor_cannot_approve_their_own_submission(client, editor, product_index):
    client.force_login(editor)
    page = submit_new_product(client, product_index)
    response = client.post(workflow_action_url(page, "approve"), {"comment": ""})
    assert response.status_code in (302, 403)  # Wagtail redirects with "no permission"
    assert page.current_workflow_task_state.status == "in_progress"
    page.refresh_from_db()
    assert not page.live


def test_rejection_returns_the_page_to_the_editor_with_the_comment(
    client, editor, medical_reviewer, product_index
):
    client.force_login(editor)
    page = submit_new_product(client, product_index)
    mail.outbox.clear()

    client.force_login(medical_reviewer)
    comment = "The maximum daily dose is 100 mg, not 120 mg: please correct the dosage."
    response = client.post(workflow_action_url(page, "reject"), {"comment": comment})
    assert response.status_code == 302

    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The editor is told, with the reviewer's words...
    to_editor = [m for m in mail.outbox if editor.email in m.to]
    assert to_editor and comment in to_editor[0].body
    # ...and sees them in the page's workflow history in the admin.
    client.force_login(editor)
    history = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=(page.pk, state.pk))
    )
    assert history.status_code == 200
    assert comment in history.content.decode()
    # The editor can fix it and resubmit.
    edit = client.get(edit_url(page)).content.decode()
    assert "Changes requested" in edit or "needs changes" in edit.lower()
    data = product_form_data(body=[overview("Overview", "<p>Up to 100 mg a day.</p>")])
    del data["action-publish"]
    data["action-restart-workflow"] = "action-restart-workflow"
    assert client.post(edit_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live


def test_medical_reviewer_can_publish_an_edit_directly(client, medical_reviewer, product_index):
    page = ProductPageFactory(parent=product_index, title="Baclofen 10 mg", slug="baclofen-10-mg")
    client.force_login(medical_reviewer)
    data = product_form_data(body=[overview("Overview", "<p>Reviewed text.</p>")])
    assert client.post(edit_url(page), data).status_code == 302
    assert "Reviewed text." in client.get("/products/baclofen-10-mg/").content.decode()


# --- Review moderators ------------------------------------------------------------------


def test_review_moderator_cannot_edit_or_add_pages(client, review_moderator, product_index):
    page = ProductPageFactory(parent=product_index, slug="baclofen-10-mg")
    ProductCategoryFactory(name="Muscle relaxants")
    client.force_login(review_moderator)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # may use the admin
    assert client.get(edit_url(page)).status_code in (302, 403)
    response = client.post(edit_url(page), product_form_data(title="Changed"))
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title != "Changed"
    assert client.get(add_url(product_index)).status_code in (302, 403)
    assert client.get(reverse("wagtailsnippets_catalog_productcategory:list")).status_code in (
        302,
        403,
    )


def test_editors_and_reviewers_cannot_change_site_settings_or_users(
    client, editor, medical_reviewer, home
):
    for user in (editor, medical_reviewer):
        client.force_login(user)
        settings_url = reverse(
            "wagtailsettings:edit", args=("home", "pharmacysettings", PharmacySettings.load().pk)
        )
        assert client.get(settings_url).status_code in (302, 403)
        assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
        assert client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))).status_code in (
            302,
            403,
        )
