"""Department cooperation in the API: the caller's department's appointed deputies and proposals."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.access import has_permission
from renda.core.api import InputSchema, Pagination, require

from . import selectors, services

router = Router(tags=["部门联系"])


class AppointedOut(Schema):
    deputy_id: int
    name: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.deputy.name


class ProposalOut(Schema):
    id: int
    title: str
    organization: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str
    deputy_ids: list[int]
    decision_note: str

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_deputy_ids(obj) -> list[int]:
        return [d.pk for d in obj.deputies.all()]


class ProposalIn(InputSchema):
    title: str = Field(max_length=200)
    agenda: str = Field(max_length=2000)
    place: str = Field(max_length=200)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    deputy_ids: list[int]


@router.get("/appointed", response=list[AppointedOut])
@paginate(Pagination)
def appointed(request):
    """The deputies the caller's department appointed (current appointments)."""
    require(request, "cooperation.view")
    return selectors.appointed_roles(user=request.user)


class ProposalFilters(InputSchema):
    state: str = Field("", max_length=50)


@router.get("/proposals", response=list[ProposalOut])
@paginate(Pagination)
def proposals(request, filters: Query[ProposalFilters]):
    """A department's own proposals, or (county staff) those of their region's departments."""
    if not has_permission(request.user, "cooperation.confirm"):
        require(request, "cooperation.view")
    return selectors.proposal_list(user=request.user, state=filters.state)


@router.post("/proposals", response={201: ProposalOut})
def propose(request, payload: ProposalIn):
    require(request, "cooperation.propose")
    organization = request.user.organization
    deputies = (
        list(selectors.appointed_deputies(organization=organization).filter(pk__in=payload.deputy_ids))
        if organization
        else []
    )
    missing = set(payload.deputy_ids) - {d.pk for d in deputies}
    if missing:
        from renda.core.errors import DomainError

        raise DomainError(_("只能邀请本单位聘任的代表"), field="deputy_ids")
    data = payload.dict(exclude={"deputy_ids"})
    proposal = services.proposal_create(
        actor=request.user, organization=organization, deputies=deputies, **data
    )
    return 201, proposal
