from django.core.management.base import BaseCommand

from documents.models import MaterialText
from workflow.cases.search import index_case, read_pending_texts
from workflow.models import Case


class Command(BaseCommand):
    help = ("Read the text of materials not read yet (OCR of scans) and (re)index every case for search; "
            "for data that predates the search. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--no-ocr", action="store_true", help="Index only; leave unread materials for later.")
        parser.add_argument("--retry-failed", action="store_true",
                            help="Read again the materials whose reading failed (e.g. before OCR was installed).")

    def handle(self, *args, no_ocr=False, retry_failed=False, **options):
        if retry_failed:
            MaterialText.objects.filter(status=MaterialText.Status.FAILED).update(status=MaterialText.Status.PENDING)
        read = entries = 0
        for case_id in Case.objects.order_by("pk").values_list("pk", flat=True).iterator():
            if not no_ocr:
                read += read_pending_texts(case_id=case_id)
            entries += index_case(case_id=case_id)
        self.stdout.write(self.style.SUCCESS(f"Indexed {entries} entries; read the text of {read} materials."))
