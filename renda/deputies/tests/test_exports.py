"""Roster export: official columns, title row, stroke order, masked unless the user may reveal."""

import io

import pytest
from openpyxl import load_workbook

from renda.audit.models import AuditEntry
from renda.deputies.imports import OFFICIAL_COLUMNS
from renda.deputies.models import Deputy
from renda.deputies.services import deputy_create, mandate_create
from renda.jobs.models import Job

WANG_ID, LI_ID = "520521198003151224", "52052119750308107X"


@pytest.fixture
def roster(seated, congresses, regions):
    c = congresses["constituencies"]
    for name, gender in (("丁　宁", "female"), ("于波", "male"), ("马龙", "male")):
        deputy = deputy_create(name=name, gender=gender, region=regions["huangnitang"], sector="health")
        mandate_create(
            deputy=deputy,
            congress=congresses["county"],
            constituency=c["第43选区"],
            delegation="黄泥塘镇代表团",
        )
    return seated


def _export(client, users, username, params, django_capture_on_commit_callbacks):
    client.force_login(users[username])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/deputies/export/", params)
    job = Job.objects.filter(kind="roster_export", owner=users[username]).latest("created_at")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == "succeeded", job.message
    download = client.get(f"/jobs/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    return job, [[c.value for c in row] for row in sheet.iter_rows()], sheet


def _workbook(client, job):
    return load_workbook(io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)))


def test_export_has_title_official_columns_and_stroke_order(
    roster, congresses, users, client, django_capture_on_commit_callbacks
):
    job, rows, sheet = _export(
        client,
        users,
        "county_staff",
        {"congress": congresses["county"].pk},
        django_capture_on_commit_callbacks,
    )
    assert rows[0][0] == "大方县第十八届人民代表大会代表名册" and "A1:Q1" in {
        str(r) for r in sheet.merged_cells.ranges
    }
    assert rows[1][0] == "（按姓氏笔画为序）"
    # The official columns, then the mandate columns the roster page shows (届次, 代表资格).
    assert rows[2] == [label for _field, label in OFFICIAL_COLUMNS] + ["届次", "代表资格"]
    assert len(_workbook(client, job).worksheets) == 1
    names = [r[1] for r in rows[3:]]
    assert names == ["丁宁", "于波", "马龙", "王芳", "李明"]  # 丁2 于3(横) 马3(折) 王4 李7
    assert [r[0] for r in rows[3:]] == [1, 2, 3, 4, 5]
    wang = rows[3 + names.index("王芳")]
    assert wang[13] == WANG_ID and wang[14] == "13812345678"  # county staff may reveal
    assert wang[10] == "第41选区" and wang[11] == "黄泥塘镇代表团" and wang[12] == "黄泥塘镇"
    assert wang[15] == "大方县第十八届" and wang[16] == "在任"
    assert sheet.cell(row=4, column=14).number_format == "@"  # ID numbers as text, never rounded
    assert AuditEntry.objects.filter(action="personal_data.export", actor_username="county_staff").exists()
    assert job.result["filename"].startswith("大方县第十八届人民代表大会代表名册-")


def test_export_is_masked_for_roles_without_reveal(roster, users, client, django_capture_on_commit_callbacks):
    _job, rows, _sheet = _export(client, users, "leader", {}, django_capture_on_commit_callbacks)
    text = str(rows)
    assert WANG_ID not in text and LI_ID not in text and "13812345678" not in text
    wang = next(r for r in rows[3:] if r[1] == "王芳")
    assert wang[13] == "520521********1224" and wang[14] == "138****5678"
    assert rows[0][0] == "大方县第十八届人民代表大会代表名册"
    assert AuditEntry.objects.filter(action="deputy.export", actor_username="leader").exists()


def test_export_follows_filters_and_jurisdiction(roster, users, client, django_capture_on_commit_callbacks):
    _job, rows, _sheet = _export(client, users, "jiuyi_staff", {}, django_capture_on_commit_callbacks)
    assert [r[1] for r in rows[3:]] == ["李明"]
    _job, rows, _sheet = _export(
        client, users, "county_staff", {"q": "马"}, django_capture_on_commit_callbacks
    )
    assert [r[1] for r in rows[3:]] == ["马龙"]
    _job, rows, _sheet = _export(
        client, users, "county_staff", {"order": "pinyin"}, django_capture_on_commit_callbacks
    )
    assert [r[1] for r in rows[3:]] == ["丁宁", "李明", "马龙", "王芳", "于波"]


