"""The dossier: built from the spine only, every section sorted by date, scoped like the deputy,
a constant number of queries, the calendar of active months, the PDF and the API."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from renda.dossier import selectors
from renda.duty_records.services import duty_record_add


def _build(deputy):
    return selectors.dossier_build(
        deputy=deputy, mandate=selectors.dossier_mandate(deputy=deputy, mandate_id=None)
    )


def test_every_section_holds_its_records_sorted_by_date(full_record):
    d = _build(full_record)
    titles = {key: [e.record.title for e in entries] for key, _t, entries in d.sections}
    assert titles["meetings"] == ["请假：县人大常委会第二十次会议列席", "出席县十八届人大四次会议"]
    assert titles["activities"] == ["调研黄泥塘镇学前教育", "视察全县农村公路建设"]
    assert titles["study"] == ["集中学习代表法", "复旦大学履职能力提升专题培训"]
    assert d.study_hours == 33
    assert (
        titles["contacts"][0] == "黄泥塘镇代表之家进站接待选民"
        and "走访选民了解饮水问题" in titles["contacts"][1]
    )
    contact = {k: e for k, _t, e in d.sections}["contacts"][1]
    assert contact.detail == "代表联系选民"
    suggestions = {k: e for k, _t, e in d.sections}["suggestions"]
    assert {e.record.kind for e in suggestions} == {"suggestion", "evaluation"}
    assert all("办结" in e.detail and "满意" in e.detail for e in suggestions)
    report = {k: e for k, _t, e in d.sections}["duty_reports"]
    assert len(report) == 1 and "称职" in report[0].detail and "到会56人" in report[0].detail
    assert titles["commendations"] == ["2024年度优秀人大代表"]
    assert "待审核的申报事项" not in str(titles) and "已撤销的视察" not in str(titles)
    for _key, _title, entries in d.sections:
        dates = [e.date for e in entries]
        assert dates == sorted(dates)
    assert [s.station.name for s in d.stations] == ["黄泥塘镇代表之家"]
    assert [r.title for r in d.profile["roles"]] == ["政策法规宣传员"]
    assert d.mandate.congress.term == 18 and d.since == datetime.date(2021, 12, 28)


def test_the_calendar_counts_records_per_month(full_record):
    months = {year: dict(m) for year, m in _build(full_record).calendar}
    assert sorted(months) == list(range(2021, datetime.date.today().year + 1))
    assert months[2024][5] == 1 and months[2024][12] == 1 and months[2024][9] == 0
    assert months[2025][1] == 2  # the session and the commendation


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("county_staff", 200),
        ("township_staff", 200),
        ("leader", 200),
        ("deputy", 200),  # her own
        ("jiuyi_staff", 404),
        ("station_keeper", 404),
        ("unit", 404),
        ("admin", 404),
        ("auditor", 404),
    ],
)
def test_who_may_read_the_dossier(serving, users, client, username, status):
    client.force_login(users[username])
    wang = serving["wang"]
    assert client.get(reverse("dossier:detail", args=[wang.pk])).status_code == status
    assert client.get(f"/api/v1/dossiers/{wang.pk}").status_code == status


def test_a_deputy_cannot_read_another_deputys_dossier(serving, users, client):
    client.force_login(users["deputy"])
    assert client.get(reverse("dossier:detail", args=[serving["li"].pk])).status_code == 404
    assert client.get(reverse("dossier:pdf", args=[serving["li"].pk])).status_code == 404
    assert client.get(reverse("dossier:handbook", args=[serving["li"].pk])).status_code == 404
    assert client.get(reverse("dossier:index")).url == reverse("dossier:detail", args=[serving["wang"].pk])


def test_the_page_shows_every_section_in_a_constant_number_of_queries(
    full_record, users, client, django_assert_max_num_queries
):
    client.force_login(users["county_staff"])
    url = reverse("dossier:detail", args=[full_record.pk])
    with django_assert_max_num_queries(30) as few:
        page = client.get(url).content.decode()
    for text in (
        "出席会议",
        "视察全县农村公路建设",
        "复旦大学履职能力提升专题培训",
        "关于修复黄泥塘镇通村公路的建议",
        "走访选民了解饮水问题",
        "向选民述职",
        "2024年度优秀人大代表",
        "黄泥塘镇代表之家",
        "政策法规宣传员",
        "履职月历",
    ):
        assert text in page, text
    for n in range(40):
        duty_record_add(
            deputy=full_record,
            kind="inspection",
            title=f"视察{n}",
            occurred_on=datetime.date(2023, 1 + n % 12, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_pdf_has_a_cover_contents_and_the_records(full_record, users, client):
    client.force_login(users["deputy"])
    response = client.get(reverse("dossier:pdf", args=[full_record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    cover, contents = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert "人大代表履职档案" in cover and "王" in cover
    assert "目" in contents and "出席会议" in contents
    text = "".join(page.extract_text() for page in reader.pages)
    for title in (
        "视察全县农村公路建设",
        "复旦大学履职能力提升专题培训",
        "2024年度优秀人大代表",
        "出席县十八届人大四次会议",
    ):
        assert title in text.replace("\n", ""), title
    assert "— 1 —" in reader.pages[2].extract_text()  # the body starts at page 1


def test_the_pdf_numbers_pages_consistently_and_the_contents_point_at_the_real_pages(
    full_record, users, client, tmp_path
):
    # Read back with poppler's pdftotext, page by page (form feeds): the cover bears no number, the
    # contents are front matter (— I —), the body runs — 1 —, — 2 —, … and every entry of the
    # contents names the page its heading is printed on.
    import re
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is not installed (make system-deps)"
    client.force_login(users["deputy"])
    path = tmp_path / "dossier.pdf"
    path.write_bytes(client.get(reverse("dossier:pdf", args=[full_record.pk])).content)
    text = subprocess.run(  # noqa: S603 (a file this test wrote)
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    pages = text.split("\f")[:-1]
    folio = re.compile(r"—\s*(\S+)\s*—\s*$")

    def number(page):
        found = folio.search(page.rstrip())
        return found.group(1) if found else None

    assert number(pages[0]) is None and "人大代表履职档案" in pages[0]
    assert number(pages[1]) == "I" and "目" in pages[1]
    body = pages[2:]
    assert [number(p) for p in body] == [str(n) for n in range(1, len(body) + 1)]
    entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", pages[1], flags=re.M)
    assert len(entries) >= 5, pages[1]
    for title, page_number in entries:
        heading = title.split("（")[0]  # the contents add the count of entries
        printed = body[int(page_number) - 1]
        assert re.search(rf"^\s*{re.escape(heading)}\s*$", printed, flags=re.M), (title, page_number)
    # One numbering of the parts: 一、基本情况, 二、… in the contents and in the headings alike.
    assert entries[0][0] == "一、基本情况" and entries[1][0].startswith("二、")


def test_the_handbook_is_a5_with_the_law_the_station_and_blank_sheets(full_record, users, client):
    client.force_login(users["county_staff"])
    response = client.get(reverse("dossier:handbook", args=[full_record.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5 in points
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "代表法》第四条" in text and "黄泥塘镇代表之家" in text
    for _key, title, _kinds in selectors.SECTIONS:
        assert f"履职记录表：{title}" in text


def test_the_api_gives_the_dossier_as_json(full_record, users, client):
    client.force_login(users["county_staff"])
    data = client.get(f"/api/v1/dossiers/{full_record.pk}").json()
    sections = {s["key"]: s for s in data["sections"]}
    assert data["name"] == full_record.name and data["study_hours"] in ("33", "33.0", 33)
    assert sections["duty_reports"]["entries"][0]["attributes"]["result"] == "称职"
    assert {"year": 2025, "month": 1, "count": 2} in data["calendar"]


def test_staff_record_a_commendation_from_the_page(serving, users, client):
    client.force_login(users["township_staff"])
    url = reverse("dossier:commendation_add", args=[serving["wang"].pk])
    client.post(url, {"title": "优秀代表", "awarded_by": "黄泥塘镇人大主席团", "awarded_on": "2024-12-30"})
    d = _build(serving["wang"])
    entry = {k: e for k, _t, e in d.sections}["commendations"][0]
    assert entry.record.title == "优秀代表" and entry.detail == "黄泥塘镇人大主席团"
    client.force_login(users["jiuyi_staff"])
    assert client.post(url, {"title": "x", "awarded_by": "y", "awarded_on": "2024-12-30"}).status_code == 404
