"""Opinion services: the state table (every pair of states, every role), intake doors, replies, ratings."""

import itertools

import pytest

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError, InvalidTransition
from renda.duty_records.models import DutyRecord
from renda.opinions import services, workflow
from renda.opinions.models import Opinion, OpinionEvent
from renda.organizations.models import Organization

S = Opinion.State
STATES = list(S.values)
# Every role that can hold an account, with the test account that has it.
ROLE_USERS = {
    "county_staff": "county_staff",
    "township_staff": "township_staff",
    "station_keeper": "station_keeper",
    "deputy": "deputy",
    "leader": "leader",
    "handling_unit": "unit",
    "system_admin": "admin",
    "security_admin": "security",
    "auditor": "auditor",
}


def _arguments(target, opinion, make_opinion, deputies, unit_org):
    """What each target state needs, so that only the table can be the reason for a refusal."""
    args = {"note": "办理说明"}
    if target == S.ANSWERED:
        args["reply"] = "已向群众当面解释。"
    if target == S.REFERRED:
        args["department"] = unit_org
    if target == S.SUGGESTION:
        args["deputy"] = deputies["wang"]
    if target == S.MERGED:
        args["merged_into"] = make_opinion(deputy=deputies["wang"], title="另一条")
    return args


@pytest.mark.parametrize("from_state, to_state", list(itertools.product(STATES, STATES)))
def test_state_table_every_pair_and_role(from_state, to_state, make_opinion, users, deputies, unit_org):
    allowed_roles = workflow.TRANSITIONS[from_state].get(to_state, frozenset())
    for role, username in ROLE_USERS.items():
        opinion = make_opinion(from_state, deputy=deputies["wang"])
        events = OpinionEvent.objects.filter(opinion=opinion).count()
        args = _arguments(to_state, opinion, make_opinion, deputies, unit_org)
        if role in allowed_roles:
            moved = services.opinion_transition(
                opinion=opinion, to_state=to_state, actor=users[username], **args
            )
            assert moved.state == to_state, (from_state, to_state, role)
            event = moved.events.latest("id")
            assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, users[username])
            assert event.note in ("办理说明", "已向群众当面解释。")
            assert AuditEntry.objects.filter(action="opinion.transition", object_id=str(opinion.pk)).exists()
        else:
            with pytest.raises(InvalidTransition) as info:
                services.opinion_transition(opinion=opinion, to_state=to_state, actor=users[username], **args)
            assert info.value.status == 409 and info.value.message
            opinion.refresh_from_db()
            assert opinion.state == from_state, (from_state, to_state, role)
            assert OpinionEvent.objects.filter(opinion=opinion).count() == events


def test_the_table_has_the_issues_outcomes():
    assert set(workflow.TRANSITIONS[S.RECEIVED]) == {S.ANSWERED, S.REFERRED, S.SUGGESTION, S.MERGED, S.CLOSED}
    assert workflow.TRANSITIONS[S.MERGED] == {} and workflow.TRANSITIONS[S.CLOSED] == {}
    assert workflow.allowed_targets(S.RECEIVED, "station_keeper") == [S.ANSWERED, S.MERGED, S.CLOSED]
    assert workflow.allowed_targets(S.RECEIVED, "deputy") == [S.SUGGESTION]
    assert workflow.allowed_targets(S.REFERRED, "station_keeper") == []


@pytest.mark.parametrize(
    "target, args, field, message",
    [
        (S.ANSWERED, {}, "reply", "答复"),
        (S.ANSWERED, {"reply": "   "}, "reply", "答复"),
        (S.REFERRED, {"note": "x"}, "department", "承办部门"),
        (S.CLOSED, {}, "note", "办理说明"),
        (S.MERGED, {"note": "重复"}, "merged_into", "另一条意见"),
    ],
)
def test_what_a_move_needs_is_refused_with_the_field_named(target, args, field, message, make_opinion, users):
    opinion = make_opinion()
    with pytest.raises(DomainError) as info:
        services.opinion_transition(opinion=opinion, to_state=target, actor=users["county_staff"], **args)
    assert info.value.field == field and message in info.value.message
    opinion.refresh_from_db()
    assert opinion.state == S.RECEIVED and opinion.events.count() == 0


