from django.core.management.base import BaseCommand

from workflow.deadlines.sweep import sweep_deadlines


class Command(BaseCommand):
    help = ("Mark open deadlines overdue once their due day has passed, warn the owing agencies of deadlines "
            "about to fall due, escalate overdue ones and send pending e-mails (the job Celery beat runs).")

    def add_arguments(self, parser):
        parser.add_argument("--no-email", action="store_true", help="Write the notifications but send no e-mail.")

    def handle(self, *args, no_email=False, **options):
        result = sweep_deadlines(email=not no_email)
        self.stdout.write(
            f"{result.today}: {result.overdue} marked overdue, {result.warned} warned, "
            f"{result.notifications} notifications offered, {result.emailed} e-mails sent."
        )
