"""Reads of duty records, scoped to the asking user."""

import datetime

from django.db.models import QuerySet

from renda.core.access import access_object, scope_queryset

from .models import DutyRecord


def duty_record_list(
    *,
    user,
    deputy=None,
    kind: str = "",
    review_state: str = "",
    year: int | None = None,
    include_withdrawn: bool = False,
) -> QuerySet[DutyRecord]:
    """Records the user may see, newest first; withdrawn ones only when asked for."""
    qs = scope_queryset(DutyRecord.objects.select_related("deputy", "deputy__region"), user)
    if not include_withdrawn:
        qs = qs.standing()
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


def duty_record_counts(
    *, deputy_ids, kinds, since: datetime.date, until: datetime.date
) -> dict[tuple[int, str], int]:
    """How many standing, approved records of each kind each deputy has between two dates (inclusive).

    One query whatever the number of deputies. For callers that already decided the deputies may be
    seen (campaign completion, the portal). Shape: {(deputy_id, kind): count}; zeros are absent.
    """
    from django.db.models import Count

    rows = (
        DutyRecord.objects.standing()
        .filter(
            deputy_id__in=list(deputy_ids),
            kind__in=list(kinds),
            review_state=DutyRecord.Review.APPROVED,
            occurred_on__gte=since,
            occurred_on__lte=until,
        )
        .values("deputy_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["deputy_id"], row["kind"]): row["n"] for row in rows}
