"""What the activities app adds to the home page: overdue follow-ups of law-enforcement inspections."""

from renda.core.access import has_permission

from .selectors import overdue_follow_ups


def home_panels(user) -> list[dict]:
    if not has_permission(user, "activities.view"):
        return []
    overdue = list(overdue_follow_ups(user=user)[:10])
    if not overdue:
        return []
    return [{"template": "activities/_home_follow_ups.html", "overdue": overdue}]
