"""Fixtures of the network tests: a county center, two township stations, a village room, a keeper."""

import pytest

from renda.network.models import Station, StationKeeper
from renda.network.services import station_create


@pytest.fixture
def stations(regions, users):
    """The county center; 黄泥塘镇's station (kept by `station_keeper`) and a village room under it;
    九驿街道's station."""
    center = station_create(
        name="大方县人大代表联络服务中心", kind=Station.Kind.COUNTY_CENTER, region=regions["county"]
    )
    huangnitang = station_create(
        name="黄泥塘镇人大代表联络站",
        kind=Station.Kind.TOWNSHIP_STATION,
        region=regions["huangnitang"],
        parent=center,
        address="黄泥塘镇人民政府便民服务中心",
        opening_hours="每月15日 9:00—12:00",
        contact_phone="0857-5231234",
    )
    village = station_create(
        name="黄泥塘社区代表联络室",
        kind=Station.Kind.VILLAGE_ROOM,
        region=regions["village"],
        parent=huangnitang,
    )
    jiuyi = station_create(
        name="九驿街道人大代表联络站",
        kind=Station.Kind.TOWNSHIP_STATION,
        region=regions["jiuyi"],
        parent=center,
    )
    StationKeeper.objects.create(station=huangnitang, user=users["station_keeper"])
    return {"center": center, "huangnitang": huangnitang, "village": village, "jiuyi": jiuyi}
