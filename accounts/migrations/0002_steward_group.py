"""The data steward role: a group with the model permissions curation needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STEWARD_GROUP = "Data stewards"
STEWARD_APPS = ["plmtracker", "collector"]


def create_steward_group(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group
    # can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=STEWARD_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=STEWARD_APPS))


def remove_steward_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STEWARD_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("plmtracker", "0001_initial"),
        ("collector", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_steward_group, remove_steward_group)]
