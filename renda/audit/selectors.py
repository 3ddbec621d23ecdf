"""Reads of the audit log, for the auditor only."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from renda.core.access import has_permission

from .models import AuditEntry


def audit_list(*, user, filters: dict) -> QuerySet[AuditEntry]:
    """The log filtered by actor, action, outcome, object and date range; empty for anyone but the auditor."""
    if not has_permission(user, "audit.view"):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if filters.get("actor"):
        qs = qs.filter(actor_username=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    if filters.get("outcome"):
        qs = qs.filter(outcome=filters["outcome"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("ip"):
        qs = qs.filter(ip=filters["ip"])
    if filters.get("q"):
        qs = qs.filter(Q(object_repr__contains=filters["q"]) | Q(detail__contains=filters["q"]))
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(
            occurred_at__gte=datetime.datetime.combine(filters["date_from"], datetime.time.min, tz)
        )
    if filters.get("date_to"):
        end = datetime.datetime.combine(
            filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, tz
        )
        qs = qs.filter(occurred_at__lt=end)
    return qs.order_by("-occurred_at", "-id")