def test_referral_only_to_a_handling_unit(make_opinion, users, regions):
    body = Organization.objects.create(
        name="法制工作委员会", kind=Organization.Kind.WORK_BODY, region=regions["county"]
    )
    with pytest.raises(DomainError) as info:
        services.opinion_transition(
            opinion=make_opinion(), to_state=S.REFERRED, actor=users["county_staff"], department=body
        )
    assert info.value.field == "department"


def test_referral_only_to_a_department_of_the_opinions_own_county(make_opinion, users, regions, unit_org):
    """Issue 15 §1: every county has a 县交通运输局; an opinion goes to its own county's."""
    namesake = Organization.objects.create(
        name="县交通运输局", kind=Organization.Kind.HANDLING_UNIT, region=regions["other_county"]
    )
    opinion = make_opinion()
    from renda.opinions.selectors import department_choices

    assert list(department_choices(opinion=opinion)) == [unit_org]
    with pytest.raises(DomainError) as info:
        services.opinion_transition(
            opinion=opinion, to_state=S.REFERRED, actor=users["county_staff"], department=namesake
        )
    assert info.value.field == "department" and "七星关区" in info.value.message
    opinion.refresh_from_db()
    assert opinion.state == S.RECEIVED and opinion.department is None


def test_merge_rules(make_opinion, users):
    first, second, third = make_opinion(title="一"), make_opinion(title="二"), make_opinion(title="三")
    with pytest.raises(DomainError, match="另一条"):
        services.opinion_transition(
            opinion=first, to_state=S.MERGED, actor=users["station_keeper"], merged_into=first
        )
    services.opinion_transition(
        opinion=second, to_state=S.MERGED, actor=users["station_keeper"], merged_into=first
    )
    with pytest.raises(DomainError, match="已被合并"):
        services.opinion_transition(
            opinion=third, to_state=S.MERGED, actor=users["station_keeper"], merged_into=second
        )
    with pytest.raises(DomainError, match="已有其他意见合并"):
        services.opinion_transition(
            opinion=first, to_state=S.MERGED, actor=users["station_keeper"], merged_into=third
        )
    assert list(first.duplicates.all()) == [second]


def test_a_deputy_takes_up_their_own_opinion_as_a_suggestion(make_opinion, users, deputies):
    opinion = make_opinion(station=None, deputy=deputies["wang"])
    moved = services.opinion_transition(
        opinion=opinion, to_state=S.SUGGESTION, actor=users["deputy"], note="拟提建议"
    )
    assert moved.state == S.SUGGESTION and moved.deputy == deputies["wang"]
    # Staff must name the deputy when the opinion has none.
    orphan = make_opinion()
    with pytest.raises(DomainError) as info:
        services.opinion_transition(opinion=orphan, to_state=S.SUGGESTION, actor=users["county_staff"])
    assert info.value.field == "deputy"
    moved = services.opinion_transition(
        opinion=orphan, to_state=S.SUGGESTION, actor=users["county_staff"], deputy=deputies["li"]
    )
    assert moved.deputy == deputies["li"]
    assert not moved.suggestions.exists()


def test_a_stale_copy_cannot_move_twice(make_opinion, users):
    opinion = make_opinion()
    stale = Opinion.objects.get(pk=opinion.pk)
    services.opinion_transition(
        opinion=opinion, to_state=S.CLOSED, actor=users["station_keeper"], note="不属受理范围"
    )
    with pytest.raises(InvalidTransition, match=r"该意见已由station_keeper于.*办结"):
        services.opinion_transition(
            opinion=stale, to_state=S.ANSWERED, actor=users["station_keeper"], reply="x"
        )


# ---------- intake ----------


