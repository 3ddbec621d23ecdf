"""Opinion pages: the QR form with its flood limit, the tracking page, staff entry and handling."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from renda.audit.models import AuditEntry
from renda.core.models import RateLimitBucket
from renda.duty_records.models import DutyRecord
from renda.opinions.models import Opinion


def form_url(station):
    return f"/o/{station.public_code}/"


# ---------- the public QR form ----------


def test_qr_link_round_trip(stations, client):
    """The poster's link opens this station's form, and what is sent lands at this station."""
    station = stations["village"]
    assert station.opinion_path == form_url(station)
    page = client.get(station.opinion_path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "黄泥塘社区代表联络室" in body and 'name="content"' in body and "提交意见" in body
    response = client.post(station.opinion_path, {"content": "河道垃圾无人清理", "category": "environment"})
    assert response.status_code == 302 and response["Location"].startswith("/opinions/submitted/?t=")
    opinion = Opinion.objects.get()
    assert opinion.station == station and opinion.region == station.region and opinion.channel == "qr_form"
    assert opinion.tracking_code not in response["Location"]  # the URL carries a signed, expiring token
    done = client.get(response["Location"]).content.decode()
    assert opinion.tracking_code in done and 'id="tracking-code"' in done


def test_the_tracking_code_never_depends_on_a_write_after_the_opinion_is_saved(stations, client, monkeypatch):
    """The session write that used to carry the code failed after the commit ("database is locked"): the
    resident got an error page and lost the code. Now nothing is written after the opinion is saved."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def locked(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", locked)
    monkeypatch.setattr(SessionStore, "create", locked)
    station = stations["village"]
    response = client.post(station.opinion_path, {"content": "路灯坏了", "category": "other"})
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    done = client.get(response["Location"])
    assert done.status_code == 200 and opinion.tracking_code in done.content.decode()


def test_a_confirmation_link_expires_and_cannot_be_forged(stations, client, settings):
    station = stations["village"]
    response = client.post(station.opinion_path, {"content": "路灯坏了", "category": "other"})
    link = response["Location"]
    assert client.get(link[:-2] + "xx")["Location"] == "/opinions/track/"
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=settings.RENDA_OPINION_CONFIRMATION_SECONDS + 60
    )
    with time_machine.travel(later):
        assert client.get(link)["Location"] == "/opinions/track/"


def test_unknown_or_inactive_station_is_404(stations, client):
    assert client.get("/o/nosuch12/").status_code == 404
    station = stations["jiuyi"]
    type(station).objects.filter(pk=station.pk).update(is_active=False)
    assert client.get(form_url(station)).status_code == 404
    assert client.post(form_url(station), {"content": "x", "category": "other"}).status_code == 404


def test_public_form_without_session_goes_to_tracking(client, db):
    response = client.get("/opinions/submitted/")
    assert response.status_code == 302 and response["Location"] == "/opinions/track/"


