"""When a new case or a new material repeats one already on file, and when a material may still be taken back.

- One enforcement case, one criminal case (procedure.md §2: a case is one suspected refusal in one enforcement
  case): a second case with the same enforcement case number at the same executing court, while the first is
  still open, is a duplicate; it is filed only with a written reason (a new refusal after the first case ended,
  another debtor of the same enforcement case), kept in the case's trail.
- A material is one file (Art. 4, 13: the transfer lists each material once): the same file, by its SHA-256, is
  not added twice to one case.
- The materials are fixed when the case leaves the court, procuratorate or creditor (the transfer of Art. 3 and
  8 ¶3, the private prosecution of Art. 11): until then the sender may take back a material added by mistake,
  never afterwards.
"""

from procedure.identifiers import normalize_case_number
from procedure.states import TERMINAL_STATES, CaseState

#: Cases that block a second one with the same enforcement case number: every state but the final ones.
OPEN_STATES = frozenset(state for state in CaseState.values if state not in TERMINAL_STATES)

#: States in which a material may be removed from the case (only before the transfer or the private prosecution).
MATERIAL_REMOVABLE_STATES = frozenset({CaseState.DRAFT})

#: The legal basis the refusals cite.
DUPLICATE_CASE_BASIS = "procedure.md §2"
DUPLICATE_MATERIAL_BASIS = "Art. 4, 13"
REMOVAL_BASIS = "Art. 3, 4, 11"


def duplicate_case_key(court_id: int, enforcement_case_number: str) -> tuple[int, str]:
    """What makes two cases the same: the executing court and the enforcement case number in its official form."""
    return court_id, normalize_case_number(enforcement_case_number)


def blocks_new_case(state: str) -> bool:
    """Does an existing case in `state` with the same key stop a new one (unless a reason is given)?"""
    return state in OPEN_STATES


def material_removable(state: str) -> bool:
    return state in MATERIAL_REMOVABLE_STATES
