"""Opinions' work queues (core/queues.py): one count query each, linking to the filtered list."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.access import Role, scope_queryset
from renda.core.queues import WorkQueue, register_queue

from .models import Opinion
from .selectors import opinion_overdue_before, referred_waiting

STAFF = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF})


def _received(user):
    return scope_queryset(Opinion.objects.filter(state=Opinion.State.RECEIVED), user)


def _list(**params):
    from urllib.parse import urlencode

    return lambda user: f"{reverse('opinions:list')}?{urlencode(params)}"


def register() -> None:
    register_queue(
        WorkQueue(
            key="opinions.overdue",
            label=_("超时未办的群众意见"),
            permission="opinions.handle",
            roles=STAFF,
            count=lambda user: _received(user).filter(received_at__lt=opinion_overdue_before()).count(),
            url=_list(state="received", overdue="on"),
            order=40,
        )
    )
    register_queue(
        WorkQueue(
            key="opinions.received",
            label=_("辖区联络站待办群众意见（可转交部门或转为代表建议）"),
            permission="opinions.handle",
            roles=frozenset({Role.TOWNSHIP_STAFF}),
            count=lambda user: _received(user).count(),
            url=_list(state="received"),
            order=39,
        )
    )
    register_queue(
        WorkQueue(
            key="opinions.dissatisfied",
            label=_("群众不满意、退回重办的意见"),
            permission="opinions.handle",
            roles=frozenset({Role.STATION_KEEPER, Role.TOWNSHIP_STAFF}),
            count=lambda user: _received(user).filter(satisfaction=Opinion.Satisfaction.DISSATISFIED).count(),
            url=_list(state="received", satisfaction="dissatisfied"),
            order=9,
        )
    )
    register_queue(
        WorkQueue(
            key="opinions.new",
            label=_("本站待办群众意见"),
            permission="opinions.handle",
            roles=frozenset({Role.STATION_KEEPER}),
            count=lambda user: _received(user).count(),
            url=_list(state="received"),
            order=10,
        )
    )
    register_queue(
        WorkQueue(
            key="opinions.referred_to_me",
            label=_("转交本单位待答复的群众意见"),
            permission="opinions.view",
            roles=frozenset({Role.HANDLING_UNIT}),
            count=lambda user: referred_waiting(user=user).count(),
            url=_list(state="referred"),
            order=30,
        )
    )
    register_queue(
        WorkQueue(
            key="opinions.mine",
            label=_("交给我的群众意见"),
            permission="opinions.handle",
            roles=frozenset({Role.DEPUTY}),
            count=lambda user: _received(user).count(),
            url=_list(state="received"),
            order=20,
        )
    )
