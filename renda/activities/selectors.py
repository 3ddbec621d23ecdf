"""Reads of activities and campaigns, scoped to the asking user (scope_queryset / access_object).

Who sees which activity: county staff and leaders their region's subtree, township staff their
township's (`Activity.region`), a department (handling_unit) the activities it organises, a deputy
only those they are invited to. Denied looks like missing (404).
"""

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from renda.core.access import access_object, scope_queryset
from renda.deputies.models import Deputy, ExternalRole, Mandate
from renda.deputies.selectors import deputy_for_user, deputy_list
from renda.duty_records.selectors import duty_record_counts
from renda.organizations.models import Organization

from .models import Activity, Campaign, FollowUp, Invitation, RaisedOpinion
from .services import ORGANIZER_KINDS


def _invitations_counted(**condition) -> Coalesce:
    """How many of the activity's invitations meet `condition`: a subquery per listed row."""
    counted = (
        Invitation.objects.filter(activity=OuterRef("pk"), **condition)
        .order_by()
        .values("activity")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def _with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    # Subqueries, not a join with GROUP BY: the page's 30 rows are counted, not every invitation of
    # the province before the first 30 activities can be chosen (1 s of SQL for a province user), and
    # the pager's count leaves them out.
    return qs.annotate(
        invited_count=_invitations_counted(),
        attending_count=_invitations_counted(answer="attend"),
        leave_count=_invitations_counted(answer="leave"),
        present_count=_invitations_counted(attendance="present"),
        absent_count=_invitations_counted(attendance="absent"),
    )


def activity_list(
    *,
    user,
    kind: str = "",
    year: int | None = None,
    campaign: int | None = None,
    organizer: int | None = None,
    q: str = "",
    leave: str = "",
) -> QuerySet[Activity]:
    """Activities in the user's jurisdiction, newest first, with invitation counts (one query).
    `leave="pending"`: only those with a leave request waiting for a decision."""
    qs = scope_queryset(Activity.objects.select_related("organizer", "region", "campaign"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start.replace(year=year + 1))
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if organizer:
        qs = qs.filter(organizer_id=organizer)
    if q:
        qs = qs.filter(title__contains=q.strip())
    if leave == "pending":
        qs = qs.filter(Exists(Invitation.objects.filter(activity=OuterRef("pk"), leave_state="pending")))
    return _with_counts(qs).order_by("-starts_at", "-id")


def activity_get(*, user, pk: int, permission: str = "activities.view") -> Activity:
    return access_object(
        Activity.objects.select_related("organizer", "region", "campaign", "follow_up"),
        user,
        permission=permission,
        pk=pk,
    )


def activity_detail(*, activity: Activity) -> dict:
    """What the staff page shows about an activity the caller may already see."""
    invitations = list(
        activity.invitations.select_related("deputy", "deputy__region", "duty_record").order_by(
            "deputy__stroke_key", "id"
        )
    )
    summary = {
        "invited": len(invitations),
        "attend": sum(1 for i in invitations if i.answer == "attend"),
        "leave": sum(1 for i in invitations if i.answer == "leave"),
        "unanswered": sum(1 for i in invitations if not i.answer),
        "present": sum(1 for i in invitations if i.attendance == "present"),
        "excused": sum(1 for i in invitations if i.attendance == "excused"),
        "absent": sum(1 for i in invitations if i.attendance == "absent"),
        "pending_leave": sum(1 for i in invitations if i.leave_state == "pending"),
    }
    return {
        "invitations": invitations,
        "summary": summary,
        "co_organizers": list(activity.co_organizers.all()),
        "materials": list(activity.materials.all()),
        "externals": list(activity.external_participants.all()),
        "opinions": list(activity.raised_opinions.select_related("deputy", "suggestion")),
        "follow_up": getattr(activity, "follow_up", None)
        if activity.kind == Activity.Kind.LAW_INSPECTION
        else None,
    }


def invitation_get(*, user, pk: int, permission: str) -> Invitation:
    return access_object(
        Invitation.objects.select_related("activity", "deputy"), user, permission=permission, pk=pk
    )


def my_invitations(*, user, upcoming_only: bool = False) -> QuerySet[Invitation]:
    """The deputy's own invitations: unanswered and upcoming first, then by start (newest past last)."""
    deputy = deputy_for_user(user=user)
    if deputy is None:
        return Invitation.objects.none()
    qs = Invitation.objects.filter(deputy=deputy).select_related("activity", "activity__organizer")
    if upcoming_only:
        qs = qs.filter(activity__ends_at__gte=timezone.now())
    return qs.order_by("-activity__starts_at", "-id")


def organizer_choices(*, user) -> QuerySet[Organization]:
    """Organisations the user may name as organiser: those in their jurisdiction, of organiser kinds."""
    return scope_queryset(Organization.objects.filter(kind__in=ORGANIZER_KINDS), user).order_by(
        "kind", "name"
    )


def co_organizer_choices(*, user) -> QuerySet[Organization]:
    """Co-organisers may also be the CPPCC (联合视察) or other bodies in the user's region."""
    return scope_queryset(Organization.objects.all(), user).order_by("kind", "name")


def organizer_search(user, q: str) -> QuerySet[Organization]:
    """The organiser picker: organiser_choices by name (a province holds thousands of organisations)."""
    return organizer_choices(user=user).filter(name__contains=q).select_related("region")


def co_organizer_search(user, q: str) -> QuerySet[Organization]:
    return co_organizer_choices(user=user).filter(name__contains=q).select_related("region")


def register_pickers() -> None:
    from renda.core.pickers import register_picker

    def label(org) -> str:
        return f"{org.name}（{org.region.name}）"

    register_picker(
        "activity-organizer", permission="activities.manage", search=organizer_search, label=label
    )
    register_picker(
        "activity-co-organizer", permission="activities.manage", search=co_organizer_search, label=label
    )


def campaign_choices(*, user) -> QuerySet[Campaign]:
    return scope_queryset(Campaign.objects.all(), user).order_by("-starts_on")


def invitee_candidates(
    *,
    user,
    level: str = "",
    congress=None,
    township: str = "",
    constituency=None,
    sector: str = "",
    station=None,
    delegation: str = "",
    external_role: str = "",
    external_organization=None,
    names=(),
    ids=(),
) -> QuerySet[Deputy]:
    """Deputies to invite, within the user's jurisdiction: by filters (level, congress, township code,
    constituency, sector, station, delegation, external role kind and/or appointing department) or
    by hand (`names`, `ids`). Only deputies with a serving mandate are offered. No filter and no ids: none."""
    chosen = any([level, congress, township, constituency, sector, station, delegation, external_role,
                  external_organization, names, ids])  # fmt: skip
    if not chosen:
        return Deputy.objects.none()
    qs = deputy_list(
        user=user,
        level=level,
        congress=congress,
        township=township,
        constituency=constituency,
        sector=sector,
        station=station,
        status=Mandate.Status.SERVING,
    )
    if delegation:
        qs = qs.filter(
            Exists(
                Mandate.objects.filter(deputy=OuterRef("pk"), delegation=delegation.strip(), status="serving")
            )
        )
    if external_role or external_organization:
        today = timezone.localdate()
        roles = ExternalRole.objects.filter(deputy=OuterRef("pk"), starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
        if external_role:
            roles = roles.filter(kind=external_role)
        if external_organization:
            roles = roles.filter(organization_id=getattr(external_organization, "pk", external_organization))
        qs = qs.filter(Exists(roles))
    if names:
        # Rosters pad two-character names with a full-width space (王　芳); match without it.
        from django.db.models import Value
        from django.db.models.functions import Replace

        wanted = ["".join(n.split()) for n in names]
        qs = qs.annotate(bare_name=Replace("name", Value("\u3000"), Value(""))).filter(bare_name__in=wanted)
    if ids:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return qs


def delegation_choices(*, user) -> list[str]:
    """The delegations (代表团) named on mandates in the user's jurisdiction: one per county or city
    electing a congress's deputies, so about a hundred in a province (DISTINCT in the database, not
    every mandate read into Python); capped at SELECT_LIMIT all the same."""
    from renda.core.pickers import SELECT_LIMIT

    mandates = scope_queryset(Mandate.objects.exclude(delegation=""), user)
    found = mandates.order_by("delegation").values_list("delegation", flat=True).distinct()
    return list(found[:SELECT_LIMIT])


def overdue_follow_ups(*, user, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """Law-enforcement inspections whose government report on the 审议意见 is overdue."""
    today = today or timezone.localdate()
    return scope_queryset(
        FollowUp.objects.filter(responded_on__isnull=True, due_on__lt=today).select_related("activity"), user
    ).order_by("due_on")


def follow_up_list(*, user, overdue: bool = False) -> QuerySet[FollowUp]:
    """Follow-ups of law-enforcement inspections, newest first; `overdue`: only those past due."""
    qs = scope_queryset(FollowUp.objects.select_related("activity", "activity__organizer"), user)
    if overdue:
        qs = qs.filter(responded_on__isnull=True, due_on__lt=timezone.localdate())
    return qs.order_by("-activity__starts_at")


def campaign_list(*, user) -> QuerySet[Campaign]:
    return (
        scope_queryset(Campaign.objects.select_related("organizer", "region"), user)
        .annotate(task_count=Count("tasks", distinct=True), activity_count=Count("activities", distinct=True))
        .order_by("-starts_on", "id")
    )


def campaign_get(*, user, pk: int, permission: str = "activities.view") -> Campaign:
    return access_object(
        Campaign.objects.select_related("organizer", "region"), user, permission=permission, pk=pk
    )


def campaign_participants(*, campaign: Campaign) -> QuerySet[Deputy]:
    """Deputies expected to take part: a mandate of the campaign's level serving during its period,
    living in its region."""
    serving = Mandate.objects.filter(
        deputy=OuterRef("pk"), congress__level=campaign.level, status=Mandate.Status.SERVING
    )
    return (
        Deputy.objects.filter(region__path__startswith=campaign.region.path)
        .filter(Exists(serving))
        .select_related("region")
        .order_by("stroke_key", "id")
    )


def campaign_completion(*, campaign: Campaign, deputies) -> list[dict]:
    """Each deputy's progress on each task, counted from the duty-record spine (standing, approved
    records of the task's kind dated within the campaign period; nobody ticks anything).

    Two queries whatever the number of deputies. Shape: [{"deputy", "tasks": [{"task", "done",
    "target", "complete"}], "completed": n, "total": n}]."""
    tasks = list(campaign.tasks.all())
    deputies = list(deputies)
    counts = duty_record_counts(
        deputy_ids=[d.pk for d in deputies],
        kinds={t.duty_kind for t in tasks},
        since=campaign.starts_on,
        until=campaign.ends_on,
    )
    rows = []
    for deputy in deputies:
        items = []
        for task in tasks:
            done = counts.get((deputy.pk, task.duty_kind), 0)
            items.append({"task": task, "done": done, "target": task.target, "complete": done >= task.target})
        rows.append(
            {
                "deputy": deputy,
                "tasks": items,
                "completed": sum(i["complete"] for i in items),
                "total": len(items),
            }
        )
    return rows


def portal_campaigns(*, deputy: Deputy, today: datetime.date | None = None) -> list[dict]:
    """Campaigns running now that the deputy is expected to take part in, with their progress."""
    today = today or timezone.localdate()
    parts = [p for p in deputy.region.path.split("/") if p]
    region_paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    levels = set(
        Mandate.objects.filter(deputy=deputy, status=Mandate.Status.SERVING).values_list(
            "congress__level", flat=True
        )
    )
    campaigns = list(
        Campaign.objects.filter(
            region__path__in=region_paths, level__in=levels, starts_on__lte=today, ends_on__gte=today
        )
        .prefetch_related("tasks")
        .order_by("-starts_on")
    )
    out = []
    for campaign in campaigns:
        row = campaign_completion(campaign=campaign, deputies=[deputy])[0]
        out.append({"campaign": campaign, **row})
    return out


def opinion_get(*, user, pk: int) -> RaisedOpinion:
    return access_object(
        RaisedOpinion.objects.select_related("activity", "deputy"), user, permission="activities.view", pk=pk
    )
