"""Questionnaires go through the same "Medical sign-off" workflow as product pages.

A snippet's workflow is assigned to its content type (WorkflowContentType). Editors
write and submit questionnaires; medical reviewers approve and publish them. Run after
every migrate (the snippet "publish" permission only exists then); idempotent. Not from
load_demo: creating permissions clears the content-type cache, which the browser tests'
serialized rollback then trips over.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType
from wagtail.snippets.models import create_extra_permissions

from catalog.signoff import EDITORS, MEDICAL_REVIEWERS, medical_sign_off_workflow

QUESTIONNAIRE_RIGHTS = {
    EDITORS: ["add", "change", "view"],
    MEDICAL_REVIEWERS: ["add", "change", "view", "publish"],
}


def require_medical_sign_off_for_questionnaires():
    from .models import Questionnaire

    if not Group.objects.filter(name=MEDICAL_REVIEWERS).exists():
        return  # roles not migrated yet
    if _in_place(Questionnaire):
        return  # nothing to do: and creating permissions again upsets tests' rollbacks
    app_config = apps.get_app_config("consultations")
    create_permissions(app_config, verbosity=0)  # idempotent: this may run before auth's
    create_extra_permissions(app_config)
    content_type = ContentType.objects.get_for_model(Questionnaire)
    for group in Group.objects.filter(name__in=QUESTIONNAIRE_RIGHTS):
        codenames = [f"{action}_questionnaire" for action in QUESTIONNAIRE_RIGHTS[group.name]]
        group.permissions.add(
            *Permission.objects.filter(content_type=content_type, codename__in=codenames)
        )
    workflow = medical_sign_off_workflow()
    WorkflowContentType.objects.update_or_create(
        content_type=content_type, defaults={"workflow": workflow}
    )


def _in_place(model):
    content_type = ContentType.objects.filter(
        app_label=model._meta.app_label, model=model._meta.model_name
    ).first()
    if content_type is None:
        return False
    if not WorkflowContentType.objects.filter(content_type=content_type).exists():
        return False
    granted = Permission.objects.filter(
        content_type=content_type,
        group__name=MEDICAL_REVIEWERS,
        codename="publish_questionnaire",
    )
    return granted.exists()
