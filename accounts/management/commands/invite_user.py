from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.registration import LinkInvalid, invitation_create


class Command(BaseCommand):
    help = "Invite an e-mail address to register: mails a link that works once and expires."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address to invite.")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PLM_INVITATION_DAYS,
            help="How long the link works (default %(default)s).",
        )

    def handle(self, *args, email: str, days: int, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        try:
            invitation = invitation_create(email=email, invited_by=None, base_url=settings.PLM_BASE_URL, days=days)
        except LinkInvalid as exc:
            raise CommandError(str(exc)) from None
        until = timezone.localtime(invitation.expires_at)
        self.stdout.write(f"Invited {invitation.email} (mailed; works once, until {until:%Y-%m-%d %H:%M}):")
        self.stdout.write(invitation.link)
