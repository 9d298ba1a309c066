import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casebook.services import user_create
from core.roles import Role


class Command(BaseCommand):
    help = "Create a user with one or more roles. The password is asked for, or read from stdin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role", action="append", required=True, choices=Role.values, help="A role to give; repeat for several."
        )
        parser.add_argument("--email", default="")

    def handle(self, username, role, email, **options):
        password = self.read_password()
        try:
            user = user_create(username=username, password=password, roles=role, email=email, by=None)
        except ValidationError as exc:
            messages = (
                [f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise CommandError("; ".join(messages)) from None
        self.stdout.write(f"Created {user.username} with role(s) {', '.join(sorted(role))}.")

    def read_password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("A password is required.")
        return password
