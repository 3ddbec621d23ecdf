"""The reception-day state table: which step may follow which, and the permission each step needs."""

from django.utils.translation import gettext_lazy as _

from .models import ReceptionDay

State = ReceptionDay.State

# state -> {next state: permission required}. A held or cancelled day takes no further step; a held
# day's record may still be amended (more topics, a deputy who was missed) by `reception_day_record`.
RECEPTION_TRANSITIONS: dict[str, dict[str, str]] = {
    State.SCHEDULED: {State.HELD: "network.reception", State.CANCELLED: "network.reception"},
    State.HELD: {},
    State.CANCELLED: {},
}

TRANSITION_LABELS = {
    State.HELD: _("登记接待情况"),
    State.CANCELLED: _("取消接待日"),
}


def allowed_transitions(state: str) -> dict[str, str]:
    return RECEPTION_TRANSITIONS.get(state, {})
