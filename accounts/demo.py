"""The demo's users, one per role (their password is the catalogue's DEMO_PASSWORD).

Registered by `AccountsConfig.ready` (plmtracker.demo.engine lists every step in order).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.roles import set_role
from plmtracker.demo.catalogue import DEMO_PASSWORD, DEMO_USERS
from plmtracker.demo.engine import DemoRun, Step


def seed_users(run: DemoRun) -> None:
    """The demo users; those already there stay as they are (seed_demo --force keeps users)."""
    User = get_user_model()
    run.users = []
    for email, name, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
            set_role(user, role)
        run.users.append(user)
    run.report.rows["users"] = len(run.users)


STEPS = (Step(10, "users", seed_users),)
