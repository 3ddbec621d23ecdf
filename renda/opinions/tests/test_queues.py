"""Opinions' and duty records' work queues: keeper's new opinions, the deputy's, staff's overdue ones,
declared records to review — one query per queue, each linking to the filtered list."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.core.queues import queues_for, work_queues
from renda.opinions.models import Opinion


def _counts(user):
    with CaptureQueriesContext(connection) as queries:
        found = work_queues(user)
    assert len(queries) == len(queues_for(user))
    return {q["key"]: (q["count"], q["url"]) for q in found}


def test_keeper_sees_new_opinions_of_their_station_only(users, make_opinion, client):
    make_opinion(title="村口路灯坏了")
    make_opinion(station="jiuyi", title="九驿的意见")
    make_opinion(Opinion.State.CLOSED)
    counts = _counts(users["station_keeper"])
    assert counts["opinions.new"][0] == 1
    client.force_login(users["station_keeper"])
    listed = client.get(counts["opinions.new"][1]).content.decode()
    assert "村口路灯坏了" in listed and "九驿的意见" not in listed
    assert "本站待办群众意见" in client.get("/").content.decode()


def test_deputy_sees_opinions_assigned_to_them_on_the_portal(users, deputies, make_opinion, client):
    make_opinion(station=None, deputy=deputies["wang"], title="王芳收集的意见")
    counts = _counts(users["deputy"])
    assert counts["opinions.mine"][0] == 1
    client.force_login(users["deputy"])
    portal = client.get("/deputies/portal/").content.decode()
    assert "交给我的群众意见" in portal


def test_staff_see_opinions_past_their_time(users, make_opinion, client, settings):
    settings.RENDA_OPINION_RESPONSE_DAYS = 15
    late = make_opinion(title="等了很久的意见")
    Opinion.objects.filter(pk=late.pk).update(received_at=timezone.now() - datetime.timedelta(days=16))
    make_opinion(title="昨天的意见")
    counts = _counts(users["county_staff"])
    assert counts["opinions.overdue"][0] == 1
    client.force_login(users["county_staff"])
    listed = client.get(counts["opinions.overdue"][1]).content.decode()
    assert "等了很久的意见" in listed and "昨天的意见" not in listed


def test_staff_see_declared_records_to_review(users, deputies, client):
    from renda.duty_records.models import DutyRecord
    from renda.duty_records.services import duty_record_add

    duty_record_add(
        actor=users["deputy"],
        origin=DutyRecord.Origin.DECLARED,
        deputy=deputies["wang"],
        kind=DutyRecord.Kind.OTHER,
        title="参加村民议事会",
        occurred_on=timezone.localdate(),
    )
    counts = _counts(users["township_staff"])
    assert counts["duty_records.pending"][0] == 1
    client.force_login(users["township_staff"])
    assert "参加村民议事会" in client.get(counts["duty_records.pending"][1]).content.decode()
