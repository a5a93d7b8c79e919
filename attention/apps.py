from django.apps import AppConfig


class AttentionConfig(AppConfig):
    name = "attention"
    verbose_name = "Attention and digest"
    default_auto_field = "django.db.models.AutoField"
