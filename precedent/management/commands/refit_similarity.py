from django.core.management.base import BaseCommand

from precedent.services import similarity_refit


class Command(BaseCommand):
    help = (
        "Refit how similar decisions weighs its signals on the casebook's own judgements (the "
        "precedents decisions cited, the suggestions marked not similar); keep the new weights "
        "only when they rank held-out judgements better. Beat runs it daily."
    )

    def handle(self, *args, **options):
        for refit in similarity_refit():
            kind = "Tagged cases" if refit.tagged else "Drafts not tagged yet"
            judged = f"{kind}: {refit.judged} judged cases"
            if refit.judged < refit.needed:
                self.stdout.write(f"{judged}, {refit.needed} needed to refit; the weights in use stay.")
                continue
            figures = f"agreement with held-out judgements {refit.before:.3f} → {refit.after:.3f}"
            if refit.weights is None:
                self.stdout.write(f"{judged}; {figures}, no better: the weights in use stay.")
            else:
                self.stdout.write(self.style.SUCCESS(f"{judged}; {figures}: kept."))
