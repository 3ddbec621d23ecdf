"""Reads of the training app, scoped to the asking user.

County staff and leaders see their county's plans and sessions; township staff see their township's
congress's plans and sessions, and also the (county) sessions their township's people attend — but
only their own people's rows in them; a deputy sees the sessions they attend and only their own rows.
"""

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from renda.core.access import Role, access_object, has_permission, scope_filter, scope_queryset

from .models import Attendance, Attendee, PlanItem, TrainingDay, TrainingPlan, TrainingSession

ZERO = Decimal("0")


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# ---------- plans ----------


def training_plan_list(*, user, year: int | None = None) -> QuerySet[TrainingPlan]:
    qs = scope_queryset(TrainingPlan.objects.select_related("congress", "congress__region"), user)
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(item_count=_count_items()).order_by("-year", "congress__level", "congress_id")


def _count_items():
    from django.db.models import Count

    return Count("items", distinct=True)


def training_plan_get(*, user, pk: int, permission: str = "training.view") -> TrainingPlan:
    return access_object(
        TrainingPlan.objects.select_related("congress", "approved_by"), user, permission=permission, pk=pk
    )


def plan_items(*, plan: TrainingPlan) -> list[PlanItem]:
    """The plan's items, each with `held` (a closed session realised it) and its sessions."""
    closed = TrainingSession.objects.filter(plan_item=OuterRef("pk"), state=TrainingSession.State.CLOSED)
    return list(
        plan.items.annotate(held=Exists(closed)).prefetch_related(
            Prefetch("sessions", queryset=TrainingSession.objects.order_by("starts_on"))
        )
    )


def plan_budget_total(items) -> Decimal:
    return sum((i.budget for i in items), ZERO)


def published_plan_items_for_deputy(*, deputy, year: int) -> list[PlanItem]:
    """The items of the published plans of the congresses the deputy serves in, for the portal."""
    congresses = deputy.mandates.filter(status="serving").values("congress_id")
    return list(
        PlanItem.objects.filter(
            plan__congress_id__in=congresses, plan__year=year, plan__state=TrainingPlan.State.PUBLISHED
        )
        .select_related("plan")
        .order_by("planned_month", "id")
    )


def plan_item_choices(*, user, congress=None) -> QuerySet[PlanItem]:
    """Items a new session may realise: of approved or published plans in the user's jurisdiction."""
    qs = scope_queryset(PlanItem.objects.select_related("plan"), user).exclude(
        plan__state=TrainingPlan.State.DRAFT
    )
    if congress is not None:
        qs = qs.filter(plan__congress=congress)
    return qs.order_by("-plan__year", "planned_month", "id")


def congress_choices(*, user):
    from renda.deputies.models import Congress

    return scope_queryset(Congress.objects.select_related("region"), user).order_by("level", "-term")


def congress_search(user, q: str):
    """The training forms' congress picker: congresses in the user's jurisdiction by name (a province
    holds hundreds of them)."""
    return congress_choices(user=user).filter(name__contains=q).order_by("level", "region__code", "-term")


def attendee_deputies(*, user, session):
    """Deputies who may be enrolled in a session: serving in its congress, within the user's scope."""
    from renda.deputies.models import Deputy

    serving = Deputy.objects.filter(mandates__congress=session.congress, mandates__status="serving")
    return scope_queryset(serving, user).distinct().order_by("stroke_key", "id")


def attendee_staff(*, user):
    """Staff accounts who may be enrolled: county and township staff of the user's own region."""
    from renda.accounts.models import User

    staff = User.objects.filter(role__in=[Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF], is_active=True)
    if user.region_id:
        staff = staff.filter(region__path__startswith=user.region.path)
    return staff.order_by("username")


def attendee_deputy_search(user, q: str, for_session: str = ""):
    """The attendees form's deputy picker: the session's congress's serving deputies by name."""
    from django.http import Http404

    from renda.deputies.models import Deputy

    if not str(for_session).isdigit():
        return Deputy.objects.none()
    try:
        session = training_session_get(user=user, pk=int(for_session), permission="training.manage")
    except Http404:
        return Deputy.objects.none()
    return attendee_deputies(user=user, session=session).filter(name__contains=q)


