"""The time span filter: one day, several days, across a year end, no end."""

import datetime
from zoneinfo import ZoneInfo

from renda.core.templatetags.renda import cn_span

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_a_span_names_the_end_day_when_it_differs():
    assert cn_span(at(2024, 5, 6, 9), at(2024, 5, 6, 11, 30)) == "2024年5月6日 09:00—11:30"
    assert cn_span(at(2024, 5, 6, 9), at(2024, 5, 8, 17)) == "2024年5月6日 09:00 至 5月8日 17:00"
    assert cn_span(at(2024, 12, 30, 9), at(2025, 1, 2, 12)) == "2024年12月30日 09:00 至 2025年1月2日 12:00"
    assert cn_span(at(2024, 5, 6, 9), None) == "2024年5月6日 09:00"
    assert cn_span(None, at(2024, 5, 6, 9)) == ""


def test_a_span_is_shown_in_local_time():
    utc = datetime.UTC
    start = datetime.datetime(2024, 5, 6, 15, 0, tzinfo=utc)  # 23:00 in 大方
    end = datetime.datetime(2024, 5, 6, 17, 0, tzinfo=utc)  # 01:00 the next day
    assert cn_span(start, end) == "2024年5月6日 23:00 至 5月7日 01:00"
