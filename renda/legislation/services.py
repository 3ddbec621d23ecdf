"""Writes to legislative consultation: drafts and their articles, distribution, opinions, feedback."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.access import Role, has_permission, scope_queryset
from renda.core.errors import DomainError
from renda.core.text import clean_name, clean_text
from renda.core.throttle import client_key, throttle_hit
from renda.deputies.selectors import deputy_for_user
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.network.models import Station
from renda.opinions.services import RateLimited

from .models import LEGISLATIVE_KINDS, Draft, DraftArticle, DraftDistribution, DraftOpinion

_NUMERAL = r"[一二三四五六七八九十百千零〇两\d]+"
_ARTICLE = re.compile(rf"^\s*(第{_NUMERAL}条)[\s\u3000]*(.*)$")
_HEADING = re.compile(rf"^\s*(第{_NUMERAL}[编章节])[\s\u3000]*(.*)$")


@dataclass(frozen=True)
class ParsedArticle:
    number: int
    label: str
    chapter: str
    text: str


def draft_text_split(text: str) -> list[ParsedArticle]:
    """Split a draft's text into articles at every line that starts with 第…条.

    Lines before the first article (title, table of contents) are not part of any article; 章/节
    headings are remembered as the chapter of the articles that follow them.
    """
    articles: list[ParsedArticle] = []
    chapter = ""
    label, lines = "", []
    current_chapter = ""

    def flush():
        if label:
            body = "\n".join(line for line in lines if line).strip()
            articles.append(ParsedArticle(len(articles) + 1, label, current_chapter, body))

    for raw in (text or "").splitlines():
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading and not _ARTICLE.match(line):
            flush()
            label, lines = "", []
            chapter = " ".join(filter(None, heading.groups()))[:100]
            continue
        article = _ARTICLE.match(line)
        if article:
            flush()
            label, lines, current_chapter = article.group(1), [article.group(2).strip()], chapter
        elif label:
            lines.append(line)
    flush()
    return articles


def _stations_checked(*, actor, stations) -> list[Station]:
    stations = list(stations or [])
    if not stations:
        raise DomainError(_("请至少选择一个基层立法联络站或联络室"), field="stations")
    for station in stations:
        if station.kind not in LEGISLATIVE_KINDS:
            raise DomainError(
                _("“%(s)s”不是基层立法联络站（室），不能分发草案") % {"s": station.name}, field="stations"
            )
    visible = set(
        scope_queryset(Station.objects.filter(pk__in=[s.pk for s in stations]), actor).values_list(
            "pk", flat=True
        )
    )
    if len(visible) != len({s.pk for s in stations}):
        raise DomainError(_("只能分发到您管辖范围内的站点"), field="stations")
    return stations


def draft_create(
    *,
    actor,
    title: str,
    issuing_body: str,
    text: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    stations,
    summary: str = "",
) -> Draft:
    """Register a draft for comment, split it into articles and send it to the chosen stations."""
    if not has_permission(actor, "legislation.manage"):
        raise DomainError(_("您无权发布征求意见草案"))
    title, issuing_body = " ".join((title or "").split()), " ".join((issuing_body or "").split())
    if not title:
        raise DomainError(_("请填写草案名称"), field="title")
    if not issuing_body:
        raise DomainError(_("请填写征求意见机关"), field="issuing_body")
    if closes_on < opens_on:
        raise DomainError(_("截止日期不能早于开始日期"), field="closes_on")
    parsed = draft_text_split(text)
    if not parsed:
        raise DomainError(_("未能识别条文：请确认每一条以“第×条”开头、单独起行"), field="text")
    stations = _stations_checked(actor=actor, stations=stations)
    with transaction.atomic():
        draft = Draft(
            title=title,
            issuing_body=issuing_body,
            summary=(summary or "").strip(),
            text=text.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor,
        )
        draft.full_clean()
        draft.save()
        DraftArticle.objects.bulk_create(
            DraftArticle(draft=draft, number=a.number, label=a.label, chapter=a.chapter, text=a.text)
            for a in parsed
        )
        DraftDistribution.objects.bulk_create(
            DraftDistribution(draft=draft, station=s, distributed_by=actor) for s in stations
        )
        audit_record(
            action="draft.create",
            actor=actor,
            obj=draft,
            changes={
                "title": title,
                "issuing_body": issuing_body,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "articles": len(parsed),
                "stations": [s.name for s in stations],
            },
        )
    return draft


def draft_distribute(*, actor, draft: Draft, stations) -> list[DraftDistribution]:
    """Send the draft to more stations; stations it already went to are left as they are."""
    if not has_permission(actor, "legislation.manage"):
        raise DomainError(_("您无权分发草案"))
    if draft.status() == "closed":
        raise DomainError(_("征求意见已截止，不能再分发"), field="stations")
    stations = _stations_checked(actor=actor, stations=stations)
    with transaction.atomic():
        already = set(draft.distributions.values_list("station_id", flat=True))
        new = [
            DraftDistribution(draft=draft, station=s, distributed_by=actor)
            for s in stations
            if s.pk not in already
        ]
        DraftDistribution.objects.bulk_create(new)
        if new:
            audit_record(
                action="draft.distribute",
                actor=actor,
                obj=draft,
                changes={"stations": [d.station.name for d in new]},
            )
    return new


def _check_open(draft: Draft) -> None:
    today = timezone.localdate()
    if today < draft.opens_on:
        raise DomainError(_("该草案%(d)s起才开始征求意见") % {"d": _cn_date(draft.opens_on)}, field="draft")
    if today > draft.closes_on:
        raise DomainError(
            _("该草案征求意见已于%(d)s截止，不再接收意见") % {"d": _cn_date(draft.closes_on)}, field="draft"
        )


def _cn_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _opinion_add(
    *,
    actor,
    draft: Draft,
    station: Station,
    article: DraftArticle | None,
    contributor_kind: str,
    content: str,
    contributor_name: str,
    deputy,
    channel: str,
) -> DraftOpinion:
    content = clean_text(content)
    if not content:
        raise DomainError(_("请填写意见内容"), field="content")
    if len(content) > 3000:
        raise DomainError(_("意见内容不能超过3000字"), field="content")
    if article is not None and article.draft_id != draft.pk:
        raise DomainError(_("所选条文不属于该草案"), field="article")
    if station is None or not draft.distributions.filter(station=station).exists():
        raise DomainError(_("该草案未分发到所选站点"), field="station")
    if contributor_kind not in DraftOpinion.ContributorKind.values:
        raise DomainError(_("请选择意见人类别"), field="contributor_kind")
    if contributor_kind == DraftOpinion.ContributorKind.DEPUTY:
        if deputy is None:
            raise DomainError(_("请选择提出意见的代表"), field="deputy")
        contributor_name = contributor_name or deputy.name
    else:
        deputy = None
    with transaction.atomic():
        # Lock the draft row: its closing date is checked and the opinion written in one step.
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        _check_open(draft)
        opinion = DraftOpinion(
            draft=draft,
            article=article,
            station=station,
            contributor_kind=contributor_kind,
            contributor_name=clean_name(contributor_name)[:50],
            deputy=deputy,
            content=content,
            channel=channel,
            submitted_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        opinion.full_clean()
        opinion.save()
        audit_record(
            action="draft_opinion.create",
            actor=actor,
            obj=opinion,
            changes={
                "draft": str(draft),
                "article": article.label if article else "总体意见",
                "station": station.name,
                "contributor_kind": contributor_kind,
                "channel": channel,
            },
        )
        if deputy is not None:
            _record_duty(deputy=deputy, draft=draft, actor=actor)
    return opinion


def _record_duty(*, deputy, draft: Draft, actor) -> None:
    """Taking part in the consultation on a draft is one duty record, however many opinions it brings."""
    try:
        duty_record_add(
            deputy=deputy,
            kind=DutyRecord.Kind.LEGISLATION,
            title=(_("参加立法意见征询：%(t)s") % {"t": draft.title})[:200],
            occurred_on=timezone.localdate(),
            source=draft,
            source_url=reverse("legislation:detail", args=[draft.pk]),
            actor=actor,
        )
    except DomainError as exc:
        if exc.field != "source":
            raise


def draft_opinion_add(
    *,
    actor,
    draft: Draft,
    station: Station,
    contributor_kind: str,
    content: str,
    article: DraftArticle | None = None,
    contributor_name: str = "",
    deputy=None,
) -> DraftOpinion:
    """Staff at a station enter an opinion they collected (at a hearing, by letter, from a deputy)."""
    if not has_permission(actor, "legislation.contribute"):
        raise DomainError(_("您无权录入立法意见"))
    if station is None or not scope_queryset(Station.objects.filter(pk=station.pk), actor).exists():
        raise DomainError(_("请选择您管辖范围内的站点"), field="station")
    return _opinion_add(
        actor=actor,
        draft=draft,
        station=station,
        article=article,
        contributor_kind=contributor_kind,
        content=content,
        contributor_name=contributor_name,
        deputy=deputy,
        channel=DraftOpinion.Channel.STAFF,
    )


PUBLIC_KINDS = (
    DraftOpinion.ContributorKind.RESIDENT,
    DraftOpinion.ContributorKind.COMPANY,
    DraftOpinion.ContributorKind.EXPERT,
)


def draft_opinion_submit_public(
    *,
    draft: Draft,
    station: Station,
    content: str,
    contributor_kind: str = DraftOpinion.ContributorKind.RESIDENT,
    article: DraftArticle | None = None,
    contributor_name: str = "",
    actor=None,
    client_ip: str | None = None,
) -> DraftOpinion:
    """The public comment page: anyone while the draft is open; a signed-in deputy as a deputy."""
    allowed = throttle_hit(
        key=client_key("draft-form", client_ip),
        limit=settings.RENDA_OPINION_RATE_LIMIT,
        window_seconds=settings.RENDA_OPINION_RATE_WINDOW_SECONDS,
    )
    if not allowed:
        minutes = max(1, settings.RENDA_OPINION_RATE_WINDOW_SECONDS // 60)
        raise RateLimited(_("提交过于频繁，请%(m)d分钟后再试。") % {"m": minutes})
    deputy = None
    if getattr(actor, "is_authenticated", False) and actor.role == Role.DEPUTY:
        deputy = deputy_for_user(user=actor)
    if deputy is not None:
        contributor_kind = DraftOpinion.ContributorKind.DEPUTY
    elif contributor_kind not in PUBLIC_KINDS:
        raise DomainError(_("请选择意见人类别"), field="contributor_kind")
    return _opinion_add(
        actor=actor,
        draft=draft,
        station=station,
        article=article,
        contributor_kind=contributor_kind,
        content=content,
        contributor_name=contributor_name,
        deputy=deputy,
        channel=DraftOpinion.Channel.PUBLIC,
    )


def draft_opinion_feedback(*, actor, opinion: DraftOpinion, adoption: str, note: str = "") -> DraftOpinion:
    """Record what the legislature did with an opinion (采纳 or not), from its feedback."""
    if not has_permission(actor, "legislation.manage"):
        raise DomainError(_("您无权登记采纳情况"))
    if adoption not in DraftOpinion.Adoption.values:
        raise DomainError(_("请选择采纳情况"), field="adoption")
    note = (note or "").strip()
    with transaction.atomic():
        current = DraftOpinion.objects.select_for_update().get(pk=opinion.pk)
        old = current.adoption
        current.adoption = adoption
        current.adoption_note = note[:300]
        current.adoption_decided_at = None if adoption == DraftOpinion.Adoption.PENDING else timezone.now()
        current.save(update_fields=["adoption", "adoption_note", "adoption_decided_at", "updated_at"])
        audit_record(
            action="draft_opinion.feedback",
            actor=actor,
            obj=current,
            changes={"adoption": [old, adoption]},
            detail=note,
        )
    return current
