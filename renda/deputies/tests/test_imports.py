"""Roster import against a deliberately messy workbook: every case, each row's outcome; file errors;
idempotent re-import; all-or-nothing confirm; jurisdiction; the shipped sample; pages and API."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from renda.audit.models import AuditEntry
from renda.core.errors import DomainError
from renda.deputies import imports
from renda.deputies.imports import Planner, read_roster
from renda.deputies.models import Deputy, Mandate, MandateEvent, RosterImport
from renda.deputies.tasks import roster_import_confirm, roster_import_start
from renda.jobs.models import Job

from .conftest import make_id, workbook_bytes

HEADER = [
    "序号", "代表姓名", "性别", "民族", "出生日期", "籍贯", "政治面貌", "文化程度",
    "单位职务", "选区", "所属代表团", "手机号码", "公民身份号码", "备注",
]  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

LUO = make_id("19750312", 202)
CHEN = make_id("19681005", 111)
YANG = make_id("19800512", 302, want="X")
ZHANG = make_id("19720808", 133)
AN = make_id("19850220", 155)
LONG = make_id("19790716", 246)
ZHOU = make_id("19900101", 287)


def _row(serial, name, gender, born, id_number, *, constituency="第41选区", phone="13908571001", **extra):
    values = {
        "ethnicity": "汉族",
        "native": "贵州大方",
        "party": "中共党员",
        "education": "大学本科",
        "workplace": "黄泥塘镇卫生院院长",
        "delegation": "黄泥塘镇代表团",
    }
    values.update(extra)
    return [
        serial, name, gender, values["ethnicity"], born, values["native"], values["party"],
        values["education"], values["workplace"], constituency, values["delegation"], phone, id_number, "",
    ]  # fmt: skip


def messy_rows() -> list[list]:
    """(Excel row) what it tests — expected outcome in EXPECTED below."""
    bad_check = CHEN[:17] + ("1" if CHEN[17] != "1" else "2")
    return [
        ["大方县第十八届人民代表大会代表名册"],  # 1 merged title (merged below)
        [],  # 2 blank
        HEADER,  # 3 header in other spellings
        _row(1, "罗　敏", "女", "1975.03", LUO, ethnicity="苗"),  # 4 full-width padding, 1975.03
        _row(2, " 陈国华 ", "男", 1968.1, CHEN, phone="139 0857 1002"),  # 5 spaces; 1968.10 as a number
        _row(
            3,
            "杨秀英",
            "女",
            "1980年5月",
            f"{YANG[:6]} {YANG[6:14]} {YANG[14:].lower()}",
            phone="139-0857-1003",
        ),
        _row(
            4,
            "张志强",
            "男",
            "197208",
            ZHANG.translate(FULL_WIDTH),
            phone="１３９０８５７１００４",
            constituency="42",
        ),
        _row(
            5, "安　勇", "男", datetime.datetime(1985, 2, 20), AN, party="无党派", education="大专"
        ),  # 8 Excel date
        _row(6, "龙春梅", "女", 197907, LONG, constituency=" 第43选区 "),  # 9 birth month as a number
        [None] * len(HEADER),  # 10 blank row with nothing
        [7] + [None] * (len(HEADER) - 1),  # 11 a row with only its 序号
        _row(8, "罗　刚", "男", "1970.01", float("520521197001011712")),  # 12 ID stored as a number
        _row(9, "陈海燕", "女", "1968.10", bad_check),  # 13 bad check character
        _row(10, "杨建华", "男", "1978.09", make_id("19770909", 193)),  # 14 birth month ≠ ID
        _row(11, "", "女", "1982.04", make_id("19820404", 264)),  # 15 missing name
        _row(12, "罗敏", "女", "1975.03", LUO),  # 16 duplicate of row 4
        _row(13, "吴永富", "男", "1983.07", make_id("19830707", 275), constituency="第199选区"),  # 17 unknown
        _row(14, "周　丽", "女", "1990.01", ZHOU),  # 18 gender ≠ ID (ZHOU is male; 女 expected)
        _row(15, "何　平", "男", "1990.13", make_id("19901201", 299)),  # 19 impossible month
        _row(16, "郑　伟", "男", "1991.01", make_id("19910101", 301), phone="12345"),  # 20 bad phone
        _row(
            17, "冯　云", "男", "1992.02", make_id("19920202", 303), party="外星人"
        ),  # 21 unknown affiliation
        ["合计", None, None, None, None, None, None, None, None, None, None, None, "共17人"],  # 22 total
        ["填表人：罗燕　　审核人：张国华"],  # 23 signature
    ]


# Excel row -> (outcome, column of the error or None, words the message must contain)
EXPECTED = {
    4: ("new", None, ""),
    5: ("new", None, ""),
    6: ("new", None, ""),
    7: ("new", None, ""),
    8: ("new", None, ""),
    9: ("new", None, ""),
    12: ("error", "公民身份号码", "存成了数字"),
    13: ("error", "公民身份号码", "校验位"),
    14: ("error", "出生年月", "与身份证号码中的 1977.09 不符"),
    15: ("error", "姓名", "姓名为空"),
    16: ("error", "公民身份号码", "与第 4 行的身份证号码重复"),
    17: ("error", "选区", "“第199选区”不是大方县第十八届人民代表大会的选区"),
    18: ("error", "性别", "性别与身份证号码不符"),
    19: ("error", "出生年月", "无法识别"),
    20: ("error", "联系电话", "电话号码格式不正确"),
    21: ("error", "政治面貌", "无法识别“外星人”"),
}


def messy_workbook() -> bytes:
    from openpyxl import load_workbook

    data = workbook_bytes(messy_rows())
    # Merge the title row as offices do.
    import io

    workbook = load_workbook(io.BytesIO(data))
    workbook.active.merge_cells("A1:N1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def clean_workbook(rows=None) -> bytes:
    """The six good rows of the messy workbook, under a title and a header."""
    good = [r for number, r in enumerate(messy_rows(), start=1) if EXPECTED.get(number, ("",))[0] == "new"]
    return workbook_bytes(
        [["大方县第十八届人民代表大会代表名册"], HEADER, *(rows if rows is not None else good)]
    )


def _plan(data: bytes, congress, user):
    return Planner(congress=congress, user=user).plan_rows(read_roster(data))


def test_every_messy_row_gets_its_expected_outcome(congresses, users):
    planned, skipped = _plan(messy_workbook(), congresses["county"], users["county_staff"])
    outcomes = {p.row: p for p in planned}
    assert set(outcomes) == set(EXPECTED), sorted(outcomes)
    for row, (outcome, column, words) in EXPECTED.items():
        plan = outcomes[row]
        assert plan.outcome == outcome, (row, plan.errors)
        if column:
            assert any(e["column"] == column and words in e["message"] for e in plan.errors), (
                row,
                plan.errors,
            )
    assert [number for number, _text in skipped] == [22, 23]


def test_messy_cells_are_cleaned(congresses, users):
    planned, _skipped = _plan(messy_workbook(), congresses["county"], users["county_staff"])
    rows = {p.row: p for p in planned}
    assert rows[4].data["name"] == "罗敏" and rows[4].data["ethnicity"] == "苗族"
    assert rows[4].data["birth_month"] == datetime.date(1975, 3, 1)
    assert rows[5].data["name"] == "陈国华" and rows[5].data["birth_month"] == datetime.date(1968, 10, 1)
    assert rows[5].data["phone"] == "13908571002"
    assert rows[6].data["id_number"] == YANG and YANG.endswith("X") and rows[6].data["phone"] == "13908571003"
    assert rows[6].data["birth_month"] == datetime.date(1980, 5, 1)
    assert rows[7].data["id_number"] == ZHANG and rows[7].data["phone"] == "13908571004"
    assert rows[7].constituency.name == "第42选区" and rows[7].data["birth_month"] == datetime.date(
        1972, 8, 1
    )
    assert rows[8].data["birth_month"] == datetime.date(1985, 2, 1)
    assert rows[8].data["political_affiliation"] == "independent" and rows[8].data["education"] == "associate"
    assert (
        rows[9].data["birth_month"] == datetime.date(1979, 7, 1) and rows[9].constituency.name == "第43选区"
    )
    assert all(rows[r].data["region"].name == "黄泥塘镇" for r in (4, 5, 6, 7, 8, 9))
    assert rows[4].data["gender"] == "female" and rows[5].data["gender"] == "male"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1975.03", (1975, 3)),
        ("1975.3", (1975, 3)),
        ("1975年3月", (1975, 3)),
        ("1975年03月15日", (1975, 3)),
        ("197503", (1975, 3)),
        (197503, (1975, 3)),
        ("1975-03-15", (1975, 3)),
        ("1975/3", (1975, 3)),
        ("１９７５．０３", (1975, 3)),
        (datetime.datetime(1975, 3, 15), (1975, 3)),
        (27468, (1975, 3)),  # an Excel date serial without its date format (1975-03-15)
        (1975.12, (1975, 12)),
    ],
)
def test_birth_month_formats(value, expected):
    born = imports.clean_birth_month(value)
    assert (born.year, born.month) == expected and born.day == 1


def test_a_number_cell_turns_october_into_january_and_the_id_decides():
    assert imports.clean_birth_month(1975.1, "520521197510150011") == datetime.date(1975, 10, 1)
    assert imports.clean_birth_month(1975.1, "520521197501150011") == datetime.date(1975, 1, 1)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "文件是空的"),
        (b"%PDF-1.4 this is not a spreadsheet", "不是有效的 Excel 表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel 文件（.xls）"),
        (workbook_bytes([]), "表格是空的"),
        (workbook_bytes([["代表名册"], ["名字", "单位"], ["王芳", "卫生院"]]), "没有找到可以识别的表头"),
        (workbook_bytes([["姓名", "单位"], ["王芳", "卫生院"]]), "“身份证号码”"),
    ],
    ids=["empty-file", "not-a-spreadsheet", "old-xls", "empty-sheet", "no-header", "no-id-column"],
)
def test_unreadable_files_get_one_clear_message(data, message):
    with pytest.raises(DomainError) as info:
        read_roster(data)
    assert message in info.value.message and info.value.field == "file"


def _upload(data: bytes, name="名册.xlsx"):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _start(user, congress, data, django_capture_on_commit_callbacks) -> RosterImport:
    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(actor=user, congress=congress, upload=_upload(data))
    batch.refresh_from_db()
    return batch


def _confirm(user, batch, django_capture_on_commit_callbacks) -> RosterImport:
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_confirm(actor=user, batch=batch)
    batch.refresh_from_db()
    return batch


def test_dry_run_writes_nothing_and_keeps_only_masked_values(
    congresses, users, django_capture_on_commit_callbacks
):
    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], messy_workbook(), django_capture_on_commit_callbacks)
    assert batch.state == "checked" and batch.check_job.state == Job.State.SUCCEEDED
    assert batch.summary["new"] == 6 and batch.summary["error"] == 10 and batch.summary["skipped"] == 2
    assert batch.summary["header_row"] == 3
    assert not Deputy.objects.exists()
    assert LUO not in str(batch.rows) and "520521********" in str(batch.rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM deputies_rosterimport WHERE id = %s", [batch.pk.hex])
        raw = cursor.fetchone()[0]
    assert batch.content.startswith("UEsD") and raw.startswith("sm4gcm1:")  # the file kept, encrypted
    with pytest.raises(DomainError, match="10 行错误"):
        roster_import_confirm(actor=staff, batch=batch)


def test_confirm_writes_everything_and_the_same_file_twice_changes_nothing(
    congresses, users, django_capture_on_commit_callbacks
):
    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    assert batch.summary == {**batch.summary, "new": 6, "error": 0, "update": 0, "unchanged": 0}
    batch = _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == "imported" and batch.content == "" and batch.import_job.state == "succeeded"
    assert Deputy.objects.count() == 6 and Mandate.objects.filter(congress=congresses["county"]).count() == 6
    chen = Deputy.objects.get(name="陈国华")
    assert (
        chen.id_number == CHEN
        and chen.phone == "13908571002"
        and chen.birth_month == datetime.date(1968, 10, 1)
    )
    assert (
        chen.mandates.get().constituency.name == "第41选区"
        and chen.mandates.get().delegation == "黄泥塘镇代表团"
    )
    assert MandateEvent.objects.filter(to_status="serving").count() == 6
    writes = AuditEntry.objects.filter(
        action__in=["deputy.create", "deputy.update", "mandate.create"]
    ).count()

    again = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    assert (again.summary["unchanged"], again.summary["new"], again.summary["update"]) == (6, 0, 0)
    assert {r["outcome"] for r in again.rows} == {"unchanged"}
    assert Deputy.objects.count() == 6
    assert (
        AuditEntry.objects.filter(action__in=["deputy.create", "deputy.update", "mandate.create"]).count()
        == writes
    )


def test_changed_rows_are_updates_naming_the_fields(congresses, users, django_capture_on_commit_callbacks):
    staff = users["county_staff"]
    _confirm(staff, _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks),
             django_capture_on_commit_callbacks)  # fmt: skip
    rows = [r for number, r in enumerate(messy_rows(), start=1) if EXPECTED.get(number, ("",))[0] == "new"]
    rows[0] = _row(1, "罗　敏", "女", "1975.03", LUO, ethnicity="苗", workplace="黄泥塘镇人民政府副镇长")
    rows[1] = _row(2, "陈国华", "男", "", CHEN, phone="", constituency="第44选区")  # empty cells keep data
    batch = _start(staff, congresses["county"], clean_workbook(rows), django_capture_on_commit_callbacks)
    by_name = {r["name"]: r for r in batch.rows}
    assert by_name["罗敏"]["outcome"] == "update" and by_name["罗敏"]["changes"] == ["工作单位及职务"]
    assert by_name["陈国华"]["outcome"] == "update" and by_name["陈国华"]["changes"] == ["选区"]
    assert batch.summary["unchanged"] == 4
    _confirm(staff, batch, django_capture_on_commit_callbacks)
    chen = Deputy.objects.get(name="陈国华")
    assert chen.phone == "13908571002" and chen.birth_month == datetime.date(1968, 10, 1)
    assert chen.mandates.get().constituency.name == "第44选区"
    assert Deputy.objects.get(name="罗敏").workplace == "黄泥塘镇人民政府副镇长"


def test_an_existing_deputy_gets_a_new_mandate_as_an_update(
    deputies, congresses, users, django_capture_on_commit_callbacks
):
    wang = deputies["wang"]
    data = clean_workbook([_row(1, "王　芳", "女", "1980.03", wang.id_number, phone="13812345678")])
    batch = _start(users["county_staff"], congresses["county"], data, django_capture_on_commit_callbacks)
    row = batch.rows[0]
    assert row["outcome"] == "update" and "新增大方县第十八届人民代表大会代表资格" in row["changes"]


def test_confirm_is_all_or_nothing(congresses, users, django_capture_on_commit_callbacks, monkeypatch):
    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    real = imports.mandate_prepare
    calls = []
    audited = AuditEntry.objects.count()

    def failing(**kwargs):
        # The deputies of every row are inserted by now: the 4th row's mandate is refused.
        calls.append(kwargs["deputy"].name)
        assert kwargs["deputy"].pk is not None
        if len(calls) == 4:
            raise DomainError("模拟写入第4行时出错", field="constituency")
        return real(**kwargs)

    monkeypatch.setattr(imports, "mandate_prepare", failing)
    with pytest.raises(DomainError) as info:
        # job_run marks the job failed and lets the task end; the service itself raises here.
        imports._apply(batch, lambda *a: None)
    assert "第 6 行（选区）：模拟写入第4行时出错" in info.value.message  # rows 3–8 under the header
    assert len(calls) == 4 and not Deputy.objects.exists() and not Mandate.objects.exists()
    assert AuditEntry.objects.count() == audited  # no audit entry of a write that never happened
    calls.clear()
    batch = _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == "failed" and "模拟写入第4行时出错" in batch.message
    assert batch.import_job.state == "failed"
    assert not Deputy.objects.exists() and not Mandate.objects.exists()


def test_confirm_failing_after_every_write_leaves_nothing(
    congresses, users, django_capture_on_commit_callbacks, monkeypatch
):
    """The last step of the one transaction (the import's own audit entry) fails after deputies,
    mandates, their events and audit entries were all inserted in bulk: none of them is kept."""
    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    real = imports.audit_record
    audited = AuditEntry.objects.count()

    def failing(**kwargs):
        if kwargs["action"] == "roster_import.apply":
            assert Deputy.objects.count() == 6 and MandateEvent.objects.count() == 6
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(imports, "audit_record", failing)
    with pytest.raises(RuntimeError):
        imports._apply(batch, lambda *a: None)
    assert not Deputy.objects.exists() and not Mandate.objects.exists()
    assert not MandateEvent.objects.exists() and AuditEntry.objects.count() == audited


def test_confirm_checks_again_against_todays_data(
    congresses, users, regions, django_capture_on_commit_callbacks
):
    from renda.deputies.services import deputy_create

    staff = users["county_staff"]  # 大方县
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    assert batch.summary["new"] == 6 and batch.summary["error"] == 0
    # Meanwhile 罗敏's ID number is registered for a deputy of 七星关区, outside this user's county.
    deputy_create(name="罗敏", gender="female", region=regions["other_county"], id_number=LUO)
    batch = _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == "failed" and "复核时发现 1 行错误" in batch.message
    assert Deputy.objects.count() == 1 and not Mandate.objects.exists()


def test_township_staff_import_only_within_their_township(
    congresses, users, django_capture_on_commit_callbacks
):
    """Issue 13 §10: a township clerk imports into their township's congress only; the county's
    congress (its constituencies in their township included) is kept by the county's staff."""
    from renda.core.errors import DomainError

    rows = [_row(1, "罗　敏", "女", "1975.03", LUO)]
    with pytest.raises(DomainError) as info:
        _start(
            users["township_staff"],
            congresses["county"],
            clean_workbook(rows),
            django_capture_on_commit_callbacks,
        )
    assert info.value.field == "congress" and not RosterImport.objects.exists()


def test_the_shipped_sample_workbook(congresses, users, django_capture_on_commit_callbacks):
    sample = Path(settings.BASE_DIR) / "docs" / "samples" / "代表名册-示例.xlsx"
    batch = _start(
        users["county_staff"], congresses["county"], sample.read_bytes(), django_capture_on_commit_callbacks
    )
    by_row = {r["row"]: r for r in batch.rows}
    assert {row: r["outcome"] for row, r in by_row.items()} == {
        4: "new", 5: "new", 6: "new", 7: "new", 8: "new", 9: "new",
        11: "error", 12: "error", 13: "error", 14: "error", 15: "error", 16: "error",
    }  # fmt: skip
    assert [e["column"] for row in (11, 12, 13, 14, 15, 16) for e in by_row[row]["errors"]] == [
        "公民身份号码", "公民身份号码", "出生年月", "姓名", "公民身份号码", "选区",
    ]  # fmt: skip
    assert batch.summary["skipped"] == 2 and batch.summary["header_row"] == 3


# --- pages and API ---


def test_upload_page_runs_the_dry_run_and_shows_every_row(
    congresses, users, client, django_capture_on_commit_callbacks
):
    client.force_login(users["county_staff"])
    assert client.get("/deputies/imports/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/deputies/imports/new/", {"congress": congresses["county"].pk, "file": _upload(messy_workbook())}
        )
    batch = RosterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/deputies/imports/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-bar-' in page and 'value="100"' in page  # the jobs app's progress bar, finished
    assert "与第 4 行的身份证号码重复" in page and "罗敏" in page
    assert "确认导入" not in page and "有 10 行存在错误" in page
    assert LUO not in page and f"{LUO[:6]}********{LUO[-4:]}" in page
    errors_only = client.get(response["Location"], {"show": "error"}).content.decode()
    assert "陈国华" not in errors_only and "吴永富" in errors_only


def test_confirm_through_the_page(congresses, users, client, django_capture_on_commit_callbacks):
    client.force_login(users["county_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/deputies/imports/new/", {"congress": congresses["county"].pk, "file": _upload(clean_workbook())}
        )
    page = client.get(response["Location"]).content.decode()
    assert "确认导入（新增 6 人，更新 0 人）" in page
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response["Location"] + "confirm/")
    assert confirmed.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "已导入：新增 6" in done and Deputy.objects.count() == 6
    assert done.count("已导入：新增 6") == 1 and "不是有效的 Excel" not in done  # one outcome, shown once


def test_bad_file_through_the_page_is_one_message(
    congresses, users, client, django_capture_on_commit_callbacks
):
    client.force_login(users["county_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/deputies/imports/new/",
            {"congress": congresses["county"].pk, "file": _upload(b"hello", "名册.xlsx")},
        )
    page = client.get(response["Location"]).content.decode()
    assert page.count("文件不是有效的 Excel 表格") == 1  # once: the import's outcome, not the job's too
    assert RosterImport.objects.get().state == "rejected" and RosterImport.objects.get().content == ""


def test_imports_belong_to_their_owner(congresses, users, client, django_capture_on_commit_callbacks):
    batch = _start(
        users["county_staff"], congresses["county"], clean_workbook(), django_capture_on_commit_callbacks
    )
    for username in ("township_staff", "leader", "deputy"):
        client.force_login(users[username])
        assert client.get(f"/deputies/imports/{batch.pk}/").status_code == 404
        assert client.post(f"/deputies/imports/{batch.pk}/confirm/").status_code == 404
        assert client.get(f"/api/v1/deputies/imports/{batch.pk}").status_code == 404


def test_import_through_the_api(congresses, users, client, django_capture_on_commit_callbacks):
    client.force_login(users["county_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/deputies/imports",
            {"congress": congresses["county"].pk, "file": _upload(messy_workbook())},
        )
    assert response.status_code == 202, response.content
    import_id = response.json()["id"]
    body = client.get(f"/api/v1/deputies/imports/{import_id}").json()
    assert body["state"] == "checked" and body["percent"] == 100 and body["job_state"] == "succeeded"
    assert body["summary"]["error"] == 10 and len(body["rows"]) == 16
    row13 = next(r for r in body["rows"] if r["row"] == 13)
    assert row13["outcome"] == "error" and row13["errors"][0]["column"] == "公民身份号码"
    refused = client.post(f"/api/v1/deputies/imports/{import_id}/confirm")
    assert refused.status_code == 400 and "10 行错误" in refused.json()["message"]

    with django_capture_on_commit_callbacks(execute=True):
        clean = client.post(
            "/api/v1/deputies/imports",
            {"congress": congresses["county"].pk, "file": _upload(clean_workbook())},
        )
    clean_id = clean.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/api/v1/deputies/imports/{clean_id}/confirm")
    assert confirmed.status_code == 202
    final = client.get(f"/api/v1/deputies/imports/{clean_id}").json()
    assert final["state"] == "imported" and final["percent"] == 100 and Deputy.objects.count() == 6


def test_api_upload_refuses_a_congress_out_of_reach(congresses, users, client, regions):
    from renda.deputies.services import congress_create

    other = congress_create(level="county", region=regions["other_county"], term=18)
    client.force_login(users["county_staff"])
    response = client.post(
        "/api/v1/deputies/imports", {"congress": other.pk, "file": _upload(clean_workbook())}
    )
    assert response.status_code == 400 and response.json()["detail"] == {"field": "congress"}
    client.force_login(users["leader"])
    payload = {"congress": congresses["county"].pk, "file": _upload(clean_workbook())}
    assert client.post("/api/v1/deputies/imports", payload).status_code == 404


@pytest.mark.parametrize(
    ("make", "message"),
    [("entity_bomb", "XML 实体声明"), ("huge_string", "压缩比异常")],
)
def test_a_hostile_workbook_ends_as_a_failed_check_with_a_clear_message(
    make, message, congresses, users, django_capture_on_commit_callbacks
):
    from renda.core.tests import test_uploads

    hostile = getattr(test_uploads, make)()
    batch = _start(users["county_staff"], congresses["county"], hostile, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert batch.state == RosterImport.State.REJECTED and message in batch.message
    assert batch.check_job.state == Job.State.FAILED and message in batch.check_job.message


def test_a_parser_crash_never_leaves_the_check_running(
    congresses, users, django_capture_on_commit_callbacks, monkeypatch
):
    def explode(data):
        raise SyntaxError("parser blew up")

    monkeypatch.setattr(imports, "read_roster_sheets", explode)  # what the check job calls
    _start(users["county_staff"], congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    batch = RosterImport.objects.get()
    assert batch.state == RosterImport.State.REJECTED and "无法读取" in batch.message
    assert batch.check_job.state == Job.State.FAILED


def test_an_import_whose_worker_vanished_can_be_confirmed_again(
    congresses, users, django_capture_on_commit_callbacks, settings
):
    """The worker was killed at 40 %: the job is failed after the timeout, the import is checked again
    (its one transaction never committed), and a second confirm imports it."""
    import io as _io

    from django.core.management import call_command

    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):  # the worker takes it, then dies
        roster_import_confirm(actor=staff, batch=batch)
    batch.refresh_from_db()
    silent_for = datetime.timedelta(seconds=settings.RENDA_JOB_STALE_SECONDS + 60)
    long_ago = datetime.datetime.now(datetime.UTC) - silent_for
    Job.objects.filter(pk=batch.import_job_id).update(state="running", percent=40, heartbeat_at=long_ago)
    call_command("job_reap_stale", stdout=_io.StringIO())
    batch.refresh_from_db()
    assert batch.import_job.state == Job.State.FAILED and "后台处理进程已中断" in batch.import_job.message
    assert batch.state == RosterImport.State.CHECKED and "可以重新确认导入" in batch.message
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_confirm(actor=staff, batch=batch)
    batch.refresh_from_db()
    assert batch.state == RosterImport.State.IMPORTED and Deputy.objects.count() == 6


def test_an_unchanged_roster_reports_no_updates_whatever_the_bracket_width(
    congresses, users, django_capture_on_commit_callbacks
):
    """Issue 15 §4: re-importing an unchanged roster whose text has full-width brackets and an
    ideographic space reports 0 updates (free text is stored as written, never folded; issue 12)."""
    staff = users["county_staff"]
    rows = [_row(1, "陈国华", "男", "1968.10", CHEN, workplace="大方县（黄泥塘）卫生院　院长")]
    batch = _start(staff, congresses["county"], clean_workbook(rows), django_capture_on_commit_callbacks)
    _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert Deputy.objects.get(name="陈国华").workplace == "大方县（黄泥塘）卫生院　院长"
    again = _start(staff, congresses["county"], clean_workbook(rows), django_capture_on_commit_callbacks)
    assert (again.summary["update"], again.summary["unchanged"]) == (0, 1), again.rows
    # A real change is still one.
    rows = [_row(1, "陈国华", "男", "1968.10", CHEN, workplace="大方县（黄泥塘）卫生院　副院长")]
    changed = _start(staff, congresses["county"], clean_workbook(rows), django_capture_on_commit_callbacks)
    assert changed.summary["update"] == 1


def _many_rows(size: int, first: int) -> list[list]:
    born = "1975.03" if first < 500 else "1976.03"
    id_born = born.replace(".", "") + "12"
    surname, given = "赵钱孙李周吴郑王冯陈", "明华强军"
    return [
        _row(n, surname[n % 10] + given[n // 10 % 4] + "文武"[n % 2], "男", born,
             make_id(id_born, first % 500 + 2 * n + 1), phone=f"139{first + n:08d}")
        for n in range(size)
    ]  # fmt: skip


def _writes(queries) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(verbs)]


def test_confirm_queries_do_not_grow_row_by_row(congresses, users, django_capture_on_commit_callbacks):
    """Issue 15 §4: the confirm step writes in bulk. Measured before: 23 queries per row (each row went
    through deputy_create/mandate_create and their audit entries one by one), then about 7 per
    hundred rows with bulk_create (999 parameters a statement on SQLite). Now one multi-row INSERT per
    table takes as many rows as the database's parameter limit allows (about 880 deputies on SQLite,
    1,700 on PostgreSQL): no more queries for 300 rows than for 100."""
    from django.test.utils import CaptureQueriesContext

    staff = users["county_staff"]
    counts = {}
    for size, first in ((100, 100), (300, 500)):
        batch = _start(staff, congresses["county"], clean_workbook(_many_rows(size, first)),
                       django_capture_on_commit_callbacks)  # fmt: skip
        assert batch.summary["new"] == size, batch.rows[:3]
        with CaptureQueriesContext(connection) as queries:
            _confirm(staff, batch, django_capture_on_commit_callbacks)
        assert batch.state == "imported"
        counts[size] = len(queries.captured_queries)
    per_100 = (counts[300] - counts[100]) / 2
    print(f"confirm queries: 100 rows {counts[100]}, 300 rows {counts[300]}, {per_100:.1f} per 100 more")
    assert per_100 <= 1 and counts[100] <= 90, counts
    assert Deputy.objects.count() == 400 and MandateEvent.objects.count() == 400


def test_reimporting_an_unchanged_roster_writes_nothing(
    congresses, users, django_capture_on_commit_callbacks
):
    """The confirm step of an unchanged roster: 0 updates, and no INSERT or UPDATE but the import's
    own audit entry (with the chain's head)."""
    from django.test.utils import CaptureQueriesContext

    staff = users["county_staff"]
    data = clean_workbook(_many_rows(60, 100))
    _confirm(staff, _start(staff, congresses["county"], data, django_capture_on_commit_callbacks),
             django_capture_on_commit_callbacks)  # fmt: skip
    again = _start(staff, congresses["county"], data, django_capture_on_commit_callbacks)
    assert (again.summary["update"], again.summary["unchanged"]) == (0, 60)
    RosterImport.objects.filter(pk=again.pk).update(state=RosterImport.State.IMPORTING)
    with CaptureQueriesContext(connection) as queries:
        counts = imports._apply(again, lambda *a: None)
    assert (counts["new"], counts["update"], counts["unchanged"]) == (0, 0, 60)
    writes = _writes(queries)
    assert not [w for w in writes if "deputies_" in w], writes
    assert len([w for w in writes if "audit_auditentry" in w]) == 1, writes
    assert AuditEntry.objects.latest("id").action == "roster_import.apply"


def test_bulk_confirm_keeps_every_record_of_the_one_by_one_path(
    congresses, users, django_capture_on_commit_callbacks
):
    """What deputy_create / mandate_create wrote per row, the bulk path writes too: one chained audit
    entry per deputy and per mandate (ID numbers masked), a 当选 event by the clerk, encrypted personal
    fields with their blind indexes, stroke and pinyin keys; and an update in bulk keeps the index of a
    changed phone number."""
    from renda.audit.integrity import audit_verify
    from renda.core.crypto import blind_index
    from renda.deputies import strokes

    staff = users["county_staff"]
    batch = _confirm(
        staff,
        _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert batch.state == "imported"
    deputies = {d.pk: d for d in Deputy.objects.all()}
    created = AuditEntry.objects.filter(action="deputy.create")
    assert sorted(int(e.object_id) for e in created) == sorted(deputies)
    luo = Deputy.objects.get(id_number_index=blind_index(LUO))
    entry = created.get(object_id=str(luo.pk))
    assert entry.actor_username == "county_staff" and LUO not in str(entry.changes)
    assert entry.changes["id_number"] == f"{LUO[:6]}********{LUO[-4:]}" and entry.changes["name"] == "罗敏"
    mandates = Mandate.objects.filter(congress=congresses["county"])
    assert sorted(int(e.object_id) for e in AuditEntry.objects.filter(action="mandate.create")) == sorted(
        m.pk for m in mandates
    )
    assert {(e.reason, e.actor_id, e.from_status) for e in MandateEvent.objects.all()} == {
        ("当选", staff.pk, "")
    }
    for deputy in deputies.values():
        assert deputy.stroke_key == strokes.stroke_key(deputy.name)
        assert deputy.pinyin_key == strokes.pinyin_key(deputy.name)
        assert deputy.phone_index == blind_index(deputy.phone)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM deputies_deputy")
        assert all(a.startswith("sm4gcm1:") and b.startswith("sm4gcm1:") for a, b in cursor.fetchall())
    assert audit_verify().ok

    rows = [r for number, r in enumerate(messy_rows(), start=1) if EXPECTED.get(number, ("",))[0] == "new"]
    rows[0] = _row(1, "罗　敏", "女", "1975.03", LUO, ethnicity="苗", phone="13800000009", delegation="新团")
    capture = django_capture_on_commit_callbacks
    changed = _confirm(staff, _start(staff, congresses["county"], clean_workbook(rows), capture), capture)
    assert changed.state == "imported" and "更新 1" in changed.message
    luo.refresh_from_db()
    assert luo.phone == "13800000009" and luo.phone_index == blind_index("13800000009")
    assert luo.mandates.get().delegation == "新团"
    update = AuditEntry.objects.get(action="deputy.update", object_id=str(luo.pk))
    assert update.changes["phone"] == ["139****1001", "138****0009"]
    assert AuditEntry.objects.get(action="mandate.update").changes["delegation"] == ["黄泥塘镇代表团", "新团"]
    assert audit_verify().ok


def test_a_row_refused_at_write_time_is_named_and_nothing_is_written(
    congresses, users, regions, django_capture_on_commit_callbacks
):
    """A deputy registered with one of the file's ID numbers between the dry run and the write (after
    the recheck): the database's unique constraint refuses it, the message names the person."""
    from renda.deputies.services import deputy_create_many, deputy_prepare

    def person(name):
        data = {"name": name, "gender": "female", "region": regions["jiuyi"], "id_number": LUO}
        return deputy_prepare(data=data)

    deputy_create_many(prepared=[person("罗敏")])
    with pytest.raises(DomainError) as info:
        deputy_create_many(prepared=[person("罗小敏")])
    assert info.value.message == "罗小敏的身份证号码已登记为其他代表" and info.value.field == "id_number"
    assert Deputy.objects.count() == 1


@pytest.mark.parametrize(
    "value",
    [
        "黄泥塘镇卫生院",
        "  王  芳 ",
        "大方县（黄泥塘）卫生院　院长",
        "a\u200bb",
        "x\ty",
        "\u3000王\u3000芳",
        "1980.05",
        7.0,
    ],
)
def test_the_fast_path_of_text_is_clean_name(value):
    from renda.core.text import clean_name

    expected = clean_name(int(value) if isinstance(value, float) else value)
    assert imports.text(value) == expected


def test_the_bulk_confirm_keys_new_and_moved_deputies(congresses, users, django_capture_on_commit_callbacks):
    """Jurisdiction keys (renda/regions/keys.py) on rows written by deputy_create_many and
    deputy_update_many, which skip save(): every deputy's county/township codes are its region's, so
    a county clerk scoped by the keys sees them all."""
    from renda.core.access import scope_queryset
    from renda.deputies.models import Constituency
    from renda.regions.keys import region_keys_drift

    staff = users["county_staff"]
    capture = django_capture_on_commit_callbacks
    _confirm(staff, _start(staff, congresses["county"], clean_workbook(), capture), capture)
    assert Deputy.objects.exclude(county_code="").count() == 6
    assert region_keys_drift(Deputy) == [] and region_keys_drift(Constituency) == []

    rows = [r for number, r in enumerate(messy_rows(), start=1) if EXPECTED.get(number, ("",))[0] == "new"]
    rows[1] = _row(2, "陈国华", "男", "", CHEN, phone="", constituency="第1选区")  # to 九驿镇
    rows[0] = _row(1, "罗　敏", "女", "1975.03", LUO, workplace="黄泥塘镇人民政府副镇长")  # region unchanged
    batch = _confirm(staff, _start(staff, congresses["county"], clean_workbook(rows), capture), capture)
    assert batch.state == "imported"
    chen = Deputy.objects.get(name="陈国华")
    assert (chen.region.code, chen.township_code) == ("520521004", "520521004")
    assert region_keys_drift(Deputy) == [] and region_keys_drift(Constituency) == []
    assert scope_queryset(Deputy.objects.all(), staff).count() == 6


def test_confirm_starts_from_the_dry_runs_sealed_plan_not_the_file(
    congresses, users, django_capture_on_commit_callbacks, monkeypatch
):
    """Issue 15 §4: the dry run keeps what it read, checked and prepared (encrypted, as the file is);
    the confirm step decides those rows again against the database and writes them, reading and
    checking no workbook; once imported, neither the file nor the plan is kept."""
    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    assert batch.plan and LUO in batch.plan  # in clear only once decrypted
    with connection.cursor() as cursor:
        cursor.execute("SELECT plan FROM deputies_rosterimport WHERE id = %s", [batch.pk.hex])
        assert cursor.fetchone()[0].startswith("sm4gcm1:")

    def not_again(*args, **kwargs):
        raise AssertionError("the confirm step read or checked the workbook again")

    monkeypatch.setattr(imports, "read_roster_sheets", not_again)
    monkeypatch.setattr(imports.Planner, "_read_row", not_again)
    monkeypatch.setattr(imports, "deputy_prepared_values", not_again)  # new deputies: prepared once
    batch = _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == "imported" and "新增 6" in batch.message, batch.message
    assert batch.content == "" and batch.plan == ""
    luo = Deputy.objects.get(name="罗敏")
    assert luo.id_number == LUO and luo.region.name == "黄泥塘镇" and luo.county_code == "520521"
    assert luo.mandates.get().constituency.name == "第41选区"


@pytest.mark.parametrize("plan", ["", '{"version": 0, "rows": []}', "not json"])
def test_confirm_without_a_plan_it_can_use_checks_the_file_again(
    plan, congresses, users, django_capture_on_commit_callbacks
):
    """An import checked before plans were kept, or by an older format: the file is read again."""
    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    RosterImport.objects.filter(pk=batch.pk).update(plan=plan)
    batch = _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == "imported" and Deputy.objects.count() == 6


def test_a_value_a_deputy_cannot_hold_is_an_error_of_the_dry_run(
    congresses, users, django_capture_on_commit_callbacks
):
    """A new deputy is prepared (cleaned and validated as deputy_create would) in the dry run: a
    workplace longer than the field holds is that row's error in the preview, not a failed confirm."""
    staff = users["county_staff"]
    rows = [
        _row(1, "罗　敏", "女", "1975.03", LUO, workplace="黄泥塘镇" * 60),
        _row(2, "陈国华", "男", "1968.10", CHEN),
    ]
    batch = _start(staff, congresses["county"], clean_workbook(rows), django_capture_on_commit_callbacks)
    assert (batch.summary["new"], batch.summary["error"]) == (1, 1)
    luo = next(r for r in batch.rows if r["name"] == "罗敏")
    assert luo["outcome"] == "error" and luo["errors"][0]["column"] == "工作单位及职务", luo
    assert batch.plan == ""  # a file with an error row is never imported: nothing to keep


def test_a_sealed_new_row_whose_deputy_was_registered_meanwhile_is_an_update(
    congresses, users, regions, django_capture_on_commit_callbacks
):
    """The confirm step decides the dry run's rows again: 罗敏, new when checked, was registered in the
    county before the confirm, so the import gives her the mandate instead of a second deputy."""
    from renda.deputies.services import deputy_create

    staff = users["county_staff"]
    batch = _start(staff, congresses["county"], clean_workbook(), django_capture_on_commit_callbacks)
    assert batch.summary["new"] == 6
    deputy_create(name="罗敏", gender="female", region=regions["jiuyi"], id_number=LUO)
    batch = _confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batch.state == "imported" and "新增 5，更新 1" in batch.message, batch.message
    assert Deputy.objects.count() == 6
    luo = Deputy.objects.get(name="罗敏")
    assert luo.region.name == "黄泥塘镇" and luo.mandates.get().congress == congresses["county"]
