from django.apps import AppConfig


class AttentionConfig(AppConfig):
    name = "attention"
    verbose_name = "Attention and digest"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from attention import demo
        from plmtracker.demo.engine import register_steps

        register_steps(*demo.STEPS)