def attendee_staff_search(user, q: str):
    return attendee_staff(user=user).filter(Q(full_name__contains=q) | Q(username__icontains=q))


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    register_picker(
        "training-deputy",
        permission="training.manage",
        search=attendee_deputy_search,
        label=lambda d: d.name,
        params=("for_session",),
    )
    register_picker(
        "training-staff",
        permission="training.manage",
        search=attendee_staff_search,
        label=lambda u: u.display_name,
    )

    register_picker(
        "training-congress", permission="training.manage", search=congress_search, label=lambda c: c.name
    )


# ---------- sessions ----------


def _session_filter(user) -> Q | None:
    """Sessions the user may see: of their jurisdiction's congresses, or (region roles and deputies)
    with an attendee of their own."""
    own = scope_filter(TrainingSession, user)
    attending = scope_filter(Attendee, user)
    if attending is not None:
        people = Attendee.objects.filter(attending).values("session_id")
        attending = Q(pk__in=people)
    if own is None:
        return attending
    if attending is None:
        return own
    return own | attending


def training_session_list(
    *, user, year: int | None = None, form: str = "", q: str = "", state: str = ""
) -> QuerySet[TrainingSession]:
    condition = _session_filter(user)
    if condition is None:
        return TrainingSession.objects.none()
    qs = TrainingSession.objects.filter(condition).select_related("congress", "plan_item")
    if year:
        start, end = _year_range(year)
        qs = qs.filter(starts_on__gte=start, starts_on__lte=end)
    if form:
        qs = qs.filter(form=form)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(title__contains=q.strip()) | Q(place__contains=q.strip()))
    return qs.order_by("-starts_on", "-id")


def training_session_get(*, user, pk: int, permission: str = "training.view") -> TrainingSession:
    """One session the user may see (read), or — for `training.manage` — one of their own
    jurisdiction's congresses (attending is not enough to edit). Denied and missing are both 404."""
    if permission == "training.manage":
        return access_object(
            TrainingSession.objects.select_related("congress", "plan_item"),
            user,
            permission=permission,
            pk=pk,
        )
    condition = _session_filter(user) if has_permission(user, permission) else None
    found = None
    if condition is not None:
        found = (
            TrainingSession.objects.filter(condition)
            .select_related("congress", "plan_item")
            .filter(pk=pk)
            .first()
        )
    if found is None:
        # Same answer and audit as access_object for a missing or forbidden session.
        return access_object(TrainingSession.objects.none(), user, permission=permission, pk=pk)
    return found


def visible_attendees(*, user, session: TrainingSession) -> QuerySet[Attendee]:
    """The session's attendees the user may see: all of them for staff of the session's own
    jurisdiction, otherwise only their own people (a township's, a deputy's own row)."""
    qs = session.attendees.select_related("deputy", "user", "duty_record")
    if scope_queryset(TrainingSession.objects.filter(pk=session.pk), user).exists():
        return qs
    return scope_queryset(qs, user)


def attendance_grid(*, user, session: TrainingSession) -> dict:
    """Days, the visible attendees and hours[attendee_id][day_id], with each attendee's total.

    Shape: {"days": [TrainingDay], "rows": [{"attendee", "cells": [(day, hours|None)], "total"}],
            "total_hours": Decimal, "present_count": int}
    """
    days = list(session.days.all())
    attendees = list(visible_attendees(user=user, session=session))
    marks: dict[int, dict[int, Decimal]] = {}
    for a in Attendance.objects.filter(attendee__in=[x.pk for x in attendees]).only(
        "attendee_id", "day_id", "hours"
    ):
        marks.setdefault(a.attendee_id, {})[a.day_id] = a.hours
    rows = []
    for attendee in attendees:
        own = marks.get(attendee.pk, {})
        rows.append(
            {
                "attendee": attendee,
                "cells": [(day, own.get(day.pk)) for day in days],
                "total": sum(own.values(), ZERO),
            }
        )
    return {
        "days": days,
        "rows": rows,
        "total_hours": sum((r["total"] for r in rows), ZERO),
        "present_count": sum(1 for r in rows if r["total"] > 0),
    }


