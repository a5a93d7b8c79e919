from django.apps import AppConfig


class CollectorConfig(AppConfig):
    name = "collector"
    verbose_name = "Conversion groups"

    def ready(self) -> None:
        from collector import demo, feeds
        from plmtracker.demo.engine import register_steps
        from plmtracker.feeds import register_feeds

        register_feeds(*feeds.FEEDS)
        register_steps(*demo.STEPS)
