"""Joins the steward role (0002, through 0004) and the display-name rules and confirmation mails (0005, 0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_ldap_merge"),
        ("accounts", "0006_confirmation_mail"),
    ]

    operations = []
