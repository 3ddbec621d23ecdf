"""Writes of the work plan: plans, chapters, items (by hand or from an imported .docx) and the
bodies' progress reports. Validated, atomic, audited."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError
from renda.core.files import file_check
from renda.organizations.models import Organization

from .models import Chapter, PlanItem, ProgressFile, ProgressReport, WorkPlan, due_date

PROGRESS_FILES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".jpg", ".jpeg", ".png")
MAX_PROGRESS_BYTES = 20 * 1024 * 1024
MAX_PROGRESS_FILES = 9


def _text(value, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if max_length and len(value) > max_length:
        raise DomainError(_("%(m)s（不超过%(n)d字）") % {"m": message, "n": max_length}, field=field)
    return value


def work_plan_create(
    *, actor=None, year: int, title: str, organization: Organization, region, source_name: str = ""
) -> WorkPlan:
    title = _text(title, "title", _("请填写标题"), 200)
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("年度不正确"), field="year")
    with transaction.atomic():
        if WorkPlan.objects.filter(organization=organization, year=year).exists():
            raise DomainError(_("%(y)d年度的工作要点已经存在") % {"y": year}, field="year")
        plan = WorkPlan.objects.create(
            year=year, title=title, organization=organization, region=region, source_name=source_name[:200]
        )
        audit_record(action="workplan.create", actor=actor, obj=plan, changes={"year": year, "title": title})
    return plan


def chapter_add(*, actor=None, plan: WorkPlan, title: str, number: int | None = None) -> Chapter:
    title = _text(title, "title", _("请填写章节标题"), 200)
    with transaction.atomic():
        taken = set(plan.chapters.values_list("number", flat=True))
        number = number if number is not None else max(taken, default=0) + 1
        if number in taken:
            raise DomainError(_("章节序号%(n)d已被使用") % {"n": number}, field="number")
        chapter = Chapter.objects.create(plan=plan, number=number, title=title)
        audit_record(action="workplan.chapter_add", actor=actor, obj=plan, changes={"chapter": title})
    return chapter


def _due(
    plan: WorkPlan, due_kind: str, due_month, due_quarter
) -> tuple[str, int | None, int | None, datetime.date]:
    if due_kind == PlanItem.DueKind.MONTH:
        if not due_month or not 1 <= int(due_month) <= 12:
            raise DomainError(_("请选择完成月份（1—12月）"), field="due_month")
        return due_kind, int(due_month), None, due_date(plan.year, due_kind, month=int(due_month))
    if due_kind == PlanItem.DueKind.QUARTER:
        if not due_quarter or not 1 <= int(due_quarter) <= 4:
            raise DomainError(_("请选择完成季度（1—4季度）"), field="due_quarter")
        return due_kind, None, int(due_quarter), due_date(plan.year, due_kind, quarter=int(due_quarter))
    if due_kind == PlanItem.DueKind.YEAR:
        return due_kind, None, None, due_date(plan.year, due_kind)
    raise DomainError(_("请选择完成时限"), field="due_kind")


def plan_item_add(
    *,
    actor=None,
    plan: WorkPlan,
    chapter: Chapter,
    text: str,
    lead_body: Organization | None,
    co_bodies=(),
    target: str = "",
    due_kind: str = PlanItem.DueKind.YEAR,
    due_month: int | None = None,
    due_quarter: int | None = None,
    number: int | None = None,
    _audit: bool = True,
) -> PlanItem:
    """An item under `chapter`, numbered after the plan's last one unless `number` is given (the
    numbers run through the whole plan, as in the office's document)."""
    text = _text(text, "text", _("请填写工作事项"))
    if chapter.plan_id != plan.pk:
        raise DomainError(_("所选章节不属于本工作要点"), field="chapter")
    co_bodies = [b for b in dict.fromkeys(co_bodies or []) if lead_body is None or b.pk != lead_body.pk]
    due_kind, due_month, due_quarter, due_on = _due(plan, due_kind, due_month, due_quarter)
    with transaction.atomic():
        taken = set(plan.items.values_list("number", flat=True))
        number = number if number is not None else max(taken, default=0) + 1
        if number in taken:
            raise DomainError(_("事项序号%(n)d已被使用") % {"n": number}, field="number")
        item = PlanItem.objects.create(
            plan=plan,
            chapter=chapter,
            number=number,
            text=text,
            target=(target or "").strip()[:300],
            lead_body=lead_body,
            due_kind=due_kind,
            due_month=due_month,
            due_quarter=due_quarter,
            due_on=due_on,
        )
        if co_bodies:
            item.co_bodies.set(co_bodies)
        if _audit:
            audit_record(
                action="workplan.item_add",
                actor=actor,
                obj=item,
                changes={"number": number, "lead_body": str(lead_body or ""), "due": item.due_label},
            )
    return item


