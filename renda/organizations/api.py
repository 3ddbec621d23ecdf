"""Bodies and appointments in the API: the same selectors, services and scoping as the pages."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import ErrorOut, InputSchema, Pagination, require

from . import selectors, services
from .models import Appointment, Organization

bodies_router = Router(tags=["机构"])
appointments_router = Router(tags=["机构"])


class BodyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    region_code: str
    region_name: str

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_code(obj: Organization) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Organization) -> str:
        return obj.region.name


class DutiesOut(Schema):
    version: int
    text: str
    effective_on: datetime.date
    note: str


class AppointmentOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    person_name: str
    post: str
    post_label: str
    started_on: datetime.date
    ended_on: datetime.date | None
    decided_on: datetime.date | None
    document_number: str
    note: str
    is_current: bool

    @staticmethod
    def resolve_organization_name(obj: Appointment) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_post_label(obj: Appointment) -> str:
        return obj.get_post_display()

    @staticmethod
    def resolve_is_current(obj: Appointment) -> bool:
        return obj.is_current_on(timezone.localdate())


class BodyDetailOut(BodyOut):
    duties: DutiesOut | None
    duty_version_count: int
    members: list[AppointmentOut]


class BodyFilters(InputSchema):
    kind: str = Field("", max_length=50)
    parent_id: int | None = None
    q: str = Field("", max_length=100)


class AppointmentFilters(InputSchema):
    organization_id: int | None = None
    post: str = Field("", max_length=50)
    current: bool | None = None


class AppointmentIn(InputSchema):
    organization_id: int
    person_name: str = Field(max_length=50)
    post: Appointment.Post
    started_on: datetime.date
    ended_on: datetime.date | None = None
    decided_on: datetime.date | None = None
    document_number: str = Field("", max_length=100)
    note: str = Field("", max_length=1000)


@bodies_router.get("", response=list[BodyOut])
@paginate(Pagination)
def body_list(request: HttpRequest, filters: Query[BodyFilters]):
    require(request, "organizations.view")
    parent = None
    if filters.parent_id is not None:
        parent = selectors.organization_get(user=request.user, pk=filters.parent_id)
    return selectors.organization_list(user=request.user, kind=filters.kind, q=filters.q, parent=parent)


@bodies_router.get("/{int:body_id}", response=BodyDetailOut)
def body_detail(request: HttpRequest, body_id: int):
    org = selectors.organization_get(user=request.user, pk=body_id)
    versions = list(selectors.organization_duty_versions(organization=org))
    org.duties = versions[0] if versions else None
    org.duty_version_count = len(versions)
    org.members = list(selectors.organization_members(organization=org).select_related("organization"))
    return org


@appointments_router.get("", response=list[AppointmentOut])
@paginate(Pagination)
def appointment_list(request: HttpRequest, filters: Query[AppointmentFilters]):
    require(request, "organizations.view")
    org = None
    if filters.organization_id is not None:
        org = selectors.organization_get(user=request.user, pk=filters.organization_id)
    return selectors.appointment_list(
        user=request.user, organization=org, post=filters.post, current=filters.current
    )


@appointments_router.get("/{int:appointment_id}", response=AppointmentOut)
def appointment_detail(request: HttpRequest, appointment_id: int):
    return selectors.appointment_get(user=request.user, pk=appointment_id)


@appointments_router.post("", response={201: AppointmentOut, 400: ErrorOut})
def appointment_create(request: HttpRequest, payload: AppointmentIn):
    """Record an appointment (任职). An end date before the start date is refused (400, field ended_on)."""
    org = selectors.organization_get(
        user=request.user, pk=payload.organization_id, permission="organizations.change"
    )
    data = payload.dict(exclude={"organization_id"})
    data["post"] = str(payload.post.value)
    return 201, services.appointment_create(actor=request.user, organization=org, **data)
