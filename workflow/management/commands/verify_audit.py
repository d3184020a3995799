from django.core.management.base import BaseCommand, CommandError

from workflow.cases.audit import audit_findings, seal_chains
from workflow.models import CaseEvent


class Command(BaseCommand):
    help = ("Check every case's audit trail: the hash chain, the chain head and length the case recorded, the case "
            "row against its events, and the sealed heads. Names the case and what is wrong; exits non-zero.")

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="Seal the current chain heads after a clean check.")

    def handle(self, *args, seal=False, **options):
        findings = audit_findings()
        for finding in findings:
            self.stderr.write(f"case {finding.case_id}: {finding.what}" if finding.case_id else finding.what)
        events = CaseEvent.objects.count()
        if findings:
            raise CommandError(f"{len(findings)} finding(s) among {events} events")
        self.stdout.write(self.style.SUCCESS(f"All trails intact: {events} events checked."))
        if seal:
            self.stdout.write(f"Sealed the heads of {seal_chains()} case(s).")
