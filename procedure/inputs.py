"""The fields a transition's body may carry (api.md "Transition bodies"), named once.

A transition's row lists its inputs by these names; the API and the pages build their forms from them, and the
case fields a transition sets are read from the validated values.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Input:
    name: str
    required: bool = True


NOTE = Input("note", required=False)
REASON = Input("reason")
EXPLANATION = Input("explanation")
TRIAL_COURT = Input("trial_court")
JURISDICTION_REASON = Input("jurisdiction_reason", required=False)
RECEIVED_ON = Input("received_on", required=False)  # Art. 12 ¶1: the day the police received the materials
OUTCOME = Input("outcome")
SENTENCE = Input("sentence")
MISSING = Input("missing")
TERMS = Input("terms")
