"""Documents read back: 交办函/答复函 (.docx), register and statistics (.xlsx), record (PDF), report."""

import io
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from renda.jobs.models import Job
from renda.suggestions import services


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture
def handled(make, users, units):
    suggestion = make("assigned", co_units=[units["education"]])
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    services.contact_add(
        actor=users["unit"],
        suggestion=suggestion,
        contacted_on=timezone.localdate(),
        way="phone",
        content="电话沟通路段情况",
    )
    services.reply_submit(
        actor=users["unit"],
        suggestion=suggestion,
        category="B",
        text="已列入明年农村公路养护计划。",
        signer="张明",
    )
    return suggestion


def test_handover_letter_for_each_unit(handled, users, client):
    client.force_login(users["county_staff"])
    lead = handled.assignments.get(role="lead")
    co = handled.assignments.get(role="co")
    response = client.get(f"/suggestions/{handled.pk}/handover/{lead.pk}.docx")
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]
    text = _docx_text(response.content)
    lines = [line for line in text.splitlines() if line]
    # GB/T 9704: the 文号 above the title.
    assert lines[0] == f"大人常代〔{lead.assigned_on.year}〕1号" and lines[1].endswith("代表建议交办函")
    assert (
        "县交通运输局：" in text
        and "第18届第3次会议第001号《关于修复黄泥塘镇通村公路的建议》交由你单位主办" in text
    )
    due = lead.due_on
    assert f"于{due.year}年{due.month}月{due.day}日前书面答复代表" in text
    assert "县教育局" in text and "王芳" in text and "黄泥塘镇至九驿街道" in text
    co_text = _docx_text(client.get(f"/suggestions/{handled.pk}/handover/{co.pk}.docx").content)
    assert "县教育局：" in co_text and "交由你单位协办" in co_text and "送主办单位县交通运输局" in co_text
    # A unit gets its own letter only.
    client.force_login(users["unit"])
    assert client.get(f"/suggestions/{handled.pk}/handover/{lead.pk}.docx").status_code == 200
    assert client.get(f"/suggestions/{handled.pk}/handover/{co.pk}.docx").status_code == 404


def test_reply_letter_filled_with_the_reply(handled, users, client):
    client.force_login(users["unit"])
    text = _docx_text(client.get(f"/suggestions/{handled.pk}/reply-letter.docx").content)
    assert "县交通运输局关于第18届第3次会议第001号的答复" in text
    assert "答复类别：B类" in text and "王芳代表：" in text
    assert "已列入明年农村公路养护计划。" in text and "签发人：张明" in text


def test_reply_template_before_a_reply(make, users, client):
    suggestion = make("assigned")
    client.force_login(users["unit"])
    text = _docx_text(client.get(f"/suggestions/{suggestion.pk}/reply-letter.docx").content)
    assert "□A类 □B类 □C类 □D类" in text and "（答复正文" in text


