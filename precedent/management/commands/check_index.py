from django.core.management.base import BaseCommand, CommandError

from precedent import search

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare the search engine's index and its similarity arrays with the stored entries "
        "and cases, and name what differs; "
        "exit status 1 when they differ (for monitoring). rebuild_index puts it right."
    )

    def handle(self, *args, **options):
        differences = search.check()
        if not any(differences.values()):
            self.stdout.write(self.style.SUCCESS("The search index matches the entries."))
            return
        meaning = {
            "missing": "entries the index lacks",
            "stale": "entries the index holds out of date",
            "extra": "entries gone that the index still holds",
            "similarity": "cases whose similarity rows are out of date",
        }
        for kind, ids in differences.items():
            if ids:
                more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
                self.stdout.write(f"{len(ids)} {meaning[kind]}: {', '.join(map(str, ids[:SHOWN]))}{more}")
        raise CommandError("The search index differs from the entries: run manage.py rebuild_index.")
