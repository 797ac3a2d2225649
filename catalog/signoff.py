"""Medical sign-off: who may edit and publish under a products index, and the workflow.

The roles themselves come from a data migration (home/migrations/0002_editorial_roles).
Page rights and the workflow are attached to each products index, because a page's
rights apply to it and its descendants and no index exists when migrations run. This runs
when an index is created (the post_save receiver in catalog.apps) and from load_demo; it is
idempotent, so running it again changes nothing.
"""

from django import forms
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import (
    AbstractGroupApprovalTask,
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
REVIEW_MODERATORS = "Review moderators"
WORKFLOW_NAME = "Medical sign-off"
TASK_NAME = "Medical reviewer approval"

# Editors write and submit; only medical reviewers publish.
PAGE_RIGHTS = {
    EDITORS: ["add_page", "change_page"],
    MEDICAL_REVIEWERS: ["add_page", "change_page", "publish_page"],
}


OVERRIDE = "approve_despite_checks"
OVERRIDE_PREFIX = "Approved although readiness checks failed. Reason: "


class OverrideReasonForm(forms.Form):
    comment = forms.CharField(
        label="Why approve although readiness checks fail?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Required. Recorded in the page's history with your name.",
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Write the reason for approving anyway.")
        return comment


def _failed_checks(page):
    """The failing readiness checks of a product page as submitted (other pages have none)."""
    from .readiness import Draft, failures, run_checks

    if hasattr(page, "get_latest_revision_as_object"):
        page = page.get_latest_revision_as_object()
    if not hasattr(page, "ingredients"):
        return []
    return failures(run_checks(Draft.of(page)))


class MedicalSignOffTask(AbstractGroupApprovalTask):
    """A medical reviewer's approval that knows the readiness checks (catalog/readiness.py).

    While a check fails, "Approve" is replaced by "Approve despite failing checks", which
    needs a written reason; the reason is the approval's comment, in the page's history.
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if not actions or not _failed_checks(obj):
            return actions
        return [a for a in actions if a[0] != "approve"] + [
            (OVERRIDE, "Approve despite failing checks", True)
        ]

    def get_form_for_action(self, action):
        if action == OVERRIDE:
            return OverrideReasonForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.revision.as_object() if task_state.revision else None
        if action_name == "approve" and page is not None and _failed_checks(page):
            raise PermissionDenied("Readiness checks fail: approving needs a written reason.")
        if action_name == OVERRIDE:
            reason = (kwargs.get("comment") or "").strip()
            if not reason:
                raise PermissionDenied("Approving despite failing checks needs a written reason.")
            return super().on_action(task_state, user, "approve", comment=OVERRIDE_PREFIX + reason)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Medical reviewers approve; failing readiness checks need a written reason."

    class Meta:
        verbose_name = "medical sign-off task"


def _sign_off_task(reviewers):
    """The workflow's task; a plain group approval task from before the checks is retired."""
    task = MedicalSignOffTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        for old in GroupApprovalTask.objects.filter(name=TASK_NAME):
            old.name = f"{TASK_NAME} (before readiness checks)"
            old.active = False
            old.save(update_fields=["name", "active"])
            WorkflowTask.objects.filter(task=old).delete()
        task = MedicalSignOffTask.objects.create(name=TASK_NAME)
        task.groups.set([reviewers])
    return task


def medical_sign_off_workflow():
    """The "Medical sign-off" workflow with its one task: approval by a medical reviewer."""
    reviewers = Group.objects.get(name=MEDICAL_REVIEWERS)
    task = _sign_off_task(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # A workflow without tasks would publish on submission: make sure the task is in it.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def require_medical_sign_off(index):
    """Give editors and medical reviewers their rights on `index`; assign the workflow."""
    if not Group.objects.filter(name=MEDICAL_REVIEWERS).exists():
        return  # roles not migrated (e.g. during migrations themselves)
    workflow = medical_sign_off_workflow()
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        )
    }
    for group in Group.objects.filter(name__in=PAGE_RIGHTS):
        for codename in PAGE_RIGHTS[group.name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=permissions[codename]
            )
