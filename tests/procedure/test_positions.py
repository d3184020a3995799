"""Who owes the next act in each state, and who waits for it (procedure.md §3, §4)."""

import pytest

from procedure.positions import WAITING_ON, owing_position
from procedure.states import TERMINAL_STATES, CaseState


def test_every_open_state_waits_for_someone_and_closed_states_for_no_one():
    for state in CaseState:
        assert (state in WAITING_ON) is (state not in TERMINAL_STATES), state


@pytest.mark.parametrize(("state", "origin", "position"), [
    ("draft", "court", "executing_court"),
    ("draft", "procuratorate", "procuratorate"),
    ("draft", "creditor", "creditor"),
    ("transferred", "court", "police_agency"),
    ("filing_review", "court", "police_agency"),
    ("explanation_requested", "court", "police_agency"),
    ("filing_ordered", "court", "police_agency"),
    ("investigating", "court", "police_agency"),
    ("supplementary_investigation", "court", "police_agency"),
    ("supervision_requested", "court", "procuratorate"),
    ("explanation_review", "court", "procuratorate"),
    ("prosecution_review", "court", "procuratorate"),
    ("not_filed", "court", "executing_court"),
    ("not_filed", "procuratorate", "procuratorate"),
    ("withdrawn", "court", "executing_court"),
    ("supervision_closed", "court", "executing_court"),
    ("not_prosecuted", "court", "executing_court"),
    ("private_filing_review", "court", "executing_court"),
    ("trial", "court", "trial_court"),
    ("private_trial", "court", "trial_court"),
    ("private_prosecution_advised", "court", "creditor"),
    ("judged", "court", None),
])
def test_waiting_for_follows_the_state(state, origin, position):
    assert owing_position(state, origin) == position
