"""Work plan: import from a .docx with a preview (nothing saved until confirmed), progress by the
right bodies, late items, the monthly summary .docx, pages, API and query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from renda.core.errors import DomainError
from renda.workplan import imports, services
from renda.workplan.models import Chapter, PlanItem, ProgressReport, WorkPlan

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sample_docx(*, with_numbers_before_chapter: bool = False) -> SimpleUploadedFile:
    """What the office writes: title, date line, preamble, chapters 一、二、, numbered items with
    who and when in brackets (full names, abbreviations, a quarter, a month, none)."""
    document = Document()
    document.add_paragraph("大方县人大常委会2024年工作要点")
    document.add_paragraph("（2024年1月18日县十八届人大常委会第十七次会议通过）")
    if with_numbers_before_chapter:
        document.add_paragraph("1．没有章节的事项")
    document.add_paragraph(
        "2024年，县人大常委会工作的总体要求是：坚持以习近平新时代中国特色社会主义思想为指导……"
    )
    document.add_paragraph("一、坚持党的全面领导，确保人大工作正确政治方向")
    document.add_paragraph("1．严格执行重大事项请示报告制度。（牵头单位：办公室；完成时限：全年）")
    document.add_paragraph(
        "2．制定常委会年度监督工作计划，并报县委批准后实施。（牵头单位：办公室；配合单位：法工委、预工委；完成时限：3月）"
    )
    document.add_paragraph("二、围绕中心大局，依法开展监督")
    document.add_paragraph(
        "3．听取审议县人民政府关于2023年县级财政决算的报告。（牵头单位：预算工作委员会；完成时限：第三季度）"
    )
    document.add_paragraph("（1）开展预算联网监督，实现数据实时查询。（牵头：预工委，二季度）")
    document.add_paragraph("重点关注民生支出执行情况。")  # continues the item above
    document.add_paragraph("5．开展《中华人民共和国食品安全法》执法检查。（牵头单位：教科文卫委）")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("2024年工作要点.docx", buffer.getvalue(), content_type=DOCX)


def test_parse_turns_the_sample_into_chapters_and_items(regions, bodies):
    parsed = imports.plan_docx_parse(sample_docx(), region=regions["county"])
    assert parsed["errors"] == []
    assert parsed["title"] == "大方县人大常委会2024年工作要点" and parsed["year"] == 2024
    assert [c["title"] for c in parsed["chapters"]] == [
        "坚持党的全面领导，确保人大工作正确政治方向",
        "围绕中心大局，依法开展监督",
    ]
    items = [i for c in parsed["chapters"] for i in c["items"]]
    assert [i["number"] for i in items] == [1, 2, 3, 4, 5]
    assert items[0]["text"] == "严格执行重大事项请示报告制度。" and items[0]["due_kind"] == "year"
    assert items[1]["lead_id"] == bodies["office"].pk
    assert set(items[1]["co_ids"]) == {bodies["legal"].pk, bodies["budget"].pk}
    assert (items[1]["due_kind"], items[1]["due_month"]) == ("month", 3)
    assert (items[2]["due_kind"], items[2]["due_quarter"]) == ("quarter", 3)
    assert items[3]["lead_id"] == bodies["budget"].pk and items[3]["due_quarter"] == 2
    assert items[3]["text"].endswith("重点关注民生支出执行情况。")
    assert items[4]["lead_id"] is None and "教科文卫委" in items[4]["warnings"][0]


def test_import_previews_then_saves_only_when_confirmed(regions, bodies, users, login):
    from renda.accounts.models import User

    staff = users["county_staff"]
    User.objects.filter(pk=staff.pk).update(organization=bodies["office"])
    client = login(User.objects.get(pk=staff.pk))
    response = client.post(reverse("workplan:import"), {"file": sample_docx()})
    html = response.content.decode()
    assert response.status_code == 200 and "预览" in html and "开展预算联网监督" in html
    assert WorkPlan.objects.count() == 0 and PlanItem.objects.count() == 0  # nothing saved yet
    payload = response.context["payload"]
    # A tampered payload is refused.
    tampered = client.post(reverse("workplan:import"), {"payload": payload[:-3] + "abc"})
    assert tampered.status_code == 302 and WorkPlan.objects.count() == 0
    confirmed = client.post(reverse("workplan:import"), {"payload": payload})
    assert confirmed.status_code == 302
    plan = WorkPlan.objects.get()
    assert plan.year == 2024 and plan.organization == bodies["committee"]
    assert list(plan.chapters.values_list("number", flat=True)) == [1, 2]
    item = plan.items.get(number=2)
    assert item.lead_body == bodies["office"] and item.due_on == datetime.date(2024, 3, 31)
    assert set(item.co_bodies.values_list("name", flat=True)) == {"法制工作委员会", "预算工作委员会"}
    assert plan.items.get(number=3).due_on == datetime.date(2024, 9, 30)
    # The same year again: refused, nothing half written.
    again = client.post(reverse("workplan:import"), {"payload": payload})
    assert again.status_code == 302 and WorkPlan.objects.count() == 1 and PlanItem.objects.count() == 5


def test_import_refuses_bad_documents(regions, bodies):
    with pytest.raises(DomainError) as refused:
        imports.plan_docx_parse(SimpleUploadedFile("要点.docx", b"%PDF-1.4 fake"), region=regions["county"])
    assert refused.value.field == "file"
    parsed = imports.plan_docx_parse(sample_docx(with_numbers_before_chapter=True), region=regions["county"])
    assert parsed["errors"] and "没有章节标题" in parsed["errors"][0]
    with pytest.raises(DomainError):
        services.work_plan_import(parsed=parsed, organization=bodies["committee"], region=regions["county"])
    assert WorkPlan.objects.count() == 0


def test_progress_only_by_lead_and_co_bodies_and_late_items(plan, body_staff, users):
    legal, budget = plan["legal"], plan["budget"]
    with pytest.raises(DomainError):
        services.progress_report_add(actor=body_staff["budget"], item=legal, percent=50, note="越权")
    with pytest.raises(DomainError) as refused:
        services.progress_report_add(actor=body_staff["legal"], item=legal, percent=120, note="x")
    assert refused.value.field == "percent"
    services.progress_report_add(
        actor=body_staff["legal"],
        item=legal,
        percent=60,
        note="已完成调研",
        reported_on=datetime.date(2024, 5, 20),
    )
    # A co-body's report adds its note but does not move the figure.
    services.progress_report_add(
        actor=body_staff["office"],
        item=legal,
        percent=90,
        note="已安排会期",
        reported_on=datetime.date(2024, 6, 10),
    )
    legal.refresh_from_db()
    assert legal.percent == 60 and ProgressReport.objects.filter(item=legal).count() == 2
    from renda.workplan import selectors

    late = list(selectors.late_items(user=users["leader"]))
    assert legal in late and budget in late  # both due in 2024, neither at 100 %
    services.progress_report_add(actor=body_staff["budget"], item=budget, percent=100, note="已批准决算")
    assert budget not in list(selectors.late_items(user=users["leader"]))


def test_monthly_summary_docx(plan, body_staff, users, login):
    services.progress_report_add(
        actor=body_staff["legal"],
        item=plan["legal"],
        percent=60,
        note="已完成调研",
        reported_on=datetime.date(2024, 5, 20),
    )
    services.progress_report_add(
        actor=body_staff["legal"],
        item=plan["legal"],
        percent=80,
        note="形成审议意见初稿",
        reported_on=datetime.date(2024, 6, 3),
    )
    client = login(users["leader"])
    response = client.get(reverse("workplan:summary", args=[plan["plan"].pk]) + "?month=2024-05")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2024年5月" in text and "已完成调研" in text and "形成审议意见初稿" not in text
    assert "完成进度：60%" in text
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.styles["Normal"].font.name == "仿宋_GB2312"
    june = Document(
        io.BytesIO(client.get(reverse("workplan:summary", args=[plan["plan"].pk]) + "?month=2024-06").content)
    )
    june_text = "\n".join(p.text for p in june.paragraphs)
    assert "完成进度：80%" in june_text and "逾期" in june_text  # the legal item was due in June
    bad = client.get(reverse("workplan:summary", args=[plan["plan"].pk]) + "?month=2024-13")
    assert bad.status_code == 302


def test_pages_permissions_and_query_counts(plan, body_staff, users, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("township_staff", "deputy", "unit", "station_keeper", "auditor"):
        assert login(users[name]).get(reverse("workplan:detail", args=[plan["plan"].pk])).status_code == 404
    client = login(users["leader"])
    url = reverse("workplan:detail", args=[plan["plan"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    chapter = Chapter.objects.get(pk=plan["chapter"].pk)
    for n in range(8):
        services.plan_item_add(
            plan=plan["plan"],
            chapter=chapter,
            text=f"事项{n}",
            lead_body=plan["legal"].lead_body,
            due_kind="year",
        )
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200
    assert client.get(reverse("workplan:late")).status_code == 200
    # The leader reads but does not report.
    assert (
        client.post(
            reverse("workplan:progress", args=[plan["legal"].pk]), {"percent": 10, "note": "x"}
        ).status_code
        == 404
    )
    staff = login(body_staff["legal"])
    pdf = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = staff.post(
        reverse("workplan:progress", args=[plan["legal"].pk]),
        {"percent": 40, "note": "完成调研", "files": [pdf]},
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().files.get().name == "调研报告.pdf"
    assert (
        staff.post(
            reverse("workplan:progress", args=[plan["budget"].pk]), {"percent": 10, "note": "x"}
        ).status_code
        == 404
    )


def test_api_plan_and_progress(plan, body_staff, users, client):
    from renda.accounts.services import api_token_issue

    leader = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=users['leader'])}"}
    plans = client.get("/api/v1/workplans", **leader).json()
    assert plans["count"] == 1
    detail = client.get(f"/api/v1/workplans/{plan['plan'].pk}", **leader).json()
    assert [i["number"] for i in detail["items"]] == [1, 2] and detail["figures"]["total"] == 2
    staff = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=body_staff['legal'])}"}
    response = client.post(
        f"/api/v1/workplans/items/{plan['legal'].pk}/progress",
        {"percent": 30, "note": "起草调研方案"},
        content_type="application/json",
        **staff,
    )
    assert response.status_code == 201 and response.json()["percent"] == 30
    refused = client.post(
        f"/api/v1/workplans/items/{plan['budget'].pk}/progress",
        {"percent": 30, "note": "x"},
        content_type="application/json",
        **staff,
    )
    assert refused.status_code == 404
    history = client.get(f"/api/v1/workplans/items/{plan['legal'].pk}/progress", **leader).json()
    assert history[0]["note"] == "起草调研方案"


def test_monthly_summary_docx_is_produced_whatever_a_progress_note_holds(plan, body_staff, users, login):
    """A note saved before the text policy (BEL, vertical tab) used to make the summary an HTTP 500."""
    report = services.progress_report_add(
        actor=body_staff["legal"],
        item=plan["legal"],
        percent=60,
        note="调研",
        reported_on=datetime.date(2024, 12, 2),
    )
    ProgressReport.objects.filter(pk=report.pk).update(note="已完成\x07调研\x0b初稿")
    client = login(users["leader"])
    response = client.get(reverse("workplan:summary", args=[plan["plan"].pk]) + "?month=2024-12")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "已完成␇调研␋初稿" in text
