"""Demo data the dossier needs besides what other apps seed: attendance at the county congress's
sessions (kind `meeting`, as staff enter it from the sign-in sheets), a leave from one sitting, and
commendations, so that 王芳's dossier shows every kind of record. Idempotent."""

import datetime

from renda.accounts.models import User
from renda.deputies.models import Congress, Deputy, Level
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add

from .services import commendation_add

SESSIONS = [
    ("出席县第十八届人民代表大会第三次会议", datetime.date(2024, 1, 9), 3),
    ("出席县第十八届人民代表大会第四次会议", datetime.date(2025, 1, 8), 3),
]


def seed(*, stdout) -> None:
    congress = Congress.objects.filter(level=Level.COUNTY, region__code="520521", term=18).first()
    staff = User.objects.filter(username="county_staff").first()
    wang = Deputy.objects.filter(user__username="deputy").first()
    if congress is None or staff is None or wang is None:
        return
    if DutyRecord.objects.filter(deputy=wang, attributes__category="commendation").exists():
        return
    serving = list(
        Deputy.objects.filter(mandates__congress=congress, mandates__status="serving").order_by(
            "stroke_key", "id"
        )[:40]
    )
    if wang not in serving:
        serving.append(wang)
    for deputy in serving:
        for title, on, days in SESSIONS:
            duty_record_add(
                deputy=deputy,
                kind=DutyRecord.Kind.MEETING,
                title=title,
                occurred_on=on,
                quantity=days,
                unit="天",
                attributes={"session": title},
                actor=staff,
            )
    duty_record_add(
        deputy=wang,
        kind=DutyRecord.Kind.LEAVE,
        title="请假：列席县人大常委会第二十一次会议",
        occurred_on=datetime.date(2024, 10, 29),
        quantity=0.5,
        unit="天",
        actor=staff,
    )
    commendation_add(
        actor=staff,
        deputy=wang,
        title="2024年度优秀县人大代表",
        awarded_on=datetime.date(2025, 1, 20),
        awarded_by="大方县人大常委会",
    )
    for deputy in serving[:2]:
        if deputy != wang:
            commendation_add(
                actor=staff,
                deputy=deputy,
                title="优秀代表建议",
                awarded_on=datetime.date(2025, 1, 20),
                awarded_by="大方县人大常委会",
            )
    stdout.write(f"履职档案：{len(serving)} 位代表的出席会议记录，3 项表彰")
