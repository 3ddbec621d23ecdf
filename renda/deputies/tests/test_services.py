"""Mandates and their status table, congresses, external roles, 双联系 and contacts."""

import datetime

import pytest
import time_machine

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError, InvalidTransition
from renda.deputies.models import Contact, Mandate, MandateEvent
from renda.deputies.services import (
    chinese_ordinal,
    congress_create,
    constituency_create,
    contact_assignment_add,
    contact_assignment_end,
    contact_log,
    deputy_create,
    external_role_add,
    external_role_end,
    mandate_create,
    mandate_transition,
    mandate_update,
)
from renda.deputies.transitions import MANDATE_TRANSITIONS
from renda.duty_records.models import DutyRecord
from renda.organizations.models import Organization

TODAY = datetime.date(2025, 6, 30)
S = Mandate.Status


@pytest.mark.parametrize(
    "term, name", [(5, "五"), (10, "十"), (14, "十四"), (18, "十八"), (20, "二十"), (21, "二十一")]
)
def test_chinese_ordinal(term, name):
    assert chinese_ordinal(term) == name


def test_congress_is_named_and_must_match_its_region(regions):
    congress = congress_create(level="county", region=regions["county"], term=18)
    assert congress.name == "大方县第十八届人民代表大会" and congress.short_name == "大方县第十八届"
    with pytest.raises(DomainError, match="层级与行政区域不符"):
        congress_create(level="township", region=regions["county"], term=3)
    with pytest.raises(DomainError):
        congress_create(level="county", region=regions["county"], term=18)  # the same term twice


def test_constituency_must_lie_within_the_congress(congresses, regions):
    with pytest.raises(DomainError, match="不在该人民代表大会的行政区域内"):
        constituency_create(congress=congresses["township"], name="第2选区", region=regions["jiuyi"])


def test_a_person_holds_several_mandates_once_per_congress(seated, deputies, congresses):
    wang = deputies["wang"]
    assert {m.congress.level for m in wang.mandates.all()} == {"county", "township"}
    with pytest.raises(DomainError, match="已有代表资格"):
        mandate_create(deputy=wang, congress=congresses["county"])
    with pytest.raises(DomainError, match="选区不属于"):
        mandate_update(
            mandate=seated["li_county"], data={"constituency": congresses["constituencies"]["township"]}
        )


@pytest.mark.parametrize("start", [s for s, _label in S.choices])
@pytest.mark.parametrize("target", [s for s, _label in S.choices])
@time_machine.travel(TODAY, tick=False)
def test_mandate_status_table(seated, users, start, target):
    """Every state against every target: only the table's transitions pass."""
    mandate = seated["wang_county"]
    Mandate.objects.filter(pk=mandate.pk).update(status=start)
    allowed = target in MANDATE_TRANSITIONS[start]
    if allowed:
        changed = mandate_transition(
            actor=users["county_staff"],
            mandate=mandate,
            to_status=target,
            occurred_on=TODAY,
            reason="常委会决定",
        )
        assert changed.status == target and changed.status_changed_on == TODAY and changed.ends_on == TODAY
        event = MandateEvent.objects.filter(mandate=mandate).latest("id")
        assert (event.from_status, event.to_status, event.reason) == (start, target, "常委会决定")
        assert AuditEntry.objects.filter(action="mandate.transition", object_id=str(mandate.pk)).exists()
    else:
        with pytest.raises(InvalidTransition):
            mandate_transition(
                actor=users["county_staff"], mandate=mandate, to_status=target, occurred_on=TODAY, reason="x"
            )
        assert Mandate.objects.get(pk=mandate.pk).status == start


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("county_staff", True),
        ("township_staff", "congress"),  # the county's congress is the county staff's (issue 13 §10)
        ("leader", False),
        ("deputy", False),
        ("station_keeper", False),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_mandate_transition_needs_permission(seated, users, username, allowed):
    mandate = seated["wang_county"]
    if allowed == "congress":
        with pytest.raises(DomainError) as info:
            mandate_transition(
                actor=users[username], mandate=mandate, to_status=S.RESIGNED, occurred_on=TODAY, reason="辞职"
            )
        assert info.value.field == "congress"
    elif allowed:
        mandate_transition(
            actor=users[username], mandate=mandate, to_status=S.RESIGNED, occurred_on=TODAY, reason="辞职"
        )
    else:
        with pytest.raises(InvalidTransition, match="无权"):
            mandate_transition(
                actor=users[username], mandate=mandate, to_status=S.RESIGNED, occurred_on=TODAY, reason="辞职"
            )


