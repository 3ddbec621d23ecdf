"""Training in the API: sessions (staff: their jurisdiction's; a deputy: the ones they attend), plans,
and the caller's own training hours. Same selectors and permissions as the pages."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.access import has_permission
from renda.core.api import InputSchema, Pagination, require

from . import selectors
from .models import TrainingSession

router = Router(tags=["履职培训"])


def _require_any(request, *permissions: str) -> None:
    if not any(has_permission(request.user, p) for p in permissions):
        require(request, permissions[0])


class SessionOut(Schema):
    id: int
    title: str
    form: str
    form_label: str
    organizer: str
    place: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: str
    plan_item_id: int | None
    congress: str

    @staticmethod
    def resolve_form_label(obj: TrainingSession) -> str:
        return obj.get_form_display()

    @staticmethod
    def resolve_congress(obj: TrainingSession) -> str:
        return obj.congress.name


class DayOut(Schema):
    id: int
    date: datetime.date
    hours: Decimal
    agenda: str


class AttendeeOut(Schema):
    id: int
    name: str
    deputy_id: int | None
    is_staff: bool
    hours_by_day: dict[str, Decimal]
    total_hours: Decimal
    duty_record_id: int | None


class SessionDetailOut(SessionOut):
    description: str
    days: list[DayOut]
    attendees: list[AttendeeOut]

    @staticmethod
    def resolve_days(obj) -> list:
        return obj.grid_days

    @staticmethod
    def resolve_attendees(obj) -> list:
        return obj.grid_attendees


class SessionFilters(InputSchema):
    year: int | None = None
    form: str = Field("", max_length=50)
    state: str = Field("", max_length=50)
    q: str = Field("", max_length=100)


@router.get("/sessions", response=list[SessionOut])
@paginate(Pagination)
def session_list(request, filters: Query[SessionFilters]):
    """Training sessions: staff see their jurisdiction's (and those their people attend); a deputy
    sees the sessions they attend."""
    _require_any(request, "training.view", "training.mine")
    return selectors.training_session_list(user=request.user, **filters.dict())


@router.get("/sessions/{session_id}", response=SessionDetailOut)
def session_detail(request, session_id: int):
    """One session with its days and the attendees the caller may see (a deputy: only themself)."""
    _require_any(request, "training.view", "training.mine")
    permission = "training.view" if has_permission(request.user, "training.view") else "training.mine"
    session = selectors.training_session_get(user=request.user, pk=session_id, permission=permission)
    grid = selectors.attendance_grid(user=request.user, session=session)
    attendees = [
        {
            "id": row["attendee"].pk,
            "name": row["attendee"].name,
            "deputy_id": row["attendee"].deputy_id,
            "is_staff": row["attendee"].deputy_id is None,
            "hours_by_day": {f"{day.date:%Y-%m-%d}": hours for day, hours in row["cells"] if hours},
            "total_hours": row["total"],
            "duty_record_id": row["attendee"].duty_record_id,
        }
        for row in grid["rows"]
    ]
    session.grid_days, session.grid_attendees = grid["days"], attendees
    return session


class MySessionOut(Schema):
    session_id: int
    title: str
    form_label: str
    starts_on: datetime.date
    ends_on: datetime.date
    place: str
    hours: Decimal
    closed: bool
    certificate_url: str | None


class MyHoursOut(Schema):
    year: int
    hours_this_year: Decimal
    hours_this_term: Decimal | None
    sessions_this_year: int
    sessions: list[MySessionOut]


@router.get("/hours/mine", response=MyHoursOut)
def my_hours(request, year: int | None = None):
    """The calling deputy's training hours this year (or `year`) and this term, and their sessions."""
    require(request, "training.mine")
    from django.urls import reverse

    from renda.deputies.selectors import deputy_for_user

    deputy = deputy_for_user(user=request.user)
    if deputy is None:
        raise Http404
    year = year or timezone.localdate().year
    hours = selectors.deputy_training_hours(deputy=deputy, year=year)
    sessions = [
        {
            "session_id": s["session"].pk,
            "title": s["session"].title,
            "form_label": s["session"].get_form_display(),
            "starts_on": s["session"].starts_on,
            "ends_on": s["session"].ends_on,
            "place": s["session"].place,
            "hours": s["hours"],
            "closed": s["session"].state == TrainingSession.State.CLOSED,
            "certificate_url": reverse("training:certificate", args=[s["attendee"].pk])
            if s["session"].state == TrainingSession.State.CLOSED and s["hours"]
            else None,
        }
        for s in selectors.deputy_training_sessions(deputy=deputy)
    ]
    return {
        "year": year,
        "hours_this_year": hours["year"],
        "hours_this_term": hours["term"],
        "sessions_this_year": hours["sessions"],
        "sessions": sessions,
    }


class TrainingPlanItemOut(Schema):
    id: int
    topic: str
    target_group: str
    form: str
    planned_month: int
    budget: Decimal
    held: bool


class TrainingPlanOut(Schema):
    id: int
    year: int
    title: str
    state: str
    congress: str

    @staticmethod
    def resolve_congress(obj) -> str:
        return obj.congress.name


class TrainingPlanDetailOut(TrainingPlanOut):
    items: list[TrainingPlanItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return obj.item_rows


@router.get("/plans", response=list[TrainingPlanOut])
@paginate(Pagination)
def plan_list(request, year: int | None = None):
    require(request, "training.view")
    return selectors.training_plan_list(user=request.user, year=year)


@router.get("/plans/{plan_id}", response=TrainingPlanDetailOut)
def plan_detail(request, plan_id: int):
    """A plan with its items; `held` tells whether a closed session realised the item."""
    require(request, "training.view")
    plan = selectors.training_plan_get(user=request.user, pk=plan_id)
    plan.item_rows = selectors.plan_items(plan=plan)
    return plan
