from django.core.management.base import BaseCommand, CommandError

from workflow.cases.events import verify_all_chains
from workflow.models import Case, CaseEvent


class Command(BaseCommand):
    help = "Check every case's hash-chained event log; name the first broken link of each broken chain."

    def handle(self, *args, **options):
        broken = list(verify_all_chains())
        for link in broken:
            number = Case.objects.filter(pk=link.case_id).values_list("number", flat=True).first()
            self.stderr.write(f"case {link.case_id} ({number}): event #{link.seq}: {link.reason}")
        events = CaseEvent.objects.count()
        if broken:
            raise CommandError(f"{len(broken)} broken chain(s) among {events} events")
        self.stdout.write(self.style.SUCCESS(f"All chains intact: {events} events checked."))
