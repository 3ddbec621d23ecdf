"""The handling cycle of a suggestion as an explicit table, and the one transition service.

TABLE maps a suggestion state to the actions allowed in it: the state it leads to and the roles
that may take it. Actions a handling unit takes on its own part (签收, 申请退回, 沟通, 协办意见,
申请延期, 答复) also move that unit's Assignment through ASSIGNMENT_TABLE. `transition` is the only
code that changes a suggestion's state: it checks both tables, the actor's role, the unit's
assignment and the step's guard (STEPS), then writes the state with an UPDATE that checks
`version` (optimistic locking: a stale writer gets ConcurrentUpdate, nothing is lost), an event
row (actor, from, to, note, time) and the audit record. Anything else raises InvalidTransition.

STEPS says what each action requires besides (its guard, its note, its inputs) and, for the simple
ones, what it writes: `services.suggestion_step` runs those; the others name their own service.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.services import audit_record
from renda.core.access import Role
from renda.core.concurrency import stale_message
from renda.core.errors import ConcurrentUpdate, DomainError, InvalidTransition

from .models import (
    ACTIONS,
    CO_INPUT_MAX_LENGTH,
    INACTIVE_PARTS,
    Assignment,
    Contact,
    State,
    Suggestion,
    SuggestionEvent,
    SupervisionNote,
    action_label,
)

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
        "unit_change": Rule(State.ASSIGNED, STAFF),
        "designate_key": Rule(State.ASSIGNED, STAFF),
        "supervise": Rule(State.ASSIGNED, SUPERVISORS),
    },
    State.REHANDLING: {
        "contact": Rule(State.REHANDLING, UNIT, "lead"),
        "reply": Rule(State.REPLIED, UNIT, "lead"),
        "unit_change": Rule(State.REHANDLING, STAFF),
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
    # Staff give an open part to another unit (调整承办单位); adding a co-unit moves no part.
    "unit_change": (frozenset({A.PENDING, A.ACCEPTED, A.RETURN_REQUESTED}), A.REMOVED),
}

# Terminal states: nothing but publishing happens after these.
TERMINAL = frozenset({State.CLOSED, State.WITHDRAWN, State.MERGED})


def state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def unit_assignment(suggestion: Suggestion, user) -> Assignment | None:
    """The acting unit's current part in the suggestion (a returned part no longer counts)."""
    if not user.organization_id:
        return None
    return (
        Assignment.objects.filter(suggestion=suggestion, unit_id=user.organization_id)
        .exclude(state__in=INACTIVE_PARTS)
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


def _check_key_leader(suggestion: Suggestion, values: dict, now) -> None:
    """The leader's account, when one is named, must hold the leader role (they will see the item)
    and belong to the suggestion's own county (issue 15 §1): another county's account is not found."""
    from django.contrib.auth import get_user_model

    from .jurisdiction import home_region

    leader_user = values.get("leader_user")
    if leader_user in (None, ""):
        values["leader_user"] = None
        return
    if not hasattr(leader_user, "role"):
        pk = str(leader_user)
        users = get_user_model().objects.filter(pk=pk) if pk.isdigit() else get_user_model().objects.none()
        leader_user = values["leader_user"] = users.select_related("region").first()
    not_found = DomainError(
        _("未找到该督办领导账号，请从本县人大常委会领导中选择"), field="leader_user", status=404
    )
    if leader_user is None:
        raise not_found
    if leader_user.role != Role.LEADER:
        raise DomainError(_("督办领导账号须为领导角色"), field="leader_user")
    home = home_region(suggestion)
    region = leader_user.region
    if home is None or region is None or not region.path.startswith(home.path):
        raise not_found


def _check_contacted_on(suggestion: Suggestion, values: dict, now) -> None:
    if values["contacted_on"] is None or values["contacted_on"] > timezone.localtime(now).date():
        raise DomainError(_("沟通日期不能晚于今天"), field="contacted_on")


def _check_co_input(suggestion: Suggestion, values: dict, now) -> None:
    if len(values["note"]) > CO_INPUT_MAX_LENGTH:
        raise DomainError(
            _("协办意见最多 %(max)d 字，现在 %(n)d 字")
            % {"max": CO_INPUT_MAX_LENGTH, "n": len(values["note"])},
            field="text",
        )


def _check_occurred_on(suggestion: Suggestion, values: dict, now) -> None:
    if values["occurred_on"] is None or values["occurred_on"] > timezone.localtime(now).date():
        raise DomainError(_("日期不能晚于今天"), field="occurred_on")


@dataclass(frozen=True)
class Step:
    """What one action requires beyond TABLE, and — for a simple step — all it writes.

    guard: the rule beyond the table (who exactly, deadlines, what must have happened), checked by
      `check` for every action. A step with `service` set has logic of its own in that hand-written
      service (services.py); every other step is run by the generic `services.suggestion_step`, which
      reads the rest of this declaration:
    note: the message when the note is required and missing (DomainError on `note_field`).
    note_field: the form input that carries the note ("note", "text", "content").
    default_note: (values) → the note written when none is given.
    required: other inputs that must not be blank: name → message.
    inputs: other inputs the step takes, with their defaults (for pages and the API).
    check: (suggestion, values, now) → None, raising DomainError: validation beyond "not blank".
    updates / assignment_updates: (values, now) → the suggestion's / the unit's part's columns.
    changes: (suggestion, values) → what the audit record shows besides the state.
    record: (suggestion, event, values, actor) → an unsaved row the step adds (validated, saved in
      the step's transaction, and returned by the service).
    """

    guard: Callable | None = None
    service: str = ""
    note: str | Promise | None = None
    note_field: str = "note"
    default_note: Callable[[dict], str] | None = None
    required: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    check: Callable[[Suggestion, dict, datetime.datetime], None] | None = None
    updates: Callable[[dict, datetime.datetime], dict] | None = None
    assignment_updates: Callable[[dict, datetime.datetime], dict] | None = None
    changes: Callable[[Suggestion, dict], dict] | None = None
    record: Callable | None = None


# Every action of TABLE, in the order of the cycle. Labels are ACTIONS (models.py).
STEPS: dict[str, Step] = {
    "submit": Step(guard=_guard_lead_deputy, service="suggestion_submit"),
    "withdraw": Step(guard=_guard_withdraw),
    "accept": Step(service="suggestion_accept"),
    "return_for_revision": Step(
        note=gettext_lazy("请填写退回修改的意见"),
        updates=lambda v, now: {"decision_reason": v["note"]},
    ),
    "reject": Step(
        note=gettext_lazy("请填写不予立案的理由"),
        updates=lambda v, now: {"decision_reason": v["note"]},
    ),
    "convert": Step(
        guard=_guard_convert,
        default_note=lambda v: _("议案不予立案，转为建议办理"),
        updates=lambda v, now: {"kind": Suggestion.Kind.SUGGESTION},
        changes=lambda s, v: {"kind": [Suggestion.Kind.MOTION, Suggestion.Kind.SUGGESTION]},
    ),
    "merge": Step(service="suggestion_merge"),
    "assign": Step(service="suggestion_assign"),
    "unit_accept": Step(assignment_updates=lambda v, now: {"accepted_at": now}),
    "unit_return": Step(
        guard=_guard_return_window,
        note=gettext_lazy("请说明不属于本单位职责的理由"),
        assignment_updates=lambda v, now: {"return_reason": v["note"]},
    ),
    "return_approve": Step(service="assignment_return_decide"),
    "return_refuse": Step(service="assignment_return_decide"),
    "contact": Step(
        note=gettext_lazy("请填写沟通内容"),
        note_field="content",
        inputs={"contacted_on": None, "way": None},
        check=_check_contacted_on,
        changes=lambda s, v: {"contacted_on": v["contacted_on"], "way": v["way"]},
        record=lambda s, event, v, actor: Contact(
            suggestion=s,
            assignment=event.assignment,
            round=s.rehandle_count + 1,
            contacted_on=v["contacted_on"],
            way=v["way"],
            content=v["note"],
            created_by=actor,
        ),
    ),
    "co_input": Step(
        note=gettext_lazy("请填写协办意见"),
        note_field="text",
        check=_check_co_input,
        assignment_updates=lambda v, now: {"co_input": v["note"], "co_input_at": now},
    ),
    "extension_request": Step(service="extension_request"),
    "extension_approve": Step(service="extension_decide"),
    "extension_refuse": Step(service="extension_decide"),
    "reply": Step(guard=_guard_contacted, service="reply_submit"),
    "evaluate": Step(guard=_guard_lead_deputy, service="evaluation_submit"),
    "rehandle": Step(guard=_guard_first_dissatisfaction, service="evaluation_submit"),
    "close": Step(
        note=gettext_lazy("请说明办结理由"),
        updates=lambda v, now: {"closed_at": now},
    ),
    "designate_key": Step(
        required={"leader": gettext_lazy("请填写领衔督办的领导")},
        inputs={"leader": "", "leader_user": None},
        check=_check_key_leader,
        default_note=lambda v: v["leader"],
        updates=lambda v, now: {
            "is_key": True,
            "key_leader": v["leader"],
            "key_leader_user": v["leader_user"],
        },
        changes=lambda s, v: {"key_leader": v["leader"]},
    ),
    "supervise": Step(
        guard=_guard_key,
        note=gettext_lazy("请填写督办情况"),
        note_field="text",
        inputs={"kind": "", "occurred_on": None, "participants": ""},
        check=_check_occurred_on,
        changes=lambda s, v: {"kind": v["kind"], "occurred_on": v["occurred_on"]},
        record=lambda s, event, v, actor: SupervisionNote(
            suggestion=s,
            kind=v["kind"],
            occurred_on=v["occurred_on"],
            text=v["note"],
            participants=(v["participants"] or "").strip(),
            author=actor,
        ),
    ),
    "publish": Step(service="suggestion_publish"),
    "unit_change": Step(service="assignment_change"),
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
    guard = STEPS[action].guard
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
            raise ConcurrentUpdate(stale_message(suggestion, tail=_("请刷新页面查看最新情况后再操作。")))
        if assignment is not None and action in ASSIGNMENT_TABLE:
            sources, target = ASSIGNMENT_TABLE[action]
            done = Assignment.objects.filter(pk=assignment.pk, state__in=sources).update(
                state=target, updated_at=now, **(assignment_updates or {})
            )
            if done != 1:
                raise ConcurrentUpdate(stale_message(assignment, tail=_("请刷新页面查看承办状态后再操作。")))
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
