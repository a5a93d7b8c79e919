from django.apps import AppConfig


class PlmtrackerConfig(AppConfig):
    name = "plmtracker"
    verbose_name = "Inventory"
