"""Reads of the work plan, scoped by user: plans, items with their bodies and latest figures, what is
late, progress history, and the month's figures for the summary."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from renda.core.access import access_object, scope_queryset

from .models import Chapter, PlanItem, ProgressFile, ProgressReport, WorkPlan


def work_plan_list(*, user) -> QuerySet[WorkPlan]:
    return scope_queryset(WorkPlan.objects.select_related("organization"), user).order_by("-year", "-id")


def work_plan_get(*, user, pk: int, permission: str = "workplan.view") -> WorkPlan:
    return access_object(
        WorkPlan.objects.select_related("organization", "region"), user, permission=permission, pk=pk
    )


def is_late(item: PlanItem, today: datetime.date | None = None) -> bool:
    """Past its due date (end of the due month or quarter) and not at 100 %."""
    return item.percent < 100 and item.due_on < (today or timezone.localdate())


def plan_items(*, user, plan: WorkPlan, body_id: int | None = None, late: bool = False) -> QuerySet[PlanItem]:
    qs = scope_queryset(PlanItem.objects.filter(plan=plan), user).select_related("chapter", "lead_body")
    if body_id:
        qs = qs.filter(Q(lead_body_id=body_id) | Q(co_bodies__id=body_id)).distinct()
    if late:
        qs = qs.filter(percent__lt=100, due_on__lt=timezone.localdate())
    return qs.prefetch_related("co_bodies").order_by("number")


def plan_chapters(*, user, plan: WorkPlan, body_id: int | None = None, late: bool = False) -> list[Chapter]:
    """Chapters with their (filtered) items attached as `.shown`; three queries."""
    today = timezone.localdate()
    items = list(plan_items(user=user, plan=plan, body_id=body_id, late=late))
    chapters = list(plan.chapters.order_by("number"))
    by_chapter: dict[int, list] = {}
    for item in items:
        item.late = is_late(item, today)
        by_chapter.setdefault(item.chapter_id, []).append(item)
    for chapter in chapters:
        chapter.shown = by_chapter.get(chapter.pk, [])
    return chapters


def plan_figures(items) -> dict:
    items = list(items)
    today = timezone.localdate()
    return {
        "total": len(items),
        "done": sum(i.percent >= 100 for i in items),
        "late": sum(is_late(i, today) for i in items),
        "average": round(sum(i.percent for i in items) / len(items), 1) if items else None,
    }


def late_items(*, user) -> QuerySet[PlanItem]:
    """Late items of every plan the user sees, most overdue first (for leaders' attention)."""
    return (
        scope_queryset(PlanItem.objects.all(), user)
        .filter(percent__lt=100, due_on__lt=timezone.localdate())
        .select_related("plan", "lead_body", "chapter")
        .order_by("due_on", "plan_id", "number")
    )


def plan_item_get(*, user, pk: int, permission: str = "workplan.view") -> PlanItem:
    files = ProgressFile.objects.order_by("id")
    reports = ProgressReport.objects.select_related("reported_by", "organization").prefetch_related(
        Prefetch("files", queryset=files)
    )
    return access_object(
        PlanItem.objects.select_related("plan", "chapter", "lead_body").prefetch_related(
            "co_bodies", Prefetch("reports", queryset=reports.order_by("-reported_on", "-id"))
        ),
        user,
        permission=permission,
        pk=pk,
    )


def progress_file_get(*, user, pk: int) -> ProgressFile:
    return access_object(
        ProgressFile.objects.select_related("report"), user, permission="workplan.view", pk=pk
    )


def month_reports(*, plan: WorkPlan, year: int, month: int) -> dict[int, list[ProgressReport]]:
    """Progress reported in a month, by item id."""
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    reports: dict[int, list] = {}
    for report in (
        ProgressReport.objects.filter(item__plan=plan, reported_on__gte=first, reported_on__lte=last)
        .select_related("organization")
        .order_by("reported_on", "id")
    ):
        reports.setdefault(report.item_id, []).append(report)
    return reports


def percent_as_of(*, plan: WorkPlan, day: datetime.date) -> dict[int, int]:
    """Each item's percent by the lead body's last report on or before `day` (0 without one)."""
    figures: dict[int, int] = {}
    for item_id, percent, org_id, lead_id in (
        ProgressReport.objects.filter(item__plan=plan, reported_on__lte=day)
        .order_by("reported_on", "id")
        .values_list("item_id", "percent", "organization_id", "item__lead_body_id")
    ):
        if org_id == lead_id:
            figures[item_id] = percent
    return figures
