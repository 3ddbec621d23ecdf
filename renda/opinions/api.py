"""Opinions in the API: the same selectors and scoping as the pages; the constituent's phone masked."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from . import selectors
from .models import Opinion

router = Router(tags=["群众意见"])


class OpinionOut(Schema):
    id: int
    title: str
    state: str
    state_label: str
    channel: str
    category: str
    received_at: datetime.datetime
    station_id: int | None
    station_name: str
    region_code: str
    region_name: str
    deputy_id: int | None
    department_name: str
    constituent_phone: str
    replied: bool
    satisfaction: str

    @staticmethod
    def resolve_state_label(obj: Opinion) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_station_name(obj: Opinion) -> str:
        return obj.station.name if obj.station else ""

    @staticmethod
    def resolve_region_code(obj: Opinion) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Opinion) -> str:
        return obj.region.name

    @staticmethod
    def resolve_department_name(obj: Opinion) -> str:
        return obj.department.name if obj.department else ""

    @staticmethod
    def resolve_constituent_phone(obj: Opinion) -> str:
        return obj.constituent_phone_masked

    @staticmethod
    def resolve_replied(obj: Opinion) -> bool:
        return bool(obj.reply)


class OpinionEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    note: str
    occurred_at: datetime.datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class OpinionDetailOut(OpinionOut):
    content: str
    constituent_name: str
    reply: str
    replied_at: datetime.datetime | None
    merged_into_id: int | None
    events: list[OpinionEventOut]

    @staticmethod
    def resolve_events(obj: Opinion) -> list:
        return list(selectors.opinion_events(opinion=obj))


class OpinionFilters(InputSchema):
    state: str = ""
    channel: str = ""
    category: str = ""
    station_id: int | None = None
    year: int | None = None
    q: str = ""


@router.get("", response=list[OpinionOut])
@paginate(Pagination)
def opinion_index(request: HttpRequest, filters: Query[OpinionFilters]):
    require(request, "opinions.view")
    return selectors.opinion_list(user=request.user, **filters.dict())


@router.get("/{int:opinion_id}", response=OpinionDetailOut)
def opinion_detail(request: HttpRequest, opinion_id: int):
    return selectors.opinion_get(user=request.user, pk=opinion_id)
