"""Points in the API: schemes (read; import and export as the JSON document), standings with
filters, a deputy's ledger, the caller's own points; and the writes that feed the spine from a
client: staff add a duty record for a deputy in their jurisdiction and review declarations
(approve, reject, or approve with adjusted points). A deputy declares through /duty-records/declare.
Same selectors, services and permissions as the pages."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.access import access_object, has_permission
from renda.core.api import InputSchema, Pagination, require
from renda.core.errors import DomainError
from renda.deputies.models import Deputy
from renda.duty_records.models import DutyRecord
from renda.duty_records.selectors import duty_record_get
from renda.duty_records.services import duty_record_add

from . import selectors, services
from .models import PERIOD_COUNT, Period, Scheme

router = Router(tags=["履职积分"])


class SchemeOut(Schema):
    id: int
    name: str
    year: int
    congress_id: int
    congress: str
    version: int
    state: str
    rhythm: str
    base_mode: str
    starts_on: datetime.date
    ends_on: datetime.date

    @staticmethod
    def resolve_congress(obj: Scheme) -> str:
        return obj.congress.name


@router.get("/schemes", response=list[SchemeOut])
@paginate(Pagination)
def scheme_index(request, year: int | None = None):
    require(request, "points.view")
    qs = selectors.scheme_list(user=request.user).order_by("-year", "congress_id", "-version")
    return qs.filter(year=year) if year else qs


@router.get("/schemes/{scheme_id}/document", response=dict)
def scheme_document(request, scheme_id: int):
    """The scheme as its JSON document (docs/points-schemes.md)."""
    return services.scheme_export(selectors.scheme_get(user=request.user, pk=scheme_id))


class ImportIn(InputSchema):
    congress_id: int
    document: dict
    year: int | None = None


@router.post("/schemes/import", response={201: SchemeOut})
def scheme_import(request, payload: ImportIn):
    """A new draft from a JSON document; errors name the entry ("rules[2].category：…")."""
    from renda.deputies.models import Congress

    require(request, "points.manage")
    congress = access_object(
        Congress.objects.all(), request.user, permission="points.manage", pk=payload.congress_id
    )
    return 201, services.scheme_import(
        actor=request.user, congress=congress, document=payload.document, year=payload.year
    )


class StandingOut(Schema):
    deputy_id: int
    deputy_name: str
    township: str
    delegation: str
    total: Decimal
    period_points: Decimal
    by_category: dict[str, Decimal]
    grade: str
    rank: int
    congress_rank: int

    @staticmethod
    def resolve_deputy_name(obj) -> str:
        return obj.deputy.name

    @staticmethod
    def resolve_township(obj) -> str:
        return obj.region.name if obj.region else ""


class StandingFilters(InputSchema):
    period: Period | None = None
    index: int = 1
    township_id: int | None = None
    delegation: str = Field("", max_length=100)
    order: str = Field("rank", max_length=50)


@router.get("/schemes/{scheme_id}/standings", response=list[StandingOut])
@paginate(Pagination)
def standing_index(request, scheme_id: int, filters: Query[StandingFilters]):
    scheme = selectors.scheme_get(user=request.user, pk=scheme_id)
    period = filters.period or scheme.rhythm
    if not 1 <= filters.index <= PERIOD_COUNT[period]:
        raise DomainError("期次超出范围", field="index")
    return selectors.standing_list(
        user=request.user, scheme=scheme, period=period, index=filters.index,
        township_id=filters.township_id, delegation=filters.delegation,
        order="stroke" if filters.order == "stroke" else "rank",
    )  # fmt: skip


class EntryOut(Schema):
    id: int
    kind: str
    occurred_on: datetime.date
    category: str
    rule: str | None
    record_id: int | None
    units: Decimal
    points: Decimal
    open: bool
    reverses_id: int | None
    reason: str

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_rule(obj) -> str | None:
        return obj.rule.code if obj.rule_id else None


@router.get("/schemes/{scheme_id}/ledger/{deputy_id}", response=list[EntryOut])
@paginate(Pagination)
def ledger_index(request, scheme_id: int, deputy_id: int):
    """A deputy's ledger under a scheme (staff in jurisdiction; a deputy, their own)."""
    if has_permission(request.user, "points.mine") and not has_permission(request.user, "points.view"):
        scheme = selectors.scheme_list(user=request.user).filter(pk=scheme_id).first()
        deputy = Deputy.objects.filter(user=request.user, pk=deputy_id).first()
        if scheme is None or deputy is None:
            require(request, "points.view")  # answers 404
    else:
        scheme = selectors.scheme_get(user=request.user, pk=scheme_id)
        deputy = access_object(Deputy.objects.all(), request.user, permission="points.view", pk=deputy_id)
    return selectors.ledger_list(user=request.user, deputy_id=deputy.pk, scheme=scheme)


