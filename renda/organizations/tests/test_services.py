"""Organisation writes: appointment validation, derived members, versioned duties, the tree."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError
from renda.organizations import services
from renda.organizations.models import Appointment, OrganizationDuty
from renda.organizations.selectors import organization_chart, organization_members


def test_an_appointment_ending_before_it_starts_is_refused(bodies):
    with pytest.raises(DomainError) as info:
        services.appointment_create(
            organization=bodies["street"],
            person_name="张三",
            post="member",
            started_on=datetime.date(2024, 5, 1),
            ended_on=datetime.date(2024, 4, 30),
        )
    assert info.value.field == "ended_on" and "不能早于" in info.value.message
    assert not Appointment.objects.exists()
    assert not AuditEntry.objects.filter(action="appointment.create").exists()


def test_the_database_refuses_it_too(bodies):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            organization=bodies["street"],
            person_name="张三",
            post="member",
            started_on=datetime.date(2024, 5, 1),
            ended_on=datetime.date(2024, 4, 30),
        )


def test_a_one_day_appointment_is_fine(bodies):
    day = datetime.date(2024, 5, 1)
    services.appointment_create(
        organization=bodies["street"], person_name="张三", post="member", started_on=day, ended_on=day
    )


def test_ending_and_correcting_keep_the_same_rule(street_members):
    member = street_members["member"]
    with pytest.raises(DomainError) as info:
        services.appointment_end(appointment=member, ended_on=datetime.date(2020, 1, 1))
    assert info.value.field == "ended_on"
    with pytest.raises(DomainError) as info:
        services.appointment_update(
            appointment=member,
            data={"started_on": datetime.date(2030, 1, 1), "ended_on": datetime.date(2029, 1, 1)},
        )
    assert info.value.field == "ended_on"
    with pytest.raises(DomainError) as info:
        services.appointment_end(
            appointment=street_members["old_director"], ended_on=datetime.date(2024, 1, 1)
        )
    assert "已于" in info.value.message
    member.refresh_from_db()
    assert member.ended_on is None and member.started_on == datetime.date(2022, 2, 25)


@pytest.mark.parametrize("field, value", [("person_name", " 　"), ("post", "secretary")])
def test_bad_appointment_input_names_the_field(bodies, field, value):
    data = {"person_name": "张三", "post": "member", "started_on": datetime.date(2024, 1, 1), field: value}
    with pytest.raises(DomainError) as info:
        services.appointment_create(organization=bodies["street"], **data)
    assert info.value.field == field


@time_machine.travel(datetime.datetime(2024, 8, 1, 9), tick=False)
def test_current_members_are_derived_and_history_is_kept(street_members, bodies, users):
    street = bodies["street"]
    assert [(a.get_post_display(), a.person_name) for a in organization_members(organization=street)] == [
        ("主任", "赵明远"),
        ("委员", "袁玉兰"),
        ("专职工作人员", "宋杰"),
    ]
    services.appointment_end(
        actor=users["county_staff"],
        appointment=street_members["member"],
        ended_on=datetime.date(2024, 7, 31),
        document_number="大人常任〔2024〕5号",
    )
    assert [a.person_name for a in organization_members(organization=street)] == ["赵明远", "宋杰"]
    assert [
        a.person_name for a in organization_members(organization=street, on=datetime.date(2024, 7, 31))
    ] == [
        "赵明远",
        "袁玉兰",
        "宋杰",
    ]
    assert [
        a.person_name for a in organization_members(organization=street, on=datetime.date(2023, 1, 1))
    ] == [
        "马光荣",
        "袁玉兰",
        "宋杰",
    ]
    ended = Appointment.objects.get(person_name="袁玉兰")
    assert ended.ended_on == datetime.date(2024, 7, 31) and "免职文号 大人常任〔2024〕5号" in ended.note
    assert Appointment.objects.filter(organization=street).count() == 4  # nothing deleted
    entry = AuditEntry.objects.get(action="appointment.end")
    assert entry.actor_username == "county_staff" and entry.changes["ended_on"] == [None, "2024-07-31"]


def test_duties_are_versioned_never_overwritten(bodies, users):
    office = bodies["office"]
    first = services.organization_duties_set(
        actor=users["county_staff"],
        organization=office,
        text="一、联系代表。",
        effective_on=datetime.date(2022, 1, 1),
    )
    second = services.organization_duties_set(
        organization=office,
        text="一、联系代表。\n二、指导联络站建设。",
        effective_on=datetime.date(2024, 3, 1),
        note="增加联络站职责",
    )
    assert (first.version, second.version) == (1, 2)
    assert list(OrganizationDuty.objects.filter(organization=office).values_list("version", "text")) == [
        (2, "一、联系代表。\n二、指导联络站建设。"),
        (1, "一、联系代表。"),
    ]
    with pytest.raises(DomainError) as info:
        services.organization_duties_set(
            organization=office, text=second.text, effective_on=datetime.date(2024, 5, 1)
        )
    assert info.value.field == "text"
    with pytest.raises(DomainError) as info:
        services.organization_duties_set(
            organization=office, text="三、新职责", effective_on=datetime.date(2023, 1, 1)
        )
    assert info.value.field == "effective_on"
    with pytest.raises(DomainError):
        services.organization_duties_set(
            organization=office, text="  ", effective_on=datetime.date(2024, 5, 1)
        )
    assert OrganizationDuty.objects.count() == 2
    assert AuditEntry.objects.filter(action="organization.duties_set").count() == 2


def test_organization_tree_rules(bodies, regions):
    with pytest.raises(DomainError) as info:
        services.organization_update(organization=bodies["committee"], data={"parent": bodies["office"]})
    assert info.value.field == "parent"
    with pytest.raises(DomainError) as info:
        services.organization_create(name="代表工作委员会", kind="work_body", region=regions["county"])
    assert info.value.field == "name"
    services.organization_update(organization=bodies["office"], data={"short_name": "代工委", "position": 4})
    bodies["office"].refresh_from_db()
    assert bodies["office"].short_name == "代工委"


@time_machine.travel(datetime.datetime(2024, 8, 1, 9), tick=False)
def test_chart_is_a_tree_with_current_heads(street_members, bodies, users):
    roots = organization_chart(user=users["county_staff"])
    assert [r.organization.name for r in roots] == ["大方县人大常委会", "黄泥塘镇人大主席团", "县交通运输局"]
    committee = roots[0]
    assert [c.organization.name for c in committee.children] == ["代表工作委员会", "九驿街道人大工作委员会"]
    street = committee.children[1]
    assert [h.person_name for h in street.heads] == ["赵明远"] and street.member_count == 3
    # A township user sees their own bodies only.
    assert [r.organization.name for r in organization_chart(user=users["township_staff"])] == [
        "黄泥塘镇人大主席团"
    ]