def test_invalid_phone_is_shown_next_to_the_phone_field(stations, client):
    response = client.post(
        form_url(stations["township"]), {"content": "意见", "category": "other", "constituent_phone": "12345"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_constituent_phone_error"' in body and "电话号码格式不正确" in body
    assert 'aria-invalid="true"' in body and not Opinion.objects.exists()


@pytest.mark.django_db
def test_a_flood_from_one_address_is_rate_limited(stations, client, settings):
    settings.RENDA_OPINION_RATE_LIMIT = 3
    settings.RENDA_OPINION_RATE_WINDOW_SECONDS = 600
    url = form_url(stations["township"])
    data = {"content": "同一条意见", "category": "other"}
    with time_machine.travel(datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        for n in range(3):
            assert (
                client.post(url, {**data, "content": f"意见{n}"}, REMOTE_ADDR="10.0.0.7").status_code == 302
            )
        refused = client.post(url, data, REMOTE_ADDR="10.0.0.7")
        assert refused.status_code == 429
        assert "提交过于频繁，请10分钟后再试" in refused.content.decode()
        assert Opinion.objects.count() == 3
        assert AuditEntry.objects.filter(action="opinion.rate_limited", ip="10.0.0.7").count() == 1
        # Another address is not affected; no client address is stored in clear.
        assert client.post(url, data, REMOTE_ADDR="10.0.0.8").status_code == 302
        assert not RateLimitBucket.objects.filter(key__contains="10.0.0").exists()
        # The next window lets the first address in again.
        clock.shift(datetime.timedelta(seconds=601))
        assert client.post(url, data, REMOTE_ADDR="10.0.0.7").status_code == 302
    assert Opinion.objects.count() == 5


def test_the_limit_counts_across_stations(stations, client, settings):
    settings.RENDA_OPINION_RATE_LIMIT = 2
    assert (
        client.post(form_url(stations["township"]), {"content": "意见一", "category": "other"}).status_code
        == 302
    )
    assert (
        client.post(form_url(stations["jiuyi"]), {"content": "意见二", "category": "other"}).status_code
        == 302
    )
    assert (
        client.post(form_url(stations["village"]), {"content": "意见三", "category": "other"}).status_code
        == 429
    )


# ---------- the tracking page ----------


def test_tracking_code_lookup_shows_progress_and_reply(make_opinion, client):
    opinion = make_opinion(Opinion.State.ANSWERED, reply="路灯已于本周修复。")
    assert client.get("/opinions/track/").status_code == 200
    page = client.post("/opinions/track/", {"code": opinion.tracking_code.lower()})
    body = page.content.decode()
    assert page.status_code == 200
    assert "已当场答复" in body and "路灯已于本周修复。" in body and "您对答复是否满意" in body
    # Internal notes and staff names are not shown to the public.
    assert "county_staff" not in body
    missing = client.post("/opinions/track/", {"code": "ABCDEFGHJK"})
    assert missing.status_code == 404 and "没有找到这个查询码" in missing.content.decode()


def test_a_merged_opinion_shows_the_progress_of_the_one_it_joined(make_opinion, client):
    primary = make_opinion(Opinion.State.ANSWERED, reply="合并办理的答复")
    duplicate = make_opinion(Opinion.State.MERGED, merged_into=primary)
    body = client.post("/opinions/track/", {"code": duplicate.tracking_code}).content.decode()
    assert "合并办理" in body and "合并办理的答复" in body and "您对答复是否满意" not in body


def test_constituent_rates_the_reply_once(make_opinion, client):
    opinion = make_opinion(Opinion.State.ANSWERED)
    page = client.post("/opinions/track/", {"code": opinion.tracking_code, "satisfaction": "satisfied"})
    assert page.status_code == 200 and "感谢您的评价" in page.content.decode()
    opinion.refresh_from_db()
    assert opinion.satisfaction == "satisfied"
    assert "您对答复是否满意" not in page.content.decode()
    again = client.post("/opinions/track/", {"code": opinion.tracking_code, "satisfaction": "dissatisfied"})
    assert again.status_code == 409
    opinion.refresh_from_db()
    assert opinion.satisfaction == "satisfied"


def test_tracking_lookups_are_throttled(make_opinion, client, settings):
    settings.RENDA_OPINION_TRACK_LIMIT = 2
    code = make_opinion().tracking_code
    assert client.post("/opinions/track/", {"code": code}).status_code == 200
    assert client.post("/opinions/track/", {"code": "ABCDEFGHJK"}).status_code == 404
    refused = client.post("/opinions/track/", {"code": code})
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()


# ---------- staff and deputies ----------


def test_list_page_query_count_does_not_grow(make_opinion, users, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    client.get("/opinions/")
    for i in range(25):
        make_opinion(station=("township", "village", "jiuyi")[i % 3], title=f"意见{i}")
    with django_assert_max_num_queries(10):
        response = client.get("/opinions/")
    assert response.status_code == 200 and response.content.decode().count("/opinions/") >= 25
    htmx = client.get("/opinions/", {"state": "received"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "<html" not in htmx.content.decode()


def test_keeper_enters_a_walk_in_and_answers_it(stations, users, client):
    client.force_login(users["station_keeper"])
    assert client.get("/opinions/new/").status_code == 200
    # The station is a search picker (issue 15 §4): it finds the keeper's own station only.
    found = client.get("/pick/opinion-station/", {"q": "联络站", "field": "station"}).content.decode()
    assert "黄泥塘镇人大代表联络站" in found and "九驿街道人大代表联络站" not in found
    response = client.post(
        "/opinions/new/",
        {
            "station": stations["township"].pk,
            "channel": "walk_in",
            "content": "学校门口缺少减速带",
            "category": "transport",
        },
    )
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/opinions/{opinion.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert opinion.tracking_code in detail and "当场答复" in detail and "转交部门" not in detail
    answered = client.post(
        f"/opinions/{opinion.pk}/transition/",
        {"target": "answered", "answered-reply": "已联系交警中队安装。"},
    )
    assert answered.status_code == 302
    opinion.refresh_from_db()
    assert opinion.state == "answered" and opinion.reply == "已联系交警中队安装。"


def test_a_refused_move_answers_409_with_the_reason(make_opinion, users, client):
    opinion = make_opinion()
    client.force_login(users["station_keeper"])
    response = client.post(
        f"/opinions/{opinion.pk}/transition/", {"target": "referred", "referred-note": "x"}
    )
    assert response.status_code == 409 and "不能对“已受理”的意见执行“转交部门”" in response.content.decode()
    missing = client.post(f"/opinions/{opinion.pk}/transition/", {"target": "answered"})
    assert missing.status_code == 400 and "请填写答复群众的内容" in missing.content.decode()
    assert client.post(f"/opinions/{opinion.pk}/transition/", {"target": "nonsense"}).status_code == 404
    opinion.refresh_from_db()
    assert opinion.state == "received"


def test_staff_merge_a_duplicate_through_the_page(make_opinion, users, client):
    kept = make_opinion(title="村口道路坑洼")
    duplicate = make_opinion(title="村口道路又坑洼了")
    elsewhere = make_opinion(station="jiuyi", title="九驿的意见")
    client.force_login(users["township_staff"])
    page = client.get(f"/opinions/{duplicate.pk}/").content.decode()
    assert f'<option value="{kept.pk}">' in page
    outside = client.post(
        f"/opinions/{duplicate.pk}/transition/",
        {"target": "merged", "merged-merged_into": elsewhere.pk, "merged-note": "重复"},
    )
    assert outside.status_code == 400
    response = client.post(
        f"/opinions/{duplicate.pk}/transition/",
        {"target": "merged", "merged-merged_into": kept.pk, "merged-note": "与前一条重复"},
    )
    assert response.status_code == 302 and response["Location"] == f"/opinions/{duplicate.pk}/"
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into) == ("merged", kept)
    event = duplicate.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor, event.note) == (
        "transition",
        "received",
        "merged",
        users["township_staff"],
        "与前一条重复",
    )


def test_township_staff_refer_and_reply_then_close(make_opinion, users, unit_org, client):
    opinion = make_opinion()
    client.force_login(users["township_staff"])
    assert (
        client.post(
            f"/opinions/{opinion.pk}/transition/",
            {"target": "referred", "referred-department": unit_org.pk, "referred-note": "请交通局核实"},
        ).status_code
        == 302
    )
    assert (
        client.post(f"/opinions/{opinion.pk}/reply/", {"reply": "交通局答复：已列入计划"}).status_code == 302
    )
    assert (
        client.post(
            f"/opinions/{opinion.pk}/rate/", {"satisfaction": "satisfied", "note": "电话回访"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/opinions/{opinion.pk}/transition/", {"target": "closed", "closed-note": "已办结"}
        ).status_code
        == 302
    )
    opinion.refresh_from_db()
    assert (opinion.state, opinion.department, opinion.satisfaction) == ("closed", unit_org, "satisfied")
    assert [e.action for e in opinion.events.all()] == ["transition", "reply", "rate", "transition"]
    # The handling unit sees what was referred to it, read-only.
    client.force_login(users["unit"])
    page = client.get(f"/opinions/{opinion.pk}/").content.decode()
    assert "交通局答复：已列入计划" in page and "办理说明" not in page.split("办理记录")[0]


def test_deputy_records_what_they_heard_from_the_nav(users, deputies, client):
    client.force_login(users["deputy"])
    portal = client.get("/deputies/portal/").content.decode()
    assert 'href="/opinions/"' in portal
    listing = client.get("/opinions/").content.decode()
    assert "记录听到的意见" in listing
    form = client.get("/opinions/new/").content.decode()
    assert 'name="station"' not in form and "计入您的履职记录" in form
    response = client.post("/opinions/new/", {"content": "希望村里通公交", "category": "transport"})
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.deputy == deputies["wang"]
    assert DutyRecord.objects.get(deputy=deputies["wang"]).kind == "contact"
    detail = client.get(response["Location"]).content.decode()
    assert "转为代表建议" in detail and "当场答复" not in detail
    moved = client.post(
        f"/opinions/{opinion.pk}/transition/", {"target": "suggestion", "suggestion-note": "拟提建议"}
    )
    assert moved.status_code == 302
    opinion.refresh_from_db()
    assert opinion.state == "suggestion"


def test_phone_is_masked_and_reveal_is_audited(make_opinion, users, client):
    opinion = make_opinion(constituent_phone="13912345678")
    client.force_login(users["township_staff"])
    body = client.get(f"/opinions/{opinion.pk}/").content.decode()
    assert "139****5678" in body and "13912345678" not in body
    api = client.get(f"/api/v1/opinions/{opinion.pk}").json()
    assert api["constituent_phone"] == "139****5678"
    revealed = client.post(f"/opinions/{opinion.pk}/reveal/", HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and "13912345678" in revealed.content.decode()
    assert AuditEntry.objects.filter(action="personal_data.reveal", object_id=str(opinion.pk)).count() == 1
    plain = client.post(f"/opinions/{opinion.pk}/reveal/")
    assert (
        plain.status_code == 200
        and "13912345678" in plain.content.decode()
        and not plain.cookies.get("messages")
    )
    # A deputy may not reveal (the keeper's own-station reveal: test_closing_loop.py).
    client.force_login(users["deputy"])
    assert client.post(f"/opinions/{opinion.pk}/reveal/").status_code == 404


def test_entry_with_a_bad_phone_keeps_the_form(stations, users, client):
    client.force_login(users["county_staff"])
    response = client.post(
        "/opinions/new/",
        {
            "station": stations["jiuyi"].pk,
            "channel": "phone_call",
            "content": "x",
            "category": "other",
            "constituent_phone": "999",
        },
    )
    assert response.status_code == 400 and "电话号码格式不正确" in response.content.decode()
    assert not Opinion.objects.exists()


def test_received_at_in_the_future_is_refused(stations, users):
    from renda.core.errors import DomainError
    from renda.opinions.services import opinion_create

    with pytest.raises(DomainError) as info:
        opinion_create(
            actor=users["county_staff"],
            station=stations["jiuyi"],
            channel="walk_in",
            content="x",
            received_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert info.value.field == "received_at"


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.upper(),
        lambda code: code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),  # full-width, as IMEs type
        lambda code: code[:2] + "\u200b" + code[2:],
        lambda code: " " + code.upper().translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),
    ],
)
def test_the_poster_address_opens_however_the_code_is_typed(stations, client, typed):
    station = stations["village"]
    assert client.get(f"/o/{typed(station.public_code)}/").status_code == 200
