"""The stored text of a document (`Document.context`): its own heading, what a correction may change, and the
values `documents.render` formats.

The issuer hands over what the letter says about its matter (parties, agencies, deadline, evidence, record);
`heading()` adds what makes the letter this document: kind, number, version, date, issuer and verification
code. A later change of the matter therefore never changes a re-rendering, and the stored SHA-256 can always
be reproduced from the row.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from documents.verification import verify_url

# What a correction may change: the letter's content, never its identity (number, issuer, version).
CORRECTABLE = ("addressee", "case", "payload", "deadline", "evidence", "record")


def agency_data(agency) -> dict | None:
    """An agency as a letter prints it."""
    if agency is None:
        return None
    return {"name": agency.name, "kind": agency.kind, "region_code": agency.region_code,
            "region_name": agency.region_name}


def stamp(*, version: int, issued_at: datetime.datetime, verification_code: str) -> dict:
    """What each version of a document has of its own: version, date and verification code."""
    return {
        "version": version,
        "issued_at": timezone.localtime(issued_at).date().isoformat(),
        "verification_code": verification_code,
        "verify_url": verify_url(verification_code),
    }


def heading(*, kind: str, number: str, issuer, version: int, issued_at: datetime.datetime,
            verification_code: str) -> dict:
    """What identifies the document: its kind, number and issuer, and the version's stamp."""
    return {
        "kind": kind,
        "number": number,
        **stamp(version=version, issued_at=issued_at, verification_code=verification_code),
        "issuer": agency_data(issuer),
    }


def merge_changes(context: dict, changes: dict) -> dict:
    """The context of a corrected version: `changes` laid over a copy, dict by dict (lists are replaced)."""

    def merge(base, update):
        if isinstance(base, dict) and isinstance(update, dict):
            result = dict(base)
            for key, value in update.items():
                result[key] = merge(base.get(key), value)
            return result
        return copy.deepcopy(update)

    return merge(copy.deepcopy(context), changes)


def _date(value):
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _datetime(value):
    if isinstance(value, str) and value:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def render_context(context: dict) -> dict:
    """The stored JSON with dates and amounts as the values `documents.render` formats."""
    data = copy.deepcopy(context)
    data["issued_at"] = _date(data.get("issued_at"))
    if data.get("deadline"):
        data["deadline"]["due_date"] = _date(data["deadline"].get("due_date"))
        data["deadline"]["start_date"] = _date(data["deadline"].get("start_date"))
    for item in data.get("evidence") or []:
        item["added_at"] = _datetime(item.get("added_at"))
    case = data.get("case") or {}
    for key in ("amount_owed", "amount_recovered"):
        if case.get(key) not in (None, ""):
            try:
                case[key] = Decimal(str(case[key]))
            except InvalidOperation:
                case[key] = None
    return data
