"""公示: freeze the standings of a period, write the official .xlsx, and take deputies' objections
(错、重、漏) during the 公示期, resolved by staff with the outcome recorded."""

import io

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.core.text import export_text

from .models import PERIOD_COUNT, Objection, Publication, Scheme, Standing
from .selectors import _rank, period_label


def publication_create(
    *, actor, scheme: Scheme, period: str, index: int, order: str, starts_on, ends_on, public: bool = False
) -> Publication:
    """Publish the standings of one period: the rows are frozen as they stand now (rank, totals by
    category, grade), in rank or stroke order. Refuses a period twice, a draft scheme, a 公示期 that
    ends before it starts, or an index outside the period kind (1–12 months, 1–4 quarters …)."""
    if scheme.state != Scheme.State.PUBLISHED:
        raise InvalidTransition(_("只有已发布的积分办法才能公示积分"))
    if not 1 <= index <= PERIOD_COUNT.get(period, 0):
        raise DomainError(_("期次超出范围"), field="index")
    if ends_on < starts_on:
        raise DomainError(_("公示截止日期不能早于开始日期"), field="ends_on")
    standings = (
        Standing.objects.filter(scheme=scheme, period=period, index=index)
        .select_related("deputy", "region")
        .annotate(rank=_rank(None))
    )
    ordering = (
        ("deputy__stroke_key", "deputy_id")
        if order == "stroke"
        else ("-total", "deputy__stroke_key", "deputy_id")
    )
    rows = [
        {
            "deputy_id": s.deputy_id,
            "name": s.deputy.name,
            "township": s.region.name if s.region else "",
            "delegation": s.delegation,
            "total": str(s.total),
            "by_category": s.by_category,
            "grade": s.grade,
            "rank": s.rank,
        }
        for s in standings.order_by(*ordering)
    ]
    if not rows:
        raise DomainError(_("该期还没有积分，请先计算"), field="period")
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                scheme=scheme, period=period, index=index, order=order, starts_on=starts_on,
                ends_on=ends_on, public=public, rows=rows, published_by=actor,
            )  # fmt: skip
            audit_record(
                action="points.publication.create", actor=actor, obj=publication,
                changes={"period": f"{period}{index}", "rows": len(rows)},
            )  # fmt: skip
    except IntegrityError:
        raise DomainError(_("该期积分已经公示"), field="index") from None
    return publication


def publication_title(publication: Publication) -> str:
    scheme = publication.scheme
    return _("%(c)s代表%(y)d年%(p)s履职积分公示") % {
        "c": scheme.congress.name,
        "y": scheme.year,
        "p": period_label(publication.period, publication.index),
    }


def publication_workbook(publication: Publication) -> bytes:
    """The official .xlsx: title, period, scheme and version, 公示期, one row per deputy (rank or
    stroke order), categories, total, grade; A4 portrait, fitted to the page width, header rows
    repeated on every printed page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    scheme = publication.scheme
    categories = list(scheme.categories.all())
    headers = [
        _("名次") if publication.order == "rank" else _("序号"), _("姓名"), _("乡镇（街道）"), _("代表团"),
        *[c.name for c in categories], _("总分"), _("等次"),
    ]  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = _("积分公示")
    width = len(headers)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"] = publication_title(publication)
    sheet["A1"].font = Font(name="方正小标宋简体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"] = _("积分办法：%(n)s（第%(v)d版）　公示期：%(a)s至%(b)s") % {
        "n": scheme.name,
        "v": scheme.version,
        "a": f"{publication.starts_on.year}年{publication.starts_on.month}月{publication.starts_on.day}日",
        "b": f"{publication.ends_on.year}年{publication.ends_on.month}月{publication.ends_on.day}日",
    }
    sheet["A2"].font = Font(name="仿宋_GB2312", size=11)
    sheet["A2"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=3, column=column, value=header)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for number, row in enumerate(publication.rows, start=1):
        values = [
            row["rank"] if publication.order == "rank" else number,
            export_text(row["name"]), export_text(row["township"]), export_text(row["delegation"]),
            *[float(row["by_category"].get(c.code, 0)) for c in categories],
            float(row["total"]), export_text(row["grade"]),
        ]  # fmt: skip
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=3 + number, column=column, value=value)
            cell.border = border
            cell.font = Font(name="仿宋_GB2312", size=11)
            if isinstance(value, float):
                cell.number_format = "0.00"
    for column, size in enumerate([6, 10, 14, 14, *[10] * len(categories), 8, 8], start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=column).column_letter].width = size
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:3"
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def objection_raise(*, actor, publication: Publication, kind: str, text: str) -> Objection:
    """A deputy objects to their line of a publication during its 公示期 (错、重、漏)."""
    from renda.deputies.models import Deputy

    deputy = Deputy.objects.filter(user=actor).first()
    if deputy is None or not any(r["deputy_id"] == deputy.pk for r in publication.rows):
        raise DomainError(_("您不在本期积分公示名单中"), field="publication")
    today = timezone.localdate()
    if not publication.starts_on <= today <= publication.ends_on:
        raise DomainError(_("不在公示期内，不能提出异议"), field="publication")
    if kind not in Objection.Kind.values:
        raise DomainError(_("请选择异议类型"), field="kind")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写异议内容"), field="text")
    with transaction.atomic():
        objection = Objection.objects.create(
            publication=publication, deputy=deputy, kind=kind, text=text[:1000]
        )
        audit_record(action="points.objection.raise", actor=actor, obj=objection, changes={"kind": kind})
    return objection


def objection_resolve(*, actor, objection: Objection, upheld: bool, outcome: str) -> Objection:
    """Staff answer an open objection: upheld (the correction is made through the duty records or an
    adjustment) or dismissed, with the outcome. The deputy is notified."""
    from renda.notifications.services import notification_send

    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("请填写处理结果"), field="outcome")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.state != Objection.State.OPEN:
            raise InvalidTransition(_("该异议已处理"))
        objection.state = Objection.State.UPHELD if upheld else Objection.State.DISMISSED
        objection.outcome, objection.resolved_by, objection.resolved_at = (
            outcome[:1000],
            actor,
            timezone.now(),
        )
        objection.save(update_fields=["state", "outcome", "resolved_by", "resolved_at", "updated_at"])
        audit_record(
            action="points.objection.resolve", actor=actor, obj=objection,
            changes={"state": ["open", objection.state]}, detail=outcome,
        )  # fmt: skip
        if objection.deputy.user_id:
            notification_send(
                recipient=objection.deputy.user, kind="points.objection",
                title=_("您对积分公示的异议已处理：%(s)s") % {"s": objection.get_state_display()},
                body=outcome, url="/points/mine/", key=f"points.objection.{objection.pk}",
            )  # fmt: skip
    return objection
