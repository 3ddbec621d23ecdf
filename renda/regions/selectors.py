"""Reads of the region tree."""

from django.db.models import QuerySet

from renda.core.access import scope_queryset

from .models import Region


def region_subtree(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    qs = Region.objects.filter(path__startswith=region.path)
    return qs if include_self else qs.exclude(pk=region.pk)


def region_list(
    *, user, parent: Region | None = None, level: str | None = None, q: str = ""
) -> QuerySet[Region]:
    qs = scope_queryset(Region.objects.all(), user)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("code")


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()
