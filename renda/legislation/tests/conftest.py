"""Fixtures of the legislation tests: the legislative station, two rooms, and a draft open today."""

import datetime

import pytest
from django.utils import timezone

from renda.network.models import Station, StationKeeper

DRAFT_TEXT = """贵州省乡村环境治理条例（草案征求意见稿）

第一章　总则
第一条　为了改善乡村人居环境，根据有关法律、行政法规，结合本省实际，制定本条例。
第二条　本省行政区域内的乡村环境治理活动，适用本条例。
第二章　治理措施
第三条　县级人民政府应当统筹建设农村生活垃圾收运处置体系。
（一）每个行政村至少设置一处垃圾集中收集点；
（二）收集点应当每日清运。
第四条 村民委员会可以将环境卫生要求纳入村规民约。
"""


@pytest.fixture
def legislative(regions, users):
    station = Station.objects.create(
        name="九驿街道基层立法联络站", kind=Station.Kind.LEGISLATIVE_STATION, region=regions["jiuyi"]
    )
    room = Station.objects.create(
        name="黄泥塘镇基层立法联络室", kind=Station.Kind.LEGISLATIVE_ROOM, region=regions["huangnitang"]
    )
    ordinary = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=regions["huangnitang"]
    )
    StationKeeper.objects.create(station=room, user=users["station_keeper"])
    return {"station": station, "room": room, "ordinary": ordinary}


@pytest.fixture
def draft(legislative, users):
    from renda.legislation.services import draft_create

    today = timezone.localdate()
    return draft_create(
        actor=users["county_staff"],
        title="贵州省乡村环境治理条例（草案）",
        issuing_body="贵州省人大常委会法制工作委员会",
        text=DRAFT_TEXT,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=10),
        stations=[legislative["station"], legislative["room"]],
    )
