"""Medical sign-off: who may edit and publish under a products index, and the workflow.

The roles themselves come from a data migration (home/migrations/0002_editorial_roles).
Page rights and the workflow are attached to each products index, because a page's
rights apply to it and its descendants and no index exists when migrations run. This runs
when an index is created (the post_save receiver in catalog.apps) and from load_demo; it is
idempotent, so running it again changes nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
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


def medical_sign_off_workflow():
    """The "Medical sign-off" workflow with its one task: approval by a medical reviewer."""
    reviewers = Group.objects.get(name=MEDICAL_REVIEWERS)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([reviewers])
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
