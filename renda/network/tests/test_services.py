"""Network writes: validation with the field named, the reception-day state table, duty records once."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError, InvalidTransition
from renda.duty_records.models import DutyRecord
from renda.network import services
from renda.network.models import (
    Demonstration,
    Funding,
    ReceptionDay,
    ReceptionParticipant,
    Station,
    StationKeeper,
)
from renda.network.workflow import RECEPTION_TRANSITIONS

TODAY = datetime.date(2024, 8, 20)


@pytest.mark.parametrize(
    "kind, region, extra, field",
    [
        (Station.Kind.TOWNSHIP_STATION, "village", {}, "region"),
        (Station.Kind.VILLAGE_ROOM, "huangnitang", {}, "region"),
        (Station.Kind.COUNTY_CENTER, "huangnitang", {}, "region"),
        (Station.Kind.INDUSTRY_STATION, "county", {}, "sector"),
        (Station.Kind.DEPUTIES_HOME, "village", {"contact_phone": "12345"}, "contact_phone"),
        (Station.Kind.TOWNSHIP_STATION, "huangnitang", {"name": "  "}, "name"),
    ],
)
def test_bad_station_input_is_refused_with_the_field_named(regions, kind, region, extra, field):
    data = {"name": "测试站", "kind": kind, "region": regions[region], **extra}
    with pytest.raises(DomainError) as info:
        services.station_create(**data)
    assert info.value.field == field
    assert not Station.objects.exists()
    assert not AuditEntry.objects.filter(action="station.create").exists()


def test_station_create_is_audited_and_gets_a_public_code(regions):
    station = services.station_create(
        name="医疗卫生行业代表联络站",
        kind=Station.Kind.INDUSTRY_STATION,
        region=regions["county"],
        sector="医疗卫生",
    )
    assert len(station.public_code) == 8 and station.public_code.isalnum()
    assert station.opinion_path == f"/o/{station.public_code}/"
    other = services.station_create(
        name="另一站", kind=Station.Kind.LEGISLATIVE_STATION, region=regions["jiuyi"]
    )
    assert other.public_code != station.public_code
    assert AuditEntry.objects.filter(action="station.create", object_id=str(station.pk)).count() == 1


def test_same_name_twice_in_a_region_and_a_parent_cycle_are_refused(stations):
    with pytest.raises(DomainError) as info:
        services.station_create(
            name="黄泥塘镇人大代表联络站",
            kind=Station.Kind.TOWNSHIP_STATION,
            region=stations["huangnitang"].region,
        )
    assert info.value.field == "name"
    with pytest.raises(DomainError) as info:
        services.station_update(station=stations["center"], data={"parent": stations["village"]})
    assert info.value.field == "parent"


def test_a_parent_station_of_another_county_is_refused(stations, regions):
    """Issue 15 §1: counties side by side; a station hangs under its own county's stations only."""
    other_center = services.station_create(
        name="七星关区人大代表联络服务中心", kind=Station.Kind.COUNTY_CENTER, region=regions["other_county"]
    )
    with pytest.raises(DomainError) as info:
        services.station_update(station=stations["huangnitang"], data={"parent": other_center})
    assert info.value.field == "parent" and "七星关区" in info.value.message
    stations["huangnitang"].refresh_from_db()
    assert stations["huangnitang"].parent == stations["center"]


def test_station_update_records_only_real_changes(stations, users):
    station = stations["jiuyi"]
    services.station_update(actor=users["county_staff"], station=station, data={"address": "九驿街道办事处"})
    services.station_update(actor=users["county_staff"], station=station, data={"address": "九驿街道办事处"})
    entries = AuditEntry.objects.filter(action="station.update", object_id=str(station.pk))
    assert entries.count() == 1
    assert entries.get().changes == {"address": ["", "九驿街道办事处"]}


def test_funds_are_decimal_yuan_and_positive(stations):
    station = stations["huangnitang"]
    funding = services.funding_add(
        station=station, year=2024, amount=Decimal("20000.50"), source="乡镇财政", purpose="阵地维护"
    )
    funding.refresh_from_db()
    assert funding.amount == Decimal("20000.50")
    for amount, field in ((Decimal("0"), "amount"), (Decimal("-5"), "amount"), (Decimal("1.005"), "amount")):
        with pytest.raises(DomainError) as info:
            services.funding_add(station=station, year=2024, amount=amount, source="x", purpose="y")
        assert info.value.field == field
    with pytest.raises(DomainError) as info:
        services.funding_add(station=station, year=1999, amount=Decimal(1), source="x", purpose="y")
    assert info.value.field == "year"
    assert Funding.objects.count() == 1


