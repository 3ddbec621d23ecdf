"""Writes of the training app: plans and their items, sessions, attendees, attendance, closing.

Every service validates, runs in one transaction and leaves an audit record. Closing a session is
the one place that writes to the duty-record spine (one `training` record per deputy attendee).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import validate
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add

from .models import Attendance, Attendee, PlanItem, TrainingDay, TrainingPlan, TrainingSession

# The plan's state table: (from, action) -> to. Anything else is refused.
PLAN_TRANSITIONS = {
    (TrainingPlan.State.DRAFT, "approve"): TrainingPlan.State.APPROVED,
    (TrainingPlan.State.APPROVED, "return"): TrainingPlan.State.DRAFT,
    (TrainingPlan.State.APPROVED, "publish"): TrainingPlan.State.PUBLISHED,
}
PLAN_ACTION_LABELS = {"approve": _("审定"), "return": _("退回修改"), "publish": _("印发")}

MAX_SESSION_DAYS = 31  # the longest programme a county sends deputies to (a month-long course)
DEFAULT_DAY_HOURS = Decimal("6")


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------- plans ----------


def training_plan_create(*, actor=None, congress, year: int, title: str = "", note: str = "") -> TrainingPlan:
    """A draft plan for `congress` and `year`; one plan per congress and year."""
    title = (title or "").strip() or _("%(c)s%(y)s年度代表履职培训计划") % {
        "c": congress.short_name,
        "y": year,
    }
    plan = TrainingPlan(congress=congress, year=year, title=title, note=note.strip())
    validate(plan, validate_constraints=False)
    if TrainingPlan.objects.filter(congress=congress, year=year).exists():
        raise DomainError(_("%(y)s年度的培训计划已存在") % {"y": year}, field="year")
    try:
        with transaction.atomic():
            plan.save()
            audit_record(action="training_plan.create", actor=actor, obj=plan, changes={"year": year})
    except IntegrityError as exc:
        raise DomainError(_("%(y)s年度的培训计划已存在") % {"y": year}, field="year") from exc
    return plan


def _editable(plan: TrainingPlan) -> None:
    if plan.state != TrainingPlan.State.DRAFT:
        raise InvalidTransition(_("培训计划已审定，不能再修改事项；如需修改请先退回"))


def plan_item_add(
    *,
    actor=None,
    plan: TrainingPlan,
    topic: str,
    target_group: str,
    form: str,
    planned_month: int,
    budget: Decimal = Decimal("0"),
    note: str = "",
) -> PlanItem:
    """Add an item to a draft plan. `budget` is in 元 (two decimals), never negative."""
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        item = PlanItem(
            plan=plan,
            topic=topic.strip(),
            target_group=target_group.strip(),
            form=form,
            planned_month=planned_month,
            budget=budget if budget is not None else Decimal("0"),
            note=note.strip(),
        )
        validate(item)
        item.save()
        audit_record(
            action="training_plan.item_add",
            actor=actor,
            obj=plan,
            changes={"topic": item.topic, "planned_month": planned_month, "budget": str(item.budget)},
        )
    return item


def plan_item_remove(*, actor=None, item: PlanItem) -> None:
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=item.plan_id)
        _editable(plan)
        if item.sessions.exists():
            raise DomainError(_("已有培训班次落实该事项，不能删除"), field="item")
        audit_record(action="training_plan.item_remove", actor=actor, obj=plan, changes={"topic": item.topic})
        item.delete()


def training_plan_transition(*, actor=None, plan: TrainingPlan, action: str) -> TrainingPlan:
    """approve (draft → approved), return (approved → draft), publish (approved → published).

    Publishing tells each serving deputy of the plan's congress (a notification, when the
    notifications app is installed). A plan without items cannot be approved.
    """
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().select_related("congress").get(pk=plan.pk)
        target = PLAN_TRANSITIONS.get((plan.state, action))
        if target is None:
            raise InvalidTransition(
                _("培训计划当前为“%(s)s”，不能%(a)s")
                % {"s": plan.get_state_display(), "a": PLAN_ACTION_LABELS.get(action, action)}
            )
        if action == "approve" and not plan.items.exists():
            raise DomainError(_("培训计划还没有培训事项，不能审定"), field="items")
        old = plan.state
        plan.state = target
        now = timezone.now()
        fields = ["state", "updated_at"]
        if action == "approve":
            plan.approved_by, plan.approved_at = _actor(actor), now
            fields += ["approved_by", "approved_at"]
        elif action == "publish":
            plan.published_at = now
            fields.append("published_at")
        plan.save(update_fields=fields)
        audit_record(
            action=f"training_plan.{action}", actor=actor, obj=plan, changes={"state": [old, target]}
        )
        if action == "publish":
            _notify_published(plan)
    return plan


def _notify_published(plan: TrainingPlan) -> int:
    """One notification to each serving deputy of the plan's congress who has an account, sent once
    the publishing transaction has committed (key: once per plan and deputy)."""
    from renda.deputies.models import Deputy
    from renda.notifications.services import notification_send

    url = reverse("training:mine")
    users = [
        d.user
        for d in Deputy.objects.filter(
            mandates__congress=plan.congress, mandates__status="serving", user__isnull=False
        )
        .select_related("user")
        .distinct()
    ]
    title = _("%(t)s已印发") % {"t": plan.title}
    body = _("请查看本年度培训安排和您的培训学时。")

    def send():
        for user in users:
            notification_send(
                recipient=user,
                kind="training.plan_published",
                title=title,
                body=body,
                url=url,
                key=f"training.plan_published.{plan.pk}",
            )

    transaction.on_commit(send)
    return len(users)


# ---------- sessions ----------


def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if starts_on is None:
        raise DomainError(_("请填写开始日期"), field="starts_on")
    if ends_on is None:
        raise DomainError(_("请填写结束日期"), field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends_on")
    if (ends_on - starts_on).days + 1 > MAX_SESSION_DAYS:
        raise DomainError(_("一期培训最长%(n)s天") % {"n": MAX_SESSION_DAYS}, field="ends_on")


def _check_plan_item(plan_item: PlanItem | None, congress) -> None:
    if plan_item is not None:
        # Read the plan afresh: the caller's copy may predate its approval.
        plan_item = PlanItem.objects.select_related("plan").get(pk=plan_item.pk)
    if plan_item is not None and plan_item.plan.congress_id != congress.pk:
        raise DomainError(_("所选计划事项不属于该人民代表大会的培训计划"), field="plan_item")
    if plan_item is not None and plan_item.plan.state == TrainingPlan.State.DRAFT:
        raise DomainError(_("所选计划事项所在的培训计划尚未审定"), field="plan_item")


def training_session_create(
    *,
    actor=None,
    congress,
    title: str,
    form: str,
    organizer: str,
    place: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    plan_item: PlanItem | None = None,
    description: str = "",
    day_hours: Decimal = DEFAULT_DAY_HOURS,
) -> TrainingSession:
    """A session and one TrainingDay per calendar day from `starts_on` to `ends_on` (inclusive), each
    worth `day_hours` (adjust a day's hours afterwards with `training_day_update`)."""
    _check_dates(starts_on, ends_on)
    _check_plan_item(plan_item, congress)
    session = TrainingSession(
        congress=congress,
        plan_item=plan_item,
        title=title.strip(),
        form=form,
        organizer=organizer.strip(),
        place=place.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
    )
    validate(session)
    with transaction.atomic():
        session.save()
        days = [
            TrainingDay(session=session, date=starts_on + datetime.timedelta(days=n), hours=day_hours)
            for n in range(session.day_count)
        ]
        for day in days:
            validate(day, exclude=["session"], validate_constraints=False)
        TrainingDay.objects.bulk_create(days)
        audit_record(
            action="training_session.create",
            actor=actor,
            obj=session,
            changes={"title": session.title, "starts_on": starts_on, "ends_on": ends_on, "form": form},
        )
    return session


def _open(session: TrainingSession) -> TrainingSession:
    """Lock the session row and refuse when it is closed."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.state != TrainingSession.State.OPEN:
        raise InvalidTransition(_("培训已结班，考勤和人员不能再修改"))
    return session


def training_day_update(*, actor=None, day: TrainingDay, hours: Decimal, agenda: str = "") -> TrainingDay:
    """Change a day's hours or agenda; no attendee may keep more hours than the day now holds."""
    with transaction.atomic():
        _open(day.session)
        day.hours, day.agenda = hours, agenda.strip()
        validate(day, exclude=["session"], validate_constraints=False)
        if day.attendance.filter(hours__gt=hours).exists():
            raise DomainError(
                _("已有人员当日学时超过%(h)s，请先调整考勤") % {"h": hours_text(hours)}, field="hours"
            )
        day.save(update_fields=["hours", "agenda"])
        audit_record(
            action="training_day.update",
            actor=actor,
            obj=day.session,
            changes={"date": day.date, "hours": str(hours)},
        )
    return day


def _attendees_in_jurisdiction(actor, session: TrainingSession, deputies, users) -> None:
    """Only the session's congress's serving deputies and the actor's own staff accounts are enrolled
    (issue 15 §1): anyone else is not found, as the form's pickers would not offer them."""
    from .selectors import attendee_deputies, attendee_staff

    deputy_ids = {d.pk for d in deputies}
    allowed = attendee_deputies(user=actor, session=session).filter(pk__in=deputy_ids)
    if deputy_ids - set(allowed.values_list("pk", flat=True)):
        raise DomainError(_("未找到所选代表：只能选择本届人大在任的本辖区代表"), field="deputies", status=404)
    user_ids = {u.pk for u in users}
    if user_ids - set(attendee_staff(user=actor).filter(pk__in=user_ids).values_list("pk", flat=True)):
        raise DomainError(_("未找到所选工作人员：只能选择本辖区的工作人员账号"), field="staff", status=404)


def attendees_add(*, actor=None, session: TrainingSession, deputies=(), users=()) -> int:
    """Enrol deputies and staff accounts; those already enrolled are skipped. Returns how many were added."""
    if actor is not None:
        _attendees_in_jurisdiction(actor, session, deputies, users)
    with transaction.atomic():
        session = _open(session)
        have_deputies = set(
            session.attendees.filter(deputy__isnull=False).values_list("deputy_id", flat=True)
        )
        have_users = set(session.attendees.filter(user__isnull=False).values_list("user_id", flat=True))
        rows = [
            Attendee(session=session, deputy=d, name=d.name, region_id=d.region_id)
            for d in deputies
            if d.pk not in have_deputies
        ]
        rows += [
            Attendee(session=session, user=u, name=u.display_name, region_id=u.region_id)
            for u in users
            if u.pk not in have_users
        ]
        if not rows and not deputies and not users:
            raise DomainError(_("请选择参训代表或工作人员"), field="deputies")
        Attendee.objects.bulk_create(rows)
        if rows:
            audit_record(
                action="training_session.attendees_add",
                actor=actor,
                obj=session,
                changes={"added": [r.name for r in rows]},
            )
    return len(rows)


def attendee_remove(*, actor=None, attendee: Attendee) -> None:
    with transaction.atomic():
        session = _open(attendee.session)
        audit_record(
            action="training_session.attendee_remove",
            actor=actor,
            obj=session,
            changes={"name": attendee.name},
        )
        attendee.delete()


def hours_text(value: Decimal) -> str:
    """6.0 → "6", 2.5 → "2.5" (never "1E+1")."""
    return format(value.normalize(), "f")


def _hours(value, *, field: str, day: TrainingDay) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("学时须为数字"), field=field) from exc
    if not hours.is_finite() or hours < 0:
        raise DomainError(_("学时须为数字"), field=field)
    if hours == 0:
        return None
    if hours > day.hours:
        raise DomainError(
            _("%(d)s的学时不能超过当日安排的%(h)s学时")
            % {"d": f"{day.date.month}月{day.date.day}日", "h": hours_text(day.hours)},
            field=field,
        )
    if hours != hours.quantize(Decimal("0.1")):
        raise DomainError(_("学时最多保留一位小数"), field=field)
    return hours


