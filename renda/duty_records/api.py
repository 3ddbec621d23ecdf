"""Duty records in the API."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from .selectors import duty_record_list

router = Router(tags=["履职记录"])


class DutyRecordOut(Schema):
    id: int
    deputy_id: int
    deputy_name: str
    kind: str
    title: str
    occurred_on: datetime.date
    quantity: float
    unit: str
    origin: str
    review_state: str
    source_type: str
    source_id: str

    @staticmethod
    def resolve_deputy_name(obj) -> str:
        return obj.deputy.name


class DutyRecordFilters(InputSchema):
    kind: str = Field("", max_length=50)
    review_state: str = Field("", max_length=50)
    year: int | None = None


@router.get("", response=list[DutyRecordOut])
@paginate(Pagination)
def duty_record_index(request, filters: Query[DutyRecordFilters]):
    require(request, "duty_records.view")
    return duty_record_list(
        user=request.user, kind=filters.kind, review_state=filters.review_state, year=filters.year
    )


class DeclareIn(InputSchema):
    kind: str = Field(max_length=50)
    title: str = Field(max_length=200)
    occurred_on: datetime.date
    note: str = Field("", max_length=1000)


@router.post("/declare", response={201: DutyRecordOut})
def duty_record_declare(request, payload: DeclareIn):
    """A deputy declares something they did (申报), as on the phone portal; it waits for review."""
    from django.utils.translation import gettext as _

    from renda.core.errors import DomainError

    from .models import DutyRecord
    from .services import duty_record_add

    require(request, "duty_records.declare")
    # Deputy.user's reverse side: read without importing deputies, which stands above duty_records.
    deputy = getattr(request.user, "deputy", None)
    if deputy is None:
        raise DomainError(_("您的账号尚未关联代表信息"), field="deputy")
    if payload.kind not in DutyRecord.Kind.values:
        raise DomainError(_("履职类别不正确"), field="kind")
    title = payload.title.strip()
    if not title or len(title) > 200:
        raise DomainError(_("请填写事项（不超过200字）"), field="title")
    record = duty_record_add(
        deputy=deputy,
        kind=payload.kind,
        title=title,
        occurred_on=payload.occurred_on,
        note=payload.note.strip(),
        origin=DutyRecord.Origin.DECLARED,
        actor=request.user,
        typed_date=True,
    )
    return 201, record