class PeriodOut(Schema):
    period: str
    index: int
    label: str
    total: Decimal
    period_points: Decimal
    by_category: dict[str, Decimal]
    grade: str


class MyPointsOut(Schema):
    scheme: dict
    categories: list[dict]
    periods: list[PeriodOut]


@router.get("/mine", response=list[MyPointsOut])
def my_points(request, year: int | None = None):
    """The caller's own points in a year (deputies): per scheme, every period with totals and grade."""
    require(request, "points.mine")
    deputy = Deputy.objects.filter(user=request.user).first()
    if deputy is None:
        raise DomainError("您的账号尚未关联代表信息", field="deputy")
    return selectors.deputy_points(deputy, year or timezone.localdate().year)


class RecordIn(InputSchema):
    deputy_id: int
    kind: str = Field(max_length=50)
    title: str = Field(max_length=200)
    occurred_on: datetime.date
    quantity: Decimal = Decimal("1")
    unit: str = Field("次", max_length=20)
    note: str = Field("", max_length=1000)
    attributes: dict = {}


class RecordOut(Schema):
    id: int
    deputy_id: int
    kind: str
    title: str
    occurred_on: datetime.date
    quantity: Decimal
    unit: str
    origin: str
    review_state: str
    attributes: dict


@router.post("/records", response={201: RecordOut})
def record_add(request, payload: RecordIn):
    """Staff record something a deputy in their jurisdiction did (it stands at once and counts)."""
    require(request, "duty_records.add")
    deputy = access_object(
        Deputy.objects.all(), request.user, permission="duty_records.add", pk=payload.deputy_id
    )
    if payload.kind not in DutyRecord.Kind.values:
        raise DomainError("履职类别不正确", field="kind")
    title = payload.title.strip()
    if not title or len(title) > 200:
        raise DomainError("请填写事项（不超过200字）", field="title")
    return 201, duty_record_add(
        deputy=deputy, kind=payload.kind, title=title, occurred_on=payload.occurred_on,
        quantity=payload.quantity, unit=payload.unit[:10] or "次", note=payload.note.strip(),
        attributes=payload.attributes, actor=request.user,
    )  # fmt: skip


class ReviewIn(InputSchema):
    decision: str = Field(max_length=50)
    note: str = Field("", max_length=1000)
    scheme_id: int | None = None
    category: str = Field("", max_length=50)
    points: Decimal | None = None


@router.post("/records/{record_id}/review", response=RecordOut)
def record_review(request, record_id: int, payload: ReviewIn):
    """Review a declaration: approve, reject (with a note), or adjust — approve, then add the given
    points (±) in a category of a published scheme as an adjustment whose reason is the note."""
    require(request, "duty_records.review")
    record = duty_record_get(user=request.user, pk=record_id, permission="duty_records.review")
    category = None
    if payload.decision == "adjust":
        require(request, "points.manage")
        scheme = selectors.scheme_get(
            user=request.user, pk=payload.scheme_id or 0, permission="points.manage"
        )
        category = scheme.categories.filter(code=payload.category).first()
        if category is None:
            raise DomainError("类别不属于该积分办法", field="category")
    return services.declaration_review(
        actor=request.user, record=record, decision=payload.decision, note=payload.note,
        category=category, points=payload.points,
    )  # fmt: skip