def attendance_record(*, actor=None, session: TrainingSession, marks: dict) -> dict:
    """Replace the session's attendance with `marks`: {(attendee_id, day_id): hours}. Blank or 0 means
    absent that day; hours are at most the day's hours. Every attendee and day must belong to the
    session. Returns {"present": n, "hours": total}. Field names in errors are `a<attendee>_d<day>`.
    """
    with transaction.atomic():
        session = _open(session)
        days = {d.pk: d for d in session.days.all()}
        attendees = {a.pk: a for a in session.attendees.all()}
        wanted: dict[tuple[int, int], Decimal] = {}
        for (attendee_id, day_id), value in marks.items():
            field = f"a{attendee_id}_d{day_id}"
            if attendee_id not in attendees or day_id not in days:
                raise DomainError(_("考勤中有不属于本期培训的人员或日期"), field=field)
            hours = _hours(value, field=field, day=days[day_id])
            if hours is not None:
                wanted[(attendee_id, day_id)] = hours
        existing = {(a.attendee_id, a.day_id): a for a in Attendance.objects.filter(day__session=session)}
        removed = [a.pk for key, a in existing.items() if key not in wanted]
        Attendance.objects.filter(pk__in=removed).delete()
        changed = []
        for key, hours in wanted.items():
            row = existing.get(key)
            if row is None:
                Attendance.objects.create(attendee_id=key[0], day_id=key[1], hours=hours)
            elif row.hours != hours:
                row.hours = hours
                changed.append(row)
        Attendance.objects.bulk_update(changed, ["hours"])
        total = sum(wanted.values(), Decimal("0"))
        audit_record(
            action="training_session.attendance",
            actor=actor,
            obj=session,
            changes={"present": len(wanted), "hours": str(total), "removed": len(removed)},
        )
    return {"present": len(wanted), "hours": total}


