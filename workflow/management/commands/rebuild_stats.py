import time

from django.core.management.base import BaseCommand

from workflow.cases.figures import rebuild_figures


class Command(BaseCommand):
    help = ("Rewrite the statistics row of every case (or of the cases named) from its events and performances: "
            "after rows were loaded or changed outside the application's services, e.g. a bulk import.")

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, action="append", dest="cases", metavar="ID",
                            help="Only this case (repeatable).")
        parser.add_argument("--chunk", type=int, default=5000, help="Cases per transaction (default 5000).")

    def handle(self, *args, cases=None, chunk=5000, **options):
        started = time.perf_counter()
        written = rebuild_figures(cases, chunk=max(1, chunk))
        self.stdout.write(self.style.SUCCESS(
            f"Rebuilt the statistics rows of {written} case(s) in {time.perf_counter() - started:.1f} s."))
