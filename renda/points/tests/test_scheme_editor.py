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


def test_every_fault_of_a_save_is_shown_at_once_each_naming_its_row_and_field(draft, users, login):
    client = login(users["county_staff"])
    before = content(draft)
    data = post_data(scheme_export(draft))
    data.update({
        "s-interview_below": "-10",  # 约谈线
        "cat-1-cap": "-5",
        "rule-1-category": "nope",
        "rule-2-points": "",  # a form fault: said once, by the form
        "rule-3-max_points": "-2",
        "band-0-name": "",
    })  # fmt: skip
    response = client.post(url(draft), data)
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "约谈线（interview_below）：不能为负数",
        "第2条积分类别“视察调研”的上限（categories[1].cap）：不能为负数",
        "第2条计分规则“参加视察”的类别（rules[1].category）：类别 nope 不存在",
        "第3条计分规则“联系选民”的分值（rules[2].points）",
        "第4条计分规则“进站接待”的每年最多计分（rules[3].max_points）：不能为负数",
        "第1条等次的名称（bands[0].name）",
    ]:
        assert message in page, message
    # A missing value is said by the form only, not again by the document's checks.
    assert page.count("（rules[2].points）") == 1
    draft.refresh_from_db()
    assert content(draft) == before


@pytest.mark.parametrize(
    ("where", "value", "ok"),
    [
        (("categories", 0, "cap"), "-1", False),
        (("categories", 0, "base"), "-1", False),
        (("categories", 0, "floor"), "-5", True),  # a floor may be below zero (a deductions-only category)
        (("rules", 0, "points"), "-3", True),  # a deduction
        (("rules", 0, "max_points"), "-1", False),
        (("rules", 0, "max_count"), "-1", False),
        (("rules", 0, "target"), "0", False),
        (("rules", 0, "above"), "-1", False),
        (("rules", 0, "below"), "1", False),
        (("rules", 0, "below"), "-1", True),
        (("bands", 0, "lower"), "-10", True),
        ((None, None, "interview_below"), "-1", False),
        ((None, None, "interview_below"), "0", True),
    ],
)
def test_which_numbers_may_be_negative(where, value, ok):
    import copy

    from renda.core.errors import DomainError
    from renda.points.services import parse_document

    document = copy.deepcopy(SHAPE_C)
    section, index, key = where
    target = document if section is None else document[section][index]
    target[key] = value
    if ok:
        parse_document(document)
    else:
        with pytest.raises(DomainError):
            parse_document(document)


def test_the_import_names_every_fault_at_once(congress, users, login):
    import copy
    import json

    document = copy.deepcopy(SHAPE_C)
    document["interview_below"] = "-1"
    document["categories"][0]["cap"] = "-3"
    document["rules"][0]["mode"] = "weekly"
    client = login(users["county_staff"])
    response = client.post(
        "/points/schemes/new/",
        {"congress": congress.pk, "document": json.dumps(document, ensure_ascii=False)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "约谈线（interview_below）：不能为负数" in page
    assert "第1条积分类别“出席会议”的上限（categories[0].cap）：不能为负数" in page
    # A wrong choice lists the choices in Chinese (with the code the file uses).
    assert "按时长（per_unit）" in page


def test_rule_modes_units_and_kinds_show_in_chinese(draft, users, login):
    client = login(users["county_staff"])
    page = client.get(f"/points/schemes/{draft.pk}/").content.decode()
    rules = page[page.index("计分规则") : page.index("版本")]
    assert "视察" in rules and "inspection" not in rules and "absence" not in rules
    assert "无故缺席" in rules and "按次" in rules
    editor = client.get(url(draft)).content.decode()
    assert "按时长" in editor
    # A rule's category is offered by name from the category rows.
    assert 'list="editor-category-codes"' in editor and '<option value="work">视察调研</option>' in editor
