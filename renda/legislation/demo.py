"""Demo data for legislative consultation: one draft open for comment, sent to the county's
基层立法联络站 and its 28 rooms, with opinions gathered at the station and at four rooms.

The draft is an invented provincial regulation written in the usual form; its period runs from three
weeks ago to three weeks ahead so that the public comment page works. Written through the real
services (draft_create, draft_opinion_add, draft_opinion_submit_public, draft_opinion_feedback).
Idempotent: nothing is added when a draft with this title exists.
"""

import datetime

from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import Deputy
from renda.network.models import Station

from . import services
from .models import LEGISLATIVE_KINDS, Draft

TITLE = "贵州省农村人居环境治理条例（草案征求意见稿）"
ISSUING_BODY = "贵州省人大常委会法制工作委员会"
SUMMARY = (
    "为做好地方性法规草案征求意见工作，现将《贵州省农村人居环境治理条例（草案征求意见稿）》印发各基层立法"
    "联络站（室），请广泛征求人大代表、专家学者、企业和群众意见，按条文整理后于截止日期前报送。"
)
TEXT = """贵州省农村人居环境治理条例（草案征求意见稿）

第一章　总则
第一条　为了改善农村人居环境，建设宜居宜业和美乡村，根据有关法律、行政法规，结合本省实际，制定本条例。
第二条　本省行政区域内的农村人居环境治理及其监督管理活动，适用本条例。
第三条　农村人居环境治理应当坚持政府主导、村民主体、因地制宜、注重实效的原则。
第二章　生活垃圾治理
第四条　县级人民政府应当统筹建设农村生活垃圾收运处置体系，合理布局收集点、转运站。
（一）每个行政村至少设置一处垃圾集中收集点；
（二）人口较多的村民组应当设置分类收集设施。
第五条　乡镇人民政府负责组织农村生活垃圾的收集、转运，可以通过购买服务等方式委托专业单位实施。
第三章　生活污水和厕所改造
第六条　县级人民政府应当根据村庄人口规模和地形条件，分类推进农村生活污水治理。
第七条　新建农村住房应当配套建设无害化卫生厕所。对已建住房的厕所改造，按照规定给予补助。
第四章　村容村貌
第八条　村民委员会可以将农村人居环境治理要求纳入村规民约，组织村民开展清洁家园活动。
第五章　附则
第九条　本条例自　年　月　日起施行。
"""

# station (None: the 基层立法联络站, else the room's township), article number (None: the whole draft),
# contributor kind, name, content, adoption
OPINIONS = [
    (
        None,
        1,
        "expert",
        "贵州大学法学院",
        "建议在立法目的中增加“保护生态环境”的表述，与上位法保持一致。",
        "adopted",
    ),
    (None, 4, "deputy", "", "山区村民组居住分散，一处收集点不够，建议按村民组设置收集点。", "adopted"),
    (None, None, "company", "大方县某环卫服务公司", "建议明确购买服务的资金保障和考核标准。", "pending"),
    ("黄泥塘镇", 4, "resident", "", "收集点每日清运在山区难以做到，建议改为“定期清运”。", "adopted"),
    ("黄泥塘镇", 7, "deputy", "", "厕所改造补助标准应当公开，并向困难家庭倾斜。", "pending"),
    ("黄泥塘镇", 8, "resident", "", "村规民约的约束力有限，建议写明乡镇的指导责任。", "not_adopted"),
    (
        "红旗街道",
        6,
        "expert",
        "县生态环境分局",
        "城郊村可以就近接入城镇污水管网，建议增加相应规定。",
        "pending",
    ),
    ("红旗街道", 2, "resident", "", "城中村是否适用本条例，建议予以明确。", "pending"),
    ("双山镇", 5, "company", "双山镇某农业合作社", "建议鼓励合作社参与垃圾收运，给予一定补贴。", "pending"),
    ("双山镇", 4, "deputy", "", "建议对收集点的选址征求村民意见，避免靠近水源。", "pending"),
    ("六龙镇", None, "resident", "", "总体赞成，希望条例出台后配套资金及时到位。", "pending"),
    ("六龙镇", 9, "resident", "", "建议给予一定的过渡期，便于基层准备。", "pending"),
]


def seed(*, stdout) -> None:
    if Draft.objects.filter(title=TITLE).exists():
        stdout.write("立法征询：新增草案 0 件")
        return
    staff = User.objects.filter(username="county_staff").first()
    stations = list(Station.objects.filter(kind__in=LEGISLATIVE_KINDS).select_related("region"))
    main = next((s for s in stations if s.kind == "legislative_station"), None)
    if staff is None or main is None:
        return
    today = timezone.localdate()
    draft = services.draft_create(
        actor=staff,
        title=TITLE,
        issuing_body=ISSUING_BODY,
        summary=SUMMARY,
        text=TEXT,
        opens_on=today - datetime.timedelta(days=21),
        closes_on=today + datetime.timedelta(days=21),
        stations=stations,
    )
    articles = {a.number: a for a in draft.articles.all()}
    rooms = {s.region.name: s for s in stations if s.kind == "legislative_room"}
    made = 0
    for place, number, kind, name, content, adoption in OPINIONS:
        station = main if place is None else rooms.get(place)
        if station is None:
            continue
        deputy = None
        if kind == "deputy":
            deputy = (
                Deputy.objects.filter(region__path__startswith=station.region.path).order_by("pk").first()
            )
            if deputy is None:
                kind, name = "resident", ""
        opinion = services.draft_opinion_add(
            actor=staff,
            draft=draft,
            station=station,
            article=articles.get(number) if number else None,
            contributor_kind=kind,
            contributor_name=name,
            deputy=deputy,
            content=content,
        )
        if adoption != "pending":
            services.draft_opinion_feedback(
                actor=staff,
                opinion=opinion,
                adoption=adoption,
                note="已在修改稿中吸收" if adoption == "adopted" else "上位法已有规定",
            )
        made += 1
    stdout.write(f"立法征询：新增草案 1 件（{draft.articles.count()} 条），意见 {made} 条")
