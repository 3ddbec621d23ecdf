"""Duty records in the API."""

import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import Pagination, require

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


class DutyRecordFilters(Schema):
    kind: str = ""
    review_state: str = ""
    year: int | None = None


@router.get("", response=list[DutyRecordOut])
@paginate(Pagination)
def duty_record_index(request, filters: Query[DutyRecordFilters]):
    require(request, "duty_records.view")
    return duty_record_list(
        user=request.user, kind=filters.kind, review_state=filters.review_state, year=filters.year
    )
