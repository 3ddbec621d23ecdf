"""Reads of the network. Staff reads are scoped to the asking user; the public directory reads only
what a station shows on its door (name, kind, place, opening times, public phone, deputies' names)."""

import datetime

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from renda.core.access import access_object, scope_queryset
from renda.core.text import clean_code
from renda.deputies.models import Deputy
from renda.regions.models import Region

from .models import Demonstration, ReceptionDay, ReceptionParticipant, Station, StationedDeputy

DEMONSTRATION_ANY = {"any", "true", "1", "yes"}
# Listing order: the county's own stations, then each township's station and its village points,
# then the legislative points.
KIND_ORDER = [
    Station.Kind.COUNTY_CENTER,
    Station.Kind.INDUSTRY_STATION,
    Station.Kind.TOWNSHIP_STATION,
    Station.Kind.DEPUTIES_HOME,
    Station.Kind.VILLAGE_ROOM,
    Station.Kind.LEGISLATIVE_STATION,
    Station.Kind.LEGISLATIVE_ROOM,
]


def kind_rank():
    return Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)],
        default=Value(99),
        output_field=IntegerField(),
    )


def _region_filter(qs: QuerySet, region_code: str, path: str = "region__path") -> QuerySet:
    region = Region.objects.filter(code=region_code.strip()).only("path").first()
    if region is None:
        return qs.none()
    return qs.filter(**{f"{path}__startswith": region.path})


def _demonstration_filter(qs: QuerySet, demonstration: str) -> QuerySet:
    """`any` (or true/1): stations with any demonstration status; a level (county/city/province):
    with that level; a status (building/named): with that status; `none`: without any."""
    value = demonstration.strip().lower()
    demos = Demonstration.objects.filter(station=OuterRef("pk"))
    if value in DEMONSTRATION_ANY:
        return qs.filter(Exists(demos))
    if value in {"none", "false", "0", "no"}:
        return qs.exclude(Exists(demos))
    if value in Demonstration.Level.values:
        return qs.filter(Exists(demos.filter(level=value)))
    if value in Demonstration.Status.values:
        return qs.filter(Exists(demos.filter(status=value)))
    return qs.none()


def station_list(
    *,
    user,
    kind: str = "",
    region_code: str = "",
    demonstration: str = "",
    q: str = "",
    active: bool | None = None,
) -> QuerySet[Station]:
    qs = scope_queryset(Station.objects.select_related("region", "parent"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        qs = _region_filter(qs, region_code)
    if demonstration:
        qs = _demonstration_filter(qs, demonstration)
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(address__contains=q.strip()))
    if active is not None:
        qs = qs.filter(is_active=active)
    return (
        qs.prefetch_related("demonstrations")
        .annotate(kind_order=kind_rank())
        .order_by("kind_order", "region__code", "name", "id")
    )


def station_get(*, user, pk: int, permission: str = "network.view") -> Station:
    return access_object(
        Station.objects.select_related("region", "parent"), user, permission=permission, pk=pk
    )


def station_choices(*, user) -> QuerySet[Station]:
    return scope_queryset(Station.objects.select_related("region"), user).order_by(
        "kind", "region__code", "name"
    )


def station_search(user, q: str) -> QuerySet[Station]:
    """Stations in the user's jurisdiction whose name holds `q` (the network's search picker: a
    province holds tens of thousands of stations)."""
    return station_choices(user=user).filter(name__contains=q).order_by("name", "id")


def station_label(station: Station) -> str:
    return f"{station.name}（{station.region.name}）"


def station_deputy_search(user, q: str, station: str = ""):
    """The stationed-deputy picker: deputies of the station's area (station_deputy_choices) by name;
    nothing without a station the user may change."""
    if not station.isdigit():
        return Deputy.objects.none()
    try:
        found = station_get(user=user, pk=int(station), permission="network.change")
    except Http404:
        return Deputy.objects.none()
    return station_deputy_choices(user=user, station=found).filter(name__contains=q)


def deputy_label(deputy: Deputy) -> str:
    return f"{deputy.name}（{deputy.region.name}）"


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker("network-station", permission="network.view", search=station_search, label=station_label)
    register_picker(
        "station-deputy",
        permission="network.change",
        search=station_deputy_search,
        label=deputy_label,
        params=("station",),
    )


def station_home_region(station: Station) -> Region:
    """The region whose deputies serve a station: its township for a village room, else its own."""
    region = station.region
    if region.level == Region.Level.VILLAGE and region.parent_id:
        return region.parent
    return region


def station_deputy_choices(*, user, station: Station) -> QuerySet[Deputy]:
    """Deputies the user may put on a station's duty roster: those of the station's area."""
    home = station_home_region(station)
    return (
        scope_queryset(Deputy.objects.select_related("region"), user)
        .filter(region__path__startswith=home.path)
        .order_by("name", "id")
    )


def stationed_deputies(*, station: Station) -> QuerySet[StationedDeputy]:
    return station.stationed_deputies.select_related("deputy", "deputy__region").order_by(
        "term", "deputy__name"
    )


def station_summary(*, user, station: Station) -> dict:
    return {
        "stationed": list(stationed_deputies(station=station)),
        "facilities": list(station.facilities.order_by("kind", "name")),
        "fundings": list(station.fundings.order_by("-year", "id")),
        "demonstrations": list(station.demonstrations.order_by("level")),
        "keepers": list(station.keepers.select_related("user")),
        "children": list(
            scope_queryset(station.children.select_related("region"), user).order_by("kind", "name")
        ),
    }


def reception_day_list(
    *,
    user,
    station: Station | None = None,
    state: str = "",
    year: int | None = None,
    upcoming: bool | None = None,
) -> QuerySet[ReceptionDay]:
    qs = scope_queryset(ReceptionDay.objects.select_related("station", "station__region"), user)
    if station is not None:
        qs = qs.filter(station=station)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31))
    today = timezone.localdate()
    if upcoming is True:
        qs = qs.filter(held_on__gte=today)
    elif upcoming is False:
        qs = qs.filter(held_on__lt=today)
    participants = ReceptionParticipant.objects.select_related("deputy").order_by("deputy__name", "id")
    return qs.prefetch_related(Prefetch("participants", queryset=participants)).order_by("-held_on", "-id")


