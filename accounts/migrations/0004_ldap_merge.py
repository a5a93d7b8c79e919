"""Joins the steward role (0002, a data migration) and the directory/registration columns (0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_steward_group"),
        ("accounts", "0003_ldap_directory_and_registration"),
    ]

    operations = []
