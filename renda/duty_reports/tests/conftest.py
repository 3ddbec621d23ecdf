"""Fixtures of the duty-report tests: the county's 18th congress, 王芳 and 李明 serving, the
称职 rule of the county, and a report of 王芳's held yesterday at 黄泥塘镇代表之家."""

import datetime

import pytest
from django.utils import timezone

from renda.deputies.services import congress_create, mandate_create
from renda.duty_reports import services

TERM_START = datetime.date(2021, 12, 28)


@pytest.fixture
def congress(regions):
    return congress_create(level="county", region=regions["county"], term=18, starts_on=TERM_START)


@pytest.fixture
def serving(deputies, congress):
    mandate_create(deputy=deputies["wang"], congress=congress)
    mandate_create(deputy=deputies["li"], congress=congress)
    return deputies


@pytest.fixture
def rule(regions, users):
    return services.evaluation_rule_from_preset(
        actor=users["county_staff"], region=regions["county"], preset="competence"
    )


@pytest.fixture
def report(serving, congress, rule, users):
    return services.duty_report_schedule(
        actor=users["county_staff"],
        deputy=serving["wang"],
        congress=congress,
        rule=rule,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        place="黄泥塘镇代表之家",
        invited_count=60,
    )


@pytest.fixture
def voting(report, users):
    """The report, written, with voting open and 10 one-time codes."""
    services.duty_report_write(actor=users["deputy"], report=report, text="各位选民代表：本人一年来……")
    return services.duty_report_open_voting(actor=users["county_staff"], report=report, codes=10)