def test_demonstration_status_moves_from_building_to_named(stations):
    station = stations["huangnitang"]
    services.demonstration_set(station=station, level="city", year=2024, status="building")
    services.demonstration_set(station=station, level="city", year=2025, status="named")
    demo = Demonstration.objects.get(station=station)
    assert (demo.level, demo.year, demo.status) == ("city", 2025, "named")
    assert str(demo) == "2025年市级示范点（已命名）"


def test_only_station_keeper_accounts_can_keep_a_station(stations, users):
    with pytest.raises(DomainError) as info:
        services.station_keeper_add(station=stations["jiuyi"], user=users["township_staff"])
    assert info.value.field == "user"
    with pytest.raises(DomainError):
        services.station_keeper_add(station=stations["huangnitang"], user=users["station_keeper"])
    assert StationKeeper.objects.count() == 1


def test_stationed_deputy_once_per_term(stations, deputies):
    station = stations["huangnitang"]
    services.stationed_deputy_add(station=station, deputy=deputies["wang"], term="第十八届")
    with pytest.raises(DomainError) as info:
        services.stationed_deputy_add(station=station, deputy=deputies["wang"], term="第十八届")
    assert info.value.field == "deputy"
    services.stationed_deputy_add(station=station, deputy=deputies["wang"], term="第十九届")
    assert station.stationed_deputies.count() == 2


# ---------- reception days ----------


@pytest.fixture
def day(stations, deputies, users):
    with time_machine.travel(datetime.datetime(2024, 8, 1, 9), tick=False):
        return services.reception_day_schedule(
            actor=users["station_keeper"],
            station=stations["huangnitang"],
            held_on=datetime.date(2024, 8, 15),
            deputies=[deputies["wang"], deputies["li"]],
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
            theme="接待选民",
        )


def test_schedule_writes_participants_event_and_audit(day, deputies):
    assert day.state == ReceptionDay.State.SCHEDULED
    assert set(day.participants.values_list("deputy__name", flat=True)) == {"王芳", "李明"}
    assert list(day.events.values_list("from_state", "to_state")) == [("", "scheduled")]
    assert AuditEntry.objects.filter(action="reception_day.schedule", object_id=str(day.pk)).exists()


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_schedule_refuses_bad_input_and_writes_nothing(stations, deputies):
    station = stations["huangnitang"]
    cases = [
        ({"deputies": []}, "deputies"),
        ({"starts_at": datetime.time(12), "ends_at": datetime.time(9)}, "ends_at"),
    ]
    for extra, field in cases:
        data = {"station": station, "held_on": TODAY, "deputies": [deputies["wang"]], **extra}
        with pytest.raises(DomainError) as info:
            services.reception_day_schedule(**data)
        assert info.value.field == field
    services.reception_day_schedule(station=station, held_on=TODAY, deputies=[deputies["wang"]])
    with pytest.raises(DomainError) as info:
        services.reception_day_schedule(station=station, held_on=TODAY, deputies=[deputies["wang"]])
    assert info.value.field == "held_on"
    assert ReceptionDay.objects.count() == 1 and ReceptionParticipant.objects.count() == 1


def _record(day, actor, attended, **extra):
    data = {"constituents_received": 12, "topics": "道路维修；饮水安全", "summary": "现场答复2件", **extra}
    return services.reception_day_record(actor=actor, reception_day=day, attended=attended, **data)


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_each_deputy_who_took_part_gets_exactly_one_duty_record(day, deputies, users):
    keeper = users["station_keeper"]
    _record(day, keeper, [deputies["wang"]])
    records = DutyRecord.objects.filter(kind=DutyRecord.Kind.RECEPTION)
    assert [(r.deputy.name, r.occurred_on, r.source_type) for r in records] == [
        ("王芳", datetime.date(2024, 8, 15), "network.receptionparticipant")
    ]
    wang = day.participants.get(deputy=deputies["wang"])
    assert records.get().source_id == str(wang.pk) and wang.duty_record_id == records.get().pk
    day.refresh_from_db()
    assert day.state == ReceptionDay.State.HELD and day.constituents_received == 12

    # Amending the record twice (李明 was there after all) adds his record once, none for 王芳 again.
    _record(day, keeper, [deputies["wang"], deputies["li"]], constituents_received=15)
    _record(day, keeper, [deputies["wang"], deputies["li"]], constituents_received=15)
    assert sorted(records.values_list("deputy__name", flat=True)) == ["李明", "王芳"]
    assert list(day.events.values_list("to_state", "note")) == [
        ("scheduled", ""),
        ("held", ""),
        ("held", "更正接待情况"),
        ("held", "更正接待情况"),
    ]
    assert AuditEntry.objects.filter(action="reception_day.record").count() == 1
    assert AuditEntry.objects.filter(action="reception_day.amend").count() == 2


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_a_recorded_deputy_cannot_be_struck_off_and_nothing_is_half_written(day, deputies, users):
    _record(day, users["station_keeper"], [deputies["wang"], deputies["li"]])
    with pytest.raises(DomainError) as info:
        _record(day, users["station_keeper"], [deputies["wang"]], constituents_received=99)
    assert info.value.field == "attended"
    day.refresh_from_db()
    assert day.constituents_received == 12
    assert day.participants.filter(attended=True).count() == 2


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_extra_deputy_who_came_unscheduled_is_added_and_recorded(stations, deputies, regions):
    from renda.deputies.services import deputy_create

    zhao = deputy_create(name="赵强", gender="male", region=regions["huangnitang"])
    day = services.reception_day_schedule(
        station=stations["huangnitang"],
        held_on=datetime.date(2024, 8, 15),
        deputies=[deputies["wang"]],
        backfill=True,
    )
    _record(day, None, [deputies["wang"]], extra_deputies=[zhao])
    assert set(DutyRecord.objects.values_list("deputy__name", flat=True)) == {"王芳", "赵强"}


