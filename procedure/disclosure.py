"""What a reader may see of a case (procedure.md §1, api.md "A case"): the one place the creditor's view is decided.

The case's agencies see the whole case. The creditor (the applicant for execution) sees their own case without the
other party's identity number, without internal notes, and with only the materials they added themselves or that
the executing court shared with them (Art. 15); of the letters, only those addressed to them. The API, the pages,
their templates and the letters all ask `disclosure(reader)`.
"""

from dataclasses import dataclass

from django.db.models import Q

from agencies.roles import Role
from procedure.letters import ADDRESSEE, QUOTES_NOTE, DocumentKind
from procedure.positions import AGENCY_POSITIONS, CREDITOR
from procedure.states import Origin
from procedure.transitions import TRANSITIONS

#: Everyone who reads a case: its agencies (procedure.md §1) and its creditor.
EVERYONE = (*AGENCY_POSITIONS, CREDITOR)


@dataclass(frozen=True)
class Readers:
    """Who reads a field: the positions that see it on the case (its page and the API), and the letters that print
    it (each goes to its addressee, procedure.letters.ADDRESSEE; "creditor" for the creditor)."""

    positions: tuple[str, ...]
    letters: tuple[str, ...] = ()

    @property
    def creditor(self) -> bool:
        return CREDITOR in self.positions

    def addressees(self) -> list[tuple[str, str]]:
        """(letter kind, addressee position) of each letter that prints the field."""
        return [(kind, ADDRESSEE.get(kind) or "record") for kind in self.letters]


#: The case fields the creditor does not read (api.md "A case"): the organs' internal note and the other party's
#: identity number. Every other field of the case is read by everyone in it.
CASE_FIELD_READERS = {
    "internal_note": Readers(AGENCY_POSITIONS),
    "debtor_id_number": Readers(AGENCY_POSITIONS),
    # The facts in brief are the transfer's own account (Art. 3): printed in the letters of the transfer and of
    # its acceptance.
    "summary": Readers(EVERYONE, (DocumentKind.TRANSFER_LETTER, DocumentKind.EXECUTION_EXPLANATION,
                                  DocumentKind.REGISTRATION_FORM)),
}


def case_field_readers(field: str, origin: str = "") -> Readers:
    """Who reads a case field; a private prosecution the creditor brings (Art. 11) issues no transfer letters."""
    readers = CASE_FIELD_READERS.get(field, Readers(EVERYONE))
    return Readers(readers.positions) if origin == Origin.CREDITOR else readers


def note_readers(transition: str, *, author_role: str = "") -> Readers:
    """Who reads the note given with a step: the case's agencies in its history; the creditor too when the step
    writes its note to the creditor (Art. 13: what the court asks for), when a letter it issues to the creditor
    prints the note, or when the creditor wrote it (`author_role`). Every letter of the step that quotes notes
    prints it."""
    row = TRANSITIONS[transition]
    letters = tuple(kind for kind in row.letters if kind in QUOTES_NOTE)
    creditor = (row.note_for_creditor or author_role == Role.CREDITOR
                or any(ADDRESSEE.get(kind) == CREDITOR for kind in letters))
    return Readers(EVERYONE if creditor else AGENCY_POSITIONS, letters)


#: Case fields written by and for the organs only.
INTERNAL_FIELDS = ("internal_note",)
#: Event payload keys a creditor never reads, unless the transition writes its note to the creditor.
INTERNAL_PAYLOAD_KEYS = frozenset({"note", "internal_note"})
#: The trail's entries of a proposal and of its refusal (procedure.md §3 "Approvals"); payload `transition` names
#: the step proposed.
PROPOSE, REFUSE_PROPOSAL = "propose", "refuse_proposal"


@dataclass(frozen=True)
class Disclosure:
    """What one reader may see; `creditor` is True for the applicant's own view."""

    creditor: bool
    reader_id: int | None = None

    def identity_number(self, case, who: str) -> str | None:
        """A party's identity number: the creditor sees their own, never the debtor's (None: withheld)."""
        value = getattr(case, f"{who}_id_number")
        return None if self.creditor and not case_field_readers(f"{who}_id_number").creditor else value

    def party(self, case, who: str) -> dict:
        """A party of the case as the reader may see it (name, kind, identity number, address; phone of the
        applicant)."""
        party = {
            "name": getattr(case, f"{who}_name"),
            "kind": getattr(case, f"{who}_kind"),
            "id_number": self.identity_number(case, who),
            "address": getattr(case, f"{who}_address"),
        }
        if who == "applicant":
            party["phone"] = case.applicant_phone
        return party

    @property
    def digests(self) -> bool:
        """Are materials shown with their SHA-256 digests? They let an organ check that a transferred file is the
        one listed (Art. 4, the evidence list); the creditor reads a material by its title and file only."""
        return not self.creditor

    def internal(self, value, field: str = "internal_note"):
        """An internal field's value, or None for a reader it is not for."""
        return None if self.creditor and not case_field_readers(field).creditor else value

    def payload(self, transition: str, payload: dict) -> dict:
        """An event's payload as the reader may read it."""
        if not self.creditor or (transition in TRANSITIONS and note_readers(transition).creditor):
            return dict(payload)
        return {key: value for key, value in payload.items() if key not in INTERNAL_PAYLOAD_KEYS}

    def event_payload(self, event, visible_materials) -> dict | None:
        """An event of the case's trail as the reader may read it; None when the event itself is withheld (a
        material the reader may not see was added, a proposal inside an organ)."""
        payload = event.payload or {}
        if not self.event(event.transition, payload):
            return None
        if self.creditor and event.transition == "add_evidence" and payload.get("evidence") not in visible_materials:
            return None
        if self.creditor and event.transition == "remove_evidence" and payload.get("added_by") != self.reader_id:
            return None  # a material the creditor never saw, taken back from the draft
        if self.creditor and event.actor_id is not None and event.actor_id == self.reader_id:
            return dict(payload)  # what the creditor wrote themselves
        return self.payload(event.transition, payload)

    def event(self, transition: str, payload: dict) -> bool:
        """Does the reader see this entry of the trail? What an organ's handler proposes to its head, and the
        head's refusal, stay inside the organ; a creditor sees only the proposals creditors make."""
        if not self.creditor or transition not in (PROPOSE, REFUSE_PROPOSAL):
            return True
        row = TRANSITIONS.get(payload.get("transition"))
        return row is not None and any(actor.role == Role.CREDITOR for actor in row.actors)

    def material(self, material) -> bool:
        """Art. 15: the creditor sees the materials they added and the copies the court shared with them."""
        return not self.creditor or material.added_by_id == self.reader_id or material.shared_with_creditor

    def materials_q(self, prefix: str = "") -> Q:
        """The same rule as a filter over materials (`prefix` leads to the material from another table)."""
        if not self.creditor:
            return Q()
        return Q(**{f"{prefix}added_by_id": self.reader_id}) | Q(**{f"{prefix}shared_with_creditor": True})


def disclosure(reader) -> Disclosure:
    return Disclosure(creditor=reader.role == Role.CREDITOR, reader_id=reader.pk)


#: The view a letter addressed to the creditor is written for.
TO_CREDITOR = Disclosure(creditor=True)
TO_AGENCY = Disclosure(creditor=False)
