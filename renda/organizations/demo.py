"""Demo data for organisations: the reference county's standing committee, its four work bodies with
their duties, the four street working committees with their members, the township presidiums and the
CPPCC. Idempotent: bodies are found by (region, name), duties and appointments only added when absent.

People's names are invented. Street committees: a director (主任), three members (委员) and one
dedicated staff member (专职工作人员) each, i.e. 4 directors, 12 members and 4 staff in all; 红旗街道
also keeps the director who left in 2023 as history.
"""

import datetime

from renda.regions.models import Region

from .models import Appointment, Organization
from .services import appointment_create, organization_create, organization_duties_set, organization_update

COUNTY = "520521"
COMMITTEE = "大方县人大常委会"
DUTIES_SINCE = datetime.date(2022, 1, 1)
TERM_START = datetime.date(2021, 12, 28)

# The county's 4 streets, 9 towns and 16 townships (see renda.network.demo for why these 29).
STREETS = {"520521001": "红旗", "520521002": "顺德", "520521003": "慕俄格古城", "520521004": "九驿"}
TOWNS_AND_TOWNSHIPS = [
    "520521101", "520521102", "520521103", "520521104", "520521105", "520521106", "520521107",
    "520521108", "520521109", "520521200", "520521201", "520521202", "520521203", "520521204",
    "520521205", "520521206", "520521208", "520521209", "520521211", "520521212", "520521213",
    "520521214", "520521215", "520521216", "520521217",
]  # fmt: skip

COMMITTEE_DUTIES = """依照宪法和法律，在县人民代表大会闭会期间行使下列职权：
一、在本行政区域内保证宪法、法律、行政法规和上级人民代表大会及其常务委员会决议的遵守和执行；
二、讨论、决定本行政区域内的政治、经济、教育、科学、文化、卫生、生态环境保护、民政、民族等工作的重大事项；
三、根据县人民政府的建议，审查和批准本级预算的调整方案，监督本级预算的执行，审查和批准本级决算；
四、监督县人民政府、监察委员会、人民法院和人民检察院的工作，联系本级人民代表大会代表，受理人民群众对上述机关和国家工作人员的申诉和意见；
五、撤销县人民政府不适当的决定和命令，撤销下一级人民代表大会不适当的决议；
六、依照法律规定的权限决定国家机关工作人员的任免；
七、领导或者主持本级人民代表大会代表的选举，召集本级人民代表大会会议。"""

WORK_BODY_DUTIES = {
    "办公室": """一、负责常委会会议、主任会议的筹备和会务工作，承担会议文件的起草、印发和归档；
二、负责常委会工作的综合协调、督查督办、信息、调研和重要文稿起草；
三、负责机关的机要保密、档案、信访接待、新闻宣传和后勤保障；
四、负责机关财务、资产管理、人事和党建工作；
五、完成常委会和主任会议交办的其他事项。""",
    "法制工作委员会": """一、承担规范性文件备案审查工作，对报送备案的规范性文件进行审查并提出意见；
二、承担基层立法联络站（室）的联系指导和法律法规草案意见征询的组织工作；
三、联系监察、审判、检察、公安、司法行政等部门，承担相关监督工作的具体事项；
四、承担常委会人事任免的具体工作，组织开展执法检查；
五、完成常委会和主任会议交办的其他事项。""",
    "预算工作委员会": """一、承担本级预算、决算草案和预算调整方案初步审查的具体工作；
二、承担预算执行、审计查出问题整改和国有资产管理情况报告的监督工作；
三、运用预算联网监督系统开展预算执行的日常监督；
四、联系发展改革、财政、审计、税务等部门，开展国民经济和社会发展计划执行情况的监督；
五、完成常委会和主任会议交办的其他事项。""",
    "代表工作委员会": """一、负责县人民代表大会代表的联络服务工作，组织代表开展视察、调研和履职学习培训；
二、负责代表建议、批评和意见的交办、督办和办理情况的汇总；
三、负责代表联络站（室）、代表之家建设的指导和管理，组织代表进站接待选民；
四、负责代表履职档案和履职积分管理，指导乡镇人大和街道人大工作委员会工作；
五、承担代表资格审查和代表选举的有关具体工作；
六、完成常委会和主任会议交办的其他事项。""",
}

STREET_COMMITTEE_DUTIES = """街道人大工作委员会是县人大常委会在{street}街道设立的工作机构，主要职责是：
一、联系辖区内的县人大代表，组织代表开展闭会期间活动，服务保障代表依法履职；
二、组织代表听取和反映选民的意见和要求，管理辖区代表联络站（室）和代表之家；
三、协助县人大常委会开展执法检查、视察、调研，对辖区内法律法规的实施情况进行监督；
四、完成县人大常委会交办的其他事项。"""