@time_machine.travel(datetime.datetime(2024, 8, 10, 10), tick=False)
def test_a_day_still_ahead_cannot_be_recorded(day, deputies, users):
    with pytest.raises(DomainError) as info:
        _record(day, users["station_keeper"], [deputies["wang"]])
    assert info.value.field == "held_on"
    day.refresh_from_db()
    assert day.state == ReceptionDay.State.SCHEDULED and not DutyRecord.objects.exists()


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_record_refuses_missing_topics_and_deputies_not_on_duty(day, deputies, users, regions):
    from renda.deputies.services import deputy_create

    stranger = deputy_create(name="陌生", gender="male", region=regions["huangnitang"])
    for attended, extra, field in (
        ([deputies["wang"]], {"topics": "  "}, "topics"),
        ([stranger], {}, "attended"),
        ([], {}, "attended"),
    ):
        with pytest.raises(DomainError) as info:
            _record(day, users["station_keeper"], attended, **extra)
        assert info.value.field == field
    day.refresh_from_db()
    assert day.state == ReceptionDay.State.SCHEDULED and not DutyRecord.objects.exists()


def test_state_table():
    assert RECEPTION_TRANSITIONS == {
        "scheduled": {"held": "network.reception", "cancelled": "network.reception"},
        "held": {},
        "cancelled": {},
    }


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
@pytest.mark.parametrize(
    "username, allowed", [("station_keeper", True), ("leader", False), ("deputy", False)]
)
def test_transitions_check_the_actors_permission(day, deputies, users, username, allowed):
    if allowed:
        services.reception_day_cancel(actor=users[username], reception_day=day, note="暴雨")
        day.refresh_from_db()
        assert day.state == "cancelled"
        assert list(day.events.values_list("from_state", "to_state", "note"))[-1] == (
            "scheduled",
            "cancelled",
            "暴雨",
        )
    else:
        with pytest.raises(InvalidTransition):
            services.reception_day_cancel(actor=users[username], reception_day=day, note="暴雨")
        day.refresh_from_db()
        assert day.state == "scheduled"


@time_machine.travel(datetime.datetime(2024, 8, 20, 10), tick=False)
def test_no_step_out_of_a_held_or_cancelled_day(day, deputies, users, stations):
    keeper = users["station_keeper"]
    _record(day, keeper, [deputies["wang"]])
    with pytest.raises(InvalidTransition):
        services.reception_day_cancel(actor=keeper, reception_day=day, note="误操作")
    with pytest.raises(InvalidTransition):
        services.reception_day_update(
            actor=keeper, reception_day=day, held_on=TODAY, deputies=[deputies["wang"]]
        )
    other = services.reception_day_schedule(
        station=stations["huangnitang"],
        held_on=datetime.date(2024, 8, 16),
        deputies=[deputies["wang"]],
        backfill=True,
    )
    services.reception_day_cancel(actor=keeper, reception_day=other, note="暴雨")
    with pytest.raises(InvalidTransition):
        _record(other, keeper, [deputies["wang"]])
    assert DutyRecord.objects.count() == 1


@time_machine.travel(datetime.datetime(2024, 8, 10, 10), tick=False)
def test_update_of_a_scheduled_day_replaces_the_roster(day, deputies, users):
    services.reception_day_update(
        actor=users["station_keeper"],
        reception_day=day,
        held_on=datetime.date(2024, 8, 16),
        deputies=[deputies["li"]],
        theme="新主题",
    )
    day.refresh_from_db()
    assert day.held_on == datetime.date(2024, 8, 16) and day.theme == "新主题"
    assert list(day.participants.values_list("deputy__name", flat=True)) == ["李明"]


