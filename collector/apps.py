from django.apps import AppConfig


class CollectorConfig(AppConfig):
    name = "collector"
    verbose_name = "Conversion groups"

    def ready(self) -> None:
        from collector import feeds
        from plmtracker.feeds import register_feeds

        register_feeds(*feeds.FEEDS)