@time_machine.travel(TODAY, tick=False)
def test_mandate_transition_checks_date_and_reason(seated, users):
    mandate, staff = seated["wang_county"], users["county_staff"]
    with pytest.raises(DomainError, match="原因"):
        mandate_transition(actor=staff, mandate=mandate, to_status=S.RECALLED, occurred_on=TODAY, reason=" ")
    with pytest.raises(DomainError, match="晚于今天"):
        mandate_transition(
            actor=staff,
            mandate=mandate,
            to_status=S.RECALLED,
            occurred_on=TODAY + datetime.timedelta(days=1),
            reason="x",
        )
    with pytest.raises(DomainError, match="早于任期开始"):
        mandate_transition(
            actor=staff,
            mandate=mandate,
            to_status=S.RECALLED,
            occurred_on=datetime.date(2020, 1, 1),
            reason="x",
        )
    history = list(mandate.events.values_list("to_status", flat=True))
    assert history == [S.SERVING]  # the creation event only


def test_external_roles(deputies, unit_org):
    wang = deputies["wang"]
    five = external_role_add(deputy=wang, kind="dispute_mediator", starts_on=datetime.date(2022, 3, 1))
    assert five.title == "矛盾纠纷调解员"
    market = Organization.objects.create(name="县市场监管局", kind="handling_unit", region=unit_org.region)
    with pytest.raises(DomainError, match="聘任单位"):
        external_role_add(deputy=wang, kind="department_appointment", title="行风政风监督员", starts_on=TODAY)
    appointed = external_role_add(
        deputy=wang,
        kind="department_appointment",
        title="行风政风监督员",
        organization=market,
        starts_on=datetime.date(2023, 3, 15),
        ends_on=datetime.date(2026, 3, 14),
    )
    assert str(appointed) == "王芳 · 行风政风监督员" and appointed.organization == market
    with pytest.raises(DomainError, match="不能早于开始"):
        external_role_end(role=five, ends_on=datetime.date(2021, 1, 1))
    assert external_role_end(role=five, ends_on=datetime.date(2024, 1, 1)).ends_on == datetime.date(
        2024, 1, 1
    )


def test_assignments_are_for_committee_members_only_and_once(deputies, users):
    with pytest.raises(DomainError, match="常委会组成人员"):
        contact_assignment_add(member=users["county_staff"], deputy=deputies["wang"])
    assignment = contact_assignment_add(
        member=users["leader"], deputy=deputies["wang"], starts_on=datetime.date(2022, 1, 1)
    )
    with pytest.raises(DomainError, match="已在联系"):
        contact_assignment_add(member=users["leader"], deputy=deputies["wang"])
    contact_assignment_end(assignment=assignment, ends_on=datetime.date(2024, 1, 1))
    with pytest.raises(InvalidTransition):
        contact_assignment_end(assignment=assignment)
    contact_assignment_add(member=users["leader"], deputy=deputies["wang"])  # may be assigned again


@time_machine.travel(TODAY, tick=False)
def test_every_contact_writes_one_duty_record(deputies, users):
    wang, leader = deputies["wang"], users["leader"]
    contact_assignment_add(member=leader, deputy=wang, starts_on=datetime.date(2022, 1, 1))
    by_member = contact_log(
        actor=leader,
        kind="committee",
        deputy=wang,
        member=leader,
        method="visit",
        occurred_on=TODAY,
        topics="听取意见",
    )
    by_deputy = contact_log(
        actor=users["deputy"],
        kind="committee",
        deputy=wang,
        member=leader,
        method="call",
        occurred_on=TODAY,
        topics="反映问题",
    )
    constituents = contact_log(
        actor=users["deputy"],
        kind="constituent",
        deputy=wang,
        method="reception",
        occurred_on=TODAY,
        topics="  集镇 停车  ",
        people_count=12,
        place="黄泥塘镇集镇",
        opinions="建议规划停车场",
    )
    assert (by_member.initiator, by_deputy.initiator, constituents.initiator) == ("member", "deputy", "")
    assert constituents.topics == "集镇 停车" and constituents.member is None
    records = DutyRecord.objects.filter(deputy=wang, kind="contact").order_by("id")
    assert [(r.source_type, r.source_id) for r in records] == [
        ("deputies.contact", str(c.pk)) for c in (by_member, by_deputy, constituents)
    ]
    assert records[0].title == "与常委会组成人员leader联系：听取意见"
    assert records[2].title == "站外接待联系选民：集镇 停车" and records[2].note == "建议规划停车场"
    assert all(r.review_state == "approved" for r in records)


