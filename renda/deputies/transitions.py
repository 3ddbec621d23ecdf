"""The mandate status table: which changes are allowed, and who may make them.

A mandate starts 在任 (serving). It ends once, by resignation (辞职), recall (罢免), termination
(终止, e.g. on moving out of the electoral area or by law) or transfer (调离); an ended mandate is
history and does not change again. Every change is a MandateEvent with its date and reason.
"""

from .models import Mandate

S = Mandate.Status

# state -> {allowed next state: permission needed}
MANDATE_TRANSITIONS: dict[str, dict[str, str]] = {
    S.SERVING: {
        S.RESIGNED: "deputies.change",
        S.RECALLED: "deputies.change",
        S.TERMINATED: "deputies.change",
        S.TRANSFERRED: "deputies.change",
    },
    S.RESIGNED: {},
    S.RECALLED: {},
    S.TERMINATED: {},
    S.TRANSFERRED: {},
}

# A reason must be given for these (the standing committee's decision or the law it rests on).
REASON_REQUIRED = frozenset({S.RESIGNED, S.RECALLED, S.TERMINATED, S.TRANSFERRED})


def allowed_next(status: str) -> list[str]:
    return list(MANDATE_TRANSITIONS.get(status, {}))
