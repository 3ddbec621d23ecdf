"""Fixtures of the dossier tests: 王芳 serving in the county's 18th congress with a record of every
kind the dossier shows, each written by its own app's service (no shortcut past the spine)."""

import datetime

import pytest
from django.utils import timezone

from renda.deputies.models import Contact, ExternalRole
from renda.deputies.services import congress_create, contact_log, external_role_add, mandate_create
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_withdraw
from renda.network.services import station_create, stationed_deputy_add

TERM_START = datetime.date(2021, 12, 28)


@pytest.fixture
def congress(regions):
    return congress_create(level="county", region=regions["county"], term=18, starts_on=TERM_START)


@pytest.fixture
def serving(deputies, congress):
    mandate_create(deputy=deputies["wang"], congress=congress)
    mandate_create(deputy=deputies["li"], congress=congress)
    return deputies


def _record(deputy, kind, title, on, **kw):
    return duty_record_add(deputy=deputy, kind=kind, title=title, occurred_on=on, **kw)


@pytest.fixture
def full_record(serving, congress, users, regions):
    """王芳's records of every kind; returns the deputy. Dates are in 2024 and 2025."""
    from renda.dossier.services import commendation_add
    from renda.duty_reports import services as reports
    from renda.suggestions.tests import factories

    wang, staff = serving["wang"], users["county_staff"]
    _record(wang, "meeting", "出席县十八届人大四次会议", datetime.date(2025, 1, 8), quantity=3, unit="天")
    _record(wang, "leave", "请假：县人大常委会第二十次会议列席", datetime.date(2024, 11, 2))
    _record(wang, "inspection", "视察全县农村公路建设", datetime.date(2024, 5, 20), quantity=4, unit="小时")
    _record(wang, "survey", "调研黄泥塘镇学前教育", datetime.date(2024, 3, 12), quantity=6, unit="小时")
    _record(
        wang, "training", "复旦大学履职能力提升专题培训", datetime.date(2024, 6, 21), quantity=30, unit="学时"
    )
    _record(wang, "study", "集中学习代表法", datetime.date(2024, 2, 26), quantity=3, unit="小时")
    _record(wang, "reception", "黄泥塘镇代表之家进站接待选民", datetime.date(2024, 4, 10))
    contact_log(
        actor=staff,
        kind=Contact.Kind.CONSTITUENT,
        deputy=wang,
        method=Contact.Method.VISIT,
        occurred_on=datetime.date(2024, 7, 3),
        topics="走访选民了解饮水问题",
    )
    factories.make(users=users, deputy=wang, state="closed", title="关于修复黄泥塘镇通村公路的建议")
    external_role_add(
        deputy=wang,
        kind=ExternalRole.Kind.POLICY_PUBLICIST,
        title="政策法规宣传员",
        starts_on=datetime.date(2022, 3, 1),
    )
    station = station_create(name="黄泥塘镇代表之家", kind="deputies_home", region=regions["huangnitang"])
    stationed_deputy_add(station=station, deputy=wang, term="第十八届")
    rule = reports.evaluation_rule_from_preset(actor=staff, region=regions["county"], preset="competence")
    report = reports.duty_report_schedule(
        actor=staff,
        deputy=wang,
        congress=congress,
        rule=rule,
        held_on=datetime.date(2024, 12, 15),
        place="黄泥塘镇代表之家",
    )
    reports.duty_report_write(actor=staff, report=report, text="各位选民代表：本人一年来……")
    reports.duty_report_open_voting(actor=staff, report=report)
    reports.paper_tally_set(actor=staff, report=report, counts={"称职": 48, "基本称职": 6, "不称职": 1})
    reports.duty_report_close(actor=staff, report=report, attendance=56)
    commendation_add(
        actor=staff,
        deputy=wang,
        title="2024年度优秀人大代表",
        awarded_on=datetime.date(2025, 1, 20),
        awarded_by="大方县人大常委会",
    )
    # Not part of the dossier: a declaration still waiting for review, and a withdrawn record.
    _record(wang, "other", "待审核的申报事项", datetime.date(2024, 8, 1), origin=DutyRecord.Origin.DECLARED)
    gone = _record(wang, "inspection", "已撤销的视察", datetime.date(2024, 8, 2))
    duty_record_withdraw(record=gone, actor=staff, reason="录入错误")
    assert timezone.localdate() >= datetime.date(2025, 1, 20)
    return wang
