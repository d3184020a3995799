"""The append-only, hash-chained audit trail of a case."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from workflow.cases.figures import refresh_case_figures
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
    # The case keeps the chain's head and length (verify_audit checks both against the events).
    case.event_count, case.chain_head = event.seq, event.hash
    Case.objects.filter(pk=case.pk).update(event_count=event.seq, chain_head=event.hash, updated_at=timezone.now())
    # The case's statistics row, in the same transaction: every change to a case records an event, after the
    # change (a performance is saved before its event, a transition's new state before its event).
    refresh_case_figures(case)
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
