"""Reads of opinions: scoped to the asking user, except the constituent's lookup by tracking code."""

import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from renda.core.access import Role, access_object, scope_queryset
from renda.core.text import clean_code
from renda.network.models import Station
from renda.organizations.models import Organization

from .models import Opinion, OpinionEvent
from .services import tracking_code_normalize


def opinion_list(
    *,
    user,
    state: str = "",
    channel: str = "",
    category: str = "",
    station_id: int | None = None,
    year: int | None = None,
    q: str = "",
    overdue: bool = False,
    satisfaction: str = "",
) -> QuerySet[Opinion]:
    """Opinions in the user's jurisdiction. `overdue`: still 已受理 after
    RENDA_OPINION_RESPONSE_DAYS calendar days (see `opinion_overdue_before`). `satisfaction`: one of
    Opinion.Satisfaction (the latest rating), or "unrated" (answered, not rated yet)."""
    qs = scope_queryset(Opinion.objects.select_related("station", "region", "deputy", "department"), user)
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    if category:
        qs = qs.filter(category=category)
    if station_id:
        qs = qs.filter(station_id=station_id)
    if year:
        # A range rather than __year, so that the received_at indexes serve it.
        start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
        qs = qs.filter(received_at__gte=start, received_at__lt=start.replace(year=year + 1))
    if q:
        qs = qs.filter(title__contains=q.strip())
    if overdue:
        qs = qs.filter(state=Opinion.State.RECEIVED, received_at__lt=opinion_overdue_before())
    if satisfaction == "unrated":
        qs = qs.filter(satisfaction="").exclude(reply="")
    elif satisfaction in Opinion.Satisfaction.values:
        qs = qs.filter(satisfaction=satisfaction)
    return qs.order_by("-received_at", "-id")


def referred_waiting(*, user) -> QuerySet[Opinion]:
    """Opinions referred to the user's department and not answered yet, the earliest deadline first."""
    qs = scope_queryset(Opinion.objects.all(), user).filter(
        state=Opinion.State.REFERRED, department_replied_at__isnull=True
    )
    return qs.order_by("department_due_on", "id")


def opinion_overdue_before() -> datetime.datetime:
    """Opinions received before this moment and still 已受理 are past their time."""
    from django.conf import settings

    return timezone.now() - datetime.timedelta(days=settings.RENDA_OPINION_RESPONSE_DAYS)


def opinion_get(*, user, pk: int, permission: str = "opinions.view") -> Opinion:
    return access_object(
        Opinion.objects.select_related("station", "region", "deputy", "department", "merged_into"),
        user,
        permission=permission,
        pk=pk,
    )


def opinion_duplicates(*, user, opinion: Opinion) -> QuerySet[Opinion]:
    """The opinions merged into this one, as far as the user may see them."""
    return scope_queryset(opinion.duplicates.all(), user).order_by("received_at", "id")


def opinion_events(*, opinion: Opinion) -> QuerySet[OpinionEvent]:
    return opinion.events.order_by("occurred_at", "id")


def opinion_track(*, code: str) -> Opinion | None:
    """The constituent's own opinion by its tracking code — the code is the only key, no account."""
    code = tracking_code_normalize(code)
    if len(code) != 10:
        return None
    return (
        Opinion.objects.select_related("station", "department", "merged_into", "merged_into__department")
        .filter(tracking_code=code)
        .first()
    )


def opinion_confirmation(*, pk) -> Opinion | None:
    """The opinion a signed confirmation link names (the link's signature is the authorisation)."""
    if not isinstance(pk, int):
        return None
    return Opinion.objects.select_related("station").filter(pk=pk).first()


def public_events(*, opinion: Opinion) -> list[OpinionEvent]:
    """What the constituent sees: the steps and the replies, not internal notes or staff names. A
    rating shows only when it sent the opinion back to handling (不满意 → 已重新办理)."""
    return list(
        opinion.events.exclude(action=OpinionEvent.Action.RATE, from_state=F("to_state")).order_by(
            "occurred_at", "id"
        )
    )


