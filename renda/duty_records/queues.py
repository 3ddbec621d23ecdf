"""Duty records' work queue: declared records waiting for review (core/queues.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.access import scope_queryset
from renda.core.queues import WorkQueue, register_queue

from .models import DutyRecord


def register() -> None:
    register_queue(
        WorkQueue(
            key="duty_records.pending",
            label=_("待审核的履职申报"),
            permission="duty_records.review",
            count=lambda user: scope_queryset(
                DutyRecord.objects.standing().filter(review_state=DutyRecord.Review.PENDING), user
            ).count(),
            url=lambda user: f"{reverse('duty_records:list')}?review_state=pending",
            order=30,
        )
    )
