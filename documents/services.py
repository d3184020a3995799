"""Issuing documents inside a transition's transaction."""

from django.utils import timezone

from workflow.transitions import on_transition

from .kinds import ADDRESSEE, ISSUED_BY_TRANSITION
from .models import Document
from .numbering import allocate_number


def _addressee(case, kind):
    position = ADDRESSEE.get(kind)
    if position == "transferring":
        return case.procuratorate if case.origin == "procuratorate" else case.executing_court
    if position in ("police_agency", "procuratorate", "executing_court", "trial_court"):
        return getattr(case, position)
    return None


def issue_document(*, case, kind: str, actor, event=None, data: dict | None = None, addressee=None,
                   issuer=None) -> Document:
    """Number and record one document; rendering to PDF happens after the commit."""
    issuer = issuer or actor.agency
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence, number = allocate_number(agency=issuer, kind=kind, year=year)
    return Document.objects.create(
        case=case,
        kind=kind,
        number=number,
        sequence=sequence,
        year=year,
        issued_by=issuer,
        addressee_agency=addressee if addressee is not None else _addressee(case, kind),
        addressed_to_creditor=ADDRESSEE.get(kind) == "creditor",
        event=event,
        issued_at=now,
        issued_by_user=actor,
        language=getattr(actor, "language", "") or "zh-hans",
        context={k: str(v) if not isinstance(v, list | bool | int | type(None)) else v
                 for k, v in (data or {}).items() if not hasattr(v, "pk")},
    )


@on_transition
def issue_for_transition(*, case, name, actor, event, data):
    for kind in ISSUED_BY_TRANSITION.get(name, ()):
        issue_document(case=case, kind=kind, actor=actor, event=event, data=data)
