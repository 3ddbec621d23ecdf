"""Every work queue of every role links to a list of exactly its items: following the link shows the
same number (the list's "共 N 条") as the queue says, with items outside the queue present."""

import datetime
import re

import pytest
from django.utils import timezone

from renda.core.queues import work_queues
from renda.suggestions.models import Assignment, Extension, State, Suggestion, SuggestionSigner

ROLES = ("county_staff", "township_staff", "station_keeper", "deputy", "unit", "leader")


@pytest.fixture
def scene(users, make, deputies, regions, unit_org, units):
    make(State.SUBMITTED, title="待审查的那件")
    make(State.ASSIGNED, title="办理中的那件")
    late = make(State.ASSIGNED, title="超期的那件")
    Suggestion.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    Assignment.objects.filter(suggestion=late).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    make(State.REPLIED, title="已答复的那件")
    make(State.REHANDLING, title="代表不满意重新办理的那件")
    mine = make(State.ASSIGNED, title="领导督办的那件")
    others = make(State.ASSIGNED, title="别的领导督办的那件")
    closed = make(State.CLOSED, title="已办结的重点建议")
    Suggestion.objects.filter(pk__in=[mine.pk, closed.pk]).update(
        is_key=True, key_leader="县人大常委会主任", key_leader_user=users["leader"]
    )
    Suggestion.objects.filter(pk=others.pk).update(is_key=True, key_leader="县人大常委会副主任")
    soon = make(State.ASSIGNED, title="快到期的那件")
    Assignment.objects.filter(suggestion=soon).update(
        state=Assignment.State.ACCEPTED, due_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    co = make(State.ASSIGNED, title="协办的那件", lead_unit=units["education"], co_units=[unit_org])
    Assignment.objects.filter(suggestion=co, unit=unit_org).update(state=Assignment.State.ACCEPTED)
    back = make(State.ASSIGNED, title="申请退回的那件")
    Assignment.objects.filter(suggestion=back).update(state=Assignment.State.RETURN_REQUESTED)
    longer = make(State.ASSIGNED, title="申请延期的那件")
    for state in (Extension.State.REQUESTED, Extension.State.APPROVED):
        Extension.objects.create(
            assignment=Assignment.objects.get(
                suggestion=longer if state == "requested" else soon, role="lead"
            ),
            requested_due_on=timezone.localdate() + datetime.timedelta(days=60),
            reason="需要协调资金",
            state=state,
        )
    invited = make(State.DRAFT, title="邀请联名的那件", deputy=deputies["li"], cosigners=[deputies["wang"]])
    make(State.DRAFT, title="已同意联名的那件", deputy=deputies["li"], cosigners=[deputies["wang"]])
    SuggestionSigner.objects.filter(suggestion=invited, is_lead=False).update(
        answer=SuggestionSigner.Answer.PENDING
    )
    _other_apps(users, deputies, regions, unit_org)


def _other_apps(users, deputies, regions, unit_org):
    """Items inside and outside each queue of the other apps (points, duty records, activities,
    opinions): a queue whose link forgets its filter shows the outside ones too."""
    from renda.activities.models import FollowUp, Invitation
    from renda.activities.services import activity_create, invitations_add
    from renda.deputies.models import Congress
    from renda.duty_records.models import DutyRecord
    from renda.duty_records.services import duty_record_add
    from renda.network.models import Station, StationKeeper
    from renda.opinions.models import Opinion
    from renda.opinions.services import tracking_code_new
    from renda.organizations.models import Organization
    from renda.points.models import Objection
    from renda.points.publications import publication_create
    from renda.points.services import points_adjust, scheme_import, scheme_publish

    today, now = timezone.localdate(), timezone.now()
    wang, li = deputies["wang"], deputies["li"]
    # Points: a published scheme whose 约谈 line only 王芳 is below; one open objection, one resolved.
    congress = Congress.objects.get(level="county", term=18)
    document = {
        "format": "renda.points.scheme/1", "name": "测试积分办法", "year": today.year,
        "base_mode": "none", "rhythm": "year", "interview_below": 5,
        "categories": [{"code": "all", "name": "履职积分"}], "rules": [], "bands": [],
    }  # fmt: skip
    draft = scheme_import(actor=None, congress=congress, document=document)
    scheme = scheme_publish(actor=None, scheme=draft)
    points_adjust(
        actor=None, scheme=scheme, deputy=li, category=scheme.categories.get(), points=10, reason="补记"
    )
    publication = publication_create(
        actor=users["county_staff"], scheme=scheme, period="year", index=1, order="rank",
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=6),
    )  # fmt: skip
    Objection.objects.create(publication=publication, deputy=wang, kind="missing", text="漏记视察")
    Objection.objects.create(
        publication=publication, deputy=li, kind="wrong", text="计分有误", state="dismissed", outcome="不成立"
    )
    # Duty records: one declaration waiting for review, one approved.
    for review in ("pending", "approved"):
        record = duty_record_add(
            actor=users["deputy"], origin=DutyRecord.Origin.DECLARED, deputy=wang,
            kind=DutyRecord.Kind.OTHER, title=f"申报（{review}）", occurred_on=today,
        )  # fmt: skip
        DutyRecord.objects.filter(pk=record.pk).update(review_state=review)
    # Activities: an overdue follow-up and an answered one, a leave request and a granted one, an
    # invitation to answer and an answered one.
    committee = Organization.objects.create(
        name="大方县人大常委会", kind=Organization.Kind.STANDING_COMMITTEE, region=regions["county"]
    )
    made = []
    for n in range(4):
        starts = now + datetime.timedelta(days=3 + n)
        activity = activity_create(
            actor=users["county_staff"], kind="law_inspection", title=f"执法检查{n}",
            law="道路交通安全法", organizer=committee, place="黄泥塘镇", starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
        )  # fmt: skip
        made.append(activity)
    for activity, due, responded in ((made[0], -1, None), (made[1], -1, today), (made[2], 10, None)):
        FollowUp.objects.update_or_create(
            activity=activity,
            defaults={"sent_on": today - datetime.timedelta(days=30),
                      "due_on": today + datetime.timedelta(days=due), "responded_on": responded},
        )  # fmt: skip
    for activity in made[:2]:
        invitations_add(actor=users["county_staff"], activity=activity, deputies=[wang, li])
    Invitation.objects.filter(activity=made[0], deputy=wang).update(
        answer="leave", leave_reason="外出", leave_state="pending"
    )
    Invitation.objects.filter(activity=made[0], deputy=li).update(
        answer="leave", leave_reason="生病", leave_state="approved"
    )
    Invitation.objects.filter(activity=made[1], deputy=li).update(answer="yes")
    # Opinions: new ones at the keeper's station (one past its time), one at another station, one
    # handed to 王芳, one referred to the unit and one it answered, one closed.
    station = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=regions["huangnitang"]
    )
    elsewhere = Station.objects.create(
        name="九驿街道人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=regions["jiuyi"]
    )
    StationKeeper.objects.create(station=station, user=users["station_keeper"])

    def opinion(state, title, *, place=station, deputy=None, **extra):
        return Opinion.objects.create(
            tracking_code=tracking_code_new(), state=state, title=title, content="村口道路坑洼。",
            channel=Opinion.Channel.QR_FORM if place else Opinion.Channel.DEPUTY,
            station=place, region=place.region if place else deputy.region, deputy=deputy, **extra,
        )  # fmt: skip

    late = opinion(Opinion.State.RECEIVED, "等了很久的意见")
    Opinion.objects.filter(pk=late.pk).update(received_at=now - datetime.timedelta(days=60))
    opinion(Opinion.State.RECEIVED, "昨天的意见")
    opinion(Opinion.State.RECEIVED, "九驿的意见", place=elsewhere)
    opinion(Opinion.State.RECEIVED, "王芳收集的意见", place=None, deputy=wang)
    opinion(Opinion.State.REFERRED, "转交的意见", department=unit_org)
    opinion(Opinion.State.ANSWERED, "已答复的意见", department=unit_org, reply="已修复。")
    opinion(Opinion.State.CLOSED, "已办结的意见")
    opinion(Opinion.State.RECEIVED, "群众不满意退回的意见", reply="已修复。", satisfaction="dissatisfied")


def _total(page: str) -> int | None:
    """The list's own count ("共 N 条"), or 0 for its empty state; None if it says neither."""
    found = re.search(r"共 (\d+) 条", page)
    if found:
        return int(found.group(1))
    return 0 if 'class="empty"' in page else None


@pytest.mark.parametrize("role", ROLES)
def test_each_queue_links_to_a_list_of_exactly_its_items(role, users, scene, client):
    user = users[role]
    client.force_login(user)
    wrong = []
    for queue in work_queues(user):
        response = client.get(queue["url"], follow=True)
        shown = _total(response.content.decode()) if response.status_code == 200 else None
        if shown != queue["count"]:
            wrong.append((queue["key"], queue["url"], queue["count"], response.status_code, shown))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_scene_fills_every_registered_queue(users, scene):
    """Each registered queue has items for one of the roles above, so the test above checks its link
    (a queue added later without items here fails this test, not silently the one above)."""
    from renda.core.queues import QUEUES

    filled = {q["key"] for role in ROLES for q in work_queues(users[role]) if q["count"]}
    assert set(QUEUES) - filled == set()
