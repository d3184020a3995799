from django.core.management.base import BaseCommand, CommandError

from workflow.deadlines.tally import compact_deadline_tally, differences, kept, rebuild_deadline_tally


class Command(BaseCommand):
    help = ("Check the deadline list's tally against a recount of the deadlines (exit status 1 when they differ), "
            "fold its rows, or write it afresh (after a restore, or rows changed with the database's triggers off).")

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--check", action="store_true", help="Compare with a recount (the default).")
        action.add_argument("--compact", action="store_true", help="Fold the rows, as Celery beat does.")
        action.add_argument("--rebuild", action="store_true", help="Write the tally afresh from the deadlines.")

    def handle(self, *args, check=False, compact=False, rebuild=False, **options):
        if not kept():
            self.stdout.write("This database keeps no tally (PostgreSQL only): the deadline list counts the rows.")
            return
        if compact:
            self.stdout.write(self.style.SUCCESS(f"Folded {compact_deadline_tally()} row(s)."))
            return
        if rebuild:
            self.stdout.write(self.style.SUCCESS(f"Rebuilt the tally: {rebuild_deadline_tally()} row(s)."))
            return
        wrong = differences()
        for agency_id, status, kind, tallied, counted in wrong:
            self.stdout.write(f"agency {agency_id} {status} {kind}: tallied {tallied}, counted {counted}")
        if wrong:
            raise CommandError(f"The tally differs from the deadlines in {len(wrong)} place(s): "
                               "run deadline_tally --rebuild.")
        self.stdout.write(self.style.SUCCESS("The tally equals a recount of the deadlines."))
