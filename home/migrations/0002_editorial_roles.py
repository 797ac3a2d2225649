"""The pharmacy's editorial roles: Editors, Medical reviewers and Review moderators.

Wagtail's own migrations create "Editors" and "Moderators" groups with add/edit/publish
rights on the root page, and a "Moderators approval" workflow on the root. For a pharmacy
that is too broad: nobody but a medical reviewer may publish medicine information. So:

- "Editors" is reused (existing members keep their group) but reset to exactly the rights
  below: no page rights on the root. Their page rights are granted on each products index
  when it is created (catalog.signoff), because no index exists when migrations run.
- "Moderators" is deleted (with its root page rights) and the "Moderators approval"
  workflow is unassigned from the root and deactivated (kept, not deleted, so any history
  stays readable).
- "Medical reviewers" approve and publish product pages through the "Medical sign-off"
  workflow (also attached per products index by catalog.signoff).
- "Review moderators" only get into the admin here; the reviews feature adds its own
  permissions to the same group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
REVIEW_MODERATORS = "Review moderators"

MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("catalog", "add_productcategory"),
        ("catalog", "change_productcategory"),
    ],
    MEDICAL_REVIEWERS: [("wagtailadmin", "access_admin")],
    REVIEW_MODERATORS: [("wagtailadmin", "access_admin")],
}

# Image rights are per collection in Wagtail (granted on the root collection).
IMAGE_PERMISSIONS = {
    EDITORS: ["add_image", "choose_image"],
    MEDICAL_REVIEWERS: ["choose_image"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); on a fresh
    # database they do not exist yet, so create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")

    # Wagtail's default moderation set-up publishes from the root: take it away.
    Group.objects.filter(name="Moderators").delete()
    root_ids = list(Page.objects.filter(depth=1).values_list("pk", flat=True))
    for workflow in Workflow.objects.filter(name="Moderators approval"):
        WorkflowPage.objects.filter(workflow=workflow, page_id__in=root_ids).delete()
        workflow.active = False
        workflow.save(update_fields=["active"])

    root_collection = Collection.objects.filter(depth=1).first()
    for name, permissions in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if name == EDITORS:
            # Reset Wagtail's defaults: rights come only from this migration and the index.
            group.permissions.clear()
            GroupPagePermission.objects.filter(group=group, page_id__in=root_ids).delete()
            GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in permissions
            ]
        )
        for codename in IMAGE_PERMISSIONS.get(name, []):
            if root_collection is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailimages", codename=codename
                    ),
                )


def remove_roles(apps, schema_editor):
    """Drop the groups this migration created; "Editors" stays (Wagtail created it)."""
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=MEDICAL_REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("catalog", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
