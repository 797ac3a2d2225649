"""The "Prescribers" group: admin access and the right to review consultations.

Nothing else: prescribers edit no pages and see no orders but what they approve.
Questionnaire rights for editors and medical reviewers are granted after migrate
(consultations/signoff.py): the snippet "publish" permission only exists then.
"""

from django.db import migrations

GROUP = "Prescribers"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("consultations", "consultation", "review_consultation"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run: create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission = Permission.objects.filter(
            content_type=content_type, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_questionnaires_and_consultations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("home", "0003_settings_help_text"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