def training_session_close(*, actor=None, session: TrainingSession) -> TrainingSession:
    """Close a session after its last day and write each deputy attendee with hours one `training`
    duty record (quantity = total hours, unit 学时, dated the last day, source = the attendee row).
    Attendance is frozen from then on; written once, so closing cannot count anyone twice.
    """
    with transaction.atomic():
        session = _open(session)
        if session.ends_on > timezone.localdate():
            raise DomainError(_("培训尚未结束，不能结班"), field="ends_on")
        totals = _attendee_totals(session)
        if not totals:
            raise DomainError(_("还没有登记任何考勤，不能结班"), field="attendance")
        url = reverse("training:session_detail", args=[session.pk])
        written = []
        attendees = session.attendees.filter(deputy__isnull=False, pk__in=totals).select_related("deputy")
        for attendee in attendees:
            attendee.duty_record = duty_record_add(
                deputy=attendee.deputy,
                kind=DutyRecord.Kind.TRAINING,
                title=_("参加%(t)s") % {"t": session.title},
                occurred_on=session.ends_on,
                quantity=totals[attendee.pk],
                unit=_("学时"),
                source=attendee,
                source_url=url,
                actor=actor,
            )
            attendee.save(update_fields=["duty_record", "updated_at"])
            written.append(attendee.name)
        session.state = TrainingSession.State.CLOSED
        session.closed_at, session.closed_by = timezone.now(), _actor(actor)
        session.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
        audit_record(
            action="training_session.close",
            actor=actor,
            obj=session,
            changes={"state": ["open", "closed"], "duty_records": len(written)},
        )
    return session


