from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from accounts import demo, directory, schema  # noqa: F401  (the directory's error signal; the API's login)
        from plmtracker.demo.engine import register_steps

        register_steps(*demo.STEPS)
