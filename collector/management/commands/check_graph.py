"""Check the relation graph's rules: links inside one group, alerts in line with the degrees."""

from django.core.management.base import BaseCommand, CommandError

from collector.integrity import check_graph


class Command(BaseCommand):
    help = (
        "Verify that both ends of every link are members of one group and that the open conflict "
        "alerts match the links' degrees. Exits non-zero when something is off."
    )

    def handle(self, *args, **options):
        report = check_graph()
        self.stdout.write(f"{report.links:,} links checked.")
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS("The graph keeps its rules: every link inside one group, alerts current.")
            )
            return
        if report.ungrouped_ends:
            self.stdout.write(f"Links with an end in no group (first ones): {report.ungrouped_ends}")
        if report.crossing_links:
            self.stdout.write(f"Links whose ends are in different groups (first ones): {report.crossing_links}")
        due = report.alert_changes_due
        if any(due.values()):
            self.stdout.write(
                f"Alerts out of step with the degrees: {due['raise']} to raise, {due['update']} to update, "
                f"{due['close']} to close."
            )
        raise CommandError("The relation graph breaks its rules; see above.")
