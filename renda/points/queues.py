"""Points' work queues on the staff home page (core/queues.py): objections to answer during a 公示,
and the 约谈 list (year totals below the scheme's line)."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.access import scope_queryset
from renda.core.queues import WorkQueue, register_queue

from .models import Objection, Period, Scheme, Standing


def _interview_count(user) -> int:
    return scope_queryset(
        Standing.objects.filter(
            scheme__state=Scheme.State.PUBLISHED,
            scheme__interview_below__isnull=False,
            period=Period.YEAR,
            total__lt=F("scheme__interview_below"),
        ),
        user,
    ).count()


def register() -> None:
    register_queue(
        WorkQueue(
            key="points.objections",
            label=_("待处理的积分公示异议"),
            permission="points.manage",
            count=lambda user: scope_queryset(
                Objection.objects.filter(state=Objection.State.OPEN), user
            ).count(),
            url=lambda user: reverse("points:objections"),
            order=40,
        )
    )
    register_queue(
        WorkQueue(
            key="points.interview",
            label=_("积分低于约谈线的代表"),
            permission="points.manage",
            count=_interview_count,
            url=lambda user: reverse("points:actions"),
            order=41,
        )
    )
