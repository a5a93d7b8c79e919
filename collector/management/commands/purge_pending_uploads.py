from django.core.management.base import BaseCommand

from collector.pending import pending_uploads_purge


class Command(BaseCommand):
    help = "Delete uploads (bulk upload, admin imports) previewed but not committed before they expired."

    def handle(self, *args, **options):
        deleted = pending_uploads_purge()
        self.stdout.write(f"Deleted {deleted} expired pending upload{'s' * (deleted != 1)}.")