def test_public_submission_encrypts_and_indexes_the_phone(stations):
    opinion = services.opinion_submit_public(
        station=stations["village"],
        content="  村里的路灯坏了三个月  ",
        category="urban",
        constituent_name="张 三",
        constituent_phone="138 0013 8000",
        client_ip="10.0.0.1",
    )
    assert opinion.channel == "qr_form" and opinion.region == stations["village"].region
    assert opinion.title == "村里的路灯坏了三个月" and opinion.constituent_name == "张 三"
    assert len(opinion.tracking_code) == 10 and set(opinion.tracking_code) <= set(services.TRACKING_ALPHABET)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT constituent_phone FROM {Opinion._meta.db_table} WHERE id = %s", [opinion.pk])  # noqa: S608
        raw = cursor.fetchone()[0]
    assert raw.startswith("sm4gcm1:") and "13800138000" not in raw
    from renda.core.crypto import blind_index

    assert Opinion.objects.get(constituent_phone_index=blind_index("13800138000")) == opinion
    assert opinion.constituent_phone_masked == "138****8000"
    event = opinion.events.get()
    assert (event.action, event.to_state, event.actor, event.actor_label) == (
        "receive",
        "received",
        None,
        "群众",
    )
    entry = AuditEntry.objects.get(action="opinion.create")
    assert entry.changes["constituent_phone"] == "138****8000"


@pytest.mark.parametrize("phone", ["12345", "1381234567", "23812345678", "电话"])
def test_an_invalid_phone_is_refused_with_the_field_named_and_nothing_written(stations, phone):
    with pytest.raises(DomainError) as info:
        services.opinion_submit_public(station=stations["township"], content="意见", constituent_phone=phone)
    assert info.value.field == "constituent_phone" and "电话号码格式不正确" in info.value.message
    assert not Opinion.objects.exists() and not OpinionEvent.objects.exists()
    assert not AuditEntry.objects.filter(action="opinion.create").exists()


def test_empty_content_is_refused(stations):
    with pytest.raises(DomainError) as info:
        services.opinion_submit_public(station=stations["township"], content="   ")
    assert info.value.field == "content" and not Opinion.objects.exists()


def test_inactive_station_takes_no_opinions(stations):
    station = stations["township"]
    station.is_active = False
    with pytest.raises(DomainError, match="已停用"):
        services.opinion_submit_public(station=station, content="意见")


def test_tracking_codes_are_unambiguous_and_normalised():
    codes = {services.tracking_code_new() for _ in range(500)}
    assert len(codes) == 500
    assert not set("".join(codes)) & set("01OIL")
    assert services.tracking_code_normalize(" abcd-efgh 23 ") == "ABCDEFGH23"


def test_staff_enter_walk_ins_at_their_own_stations_only(stations, users):
    opinion = services.opinion_create(
        actor=users["station_keeper"],
        station=stations["township"],
        channel="walk_in",
        content="反映低保评定不公开",
        category="social_security",
        constituent_phone="0857-5221234",
    )
    assert opinion.created_by == users["station_keeper"] and opinion.constituent_phone == "0857-5221234"
    assert opinion.events.get().actor == users["station_keeper"]
    for username, station in [
        ("station_keeper", "village"),
        ("jiuyi_staff", "township"),
        ("township_staff", "jiuyi"),
    ]:
        with pytest.raises(DomainError) as info:
            services.opinion_create(
                actor=users[username], station=stations[station], channel="phone_call", content="x"
            )
        assert info.value.field == "station"
    with pytest.raises(DomainError) as info:
        services.opinion_create(
            actor=users["county_staff"], station=stations["jiuyi"], channel="qr_form", content="x"
        )
    assert info.value.field == "channel"
    with pytest.raises(DomainError):
        services.opinion_create(
            actor=users["leader"], station=stations["jiuyi"], channel="walk_in", content="x"
        )
    assert Opinion.objects.count() == 1


