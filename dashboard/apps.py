from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"

    def ready(self) -> None:
        from collector.stage_source import register_stage_source
        from dashboard.queries.stages import stages_by_location

        register_stage_source(stages_by_location)
