"""Reads of accounts (for the system administrator)."""

from django.db.models import Q, QuerySet

from renda.core.access import has_permission

from .models import User


def user_list(*, actor, q: str = "", role: str = "") -> QuerySet[User]:
    if not has_permission(actor, "accounts.manage"):
        return User.objects.none()
    qs = User.objects.select_related("region", "organization").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    return qs


def user_get(*, actor, pk: int) -> User | None:
    """An account the actor may edit: not their own, not one of the three administrator accounts."""
    from .services import ADMIN_ROLES

    return user_list(actor=actor).exclude(pk=actor.pk).exclude(role__in=ADMIN_ROLES).filter(pk=pk).first()


def api_token_list(*, user) -> QuerySet:
    """The caller's own tokens, newest first (live and ended: the page shows both)."""
    from .models import ApiToken

    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def _region_label(region) -> str:
    parent = region.parent.name if region.parent_id else ""
    return f"{region.name}（{region.code}{'，' + parent if parent else ''}）"


def _organization_label(org) -> str:
    return f"{org.name}（{org.get_kind_display()}，{org.region.name}）"


def account_region_search(user, q: str):
    """Regions for an account's jurisdiction, by name or code prefix (the system admin sees all)."""
    from renda.regions.models import Region

    if not has_permission(user, "accounts.manage"):
        return Region.objects.none()
    match = Q(code__startswith=q) if q.isdigit() else Q(name__contains=q)
    # Villages are never a jurisdiction; counties before townships.
    return (
        Region.objects.filter(match)
        .exclude(level=Region.Level.VILLAGE)
        .select_related("parent")
        .order_by("code")
    )


def account_organization_search(user, q: str):
    from renda.organizations.models import Organization

    if not has_permission(user, "accounts.manage"):
        return Organization.objects.none()
    return (
        Organization.objects.filter(Q(name__contains=q) | Q(short_name__contains=q))
        .select_related("region")
        .order_by("name")
    )


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "account-region", permission="accounts.manage", search=account_region_search, label=_region_label
    )
    register_picker(
        "account-organization",
        permission="accounts.manage",
        search=account_organization_search,
        label=_organization_label,
    )
