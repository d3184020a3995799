from django.core.management.base import BaseCommand

from outbox.services import pending_jobs, run_pending_jobs


class Command(BaseCommand):
    help = ("Run here the background jobs (e-mails, rendering of letters, content jobs) never queued or never "
            "finished, as Celery beat's catch-up does; --all also those queued only recently.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="every job not done, whatever its age")

    def handle(self, *args, everything=False, **options):
        waiting = pending_jobs(everything=everything).count()
        ran = run_pending_jobs(everything=everything)
        self.stdout.write(f"{ran} of {waiting} pending jobs ran to their end")
