"""Deputies in the API: the same selectors, services and permissions as the pages, personal data masked."""

import datetime

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require
from renda.core.errors import DomainError

from . import selectors, services
from .models import Contact, Deputy, Mandate, RosterImport
from .tasks import roster_import_confirm, roster_import_start

router = Router(tags=["代表"])


class MandateOut(Schema):
    id: int
    deputy_id: int
    deputy_name: str
    congress_id: int
    congress: str
    level: str
    term: int
    constituency: str | None
    delegation: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str
    status_label: str
    status_changed_on: datetime.date | None
    status_reason: str

    @staticmethod
    def resolve_deputy_name(obj: Mandate) -> str:
        return obj.deputy.name

    @staticmethod
    def resolve_congress(obj: Mandate) -> str:
        return obj.congress.name

    @staticmethod
    def resolve_level(obj: Mandate) -> str:
        return obj.congress.level

    @staticmethod
    def resolve_term(obj: Mandate) -> int:
        return obj.congress.term

    @staticmethod
    def resolve_constituency(obj: Mandate) -> str | None:
        return obj.constituency.name if obj.constituency_id else None

    @staticmethod
    def resolve_status_label(obj: Mandate) -> str:
        return obj.get_status_display()


class DeputyOut(Schema):
    id: int
    name: str
    gender: str
    ethnicity: str
    birth_month: str
    native_place: str
    political_affiliation: str
    education: str
    sector: str
    region_code: str
    region_name: str
    workplace: str
    id_number: str
    phone: str
    mandates: list[MandateOut]

    @staticmethod
    def resolve_birth_month(obj: Deputy) -> str:
        return obj.birth_month_display

    @staticmethod
    def resolve_region_code(obj: Deputy) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Deputy) -> str:
        return obj.region.name

    @staticmethod
    def resolve_id_number(obj: Deputy) -> str:
        # Masked always here; the clear value only through the audited reveal endpoint.
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj: Deputy) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_mandates(obj: Deputy) -> list:
        return list(obj.mandates.all())


class ExternalRoleOut(Schema):
    id: int
    kind: str
    title: str
    organization: str | None
    starts_on: datetime.date
    ends_on: datetime.date | None

    @staticmethod
    def resolve_organization(obj) -> str | None:
        return obj.organization.name if obj.organization_id else None


class DeputyDetailOut(DeputyOut):
    external_roles: list[ExternalRoleOut]

    @staticmethod
    def resolve_external_roles(obj: Deputy) -> list:
        return list(obj.external_roles.select_related("organization"))


class DeputyFilters(InputSchema):
    q: str = Field("", max_length=100)
    region_code: str = Field("", max_length=20)
    level: str = Field("", max_length=50)
    congress: int | None = None
    township: str = Field("", max_length=50)
    constituency: int | None = None
    station: int | None = None
    sector: str = Field("", max_length=50)
    status: str = Field("", max_length=50)
    order: str = Field("stroke", max_length=50)


class MandateFilters(InputSchema):
    level: str = Field("", max_length=50)
    congress: int | None = None
    township: str = Field("", max_length=50)
    constituency: int | None = None
    status: str = Field("", max_length=50)
    order: str = Field("stroke", max_length=50)


class RevealOut(Schema):
    field: str
    value: str


@router.get("", response=list[DeputyOut])
@paginate(Pagination)
def deputy_list(request: HttpRequest, filters: Query[DeputyFilters]):
    """Deputies in the caller's jurisdiction, in surname-stroke order (order=pinyin for pinyin).

    `q` is a name: a whole ID or phone number is refused here (422), as it would sit in every
    access log; find one with POST /api/v1/deputies/search instead."""
    require(request, "deputies.view")
    if selectors.personal_search_index(filters.q) is not None:
        raise DomainError(
            "证件号或电话不能放在网址中查询，"
            "请改用 POST /api/v1/deputies/search（请求体 id_number 或 phone）",
            field="q",
            status=422,
        )
    return selectors.deputy_list(user=request.user, **filters.dict())


class DeputySearchIn(InputSchema):
    id_number: str = Field("", max_length=30)
    phone: str = Field("", max_length=30)


@router.post("/search", response=list[DeputyOut])
@paginate(Pagination)
def deputy_search(request: HttpRequest, payload: DeputySearchIn):
    """Exact search by a whole ID number or phone, in the request body (never in a URL)."""
    require(request, "deputies.view")
    value = payload.id_number or payload.phone
    field = "id_number" if payload.id_number else "phone"
    found = selectors.personal_search_index(value)
    if found is None or found[0] != field:
        raise DomainError(
            "请填写完整的18位公民身份号码" if field == "id_number" else "请填写完整的手机号或固定电话",
            field=field,
            status=422,
        )
    return selectors.deputy_list(user=request.user, **{f"{found[0]}_index": found[1]})


@router.get("/mandates", response=list[MandateOut])
@paginate(Pagination)
def mandate_list(request: HttpRequest, filters: Query[MandateFilters]):
    require(request, "deputies.view")
    return selectors.mandate_list(user=request.user, **filters.dict())


@router.get("/mandates/{int:mandate_id}", response=MandateOut)
def mandate_detail(request: HttpRequest, mandate_id: int):
    return selectors.mandate_get(user=request.user, pk=mandate_id)


@router.get("/{int:deputy_id}", response=DeputyDetailOut)
def deputy_detail(request: HttpRequest, deputy_id: int):
    deputy = selectors.deputy_get(user=request.user, pk=deputy_id)
    return (
        Deputy.objects.prefetch_related(selectors._mandates_prefetch())
        .select_related("region")
        .get(pk=deputy.pk)
    )


