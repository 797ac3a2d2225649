"""The "Pharmacists" group: into the admin, and the orders' view, change and export rights.

Nobody else gets orders rights (Editors, Medical reviewers and Review moderators see no
personal data); superusers have every right. Orders are never added or deleted in the admin
(orders/admin.py's permission policy), so those rights are not granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PHARMACISTS = "Pharmacists"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("orders", "view_order"),
    ("orders", "change_order"),
    ("orders", "export_order"),
]


def create_pharmacists(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PHARMACISTS)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PERMISSIONS
        ]
    )


def remove_pharmacists(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PHARMACISTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_orders"),
        ("home", "0002_editorial_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_pharmacists, remove_pharmacists)]
