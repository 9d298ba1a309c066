import json
import sys

from django.core.management.base import BaseCommand, CommandError

from transfer.services import ImportRefused, import_casebook


class Command(BaseCommand):
    help = (
        "Load a casebook written by export_casebook. Into an empty database it restores every record "
        "under its own id; --merge adds what this casebook lacks. A bad file writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export to read ('-' for standard input).")
        parser.add_argument(
            "--merge", action="store_true", help="Add the file's records to a casebook that already has some."
        )

    def handle(self, *args, file, merge, **options):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}. Nothing was imported.") from exc
        try:
            added = import_casebook(data, merge=merge, source=file)
        except ImportRefused as exc:
            raise CommandError(f"{file} was not imported: {exc} Nothing was written.") from exc
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in added.items() if n)
        self.stdout.write(f"Imported {file}: {counts or 'nothing new'}.")
