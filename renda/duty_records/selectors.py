"""Reads of duty records, scoped to the asking user."""

import datetime

from django.db.models import QuerySet

from renda.core.access import access_object, scope_queryset

from .models import DutyRecord


def duty_record_list(
    *, user, deputy=None, kind: str = "", review_state: str = "", year: int | None = None
) -> QuerySet[DutyRecord]:
    qs = scope_queryset(DutyRecord.objects.select_related("deputy", "deputy__region"), user)
    if deputy is not None:
        qs = qs.filter(deputy=deputy)
    if kind:
        qs = qs.filter(kind=kind)
    if review_state:
        qs = qs.filter(review_state=review_state)
    if year:
        # A range, not __year, so that the (deputy, occurred_on) index serves it.
        qs = qs.filter(
            occurred_on__gte=datetime.date(year, 1, 1), occurred_on__lte=datetime.date(year, 12, 31)
        )
    return qs.order_by("-occurred_on", "-id")


def duty_record_get(*, user, pk: int, permission: str = "duty_records.view") -> DutyRecord:
    return access_object(DutyRecord.objects.select_related("deputy"), user, permission=permission, pk=pk)
