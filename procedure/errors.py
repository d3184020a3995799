from refusal_cases.api import Conflict


class TransitionConflict(Conflict):
    """409: the transition is not possible from the case's current state (or a legal condition blocks it now)."""
