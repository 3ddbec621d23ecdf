"""The work plan and its progress in the API: the same selectors, services and permissions as the pages."""

import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from . import selectors, services

router = Router(tags=["年度工作要点"])


class PlanOut(Schema):
    id: int
    year: int
    title: str
    organization: str

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name


class PlanItemOut(Schema):
    id: int
    number: int
    chapter: str
    text: str
    target: str
    lead_body: str | None
    co_bodies: list[str]
    due_kind: str
    due_label: str
    due_on: datetime.date
    percent: int
    late: bool
    last_reported_on: datetime.date | None

    @staticmethod
    def resolve_chapter(obj) -> str:
        return obj.chapter.title

    @staticmethod
    def resolve_lead_body(obj) -> str | None:
        return obj.lead_body.name if obj.lead_body else None

    @staticmethod
    def resolve_co_bodies(obj) -> list[str]:
        return [b.name for b in obj.co_bodies.all()]

    @staticmethod
    def resolve_late(obj) -> bool:
        return selectors.is_late(obj)


class WorkPlanDetailOut(Schema):
    id: int
    year: int
    title: str
    organization: str
    figures: dict
    items: list[PlanItemOut]


class ReportOut(Schema):
    id: int
    percent: int
    note: str
    reported_on: datetime.date
    organization: str | None
    files: list[str]

    @staticmethod
    def resolve_organization(obj) -> str | None:
        return obj.organization.name if obj.organization else None

    @staticmethod
    def resolve_files(obj) -> list[str]:
        return [f.name for f in obj.files.all()]


class ProgressIn(InputSchema):
    percent: int
    note: str = Field(max_length=1000)


class PlanFilters(InputSchema):
    body_id: int | None = None
    late: bool = False


@router.get("", response=list[PlanOut])
@paginate(Pagination)
def plan_list(request: HttpRequest):
    require(request, "workplan.view")
    return selectors.work_plan_list(user=request.user)


@router.get("/late-items", response=list[PlanItemOut])
@paginate(Pagination)
def late_items(request: HttpRequest):
    """Items past their due month or quarter and not at 100 %, most overdue first."""
    require(request, "workplan.view")
    return selectors.late_items(user=request.user).prefetch_related("co_bodies")


@router.get("/{int:plan_id}", response=WorkPlanDetailOut)
def plan_detail(request: HttpRequest, plan_id: int, filters: Query[PlanFilters]):
    plan = selectors.work_plan_get(user=request.user, pk=plan_id)
    items = list(
        selectors.plan_items(user=request.user, plan=plan, body_id=filters.body_id, late=filters.late)
    )
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "organization": plan.organization.name,
        "figures": selectors.plan_figures(items),
        "items": items,
    }


@router.get("/items/{int:item_id}/progress", response=list[ReportOut])
def progress_list(request: HttpRequest, item_id: int):
    item = selectors.plan_item_get(user=request.user, pk=item_id)
    return list(item.reports.all())


@router.post("/items/{int:item_id}/progress", response={201: ReportOut})
def progress_add(request: HttpRequest, item_id: int, payload: ProgressIn):
    """Report progress (lead body or co-body staff); files go through the page."""
    require(request, "workplan.report")
    item = selectors.plan_item_get(user=request.user, pk=item_id, permission="workplan.report")
    if not services.can_report(request.user, item):
        raise Http404
    return 201, services.progress_report_add(
        actor=request.user, item=item, percent=payload.percent, note=payload.note
    )
