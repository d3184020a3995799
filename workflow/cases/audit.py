"""The audit of every case's trail: what `manage.py verify_audit` checks, and the seals that make a rewrite show.

Each event is chained to the one before it by SHA-256, and the event table refuses UPDATE and DELETE in the database
(migration 0007). The case row keeps the chain's length and head, and what the row says must agree with what its
events say (its state, the amount owed when the case was created, the amount recovered by the last performance).
Someone who can run SQL as the table's owner can still drop the triggers and rewrite an event and every hash after
it, so the chain heads are sealed periodically with a key the database does not hold (HMAC-SHA256 with
`AUDIT_SEAL_KEY`) into files in the storage, outside the database: a rewritten or removed event no longer ends
in the sealed head.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from workflow.cases.events import verify_chain
from workflow.models import Case, CaseEvent

SEAL_FOLDER = "audit-seals"


@dataclass(frozen=True)
class Finding:
    case_id: int | None
    what: str


def _key() -> bytes:
    return settings.AUDIT_SEAL_KEY.encode("utf-8")


def _mac(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(_key(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _seal_names() -> list[str]:
    if not default_storage.exists(SEAL_FOLDER):
        return []
    _folders, files = default_storage.listdir(SEAL_FOLDER)
    return sorted(name for name in files if name.endswith(".json"))


def _read_seal(name: str) -> dict:
    with default_storage.open(f"{SEAL_FOLDER}/{name}", "rb") as stored:
        return json.loads(stored.read().decode("utf-8"))


def seal_chains() -> int:
    """Seal the chain heads of the cases whose trail grew since the last seal; returns how many were sealed."""
    started = timezone.now()
    names = _seal_names()
    since = _read_seal(names[-1])["sealed_at"] if names else None
    cases = Case.objects.filter(event_count__gt=0)
    if since:
        cases = cases.filter(updated_at__gte=since)
    entries = [list(row) for row in cases.order_by("pk").values_list("pk", "event_count", "chain_head")]
    if not entries:
        return 0
    body = {"sealed_at": started.isoformat(), "entries": entries}
    seal = {**body, "mac": _mac(body)}
    name = f"{SEAL_FOLDER}/{started:%Y%m%dT%H%M%S%f}.json"
    default_storage.save(name, ContentFile(json.dumps(seal, separators=(",", ":")).encode("utf-8")))
    return len(entries)


def _sealed_heads(findings: list[Finding]) -> dict[int, list[tuple[int, str, str]]]:
    """Every (length, head, file) sealed per case, from seal files whose MAC holds; a file that does not is a
    finding of its own."""
    sealed: dict[int, list[tuple[int, str, str]]] = {}
    for name in _seal_names():
        try:
            seal = _read_seal(name)
            body = {"sealed_at": seal["sealed_at"], "entries": seal["entries"]}
            valid = hmac.compare_digest(seal["mac"], _mac(body))
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            findings.append(Finding(None, f"seal file {name} was altered or is not a seal"))
            continue
        for case_id, count, head in seal["entries"]:
            sealed.setdefault(case_id, []).append((count, head, name))
    return sealed


def _amount(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _case_findings(case: dict, events: list[CaseEvent], sealed: list[tuple[int, str, str]]) -> Iterator[str]:
    broken = verify_chain(events)
    if broken:
        yield f"event #{broken.seq}: {broken.reason}"
    if case["event_count"] != len(events):
        yield f"the case counts {case['event_count']} events, the trail holds {len(events)}"
    head = events[-1].hash if events else ""
    if case["chain_head"] != head:
        yield "the trail does not end in the head the case recorded"
    for count, digest, name in sealed:
        if count > len(events) or events[count - 1].hash != digest:
            yield f"the trail no longer ends in the head sealed in {name} after event #{count}: rewritten or removed"
    moves = [e for e in events if e.to_state]
    if moves and case["state"] != moves[-1].to_state:
        yield f"the case row says state {case['state']}, its events say {moves[-1].to_state}"
    created = next((e.payload for e in events if e.transition == "create"), {})
    if "amount_owed" in created and _amount(created["amount_owed"]) != case["amount_owed"]:
        yield f"the case row says amount owed {case['amount_owed']}, its creation recorded {created['amount_owed']}"
    performed = [e for e in events if e.transition == "performance" and "amount_recovered" in e.payload]
    recovered = _amount(performed[-1].payload["amount_recovered"]) if performed else Decimal("0")
    if recovered != case["amount_recovered"]:
        yield f"the case row says amount recovered {case['amount_recovered']}, its performances add up to {recovered}"


def audit_findings(*, chunk: int = 2000) -> list[Finding]:
    """Everything wrong with the cases' trails, each naming its case; empty when all is intact."""
    findings: list[Finding] = []
    sealed = _sealed_heads(findings)
    events_of: dict[int, list[CaseEvent]] = {}
    current, batch = None, []
    for event in CaseEvent.objects.order_by("case_id", "seq").iterator(chunk_size=chunk):
        if event.case_id != current:
            if batch:
                events_of[current] = batch
            current, batch = event.case_id, []
        batch.append(event)
    if batch:
        events_of[current] = batch
    fields = ("pk", "number", "state", "event_count", "chain_head", "amount_owed", "amount_recovered")
    for case in Case.objects.order_by("pk").values(*fields).iterator(chunk_size=chunk):
        events = events_of.pop(case["pk"], [])
        for what in _case_findings(case, events, sealed.get(case["pk"], [])):
            findings.append(Finding(case["pk"], f"{case['number']}: {what}"))
    for case_id in events_of:
        findings.append(Finding(case_id, "events of a case that does not exist"))
    present = set(Case.objects.filter(pk__in=list(sealed)).values_list("pk", flat=True))
    for case_id in sorted(set(sealed) - present):
        findings.append(Finding(case_id, f"the case sealed in {sealed[case_id][-1][2]} is gone with its trail"))
    return findings
