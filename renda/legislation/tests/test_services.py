"""Legislation services: splitting articles, distributing, collecting opinions while open, feedback."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError
from renda.duty_records.models import DutyRecord
from renda.legislation import services
from renda.legislation.models import Draft, DraftArticle, DraftOpinion

from .conftest import DRAFT_TEXT


def test_text_is_split_into_articles_with_their_chapters():
    articles = services.draft_text_split(DRAFT_TEXT)
    assert [a.label for a in articles] == ["第一条", "第二条", "第三条", "第四条"]
    assert [a.number for a in articles] == [1, 2, 3, 4]
    assert articles[0].chapter == "第一章 总则" and articles[2].chapter == "第二章 治理措施"
    assert articles[0].text.startswith("为了改善乡村人居环境")
    assert articles[2].text.splitlines() == [
        "县级人民政府应当统筹建设农村生活垃圾收运处置体系。",
        "（一）每个行政村至少设置一处垃圾集中收集点；",
        "（二）收集点应当每日清运。",
    ]
    assert articles[3].text == "村民委员会可以将环境卫生要求纳入村规民约。"
    assert services.draft_text_split("没有条文的文字") == []


def test_draft_create_writes_articles_and_distributions(draft, legislative, users):
    assert draft.articles.count() == 4
    assert {d.station for d in draft.distributions.all()} == {legislative["station"], legislative["room"]}
    entry = AuditEntry.objects.get(action="draft.create")
    assert entry.changes["articles"] == 4 and entry.actor_username == "county_staff"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"stations": []}, "stations", "至少选择"),
        ({"stations": "ordinary"}, "stations", "不是基层立法联络站"),
        ({"closes_on": datetime.date(2020, 1, 1)}, "closes_on", "不能早于"),
        ({"text": "草案全文没有条"}, "text", "未能识别条文"),
        ({"title": "  "}, "title", "草案名称"),
    ],
)
def test_draft_create_refuses_bad_input_and_writes_nothing(change, field, message, legislative, users):
    args = {
        "actor": users["county_staff"],
        "title": "草案",
        "issuing_body": "省人大常委会",
        "text": DRAFT_TEXT,
        "opens_on": datetime.date(2024, 8, 1),
        "closes_on": datetime.date(2024, 8, 31),
        "stations": [legislative["station"]],
    }
    if change.get("stations") == "ordinary":
        change = {"stations": [legislative["ordinary"]]}
    args.update(change)
    with pytest.raises(DomainError) as info:
        services.draft_create(**args)
    assert info.value.field == field and message in info.value.message
    assert not Draft.objects.exists() and not DraftArticle.objects.exists()


def test_only_managers_publish_drafts(legislative, users):
    with pytest.raises(DomainError, match="无权"):
        services.draft_create(
            actor=users["township_staff"],
            title="草案",
            issuing_body="省人大常委会",
            text=DRAFT_TEXT,
            opens_on=datetime.date(2024, 8, 1),
            closes_on=datetime.date(2024, 8, 31),
            stations=[legislative["room"]],
        )


def test_staff_and_public_opinions_per_article(draft, legislative, users):
    first = draft.articles.get(number=1)
    staff = services.draft_opinion_add(
        actor=users["station_keeper"],
        draft=draft,
        station=legislative["room"],
        article=first,
        contributor_kind="company",
        contributor_name="大方县某建材公司",
        content="建议明确企业责任。",
    )
    public = services.draft_opinion_submit_public(
        draft=draft, station=legislative["station"], content="建议增加村民监督条款。", client_ip="10.0.0.1"
    )
    assert (staff.channel, staff.article, staff.created_by) == ("staff", first, users["station_keeper"])
    assert (public.channel, public.article, public.contributor_kind, public.created_by) == (
        "public",
        None,
        "resident",
        None,
    )
    assert AuditEntry.objects.filter(action="draft_opinion.create").count() == 2


def test_keeper_enters_only_at_their_own_station(draft, legislative, users):
    with pytest.raises(DomainError) as info:
        services.draft_opinion_add(
            actor=users["station_keeper"],
            draft=draft,
            station=legislative["station"],
            contributor_kind="resident",
            content="x",
        )
    assert info.value.field == "station"


def test_station_must_have_received_the_draft_and_article_must_belong_to_it(draft, legislative, users):
    other = services.draft_create(
        actor=users["county_staff"],
        title="另一草案",
        issuing_body="全国人大常委会法制工作委员会",
        text=DRAFT_TEXT,
        opens_on=draft.opens_on,
        closes_on=draft.closes_on,
        stations=[legislative["station"]],
    )
    with pytest.raises(DomainError) as info:
        services.draft_opinion_add(
            actor=users["county_staff"],
            draft=other,
            station=legislative["room"],
            contributor_kind="resident",
            content="x",
        )
    assert info.value.field == "station" and "未分发" in info.value.message
    with pytest.raises(DomainError) as info:
        services.draft_opinion_add(
            actor=users["county_staff"],
            draft=other,
            station=legislative["station"],
            contributor_kind="resident",
            content="x",
            article=draft.articles.first(),
        )
    assert info.value.field == "article"
    assert not DraftOpinion.objects.exists()


def test_a_closed_draft_refuses_opinions_with_a_clear_message(draft, legislative, users, deputies):
    after = timezone.localtime() + datetime.timedelta(days=11)
    with time_machine.travel(after, tick=False):
        for call in (
            lambda: services.draft_opinion_add(
                actor=users["county_staff"],
                draft=draft,
                station=legislative["station"],
                contributor_kind="deputy",
                deputy=deputies["wang"],
                content="迟到的意见",
            ),
            lambda: services.draft_opinion_submit_public(
                draft=draft, station=legislative["room"], content="迟到的意见", client_ip="10.0.0.2"
            ),
        ):
            with pytest.raises(DomainError) as info:
                call()
            closes = draft.closes_on
            assert info.value.field == "draft"
            assert (
                info.value.message
                == f"该草案征求意见已于{closes.year}年{closes.month}月{closes.day}日截止，不再接收意见"
            )
    assert not DraftOpinion.objects.exists() and not DutyRecord.objects.exists()


def test_not_yet_open_is_refused_too(legislative, users):
    today = timezone.localdate()
    upcoming = services.draft_create(
        actor=users["county_staff"],
        title="草案",
        issuing_body="省人大常委会",
        text=DRAFT_TEXT,
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        stations=[legislative["station"]],
    )
    with pytest.raises(DomainError, match="起才开始"):
        services.draft_opinion_submit_public(draft=upcoming, station=legislative["station"], content="x")


def test_a_deputy_contributing_gets_one_legislation_record_per_draft(draft, legislative, users, deputies):
    for article in draft.articles.all()[:2]:
        services.draft_opinion_add(
            actor=users["county_staff"],
            draft=draft,
            station=legislative["station"],
            article=article,
            contributor_kind="deputy",
            deputy=deputies["li"],
            content="代表意见",
        )
    record = DutyRecord.objects.get(deputy=deputies["li"])
    assert record.kind == "legislation" and record.source_type == "legislation.draft"
    assert record.source_id == str(draft.pk) and "贵州省乡村环境治理条例" in record.title
    opinion = DraftOpinion.objects.filter(deputy=deputies["li"]).first()
    assert opinion.contributor_name == "李明"
    with pytest.raises(DomainError) as info:
        services.draft_opinion_add(
            actor=users["county_staff"],
            draft=draft,
            station=legislative["station"],
            contributor_kind="deputy",
            content="x",
        )
    assert info.value.field == "deputy"


def test_a_signed_in_deputy_comments_on_the_public_page_as_a_deputy(draft, legislative, users, deputies):
    opinion = services.draft_opinion_submit_public(
        draft=draft,
        station=legislative["room"],
        content="代表在公开页面提的意见",
        actor=users["deputy"],
        contributor_kind="resident",
    )
    assert opinion.contributor_kind == "deputy" and opinion.deputy == deputies["wang"]
    assert DutyRecord.objects.get(deputy=deputies["wang"]).kind == "legislation"


def test_public_may_not_claim_to_be_a_deputy(draft, legislative):
    with pytest.raises(DomainError) as info:
        services.draft_opinion_submit_public(
            draft=draft, station=legislative["room"], content="x", contributor_kind="deputy"
        )
    assert info.value.field == "contributor_kind"


def test_feedback_is_for_managers(draft, legislative, users):
    opinion = services.draft_opinion_submit_public(draft=draft, station=legislative["room"], content="x")
    with pytest.raises(DomainError, match="无权"):
        services.draft_opinion_feedback(actor=users["township_staff"], opinion=opinion, adoption="adopted")
    done = services.draft_opinion_feedback(
        actor=users["county_staff"], opinion=opinion, adoption="adopted", note="已在第五条吸收"
    )
    assert done.adoption == "adopted" and done.adoption_decided_at is not None
    assert AuditEntry.objects.get(action="draft_opinion.feedback").changes == {
        "adoption": ["pending", "adopted"]
    }
    with pytest.raises(DomainError) as info:
        services.draft_opinion_feedback(actor=users["county_staff"], opinion=opinion, adoption="maybe")
    assert info.value.field == "adoption"


def test_distribute_adds_only_new_stations(draft, legislative, users, regions):
    from renda.network.models import Station

    extra = Station.objects.create(name="县城立法联络室", kind="legislative_room", region=regions["county"])
    new = services.draft_distribute(
        actor=users["county_staff"], draft=draft, stations=[legislative["room"], extra]
    )
    assert [d.station for d in new] == [extra] and draft.distributions.count() == 3
