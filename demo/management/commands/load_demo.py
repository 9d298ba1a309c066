import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casebook.models import User
from casebook.services import user_create
from core.roles import Role
from demo.loader import DemoError, load_demo_casebook

DEMO_USERS = [
    ("reviewer", "Riley", "Reviewer", [Role.REVIEWER]),
    ("reviewer2", "Robin", "Second-Reviewer", [Role.REVIEWER]),
    ("reviewer3", "Sasha", "Third-Reviewer", [Role.REVIEWER]),
    ("decider", "Dana", "Decider", [Role.DECISION_MAKER]),
    ("legal", "Lee", "Counsel", [Role.LEGAL]),
    ("admin", "Alex", "Admin", [Role.ADMIN]),
    ("oversight", "Olu", "Overseer", [Role.OVERSIGHT]),
]


class Command(BaseCommand):
    help = (
        "Load the framework, the demo users (password: $DEMO_PASSWORD or casebook-demo) and, into a "
        "database without cases, the demo casebook. Idempotent."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        call_command("load_framework", stdout=self.stdout)
        password = os.environ.get("DEMO_PASSWORD") or "casebook-demo"
        for username, first, last, roles in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user_create(
                username=username,
                password=password,
                roles=roles,
                by=None,
                first_name=first,
                last_name=last,
                email=f"{username}@casebook.invalid",
                check_password=False,
            )
            self.stdout.write(f"Created demo user {username} ({', '.join(r.label for r in roles)}).")
        try:
            loaded = load_demo_casebook()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if loaded:
            self.stdout.write(f"Loaded the demo casebook: {loaded} cases.")
