"""Reads for onboarding: the pickers' searches and what a bulk creation would cover.

The system administrator (accounts.manage) works across the whole installation and holds no region,
so the account-side searches are not scoped; the deputy-side search for staff is scoped by the
deputy (access_object) and lists only deputy accounts not yet linked.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from renda.accounts.models import User
from renda.core.access import Role, has_permission
from renda.deputies.models import Deputy, Mandate
from renda.network.models import Station, StationKeeper
from renda.organizations.models import Organization


def _deputy_label(deputy: Deputy) -> str:
    mandates = getattr(deputy, "serving_mandates", None)
    if mandates is None:
        mandates = [m for m in deputy.mandates.all() if m.status == Mandate.Status.SERVING]
    congresses = "、".join(m.congress.short_name for m in mandates)
    where = deputy.region.name if deputy.region_id else ""
    return f"{deputy.name}（{where}{'；' + congresses if congresses else ''}）"


def serving_mandates_prefetch() -> Prefetch:
    """A deputy's current mandates (the congresses a label names), as `serving_mandates`."""
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.filter(status=Mandate.Status.SERVING).select_related("congress"),
        to_attr="serving_mandates",
    )


def linkable_deputies() -> QuerySet[Deputy]:
    """Deputies who may get an account: a current (在任) mandate in some congress, and no account yet.
    A deputy who resigned, was recalled, transferred or whose mandates all ended has no portal to
    use (the link service refuses them too)."""
    serving = Mandate.objects.filter(deputy=OuterRef("pk"), status=Mandate.Status.SERVING)
    return Deputy.objects.filter(Exists(serving), user__isnull=True)


def account_deputy_search(user, q: str) -> QuerySet[Deputy]:
    """Linkable deputies (linkable_deputies) by name, for linking an account (the label tells
    namesakes apart by township and current congresses). A deputy already linked, or without a
    current mandate, is not offered: the link would only be refused."""
    if not has_permission(user, "accounts.manage"):
        return Deputy.objects.none()
    return (
        linkable_deputies()
        .filter(name__contains="".join(q.split()))
        .select_related("region")
        .prefetch_related(serving_mandates_prefetch())
        .order_by("stroke_key", "id")
    )


def _station_label(station: Station) -> str:
    return f"{station.name}（{station.region.name}）"


def account_station_search(user, q: str) -> QuerySet[Station]:
    if not has_permission(user, "accounts.manage"):
        return Station.objects.none()
    return Station.objects.filter(name__contains=q.strip()).select_related("region").order_by("name")


def _account_label(account: User) -> str:
    return f"{account.username}（{account.full_name}）" if account.full_name else account.username


def unlinked_deputy_accounts(user, q: str) -> QuerySet[User]:
    """Deputy-role accounts with no deputy yet, by username or name, for staff linking a deputy."""
    if not has_permission(user, "deputies.change"):
        return User.objects.none()
    q = q.strip()
    return (
        User.objects.filter(role=Role.DEPUTY, deputy__isnull=True, is_active=True)
        .filter(Q(username__icontains=q) | Q(full_name__contains=q))
        .order_by("username")
    )


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "account-deputy", permission="accounts.manage", search=account_deputy_search, label=_deputy_label
    )
    register_picker(
        "account-station", permission="accounts.manage", search=account_station_search, label=_station_label
    )
    register_picker(
        "deputy-account", permission="deputies.change", search=unlinked_deputy_accounts, label=_account_label
    )


def account_links(*, account: User) -> dict:
    """What an account is linked to: its deputy (deputy role) or its stations (station keepers)."""
    deputy = Deputy.objects.select_related("region").filter(user=account).first()
    keepers = StationKeeper.objects.filter(user=account).select_related("station__region")
    return {"deputy": deputy, "keepers": list(keepers)}


def bulk_deputies(*, congress_id: int, township_id: int | None = None, delegation: str = "") -> QuerySet:
    """Deputies of a congress (current mandates) who have no account yet, in roster order."""
    mandates = Mandate.objects.filter(
        deputy=OuterRef("pk"), congress_id=congress_id, status=Mandate.Status.SERVING
    )
    if delegation:
        mandates = mandates.filter(delegation=delegation)
    qs = Deputy.objects.filter(Exists(mandates), user__isnull=True).select_related("region")
    if township_id:
        qs = qs.filter(region_id=township_id)
    return qs.order_by("stroke_key", "id")


def bulk_units() -> QuerySet[Organization]:
    """Handling units with no active account yet."""
    has_account = User.objects.filter(organization=OuterRef("pk"), role=Role.HANDLING_UNIT, is_active=True)
    return (
        Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT)
        .exclude(Exists(has_account))
        .select_related("region")
        .order_by("region__code", "name")
    )
