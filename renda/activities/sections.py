"""The activities' sections on pages other apps own (core/sections.py): a deputy's record page shows
their invitations and attendance; the deputy's portal shows what to answer and campaign progress."""

from django.utils import timezone

from renda.core.access import has_permission, scope_queryset
from renda.core.sections import section_register

from .models import Activity, Invitation


def _deputy_detail(request, *, deputy, **_):
    if request is None or not has_permission(request.user, "activities.view"):
        return None
    rows = list(
        scope_queryset(Invitation.objects.filter(deputy=deputy), request.user)
        .select_related("activity")
        .order_by("-activity__starts_at")[:20]
    )
    return {"invitations": rows}


def _portal(request, *, deputy, **_):
    if request is None or deputy is None or not has_permission(request.user, "activities.attend"):
        return None
    from .selectors import portal_campaigns

    to_answer = Invitation.objects.filter(
        deputy=deputy, answer="", activity__state=Activity.State.PLANNED, activity__ends_at__gt=timezone.now()
    ).count()
    return {"to_answer": to_answer, "campaigns": portal_campaigns(deputy=deputy)}


def register() -> None:
    section_register(
        page="deputy_detail",
        name="activities",
        template="activities/_deputy_section.html",
        context=_deputy_detail,
        order=40,
    )
    section_register(
        page="portal",
        name="activities",
        template="activities/_portal_section.html",
        context=_portal,
        order=20,
    )
