"""The guidance list, a township's items and reports, and the board's figures in the API: the same
selectors, services and permissions as the pages."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require
from renda.core.text import clean_code

from . import selectors, services

router = Router(tags=["工作指导"])


class ItemOut(Schema):
    id: int
    number: int
    title: str
    description: str
    evidence_expected: str
    due_on: datetime.date
    applies_to: str


class GroupOut(Schema):
    id: int
    name: str
    leader: str
    townships: list[str]

    @staticmethod
    def resolve_leader(obj) -> str:
        return obj.leader.full_name or obj.leader.username

    @staticmethod
    def resolve_townships(obj) -> list[str]:
        return [t.code for t in obj.townships.all()]


class ListOut(Schema):
    id: int
    year: int
    title: str
    document_number: str
    issued_on: datetime.date | None


class ListDetailOut(ListOut):
    items: list[ItemOut]
    groups: list[GroupOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(selectors.guidance_items(guidance_list=obj))

    @staticmethod
    def resolve_groups(obj) -> list:
        return list(selectors.guidance_groups(guidance_list=obj))


class EvidenceOut(Schema):
    id: int
    name: str
    is_photo: bool
    size: int


class GuidanceEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    result: str
    note: str
    actor: str | None
    occurred_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor else None

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class TownshipItemOut(Schema):
    id: int
    item_id: int
    number: int
    title: str
    due_on: datetime.date
    township_code: str
    township_name: str
    state: str
    result: str
    note: str
    reason: str
    review_note: str
    version: int

    @staticmethod
    def resolve_item_id(obj) -> int:
        return obj.guidance_item_id

    @staticmethod
    def resolve_number(obj) -> int:
        return obj.guidance_item.number

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.guidance_item.title

    @staticmethod
    def resolve_due_on(obj) -> datetime.date:
        return obj.guidance_item.due_on

    @staticmethod
    def resolve_township_code(obj) -> str:
        return obj.township.code

    @staticmethod
    def resolve_township_name(obj) -> str:
        return obj.township.name


class TownshipItemDetailOut(TownshipItemOut):
    events: list[GuidanceEventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class ReportIn(InputSchema):
    result: str = Field(max_length=50)
    note: str = Field(max_length=1000)
    reason: str = Field("", max_length=1000)


class ReviewIn(InputSchema):
    decision: str = Field(max_length=50)
    note: str = Field("", max_length=1000)


class BoardCellOut(Schema):
    item_id: int
    township_item_id: int | None
    status: str | None


class BoardRowOut(Schema):
    township_code: str
    township_name: str
    applicable: int
    done: int
    not_applicable: int
    overdue: int
    rate: float | None
    cells: list[BoardCellOut]


class BoardOut(Schema):
    list_id: int
    as_of: datetime.date
    group_id: int | None
    rate: float | None
    overdue: int
    item_ids: list[int]
    rows: list[BoardRowOut]


class BoardFilters(InputSchema):
    group_id: int | None = None
    as_of: datetime.date | None = None


@router.get("/lists", response=list[ListOut])
@paginate(Pagination)
def list_lists(request: HttpRequest):
    """Lists issued to townships in the caller's jurisdiction."""
    require(request, "guidance.view")
    return selectors.guidance_list_list(user=request.user)


@router.get("/lists/{int:list_id}", response=ListDetailOut)
def list_detail(request: HttpRequest, list_id: int):
    return selectors.guidance_list_get(user=request.user, pk=list_id)


@router.get("/lists/{int:list_id}/townships/{code}/items", response=list[TownshipItemDetailOut])
def township_items(request: HttpRequest, list_id: int, code: str):
    """One township's items with their reports and reviews (a township only its own)."""
    guidance_list = selectors.guidance_list_get(user=request.user, pk=list_id)
    township = get_object_or_404(
        selectors.township_choices(user=request.user, guidance_list=guidance_list), code=clean_code(code)
    )
    return list(
        selectors.township_item_list(
            user=request.user, guidance_list=guidance_list, township=township
        ).prefetch_related("events__actor", "events__evidence")
    )


@router.get("/lists/{int:list_id}/board", response=BoardOut)
def board(request: HttpRequest, list_id: int, filters: Query[BoardFilters]):
    """Townships × items: each cell's status (open, reported, returned, in_progress, done,
    not_applicable, overdue) and each township's completion rate, computed from the events as of
    `as_of` (default today)."""
    guidance_list = selectors.guidance_list_get(user=request.user, pk=list_id)
    group = None
    if filters.group_id is not None:
        group = selectors.group_get(user=request.user, guidance_list=guidance_list, pk=filters.group_id)
    found = selectors.board(user=request.user, guidance_list=guidance_list, group=group, as_of=filters.as_of)
    return {
        "list_id": guidance_list.pk,
        "as_of": found.as_of,
        "group_id": group.pk if group else None,
        "rate": found.rate,
        "overdue": found.overdue,
        "item_ids": [i.pk for i in found.items],
        "rows": [
            {
                "township_code": row.township.code,
                "township_name": row.township.name,
                "applicable": row.applicable,
                "done": row.done,
                "not_applicable": row.not_applicable,
                "overdue": row.overdue,
                "rate": row.rate,
                "cells": [
                    {
                        "item_id": item.pk,
                        "township_item_id": cell.pk if cell else None,
                        "status": cell.status if cell else None,
                    }
                    for item, cell in zip(found.items, row.cells, strict=True)
                ],
            }
            for row in found.rows
        ],
    }


@router.get("/township-items/{int:item_id}", response=TownshipItemDetailOut)
def township_item(request: HttpRequest, item_id: int):
    return selectors.township_item_get(user=request.user, pk=item_id)


@router.post("/township-items/{int:item_id}/report", response=TownshipItemDetailOut)
def township_item_report(request: HttpRequest, item_id: int, payload: ReportIn):
    """Report an item (files are sent through the page; a "done" report needs evidence there first)."""
    require(request, "guidance.report")
    item = selectors.township_item_get(user=request.user, pk=item_id, permission="guidance.report")
    services.township_item_report(actor=request.user, item=item, **payload.dict())
    return selectors.township_item_get(user=request.user, pk=item_id)


@router.post("/township-items/{int:item_id}/review", response=TownshipItemDetailOut)
def township_item_review(request: HttpRequest, item_id: int, payload: ReviewIn):
    """Accept or send back a report (decision: accept / send_back); only the township's group."""
    require(request, "guidance.review")
    item = selectors.township_item_get(user=request.user, pk=item_id, permission="guidance.review")
    if not selectors.can_review(request.user, item):
        raise Http404
    services.township_item_review(actor=request.user, item=item, **payload.dict())
    return selectors.township_item_get(user=request.user, pk=item_id)
