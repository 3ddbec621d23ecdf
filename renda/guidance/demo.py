"""Demo data for guidance: 大方县's 2024 guidance list for its 29 townships and streets, four guidance
groups led by members of the standing committee, a realistic mix of states, and the four rules at
the stations.

Idempotent: the list is found by its year; groups by name; reports are made only on a list that has
none; rules only where absent.

- Groups: 第一指导组 (张国华, the demo `leader`) covers the four streets and 黄泥塘镇, 双山镇, 猫场镇 —
  so that the demo `township_staff` of 黄泥塘镇 reports to the demo leader; three more groups are led
  by extra leader accounts `leader2`–`leader4` (created here as seed_demo creates accounts).
- States, deterministic per township and item: about 60 % accepted as done, some waiting for review,
  some sent back (a few of them re-reported), some accepted as "in progress", a few never reported
  (overdue). 黄泥塘镇 keeps open and sent-back items for the demo's township account to work on.
  Events are dated in 2024 around each item's due date, so the board can be read as of any 2024 day.
- Evidence: a small generated photo (JPEG) and a one-page PDF per report.
- Rules: the county's four templates; at the demonstration stations (红旗街道西南社区, 黄泥塘镇's
  township station) all four posted; at every third other township station two or three, one
  adopted but not yet posted.
"""

import datetime
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.access import Role
from renda.network.models import Station
from renda.organizations.models import Organization
from renda.regions.models import Region

from . import services
from .models import (
    GuidanceItem,
    GuidanceList,
    RuleKind,
    RuleTemplate,
    StationRule,
    TownshipItem,
    TownshipItemEvent,
)

COUNTY = "520521"
YEAR = 2024
STREETS = ["520521001", "520521002", "520521003", "520521004"]
TOWNS = [f"5205211{n:02d}" for n in range(1, 10)]
TOWNSHIPS = [
    "520521200", "520521201", "520521202", "520521203", "520521204", "520521205", "520521206", "520521208",
    "520521209", "520521211", "520521212", "520521213", "520521214", "520521215", "520521216", "520521217",
]  # fmt: skip
UNITS = STREETS + TOWNS + TOWNSHIPS
HUANGNITANG = "520521105"

EXTRA_LEADERS = [("leader2", "王德明"), ("leader3", "刘永红"), ("leader4", "赵先华")]
GROUPS = [
    ("第一指导组", "leader", [*STREETS, "520521105", "520521101", "520521102"]),
    ("第二指导组", "leader2", ["520521103", "520521104", "520521106", "520521107", "520521108", "520521109"]),
    ("第三指导组", "leader3", TOWNSHIPS[:8]),
    ("第四指导组", "leader4", TOWNSHIPS[8:]),
]

A = GuidanceItem.AppliesTo
ITEMS = [
    (
        "召开乡镇人大主席团会议",
        "每季度至少召开一次，研究闭会期间代表工作",
        "会议记录、照片",
        (3, 31),
        A.TOWNSHIP,
    ),
    (
        "依法召开乡镇人民代表大会会议",
        "每年至少两次，听取审议政府工作报告和民生实事项目",
        "议程、决议、签到表",
        (6, 30),
        A.TOWNSHIP,
    ),
    (
        "街道人大工委组织辖区代表开展视察",
        "组织辖区县人大代表围绕民生项目开展视察",
        "视察方案、照片、视察报告",
        (6, 30),
        A.STREET,
    ),
    (
        "民生实事项目人大代表票决",
        "乡镇人代会票决产生年度民生实事项目",
        "票决结果文件（文号）",
        (4, 30),
        A.TOWNSHIP,
    ),
    (
        "代表联络站每月固定接待日",
        "每月15日为代表接待日，做好登记和交办",
        "接待登记表、照片",
        (12, 31),
        A.BOTH,
    ),
    (
        "建立健全代表履职档案",
        "一代表一档案，记录代表参加会议、活动和提出建议情况",
        "档案目录、照片",
        (9, 30),
        A.BOTH,
    ),
    ("组织代表开展集中视察或专题调研", "每半年至少一次", "方案、照片、调研报告", (9, 30), A.BOTH),
    ("代表建议收集和督办", "收集整理代表建议，跟踪办理进度", "建议汇总表、督办记录", (10, 31), A.BOTH),
    ("组织代表向选民述职", "安排不少于三分之一的代表向原选区选民述职", "述职报告、测评表", (11, 30), A.BOTH),
    (
        "报送年度人大工作总结",
        "总结全年工作，报县人大常委会代表工作委员会",
        "工作总结（文号）",
        (12, 20),
        A.BOTH,
    ),
]

