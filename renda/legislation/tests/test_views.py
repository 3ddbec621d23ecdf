"""Legislation pages and API: scoping through distributions, staff entry, the public page, statistics."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from renda.legislation import services
from renda.legislation.models import Draft, DraftOpinion

from .conftest import DRAFT_TEXT


@pytest.fixture
def jiuyi_only(legislative, users):
    today = timezone.localdate()
    return services.draft_create(
        actor=users["county_staff"],
        title="只发九驿的草案",
        issuing_body="全国人大常委会法制工作委员会",
        text=DRAFT_TEXT,
        opens_on=today,
        closes_on=today,
        stations=[legislative["station"]],
    )


VISIBLE = {
    "county_staff": {"贵州省乡村环境治理条例（草案）", "只发九驿的草案"},
    "leader": {"贵州省乡村环境治理条例（草案）", "只发九驿的草案"},
    "township_staff": {"贵州省乡村环境治理条例（草案）"},
    "jiuyi_staff": {"贵州省乡村环境治理条例（草案）", "只发九驿的草案"},
    "station_keeper": {"贵州省乡村环境治理条例（草案）"},
}


@pytest.mark.parametrize("username", [*VISIBLE, "deputy", "unit", "admin", "auditor"])
def test_drafts_are_seen_through_the_stations_they_went_to(username, draft, jiuyi_only, users, client):
    client.force_login(users[username])
    expected = VISIBLE.get(username)
    api = client.get("/api/v1/drafts")
    page = client.get("/legislation/")
    if expected is None:
        assert api.status_code == page.status_code == 404
        return
    assert {d["title"] for d in api.json()["items"]} == expected and api.json()["count"] == len(expected)
    for d in (draft, jiuyi_only):
        code = 200 if d.title in expected else 404
        assert client.get(f"/legislation/{d.pk}/").status_code == code
        assert client.get(f"/api/v1/drafts/{d.pk}").status_code == code
        assert client.get(f"/legislation/{d.pk}/report.docx").status_code == code


def test_list_page_query_count(legislative, users, client, django_assert_max_num_queries):
    client.force_login(users["county_staff"])
    today = timezone.localdate()
    for i in range(12):
        services.draft_create(
            actor=users["county_staff"],
            title=f"草案{i}",
            issuing_body="省人大常委会",
            text=DRAFT_TEXT,
            opens_on=today,
            closes_on=today,
            stations=[legislative["station"], legislative["room"]],
        )
    with django_assert_max_num_queries(10):
        response = client.get("/legislation/")
    assert response.status_code == 200 and response.content.decode().count("草案") >= 12


def test_detail_page_query_count(draft, legislative, users, client, django_assert_max_num_queries):
    for i in range(20):
        services.draft_opinion_submit_public(
            draft=draft, station=legislative["room"], content=f"意见{i}", client_ip=f"10.0.0.{i}"
        )
    client.force_login(users["county_staff"])
    with django_assert_max_num_queries(20):
        response = client.get(f"/legislation/{draft.pk}/")
    assert response.status_code == 200 and response.content.decode().count("意见1") >= 10


def test_manager_publishes_a_draft_from_the_form(legislative, users, client):
    client.force_login(users["county_staff"])
    assert client.get("/legislation/new/").status_code == 200
    # The stations are a search picker (issue 15 §4): legislative stations only.
    found = client.get("/pick/legislation-station/", {"q": "站", "field": "stations", "multiple": "1"})
    assert "九驿街道基层立法联络站" in found.content.decode()
    assert "黄泥塘镇人大代表联络站" not in found.content.decode()
    response = client.post(
        "/legislation/new/",
        {
            "title": "某某法（草案）",
            "issuing_body": "全国人大常委会法制工作委员会",
            "text": DRAFT_TEXT,
            "opens_on": "2024-08-01",
            "closes_on": "2024-08-31",
            "stations": [legislative["room"].pk],
        },
    )
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/legislation/{draft.pk}/"
    assert draft.articles.count() == 4
    bad = client.post(
        "/legislation/new/",
        {
            "title": "x",
            "issuing_body": "y",
            "text": "无条文",
            "opens_on": "2024-08-01",
            "closes_on": "2024-08-31",
            "stations": [legislative["room"].pk],
        },
    )
    assert bad.status_code == 400 and "未能识别条文" in bad.content.decode()


def test_keeper_enters_an_opinion_and_late_entries_are_refused(draft, legislative, users, client):
    client.force_login(users["station_keeper"])
    article = draft.articles.get(number=2)
    data = {
        "station": legislative["room"].pk,
        "article": article.pk,
        "contributor_kind": "resident",
        "content": "适用范围应包括易地扶贫搬迁安置点。",
    }
    assert client.post(f"/legislation/{draft.pk}/opinions/", data).status_code == 302
    assert DraftOpinion.objects.get().article == article
    with time_machine.travel(timezone.localtime() + datetime.timedelta(days=30), tick=False):
        client.force_login(users["station_keeper"])  # the idle limit ended the earlier session
        late = client.post(f"/legislation/{draft.pk}/opinions/", data)
        assert late.status_code == 400 and "截止，不再接收意见" in late.content.decode()
    assert DraftOpinion.objects.count() == 1
    # The keeper may not publish or record adoption.
    assert client.get("/legislation/new/").status_code == 404
    assert (
        client.post(
            f"/legislation/opinions/{DraftOpinion.objects.get().pk}/feedback/", {"adoption": "adopted"}
        ).status_code
        == 404
    )


def test_public_page_takes_opinions_while_open(draft, legislative, client, settings):
    listing = client.get("/legislation/public/").content.decode()
    assert "贵州省乡村环境治理条例（草案）" in listing
    page = client.get(f"/legislation/public/{draft.pk}/").content.decode()
    assert "第三条" in page and "每个行政村至少设置一处垃圾集中收集点" in page and "提交意见" in page
    response = client.post(
        f"/legislation/public/{draft.pk}/",
        {
            "station": legislative["station"].pk,
            "article": "",
            "content": "总体赞成。",
            "contributor_kind": "company",
        },
    )
    assert response.status_code == 302
    opinion = DraftOpinion.objects.get()
    assert (opinion.channel, opinion.contributor_kind, opinion.article) == ("public", "company", None)
    settings.RENDA_OPINION_RATE_LIMIT = 1
    flood = client.post(
        f"/legislation/public/{draft.pk}/",
        {"station": legislative["station"].pk, "content": "again", "contributor_kind": "resident"},
    )
    assert flood.status_code == 429 and "提交过于频繁" in flood.content.decode()


def test_public_page_after_closing_refuses_with_a_clear_message(draft, legislative, client):
    with time_machine.travel(timezone.localtime() + datetime.timedelta(days=30), tick=False):
        page = client.get(f"/legislation/public/{draft.pk}/").content.decode()
        assert "截止，不再接收意见" in page and 'name="content"' not in page
        refused = client.post(
            f"/legislation/public/{draft.pk}/",
            {"station": legislative["room"].pk, "content": "迟到", "contributor_kind": "resident"},
        )
        assert refused.status_code == 400 and "截止，不再接收意见" in refused.content.decode()
        assert "贵州省乡村环境治理条例" not in client.get("/legislation/public/").content.decode()
    assert not DraftOpinion.objects.exists()


def test_statistics_per_station_and_year(draft, legislative, users, client):
    room, station = legislative["room"], legislative["station"]
    made = [
        services.draft_opinion_submit_public(draft=draft, station=s, content=f"意见{i}")
        for i, s in enumerate([room, room, room, station])
    ]
    services.draft_opinion_feedback(actor=users["county_staff"], opinion=made[0], adoption="adopted")
    services.draft_opinion_feedback(actor=users["county_staff"], opinion=made[3], adoption="adopted")
    year = timezone.localdate().year
    client.force_login(users["county_staff"])
    stats = client.get("/api/v1/drafts/stats", {"year": year}).json()
    assert [(s["station_name"], s["sent"], s["adopted"], s["drafts"]) for s in stats["stations"]] == [
        ("黄泥塘镇基层立法联络室", 3, 1, 1),
        ("九驿街道基层立法联络站", 1, 1, 1),
    ]
    assert stats["years"] == [{"year": year, "drafts": 1, "sent": 4, "adopted": 2}]
    assert client.get("/api/v1/drafts/stats", {"year": year - 1}).json()["stations"] == []
    page = client.get("/legislation/stats/", {"year": year}).content.decode()
    assert "黄泥塘镇基层立法联络室" in page and f"{year}年各站点报送与采纳情况" in page
    client.force_login(users["township_staff"])
    own = client.get("/api/v1/drafts/stats", {"year": year}).json()
    assert [(s["station_name"], s["sent"]) for s in own["stations"]] == [("黄泥塘镇基层立法联络室", 3)]


def test_api_detail_and_opinions(draft, legislative, users, client):
    services.draft_opinion_submit_public(
        draft=draft, station=legislative["room"], content="意见", article=draft.articles.get(number=4)
    )
    client.force_login(users["jiuyi_staff"])
    detail = client.get(f"/api/v1/drafts/{draft.pk}").json()
    assert detail["status"] == "open" and [a["label"] for a in detail["articles"]][:2] == ["第一条", "第二条"]
    assert [s["name"] for s in detail["stations"]] == ["九驿街道基层立法联络站"]
    assert detail["opinion_count"] == 0  # the room's opinion is outside 九驿
    client.force_login(users["county_staff"])
    items = client.get(f"/api/v1/drafts/{draft.pk}/opinions").json()
    assert items["count"] == 1 and items["items"][0]["article_label"] == "第四条"
    assert client.get("/api/v1/drafts", {"status": "closed"}).json()["count"] == 0
