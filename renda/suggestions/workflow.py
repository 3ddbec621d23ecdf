"""The handling cycle of a suggestion as an explicit table, and the one transition service.

TABLE maps a suggestion state to the actions allowed in it: the state it leads to and the roles
that may take it. Actions a handling unit takes on its own part (签收, 申请退回, 沟通, 协办意见,
申请延期, 答复) also move that unit's Assignment through ASSIGNMENT_TABLE. `transition` is the only
code that changes a suggestion's state: it checks both tables, the actor's role, the unit's
assignment and the deadline rules (GUARDS), then writes the state with an UPDATE that checks
`version` (optimistic locking: a stale writer gets ConcurrentUpdate, nothing is lost), an event
row (actor, from, to, note, time) and the audit record. Anything else raises InvalidTransition.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.services import audit_record
from renda.core.access import Role
from renda.core.errors import ConcurrentUpdate, InvalidTransition

from .models import Assignment, State, Suggestion, SuggestionEvent

STAFF = frozenset({Role.COUNTY_STAFF})
DEPUTY = frozenset({Role.DEPUTY})
UNIT = frozenset({Role.HANDLING_UNIT})
SUPERVISORS = frozenset({Role.COUNTY_STAFF, Role.LEADER})

A = Assignment.State


@dataclass(frozen=True)
class Rule:
    target: str
    roles: frozenset
    # For a unit's own step: which of its parts may take it ("lead", "co" or "any").
    unit_part: str | None = None


# Human names of the actions, for buttons, the timeline and refusals.
ACTIONS: dict[str, str] = {
    "submit": gettext_lazy("提交"),
    "withdraw": gettext_lazy("撤回"),
    "accept": gettext_lazy("审查立案"),
    "return_for_revision": gettext_lazy("退回修改"),
    "reject": gettext_lazy("不予立案"),
    "convert": gettext_lazy("议案转为建议"),
    "merge": gettext_lazy("并案"),
    "assign": gettext_lazy("交办"),
    "unit_accept": gettext_lazy("签收"),
    "unit_return": gettext_lazy("申请退回"),
    "return_approve": gettext_lazy("同意退回并重新交办"),
    "return_refuse": gettext_lazy("不同意退回"),
    "contact": gettext_lazy("沟通"),
    "co_input": gettext_lazy("报送协办意见"),
    "extension_request": gettext_lazy("申请延期"),
    "extension_approve": gettext_lazy("同意延期"),
    "extension_refuse": gettext_lazy("不同意延期"),
    "reply": gettext_lazy("答复"),
    "evaluate": gettext_lazy("评价"),
    "rehandle": gettext_lazy("不满意，重新办理"),
    "close": gettext_lazy("办结"),
    "designate_key": gettext_lazy("列为重点建议"),
    "supervise": gettext_lazy("督办记录"),
    "publish": gettext_lazy("公开答复"),
}

_UNIT_HANDLING = {
    "contact": Rule(State.ASSIGNED, UNIT, "lead"),
    "co_input": Rule(State.ASSIGNED, UNIT, "co"),
    "extension_request": Rule(State.ASSIGNED, UNIT, "lead"),
    "extension_approve": Rule(State.ASSIGNED, STAFF),
    "extension_refuse": Rule(State.ASSIGNED, STAFF),
    "reply": Rule(State.REPLIED, UNIT, "lead"),
}

TABLE: dict[str, dict[str, Rule]] = {
    State.DRAFT: {
        "submit": Rule(State.SUBMITTED, DEPUTY | STAFF),
        "withdraw": Rule(State.WITHDRAWN, DEPUTY | STAFF),
    },
    State.REVISION: {
        "submit": Rule(State.SUBMITTED, DEPUTY | STAFF),
        "withdraw": Rule(State.WITHDRAWN, DEPUTY | STAFF),
    },
    State.SUBMITTED: {
        "accept": Rule(State.ACCEPTED, STAFF),
        "return_for_revision": Rule(State.REVISION, STAFF),
        "reject": Rule(State.NOT_ACCEPTED, STAFF),
        "merge": Rule(State.MERGED, STAFF),
        "withdraw": Rule(State.WITHDRAWN, DEPUTY),
    },
    State.NOT_ACCEPTED: {
        "convert": Rule(State.SUBMITTED, STAFF),
    },
    State.ACCEPTED: {
        "assign": Rule(State.ASSIGNED, STAFF),
        "merge": Rule(State.MERGED, STAFF),
        "designate_key": Rule(State.ACCEPTED, STAFF),
        "supervise": Rule(State.ACCEPTED, SUPERVISORS),
    },
    State.ASSIGNED: {
        "unit_accept": Rule(State.ASSIGNED, UNIT, "any"),
        "unit_return": Rule(State.ASSIGNED, UNIT, "any"),
        "return_approve": Rule(State.ASSIGNED, STAFF),
        "return_refuse": Rule(State.ASSIGNED, STAFF),
        **_UNIT_HANDLING,
        "designate_key": Rule(State.ASSIGNED, STAFF),
        "supervise": Rule(State.ASSIGNED, SUPERVISORS),
    },
    State.REHANDLING: {
        "contact": Rule(State.REHANDLING, UNIT, "lead"),
        "reply": Rule(State.REPLIED, UNIT, "lead"),
        "designate_key": Rule(State.REHANDLING, STAFF),
        "supervise": Rule(State.REHANDLING, SUPERVISORS),
    },
    State.REPLIED: {
        "evaluate": Rule(State.CLOSED, DEPUTY | STAFF),
        "rehandle": Rule(State.REHANDLING, DEPUTY | STAFF),
        "close": Rule(State.CLOSED, STAFF),
        "publish": Rule(State.REPLIED, STAFF),
        "designate_key": Rule(State.REPLIED, STAFF),
        "supervise": Rule(State.REPLIED, SUPERVISORS),
    },
    State.CLOSED: {
        "publish": Rule(State.CLOSED, STAFF),
    },
    State.WITHDRAWN: {},
    State.MERGED: {},
}

# A unit's part: the action moves its assignment from one of these states to the second one.
ASSIGNMENT_TABLE: dict[str, tuple[frozenset, str]] = {
    "unit_accept": (frozenset({A.PENDING}), A.ACCEPTED),
    "unit_return": (frozenset({A.PENDING, A.ACCEPTED}), A.RETURN_REQUESTED),
    "return_approve": (frozenset({A.RETURN_REQUESTED}), A.RETURNED),
    "return_refuse": (frozenset({A.RETURN_REQUESTED}), A.ACCEPTED),
    "contact": (frozenset({A.ACCEPTED}), A.ACCEPTED),
    "co_input": (frozenset({A.ACCEPTED}), A.DONE),
    "extension_request": (frozenset({A.ACCEPTED}), A.ACCEPTED),
    "extension_approve": (frozenset({A.ACCEPTED}), A.ACCEPTED),
    "extension_refuse": (frozenset({A.ACCEPTED}), A.ACCEPTED),
    "reply": (frozenset({A.ACCEPTED}), A.DONE),
    "rehandle": (frozenset({A.DONE}), A.ACCEPTED),
}

# Terminal states: nothing but publishing happens after these.
TERMINAL = frozenset({State.CLOSED, State.WITHDRAWN, State.MERGED})


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def unit_assignment(suggestion: Suggestion, user) -> Assignment | None:
    """The acting unit's current part in the suggestion (a returned part no longer counts)."""
    if not user.organization_id:
        return None
    return (
        Assignment.objects.filter(suggestion=suggestion, unit_id=user.organization_id)
        .exclude(state=A.RETURNED)
        .first()
    )


