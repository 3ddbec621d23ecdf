"""Reads of deputies, always scoped to the asking user."""

from django.db.models import QuerySet

from renda.core.access import access_object, scope_queryset
from renda.core.crypto import blind_index
from renda.core.validators import normalize_id_number

from .models import Deputy


def deputy_list(*, user, region_code: str = "", q: str = "") -> QuerySet[Deputy]:
    qs = scope_queryset(Deputy.objects.select_related("region"), user)
    if region_code:
        qs = qs.filter(region__path__contains=f"{region_code}/")
    if q:
        q = q.strip()
        normalized = normalize_id_number(q)
        if len(normalized) == 18:
            # A whole ID number is found through its blind index, never by decrypting rows.
            qs = qs.filter(id_number_index=blind_index(normalized))
        else:
            qs = qs.filter(name__contains=q)
    return qs.order_by("name", "id")


def deputy_get(*, user, pk: int, permission: str = "deputies.view") -> Deputy:
    return access_object(Deputy.objects.select_related("region"), user, permission=permission, pk=pk)


def deputy_for_user(*, user) -> Deputy | None:
    return Deputy.objects.select_related("region").filter(user=user).first()