def training_session_reopen(*, actor=None, session: TrainingSession, reason: str) -> TrainingSession:
    """Reopen a closed session to correct its attendance (更正考勤). Each deputy's `training` record
    is withdrawn (it stays on the spine, marked withdrawn with who and why, and no longer counts);
    closing the session again writes fresh records with the corrected hours."""
    from renda.duty_records.services import duty_record_withdraw

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写更正原因"), field="reason")
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.state != TrainingSession.State.CLOSED:
            raise InvalidTransition(_("培训尚未结班，可直接修改考勤"))
        withdrawn = 0
        for attendee in session.attendees.filter(duty_record__isnull=False).select_related("duty_record"):
            duty_record_withdraw(
                record=attendee.duty_record, actor=actor, reason=_("培训考勤更正：%(r)s") % {"r": reason}
            )
            attendee.duty_record = None
            attendee.save(update_fields=["duty_record", "updated_at"])
            withdrawn += 1
        session.state = TrainingSession.State.OPEN
        session.closed_at, session.closed_by = None, None
        session.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
        audit_record(
            action="training_session.reopen",
            actor=actor,
            obj=session,
            changes={"state": ["closed", "open"], "withdrawn": withdrawn},
            detail=reason,
        )
    return session


def _attendee_totals(session: TrainingSession) -> dict[int, Decimal]:
    from django.db.models import Sum

    rows = (
        Attendance.objects.filter(day__session=session)
        .values("attendee_id")
        .annotate(total=Sum("hours"))
        .filter(total__gt=0)
    )
    return {r["attendee_id"]: r["total"] for r in rows}
