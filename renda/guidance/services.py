"""Writes of the guidance app: lists, items, groups, reports and reviews with evidence, and the
stations' rules. Every write is validated, atomic and audited; a state change of a township's item
goes through `workflow.transition`, which writes the event row."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.access import Role
from renda.core.errors import DomainError
from renda.core.files import PHOTO_EXTENSIONS, file_check, photo_shrink
from renda.core.services import validate
from renda.regions.models import Region

from . import workflow
from .models import (
    Evidence,
    GuidanceGroup,
    GuidanceItem,
    GuidanceList,
    RuleKind,
    RuleTemplate,
    StationRule,
    TownshipItem,
    TownshipItemEvent,
)

EVIDENCE_FILES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".jpg", ".jpeg", ".png")
RULE_FILES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".jpg", ".jpeg", ".png")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # before a photo is shrunk: phones take 5–12 MB photos
MAX_EVIDENCE_FILES = 9


def _text(value, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if max_length and len(value) > max_length:
        raise DomainError(_("%(m)s（不超过%(n)d字）") % {"m": message, "n": max_length}, field=field)
    return value


def _townships(townships, field: str = "townships") -> list[Region]:
    townships = list(dict.fromkeys(townships or []))
    if not townships:
        raise DomainError(_("请选择乡镇（街道）"), field=field)
    wrong = [t.name for t in townships if t.level != Region.Level.TOWNSHIP]
    if wrong:
        raise DomainError(_("“%(n)s”不是乡镇（街道）") % {"n": wrong[0]}, field=field)
    return townships


# ---------- the list and its items ----------


def guidance_list_create(
    *,
    actor=None,
    year: int,
    title: str,
    region: Region,
    townships,
    issued_on: datetime.date | None = None,
    document_number: str = "",
    note: str = "",
) -> GuidanceList:
    """A year's list issued by `region`'s standing committee to `townships` (each under `region`)."""
    title = _text(title, "title", _("请填写清单标题"), 200)
    townships = _townships(townships)
    outside = [t.name for t in townships if not t.path.startswith(region.path)]
    if outside:
        raise DomainError(_("“%(n)s”不在本辖区内") % {"n": outside[0]}, field="townships")
    with transaction.atomic():
        if GuidanceList.objects.filter(region=region, year=year).exists():
            raise DomainError(_("%(y)d年度的工作指导清单已经存在") % {"y": year}, field="year")
        guidance_list = GuidanceList(
            year=year,
            title=title,
            region=region,
            issued_on=issued_on,
            document_number=(document_number or "").strip(),
            note=(note or "").strip(),
        )
        validate(guidance_list, validate_constraints=False)
        guidance_list.save()
        guidance_list.townships.set(townships)
        audit_record(
            action="guidance.list_create",
            actor=actor,
            obj=guidance_list,
            changes={"year": year, "title": title, "townships": len(townships)},
        )
    return guidance_list


def guidance_item_add(
    *,
    actor=None,
    guidance_list: GuidanceList,
    title: str,
    due_on: datetime.date,
    applies_to: str = GuidanceItem.AppliesTo.BOTH,
    description: str = "",
    evidence_expected: str = "",
    number: int | None = None,
) -> GuidanceItem:
    """Add an item and give each township it applies to its own part (a cell), open."""
    title = _text(title, "title", _("请填写事项名称"), 200)
    if applies_to not in GuidanceItem.AppliesTo.values:
        raise DomainError(_("请选择适用范围"), field="applies_to")
    if due_on is None:
        raise DomainError(_("请填写完成时限"), field="due_on")
    if due_on.year not in (guidance_list.year, guidance_list.year + 1):
        raise DomainError(_("完成时限应在清单年度内"), field="due_on")
    with transaction.atomic():
        GuidanceList.objects.select_for_update().filter(pk=guidance_list.pk).first()
        taken = set(guidance_list.items.values_list("number", flat=True))
        if number is None:
            number = max(taken, default=0) + 1
        elif number in taken:
            raise DomainError(_("序号%(n)d已被使用") % {"n": number}, field="number")
        item = GuidanceItem(
            guidance_list=guidance_list,
            number=number,
            title=title,
            due_on=due_on,
            applies_to=applies_to,
            description=(description or "").strip(),
            evidence_expected=(evidence_expected or "").strip(),
        )
        validate(item, validate_constraints=False)
        item.save()
        cells = [
            TownshipItem(guidance_item=item, township=t)
            for t in guidance_list.townships.order_by("code")
            if item.applies(t)
        ]
        TownshipItem.objects.bulk_create(cells)
        audit_record(
            action="guidance.item_add",
            actor=actor,
            obj=item,
            changes={"number": number, "title": title, "due_on": due_on.isoformat(), "townships": len(cells)},
        )
    return item


def guidance_group_create(
    *, actor=None, guidance_list: GuidanceList, name: str, leader, townships, members=()
) -> GuidanceGroup:
    """A group led by a standing-committee member (leader role), covering some of the list's
    townships; a township belongs to at most one group of a list, so that one group reviews it."""
    name = _text(name, "name", _("请填写指导组名称"), 100)
    if leader is None or leader.role != Role.LEADER:
        raise DomainError(_("组长须为常委会组成人员（领导角色）的账号"), field="leader")
    townships = _townships(townships)
    issued = set(guidance_list.townships.values_list("pk", flat=True))
    outside = [t.name for t in townships if t.pk not in issued]
    if outside:
        raise DomainError(_("“%(n)s”不在本清单的乡镇（街道）中") % {"n": outside[0]}, field="townships")
    with transaction.atomic():
        if guidance_list.groups.filter(name=name).exists():
            raise DomainError(_("已有同名的指导组"), field="name")
        taken = GuidanceGroup.townships.through.objects.filter(
            guidancegroup__guidance_list=guidance_list, region__in=townships
        ).select_related("region", "guidancegroup")
        for row in taken[:1]:
            raise DomainError(
                _("“%(t)s”已由“%(g)s”联系") % {"t": row.region.name, "g": row.guidancegroup.name},
                field="townships",
            )
        group = GuidanceGroup.objects.create(guidance_list=guidance_list, name=name, leader=leader)
        group.townships.set(townships)
        group.members.set([m for m in members if m.pk != leader.pk])
        audit_record(
            action="guidance.group_create",
            actor=actor,
            obj=group,
            changes={
                "name": name,
                "leader": leader.get_username(),
                "townships": [t.name for t in townships],
                "members": [m.get_username() for m in members],
            },
        )
    return group


# ---------- reports and reviews ----------


def _evidence_rows(*, actor, item: TownshipItem, files) -> list[Evidence]:
    """Check every file before anything is written; photos are shrunk (EXIF and GPS dropped)."""
    files = [f for f in files or [] if f]
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(_("一次最多上传%(n)d个文件") % {"n": MAX_EVIDENCE_FILES}, field="files")
    rows = []
    for upload in files:
        label = _("佐证材料“%(n)s”") % {"n": upload.name}
        extension = file_check(
            upload, field="files", label=label, allowed=EVIDENCE_FILES, max_bytes=MAX_EVIDENCE_BYTES
        )
        is_photo = extension in PHOTO_EXTENSIONS
        stored = photo_shrink(upload, field="files", label=label) if is_photo else upload
        rows.append(
            Evidence(
                township_item=item,
                file=stored,
                name=stored.name[:200],
                is_photo=is_photo,
                size=stored.size,
                uploaded_by=actor,
            )
        )
    return rows


def township_item_report(
    *, actor, item: TownshipItem, result: str, note: str, reason: str = "", files=()
) -> TownshipItemEvent:
    """The township reports its part: done, in progress, or not applicable (with a reason).

    The caller fetched `item` through the selector, so it is the actor's township's. A note saying
    what was done is required; a "done" report needs evidence — files now or sent with an earlier
    report of this item.
    """
    if result not in TownshipItem.Result.values:
        raise DomainError(_("请选择落实情况"), field="result")
    note = _text(note, "note", _("请填写落实情况说明"), 2000)
    reason = (reason or "").strip()
    if result == TownshipItem.Result.NOT_APPLICABLE and not reason:
        raise DomainError(_("报送“不适用”须说明理由"), field="reason")
    if len(reason) > 200:
        raise DomainError(_("理由不超过200字"), field="reason")
    rows = _evidence_rows(actor=actor, item=item, files=files)
    if result == TownshipItem.Result.DONE and not rows and not item.evidence.exists():
        expected = item.guidance_item.evidence_expected
        raise DomainError(
            _("报送“已完成”须上传佐证材料（%(e)s）") % {"e": expected or _("会议记录、照片等")}, field="files"
        )
    with transaction.atomic():
        event = workflow.transition(
            actor=actor,
            item=item,
            action=TownshipItemEvent.Action.REPORT,
            note=note,
            updates={
                "result": result,
                "note": note,
                "reason": reason if result == TownshipItem.Result.NOT_APPLICABLE else "",
                "reported_at": timezone.now(),
            },
        )
        for row in rows:
            row.event = event
            row.save()
    return event


def township_item_review(*, actor, item: TownshipItem, decision: str, note: str = "") -> TownshipItemEvent:
    """The guidance group accepts the report or sends it back with a reason.

    Only the leader or a member of the group that covers the township may review; anyone else gets
    the same answer as for a missing item (the caller's selector raises Http404 first).
    """
    from .selectors import can_review

    if not can_review(actor, item):
        raise DomainError(_("只有联系该乡镇（街道）的指导组可以审核"), field="decision")
    note = (note or "").strip()
    if decision == "accept":
        action = TownshipItemEvent.Action.ACCEPT
    elif decision == "send_back":
        action = TownshipItemEvent.Action.SEND_BACK
        note = _text(note, "note", _("退回须说明理由"), 300)
    else:
        raise DomainError(_("请选择审核结果"), field="decision")
    if len(note) > 300:
        raise DomainError(_("审核意见不超过300字"), field="note")
    return workflow.transition(
        actor=actor,
        item=item,
        action=action,
        note=note,
        updates={"reviewed_at": timezone.now(), "review_note": note},
    )


# ---------- the stations' rules ----------


def rule_template_set(*, actor=None, region: Region, kind: str, title: str, text: str) -> RuleTemplate:
    if kind not in RuleKind.values:
        raise DomainError(_("请选择制度"), field="kind")
    title = _text(title, "title", _("请填写标题"), 100)
    text = _text(text, "text", _("请填写制度文本"))
    with transaction.atomic():
        current = RuleTemplate.objects.select_for_update().filter(region=region, kind=kind).first()
        if current is not None and (current.title, current.text) == (title, text):
            return current  # nothing to change, nothing to record
        template, _created = RuleTemplate.objects.update_or_create(
            region=region, kind=kind, defaults={"title": title, "text": text}
        )
        audit_record(
            action="guidance.rule_template_set",
            actor=actor,
            obj=template,
            changes={"kind": kind, "title": title},
        )
    return template


def station_rule_save(
    *,
    actor=None,
    station,
    year: int,
    kind: str,
    template: RuleTemplate | None = None,
    text: str = "",
    file=None,
    posted: bool = False,
    posted_on: datetime.date | None = None,
    note: str = "",
) -> StationRule:
    """Record a station's rule for a year: the county's template, its own text or an uploaded file;
    whether and since when it is posted. A posted rule must have a text or a file."""
    if kind not in RuleKind.values:
        raise DomainError(_("请选择制度"), field="kind")
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("年度不正确"), field="year")
    if template is not None and template.kind != kind:
        raise DomainError(_("所选范本不是这项制度的范本"), field="template")
    if file:
        file_check(file, field="file", label=_("制度文件"), allowed=RULE_FILES, max_bytes=MAX_EVIDENCE_BYTES)
    text = (text or "").strip() or (template.text if template is not None else "")
    with transaction.atomic():
        rule = StationRule.objects.select_for_update().filter(station=station, year=year, kind=kind).first()
        created = rule is None
        if created:
            rule = StationRule(station=station, year=year, kind=kind)
        before = {"posted": rule.posted, "template": rule.template_id, "has_text": rule.has_text}
        rule.template = template
        if text:
            rule.text = text
        if file:
            rule.file = file
        if posted and not rule.has_text:
            raise DomainError(_("上墙的制度须有制度文本或制度文件"), field="posted")
        rule.posted = bool(posted)
        rule.posted_on = (posted_on or timezone.localdate()) if posted else None
        rule.note = (note or "").strip()[:200]
        rule.save()
        audit_record(
            action="guidance.station_rule_save",
            actor=actor,
            obj=rule,
            changes={
                "kind": kind,
                "year": year,
                "posted": [before["posted"], rule.posted],
                "has_text": [before["has_text"], rule.has_text],
            },
        )
    return rule
