"""The draft scheme's editor: settings, categories, rules and bands as form rows (added, removed),
saved as the document the JSON import takes and checked by the same validator, errors in Chinese
naming the rule and the field; a published scheme is read-only."""

import datetime
from decimal import Decimal

import pytest

from renda.duty_records.services import duty_record_add
from renda.points.models import Scheme, Standing
from renda.points.services import scheme_export, scheme_import, scheme_publish

from .conftest import SHAPE_C, YEAR


@pytest.fixture
def draft(congress, members):
    return scheme_import(actor=None, congress=congress, document=SHAPE_C)


def url(scheme):
    return f"/points/schemes/{scheme.pk}/editor/"


def post_data(document: dict) -> dict:
    """What the editor posts for a document (the inverse of its initial rows)."""
    from renda.points.forms import RuleRowForm

    data = {
        "s-name": document["name"], "s-starts_on": document["starts_on"], "s-ends_on": document["ends_on"],
        "s-base_mode": document["base_mode"], "s-rhythm": document["rhythm"],
        "s-interview_below": document.get("interview_below") or "", "s-text": document.get("text") or "",
    }  # fmt: skip
    for prefix, key in (("cat", "categories"), ("rule", "rules"), ("band", "bands")):
        rows = document[key]
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for n, row in enumerate(rows):
            row = RuleRowForm.initial_for(row) if key == "rules" else row
            for field, value in row.items():
                if value is None:
                    value = ""
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{n}-{field}"] = "on"
                    continue
                data[f"{prefix}-{n}-{field}"] = value if isinstance(value, list) else str(value)
    return data


def content(scheme) -> dict:
    document = scheme_export(scheme)
    return {k: document[k] for k in ("name", "base_mode", "rhythm", "categories", "rules", "bands")}


def test_the_rows_save_as_the_same_document(draft, users, login):
    client = login(users["county_staff"])
    page = client.get(url(draft)).content.decode()
    assert page.count('name="rule-') > 4 and "第4条规则：进站接待" in page and "第3个等次" in page
    before = content(draft)
    response = client.post(url(draft), post_data(scheme_export(draft)))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert content(draft) == before


def test_edit_add_and_remove_rows_then_the_totals_follow(draft, members, users, login):
    client = login(users["county_staff"])
    document = scheme_export(draft)
    data = post_data(document)
    # Add a rule row: the page comes back with one more (empty) row and nothing is saved.
    response = client.post(url(draft), {**data, "add": "rules"})
    assert response.status_code == 200 and 'name="rule-4-code"' in response.content.decode()
    # Inspection 5 → 8 with at most 3 counted a year; a new negative rule; 差 removed.
    data["rule-1-points"], data["rule-1-max_count"] = "8", "3"
    data.update({
        "rule-TOTAL_FORMS": "5", "rule-4-code": "leave", "rule-4-name": "会议请假",
        "rule-4-category": "attend", "rule-4-kinds": ["leave"], "rule-4-mode": "per_unit",
        "rule-4-unit": "half_day", "rule-4-points": "-1", "band-2-DELETE": "on",
    })  # fmt: skip
    assert client.post(url(draft), data).status_code == 302
    draft.refresh_from_db()
    saved = scheme_export(draft)
    assert [r["code"] for r in saved["rules"]] == ["absence", "inspection", "contact", "reception", "leave"]
    assert saved["rules"][1]["points"] == "8" and saved["rules"][1]["max_count"] == 3
    assert [b["name"] for b in saved["bands"]] == ["好", "较好"]
    # Conditions on attributes are kept structured: role from its field, others as key=value lines.
    data = post_data(saved)
    data["rule-2-match_role"], data["rule-2-match_other"] = "lead", "result=satisfied|basically"
    assert client.post(url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.rules.get(code="contact").match == {"result": ["satisfied", "basically"], "role": "lead"}
    scheme_publish(actor=None, scheme=draft)
    wang = members["wang"]
    for n in range(5):
        duty_record_add(
            deputy=wang, kind="inspection", title="视察", occurred_on=datetime.date(YEAR, 3, 1 + n)
        )
    duty_record_add(
        deputy=wang, kind="leave", title="请假", occurred_on=datetime.date(YEAR, 3, 9), unit="半天"
    )
    # 30 − 1 (attend, floor 0) + 3 × 8 (work): 53; no band holds it now that 差 is gone.
    row = Standing.objects.get(scheme=draft, deputy=wang, period="year")
    assert (row.total, row.grade) == (Decimal("53.00"), "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rule-1-category": "nope"}, "第2条计分规则“参加视察”的类别（rules[1].category）：类别 nope 不存在"),
        (
            {"rule-3-mode": "target"},
            "第4条计分规则“进站接待”的年度目标（rules[3].target）：年度目标方式须填写目标",
        ),
        ({"cat-0-cap": "-5"}, "第1条积分类别“出席会议”（categories[0]）：上限低于下限"),
        ({"rule-2-code": "absence"}, "第3条计分规则“联系选民”的代码（rules[2].code）：代码 absence 重复"),
        ({"rule-0-match_other": "role"}, "第1行应为“属性=值”"),
        ({"rule-0-kinds": []}, "请选择履职类别"),
    ],
)
def test_a_bad_row_is_named_in_chinese_and_nothing_changes(draft, users, login, change, message):
    client = login(users["county_staff"])
    before = content(draft)
    data = {**post_data(scheme_export(draft)), **change}
    response = client.post(url(draft), data)
    assert response.status_code == 400 and message in response.content.decode()
    draft.refresh_from_db()
    assert content(draft) == before


def test_a_published_scheme_is_read_only_and_township_staff_cannot_edit(draft, users, login):
    assert login(users["township_staff"]).get(url(draft)).status_code == 404
    client = login(users["county_staff"])
    scheme_publish(actor=None, scheme=draft)
    before = content(draft)
    response = client.get(url(draft))
    assert response.status_code == 302 and response.url == f"/points/schemes/{draft.pk}/"
    data = post_data(scheme_export(draft))
    data["rule-1-points"] = "99"
    client.post(url(draft), data)
    assert content(Scheme.objects.get(pk=draft.pk)) == before
    # The JSON import and export stay.
    assert client.get(f"/points/schemes/{draft.pk}/export/").json()["rules"][1]["points"] == "5"
