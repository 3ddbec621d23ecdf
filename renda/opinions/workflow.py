"""The state table of an opinion: which state may follow which, and which roles may move it.

A station keeper answers on the spot, merges duplicates and closes what needs no action; referring to
a department, taking a referral back and closing after a referral are township or county decisions;
a deputy may take one of their own opinions up as a suggestion. Merged and closed are final.
"""

from django.utils.translation import gettext_lazy as _

from renda.core.access import Role

from .models import Opinion

S = Opinion.State

STATION = frozenset({Role.STATION_KEEPER, Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF})
OFFICE = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF})

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.RECEIVED: {
        S.ANSWERED: STATION,
        S.REFERRED: OFFICE,
        S.SUGGESTION: OFFICE | {Role.DEPUTY},
        S.MERGED: STATION,
        S.CLOSED: STATION,
    },
    S.ANSWERED: {S.CLOSED: STATION},
    S.REFERRED: {S.RECEIVED: OFFICE, S.CLOSED: OFFICE},
    S.SUGGESTION: {S.CLOSED: OFFICE},
    S.MERGED: {},
    S.CLOSED: {},
}

# What each target state needs besides the note (checked by the transition service).
REQUIRES = {
    S.ANSWERED: "reply",
    S.REFERRED: "department",
    S.SUGGESTION: "deputy",
    S.MERGED: "merged_into",
    S.CLOSED: "note",
    S.RECEIVED: "note",
}

# The wording of each move on buttons and in timelines.
VERBS = {
    S.ANSWERED: _("当场答复"),
    S.REFERRED: _("转交部门"),
    S.SUGGESTION: _("转为代表建议"),
    S.MERGED: _("合并重复意见"),
    S.CLOSED: _("办结"),
    S.RECEIVED: _("退回重新办理"),
}

# A resident's 不满意 sends an opinion in these states back to 已受理 (services.opinion_rate).
REOPEN_WHEN_DISSATISFIED = frozenset({S.ANSWERED, S.REFERRED, S.CLOSED})

# States in which the constituent may be given (or given again) a reply.
REPLY_STATES = frozenset({S.ANSWERED, S.REFERRED, S.SUGGESTION, S.CLOSED})


def allowed_targets(state: str, role: str) -> list[str]:
    """The states `role` may move an opinion in `state` to, in table order."""
    return [target for target, roles in TRANSITIONS.get(state, {}).items() if role in roles]


def is_allowed(state: str, target: str, role: str) -> bool:
    return role in TRANSITIONS.get(state, {}).get(target, frozenset())