def opinion_reopened_at(*, opinion: Opinion, events=None) -> datetime.datetime | None:
    """When the resident's 不满意 sent the opinion back to handling, while no new answer has come
    since (a new answer clears the rating); None otherwise. `events`: the opinion's events when the
    page has them (no further query)."""
    if opinion.satisfaction != Opinion.Satisfaction.DISSATISFIED:
        return None
    if events is None:
        events = opinion.events.filter(action=OpinionEvent.Action.RATE).order_by("occurred_at", "id")
    reopened = [
        e.occurred_at for e in events if e.action == OpinionEvent.Action.RATE and e.from_state != e.to_state
    ]
    return reopened[-1] if reopened else None


def station_for_code(*, code: str) -> Station | None:
    """The station behind a poster's QR code; inactive stations take no opinions."""
    return (
        Station.objects.select_related("region")
        .filter(public_code=clean_code(code).lower(), is_active=True)
        .first()
    )


def station_choices(*, user) -> QuerySet[Station]:
    return scope_queryset(Station.objects.filter(is_active=True), user).order_by("kind", "name")


def station_search(user, q: str) -> QuerySet[Station]:
    """The entry form's station picker: active stations in the user's jurisdiction by name."""
    return station_choices(user=user).filter(name__contains=q).select_related("region").order_by("name", "id")


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "opinion-station",
        permission="opinions.add",
        search=station_search,
        label=lambda station: f"{station.name}（{station.region.name}）",
    )


def county_path(region) -> str:
    """ "52/5205/520521/520521105/" → "52/5205/520521/": the county part of a region's path."""
    parts = [p for p in region.path.split("/") if p]
    return "/".join(parts[:3]) + "/"


def department_choices(*, opinion) -> QuerySet[Organization]:
    # The handling units are the county's government departments: every handler may refer to any of
    # the opinion's own county (several counties share a deployment, each with a 县交通运输局:
    # issue 15 §1), so the list is the county's, not narrowed to the handler's township.
    return Organization.objects.filter(
        kind=Organization.Kind.HANDLING_UNIT, region__path__startswith=county_path(opinion.region)
    ).order_by("name")


def _township_path(path: str) -> str:
    # "52/5205/520521/520521105/520521105002/" -> the township "52/5205/520521/520521105/"
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:4]) + "/"


def suggestion_deputy_choices(*, user, opinion: Opinion):
    """Deputies who may take the opinion up: those of its township (and its current deputy)."""
    from renda.deputies.selectors import deputy_list

    qs = deputy_list(user=user)
    condition = Q(region__path__startswith=_township_path(opinion.region.path))
    if opinion.deputy_id:
        condition |= Q(pk=opinion.deputy_id)
    return qs.filter(condition)


def merge_candidates(*, user, opinion: Opinion, limit: int = 50) -> QuerySet[Opinion]:
    """Opinions this one may be merged into: visible to the user, not itself, not merged themselves;
    the `limit` most recent. Unsliced (the latest ones chosen in a subquery), so that a form field can
    filter it to validate the choice: Django cannot filter a sliced queryset."""
    latest = (
        scope_queryset(Opinion.objects.all(), user)
        .exclude(pk=opinion.pk)
        .exclude(state=Opinion.State.MERGED)
        .filter(region__path__startswith=_township_path(opinion.region.path))
        .order_by("-received_at", "-id")[:limit]
    )
    return Opinion.objects.filter(pk__in=latest.values("pk")).order_by("-received_at", "-id")


def opinion_is_department(user, opinion: Opinion) -> bool:
    """Whether `user` is the department an opinion is referred to and still waits on (it may answer
    or hand it back: the page's form and the API's endpoint alike)."""
    return (
        user.role == Role.HANDLING_UNIT
        and bool(user.organization_id)
        and opinion.department_id == user.organization_id
        and opinion.state == Opinion.State.REFERRED
    )