@router.post("/{int:deputy_id}/reveal/{field}", response=RevealOut)
def deputy_reveal(request: HttpRequest, deputy_id: int, field: str):
    """The clear value of id_number or phone, for roles that may reveal; audited."""
    deputy = selectors.deputy_get(user=request.user, pk=deputy_id, permission="personal_data.reveal")
    return {"field": field, "value": services.deputy_reveal(actor=request.user, deputy=deputy, field=field)}


# --- contacts ---


class ContactOut(Schema):
    id: int
    kind: str
    deputy_id: int
    deputy_name: str
    member: str | None
    initiator: str
    method: str
    occurred_on: datetime.date
    place: str
    people_count: int
    topics: str
    opinions: str

    @staticmethod
    def resolve_deputy_name(obj: Contact) -> str:
        return obj.deputy.name

    @staticmethod
    def resolve_member(obj: Contact) -> str | None:
        return obj.member.display_name if obj.member_id else None


class ContactFilters(InputSchema):
    kind: str = Field("", max_length=50)
    deputy: int | None = None
    year: int | None = None


class ContactIn(InputSchema):
    kind: str = Field(max_length=50)
    deputy_id: int | None = None
    member_id: int | None = None
    method: str = Field(max_length=50)
    occurred_on: datetime.date
    topics: str = Field(max_length=2000)
    place: str = Field("", max_length=200)
    # The same bounds as the portal form's 联系人数 (ConstituentContactForm): 0 is refused, not saved as 1.
    people_count: int = Field(1, ge=1, le=9999)
    opinions: str = Field("", max_length=2000)


@router.get("/contacts", response=list[ContactOut])
@paginate(Pagination)
def contact_list(request: HttpRequest, filters: Query[ContactFilters]):
    require(request, "contacts.view")
    deputy = (
        selectors.deputy_get(user=request.user, pk=filters.deputy, permission="contacts.view")
        if filters.deputy
        else None
    )
    return selectors.contact_list(user=request.user, kind=filters.kind, deputy=deputy, year=filters.year)


@router.post("/contacts", response={201: ContactOut})
def contact_create(request: HttpRequest, payload: ContactIn):
    """Log a contact. A deputy logs their own; a committee member logs one with an assigned deputy."""
    from renda.accounts.models import User
    from renda.core.access import Role

    require(request, "contacts.log")
    user = request.user
    if user.role == Role.DEPUTY:
        deputy = selectors.deputy_for_user(user=user)
        if deputy is None:
            raise DomainError("您的账号尚未关联代表信息", field="deputy_id")
    else:
        if payload.deputy_id is None:
            raise DomainError("请指定代表", field="deputy_id")
        deputy = selectors.deputy_get(user=user, pk=payload.deputy_id, permission="contacts.log")
    member = None
    if payload.kind == Contact.Kind.COMMITTEE:
        if user.role == Role.LEADER:
            member = user
        elif payload.member_id:
            member = User.objects.filter(pk=payload.member_id, role=Role.LEADER).first()
    contact = services.contact_log(
        actor=user,
        kind=payload.kind,
        deputy=deputy,
        member=member,
        method=payload.method,
        occurred_on=payload.occurred_on,
        topics=payload.topics,
        place=payload.place,
        people_count=payload.people_count,
        opinions=payload.opinions,
        typed_date=True,
    )
    return 201, contact


# --- roster import ---


class ImportRowOut(Schema):
    row: int
    name: str
    id_number: str
    constituency: str
    outcome: str
    errors: list[dict]
    changes: list[str]


class ImportOut(Schema):
    id: str
    filename: str
    congress: str
    state: str
    state_label: str
    message: str
    job_state: str | None
    percent: int
    summary: dict
    rows: list[ImportRowOut]

    @staticmethod
    def resolve_id(obj: RosterImport) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_congress(obj: RosterImport) -> str:
        return obj.congress.name

    @staticmethod
    def resolve_state_label(obj: RosterImport) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_job_state(obj: RosterImport) -> str | None:
        job = obj.import_job or obj.check_job
        return job.state if job else None

    @staticmethod
    def resolve_percent(obj: RosterImport) -> int:
        job = obj.import_job or obj.check_job
        return job.percent if job else 0


@router.post("/imports", response={202: ImportOut})
def import_upload(request: HttpRequest, congress: Form[int], file: File[UploadedFile]):
    """Upload a roster (.xlsx) for a congress; the dry run starts in the background (poll GET)."""
    require(request, "deputies.import")
    chosen = selectors.congress_kept(user=request.user).filter(pk=congress).first()
    if chosen is None:
        raise DomainError("没有这一届人民代表大会，或不在您的管辖范围", field="congress")
    batch = roster_import_start(actor=request.user, congress=chosen, upload=file)
    return 202, selectors.roster_import_get(user=request.user, pk=batch.pk)


@router.get("/imports/{uuid:import_id}", response=ImportOut)
def import_detail(request: HttpRequest, import_id):
    """State, progress and the dry run's result for every row (masked)."""
    return selectors.roster_import_get(user=request.user, pk=import_id)


@router.post("/imports/{uuid:import_id}/confirm", response={202: ImportOut})
def import_confirm(request: HttpRequest, import_id):
    """Write the checked roster in one transaction (in the background; poll GET for progress)."""
    batch = selectors.roster_import_get(user=request.user, pk=import_id)
    roster_import_confirm(actor=request.user, batch=batch)
    return 202, selectors.roster_import_get(user=request.user, pk=import_id)
