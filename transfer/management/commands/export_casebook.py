import json

from django.core.management.base import BaseCommand

from transfer.services import TABLES, export_casebook


class Command(BaseCommand):
    help = "Write the whole casebook (framework, users and roles, cases, decisions, audit log) to FILE as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write it ('-' for standard output).")

    def handle(self, *args, file, **options):
        data = export_casebook()
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if file == "-":
            self.stdout.write(text)
            return
        with open(file, "w", encoding="utf-8") as handle:
            handle.write(text)
        counts = ", ".join(f"{len(data['tables'][t.name])} {t.name.replace('_', ' ')}" for t in TABLES)
        self.stderr.write(f"Exported to {file}: {counts}.")
