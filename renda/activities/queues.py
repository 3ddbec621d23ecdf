"""Activities' work queues on the home page and the deputy's portal (core/queues.py): one query each."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import scope_queryset
from renda.core.queues import WorkQueue, register_queue

from .models import Activity, FollowUp, Invitation


def _overdue(user) -> int:
    today = timezone.localdate()
    return scope_queryset(FollowUp.objects.filter(responded_on__isnull=True, due_on__lt=today), user).count()


def _leave_pending(user) -> int:
    return scope_queryset(
        Invitation.objects.filter(
            leave_state=Invitation.Leave.PENDING, activity__state=Activity.State.PLANNED
        ),
        user,
    ).count()


def _to_answer(user) -> int:
    return Invitation.objects.filter(
        deputy__user=user,
        answer="",
        activity__state=Activity.State.PLANNED,
        activity__ends_at__gt=timezone.now(),
    ).count()


def register() -> None:
    register_queue(
        WorkQueue(
            key="activities.follow_ups_overdue",
            label=_("执法检查审议意见研究处理情况超期"),
            permission="activities.view",
            count=_overdue,
            url=lambda user: f"{reverse('activities:follow_ups')}?overdue=1",
            order=40,
        )
    )
    register_queue(
        WorkQueue(
            key="activities.leave_pending",
            label=_("待批准的活动请假"),
            permission="activities.manage",
            count=_leave_pending,
            url=lambda user: f"{reverse('activities:list')}?leave=pending",
            order=41,
        )
    )
    register_queue(
        WorkQueue(
            key="activities.to_answer",
            label=_("待答复的活动邀请"),
            permission="activities.attend",
            count=_to_answer,
            url=lambda user: f"{reverse('activities:portal')}#answer-title",
            order=10,
        )
    )
