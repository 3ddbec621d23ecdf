"""Fixtures of the opinions tests: stations in two townships, a keeper per station, opinions."""

import pytest

from renda.accounts.services import user_create
from renda.core.access import Role
from renda.network.models import Station, StationKeeper
from renda.opinions.models import Opinion
from renda.opinions.services import tracking_code_new

PASSWORD = "Renda#2024x"


@pytest.fixture
def stations(regions, users):
    """黄泥塘镇's township station (kept by `station_keeper`), a village room there, and 九驿's station."""
    township = Station.objects.create(
        name="黄泥塘镇人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=regions["huangnitang"]
    )
    village = Station.objects.create(
        name="黄泥塘社区代表联络室",
        kind=Station.Kind.VILLAGE_ROOM,
        region=regions["village"],
        parent=township,
    )
    jiuyi = Station.objects.create(
        name="九驿街道人大代表联络站", kind=Station.Kind.TOWNSHIP_STATION, region=regions["jiuyi"]
    )
    StationKeeper.objects.create(station=township, user=users["station_keeper"])
    village_keeper = user_create(
        username="village_keeper",
        password=PASSWORD,
        role=Role.STATION_KEEPER,
        full_name="村联络室管理员",
        region=regions["huangnitang"],
    )
    StationKeeper.objects.create(station=village, user=village_keeper)
    return {"township": township, "village": village, "jiuyi": jiuyi, "village_keeper": village_keeper}


@pytest.fixture
def make_opinion(stations, regions):
    """An opinion put straight into any state (the state table tests start from every state)."""

    def _make(state=Opinion.State.RECEIVED, *, station="township", deputy=None, **extra):
        place = stations[station] if station else None
        fields = {
            "tracking_code": tracking_code_new(),
            "state": state,
            "channel": Opinion.Channel.QR_FORM if place else Opinion.Channel.DEPUTY,
            "title": extra.pop("title", f"意见（{state}）"),
            "content": "村口道路坑洼，雨天积水严重。",
            "station": place,
            "region": place.region if place else deputy.region,
            "deputy": deputy,
        }
        fields.update(extra)
        if state == Opinion.State.MERGED and "merged_into" not in fields:
            fields["merged_into"] = _make(station=station, deputy=deputy, title="原意见")
        if state in (Opinion.State.REFERRED,) and "department" not in fields:
            from renda.organizations.models import Organization

            fields["department"] = Organization.objects.get(name="县交通运输局")
        if state in (Opinion.State.ANSWERED,) and "reply" not in fields:
            fields["reply"] = "已现场答复。"
        return Opinion.objects.create(**fields)

    return _make
