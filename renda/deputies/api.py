"""Deputies in the API: the same selectors and permissions as the pages, personal data masked."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import Pagination, require

from . import selectors, services
from .models import Deputy

router = Router(tags=["代表"])


class DeputyOut(Schema):
    id: int
    name: str
    gender: str
    region_code: str
    region_name: str
    workplace: str
    id_number: str
    phone: str

    @staticmethod
    def resolve_region_code(obj: Deputy) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Deputy) -> str:
        return obj.region.name

    @staticmethod
    def resolve_id_number(obj: Deputy) -> str:
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj: Deputy) -> str:
        return obj.phone_masked


class DeputyFilters(Schema):
    q: str = ""
    region_code: str = ""


class RevealOut(Schema):
    field: str
    value: str


@router.get("", response=list[DeputyOut])
@paginate(Pagination)
def deputy_list(request: HttpRequest, filters: Query[DeputyFilters]):
    require(request, "deputies.view")
    return selectors.deputy_list(user=request.user, q=filters.q, region_code=filters.region_code)


@router.get("/{int:deputy_id}", response=DeputyOut)
def deputy_detail(request: HttpRequest, deputy_id: int):
    return selectors.deputy_get(user=request.user, pk=deputy_id)


@router.post("/{int:deputy_id}/reveal/{field}", response=RevealOut)
def deputy_reveal(request: HttpRequest, deputy_id: int, field: str):
    """The clear value of id_number or phone, for roles that may reveal; audited."""
    deputy = selectors.deputy_get(user=request.user, pk=deputy_id, permission="personal_data.reveal")
    return {"field": field, "value": services.deputy_reveal(actor=request.user, deputy=deputy, field=field)}
