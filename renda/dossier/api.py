"""The dossier in the API: one deputy's dossier for a term as JSON, through the same selectors and
permission as the page (a deputy reads their own; staff any in their jurisdiction; others 404)."""

import datetime
from decimal import Decimal

from ninja import Query, Router, Schema

from renda.core.api import InputSchema, require

from . import selectors

router = Router(tags=["履职档案"])


class DossierEntryOut(Schema):
    id: int
    date: datetime.date
    kind: str
    kind_label: str
    title: str
    quantity: Decimal
    unit: str
    detail: str
    source_type: str
    source_id: str
    attributes: dict


class DossierSectionOut(Schema):
    key: str
    title: str
    entries: list[DossierEntryOut]


class DossierMandateOut(Schema):
    id: int
    congress: str
    status: str


class DossierMonthOut(Schema):
    year: int
    month: int
    count: int


class DossierOut(Schema):
    deputy_id: int
    name: str
    region: str
    term: str
    since: datetime.date | None
    until: datetime.date | None
    total: int
    study_hours: Decimal
    mandates: list[DossierMandateOut]
    sections: list[DossierSectionOut]
    calendar: list[DossierMonthOut]
    stations: list[str]
    external_roles: list[str]
    points: list[dict]


class DossierQuery(InputSchema):
    mandate: int | None = None


def dossier_json(dossier: selectors.Dossier) -> dict:
    """The dossier's JSON shape (DossierOut): dates ISO, quantities decimal, months with counts."""
    return {
        "deputy_id": dossier.deputy.pk,
        "name": dossier.deputy.name,
        "region": dossier.deputy.region.name,
        "term": str(dossier.term_label),
        "since": dossier.since,
        "until": dossier.until,
        "total": dossier.total,
        "study_hours": dossier.study_hours,
        "mandates": [
            {"id": m.pk, "congress": m.congress.name, "status": m.status} for m in dossier.profile["mandates"]
        ],
        "sections": [
            {
                "key": key,
                "title": str(title),
                "entries": [
                    {
                        "id": e.record.pk,
                        "date": e.record.occurred_on,
                        "kind": e.record.kind,
                        "kind_label": e.record.get_kind_display(),
                        "title": e.record.title,
                        "quantity": e.record.quantity,
                        "unit": e.record.unit,
                        "detail": e.detail,
                        "source_type": e.record.source_type,
                        "source_id": e.record.source_id,
                        "attributes": e.record.attributes or {},
                    }
                    for e in entries
                ],
            }
            for key, title, entries in dossier.sections
        ],
        "calendar": [
            {"year": year, "month": month, "count": n}
            for year, months in dossier.calendar
            for month, n in months
            if n
        ],
        "stations": [s.station.name for s in dossier.stations],
        "external_roles": [f"{r.get_kind_display()}：{r.title}" for r in dossier.profile["roles"]],
        "points": [{"year": p["year"], "points": p["points"]} for p in dossier.points],
    }


@router.get("/{int:deputy_id}", response=DossierOut)
def dossier_detail(request, deputy_id: int, query: Query[DossierQuery]):
    require(request, "dossier.view")
    deputy = selectors.dossier_deputy(user=request.user, pk=deputy_id)
    mandate = selectors.dossier_mandate(deputy=deputy, mandate_id=query.mandate)
    if query.mandate and mandate is None:
        from django.http import Http404

        raise Http404
    return dossier_json(selectors.dossier_build(deputy=deputy, mandate=mandate))
