from django.core.management.base import BaseCommand

from principles.loader import load_framework


class Command(BaseCommand):
    help = "Load the framework's revisions from the source documents (principles/data/framework.toml)."

    def handle(self, *args, **options):
        loaded = load_framework()
        if loaded:
            self.stdout.write(f"Published revision(s) {', '.join(map(str, loaded))} of the framework.")
        else:
            self.stdout.write("The framework is already loaded.")
