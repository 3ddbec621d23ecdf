"""Template helpers of the suggestions app: the badge for a state, and 15-day warnings."""

from django import template

register = template.Library()

BADGES = {
    "draft": "muted",
    "submitted": "pending",
    "revision": "pending",
    "withdrawn": "muted",
    "not_accepted": "rejected",
    "accepted": "running",
    "assigned": "running",
    "replied": "running",
    "rehandling": "pending",
    "closed": "approved",
    "merged": "muted",
    "pending": "pending",
    "return_requested": "pending",
    "returned": "muted",
    "removed": "muted",
    "done": "approved",
    "requested": "pending",
    "approved": "approved",
    "refused": "rejected",
    "allocated": "pending",
    "disbursed": "running",
    "completed": "approved",
}


@register.filter
def state_badge(state: str) -> str:
    return f"badge badge--{BADGES.get(state, 'muted')}"


@register.filter
def due_soon(days_left) -> bool:
    """Within the reminder window (15 days by default) but not yet overdue."""
    from django.conf import settings

    return days_left is not None and 0 <= days_left <= settings.RENDA_SUGGESTION_REMIND_BEFORE_DAYS


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key) if hasattr(mapping, "get") else None
