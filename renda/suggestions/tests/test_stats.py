"""Statistics against figures computed by hand from a small, fully known set of suggestions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from renda.suggestions import services
from renda.suggestions.stats import suggestion_stats
from renda.suggestions.tests import factories

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d):
    return time_machine.travel(datetime.datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def known(users, deputies, units):
    """
    A  王芳 交通 → 交通局, replied on time (A), 满意 → 办结
    B  王芳 交通 → 交通局, replied on time (B), 基本满意 → 办结
    C  李明 教育 → 教育局, replied late (C), 不满意 → re-handled, second reply (A), 满意 → 办结
    D  李明 教育 → 教育局, handed over, overdue on 1 June
    E  王芳 交通 → 交通局, handed over in May, not yet due
    F  王芳 交通, accepted, not handed over
    G  李明 教育, submitted
    H  王芳 交通, not accepted
    plus a draft and a withdrawn item, which are not counted at all.
    """
    from renda.accounts.services import user_create

    edu_user = user_create(
        username="edu", password="Renda#2024x", role="handling_unit", organization=units["education"]
    )
    wang, li = deputies["wang"], deputies["li"]

    def new(name, deputy, category, state, lead):
        return factories.make(
            users=users,
            deputy=deputy,
            title=f"建议{name}",
            body=f"建议{name}的内容",
            category=category,
            state=state,
            lead_unit=lead,
        )

    def unit_reply(s, user, category):
        services.assignment_accept(actor=user, suggestion=s) if s.assignments.filter(
            state="pending"
        ).exists() else None
        services.contact_add(
            actor=user, suggestion=s, contacted_on=datetime.date(2025, 1, 10), way="phone", content="沟通"
        )
        services.reply_submit(actor=user, suggestion=s, category=category, text="答复", signer="局长")

    items = {}
    with at(2025, 1, 10):
        items["A"] = new("A", wang, "transport", "assigned", units["transport"])
        items["B"] = new("B", wang, "transport", "assigned", units["transport"])
        items["C"] = new("C", li, "education", "assigned", units["education"])
        items["D"] = new("D", li, "education", "assigned", units["education"])
        items["E"] = new("E", wang, "transport", "accepted", None)
        items["F"] = new("F", wang, "transport", "accepted", None)
        items["G"] = new("G", li, "education", "submitted", None)
        items["H"] = new("H", wang, "transport", "not_accepted", None)
        new("draft", wang, "transport", "draft", None)
        new("withdrawn", wang, "transport", "withdrawn", None)
    staff, deputy = users["county_staff"], users["deputy"]
    with at(2025, 3, 1):
        unit_reply(items["A"], users["unit"], "A")
        unit_reply(items["B"], users["unit"], "B")
        services.evaluation_submit(
            actor=deputy, suggestion=items["A"], result="satisfied", attitude="satisfied"
        )
        services.evaluation_submit(actor=deputy, suggestion=items["B"], result="basic", attitude="satisfied")
    with at(2025, 4, 15):
        unit_reply(items["C"], edu_user, "C")  # due 10 April: late
        services.evaluation_submit(
            actor=staff, suggestion=items["C"], result="dissatisfied", attitude="basic", comment="未解决"
        )
    with at(2025, 5, 10):
        services.contact_add(
            actor=edu_user,
            suggestion=items["C"],
            contacted_on=datetime.date(2025, 5, 10),
            way="visit",
            content="再次沟通",
        )
        services.reply_submit(
            actor=edu_user, suggestion=items["C"], category="A", text="已解决", signer="局长"
        )
        services.evaluation_submit(
            actor=staff, suggestion=items["C"], result="satisfied", attitude="satisfied"
        )
    with at(2025, 5, 15):
        services.suggestion_assign(actor=staff, suggestion=items["E"], lead_unit=units["transport"])
    return items


def _figures(row):
    return {k: v for k, v in row.items() if k != "key"}


def test_totals_by_hand(known, users):
    with at(2025, 6, 1):
        result = suggestion_stats(user=users["county_staff"])
    assert _figures(result["total"]) == {
        "received": 8,
        "accepted": 6,
        "handed_over": 5,
        "answered": 3,
        "answered_on_time": 2,
        "overdue": 1,
        "a": 2,
        "b": 1,
        "c": 0,
        "d": 0,
        "a_share": 66.7,
        "b_share": 33.3,
        "c_share": 0.0,
        "d_share": 0.0,
        "closed": 3,
        "closing_rate": 60.0,
        "evaluated": 3,
        "satisfied": 2,
        "basic": 1,
        "dissatisfied": 0,
        "satisfaction_strict": 66.7,
        "satisfaction_common": 100.0,
        "rehandled": 1,
    }


def test_per_unit_by_hand(known, users):
    with at(2025, 6, 1):
        groups = {
            g["key"]: g for g in suggestion_stats(user=users["county_staff"], group_by="unit")["groups"]
        }
    assert set(groups) == {"县交通运输局", "县教育局", "未交办"}
    transport, education, none = groups["县交通运输局"], groups["县教育局"], groups["未交办"]
    assert (
        transport["received"],
        transport["handed_over"],
        transport["answered_on_time"],
        transport["closed"],
    ) == (3, 3, 2, 2)
    assert (
        transport["closing_rate"],
        transport["satisfaction_strict"],
        transport["satisfaction_common"],
    ) == (66.7, 50.0, 100.0)
    assert (
        education["handed_over"],
        education["answered"],
        education["answered_on_time"],
        education["overdue"],
    ) == (2, 1, 0, 1)
    assert (education["a"], education["c"], education["closing_rate"], education["rehandled"]) == (
        1,
        0,
        50.0,
        1,
    )
    assert (none["received"], none["accepted"], none["handed_over"], none["closing_rate"]) == (3, 1, 0, None)


def test_per_category_township_year_and_term(known, users):
    with at(2025, 6, 1):
        staff = users["county_staff"]
        category = {
            g["key"]: g["received"] for g in suggestion_stats(user=staff, group_by="category")["groups"]
        }
        township = {
            g["key"]: g["received"] for g in suggestion_stats(user=staff, group_by="township")["groups"]
        }
        years = {g["key"]: g["received"] for g in suggestion_stats(user=staff, group_by="year")["groups"]}
        terms = {g["key"]: g["received"] for g in suggestion_stats(user=staff, group_by="term")["groups"]}
        assert suggestion_stats(user=staff, year=2024)["total"]["received"] == 0
        assert suggestion_stats(user=staff, year=2025, term=18)["total"]["received"] == 8
        assert suggestion_stats(user=staff, term=17)["total"]["received"] == 0
    assert category == {"交通": 5, "教育": 3}
    assert township == {"黄泥塘镇": 5, "九驿街道": 3}
    assert years == {"2025年": 8} and terms == {"第18届": 8}


def test_stats_follow_scoping(known, users):
    with at(2025, 6, 1):
        township = suggestion_stats(user=users["township_staff"])["total"]
        jiuyi = suggestion_stats(user=users["jiuyi_staff"])["total"]
    assert (township["received"], township["closed"], township["overdue"]) == (5, 2, 0)
    assert (jiuyi["received"], jiuyi["closed"], jiuyi["overdue"], jiuyi["rehandled"]) == (3, 1, 1, 1)


def test_stats_api_and_page_give_the_same_figures(known, users, client):
    client.force_login(users["county_staff"])
    with at(2025, 6, 1):
        data = client.get("/api/v1/suggestions/stats?group_by=unit").json()
        page = client.get("/suggestions/stats/?group_by=unit")
    assert data["total"]["closing_rate"] == 60.0 and data["total"]["overdue"] == 1
    assert {g["key"] for g in data["groups"]} == {"县交通运输局", "县教育局", "未交办"}
    body = page.content.decode()
    assert page.status_code == 200 and 'id="stats-data"' in body and "vendor/echarts/echarts.min.js" in body
    assert "60.0%" in body and "<script>" not in body.replace("<script src=", "")
    client.force_login(users["deputy"])
    assert client.get("/api/v1/suggestions/stats").status_code == 404