# --- guards: the rules beyond the table (deadlines, who exactly, what must have happened) ---


def _guard_lead_deputy(suggestion: Suggestion, actor, **_kw) -> None:
    if actor.role == Role.DEPUTY and suggestion.lead_deputy.user_id != actor.pk:
        raise InvalidTransition(_("只有领衔代表可以进行此操作"))


def _guard_return_window(suggestion: Suggestion, actor, assignment: Assignment, today, **_kw) -> None:
    if today > assignment.return_due_on:
        raise InvalidTransition(
            _("已超过申请退回期限（交办后%(n)s个工作日内，截至%(d)s）")
            % {"n": settings.RENDA_SUGGESTION_RETURN_WORKING_DAYS, "d": _cn(assignment.return_due_on)}
        )


def _guard_contacted(suggestion: Suggestion, actor, assignment: Assignment, **_kw) -> None:
    # The lead unit must talk to the deputy before answering; for a second reply, again.
    if not assignment.contacts.filter(round=suggestion.rehandle_count + 1).exists():
        raise InvalidTransition(_("答复前须先与代表沟通并填写沟通记录"))


def _guard_first_dissatisfaction(suggestion: Suggestion, actor, **kw) -> None:
    _guard_lead_deputy(suggestion, actor)
    if suggestion.rehandle_count >= 1:
        raise InvalidTransition(_("该建议已重新办理过一次，本次评价后办结"))


def _guard_key(suggestion: Suggestion, actor, **_kw) -> None:
    if not suggestion.is_key:
        raise InvalidTransition(_("只有重点建议才记录督办情况"))
    # A leader supervises only the key suggestions he or she was named to lead; staff record for all.
    if actor.role == Role.LEADER and suggestion.key_leader_user_id != actor.pk:
        raise InvalidTransition(_("只有领衔督办的领导可以记录督办情况"))


def _guard_withdraw(suggestion: Suggestion, actor, **kw) -> None:
    _guard_lead_deputy(suggestion, actor)


def _guard_convert(suggestion: Suggestion, actor, **_kw) -> None:
    if suggestion.kind != Suggestion.Kind.MOTION:
        raise InvalidTransition(_("只有不予立案的议案可以转为建议"))


GUARDS: dict[str, Callable] = {
    "submit": _guard_lead_deputy,
    "withdraw": _guard_withdraw,
    "unit_return": _guard_return_window,
    "reply": _guard_contacted,
    "evaluate": _guard_lead_deputy,
    "rehandle": _guard_first_dissatisfaction,
    "supervise": _guard_key,
    "convert": _guard_convert,
}


