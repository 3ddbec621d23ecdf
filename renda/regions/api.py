"""Regions in the API."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renda.core.api import InputSchema, Pagination, require

from .selectors import region_by_code, region_list

router = Router(tags=["行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.path.rstrip("/").rsplit("/", 2)[-2] if obj.parent_id else None


class RegionFilters(InputSchema):
    parent: str = Field("", max_length=20)
    level: str = Field("", max_length=50)
    q: str = Field("", max_length=100)


@router.get("", response=list[RegionOut])
@paginate(Pagination)
def region_index(request, filters: Query[RegionFilters]):
    require(request, "regions.view")
    parent = region_by_code(filters.parent) if filters.parent else None
    return region_list(user=request.user, parent=parent, level=filters.level, q=filters.q)
