"""The official documents: 交办函 and 答复函 (.docx), the register (.xlsx, a background job), one
suggestion's full record (PDF, WeasyPrint with Noto CJK), the yearly report (.docx), statistics (.xlsx).
"""

import io

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from renda.core.documents import OfficialDocument
from renda.core.money import yuan_text
from renda.core.spreadsheets import safe_row
from renda.jobs.services import job_run, job_succeed

from . import stats as stats_module
from .models import INACTIVE_PARTS, Assignment, Suggestion
from .selectors import fund_list, fund_totals, suggestion_detail_parts

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cn_date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def committee_name() -> str:
    from renda.organizations.models import Organization

    found = Organization.objects.filter(kind=Organization.Kind.STANDING_COMMITTEE).order_by("id").first()
    return found.name if found else "县人大常委会"


def _document() -> OfficialDocument:
    """Every letter and report here follows GB/T 9704-2012 (renda/core/documents.py)."""
    return OfficialDocument()


def _title(document: OfficialDocument, text: str, number: str = "") -> None:
    document.title(text, number=number)


def _right(document: OfficialDocument, text: str) -> None:
    document.paragraph(text, indent=False, align="right")


def _table(document: OfficialDocument, header: list[str], rows: list[list]) -> None:
    document.table(header, rows)


def _save(document: OfficialDocument) -> bytes:
    return document.to_bytes()


def letter_number(suggestion: Suggestion, year: int) -> str:
    """The 文号 of a handover letter: the office's code, the year, the suggestion's serial number
    (大人常代〔2026〕12号); RENDA_LETTER_CODE names the code."""
    from django.conf import settings

    serial = suggestion.number or suggestion.pk
    return f"{settings.RENDA_LETTER_CODE}〔{year}〕{serial}号"


def _signer_names(suggestion: Suggestion) -> tuple[str, str]:
    signers = list(suggestion.signers.select_related("deputy"))
    lead = next((s.deputy.name for s in signers if s.is_lead), suggestion.lead_deputy.name)
    others = "、".join(s.deputy.name for s in signers if not s.is_lead)
    return lead, others


def handover_letter_docx(suggestion: Suggestion, assignment: Assignment) -> bytes:
    """交办函 to one unit: what, by whom, its part (主办/协办), its deadlines, the text attached."""
    document = _document()
    committee = committee_name()
    _title(
        document,
        f"{committee}代表建议交办函",
        number=letter_number(suggestion, assignment.assigned_on.year),
    )
    document.paragraph(f"{assignment.unit.name}：", indent=False)
    lead, others = _signer_names(suggestion)
    units = list(suggestion.assignments.select_related("unit").exclude(state__in=INACTIVE_PARTS))
    lead_unit = next((a.unit.name for a in units if a.role == Assignment.Role.LEAD), "")
    co_units = "、".join(a.unit.name for a in units if a.role == Assignment.Role.CO)
    part = assignment.get_role_display()
    document.add_paragraph(
        f"现将{lead}代表领衔提出的{suggestion.number_label_zh}《{suggestion.title}》交由你单位{part}。"
    )
    if assignment.role == Assignment.Role.LEAD:
        document.add_paragraph(
            f"请认真研究办理，答复前与代表当面或电话沟通，于{cn_date(assignment.due_on)}前书面答复代表，"
            f"并抄送{committee}代表工作委员会。"
        )
    else:
        document.add_paragraph(f"请于{cn_date(assignment.due_on)}前将协办意见书面送主办单位{lead_unit}。")
    document.add_paragraph(
        f"如认为本件不属于你单位职责范围，请于{cn_date(assignment.return_due_on)}前"
        f"（交办之日起7个工作日内）提出退回申请并说明理由。"
    )
    # One suggestion to one unit: its particulars as labelled lines (label | value). Nine columns
    # across A4 portrait leave two characters a line to each (a unit's name on five lines); as
    # lines, the 编号, the unit names and the dates each stay on one line and the title wraps once.
    fields = [
        ("编号", suggestion.number_label_zh),
        ("标题", suggestion.title),
        ("领衔代表", lead),
        ("联名代表", others or "—"),
        ("类别", suggestion.get_category_display()),
        ("主办单位", lead_unit),
        ("协办单位", co_units or "—"),
        ("交办日期", cn_date(assignment.assigned_on)),
        ("办理期限", cn_date(assignment.due_on)),
    ]
    document.table(
        ["项目", "内容"], [list(pair) for pair in fields], header_row=False, bold_first_column=True
    )
    document.add_paragraph("附：建议原文")
    document.add_paragraph(suggestion.body)
    _right(document, f"{committee}代表工作委员会")
    _right(document, cn_date(assignment.assigned_on))
    return _save(document)


