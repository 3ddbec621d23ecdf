"""Reads of organisations, duties and appointments, always scoped to the asking user."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from renda.core.access import access_object, scope_queryset

from .models import POST_ORDER, Appointment, Organization, OrganizationDuty


def current_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Appointments in force on a day: started, and not yet ended (the end day itself counts)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def post_rank():
    return Case(
        *[When(post=post, then=Value(i)) for i, post in enumerate(POST_ORDER)],
        default=Value(len(POST_ORDER)),
        output_field=IntegerField(),
    )


def kind_rank():
    """Bodies in the order of Organization.Kind: the standing committee first, the CPPCC last."""
    return Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(Organization.Kind.values)],
        default=Value(99),
        output_field=IntegerField(),
    )


def organization_list(
    *, user, kind: str = "", q: str = "", parent: Organization | None = None
) -> QuerySet[Organization]:
    qs = scope_queryset(Organization.objects.select_related("parent", "region"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(short_name__contains=q.strip()))
    return qs.annotate(
        member_count=Count("appointments", filter=current_q(prefix="appointments__"), distinct=True),
        kind_order=kind_rank(),
    ).order_by("kind_order", "position", "region__code", "name", "id")


def organization_get(*, user, pk: int, permission: str = "organizations.view") -> Organization:
    return access_object(
        Organization.objects.select_related("parent", "region"), user, permission=permission, pk=pk
    )


def organization_choices(*, user) -> QuerySet[Organization]:
    """Bodies the user may pick as a parent."""
    return scope_queryset(Organization.objects.all(), user).order_by("kind", "position", "name")


def organization_duty_versions(*, organization: Organization) -> QuerySet[OrganizationDuty]:
    return organization.duty_versions.select_related("created_by").order_by("-version")


def appointment_list(
    *,
    user,
    organization: Organization | None = None,
    post: str = "",
    current: bool | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Appointment]:
    qs = scope_queryset(Appointment.objects.select_related("organization"), user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if post:
        qs = qs.filter(post=post)
    if current is True:
        qs = qs.filter(current_q(on))
    elif current is False:
        qs = qs.exclude(current_q(on))
    return qs.annotate(rank=post_rank()).order_by("organization__name", "rank", "started_on", "id")


def appointment_get(*, user, pk: int, permission: str = "organizations.view") -> Appointment:
    return access_object(
        Appointment.objects.select_related("organization", "organization__region"),
        user,
        permission=permission,
        pk=pk,
    )


def organization_members(*, organization: Organization, on: datetime.date | None = None) -> QuerySet:
    """The body's members on a day, derived from its appointments."""
    return (
        organization.appointments.filter(current_q(on))
        .annotate(rank=post_rank())
        .order_by("rank", "started_on", "id")
    )


@dataclass
class ChartNode:
    organization: Organization
    heads: list[Appointment] = field(default_factory=list)
    member_count: int = 0
    children: list["ChartNode"] = field(default_factory=list)


def organization_chart(*, user, on: datetime.date | None = None) -> list[ChartNode]:
    """The tree of bodies the user may see, each with its current heads, in two queries."""
    orgs = list(
        scope_queryset(Organization.objects.select_related("region"), user).order_by(
            "kind", "position", "name"
        )
    )
    nodes = {o.pk: ChartNode(organization=o) for o in orgs}
    current = (
        Appointment.objects.filter(organization_id__in=nodes)
        .filter(current_q(on))
        .annotate(rank=post_rank())
        .order_by("rank", "started_on", "id")
    )
    for appointment in current:
        node = nodes[appointment.organization_id]
        node.member_count += 1
        if appointment.post in (Appointment.Post.DIRECTOR, Appointment.Post.DEPUTY_DIRECTOR):
            node.heads.append(appointment)
    rank = {kind: i for i, kind in enumerate(Organization.Kind.values)}
    orgs.sort(key=lambda o: (rank.get(o.kind, 99), o.position, o.region.code, o.name))
    roots = []
    for org in orgs:
        node = nodes[org.pk]
        if org.parent_id in nodes:
            nodes[org.parent_id].children.append(node)
        else:
            roots.append(node)
    return roots
