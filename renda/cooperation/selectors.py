"""Reads of department cooperation. A handling unit sees the deputies its own organisation appointed
(current appointments) and its own proposals; county staff see the proposals of their region's
departments."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from renda.core.access import access_object, scope_queryset
from renda.deputies.models import Deputy, ExternalRole

from .models import ActivityProposal


def appointed_roles(*, user) -> QuerySet[ExternalRole]:
    """The current external roles whose appointing organisation is the user's (none without one)."""
    if not user.organization_id:
        return ExternalRole.objects.none()
    today = timezone.localdate()
    return (
        ExternalRole.objects.filter(organization_id=user.organization_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("deputy", "deputy__region")
        .order_by("deputy__stroke_key", "id")
    )


def appointed_deputies(*, organization) -> QuerySet[Deputy]:
    today = timezone.localdate()
    roles = ExternalRole.objects.filter(organization=organization, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return Deputy.objects.filter(pk__in=roles.values("deputy_id")).order_by("stroke_key", "id")


def appointed_deputy_search(user, q: str) -> QuerySet[Deputy]:
    """The proposal form's picker: the deputies the user's department appointed, by name."""
    if not getattr(user, "organization_id", None):
        return Deputy.objects.none()
    return (
        appointed_deputies(organization=user.organization).filter(name__contains=q).select_related("region")
    )


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "cooperation-deputy",
        permission="cooperation.propose",
        search=appointed_deputy_search,
        label=lambda deputy: f"{deputy.name}（{deputy.region.name}）",
    )


def proposal_list(*, user, state: str = "") -> QuerySet[ActivityProposal]:
    qs = scope_queryset(ActivityProposal.objects.select_related("organization"), user)
    if state:
        qs = qs.filter(state=state)
    return qs.prefetch_related("deputies").order_by("-starts_at", "-id")


def proposal_get(*, user, pk: int, permission: str) -> ActivityProposal:
    return access_object(
        ActivityProposal.objects.select_related("organization", "proposed_by", "decided_by"),
        user,
        permission=permission,
        pk=pk,
    )