def reception_day_get(*, user, pk: int, permission: str = "network.view") -> ReceptionDay:
    participants = ReceptionParticipant.objects.select_related("deputy", "duty_record").order_by(
        "deputy__name"
    )
    return access_object(
        ReceptionDay.objects.select_related("station", "station__region", "recorded_by").prefetch_related(
            Prefetch("participants", queryset=participants), "events__actor"
        ),
        user,
        permission=permission,
        pk=pk,
    )


# ---------- the public directory (no login) ----------


def station_public_list(*, township_code: str = "", kind: str = "", q: str = "") -> QuerySet[Station]:
    """Active stations, for the public directory. Only door-sign information is shown from these."""
    qs = Station.objects.filter(is_active=True).select_related("region", "region__parent")
    if township_code:
        qs = _region_filter(qs, township_code)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(address__contains=q.strip()))
    return qs.annotate(kind_order=kind_rank()).order_by("kind_order", "region__code", "name", "id")


def station_public_get(*, code: str) -> Station:
    """An active station by its public code (also what the public opinion form looks up), or 404."""
    station = (
        Station.objects.filter(public_code=clean_code(code).lower(), is_active=True)
        .select_related("region", "region__parent", "parent")
        .first()
    )
    if station is None:
        raise Http404
    return station


def station_public_detail(*, station: Station) -> dict:
    today = timezone.localdate()
    participants = ReceptionParticipant.objects.select_related("deputy").order_by("deputy__name")
    upcoming = (
        station.reception_days.filter(state=ReceptionDay.State.SCHEDULED, held_on__gte=today)
        .prefetch_related(Prefetch("participants", queryset=participants))
        .order_by("held_on", "starts_at")[:5]
    )
    return {
        "deputy_names": sorted({s.deputy.name for s in station.stationed_deputies.select_related("deputy")}),
        "upcoming": list(upcoming),
        "held_count": station.reception_days.filter(state=ReceptionDay.State.HELD).count(),
    }


def public_township_choices() -> QuerySet[Region]:
    """Townships that have at least one active station, for the directory's filter."""
    with_stations = Station.objects.filter(is_active=True, region__path__startswith=OuterRef("path"))
    return Region.objects.filter(level=Region.Level.TOWNSHIP).filter(Exists(with_stations)).order_by("code")
