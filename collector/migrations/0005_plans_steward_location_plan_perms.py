"""Data stewards may edit location plans in the admin (the group got its permissions before the model existed)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STEWARD_GROUP = "Data stewards"


def grant(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=STEWARD_GROUP).first()
    if group is not None:
        permissions = apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="collector", content_type__model="grouplocationplan"
        )
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=STEWARD_GROUP).first()
    if group is not None:
        permissions = apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="collector", content_type__model="grouplocationplan"
        )
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("collector", "0004_plan_data"),
        ("accounts", "0002_steward_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