RULE_TEXTS = {
    RuleKind.STUDY: (
        "人大代表学习制度",
        "一、联络站每季度至少组织一次进站代表集中学习。\n二、学习内容包括宪法、代表法、地方组织法和上级人大会议精神。\n"
        "三、学习情况记入代表履职档案。",
    ),
    RuleKind.DUTY: (
        "人大代表履职制度",
        "一、进站代表按排班表轮流值班，每月至少进站一次。\n二、代表对群众反映的问题及时登记、交办、反馈。\n"
        "三、代表履职情况每年向选民报告。",
    ),
    RuleKind.ACTIVITY: (
        "人大代表活动制度",
        "一、联络站每半年至少组织一次视察、调研或执法检查活动。\n二、活动有方案、有记录、有成果。\n"
        "三、活动情况在联络站公示栏公示。",
    ),
    RuleKind.RECEPTION: (
        "人大代表接访走访选民制度",
        "一、每月15日为固定接待日，代表轮流接待选民。\n二、代表每年走访选民不少于两次。\n"
        "三、接访走访情况登记造册，群众意见按程序交办并反馈。",
    ),
}


def _photo(label: str) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 229, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 300), outline=(160, 30, 30), width=4)
    draw.text((40, 40), label, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("现场照片.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf() -> SimpleUploadedFile:
    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    )
    return SimpleUploadedFile(
        "会议记录.pdf", content + b"trailer<</Root 1 0 R>>\n%%EOF\n", content_type="application/pdf"
    )


def _leaders(county: Region) -> dict[str, User]:
    committee = Organization.objects.filter(kind=Organization.Kind.STANDING_COMMITTEE, region=county).first()
    found = {
        u.username: u for u in User.objects.filter(username__in=["leader"] + [u for u, _ in EXTRA_LEADERS])
    }
    for username, full_name in EXTRA_LEADERS:
        if username not in found:
            found[username] = user_create(
                username=username,
                password=settings.RENDA_DEMO_PASSWORD,
                role=Role.LEADER,
                full_name=full_name,
                region=county,
                organization=committee,
            )
    return found


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    day = min(day, datetime.date(YEAR, 12, 31))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _outcome(index: int, number: int) -> int:
    return (index * 7 + number * 3) % 10


def _reports(guidance_list: GuidanceList, staff: dict[int, User], leaders: dict[int, User]) -> int:
    """Walk every cell through the services, then date its events in 2024."""
    cells = list(
        TownshipItem.objects.filter(guidance_item__guidance_list=guidance_list)
        .select_related("guidance_item", "township")
        .order_by("township__code", "guidance_item__number")
    )
    order = {code: i for i, code in enumerate(UNITS)}
    made = 0
    for cell in cells:
        item, township = cell.guidance_item, cell.township
        index = order.get(township.code, 0)
        outcome = _outcome(index, item.number)
        if township.code == HUANGNITANG and item.number in (5, 9):
            outcome = 9 if item.number == 9 else 7  # left for the demo township account
        if outcome == 9:
            continue
        actor, reviewer = staff[township.pk], leaders[township.pk]
        reported_on = item.due_on - datetime.timedelta(days=12 - index % 6)
        result = TownshipItem.Result.IN_PROGRESS if outcome == 8 else TownshipItem.Result.DONE
        reason = ""
        if item.number == 4 and index % 9 == 4:
            result, reason = (
                TownshipItem.Result.NOT_APPLICABLE,
                "本镇2024年民生实事项目由县级统筹实施，未单独票决",
            )
        note = f"{township.name}已按要求完成“{item.title}”，材料已上传。"
        if result == TownshipItem.Result.IN_PROGRESS:
            note = f"{township.name}“{item.title}”正在推进，已完成过半。"
        files = (
            [_photo(f"{township.code} {item.number}"), _pdf()] if result == TownshipItem.Result.DONE else []
        )
        services.township_item_report(
            actor=actor, item=cell, result=result, note=note, reason=reason, files=files
        )
        # outcome 6 stays reported, waiting for the group's review.
        if outcome == 7:
            services.township_item_review(
                actor=reviewer, item=cell, decision="send_back", note="佐证材料不全，请补充会议签到表和照片"
            )
            if item.number % 2 == 0 and township.code != HUANGNITANG:
                services.township_item_report(
                    actor=actor, item=cell, result=result, note=note + "已补充签到表。", files=[_pdf()]
                )
        elif outcome != 6:
            services.township_item_review(actor=reviewer, item=cell, decision="accept")
        for step, event in enumerate(cell.events.order_by("id")):
            moment = _at(reported_on + datetime.timedelta(days=3 * step), 9 + step)
            TownshipItemEvent.objects.filter(pk=event.pk).update(occurred_at=moment)
        last = cell.events.order_by("id").last()
        TownshipItem.objects.filter(pk=cell.pk).update(
            reported_at=_at(reported_on, 9), reviewed_at=last.occurred_at if last.action != "report" else None
        )
        made += 1
    return made


def _township_staff(townships: list[Region]) -> dict[int, User]:
    """The account that reports for each township: the demo `township_staff` for 黄泥塘镇; for the
    others a quiet staff account per township (`ts_<code>`), as each township has its own clerk."""
    found = {u.region_id: u for u in User.objects.filter(role=Role.TOWNSHIP_STAFF, region__in=townships)}
    demo = User.objects.filter(username="township_staff").first()
    for township in townships:
        if township.code == HUANGNITANG and demo is not None:
            found[township.pk] = demo
        if township.pk not in found:
            found[township.pk] = user_create(
                username=f"ts_{township.code}",
                password=settings.RENDA_DEMO_PASSWORD,
                role=Role.TOWNSHIP_STAFF,
                full_name=f"{township.name}人大工作人员",
                region=township,
            )
    return found


def _rules(county: Region) -> int:
    for kind, (title, text) in RULE_TEXTS.items():
        services.rule_template_set(region=county, kind=kind, title=title, text=text)
    templates = {t.kind: t for t in RuleTemplate.objects.filter(region=county)}
    demonstration = list(Station.objects.filter(demonstrations__isnull=False).distinct())
    others = list(
        Station.objects.filter(kind=Station.Kind.TOWNSHIP_STATION, region__path__startswith=county.path)
        .exclude(pk__in=[s.pk for s in demonstration])
        .order_by("region__code")
    )[::3]
    made = 0
    plan = [(s, list(RuleKind), True) for s in demonstration]
    for i, station in enumerate(others):
        kinds = list(RuleKind)[: 2 + i % 2]
        plan.append((station, kinds, False))
    for station, kinds, complete in plan:
        for n, kind in enumerate(kinds):
            if StationRule.objects.filter(station=station, year=YEAR, kind=kind).exists():
                continue
            posted = complete or n < len(kinds) - 1  # the last one adopted but not yet posted
            services.station_rule_save(
                station=station,
                year=YEAR,
                kind=kind,
                template=templates[kind],
                posted=posted,
                posted_on=datetime.date(YEAR, 3, 1 + n) if posted else None,
            )
            made += 1
    return made


def seed(*, stdout) -> None:
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        return
    townships = list(Region.objects.filter(code__in=UNITS).order_by("code"))
    by_code = {t.code: t for t in townships}
    guidance_list = GuidanceList.objects.filter(region=county, year=YEAR).first()
    if guidance_list is None:
        guidance_list = services.guidance_list_create(
            year=YEAR,
            title="大方县人大常委会2024年乡镇（街道）人大工作指导清单",
            region=county,
            townships=townships,
            issued_on=datetime.date(YEAR, 2, 26),
            document_number="大人常发〔2024〕5号",
            note="各乡镇人大主席团、各街道人大工委对照清单逐项落实，按时限报送佐证材料。",
        )
        for title, description, evidence, (month, day), applies in ITEMS:
            services.guidance_item_add(
                guidance_list=guidance_list,
                title=title,
                description=description,
                evidence_expected=evidence,
                due_on=datetime.date(YEAR, month, day),
                applies_to=applies,
            )
    leaders = _leaders(county)
    members = list(User.objects.filter(role=Role.COUNTY_STAFF, username="county_staff"))
    reviewer_of: dict[int, User] = {}
    for name, username, codes in GROUPS:
        group = guidance_list.groups.filter(name=name).first()
        if group is None:
            group = services.guidance_group_create(
                guidance_list=guidance_list,
                name=name,
                leader=leaders[username],
                townships=[by_code[c] for c in codes if c in by_code],
                members=members if name == "第一指导组" else (),
            )
        for township in group.townships.all():
            reviewer_of[township.pk] = group.leader
    made = 0
    if not TownshipItemEvent.objects.filter(
        township_item__guidance_item__guidance_list=guidance_list
    ).exists():
        made = _reports(guidance_list, _township_staff(townships), reviewer_of)
    rules = _rules(county)
    stdout.write(
        f"工作指导：{guidance_list.year}年 {guidance_list.items.count()} 项，报送 {made} 件，制度 {rules} 项"
    )
