"""Document numbers: per issuing agency, kind and year, without gaps or duplicates."""

from django.db.models import F

from documents.models import DocumentCounter
from procedure.letters import NUMBER_CODES


def allocate_number(*, agency, kind: str, year: int) -> tuple[int, str]:
    """Take the next number of the (agency, kind, year) counter, in the caller's transaction.

    The conditional UPDATE locks the counter row until the transaction ends: concurrent issuers queue behind
    it and each reads its own increment; a rolled-back issue gives its number back.
    """
    counter = DocumentCounter.objects.filter(issuer=agency, kind=kind, year=year)
    if not counter.update(value=F("value") + 1):
        DocumentCounter.objects.get_or_create(issuer=agency, kind=kind, year=year)
        counter.update(value=F("value") + 1)
    sequence = counter.values_list("value", flat=True).get()
    prefix = agency.abbreviation or agency.name[:2]
    return sequence, f"{prefix}{NUMBER_CODES[kind]}〔{year}〕{sequence}号"
