from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its management command, seed_demo."""

    name = "plmtracker.demo"
    label = "plmtracker_demo"
    verbose_name = "Demo data"
