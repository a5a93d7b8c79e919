from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import ROLES, set_role


class Command(BaseCommand):
    help = "Give a user the role planner, steward (data steward) or admin."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The email the user logs in with (any case).")
        parser.add_argument("role", choices=ROLES, help="planner, steward or admin.")

    def handle(self, *args, email: str, role: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(email.strip())
        except User.DoesNotExist:
            raise CommandError(
                f"No user has the email {email!r}. They register at /register first, "
                "or an admin is made with `python manage.py createsuperuser`."
            ) from None
        if user.role_from_directory:
            raise CommandError(
                f"{user.email}'s role ({user.role}) comes from directory groups and is set again at every "
                "sign-in: change their membership of PLM_LDAP_STEWARD_GROUP / PLM_LDAP_ADMIN_GROUP in the directory."
            )
        before = user.role
        set_role(user, role)
        self.stdout.write(f"{user.email}: {before} -> {role}")