def test_an_exported_roster_imports_back_unchanged(
    roster, congresses, users, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.deputies.tasks import roster_import_start

    job, _rows, _sheet = _export(
        client,
        users,
        "county_staff",
        {"congress": congresses["county"].pk},
        django_capture_on_commit_callbacks,
    )
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    # Give everyone an ID so the file can be re-imported (the natural key).
    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(
            actor=users["county_staff"],
            congress=congresses["county"],
            upload=SimpleUploadedFile("x.xlsx", data),
        )
    batch.refresh_from_db()
    by_name = {r["name"]: r["outcome"] for r in batch.rows}
    assert by_name["王芳"] == "unchanged" and by_name["李明"] == "unchanged"
    # The three without an ID number cannot be matched: the import says so rather than guess.
    assert {by_name[n] for n in ("丁宁", "于波", "马龙")} == {"error"}
    assert Deputy.objects.count() == 5


def _clear_id_anywhere(*values: str) -> list[str]:
    """Audit entries and export jobs holding one of the clear ID numbers (any spelling)."""
    import json

    found = []
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.detail, entry.changes, entry.object_repr], ensure_ascii=False).upper()
        found += [f"audit {entry.action}" for v in values if v.upper() in text]
    for job in Job.objects.all():
        text = json.dumps([job.params, job.title, job.message, job.result], ensure_ascii=False).upper()
        found += [f"job {job.kind}" for v in values if v.upper() in text]
    return found


def test_an_export_by_id_number_keeps_the_number_out_of_audit_and_job(
    roster, users, client, django_capture_on_commit_callbacks
):
    from renda.core.crypto import blind_index

    # Typed with a lowercase x and full-width digits: still found, still never stored in clear.
    typed = "５２０５２１１９７５０３０８１０７x"
    job, rows, _sheet = _export(
        client, users, "county_staff", {"q": typed}, django_capture_on_commit_callbacks
    )
    assert [r[1] for r in rows[3:]] == ["李明"]
    assert job.params["q"] == "520521********107X"
    assert job.params["id_number_index"] == blind_index(LI_ID)
    request = AuditEntry.objects.get(action="deputy.export_request")
    assert "520521********107X" in request.detail and blind_index(LI_ID) in request.detail
    assert _clear_id_anywhere(LI_ID, typed) == []
    # A name search is kept as typed.
    job, rows, _sheet = _export(
        client, users, "county_staff", {"q": "马"}, django_capture_on_commit_callbacks
    )
    assert job.params == {"q": "马", "requires_permission": "personal_data.reveal"} and [
        r[1] for r in rows[3:]
    ] == ["马龙"]


def test_an_id_number_searched_on_the_roster_page_stays_out_of_the_audit_log(roster, users, client):
    client.force_login(users["county_staff"])
    page = client.get("/deputies/", {"q": WANG_ID}).content.decode()
    assert "王芳" in page and "丁宁" not in page
    client.force_login(users["jiuyi_staff"])  # outside the jurisdiction: nothing found, nothing logged
    assert "王芳" not in client.get("/deputies/", {"q": WANG_ID}).content.decode()
    client.get("/api/v1/deputies", {"q": WANG_ID})
    assert _clear_id_anywhere(WANG_ID) == []


def test_a_formula_in_a_workplace_stays_text_and_a_clear_export_needs_reveal_to_download(
    users, deputies, client, django_capture_on_commit_callbacks
):
    import io

    from openpyxl import load_workbook

    from renda.deputies.services import deputy_update
    from renda.jobs.models import Job

    deputy_update(deputy=deputies["wang"], data={"workplace": '=HYPERLINK("http://evil.example")'})
    client.force_login(users["county_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/deputies/export/", {})
    job = Job.objects.filter(kind="roster_export").latest("created_at")
    assert job.params.get("requires_permission") == "personal_data.reveal"
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content))
    ).active
    cells = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" and c.quotePrefix and c.value.startswith("=") for c in cells)


def test_several_congresses_give_one_sheet_each_titled_with_its_congress(
    roster, congresses, users, client, django_capture_on_commit_callbacks
):
    job, _rows, _sheet = _export(client, users, "county_staff", {}, django_capture_on_commit_callbacks)
    book = _workbook(client, job)
    assert [ws.title for ws in book.worksheets] == ["大方县第十八届", "黄泥塘镇第十七届"]
    county, township = ([[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets)
    assert county[0][0] == "大方县第十八届人民代表大会代表名册"
    assert township[0][0] == "黄泥塘镇第十七届人民代表大会代表名册"
    assert [r[1] for r in county[3:]] == ["丁宁", "于波", "马龙", "王芳", "李明"]
    # 王芳 sits in both congresses: each sheet shows that congress's mandate (选区, 届次, 代表资格).
    assert [r[1] for r in township[3:]] == ["王芳"]
    assert (
        township[3][10] == "第1选区" and township[3][15] == "黄泥塘镇第十七届" and township[3][16] == "在任"
    )
    assert "2个人民代表大会" in job.result["filename"]