def reply_letter_docx(suggestion: Suggestion) -> bytes:
    """答复函: the template a unit fills in, pre-filled with the reply once there is one."""
    document = _document()
    reply = suggestion.replies.select_related("assignment__unit").order_by("-round").first()
    lead_part = suggestion.assignments.filter(role=Assignment.Role.LEAD).exclude(state__in=INACTIVE_PARTS)
    lead_part = lead_part.select_related("unit").first()
    unit = reply.assignment.unit.name if reply else (lead_part.unit.name if lead_part else "（承办单位）")
    lead, _others = _signer_names(suggestion)
    _title(document, f"{unit}关于{suggestion.number_label_zh}的答复")
    if reply:
        document.add_paragraph(f"答复类别：{reply.category}类（{reply.get_category_display()}）")
    else:
        document.add_paragraph("答复类别：□A类 □B类 □C类 □D类")
    document.paragraph(f"{lead}代表：", indent=False)
    document.add_paragraph(f"您提出的《{suggestion.title}》收悉。经认真研究，现答复如下：")
    document.add_paragraph(reply.text if reply else "（答复正文：办理情况、解决措施、时限和责任人）")
    document.add_paragraph("感谢您对我们工作的关心和支持！")
    document.add_paragraph(f"签发人：{reply.signer if reply else '＿＿＿＿'}")
    document.add_paragraph("联系人：＿＿＿＿  联系电话：＿＿＿＿")
    _right(document, unit)
    _right(document, cn_date(reply.replied_on) if reply else "＿＿年＿＿月＿＿日")
    document.add_paragraph(f"抄送：{committee_name()}代表工作委员会")
    return _save(document)


REGISTER_HEADER = [
    "编号",
    "类型",
    "提出时间",
    "提交日期",
    "标题",
    "类别",
    "领衔代表",
    "联名代表",
    "涉及区域",
    "状态",
    "主办单位",
    "协办单位",
    "交办日期",
    "答复期限",
    "是否超期",
    "答复类别",
    "答复日期",
    "按期答复",
    "评价",
    "重新办理次数",
    "重点建议",
    "领衔督办领导",
]


def register_rows(queryset):
    """One row per suggestion, in a fixed number of queries."""
    items = queryset.prefetch_related("signers__deputy", "assignments__unit", "replies", "evaluations")
    for s in items.iterator(chunk_size=500):
        signers = list(s.signers.all())
        parts = [a for a in s.assignments.all() if a.state not in INACTIVE_PARTS]
        replies = sorted(s.replies.all(), key=lambda r: r.round)
        evaluations = sorted(s.evaluations.all(), key=lambda e: e.round)
        last = replies[-1] if replies else None
        yield [
            s.number_label_zh,
            s.get_kind_display(),
            s.get_period_display(),
            cn_date(s.submitted_at),
            s.title,
            s.get_category_display(),
            s.lead_deputy.name,
            "、".join(x.deputy.name for x in signers if not x.is_lead),
            s.region.name,
            s.get_state_display(),
            "、".join(a.unit.name for a in parts if a.role == Assignment.Role.LEAD),
            "、".join(a.unit.name for a in parts if a.role == Assignment.Role.CO),
            cn_date(s.assigned_on),
            cn_date(s.due_on),
            "是" if s.is_overdue else "",
            last.category if last else "",
            cn_date(last.replied_on) if last else "",
            ("是" if replies[0].on_time else "否") if replies else "",
            evaluations[-1].get_result_display() if evaluations else "",
            s.rehandle_count,
            "是" if s.is_key else "",
            s.key_leader,
        ]


