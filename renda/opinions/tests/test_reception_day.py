"""The QR form on a reception day: refused submissions do not count; twenty genuine residents behind one
Wi-Fi router in an hour all get through; a script posting a hundred times from one address is stopped
(identical content refused, a per-address limit, a per-station ceiling). Figures are settings."""

import datetime

import time_machine

from renda.opinions.models import Opinion

NINE = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)
ROUTER = "10.8.0.1"  # the station's one Wi-Fi router: every resident has this address


def _post(client, station, content, ip=ROUTER, **extra):
    data = {"content": content, "category": "other", **extra}
    return client.post(station.opinion_path, data, REMOTE_ADDR=ip)


def test_refused_submissions_do_not_count(stations, client, settings):
    settings.RENDA_OPINION_RATE_LIMIT = 1
    station = stations["township"]
    for typo in ("1390857", "139085712", "abc", "12345678901", "2390857123"):
        assert _post(client, station, "路灯坏了", constituent_phone=typo).status_code == 400
    assert _post(client, station, "路灯坏了", constituent_phone="13908571234").status_code == 302
    assert Opinion.objects.count() == 1


def test_twenty_residents_on_one_router_in_an_hour_all_get_through(stations, client):
    station = stations["township"]
    with time_machine.travel(NINE, tick=False) as clock:
        for n in range(20):
            response = _post(client, station, f"第{n + 1}位群众：村里第{n + 1}组的路灯坏了，请尽快修。")
            assert response.status_code == 302, (n, response.content.decode()[:300])
            clock.shift(datetime.timedelta(minutes=2))
    assert Opinion.objects.filter(station=station).count() == 20


def test_a_script_repeating_itself_is_stopped_at_once(stations, client):
    station = stations["township"]
    with time_machine.travel(NINE, tick=False):
        codes = [_post(client, station, "垃圾广告 http://spam.example").status_code for _ in range(100)]
        refused = _post(client, station, "垃圾广告  http://spam.example")  # spacing changes nothing
    assert codes.count(302) == 1 and codes.count(429) == 99
    assert "相同内容的意见已经提交过" in refused.content.decode()


def test_a_script_varying_its_text_is_stopped_by_the_address_limit(stations, client, settings):
    station = stations["township"]
    with time_machine.travel(NINE, tick=False):
        codes = [_post(client, station, f"随机内容{n}").status_code for n in range(100)]
    assert codes.count(302) == settings.RENDA_OPINION_RATE_LIMIT >= 20
    assert set(codes[settings.RENDA_OPINION_RATE_LIMIT :]) == {429}


def test_many_addresses_are_stopped_by_the_station_ceiling(stations, client, settings):
    settings.RENDA_OPINION_STATION_LIMIT = 40
    station, other = stations["township"], stations["jiuyi"]
    with time_machine.travel(NINE, tick=False):
        codes = [_post(client, station, f"内容{n}", ip=f"10.9.{n}.1").status_code for n in range(60)]
        assert codes.count(302) == 40 and set(codes[40:]) == {429}
        assert _post(client, other, "另一个站点不受影响", ip="10.9.99.1").status_code == 302
    with time_machine.travel(NINE + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert _post(client, station, "下一个小时", ip="10.9.100.1").status_code == 302


def test_a_script_cannot_dodge_the_duplicate_check_with_invisible_or_half_width_characters(stations, client):
    """U+200B inserted, ：。 swapped for :., spaces and case changed: still the same content."""
    station = stations["township"]
    original = "反映问题：村口ＡＢ路段积水严重。请尽快处理！"
    variants = [
        "反映问题:村口AB路段积水严重.请尽快处理!",
        "反\u200b映问题：村口ＡＢ路段积水严重。请尽快处理！",
        "反映问题： 村口ab路段\u200d积水严重。 请尽快处理\ufeff！",
    ]
    with time_machine.travel(NINE, tick=False):
        assert _post(client, station, original).status_code == 302
        for variant in variants:
            refused = _post(client, station, variant)
            assert refused.status_code == 429, variant
            assert "相同内容的意见已经提交过" in refused.content.decode()
