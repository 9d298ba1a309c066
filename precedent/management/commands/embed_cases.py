from django.core.management.base import BaseCommand, CommandError

from casebook.models import Case
from precedent import search


class Command(BaseCommand):
    help = "Compute the sentence embedding of every case whose text changed (the [semantic] extra)."

    def handle(self, *args, **options):
        if not search.embeds():
            raise CommandError("The [semantic] extra is not installed (or SEMANTIC_SEARCH is false).")
        made, ids = 0, list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 256):
            made += search.embed_cases(list(Case.objects.filter(pk__in=ids[start : start + 256])))
            self.stdout.write(f"{min(start + 256, len(ids))} of {len(ids)} cases read, {made} embedded")
        self.stdout.write(f"Embedded {made} case(s); the others were up to date.")