def test_a_roster_is_stationed_at_once_and_repeats_are_skipped(stations, deputies, regions):
    from renda.deputies.services import deputy_create

    zhao = deputy_create(name="赵强", gender="male", region=regions["huangnitang"])
    station = stations["huangnitang"]
    assert (
        services.stationed_deputies_add(station=station, deputies=[deputies["wang"], zhao], term="第十八届")
        == 2
    )
    assert (
        services.stationed_deputies_add(station=station, deputies=[deputies["wang"], zhao], term="第十八届")
        == 0
    )
    assert sorted(station.stationed_deputies.values_list("deputy__name", flat=True)) == ["王芳", "赵强"]
    entry = AuditEntry.objects.get(action="station.deputy_add")
    assert entry.changes == {"deputies": ["王芳", "赵强"], "term": "第十八届"}


# A county clerk plans reception days from today on; a day already held is entered only as 补录 (the
# paper notebook of the past months), and a year typed wrong (2020, 2062) is refused, not stored.
@pytest.mark.parametrize(
    "held_on, backfill, refused",
    [
        (datetime.date(2026, 6, 1), False, "已经过去"),
        (datetime.date(2026, 6, 1), True, None),
        (datetime.date(2025, 1, 1), True, None),
        (datetime.date(2024, 12, 31), True, "太早"),
        (datetime.date(2020, 6, 1), False, "太早"),
        (datetime.date(2020, 6, 1), True, "太早"),
        (datetime.date(2026, 11, 29), False, None),
        (datetime.date(2027, 11, 30), False, None),
        (datetime.date(2027, 12, 1), False, "最多提前一年"),
        (datetime.date(2062, 6, 1), True, "最多提前一年"),
    ],
)
def test_schedule_refuses_past_days_unless_backfilled_and_absurd_years(
    stations, deputies, held_on, backfill, refused
):
    station = stations["huangnitang"]
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10), tick=False):
        if refused is None:
            services.reception_day_schedule(
                station=station, held_on=held_on, deputies=[deputies["wang"]], backfill=backfill
            )
            assert ReceptionDay.objects.filter(held_on=held_on).count() == 1
            return
        with pytest.raises(DomainError) as info:
            services.reception_day_schedule(
                station=station, held_on=held_on, deputies=[deputies["wang"]], backfill=backfill
            )
    assert info.value.field == "held_on" and refused in info.value.message
    assert str(held_on.year) in info.value.message or "最多提前一年" in info.value.message
    assert not ReceptionDay.objects.exists()


def test_a_changed_date_follows_the_scheduling_rules_an_unchanged_past_one_stays(stations, deputies):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10), tick=False):
        day = services.reception_day_schedule(
            station=stations["huangnitang"], held_on=datetime.date(2026, 11, 20), deputies=[deputies["wang"]]
        )
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10), tick=False):
        # The day has passed unrecorded: its theme can still be corrected without 补录.
        services.reception_day_update(
            reception_day=day, held_on=day.held_on, deputies=[deputies["wang"]], theme="接待选民"
        )
        with pytest.raises(DomainError) as info:
            services.reception_day_update(
                reception_day=day, held_on=datetime.date(2020, 11, 20), deputies=[deputies["wang"]]
            )
        assert info.value.field == "held_on"
        with pytest.raises(DomainError):
            services.reception_day_update(
                reception_day=day, held_on=datetime.date(2026, 11, 10), deputies=[deputies["wang"]]
            )
        services.reception_day_update(
            reception_day=day, held_on=datetime.date(2026, 11, 10), deputies=[deputies["wang"]], backfill=True
        )
    day.refresh_from_db()
    assert (day.held_on, day.theme) == (datetime.date(2026, 11, 10), "")


@given(
    held_on=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)),
    backfill=st.booleans(),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_date_is_scheduled_only_inside_the_window(stations, deputies, held_on, backfill):
    """Whatever date is typed: kept from today to a year ahead, or back to 1 January of last year
    as 补录; refused on 接待日期 otherwise, and nothing written."""
    today = datetime.date(2026, 11, 29)
    ahead = today <= held_on <= today + datetime.timedelta(days=366)
    back = backfill and datetime.date(2025, 1, 1) <= held_on < today
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10), tick=False):
        try:
            with transaction.atomic():
                day = services.reception_day_schedule(
                    station=stations["huangnitang"], held_on=held_on, deputies=[deputies["wang"]],
                    backfill=backfill,
                )  # fmt: skip
                transaction.set_rollback(True)
        except DomainError as refused:
            assert refused.field == "held_on" and not (ahead or back), held_on
        else:
            assert (ahead or back) and day.held_on == held_on, held_on
