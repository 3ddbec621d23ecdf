"""Suggestions in the API: the same selectors, steps and scoping as the pages.

Each step is POST /api/v1/suggestions/{id}/steps/{step}; a refused step answers 409 with the reason
({"message", "detail"}), a stale `version` 409 too, an item the caller may not see 404.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import ErrorOut, InputSchema, Pagination, require
from renda.core.errors import DomainError
from renda.core.text import clean_code

from . import actions, selectors, services, stats, workflow
from .forms import COSIGN_NOTE_MAX_LENGTH
from .models import Suggestion

router = Router(tags=["建议议案"])


class SuggestionOut(Schema):
    id: int
    number: str
    term: int
    session: int
    kind: str
    title: str
    category: str
    state: str
    state_label: str
    region: str
    lead_deputy: str
    lead_unit: str | None
    submitted_at: datetime.datetime | None
    due_on: datetime.date | None
    overdue: bool
    is_key: bool
    key_leader: str
    version: int

    @staticmethod
    def resolve_number(obj: Suggestion) -> str:
        return obj.number_label_zh

    @staticmethod
    def resolve_state_label(obj: Suggestion) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_region(obj: Suggestion) -> str:
        return obj.region.name

    @staticmethod
    def resolve_lead_deputy(obj: Suggestion) -> str:
        return obj.lead_deputy.name

    @staticmethod
    def resolve_lead_unit(obj: Suggestion) -> str | None:
        return getattr(obj, "lead_unit_name", None)

    @staticmethod
    def resolve_overdue(obj: Suggestion) -> bool:
        return obj.is_overdue


class AssignmentOut(Schema):
    id: int
    unit: str
    role: str
    state: str
    assigned_on: datetime.date
    due_on: datetime.date
    return_due_on: datetime.date
    overdue: bool


class ReplyOut(Schema):
    id: int
    round: int
    category: str
    text: str
    signer: str
    replied_on: datetime.date
    due_on: datetime.date
    on_time: bool


class EvaluationOut(Schema):
    round: int
    result: str
    attitude: str
    comment: str


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor: str
    note: str
    occurred_at: datetime.datetime


class SuggestionDetailOut(SuggestionOut):
    body: str
    signers: list[str]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]
    evaluations: list[EvaluationOut]
    events: list[EventOut]
    allowed_steps: list[str]

    # The parts are read once by the view (selectors.suggestion_detail_parts) and attached as `_parts`.
    @staticmethod
    def resolve_signers(obj) -> list[str]:
        return [s.deputy.name for s in obj._parts["signers"]]

    @staticmethod
    def resolve_assignments(obj) -> list[dict]:
        return [
            {
                "id": a.pk,
                "unit": a.unit.name,
                "role": a.role,
                "state": a.state,
                "assigned_on": a.assigned_on,
                "due_on": a.due_on,
                "return_due_on": a.return_due_on,
                "overdue": a.is_overdue,
            }
            for a in obj._parts["assignments"]
        ]

    @staticmethod
    def resolve_replies(obj):
        return obj._parts["replies"]

    @staticmethod
    def resolve_evaluations(obj):
        return obj._parts["evaluations"]

    @staticmethod
    def resolve_events(obj) -> list[dict]:
        return [
            {
                "action": e.action,
                "action_label": workflow.action_label(e.action),
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor_name,
                "note": e.note,
                "occurred_at": e.occurred_at,
            }
            for e in obj._parts["events"]
        ]

    @staticmethod
    def resolve_allowed_steps(obj) -> list[str]:
        return obj._allowed_steps


class SuggestionFilters(InputSchema):
    state: str = Field("", max_length=50)
    kind: str = Field("", max_length=50)
    unit: int | None = None
    category: str = Field("", max_length=50)
    township: str = Field("", max_length=50)
    overdue: bool = False
    key: bool = False
    q: str = Field("", max_length=100)
    term: int | None = None
    year: int | None = None


class StepIn(InputSchema):
    """The fields a step needs; `version` is the one the caller read (optimistic locking)."""

    version: int | None = None
    note: str = Field("", max_length=1000)
    lead_unit: int | None = None
    co_units: list[int] = []
    into: int | None = None
    assignment: int | None = None
    extension: int | None = None
    approve: bool = False
    new_unit: int | None = None
    contacted_on: datetime.date | None = None
    way: str = Field("", max_length=50)
    content: str = Field("", max_length=2000)
    text: str = Field("", max_length=10000)
    requested_due_on: datetime.date | None = None
    reason: str = Field("", max_length=1000)
    category: str = Field("", max_length=50)
    signer: str = Field("", max_length=50)
    result: str = Field("", max_length=50)
    attitude: str = Field("", max_length=50)
    comment: str = Field("", max_length=2000)
    leader: str = Field("", max_length=50)
    leader_user: int | None = None
    kind: str = Field("", max_length=50)
    occurred_on: datetime.date | None = None
    participants: str = Field("", max_length=500)


class SimilarOut(Schema):
    id: int
    number: str
    title: str
    state_label: str
    score: float


class StatsFilters(InputSchema):
    term: int | None = None
    year: int | None = None
    group_by: str = Field("", max_length=50)
    # A county's code: its own figures (per unit, per township) for a city or province user.
    county: str = Field("", max_length=12)


class FundTotalOut(Schema):
    year: int
    source: str
    source_label: str
    count: int
    amount: Decimal


class FundTotalsOut(Schema):
    items: list[FundTotalOut]
    count: int
    total: Decimal


def _detail(request, suggestion: Suggestion) -> Suggestion:
    suggestion = selectors.with_lead_unit(Suggestion.objects.filter(pk=suggestion.pk)).select_related(
        "lead_deputy", "region"
    )[0]
    suggestion._parts = selectors.suggestion_detail_parts(suggestion)
    suggestion._allowed_steps = actions.form_steps(suggestion, request.user)
    return suggestion


@router.get("", response=list[SuggestionOut])
@paginate(Pagination)
def suggestion_list(request: HttpRequest, filters: Query[SuggestionFilters]):
    require(request, selectors.READ)
    return selectors.suggestion_list(user=request.user, **filters.dict())


@router.get("/stats")
def suggestion_stats(request: HttpRequest, filters: Query[StatsFilters]):
    """The handling figures (see renda/suggestions/stats.py for each definition), filterable."""
    require(request, "suggestions.stats")
    code = clean_code(filters.county)
    county = stats.stats_county(user=request.user, code=code) if code else None
    return stats.suggestion_stats(
        user=request.user, term=filters.term, year=filters.year, group_by=filters.group_by, county=county
    )


@router.get("/funds", response=FundTotalsOut)
def fund_totals(request: HttpRequest, year: int | None = None):
    """微实事 funds: totals per source and year, amounts in yuan."""
    require(request, "suggestions.view")
    items = selectors.fund_totals(selectors.fund_list(user=request.user, year=year))
    total = sum((i["amount"] for i in items), Decimal("0.00"))
    return {"items": items, "count": len(items), "total": total}


class SimilarFilters(InputSchema):
    title: str = Field("", max_length=200)
    body: str = Field("", max_length=10000)
    term: int | None = None


@router.get("/similar", response=list[SimilarOut])
def similar(request: HttpRequest, filters: Query[SimilarFilters]):
    require(request, selectors.READ)
    title, body, term = filters.title, filters.body, filters.term
    from django.conf import settings

    found = selectors.similar_suggestions(
        user=request.user, title=title[:200], body=body[:5000], term=term or settings.RENDA_SUGGESTION_TERM
    )
    return [
        {
            "id": s.pk,
            "number": s.number_label_zh,
            "title": s.title,
            "state_label": s.get_state_display(),
            "score": score,
        }
        for s, score in found
    ]


@router.get("/{int:suggestion_id}", response=SuggestionDetailOut)
def suggestion_detail(request: HttpRequest, suggestion_id: int):
    suggestion = selectors.suggestion_get(user=request.user, pk=suggestion_id)
    return _detail(request, suggestion)


@router.post(
    "/{int:suggestion_id}/steps/{step}",
    response={200: SuggestionDetailOut, 400: ErrorOut, 409: ErrorOut},
)
def suggestion_step(request: HttpRequest, suggestion_id: int, step: str, payload: StepIn):
    """Take one step of the handling cycle. 409 with the reason when the table refuses it."""
    suggestion = selectors.suggestion_get(user=request.user, pk=suggestion_id)
    if step not in actions.FORMS:
        raise DomainError(f"未知的操作：{step}", field="step")
    data = payload.dict()
    if data["kind"] == "" and step == "supervise":
        data["kind"] = "progress"
    if step in ("unit_return",) and not data["note"]:
        data["note"] = data["reason"]
    actions.perform(step=step, actor=request.user, suggestion=suggestion, data=data)
    return 200, _detail(request, suggestion)


class DraftIn(InputSchema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    category: str = Field(max_length=50)
    kind: str = Field(Suggestion.Kind.SUGGESTION, max_length=50)
    period: str = Field(Suggestion.Period.RECESS, max_length=50)
    cosigner_ids: list[int] = []
    submit: bool = False


@router.post("", response={201: SuggestionDetailOut, 400: ErrorOut, 409: ErrorOut})
def suggestion_create(request: HttpRequest, payload: DraftIn):
    """A deputy's draft (or submitted item with submit=true), led by the caller."""
    require(request, "suggestions.submit")
    from renda.deputies.selectors import congress_deputy_choices, deputy_for_user

    from .jurisdiction import county_of

    deputy = deputy_for_user(user=request.user)
    if deputy is None:
        raise DomainError("账号尚未关联代表信息", field="lead_deputy")
    # Co-signers come from the list the form offers: deputies serving in the county congress.
    wanted = set(payload.cosigner_ids)
    within = county_of(deputy.region)
    cosigners = list(congress_deputy_choices(within=within).filter(pk__in=wanted))
    if len(cosigners) != len(wanted):
        raise DomainError("联名代表须为在任的县人大代表，请检查所选代表", field="cosigners")
    suggestion = services.suggestion_create(
        actor=request.user,
        lead_deputy=deputy,
        title=payload.title,
        body=payload.body,
        category=payload.category,
        kind=payload.kind,
        period=payload.period,
        cosigners=cosigners,
        submit=payload.submit,
    )
    return 201, _detail(request, suggestion)


