"""The state table of a township's item, and the one transition that moves it.

A township reports (done / in progress / not applicable); its guidance group accepts or sends the
report back. An accepted "in progress" report leaves the item in progress, to be reported again;
an accepted "done" or "not applicable" closes it. A sent-back item is reported again.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.services import audit_record
from renda.core.access import has_permission
from renda.core.errors import ConcurrentUpdate, InvalidTransition

from .models import TownshipItem, TownshipItemEvent

State = TownshipItem.State
Action = TownshipItemEvent.Action
Result = TownshipItem.Result

# (state, action) -> permission the actor needs. Where the item goes is decided by the action and,
# for an acceptance, by the result reported.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.OPEN, Action.REPORT): "guidance.report",
    (State.RETURNED, Action.REPORT): "guidance.report",
    (State.IN_PROGRESS, Action.REPORT): "guidance.report",
    (State.REPORTED, Action.ACCEPT): "guidance.review",
    (State.REPORTED, Action.SEND_BACK): "guidance.review",
}

ACTION_LABELS = {
    Action.REPORT: gettext_lazy("报送"),
    Action.ACCEPT: gettext_lazy("审核通过"),
    Action.SEND_BACK: gettext_lazy("退回"),
}

CLOSED_RESULTS = frozenset({Result.DONE, Result.NOT_APPLICABLE})


def target_state(state: str, action: str, result: str) -> str:
    if action == Action.REPORT:
        return State.REPORTED
    if action == Action.SEND_BACK:
        return State.RETURNED
    return State.IN_PROGRESS if result == Result.IN_PROGRESS else State.ACCEPTED


def allowed_actions(state: str) -> list[str]:
    return [action for (from_state, action) in TRANSITIONS if from_state == state]


def transition(
    *, actor, item: TownshipItem, action: str, note: str = "", updates: dict | None = None
) -> TownshipItemEvent:
    """Move `item` by `action`, with `updates` to its own columns, and write the event.

    Refuses a step outside the table (InvalidTransition, 409) or one the actor's role may not take
    (the caller has already checked the row: township or group). The row is updated only if its
    version and state are still what the caller saw; otherwise ConcurrentUpdate (409).
    """
    permission = TRANSITIONS.get((item.state, action))
    if permission is None:
        raise InvalidTransition(
            _("“%(s)s”状态的事项不能%(a)s")
            % {"s": State(item.state).label, "a": ACTION_LABELS.get(action, action)}
        )
    if not has_permission(actor, permission):
        raise InvalidTransition(_("您没有权限%(a)s") % {"a": ACTION_LABELS[action]})
    updates = dict(updates or {})
    result = updates.get("result", item.result)
    to_state = target_state(item.state, action, result)
    now = timezone.now()
    with transaction.atomic():
        changed = TownshipItem.objects.filter(pk=item.pk, version=item.version, state=item.state).update(
            state=to_state, version=item.version + 1, updated_at=now, **updates
        )
        if changed != 1:
            raise ConcurrentUpdate(_("该事项已被他人处理，请刷新后重试"))
        from_state = item.state
        for key, value in updates.items():
            setattr(item, key, value)
        item.state, item.version = to_state, item.version + 1
        event = TownshipItemEvent.objects.create(
            township_item=item,
            action=action,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            result=result if action != Action.SEND_BACK else "",
            note=note,
            occurred_at=now,
        )
        audit_record(
            action=f"guidance.{action}",
            actor=actor,
            obj=item,
            changes={"state": [from_state, to_state], **({"result": result} if result else {})},
        )
    return event
