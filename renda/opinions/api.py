"""Opinions in the API: the same selectors and scoping as the pages; the constituent's phone masked."""

import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import ErrorOut, InputSchema, Pagination, require
from renda.core.errors import DomainError
from renda.core.middleware import client_ip

from . import selectors, services
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
    state: str = Field("", max_length=50)
    channel: str = Field("", max_length=50)
    category: str = Field("", max_length=50)
    station_id: int | None = None
    year: int | None = None
    q: str = Field("", max_length=100)


@router.get("", response=list[OpinionOut])
@paginate(Pagination)
def opinion_index(request: HttpRequest, filters: Query[OpinionFilters]):
    require(request, "opinions.view")
    return selectors.opinion_list(user=request.user, **filters.dict())


@router.get("/{int:opinion_id}", response=OpinionDetailOut)
def opinion_detail(request: HttpRequest, opinion_id: int):
    return selectors.opinion_get(user=request.user, pk=opinion_id)


class DepartmentAnswerIn(InputSchema):
    decision: Literal["reply", "return"] = Field(
        description="reply 答复群众；return 退回（不属于本部门职责）"
    )
    text: str = Field("", description="答复内容，或退回的理由", max_length=10000)


class AnswerOut(Schema):
    id: int
    state: str
    state_label: str
    reply: str
    satisfaction: str

    @staticmethod
    def resolve_state_label(obj: Opinion) -> str:
        return obj.get_state_display()


@router.post(
    "/{int:opinion_id}/department",
    response={200: AnswerOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def opinion_department_answer(request: HttpRequest, opinion_id: int, payload: DepartmentAnswerIn):
    """The department an opinion was referred to answers it (the resident reads the answer by the
    tracking code) or hands it back with the reason; as the opinion's page does. 404 for anyone else
    and once it is answered; 422 naming `text` when it is empty."""
    opinion = selectors.opinion_get(user=request.user, pk=opinion_id)
    if not selectors.opinion_is_department(request.user, opinion):
        raise Http404
    try:
        if payload.decision == "reply":
            opinion = services.opinion_department_reply(
                actor=request.user, opinion=opinion, reply=payload.text
            )
        else:
            opinion = services.opinion_department_return(
                actor=request.user, opinion=opinion, reason=payload.text
            )
    except DomainError as exc:
        if exc.field in ("reply", "reason"):  # the service's names for what the API calls `text`
            raise DomainError(exc.message, field="text", status=422) from exc
        raise
    return 200, opinion


class TrackRateIn(InputSchema):
    code: str = Field(max_length=20, description="群众的查询码")
    satisfaction: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    note: str = Field("", max_length=200, description="不满意的原因（选填，200字以内）")


@router.post(
    "/track/rate",
    auth=None,
    response={200: AnswerOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def opinion_track_rate(request: HttpRequest, payload: TrackRateIn):
    """The resident says whether the answer satisfies them, by tracking code, as on the tracking page
    (不满意 with its reason sends the opinion back to handling). Throttled like the page; 404 for an
    unknown code; 409 when there is no answer yet or it was rated already."""
    if not services.opinion_track_allowed(client_ip=client_ip(request)):
        raise DomainError(_("查询过于频繁，请稍后再试。"), status=429)
    opinion = selectors.opinion_track(code=payload.code)
    if opinion is None:
        raise Http404
    rated = services.opinion_rate(opinion=opinion, satisfaction=payload.satisfaction, note=payload.note)
    return 200, rated