@time_machine.travel(TODAY, tick=False)
def test_committee_contacts_need_an_assignment_on_that_day(deputies, users):
    wang, leader = deputies["wang"], users["leader"]
    with pytest.raises(DomainError, match="没有联系这位代表的安排"):
        contact_log(
            actor=leader,
            kind="committee",
            deputy=wang,
            member=leader,
            method="visit",
            occurred_on=TODAY,
            topics="x",
        )
    assignment = contact_assignment_add(member=leader, deputy=wang, starts_on=datetime.date(2024, 1, 1))
    contact_assignment_end(assignment=assignment, ends_on=datetime.date(2024, 12, 31))
    contact_log(
        actor=leader,
        kind="committee",
        deputy=wang,
        member=leader,
        method="visit",
        occurred_on=datetime.date(2024, 6, 1),
        topics="x",
    )
    with pytest.raises(DomainError, match="没有联系这位代表的安排"):
        contact_log(
            actor=leader,
            kind="committee",
            deputy=wang,
            member=leader,
            method="visit",
            occurred_on=TODAY,
            topics="x",
        )
    with pytest.raises(DomainError, match="联系主题"):
        contact_log(
            actor=users["deputy"],
            kind="constituent",
            deputy=wang,
            method="visit",
            occurred_on=TODAY,
            topics=" ",
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        contact_log(
            actor=users["deputy"],
            kind="constituent",
            deputy=wang,
            method="visit",
            occurred_on=TODAY + datetime.timedelta(1),
            topics="x",
        )
    assert Contact.objects.count() == 1 and DutyRecord.objects.count() == 1


def test_person_fields_are_validated_and_birth_month_checked_against_the_id(regions):
    with pytest.raises(DomainError) as info:
        deputy_create(
            name="张三",
            region=regions["jiuyi"],
            id_number="520521198003151224",
            birth_month=datetime.date(1981, 3, 1),
        )
    assert info.value.field == "birth_month"
    deputy = deputy_create(
        name="张三",
        region=regions["jiuyi"],
        id_number="520521198003151224",
        birth_month=datetime.date(1980, 3, 9),
    )
    assert deputy.gender == "female" and deputy.birth_month == datetime.date(1980, 3, 1)
    with pytest.raises(DomainError) as info:
        deputy_create(name="李四", gender="male", region=regions["jiuyi"], sector="astrology")
    assert info.value.field == "sector"


# --- who may log a contact (the service decides, so pages and API obey alike) ---

CONSTITUENT_GRID = {
    # actor -> (wang in 黄泥塘镇, li in 九驿街道); "ok", "refused" (DomainError) or 404 (outside jurisdiction)
    "deputy": ("ok", 404),  # a deputy logs their own contacts only
    "county_staff": ("ok", "ok"),
    "township_staff": ("ok", 404),
    "jiuyi_staff": (404, "ok"),
    "leader": ("refused", "refused"),  # contacts.log, but no duty_records.add
}


def _log(actor, deputy, kind="constituent", member=None):
    return contact_log(
        actor=actor,
        kind=kind,
        deputy=deputy,
        member=member,
        method="visit",
        occurred_on=TODAY,
        topics="听取意见",
    )


def _outcome(call) -> str | int:
    from django.http import Http404

    try:
        call()
    except Http404:
        return 404
    except DomainError:
        return "refused"
    return "ok"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("username", sorted(CONSTITUENT_GRID))
def test_constituent_contacts_only_by_the_deputy_or_staff_in_jurisdiction(deputies, users, username):
    outcomes = tuple(_outcome(lambda d=d: _log(users[username], deputies[d])) for d in ("wang", "li"))
    assert outcomes == CONSTITUENT_GRID[username]
    expected = sum(o == "ok" for o in outcomes)
    assert Contact.objects.count() == expected and DutyRecord.objects.count() == expected
    if 404 in outcomes:
        assert AuditEntry.objects.filter(action="access.denied", actor_username=username).exists()


COMMITTEE_GRID = {
    # leader is assigned to wang; "ok", "refused" or 404
    "leader": "ok",  # the assigned member
    "deputy": "ok",  # the deputy of the assignment
    "county_staff": "ok",  # contacts.assign in jurisdiction
    "township_staff": "refused",  # may log constituent contacts, not 双联系 for others
    "jiuyi_staff": 404,
    "leader2": "refused",  # another member cannot log for the assigned one
    "far_leader": 404,
}


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("username", sorted(COMMITTEE_GRID))
def test_committee_contacts_only_by_the_member_the_deputy_or_assigning_staff(
    deputies, users, other_leaders, username
):
    wang, leader = deputies["wang"], users["leader"]
    contact_assignment_add(member=leader, deputy=wang, starts_on=datetime.date(2022, 1, 1))
    actor = {**users, **other_leaders}[username]
    outcome = _outcome(lambda: _log(actor, wang, kind="committee", member=leader))
    assert outcome == COMMITTEE_GRID[username]
    assert Contact.objects.count() == (outcome == "ok") and DutyRecord.objects.count() == (outcome == "ok")
