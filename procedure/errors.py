"""The one refusal of the procedure that is not about role or input: the case's state does not allow the act."""


class TransitionConflict(Exception):
    """409: the act is not possible from the case's current state (or a legal condition blocks it now).

    `state` is the case's state and `allowed` the transitions the user may fire instead (api.md "Errors")."""

    def __init__(self, detail: str = "Not allowed in the current state.", *, state=None, allowed=None):
        super().__init__(detail)
        self.detail = detail
        self.state = state
        self.allowed = allowed or []


class Duplicate(Exception):
    """409: what is being added repeats something already on file (procedure.duplicates).

    `field` is the input that repeats it, `existing` describes what is already there (its id, number or title,
    and when it was added), and `override` names the input that files it anyway, when there is one."""

    def __init__(self, detail: str, *, field: str, existing: dict, override: str = ""):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.existing = existing
        self.override = override
