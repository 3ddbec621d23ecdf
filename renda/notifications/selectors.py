"""Reads of notifications: a user only ever sees their own."""

from django.db.models import QuerySet

from .models import Notification

# The roles that have an inbox (see ROLE_PERMISSIONS).
VIEW = "notifications.view"


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
