from django.core.management.base import BaseCommand

from precedent import search


class Command(BaseCommand):
    help = (
        "Build the search engine's index afresh from the stored entries, beside the old one, "
        "which searches keep reading until the new one is in its place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries", action="store_true", help="Remake the entries from the case records first (slower)."
        )

    def handle(self, *args, entries=False, **options):
        if entries:
            self.stdout.write(f"Remade {search.rebuild()} entries from the records.")
        else:
            search.rebuild_engine(progress=lambda done, total: self.stdout.write(f"{done} of {total} cases indexed"))
        self.stdout.write(self.style.SUCCESS("The search index is rebuilt."))