class CosignIn(InputSchema):
    accept: bool
    note: str = Field("", max_length=COSIGN_NOTE_MAX_LENGTH, title="理由或说明")


class CosignOut(Schema):
    suggestion_id: int
    deputy: str
    answer: str
    answer_label: str
    answered_at: datetime.datetime | None


@router.get("/cosign-requests", response=list[SuggestionOut])
@paginate(Pagination)
def cosign_request_list(request: HttpRequest):
    """The co-signing requests waiting for the calling deputy's answer (the portal's queue)."""
    require(request, "suggestions.submit")
    return selectors.deputy_suggestions(user=request.user, show="cosign").select_related("lead_deputy")


@router.post(
    "/{int:suggestion_id}/cosign", response={200: CosignOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def cosign_answer(request: HttpRequest, suggestion_id: int, payload: CosignIn):
    """The calling deputy confirms (accept=true) or declines a request to co-sign; 409 when the
    request is not theirs, already answered or the item already submitted."""
    require(request, "suggestions.submit")
    services.cosign_declined_refuse(actor=request.user, suggestion_id=suggestion_id)
    suggestion = selectors.suggestion_get(user=request.user, pk=suggestion_id)
    signer = services.cosign_answer(
        actor=request.user, suggestion=suggestion, accept=payload.accept, note=payload.note
    )
    return 200, {
        "suggestion_id": suggestion.pk,
        "deputy": signer.deputy.name,
        "answer": signer.answer,
        "answer_label": str(signer.get_answer_display()),
        "answered_at": signer.answered_at,
    }
