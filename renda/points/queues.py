"""Points' work queues on the staff home page (core/queues.py): objections to answer during a 公示,
and the 约谈 list (year totals below the scheme's line)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.access import scope_queryset
from renda.core.queues import WorkQueue, register_queue

from .models import Objection
from .selectors import interview_due


def register() -> None:
    register_queue(
        WorkQueue(
            key="points.objections",
            label=_("待处理的积分公示异议"),
            permission="points.manage",
            count=lambda user: scope_queryset(
                Objection.objects.filter(state=Objection.State.OPEN), user
            ).count(),
            url=lambda user: f"{reverse('points:objections')}?state={Objection.State.OPEN}",
            order=40,
        )
    )
    register_queue(
        WorkQueue(
            key="points.interview",
            label=_("积分低于约谈线的代表"),
            permission="points.manage",
            count=lambda user: interview_due(user=user).count(),
            url=lambda user: f"{reverse('points:actions')}?show=interview",
            order=41,
        )
    )