def register_xlsx(queryset, report=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("建议台账")
    from openpyxl.cell import WriteOnlyCell

    bold = Font(bold=True)
    header = []
    for title in REGISTER_HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    total = queryset.count()
    for done, row in enumerate(register_rows(queryset), start=1):
        sheet.append(safe_row(row, sheet))
        if report and done % 200 == 0:
            report(min(95, int(done * 100 / max(total, 1))), f"已写入 {done}/{total} 件")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_export_run(job_id: str) -> None:
    """The register as a background job, with the filters the user had on the list page."""
    from renda.audit.services import audit_record

    from .forms import SuggestionFilterForm
    from .selectors import suggestion_list

    def work(job, report):
        form = SuggestionFilterForm(job.params, user=job.owner)
        filters = form.cleaned_data if form.is_valid() else {}
        queryset = suggestion_list(user=job.owner, **{k: v for k, v in filters.items() if v})
        total = queryset.count()
        report(1, f"共 {total} 件，正在导出")
        data = register_xlsx(queryset, report)
        name = f"建议台账-{timezone.localtime():%Y%m%d%H%M%S}.xlsx"
        job_succeed(
            job=job,
            message=f"已导出 {total} 件",
            result={"filename": name, "count": total},
            file=ContentFile(data, name="register.xlsx"),
        )
        audit_record(action="suggestion.register_export", actor=job.owner, obj=job, detail=f"count={total}")

    job_run(job_id, work)


def record_pdf(suggestion: Suggestion) -> bytes:
    """One suggestion's full record: text, signers, handling units, every step, replies, evaluations."""
    from weasyprint import HTML

    context = {
        "s": suggestion,
        "committee": committee_name(),
        "printed_at": timezone.localtime(),
        **suggestion_detail_parts(suggestion),
    }
    html = render_to_string("suggestions/record_pdf.html", context)
    return HTML(string=html).write_pdf()


def yearly_report_docx(*, user, year: int) -> bytes:
    """The yearly handling report: counts and rates, per unit and per category, key items, 微实事."""
    # A city or province report gives one row per county where a county's gives one per unit.
    units, categories = stats_module.suggestion_stats_sheets(
        user=user, year=year, groupings=("unit", "category")
    )
    figures, per_unit, per_category = units["total"], units["groups"], categories["groups"]
    committee = committee_name()
    document = _document()
    _title(document, f"{committee}{year}年度代表建议办理情况报告")

    def pct(value) -> str:
        return "—" if value is None else f"{value}%"

    document.add_paragraph(
        f"{year}年共收到代表建议、议案{figures['received']}件，审查立案{figures['accepted']}件，"
        f"交办{figures['handed_over']}件；已答复{figures['answered']}件，其中按期答复"
        f"{figures['answered_on_time']}件，目前超期未答复{figures['overdue']}件。"
    )
    document.add_paragraph(
        f"答复类别：A类{figures['a']}件（{pct(figures['a_share'])}），B类{figures['b']}件"
        f"（{pct(figures['b_share'])}），C类{figures['c']}件（{pct(figures['c_share'])}），"
        f"D类{figures['d']}件（{pct(figures['d_share'])}）。"
    )
    document.add_paragraph(
        f"办结{figures['closed']}件，办结率{pct(figures['closing_rate'])}。代表评价{figures['evaluated']}件，"
        f"满意{figures['satisfied']}件、基本满意{figures['basic']}件、不满意{figures['dissatisfied']}件，"
        f"满意率{pct(figures['satisfaction_common'])}（其中“满意”{pct(figures['satisfaction_strict'])}）；"
        f"重新办理{figures['rehandled']}件。"
    )
    by_county = units["by_county"]
    document.add_heading("一、各县（市、区）办理情况" if by_county else "一、各承办单位办理情况", level=2)
    _table(
        document,
        [
            "县（市、区）" if by_county else "承办单位",
            "交办",
            "已答复",
            "按期答复",
            "A类",
            "B类",
            "C类",
            "D类",
            "办结",
            "办结率",
            "满意率",
        ],
        [
            [
                g["key"],
                g["handed_over"],
                g["answered"],
                g["answered_on_time"],
                g["a"],
                g["b"],
                g["c"],
                g["d"],
                g["closed"],
                pct(g["closing_rate"]),
                pct(g["satisfaction_common"]),
            ]
            for g in per_unit
        ],
    )
    document.add_heading("二、按类别", level=2)
    _table(
        document,
        ["类别", "收到", "交办", "办结", "办结率"],
        [
            [g["key"], g["received"], g["handed_over"], g["closed"], pct(g["closing_rate"])]
            for g in per_category
        ],
    )
    from .selectors import key_suggestions, year_range

    start, end = year_range(year)
    keys = key_suggestions(user=user).filter(submitted_at__gte=start, submitted_at__lt=end)
    document.add_heading("三、重点建议领衔督办", level=2)
    _table(
        document,
        ["编号", "标题", "领衔督办领导", "主办单位", "状态"],
        [
            [k.number_label_zh, k.title, k.key_leader, k.lead_unit_name or "", k.get_state_display()]
            for k in keys
        ],
    )
    document.add_heading("四、微实事资金", level=2)
    totals = fund_totals(fund_list(user=user, year=year))
    if totals:
        _table(
            document,
            ["年度", "资金来源", "项目数", "金额（元）"],
            [[t["year"], t["source_label"], t["count"], yuan_text(t["amount"])] for t in totals],
        )
    else:
        document.add_paragraph("本年度无微实事资金安排。")
    _right(document, f"{committee}代表工作委员会")
    _right(document, cn_date(timezone.localdate()))
    return _save(document)


def stats_xlsx(results: list[dict]) -> bytes:
    """One sheet per grouping, the same figures as the page and the API (for a city or province, the
    unit and township sheets one row per county, as on the page)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    columns = ["key", *stats_module.COUNTS, *stats_module.RATES]
    for result in results:
        title = str(stats_module.GROUPS[result["group_by"]])
        if result.get("by_county"):
            title = str(_("%(g)s（按县汇总）") % {"g": title})
        sheet = workbook.create_sheet(title[:31])
        sheet.append([str(stats_module.LABELS[c]) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = result["groups"] or []
        for row in rows:
            sheet.append(safe_row([row.get(c) for c in columns], sheet))
        sheet.append([str(stats_module.GROUPS[""])] + [result["total"].get(c) for c in columns[1:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