def attendee_get(*, user, pk: int, permission: str = "training.certificate") -> Attendee:
    """One attendee row (for a certificate): staff of the region, or the deputy themself."""
    return access_object(
        Attendee.objects.select_related("session", "session__congress", "deputy", "user"),
        user,
        permission=permission,
        pk=pk,
    )


def attendee_total_hours(*, attendee: Attendee) -> Decimal:
    return attendee.attendance.aggregate(total=Sum("hours"))["total"] or ZERO


# ---------- hours per deputy ----------


def _term_range(deputy) -> tuple[datetime.date, datetime.date] | None:
    """The current term of the deputy's serving mandate at the lowest level with dates (county
    before township), from the congress's (or mandate's) start to its end or today."""
    from renda.deputies.models import Level

    order = [Level.COUNTY, Level.TOWNSHIP, Level.CITY, Level.PROVINCIAL, Level.NATIONAL]
    mandates = [m for m in deputy.mandates.select_related("congress") if m.status == "serving"]
    mandates.sort(key=lambda m: order.index(m.congress.level) if m.congress.level in order else 99)
    for mandate in mandates:
        start = mandate.congress.starts_on or mandate.starts_on
        if start:
            end = mandate.congress.ends_on or mandate.ends_on or datetime.date(start.year + 5, 12, 31)
            return start, end
    return None


def deputy_training_hours(*, deputy, year: int) -> dict:
    """Training hours of one deputy: {"year": Decimal, "term": Decimal | None, "sessions": int (this year)}.

    Counted from the attendance itself (hours per day), whether or not the session is closed yet.
    """
    start, end = _year_range(year)
    base = Attendance.objects.filter(attendee__deputy=deputy)
    in_year = base.filter(day__date__gte=start, day__date__lte=end)
    year_hours = in_year.aggregate(total=Sum("hours"))["total"] or ZERO
    sessions = in_year.values("attendee__session_id").distinct().count()
    term = _term_range(deputy)
    term_hours = None
    if term is not None:
        term_hours = (
            base.filter(day__date__gte=term[0], day__date__lte=term[1]).aggregate(total=Sum("hours"))["total"]
            or ZERO
        )
    return {"year": year_hours, "term": term_hours, "sessions": sessions}


def deputy_training_sessions(*, deputy, year: int | None = None) -> list[dict]:
    """The sessions a deputy attended, newest first, with their own hours:
    [{"attendee", "session", "hours"}]."""
    qs = (
        Attendee.objects.filter(deputy=deputy)
        .select_related("session")
        .annotate(hours=Sum("attendance__hours"))
    )
    if year:
        start, end = _year_range(year)
        qs = qs.filter(session__starts_on__gte=start, session__starts_on__lte=end)
    return [
        {"attendee": a, "session": a.session, "hours": a.hours or ZERO}
        for a in qs.order_by("-session__starts_on", "-id")
    ]


def training_hours_by_deputy(*, user, year: int, q: str = "") -> QuerySet:
    """Hours per deputy in `year` for the deputies the user may see: rows of
    {"deputy_id", "name", "region", "hours", "sessions"} ordered by hours (most first), then strokes."""
    from django.db.models import Count

    start, end = _year_range(year)
    attendees = scope_queryset(Attendee.objects.filter(deputy__isnull=False), user)
    qs = attendees.filter(attendance__day__date__gte=start, attendance__day__date__lte=end)
    if q:
        qs = qs.filter(name__contains=q.strip())
    return (
        qs.values("deputy_id", "deputy__name", "deputy__region__name", "deputy__stroke_key")
        .annotate(hours=Sum("attendance__hours"), sessions=Count("session", distinct=True))
        .order_by("-hours", "deputy__stroke_key", "deputy_id")
    )


def days_of(session: TrainingSession) -> list[TrainingDay]:
    return list(session.days.all())


def deputy_of(user):
    from renda.deputies.selectors import deputy_for_user

    deputy = deputy_for_user(user=user)
    if deputy is None:
        raise Http404
    return deputy
