"""The roll-up in the API: the same selector and permission as the page (/rollup/<code>/)."""

from django.http import HttpRequest
from ninja import Router

from renda.core.api import require
from renda.core.text import clean_code

from . import selectors

router = Router(tags=["汇总看板"])


def _figures(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key != "region"}


@router.get("/{code}")
def rollup_get(request: HttpRequest, code: str, year: int | None = None):
    """{"region": {code, name, level}, "rows": [{"region": {...} | null (本级), "drill", figures...}],
    "total": figures}: see renda/rollup/selectors.py for each figure. 404 outside the jurisdiction."""
    require(request, "rollup.view")
    region = selectors.rollup_region(user=request.user, code=clean_code(code))
    result = selectors.rollup(user=request.user, region=region, year=year)

    def place(r):
        return {"code": r.code, "name": r.name, "level": r.level} if r is not None else None

    return {
        "region": place(region),
        "year": year,
        "rows": [{"region": place(row["region"]), **_figures(row)} for row in result["rows"]],
        "total": _figures(result["total"]),
    }
