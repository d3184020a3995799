from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.demo import seed_agencies_and_users
from workflow.management.demo import seed_cases


class Command(BaseCommand):
    help = "Create the demo regions, agencies, users (password 'demo') and sample cases. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create demo accounts with DEBUG off; pass --force if you mean it.")
        counts = seed_agencies_and_users()
        counts.update(seed_cases())
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (new: {summary})."))
