"""Suggestions' work queues (core/queues.py) for county staff, leaders, handling units and deputies:
one count query each, linking to the list filtered to exactly those items.
"""

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.access import Role
from renda.core.queues import WorkQueue, last_seen_expression, queue_last_seen, register_queue

from .models import HANDLING_STATES, Assignment, Extension, State, Suggestion, SuggestionEvent
from .selectors import cosign_requests, scope_suggestions, unit_inbox, unit_part_filters

STAFF = frozenset({Role.COUNTY_STAFF})
LEADER = frozenset({Role.LEADER})


def _list(**params):
    return lambda user: f"{reverse('suggestions:list')}?{urlencode(params)}"


def _count(user, **filters) -> int:
    return scope_suggestions(Suggestion.objects.filter(**filters), user).count()


def _pending_returns(user) -> int:
    requested = Assignment.objects.filter(suggestion=OuterRef("pk"), state=Assignment.State.RETURN_REQUESTED)
    return scope_suggestions(Suggestion.objects.filter(Exists(requested)), user).count()


def _pending_extensions(user) -> int:
    requested = Extension.objects.filter(
        assignment__suggestion=OuterRef("pk"), state=Extension.State.REQUESTED
    )
    return scope_suggestions(Suggestion.objects.filter(Exists(requested)), user).count()


def _overdue(user) -> int:
    from django.utils import timezone

    return _count(user, state__in=HANDLING_STATES, due_on__lt=timezone.localdate())


def _my_key_items(user) -> int:
    return _count(user, is_key=True, key_leader_user=user, state__in=[*HANDLING_STATES, State.REPLIED])


def _key_changes(user) -> int:
    """The leader's key suggestions with a step taken since the leader last opened this queue."""
    changed = SuggestionEvent.objects.filter(
        suggestion=OuterRef("pk"), occurred_at__gt=last_seen_expression(user, "suggestions.key_changes")
    )
    return scope_suggestions(
        Suggestion.objects.filter(is_key=True, key_leader_user=user).filter(Exists(changed)), user
    ).count()


def _key_changes_list(user) -> str:
    """Called by core:queue_open before it moves the mark: the list of what changed since the last look."""
    since = queue_last_seen(user, "suggestions.key_changes")
    return f"{reverse('suggestions:key_list')}?{urlencode({'mine': 1, 'since': since.isoformat()})}"


def _unit_count(show: str):
    def count(user) -> int:
        return unit_inbox(user=user).filter(unit_part_filters()[show]).count()

    return count


def _unit_list(show: str):
    return lambda user: f"{reverse('suggestions:unit_inbox')}?{urlencode({'show': show})}"


def _to_evaluate(user) -> int:
    return _count(user, state=State.REPLIED, lead_deputy__user=user)


UNIT_QUEUES = (
    ("rehandle", _("代表不满意、需重新办理的承办件"), 9),
    ("to_sign", _("待签收的承办件"), 10),
    ("due_soon", _("15天内到期的承办件"), 11),
    ("overdue", _("已超期的承办件"), 12),
    ("co_input", _("待报送的协办意见"), 13),
)


def register() -> None:
    for show, label, order in UNIT_QUEUES:
        register_queue(
            WorkQueue(
                key=f"suggestions.unit_{show}",
                label=label,
                permission="suggestions.handle",
                count=_unit_count(show),
                url=_unit_list(show),
                order=order,
            )
        )
    register_queue(
        WorkQueue(
            key="suggestions.cosign_requests",
            label=_("邀请我联名的建议（待确认）"),
            permission="suggestions.submit",
            count=lambda user: cosign_requests(user=user).count(),
            url=lambda user: f"{reverse('suggestions:mine')}?show=cosign",
            order=9,
        )
    )
    register_queue(
        WorkQueue(
            key="suggestions.to_evaluate",
            label=_("等待我评价的答复"),
            permission="suggestions.submit",
            count=_to_evaluate,
            url=lambda user: f"{reverse('suggestions:mine')}?show=to_evaluate",
            order=10,
        )
    )
    for queue in (
        WorkQueue(
            key="suggestions.submitted",
            label=_("待审查立案的建议"),
            permission="suggestions.manage",
            count=lambda user: _count(user, state=State.SUBMITTED),
            url=_list(state=State.SUBMITTED),
            order=10,
        ),
        WorkQueue(
            key="suggestions.return_requests",
            label=_("承办单位的退回申请"),
            permission="suggestions.manage",
            count=_pending_returns,
            url=_list(pending="return"),
            order=11,
        ),
        WorkQueue(
            key="suggestions.extension_requests",
            label=_("承办单位的延期申请"),
            permission="suggestions.manage",
            count=_pending_extensions,
            url=_list(pending="extension"),
            order=12,
        ),
        WorkQueue(
            key="suggestions.rehandling",
            label=_("代表不满意、退回重新办理的建议"),
            permission="suggestions.manage",
            count=lambda user: _count(user, state=State.REHANDLING),
            url=_list(state=State.REHANDLING),
            order=14,
        ),
        WorkQueue(
            key="suggestions.overdue",
            label=_("超期未答复的建议"),
            permission="suggestions.manage",
            count=_overdue,
            url=_list(overdue="on"),
            order=13,
        ),
        WorkQueue(
            key="suggestions.key_mine",
            label=_("我领衔督办的重点建议（办理中）"),
            permission="suggestions.supervise",
            roles=LEADER,
            count=_my_key_items,
            url=lambda user: f"{reverse('suggestions:key_list')}?mine=1&open=1",
            order=10,
        ),
        WorkQueue(
            key="suggestions.key_changes",
            label=_("重点建议自上次查看后的新进展"),
            permission="suggestions.supervise",
            roles=LEADER,
            count=_key_changes,
            url=_key_changes_list,
            order=11,
            marks_seen=True,
        ),
    ):
        register_queue(queue)
