from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"

    def ready(self) -> None:
        from collector.stage_source import register_stage_source
        from dashboard.figures import services as figures
        from dashboard.queries.stages import stages_by_location
        from plmtracker import changes

        register_stage_source(stages_by_location)
        changes.on_groups_changed(figures.groups_changed)
        changes.on_items_changed(figures.items_changed)
