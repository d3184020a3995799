"""Document numbers: per issuing agency, kind and year, without gaps or duplicates."""

from procedure.letters import NUMBER_CODES
from workflow.cases.services import next_in_sequence


def allocate_number(*, agency, kind: str, year: int) -> tuple[int, str]:
    """Lock the (agency, kind, year) counter row and take the next number, in the caller's transaction."""
    sequence = next_in_sequence(f"doc:{agency.pk}:{kind}:{year}")
    prefix = agency.abbreviation or agency.name[:2]
    return sequence, f"{prefix}{NUMBER_CODES[kind]}〔{year}〕{sequence}号"
