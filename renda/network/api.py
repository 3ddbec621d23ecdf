"""Stations and reception days in the API: the same selectors and scoping as the pages."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from . import selectors
from .models import ReceptionDay, ReceptionParticipant, Station

stations_router = Router(tags=["联络网络"])
reception_days_router = Router(tags=["联络网络"])


class DemonstrationOut(Schema):
    level: str
    year: int
    status: str


class StationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    sector: str
    region_code: str
    region_name: str
    parent_id: int | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str
    contact_person: str
    contact_phone: str
    is_active: bool
    public_code: str
    opinion_path: str
    demonstrations: list[DemonstrationOut]

    @staticmethod
    def resolve_kind_label(obj: Station) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Station) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Station) -> str:
        return obj.region.name

    @staticmethod
    def resolve_demonstrations(obj: Station) -> list:
        return list(obj.demonstrations.all())


class StationedDeputyOut(Schema):
    deputy_id: int
    name: str
    term: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.deputy.name


class FacilityOut(Schema):
    kind: str
    name: str
    quantity: int
    note: str


class FundingOut(Schema):
    year: int
    amount: Decimal
    source: str
    purpose: str


class StationDetailOut(StationOut):
    stationed_deputies: list[StationedDeputyOut]
    facilities: list[FacilityOut]
    fundings: list[FundingOut]

    @staticmethod
    def resolve_stationed_deputies(obj: Station) -> list:
        return list(selectors.stationed_deputies(station=obj))

    @staticmethod
    def resolve_facilities(obj: Station) -> list:
        return list(obj.facilities.order_by("kind", "name"))

    @staticmethod
    def resolve_fundings(obj: Station) -> list:
        return list(obj.fundings.order_by("-year", "id"))


class StationFilters(InputSchema):
    kind: str = Field("", max_length=50)
    region: str = Field("", max_length=20)
    demonstration: str = Field("", max_length=50)
    q: str = Field("", max_length=100)


class ParticipantOut(Schema):
    deputy_id: int
    name: str
    attended: bool | None
    duty_record_id: int | None

    @staticmethod
    def resolve_name(obj: ReceptionParticipant) -> str:
        return obj.deputy.name


class ReceptionDayOut(Schema):
    id: int
    station_id: int
    station_name: str
    held_on: datetime.date
    starts_at: datetime.time | None
    ends_at: datetime.time | None
    theme: str
    state: str
    state_label: str
    constituents_received: int | None
    topics: str
    summary: str
    deputies: list[ParticipantOut]

    @staticmethod
    def resolve_station_name(obj: ReceptionDay) -> str:
        return obj.station.name

    @staticmethod
    def resolve_state_label(obj: ReceptionDay) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_deputies(obj: ReceptionDay) -> list:
        return list(obj.participants.all())


class ReceptionDayFilters(InputSchema):
    station_id: int | None = None
    state: str = Field("", max_length=50)
    year: int | None = None


@stations_router.get("", response=list[StationOut])
@paginate(Pagination)
def station_list(request: HttpRequest, filters: Query[StationFilters]):
    """Stations within the caller's jurisdiction. `kind`: a station kind; `region`: a region code
    (the whole subtree); `demonstration`: any / county / city / province / building / named / none."""
    require(request, "network.view")
    return selectors.station_list(
        user=request.user,
        kind=filters.kind,
        region_code=filters.region,
        demonstration=filters.demonstration,
        q=filters.q,
    )


@stations_router.get("/{int:station_id}", response=StationDetailOut)
def station_detail(request: HttpRequest, station_id: int):
    return selectors.station_get(user=request.user, pk=station_id)


@reception_days_router.get("", response=list[ReceptionDayOut])
@paginate(Pagination)
def reception_day_list(request: HttpRequest, filters: Query[ReceptionDayFilters]):
    require(request, "network.view")
    station = None
    if filters.station_id is not None:
        station = selectors.station_get(user=request.user, pk=filters.station_id)
    return selectors.reception_day_list(
        user=request.user, station=station, state=filters.state, year=filters.year
    )


@reception_days_router.get("/{int:day_id}", response=ReceptionDayOut)
def reception_day_detail(request: HttpRequest, day_id: int):
    return selectors.reception_day_get(user=request.user, pk=day_id)
