from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """The ERP's inventory tables. The label stays `plmtracker` (the app's name before it moved
    into this package): migrations, content types and permissions are keyed by it."""

    name = "plmtracker.inventory"
    label = "plmtracker"
    verbose_name = "Inventory"

    def ready(self) -> None:
        from plmtracker.demo.engine import register_steps
        from plmtracker.feeds import register_feeds
        from plmtracker.feeds.engine import register_lookup
        from plmtracker.inventory import demo, feeds, signals

        for ref, lookup in feeds.LOOKUPS.items():
            register_lookup(ref, lookup)
        register_feeds(*feeds.FEEDS)
        register_steps(*demo.STEPS)
        signals.connect()
