"""Duty reports in the API: the list (scoped like the page), one report with its tally and result,
and the public vote with a one-time code. Same selectors, services and permissions as the pages."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from . import selectors, services
from .models import DutyReport

router = Router(tags=["代表述职"])


class DutyReportOut(Schema):
    id: int
    deputy_id: int
    deputy_name: str
    congress: str
    held_on: datetime.date
    place: str
    state: str
    rule: str
    options: list[str]
    min_attendance: int
    attendance: int | None
    result: str
    result_percent: Decimal | None
    valid_votes: int
    rectification_required: bool
    rectification_due: datetime.date | None

    @staticmethod
    def resolve_deputy_name(obj: DutyReport) -> str:
        return obj.deputy.name

    @staticmethod
    def resolve_congress(obj: DutyReport) -> str:
        return obj.congress.name

    @staticmethod
    def resolve_rule(obj: DutyReport) -> str:
        return obj.rule.name

    @staticmethod
    def resolve_options(obj: DutyReport) -> list[str]:
        return list(obj.rule.options)


class DutyReportCountOut(Schema):
    option: str
    paper: int
    code: int
    total: int


class DutyReportDetailOut(DutyReportOut):
    report_text: str
    counts: list[DutyReportCountOut]


class DutyReportFilters(InputSchema):
    state: str = Field("", max_length=50)
    year: int | None = None


@router.get("", response=list[DutyReportOut])
@paginate(Pagination)
def duty_report_index(request, filters: Query[DutyReportFilters]):
    require(request, "duty_reports.view")
    return selectors.duty_report_list(user=request.user, state=filters.state, year=filters.year)


@router.get("/{int:report_id}", response=DutyReportDetailOut)
def duty_report_detail(request, report_id: int):
    require(request, "duty_reports.view")
    report = selectors.duty_report_get(user=request.user, pk=report_id)
    counts = services.report_counts(report) if report.state in ("voting", "closed") else {}
    report.counts = [{"option": o, **c} for o, c in counts.items()]
    return report


class DutyReportVoteIn(InputSchema):
    code: str = Field(max_length=50, title="投票码")
    option: str = Field(max_length=50, title="投票选项")


class DutyReportVoteOut(Schema):
    number: int
    option: str


@router.post("/vote", response={201: DutyReportVoteOut}, auth=None)
def duty_report_vote(request, payload: DutyReportVoteIn):
    """Cast one vote with a one-time code (no login: the code is the credential). 404 for an unknown
    code, 409 for a used code or a closed meeting, 400 for an option not on the ballot."""
    return 201, services.vote_cast(code=payload.code, option=payload.option)