def test_a_deputy_logs_what_they_heard_and_gets_a_contact_record(users, deputies):
    opinion = services.opinion_create_by_deputy(
        actor=users["deputy"], content="群众希望增加到县城的班车", category="transport"
    )
    assert (opinion.deputy, opinion.region, opinion.station, opinion.channel) == (
        deputies["wang"],
        deputies["wang"].region,
        None,
        "deputy",
    )
    record = DutyRecord.objects.get(deputy=deputies["wang"])
    assert record.kind == "contact" and record.source_type == "opinions.opinion"
    assert record.source_id == str(opinion.pk) and record.review_state == "approved"
    assert record.title == "收集群众意见：群众希望增加到县城的班车"


def test_a_deputy_entry_with_a_bad_phone_writes_neither_opinion_nor_duty_record(users, deputies):
    with pytest.raises(DomainError):
        services.opinion_create_by_deputy(actor=users["deputy"], content="x", constituent_phone="1")
    assert not Opinion.objects.exists() and not DutyRecord.objects.exists()


def test_an_account_without_a_deputy_cannot_enter_as_one(users):
    with pytest.raises(DomainError, match="尚未关联"):
        services.opinion_create_by_deputy(actor=users["deputy"], content="x")


# ---------- replies and satisfaction ----------


def test_reply_and_rating_rules(make_opinion, users):
    opinion = make_opinion()
    with pytest.raises(InvalidTransition):
        services.opinion_reply(opinion=opinion, reply="x", actor=users["station_keeper"])
    with pytest.raises(InvalidTransition, match="尚未答复"):
        services.opinion_rate(opinion=opinion, satisfaction="satisfied")
    referred = services.opinion_transition(
        opinion=opinion,
        to_state=S.REFERRED,
        actor=users["township_staff"],
        department=Organization.objects.get(name="县交通运输局"),
    )
    with pytest.raises(InvalidTransition, match="无权"):
        services.opinion_reply(opinion=referred, reply="x", actor=users["leader"])
    replied = services.opinion_reply(
        opinion=referred, reply="交通局已安排本月修补。", actor=users["township_staff"]
    )
    assert replied.reply == "交通局已安排本月修补。" and replied.replied_at is not None
    assert replied.events.latest("id").action == "reply"
    with pytest.raises(DomainError) as info:
        services.opinion_rate(opinion=replied, satisfaction="great")
    assert info.value.field == "satisfaction"
    rated = services.opinion_rate(opinion=replied, satisfaction="basically_satisfied")
    assert rated.satisfaction == "basically_satisfied"
    assert rated.events.latest("id").actor_label == "群众"
    with pytest.raises(InvalidTransition, match="已评价"):
        services.opinion_rate(opinion=rated, satisfaction="dissatisfied")
    # Staff who reached the constituent by phone may still record what they said.
    again = services.opinion_rate(
        opinion=rated, satisfaction="satisfied", actor=users["station_keeper"], note="电话回访"
    )
    assert again.satisfaction == "satisfied" and "电话回访" in again.events.latest("id").note


def test_merged_opinions_take_no_reply(make_opinion, users):
    merged = make_opinion(S.MERGED)
    with pytest.raises(InvalidTransition):
        services.opinion_reply(opinion=merged, reply="x", actor=users["county_staff"])


def test_the_second_answer_is_told_who_answered_and_when(make_opinion, users):
    """Two keepers answer one opinion on the spot: the second learns who did it first, in plain Chinese."""
    opinion = make_opinion()
    stale = type(opinion).objects.get(pk=opinion.pk)
    services.opinion_transition(
        opinion=opinion, to_state=S.ANSWERED, actor=users["station_keeper"], reply="已联系村委会处理"
    )
    with pytest.raises(DomainError) as info:
        services.opinion_transition(
            opinion=stale, to_state=S.ANSWERED, actor=users["county_staff"], reply="好的"
        )
    message = info.value.message
    assert message.startswith("该意见已由station_keeper于") and message.endswith("当场答复，不能再当场答复。")