# post, name, started, document number — invented people.
COMMITTEE_MEMBERS = [
    (Appointment.Post.DIRECTOR, "张国华", "大方县第十八届人民代表大会第一次会议选举"),
    (Appointment.Post.DEPUTY_DIRECTOR, "吴德明", "大方县第十八届人民代表大会第一次会议选举"),
    (Appointment.Post.DEPUTY_DIRECTOR, "安丽萍", "大方县第十八届人民代表大会第一次会议选举"),
]
WORK_BODY_HEADS = {
    "办公室": ("周文涛", "刘小燕"),
    "法制工作委员会": ("杨志成", "龙海燕"),
    "预算工作委员会": ("陈建平", "何丽"),
    "代表工作委员会": ("罗永富", "陈立新"),
}
STREET_PEOPLE = {
    "红旗": ("王春林", ["黄秀英", "朱学军", "苏红梅"], "郭敏"),
    "顺德": ("李德勇", ["许兰", "蔡永贵", "田春霞"], "彭静"),
    "慕俄格古城": ("禄建华", ["潘云", "余志强", "唐凤"], "曾丽"),
    "九驿": ("赵明远", ["袁玉兰", "韩国强", "肖平"], "宋杰"),
}


def _doc(year: int, number: int) -> str:
    return f"大人常任〔{year}〕{number}号"


def seed(*, stdout) -> None:
    county = Region.objects.get(code=COUNTY)
    regions = {r.code: r for r in Region.objects.filter(code__in=[*STREETS, *TOWNS_AND_TOWNSHIPS])}
    orgs = {(o.region_id, o.name): o for o in Organization.objects.all()}
    created = {"bodies": 0, "duties": 0, "appointments": 0}

    def ensure(name, kind, region, parent=None, position=0):
        key = (region.pk, name)
        if key not in orgs:
            orgs[key] = organization_create(
                name=name, kind=kind, region=region, parent=parent, position=position
            )
            created["bodies"] += 1
        elif orgs[key].position != position:
            # The core seed made the work bodies before there was an order: put them in the county's.
            orgs[key] = organization_update(organization=orgs[key], data={"position": position})
        return orgs[key]

    def duties(org, text):
        if not org.duty_versions.exists():
            organization_duties_set(
                organization=org, text=text, effective_on=DUTIES_SINCE, note="本届常委会初次登记"
            )
            created["duties"] += 1

    def appoint(org, people):
        """people: (post, name, started, ended, document number)."""
        if org.appointments.exists():
            return
        for post, name, started, ended, document in people:
            appointment_create(
                organization=org,
                person_name=name,
                post=post,
                started_on=started,
                ended_on=ended,
                decided_on=started,
                document_number=document,
            )
            created["appointments"] += 1

    committee = ensure(COMMITTEE, Organization.Kind.STANDING_COMMITTEE, county)
    duties(committee, COMMITTEE_DUTIES)
    appoint(committee, [(post, name, TERM_START, None, doc) for post, name, doc in COMMITTEE_MEMBERS])

    for position, (name, text) in enumerate(WORK_BODY_DUTIES.items(), start=1):
        body = ensure(name, Organization.Kind.WORK_BODY, county, committee, position)
        duties(body, text)
        director, staff = WORK_BODY_HEADS[name]
        appoint(
            body,
            [
                (Appointment.Post.DIRECTOR, director, datetime.date(2022, 1, 20), None, _doc(2022, position)),
                (Appointment.Post.STAFF, staff, datetime.date(2022, 3, 1), None, ""),
            ],
        )

    for position, (code, street) in enumerate(STREETS.items(), start=10):
        region = regions[code]
        body = ensure(
            f"{street}街道人大工作委员会", Organization.Kind.STREET_COMMITTEE, region, committee, position
        )
        duties(body, STREET_COMMITTEE_DUTIES.format(street=street))
        director, members, staff = STREET_PEOPLE[street]
        number = 10 + position
        people = [(Appointment.Post.DIRECTOR, director, datetime.date(2022, 2, 25), None, _doc(2022, number))]
        if street == "红旗":
            # The director before: kept as history, ended when the present one took over.
            left = datetime.date(2023, 6, 30)
            people = [
                (Appointment.Post.DIRECTOR, "马光荣", datetime.date(2022, 2, 25), left, _doc(2022, number)),
                (Appointment.Post.DIRECTOR, director, datetime.date(2023, 7, 1), None, _doc(2023, 8)),
            ]
        people += [
            (Appointment.Post.MEMBER, m, datetime.date(2022, 2, 25), None, _doc(2022, number))
            for m in members
        ]
        people.append((Appointment.Post.STAFF, staff, datetime.date(2022, 4, 1), None, ""))
        appoint(body, people)

    for code in TOWNS_AND_TOWNSHIPS:
        region = regions[code]
        ensure(f"{region.name}人大主席团", Organization.Kind.TOWNSHIP_PRESIDIUM, region)

    ensure("政协大方县委员会", Organization.Kind.CPPCC, county)
    stdout.write("机构：新增机构 {bodies}，职责 {duties}，任免 {appointments}".format(**created))
