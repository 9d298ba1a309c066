from django.core.management.base import BaseCommand, CommandError

from audit import log as audit


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain end to end; fail naming the first bad entry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="Once verified, anchor the log outside the database at its last entry (an installation "
            "from before anchors; after a deliberate reset of the database, delete the old anchor first).",
        )

    def handle(self, *args, anchor=False, **options):
        checked, failure = audit.verify(anchored=not anchor)
        if failure:
            raise CommandError(
                f"Audit chain broken at entry #{failure.event_id}: {failure.reason}. "
                f"{checked} entries before it verified."
            )
        self.stdout.write(f"Audit chain intact: {checked} entries verified.")
        if anchor:
            self.stdout.write(f"The log is anchored at entry #{audit.anchor_at_end()}.")
