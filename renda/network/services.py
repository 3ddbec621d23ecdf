"""Writes to the network: stations, keepers, stationed deputies, inventory, funds, demonstration
status and reception days. Every write is validated, atomic and audited."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.access import Role, has_permission
from renda.core.concurrency import merge_stale_edit
from renda.core.errors import DomainError, InvalidTransition
from renda.core.services import model_update
from renda.core.validators import validate_phone
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.regions.models import Region

from .models import (
    Demonstration,
    Facility,
    Funding,
    ReceptionDay,
    ReceptionDayEvent,
    ReceptionParticipant,
    Station,
    StationedDeputy,
    StationKeeper,
)
from .workflow import allowed_transitions

STATION_FIELDS = [
    "name",
    "kind",
    "region",
    "parent",
    "sector",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "contact_person",
    "contact_phone",
    "is_active",
]

# Which region level each kind of station sits at (kinds not listed may sit at any level).
KIND_LEVELS: dict[str, set[str]] = {
    Station.Kind.COUNTY_CENTER: {Region.Level.COUNTY},
    Station.Kind.TOWNSHIP_STATION: {Region.Level.TOWNSHIP},
    Station.Kind.VILLAGE_ROOM: {Region.Level.VILLAGE},
    Station.Kind.DEPUTIES_HOME: {Region.Level.TOWNSHIP, Region.Level.VILLAGE},
    Station.Kind.LEGISLATIVE_ROOM: {Region.Level.TOWNSHIP},
}


def _raise_validation(exc: ValidationError) -> None:
    raise DomainError.from_validation(exc) from exc


def _clean_station(data: dict, station: Station | None = None) -> dict:
    data = dict(data)
    for key in ("name", "sector", "address", "opening_hours", "contact_person", "contact_phone"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    if "name" in data and not data["name"]:
        raise DomainError(_("名称不能为空"), field="name")
    kind = data.get("kind", station.kind if station else "")
    region = data.get("region", station.region if station else None)
    sector = data.get("sector", station.sector if station else "")
    if kind == Station.Kind.INDUSTRY_STATION and not sector:
        raise DomainError(_("行业代表联络站须填写所属行业"), field="sector")
    levels = KIND_LEVELS.get(kind)
    if region is not None and levels and region.level not in levels:
        raise DomainError(
            _("%(kind)s应设在%(levels)s一级的区划")
            % {
                "kind": Station.Kind(kind).label,
                "levels": "、".join(str(Region.Level(level).label) for level in sorted(levels)),
            },
            field="region",
        )
    if data.get("contact_phone"):
        try:
            data["contact_phone"] = validate_phone(data["contact_phone"])
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="contact_phone") from exc
    parent = data.get("parent")
    if parent is not None and region is not None:
        # The parent is a station of the same county (issue 15 §1: counties side by side).
        county = "/".join([p for p in region.path.split("/") if p][:3]) + "/"
        if not parent.region.path.startswith(county):
            raise DomainError(
                _("上级站点%(p)s（%(r)s）不在本站点所在的县，不能作为上级")
                % {"p": parent.name, "r": parent.region.name},
                field="parent",
            )
    if parent is not None and station is not None and station.pk is not None:
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == station.pk:
                raise DomainError(_("上级站点不能是本站点或其下级站点"), field="parent")
            seen.add(node.pk)
            node = node.parent
    return data


def station_create(*, actor=None, name: str, kind: str, region: Region, **data) -> Station:
    data = _clean_station({"name": name, "kind": kind, "region": region, **data})
    with transaction.atomic():
        if Station.objects.filter(region=region, name=data["name"]).exists():
            raise DomainError(_("该区划内已有同名站点"), field="name")
        station = Station(**{k: v for k, v in data.items() if k in STATION_FIELDS})
        try:
            station.full_clean(validate_constraints=False)
        except ValidationError as exc:
            _raise_validation(exc)
        station.save()
        audit_record(
            action="station.create",
            actor=actor,
            obj=station,
            changes={k: v for k, v in data.items() if k in STATION_FIELDS and v not in ("", None)},
        )
    return station


def station_update(*, actor=None, station: Station, data: dict, stamp: str | None = None) -> Station:
    """`stamp` from the edit form: a stale save merges or is refused (renda.core.concurrency)."""
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        data = _clean_station(data, station)
        data = merge_stale_edit(instance=station, stamp=stamp, data=data, fields=STATION_FIELDS)
        changes = model_update(instance=station, data=data, fields=STATION_FIELDS)
        if not changes:
            return station
        if Station.objects.filter(region=station.region, name=station.name).exclude(pk=station.pk).exists():
            raise DomainError(_("该区划内已有同名站点"), field="name")
        try:
            station.full_clean(validate_constraints=False)
        except ValidationError as exc:
            _raise_validation(exc)
        station.save(update_fields=[*changes, "updated_at"])
        audit_record(action="station.update", actor=actor, obj=station, changes=changes)
    return station


def station_keeper_add(*, actor=None, station: Station, user) -> StationKeeper:
    if user.role != Role.STATION_KEEPER:
        raise DomainError(_("只能指定角色为“联络站管理员”的账号"), field="user")
    with transaction.atomic():
        keeper, created = StationKeeper.objects.get_or_create(station=station, user=user)
        if not created:
            raise DomainError(_("该账号已是本站点的管理员"), field="user")
        audit_record(action="station.keeper_add", actor=actor, obj=station, changes={"keeper": user.username})
    return keeper


def station_keeper_remove(*, actor=None, keeper: StationKeeper) -> None:
    with transaction.atomic():
        station, username = keeper.station, keeper.user.username
        keeper.delete()
        audit_record(action="station.keeper_remove", actor=actor, obj=station, changes={"keeper": username})


def stationed_deputy_add(
    *, actor=None, station: Station, deputy, term: str, note: str = ""
) -> StationedDeputy:
    term = term.strip()
    if not term:
        raise DomainError(_("请填写届次"), field="term")
    with transaction.atomic():
        if StationedDeputy.objects.filter(station=station, deputy=deputy, term=term).exists():
            raise DomainError(_("该代表本届已在此站点进站"), field="deputy")
        row = StationedDeputy.objects.create(station=station, deputy=deputy, term=term, note=note.strip())
        audit_record(
            action="station.deputy_add",
            actor=actor,
            obj=station,
            changes={"deputy": str(deputy), "term": term},
        )
    return row


def stationed_deputies_add(*, actor=None, station: Station, deputies, term: str) -> int:
    """Station several deputies at once (a term's roster); those already there are skipped.

    One audit entry lists them all. Returns how many were added.
    """
    term = term.strip()
    if not term:
        raise DomainError(_("请填写届次"), field="term")
    with transaction.atomic():
        present = set(
            StationedDeputy.objects.filter(station=station, term=term).values_list("deputy_id", flat=True)
        )
        new = [d for d in dict.fromkeys(deputies) if d.pk not in present]
        if not new:
            return 0
        StationedDeputy.objects.bulk_create(
            [StationedDeputy(station=station, deputy=d, term=term) for d in new]
        )
        audit_record(
            action="station.deputy_add",
            actor=actor,
            obj=station,
            changes={"deputies": [str(d) for d in new], "term": term},
        )
    return len(new)


def stationed_deputy_remove(*, actor=None, stationed: StationedDeputy) -> None:
    with transaction.atomic():
        station, deputy, term = stationed.station, str(stationed.deputy), stationed.term
        stationed.delete()
        audit_record(
            action="station.deputy_remove", actor=actor, obj=station, changes={"deputy": deputy, "term": term}
        )


def facility_add(
    *, actor=None, station: Station, kind: str, name: str, quantity: int = 1, note: str = ""
) -> Facility:
    name = name.strip()
    if not name:
        raise DomainError(_("请填写名称"), field="name")
    if quantity is None or quantity < 1:
        raise DomainError(_("数量至少为1"), field="quantity")
    with transaction.atomic():
        facility = Facility(station=station, kind=kind, name=name, quantity=quantity, note=note.strip())
        try:
            facility.full_clean()
        except ValidationError as exc:
            _raise_validation(exc)
        facility.save()
        audit_record(
            action="station.facility_add",
            actor=actor,
            obj=station,
            changes={"kind": kind, "name": name, "quantity": quantity},
        )
    return facility


def facility_remove(*, actor=None, facility: Facility) -> None:
    with transaction.atomic():
        station, name = facility.station, facility.name
        facility.delete()
        audit_record(action="station.facility_remove", actor=actor, obj=station, changes={"name": name})


def funding_add(
    *, actor=None, station: Station, year: int, amount: Decimal, source: str, purpose: str
) -> Funding:
    amount = Decimal(str(amount))
    if amount <= 0:
        raise DomainError(_("金额须大于零"), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("金额最多保留两位小数（分）"), field="amount")
    if not 2000 <= year <= 2100:
        raise DomainError(_("年度应在2000至2100之间"), field="year")
    with transaction.atomic():
        funding = Funding(
            station=station, year=year, amount=amount, source=source.strip(), purpose=purpose.strip()
        )
        try:
            funding.full_clean()
        except ValidationError as exc:
            _raise_validation(exc)
        funding.save()
        audit_record(
            action="station.funding_add",
            actor=actor,
            obj=station,
            changes={
                "year": year,
                "amount": str(amount),
                "source": funding.source,
                "purpose": funding.purpose,
            },
        )
    return funding


def funding_remove(*, actor=None, funding: Funding) -> None:
    with transaction.atomic():
        station = funding.station
        changes = {"year": funding.year, "amount": str(funding.amount), "source": funding.source}
        funding.delete()
        audit_record(action="station.funding_remove", actor=actor, obj=station, changes=changes)


def demonstration_set(
    *, actor=None, station: Station, level: str, year: int, status: str, note: str = ""
) -> Demonstration:
    """Record or change a station's demonstration status at one level (示范点创建/命名)."""
    if not 2000 <= year <= 2100:
        raise DomainError(_("年度应在2000至2100之间"), field="year")
    with transaction.atomic():
        demo = Demonstration.objects.select_for_update().filter(station=station, level=level).first()
        if demo is None:
            demo = Demonstration(station=station, level=level, year=year, status=status, note=note.strip())
            try:
                demo.full_clean()
            except ValidationError as exc:
                _raise_validation(exc)
            demo.save()
            changes = {"level": level, "year": year, "status": status}
        else:
            changes = model_update(
                instance=demo,
                data={"year": year, "status": status, "note": note.strip()},
                fields=["year", "status", "note"],
            )
            if not changes:
                return demo
            demo.full_clean()
            demo.save(update_fields=[*changes, "updated_at"])
            changes = {"level": level, **changes}
        audit_record(action="station.demonstration_set", actor=actor, obj=station, changes=changes)
    return demo


def demonstration_remove(*, actor=None, demonstration: Demonstration) -> None:
    with transaction.atomic():
        station = demonstration.station
        changes = {"level": demonstration.level, "year": demonstration.year}
        demonstration.delete()
        audit_record(action="station.demonstration_remove", actor=actor, obj=station, changes=changes)


# ---------- reception days (接待日) ----------


def _event(reception_day: ReceptionDay, *, actor, from_state: str, to_state: str, note: str = "") -> None:
    ReceptionDayEvent.objects.create(
        reception_day=reception_day,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state,
        to_state=to_state,
        note=note[:200],
        occurred_at=timezone.now(),
    )


def _check_times(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise DomainError(_("结束时间须晚于开始时间"), field="ends_at")


def _check_held_on(held_on: datetime.date, *, backfill: bool) -> None:
    """A reception day is planned from today up to RENDA_RECEPTION_AHEAD_DAYS ahead. A day already
    past is a record of one held (补录, from a paper notebook): only when the clerk says so, and not
    before 1 January of RENDA_RECEPTION_BACKFILL_YEARS years ago (a typed 2020 is a slip)."""
    from django.conf import settings

    today = timezone.localdate()
    latest = today + datetime.timedelta(days=settings.RENDA_RECEPTION_AHEAD_DAYS)
    if held_on > latest:
        raise DomainError(
            _("接待日期不能晚于%(d)s：接待日最多提前一年安排，请检查年份") % {"d": _chinese_date(latest)},
            field="held_on",
        )
    if held_on >= today:
        return
    earliest = datetime.date(today.year - settings.RENDA_RECEPTION_BACKFILL_YEARS, 1, 1)
    if held_on < earliest:
        raise DomainError(
            _("接待日期%(d)s太早：只能补录%(e)s以后举行的接待日，请检查年份")
            % {"d": _chinese_date(held_on), "e": _chinese_date(earliest)},
            field="held_on",
        )
    if not backfill:
        raise DomainError(
            _("接待日期%(d)s已经过去，不能再安排。如果是补录已举行的接待日，请勾选“补录已举行的接待日”")
            % {"d": _chinese_date(held_on)},
            field="held_on",
        )


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_deputies(deputies) -> list:
    deputies = list(dict.fromkeys(deputies))  # keep order, drop repeats
    if not deputies:
        raise DomainError(_("请至少安排一名值班代表"), field="deputies")
    return deputies


def reception_day_schedule(
    *,
    actor=None,
    station: Station,
    held_on: datetime.date,
    deputies,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
    theme: str = "",
    backfill: bool = False,
) -> ReceptionDay:
    """Put a reception day on a station's calendar with the deputies on duty (`backfill`: enter one
    already held, to record it next)."""
    deputies = _check_deputies(deputies)
    _check_held_on(held_on, backfill=backfill)
    _check_times(starts_at, ends_at)
    if not station.is_active:
        raise DomainError(_("该站点已停用，不能安排接待日"), field="station")
    try:
        with transaction.atomic():
            day = ReceptionDay.objects.create(
                station=station, held_on=held_on, starts_at=starts_at, ends_at=ends_at, theme=theme.strip()
            )
            ReceptionParticipant.objects.bulk_create(
                [ReceptionParticipant(reception_day=day, deputy=d) for d in deputies]
            )
            _event(day, actor=actor, from_state="", to_state=day.state)
            audit_record(
                action="reception_day.schedule",
                actor=actor,
                obj=day,
                changes={
                    "station": str(station),
                    "held_on": held_on,
                    "deputies": [str(d) for d in deputies],
                    "theme": day.theme,
                },
            )
    except IntegrityError as exc:
        raise DomainError(_("该站点当天已安排接待日"), field="held_on") from exc
    return day


def reception_day_update(
    *,
    actor=None,
    reception_day: ReceptionDay,
    held_on: datetime.date,
    deputies,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
    theme: str = "",
    backfill: bool = False,
) -> ReceptionDay:
    """Change a scheduled day: date, time, theme and who is on duty. A new date follows the rules of
    scheduling (a day that has passed keeps its date without 补录)."""
    deputies = _check_deputies(deputies)
    if held_on != reception_day.held_on:
        _check_held_on(held_on, backfill=backfill)
    _check_times(starts_at, ends_at)
    try:
        with transaction.atomic():
            day = ReceptionDay.objects.select_for_update().get(pk=reception_day.pk)
            if day.state != ReceptionDay.State.SCHEDULED:
                raise InvalidTransition(_("只有尚未接待的接待日可以修改安排"))
            changes = model_update(
                instance=day,
                data={"held_on": held_on, "starts_at": starts_at, "ends_at": ends_at, "theme": theme.strip()},
                fields=["held_on", "starts_at", "ends_at", "theme"],
            )
            if changes:
                day.save(update_fields=[*changes, "updated_at"])
            wanted = {d.pk for d in deputies}
            existing = set(day.participants.values_list("deputy_id", flat=True))
            if wanted != existing:
                day.participants.exclude(deputy_id__in=wanted).delete()
                ReceptionParticipant.objects.bulk_create(
                    [
                        ReceptionParticipant(reception_day=day, deputy=d)
                        for d in deputies
                        if d.pk not in existing
                    ]
                )
                changes["deputies"] = [str(d) for d in deputies]
            if not changes:
                return day
            _event(day, actor=actor, from_state=day.state, to_state=day.state, note="修改安排")
            audit_record(action="reception_day.update", actor=actor, obj=day, changes=changes)
    except IntegrityError as exc:
        raise DomainError(_("该站点当天已安排接待日"), field="held_on") from exc
    return day


def _transition(day: ReceptionDay, *, actor, to_state: str, note: str = "") -> str:
    """Check the state table and the actor's permission; write the event. The caller saves."""
    allowed = allowed_transitions(day.state)
    if to_state not in allowed:
        raise InvalidTransition(
            _("接待日当前状态为“%(s)s”，不能执行此操作") % {"s": ReceptionDay.State(day.state).label}
        )
    if actor is not None and not has_permission(actor, allowed[to_state]):
        raise InvalidTransition(_("您没有执行此操作的权限"))
    from_state = day.state
    day.state = to_state
    _event(day, actor=actor, from_state=from_state, to_state=to_state, note=note)
    return from_state


def reception_day_record(
    *,
    actor=None,
    reception_day: ReceptionDay,
    constituents_received: int,
    topics: str,
    summary: str = "",
    attended,
    extra_deputies=(),
) -> ReceptionDay:
    """Record what happened at a reception day (or amend the record), and give each deputy who took
    part one duty record. `attended` lists the deputies who came; `extra_deputies` are deputies who
    came without being on the schedule. A deputy's record is written once, however often the day is
    amended; a deputy whose record exists cannot be struck off here.
    """
    if constituents_received is None or constituents_received < 0:
        raise DomainError(_("请填写接待群众人数"), field="constituents_received")
    topics = topics.strip()
    if not topics:
        raise DomainError(_("请填写群众反映的主要问题"), field="topics")
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().select_related("station").get(pk=reception_day.pk)
        if day.held_on > timezone.localdate():
            raise DomainError(_("接待日尚未到来，不能登记接待情况"), field="held_on")
        amending = day.state == ReceptionDay.State.HELD
        if not amending:
            _transition(day, actor=actor, to_state=ReceptionDay.State.HELD)
        participants = {p.deputy_id: p for p in day.participants.select_related("deputy")}
        for deputy in extra_deputies:
            if deputy.pk not in participants:
                participants[deputy.pk] = ReceptionParticipant.objects.create(
                    reception_day=day, deputy=deputy
                )
        came = {d.pk for d in attended} | {d.pk for d in extra_deputies}
        unknown = came - set(participants)
        if unknown:
            raise DomainError(_("实际参加的代表须在值班名单中"), field="attended")
        if not came:
            raise DomainError(_("请选择实际参加接待的代表"), field="attended")
        for participant in participants.values():
            was = participant.attended
            participant.attended = participant.deputy_id in came
            if was and not participant.attended and participant.duty_record_id:
                raise DomainError(
                    _("%(name)s的履职记录已生成，不能从参加名单中删除") % {"name": participant.deputy.name},
                    field="attended",
                )
            if participant.attended and participant.duty_record_id is None:
                participant.duty_record = duty_record_add(
                    deputy=participant.deputy,
                    kind=DutyRecord.Kind.RECEPTION,
                    title=_("%(station)s接待日接待选民") % {"station": day.station.name},
                    occurred_on=day.held_on,
                    source=participant,
                    source_url=reverse("network:reception_detail", args=[day.pk]),
                    actor=actor,
                )
            if participant.attended != was or participant.duty_record_id:
                participant.save(update_fields=["attended", "duty_record"])
        old = {
            "constituents_received": day.constituents_received,
            "topics": day.topics,
            "summary": day.summary,
        }
        day.constituents_received = constituents_received
        day.topics = topics
        day.summary = summary.strip()
        day.recorded_at = timezone.now()
        day.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
        day.save(
            update_fields=[
                "state",
                "constituents_received",
                "topics",
                "summary",
                "recorded_at",
                "recorded_by",
                "updated_at",
            ]
        )
        if amending:
            _event(day, actor=actor, from_state=day.state, to_state=day.state, note="更正接待情况")
        audit_record(
            action="reception_day.amend" if amending else "reception_day.record",
            actor=actor,
            obj=day,
            changes={
                "constituents_received": [old["constituents_received"], constituents_received],
                "attended": sorted(p.deputy.name for p in participants.values() if p.attended),
            },
        )
    return day


def reception_day_cancel(*, actor=None, reception_day: ReceptionDay, note: str) -> ReceptionDay:
    note = note.strip()
    if not note:
        raise DomainError(_("请填写取消原因"), field="note")
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().get(pk=reception_day.pk)
        from_state = _transition(day, actor=actor, to_state=ReceptionDay.State.CANCELLED, note=note)
        day.save(update_fields=["state", "updated_at"])
        audit_record(
            action="reception_day.cancel",
            actor=actor,
            obj=day,
            changes={"state": [from_state, day.state]},
            detail=note,
        )
    return day
