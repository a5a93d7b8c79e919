from django.apps import AppConfig


class AttentionConfig(AppConfig):
    name = "attention"
    verbose_name = "Attention and digest"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from attention import demo, services
        from plmtracker import changes
        from plmtracker.demo.engine import register_steps

        register_steps(*demo.STEPS)
        # A write that changes figures leaves the recorded day stale; a merge moves the loser's memory.
        changes.on_groups_changed(services.changed)
        changes.on_items_changed(services.changed)
        changes.on_groups_merged(services.carry_memory)