def test_register_export_runs_as_a_job(handled, make, users, client, django_capture_on_commit_callbacks):
    make("submitted", title="关于增设垃圾收集点的建议", body="垃圾乱倒。", category="environment")
    client.force_login(users["county_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/suggestions/register/", {"category": "transport"})
    job = Job.objects.get(kind="suggestions.register")
    job.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == "succeeded" and job.result["count"] == 1
    from renda.jobs.services import job_file_bytes

    sheet = load_workbook(io.BytesIO(job_file_bytes(job))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("编号", "类型", "提出时间", "提交日期", "标题", "类别")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["编号"] == "第18届第3次会议第001号" and row["主办单位"] == "县交通运输局"
    assert row["协办单位"] == "县教育局" and row["答复类别"] == "B" and row["按期答复"] == "是"
    assert row["状态"] == "已答复待评价" and row["领衔代表"] == "王芳"


def test_full_record_pdf(handled, users, client):
    client.force_login(users["county_staff"])
    response = client.get(f"/suggestions/{handled.pk}/record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = "".join(text.split())
    for expected in (
        "关于修复黄泥塘镇通村公路的建议",
        "第18届第3次会议第001号",
        "县交通运输局",
        "已列入明年农村公路养护计划",
        "电话沟通路段情况",
        "交办",
    ):
        assert expected in compact, expected


def test_yearly_report_and_stats_xlsx(handled, users, client, regions):
    services.fund_create(
        actor=users["county_staff"],
        source="county",
        year=timezone.localdate().year,
        amount="558600",
        project="微实事",
        region=regions["huangnitang"],
    )
    client.force_login(users["county_staff"])
    year = timezone.localdate().year
    text = _docx_text(client.get(f"/suggestions/report/{year}.docx").content)
    assert f"{year}年度代表建议办理情况报告" in text
    assert f"{year}年共收到代表建议、议案1件，审查立案1件，交办1件；已答复1件，其中按期答复1件" in text
    assert "县交通运输局 | 1 | 1 | 1 | 0 | 1 | 0 | 0 | 0 | 0.0%" in text
    assert "县级配套资金 | 1 | 558,600.00" in text
    workbook = load_workbook(io.BytesIO(client.get("/suggestions/stats.xlsx").content))
    assert workbook.sheetnames == ["主办单位", "类别", "乡镇（街道）", "年度"]
    rows = list(workbook["主办单位"].iter_rows(values_only=True))
    assert rows[0][:4] == ("分组", "收到", "立案", "交办")
    assert rows[1][:4] == ("县交通运输局", 1, 1, 1) and rows[-1][0] == "合计"


def test_register_keeps_a_formula_title_as_text(make):
    """A title typed as =HYPERLINK(...) must not become a live formula in the office's Excel."""
    import io

    from openpyxl import load_workbook

    from renda.suggestions.documents import register_xlsx
    from renda.suggestions.models import Suggestion

    item = make("submitted", title='=HYPERLINK("http://evil.example","点此")')
    data = register_xlsx(Suggestion.objects.filter(pk=item.pk))
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" and c.quotePrefix and c.value.startswith("=") for c in cells)


def test_letters_follow_the_official_format(handled, users, client):
    from docx.oxml.ns import qn

    client.force_login(users["county_staff"])
    lead = handled.assignments.get(role="lead")
    for url in (
        f"/suggestions/{handled.pk}/handover/{lead.pk}.docx",
        f"/suggestions/{handled.pk}/reply-letter.docx",
    ):
        document = Document(io.BytesIO(client.get(url).content))
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert round(section.left_margin.mm) == 28 and round(section.top_margin.mm) == 37
        body = next(p for p in document.paragraphs if p.text.endswith("：")).runs[0]
        assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    table = Document(
        io.BytesIO(client.get(f"/suggestions/{handled.pk}/handover/{lead.pk}.docx").content)
    ).tables[0]
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    # Labelled lines (编号 | 第…号, 标题 | …): the values get the room, not the labels.
    assert [row.cells[0].text for row in table.rows][:2] == ["编号", "标题"]
    assert widths[1] > 5 * widths[0]


@pytest.fixture
def co_unit_user(units):
    from renda.accounts.services import user_create

    return user_create(
        username="edu", password="Renda#2024x", role="handling_unit", full_name="县教育局",
        organization=units["education"],
    )  # fmt: skip


def test_only_those_who_may_have_the_reply_letter_see_it(handled, make, users, co_unit_user, client):
    """The lead unit writes the 答复函: a co-handling unit is neither offered it nor served it (404,
    as for a missing page); staff and leaders read it; the item's deputy once there is a reply."""
    waiting = make("assigned", title="尚未答复的那件", co_units=[handled.assignments.get(role="co").unit])
    link = 'href="/suggestions/{}/reply-letter.docx"'
    cases = [
        ("county_staff", handled, 200),
        ("leader", handled, 200),
        ("unit", handled, 200),
        ("unit", waiting, 200),
        (None, handled, 404),  # the co-handling unit
        (None, waiting, 404),
        ("deputy", handled, 200),
        ("deputy", waiting, 404),
    ]
    for role, suggestion, status in cases:
        client.force_login(users[role] if role else co_unit_user)
        page = client.get(f"/suggestions/{suggestion.pk}/")
        assert page.status_code == 200, (role, suggestion.title)
        offered = link.format(suggestion.pk) in page.content.decode()
        assert offered == (status == 200), (role, suggestion.title)
        response = client.get(f"/suggestions/{suggestion.pk}/reply-letter.docx")
        assert response.status_code == status, (role, suggestion.title)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (make system-deps)")
def test_handover_letter_table_keeps_numbers_units_and_dates_on_one_line(
    make, users, regions, client, tmp_path
):
    """The 交办函's particulars are labelled lines (label | value) sized from what they hold: the labels
    as wide as the longest, the values the rest of the 156 mm; rendered by LibreOffice, the 编号, both
    units and both dates are each on one line and nothing passes the right margin."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    from renda.core.documents import TEXT_WIDTH_MM
    from renda.organizations.models import Organization

    housing = Organization.objects.create(
        name="县住房和城乡建设局", kind=Organization.Kind.HANDLING_UNIT, region=regions["county"]
    )
    suggestion = make("assigned", co_units=[housing])
    lead = suggestion.assignments.get(role="lead")
    client.force_login(users["county_staff"])
    data = client.get(f"/suggestions/{suggestion.pk}/handover/{lead.pk}.docx").content
    table = Document(io.BytesIO(data)).tables[0]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(widths) == 2 and abs(sum(widths) - Mm(TEXT_WIDTH_MM).twips) < 20
    assert widths[0] < Mm(25).twips  # 领衔代表 and its margins
    labels = [row.cells[0].text for row in table.rows]
    assert labels[:2] == ["编号", "标题"] and "协办单位" in labels and "办理期限" in labels
    source = tmp_path / "handover.docx"
    source.write_bytes(data)
    soffice = shutil.which("soffice")
    subprocess.run(  # noqa: S603
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = str(tmp_path / "handover.pdf")
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = ["".join(line.split()) for line in text.splitlines()]
    values = {row.cells[0].text: row.cells[1].text for row in table.rows}
    for label in ("编号", "主办单位", "协办单位", "交办日期", "办理期限"):
        assert any(label + values[label] in line for line in lines), (label, values[label])
    boxes = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes)]
    assert right_edges and max(right_edges) <= 595 - Mm(26).pt + 2