def _cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def check(
    suggestion: Suggestion,
    action: str,
    actor,
    *,
    assignment: Assignment | None = None,
    today: datetime.date | None = None,
) -> tuple[Rule, Assignment | None]:
    """Refuse (InvalidTransition, or Http404 for a unit without a part) or return the rule and part."""
    if action not in ACTIONS:
        raise InvalidTransition(_("未知的操作：%(a)s") % {"a": action})
    rules = TABLE.get(suggestion.state, {})
    rule = rules.get(action)
    if rule is None:
        if suggestion.state in TERMINAL:
            raise InvalidTransition(
                _("该件已%(s)s，不能再%(a)s")
                % {"s": state_label(suggestion.state), "a": action_label(action)}
            )
        raise InvalidTransition(
            _("当前状态为「%(s)s」，不能%(a)s")
            % {"s": state_label(suggestion.state), "a": action_label(action)}
        )
    if getattr(actor, "role", None) not in rule.roles:
        raise InvalidTransition(
            _("您的角色（%(r)s）不能%(a)s") % {"r": actor.get_role_display(), "a": action_label(action)}
        )
    if rule.unit_part is not None:
        assignment = unit_assignment(suggestion, actor)
        if assignment is None:
            raise Http404  # not assigned to this unit: exactly like a missing item
        if rule.unit_part != "any" and assignment.role != rule.unit_part:
            raise InvalidTransition(
                _("本单位为%(p)s单位，不能%(a)s")
                % {"p": assignment.get_role_display(), "a": action_label(action)}
            )
    if action in ASSIGNMENT_TABLE and assignment is not None:
        sources, _target = ASSIGNMENT_TABLE[action]
        if assignment.state not in sources:
            raise InvalidTransition(
                _("%(u)s的承办状态为「%(s)s」，不能%(a)s")
                % {"u": assignment.unit.name, "s": assignment.get_state_display(), "a": action_label(action)}
            )
    guard = GUARDS.get(action)
    if guard is not None:
        guard(suggestion, actor, assignment=assignment, today=today or timezone.localdate())
    return rule, assignment


def allowed(suggestion: Suggestion, action: str, actor) -> bool:
    """Whether `actor` may take `action` now (for showing buttons; the service checks again)."""
    from renda.core.context import probing_refusals

    try:
        with probing_refusals():
            check(suggestion, action, actor)
    except (InvalidTransition, Http404):
        return False
    return True


def allowed_actions(suggestion: Suggestion, actor) -> list[str]:
    return [a for a in TABLE.get(suggestion.state, {}) if allowed(suggestion, a, actor)]


def transition(
    *,
    suggestion: Suggestion,
    action: str,
    actor,
    note: str = "",
    version: int | None = None,
    assignment: Assignment | None = None,
    updates: dict | None = None,
    assignment_updates: dict | None = None,
    changes: dict | None = None,
    at: datetime.datetime | None = None,
) -> SuggestionEvent:
    """Check and apply one step atomically; write the event and the audit record.

    A service that writes more around the step wraps both in its own transaction.atomic().

    `version` is what the actor saw (from the form or the API); when given and no longer current,
    the step is refused with ConcurrentUpdate so that nobody overwrites a change they did not see.
    """
    now = at or timezone.now()
    rule, assignment = check(
        suggestion, action, actor, assignment=assignment, today=timezone.localtime(now).date()
    )
    expected = suggestion.version if version is None else version
    source_state = suggestion.state
    fields = {"state": rule.target, "version": F("version") + 1, "updated_at": now, **(updates or {})}
    with transaction.atomic():
        updated = Suggestion.objects.filter(pk=suggestion.pk, version=expected, state=source_state).update(
            **fields
        )
        if updated != 1:
            raise ConcurrentUpdate(_("该件已被他人修改（可能已被处理），请刷新页面后查看最新情况再操作"))
        if assignment is not None and action in ASSIGNMENT_TABLE:
            sources, target = ASSIGNMENT_TABLE[action]
            done = Assignment.objects.filter(pk=assignment.pk, state__in=sources).update(
                state=target, updated_at=now, **(assignment_updates or {})
            )
            if done != 1:
                raise ConcurrentUpdate(_("承办状态已被他人修改，请刷新页面后重试"))
            assignment.refresh_from_db()
        event = SuggestionEvent.objects.create(
            suggestion=suggestion,
            action=action,
            from_state=source_state,
            to_state=rule.target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=_actor_name(actor),
            assignment=assignment,
            note=note,
            occurred_at=now,
        )
        suggestion.refresh_from_db()
        audit_changes = {"state": [source_state, rule.target]}
        audit_changes.update(changes or {})
        audit_record(
            action=f"suggestion.{action}",
            actor=actor,
            obj=suggestion,
            changes=audit_changes,
            detail=note[:500],
        )
    return event


def _actor_name(actor) -> str:
    if actor is None:
        return ""
    name = actor.display_name
    if actor.role == Role.HANDLING_UNIT and actor.organization_id:
        return f"{actor.organization.name}（{name}）" if actor.organization.name not in name else name
    return name
