"""Workbooks as offices send them: a WPS file whose dimension record says A1, header spellings of the
resident ID and mobile phone, columns the import does not read listed in the dry run, and one sheet per
township with the township only in the tab name or the title row."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from renda.deputies.imports import Planner, read_roster, read_roster_sheets
from renda.deputies.models import RosterImport
from renda.deputies.tasks import roster_import_start

from .conftest import make_id


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stale_dimension(data: bytes) -> bytes:
    """Rewrite every sheet's <dimension ref="A1:F201"/> as WPS leaves it: ref="A1"."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', content)
                assert n == 1
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("count", [1, 50, 200])
def test_a_sheet_whose_dimension_record_says_a1_is_read_whole(count):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "性别", "公民身份号码", "选区"])
    for n in range(1, count + 1):
        sheet.append([n, f"代表{n:03d}", "男", make_id("19800101", 2 * n + 1), "第41选区"])
    data = _stale_dimension(_save(workbook))
    from openpyxl import load_workbook

    naive = load_workbook(io.BytesIO(data), read_only=True)
    assert naive.active.max_row == 1  # what the import used to see
    found = read_roster(data)
    assert len(found.rows) == count and found.rows[-1][1][1] == f"代表{count:03d}"


def test_resident_id_and_mobile_headers_are_read_and_unknown_columns_are_listed(
    congresses, users, django_capture_on_commit_callbacks, client
):
    workbook = Workbook()
    workbook.active.append(["序号", "姓名", "居民身份证号码", "移动电话", "微信号", "电话", "选区"])
    workbook.active.append(
        [1, "张三", make_id("19800101", 11), "13908571234", "zs123", "0857-1234567", "第41选区"]
    )
    sheet = read_roster(_save(workbook))
    assert sheet.columns["id_number"] == 2 and sheet.columns["phone"] == 3
    assert sheet.ignored == ["微信号", "电话"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(
            actor=users["county_staff"],
            congress=congresses["county"],
            upload=SimpleUploadedFile("名册.xlsx", _save(workbook)),
        )
    batch.refresh_from_db()
    assert batch.state == RosterImport.State.CHECKED and batch.summary["ignored"] == ["微信号", "电话"]
    assert batch.rows[0]["errors"] == []
    client.force_login(users["county_staff"])
    page = client.get(f"/deputies/imports/{batch.pk}/").content.decode()
    assert 'id="import-ignored"' in page and "微信号" in page


def _township_book() -> bytes:
    workbook = Workbook()
    first = workbook.active
    first.title = "黄泥塘镇"
    first.append(["序号", "姓名", "性别", "公民身份号码"])
    first.append([1, "甲一", "男", make_id("19800101", 21)])
    first.append([2, "甲二", "男", make_id("19800101", 23)])
    second = workbook.create_sheet("Sheet2")
    second.append(["大方县九驿街道人大代表名册"])
    second.append(["序号", "姓名", "性别", "公民身份号码"])
    second.append([1, "乙一", "男", make_id("19800101", 25)])
    third = workbook.create_sheet("九驿")  # 九驿 without 街道
    third.append(["序号", "姓名", "性别", "公民身份号码"])
    third.append([1, "丙一", "男", make_id("19800101", 27)])
    fourth = workbook.create_sheet("汇总")
    fourth.append(["序号", "姓名", "性别", "公民身份号码"])
    fourth.append([1, "丁一", "男", make_id("19800101", 29)])
    fourth.append([2, "丁二", "男", make_id("19800101", 21)])  # the same person as 甲一
    workbook.create_sheet("说明").append(["填表说明：每个乡镇一个工作表"])
    return _save(workbook)


def test_every_township_sheet_is_read_and_rows_take_the_township_of_their_sheet(
    congresses, users, django_capture_on_commit_callbacks, client
):
    sheets = read_roster_sheets(_township_book())
    assert [s.title for s in sheets] == ["黄泥塘镇", "Sheet2", "九驿", "汇总"]
    planned, _skipped = Planner(congress=congresses["county"], user=users["county_staff"]).plan_sheets(sheets)
    outcome = {
        p.name: (p.sheet, p.data.get("region").name if p.data.get("region") else None) for p in planned
    }
    assert outcome == {
        "甲一": ("黄泥塘镇", "黄泥塘镇"),
        "甲二": ("黄泥塘镇", "黄泥塘镇"),
        "乙一": ("Sheet2", "九驿街道"),
        "丙一": ("九驿", "九驿街道"),
        "丁一": ("汇总", None),
        "丁二": ("汇总", None),
    }
    errors = {p.name: [e["message"] for e in p.errors] for p in planned if p.errors}
    assert "工作表“汇总”" in errors["丁一"][0]
    assert any("工作表“黄泥塘镇”第 2 行" in m for m in errors["丁二"])

    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(
            actor=users["county_staff"],
            congress=congresses["county"],
            upload=SimpleUploadedFile("名册.xlsx", _township_book()),
        )
    batch.refresh_from_db()
    assert [s["title"] for s in batch.summary["sheets"]] == ["黄泥塘镇", "Sheet2", "九驿", "汇总"]
    assert [s["township"] for s in batch.summary["sheets"]] == ["黄泥塘镇", "九驿街道", "九驿街道", ""]
    client.force_login(users["county_staff"])
    page = client.get(f"/deputies/imports/{batch.pk}/").content.decode()
    assert page.count('class="sheet-group"') == 4 and 'id="import-sheets"' in page


def test_a_multi_sheet_preview_gives_each_sheet_its_header_row_and_names_existing_columns(
    congresses, users, django_capture_on_commit_callbacks, client
):
    """The preview said 表头在第 1 行 although Sheet2's header is on row 2, and put the 'no township'
    error under 选区 although the file has no 选区 column."""
    planned, _skipped = Planner(congress=congresses["county"], user=users["county_staff"]).plan_sheets(
        read_roster_sheets(_township_book())
    )
    unplaced = next(p for p in planned if p.name == "丁一")
    assert [e["column"] for e in unplaced.errors] == ["所在乡镇（街道）"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(
            actor=users["county_staff"],
            congress=congresses["county"],
            upload=SimpleUploadedFile("名册.xlsx", _township_book()),
        )
    client.force_login(users["county_staff"])
    page = client.get(f"/deputies/imports/{batch.pk}/").content.decode()
    assert "工作表“Sheet2”：表头在第 2 行" in page and "工作表“黄泥塘镇”：表头在第 1 行" in page
    assert "表头在第 1 行，共" not in page and "选区：无法确定" not in page
