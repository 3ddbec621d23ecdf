"""The official working calendar (renda/core/calendar.py): 国庆 and 春节 arrangements of two years with their
make-up working days, Civil Code art. 203 period ends, local overrides, and coverage reporting."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from renda.core.calendar import (
    add_working_days,
    calendar_covers,
    calendar_gap,
    calendar_notice,
    is_working_day,
    package_years,
    period_end,
)

D = datetime.date


@pytest.mark.parametrize(
    "day, working",
    [
        # 国庆 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked.
        (D(2024, 9, 29), True),
        (D(2024, 10, 1), False),
        (D(2024, 10, 7), False),
        (D(2024, 10, 8), True),
        (D(2024, 10, 12), True),
        # 国庆 2025 (with 中秋): 1–8 October off; Sunday 28 September and Saturday 11 October worked.
        (D(2025, 9, 28), True),
        (D(2025, 10, 8), False),
        (D(2025, 10, 11), True),
        # 春节 2024: 10–17 February off; Sunday 4 and Sunday 18 February worked.
        (D(2024, 2, 4), True),
        (D(2024, 2, 12), False),
        (D(2024, 2, 18), True),
        # 春节 2025: 28 January – 4 February off; Sunday 26 January and Saturday 8 February worked.
        (D(2025, 1, 26), True),
        (D(2025, 2, 3), False),
        (D(2025, 2, 8), True),
        # An ordinary weekend and weekday.
        (D(2024, 11, 9), False),
        (D(2024, 11, 11), True),
    ],
)
def test_the_official_arrangements_decide_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (D(2024, 9, 27), 7, D(2024, 10, 12)),  # the case: 29 Sep and 12 Oct worked, 1–7 Oct not
        (D(2025, 9, 26), 7, D(2025, 10, 13)),  # 28, 29, 30 Sep, 9, 10, 11 (Sat) and 13 Oct
        (D(2024, 2, 8), 3, D(2024, 2, 19)),  # 9 Feb (Fri, 除夕 eve worked), 18 Feb (Sun, 调休), 19 Feb
        (D(2025, 1, 24), 7, D(2025, 2, 10)),  # 26 Jan (Sun), 27 Jan, 5, 6, 7, 8 (Sat), 10 Feb
    ],
)
def test_working_days_follow_the_official_calendar(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2024, 10, 1), D(2024, 10, 8)),  # 2024-07-01 + 3 months lands on National Day
        (D(2025, 10, 1), D(2025, 10, 9)),
        (D(2024, 2, 10), D(2024, 2, 18)),  # a Sunday worked ends the 春节 break
        (D(2025, 1, 28), D(2025, 2, 5)),
        (D(2024, 10, 12), D(2024, 10, 12)),  # a Saturday worked is a working day
        (D(2024, 11, 9), D(2024, 11, 11)),  # an ordinary Saturday
    ],
)
def test_a_period_ending_on_a_rest_day_ends_on_the_next_working_day(day, expected):
    assert period_end(day) == expected


@override_settings(RENDA_PERIOD_END_ON_WORKING_DAY=False)
def test_the_civil_code_rule_is_a_setting():
    assert period_end(D(2024, 10, 1)) == D(2024, 10, 1)


@override_settings(RENDA_HOLIDAYS=["2024-10-08"], RENDA_EXTRA_WORKDAYS=["2024-10-05"])
def test_local_overrides_win_over_the_package():
    assert not is_working_day(D(2024, 10, 8)) and is_working_day(D(2024, 10, 5))


@given(st.dates(D(2004, 1, 1), D(2026, 12, 31)), st.integers(0, 30))
def test_working_day_arithmetic_lands_on_working_days(start, days):
    end = add_working_days(start, days)
    assert end >= start and (days == 0 or is_working_day(end))
    assert (
        sum(is_working_day(start + datetime.timedelta(n)) for n in range(1, (end - start).days + 1)) == days
    )
    assert is_working_day(period_end(start))


def test_coverage_is_reported_before_an_uncovered_year_starts(settings):
    _first, last = package_years()
    assert calendar_covers(last) and not calendar_covers(last + 1)
    assert calendar_gap(D(last, 6, 1)) is None
    assert calendar_gap(D(last, 11, 15)) == last + 1
    assert calendar_gap(D(last + 1, 3, 1)) == last + 1
    assert str(last + 1) in calendar_notice(D(last, 12, 1))
    # A year loaded as a local override counts as covered.
    settings.RENDA_HOLIDAYS = [f"{last + 1}-01-01"]
    assert calendar_covers(last + 1) and calendar_gap(D(last, 12, 1)) is None
    settings.RENDA_HOLIDAYS = []
    settings.RENDA_CALENDAR_WARN_DAYS = 0
    assert calendar_gap(D(last + 1, 3, 1)) is None


def test_an_uncovered_year_is_a_system_check_warning_and_a_home_page_notice(
    settings, users, client, monkeypatch
):
    import renda.core.calendar as calendar_module

    _first, last = package_years()
    monkeypatch.setattr(calendar_module, "calendar_gap", lambda today=None: last + 1)
    with pytest.raises(SystemCheckError, match=r"renda\.W001"):
        call_command("check", fail_level="WARNING")
    client.force_login(users["county_staff"])
    page = client.get("/").content.decode()
    assert 'id="calendar-notice"' in page and str(last + 1) in page
    assert "chinesecalendar" not in page  # staff get a plain note, not the installer's instruction
    monkeypatch.setattr(calendar_module, "calendar_gap", lambda today=None: None)
    assert 'id="calendar-notice"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("role", "shown", "instruction"),
    [("admin", True, True), ("county_staff", True, False), ("unit", False, False),
     ("station_keeper", False, False), ("leader", False, False)],
)  # fmt: skip
def test_the_calendar_notice_goes_only_to_those_who_can_act_on_it(
    users, client, monkeypatch, role, shown, instruction
):
    import renda.core.calendar as calendar_module

    monkeypatch.setattr(calendar_module, "calendar_gap", lambda today=None: 2099)
    client.force_login(users[role])
    page = client.get("/").content.decode()
    assert ('id="calendar-notice"' in page) is shown
    assert ("chinesecalendar" in page) is instruction