def can_report(user, item: PlanItem) -> bool:
    """Staff of the lead body or of a co-body report progress on an item."""
    if not user.organization_id:
        return False
    if item.lead_body_id == user.organization_id:
        return True
    return any(b.pk == user.organization_id for b in item.co_bodies.all())


def progress_report_add(
    *,
    actor,
    item: PlanItem,
    percent: int,
    note: str,
    files=(),
    reported_on: datetime.date | None = None,
) -> ProgressReport:
    """A body reports progress. The item's percent follows the lead body's reports (a co-body's
    report adds its note and files without moving the figure). Percent is 0–100; lowering it is
    allowed (a step found undone) but must be explained in the note like any report."""
    if not can_report(actor, item):
        raise DomainError(_("只有牵头单位和配合单位可以报告进展"), field="percent")
    if percent is None or not 0 <= int(percent) <= 100:
        raise DomainError(_("完成进度应为0—100之间的整数"), field="percent")
    note = _text(note, "note", _("请填写进展情况"), 2000)
    files = [f for f in files or [] if f]
    if len(files) > MAX_PROGRESS_FILES:
        raise DomainError(_("一次最多上传%(n)d个文件") % {"n": MAX_PROGRESS_FILES}, field="files")
    for upload in files:
        file_check(
            upload,
            field="files",
            label=_("附件“%(n)s”") % {"n": upload.name},
            allowed=PROGRESS_FILES,
            max_bytes=MAX_PROGRESS_BYTES,
        )
    reported_on = reported_on or timezone.localdate()
    with transaction.atomic():
        report = ProgressReport.objects.create(
            item=item,
            percent=int(percent),
            note=note,
            reported_on=reported_on,
            reported_by=actor,
            organization_id=actor.organization_id,
        )
        for upload in files:
            ProgressFile.objects.create(report=report, file=upload, name=upload.name[:200], size=upload.size)
        changes = {"percent": int(percent)}
        if actor.organization_id == item.lead_body_id:
            changes["percent"] = [item.percent, int(percent)]
            item.percent = int(percent)
            item.last_reported_on = reported_on
            item.save(update_fields=["percent", "last_reported_on", "updated_at"])
        audit_record(action="workplan.progress", actor=actor, obj=item, changes=changes)
    return report


def work_plan_import(*, actor=None, parsed: dict, organization: Organization, region) -> WorkPlan:
    """Save a previewed import (see imports.py) in one transaction: all of it or nothing."""
    if parsed.get("errors"):
        raise DomainError(parsed["errors"][0], field="file")
    if not parsed.get("chapters"):
        raise DomainError(_("文件中没有识别出章节和事项"), field="file")
    bodies = {o.pk: o for o in Organization.objects.filter(pk__in=_body_ids(parsed))}
    with transaction.atomic():
        plan = work_plan_create(
            actor=actor,
            year=parsed["year"],
            title=parsed["title"],
            organization=organization,
            region=region,
            source_name=parsed.get("source_name", ""),
        )
        count = 0
        for chapter_data in parsed["chapters"]:
            chapter = Chapter.objects.create(
                plan=plan, number=chapter_data["number"], title=chapter_data["title"]
            )
            for row in chapter_data["items"]:
                plan_item_add(
                    actor=actor,
                    plan=plan,
                    chapter=chapter,
                    text=row["text"],
                    lead_body=bodies.get(row.get("lead_id")),
                    co_bodies=[bodies[i] for i in row.get("co_ids", []) if i in bodies],
                    target=row.get("target", ""),
                    due_kind=row["due_kind"],
                    due_month=row.get("due_month"),
                    due_quarter=row.get("due_quarter"),
                    number=row["number"],
                    _audit=False,
                )
                count += 1
        audit_record(
            action="workplan.import",
            actor=actor,
            obj=plan,
            changes={
                "file": parsed.get("source_name", ""),
                "chapters": len(parsed["chapters"]),
                "items": count,
            },
        )
    return plan


def _body_ids(parsed: dict) -> set[int]:
    ids = set()
    for chapter in parsed["chapters"]:
        for row in chapter["items"]:
            if row.get("lead_id"):
                ids.add(row["lead_id"])
            ids.update(row.get("co_ids", []))
    return ids
