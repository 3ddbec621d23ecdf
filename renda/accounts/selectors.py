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
