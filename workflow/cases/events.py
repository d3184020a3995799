"""The append-only, hash-chained audit trail of a case."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from workflow.models import Case, CaseEvent


def record_event(*, case: Case, actor, transition: str, from_state: str = "", to_state: str = "",
                 payload: dict | None = None) -> CaseEvent:
    """Append one event chained to the case's previous one. Call with the case row locked."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction that locked the case")
    last = CaseEvent.objects.filter(case=case).order_by("-seq").values("seq", "hash").first()
    event = CaseEvent(
        case=case,
        seq=(last["seq"] + 1) if last else 1,
        actor=actor,
        agency_id=getattr(actor, "agency_id", None),
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        payload=_jsonable(payload or {}),
        at=timezone.now(),
        prev_hash=last["hash"] if last else "",
    )
    event.hash = event.compute_hash()
    event.save()
    return event


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


@dataclass
class BrokenLink:
    case_id: int
    seq: int
    reason: str


def verify_chain(events) -> BrokenLink | None:
    """The first event whose hash or link does not match, or None for an intact chain."""
    previous_hash = ""
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return BrokenLink(event.case_id, event.seq, f"expected event #{expected_seq}, found #{event.seq}")
        if event.prev_hash != previous_hash:
            return BrokenLink(event.case_id, event.seq, "link to the previous event does not match")
        if event.compute_hash() != event.hash:
            return BrokenLink(event.case_id, event.seq, "content was changed after it was written")
        previous_hash = event.hash
        expected_seq += 1
    return None


def verify_all_chains(*, chunk: int = 2000):
    """Yield (cases checked so far, BrokenLink) for every broken case chain, streaming all events once."""
    current_case = None
    batch: list[CaseEvent] = []
    for event in CaseEvent.objects.order_by("case_id", "seq").iterator(chunk_size=chunk):
        if event.case_id != current_case:
            if batch:
                broken = verify_chain(batch)
                if broken:
                    yield broken
            current_case, batch = event.case_id, []
        batch.append(event)
    if batch:
        broken = verify_chain(batch)
        if broken:
            yield broken
