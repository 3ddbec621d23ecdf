"""Roster import (代表名册): read the spreadsheets offices really keep, check every row, then write all.

Two steps, each a background job with a progress bar:
1. check (dry run): read the file, recognise the header whatever its spelling, clean every cell and
   say for each row what would happen — new, update (which fields), unchanged, or error (which column
   and why). Nothing is written to deputies.
2. confirm: take the dry run's checked rows (its sealed plan; the file again only when there is no
   plan it can use), decide each again against the database as it is now and write everything in ONE
   transaction; any error and nothing at all is written.
The ID number is the natural key (through its blind index), so importing the same file twice changes
nothing the second time.
"""

import base64
import datetime
import functools
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.crypto import blind_index
from renda.core.errors import DomainError
from renda.core.masking import mask_id_number
from renda.core.text import clean_name, is_person_name
from renda.core.uploads import office_file_check
from renda.core.validators import id_birth_date, id_gender, validate_id_number, validate_phone
from renda.jobs.services import job_fail, job_run, job_succeed
from renda.regions.models import Region

from . import strokes
from .models import Congress, Deputy, Mandate, RosterImport
from .services import (
    deputy_changes,
    deputy_create_many,
    deputy_from_prepared,
    deputy_prepared_values,
    deputy_update_many,
    deputy_update_prepare,
    mandate_changes,
    mandate_prepare,
    mandate_update_prepare,
    mandate_write_many,
)

# --- the header: every spelling offices use, per field ---

COLUMNS: dict[str, tuple[str, ...]] = {
    "serial": ("序号", "编号", "排序"),
    "name": ("姓名", "代表姓名", "名字"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "birth_month": ("出生年月", "出生日期", "出生年月日", "出生时间", "生日"),
    "native_place": ("籍贯",),
    "political_affiliation": ("政治面貌", "党派", "政治面目"),
    "education": ("学历", "文化程度", "最高学历"),
    "workplace": (
        "工作单位及职务",
        "单位职务",
        "工作单位和职务",
        "单位及职务",
        "工作单位及职务职称",
        "工作单位",
    ),
    "sector": ("行业", "所属行业", "界别", "行业类别"),
    "phone": (
        "联系电话",
        "手机号码",
        "手机号",
        "手机",
        "电话",
        "联系方式",
        "移动电话",
        "移动电话号码",
        "手机号码1",
    ),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "证件号码",
        "居民身份证号码",
        "居民身份证号",
        "身份证件号码",
    ),
    "constituency": ("选区", "所在选区", "选区名称", "选举单位", "原选举单位"),
    "delegation": ("代表团", "所属代表团", "所在代表团"),
    "township": ("所在乡镇", "乡镇", "乡镇街道", "所在乡镇街道", "乡镇(街道)", "所在乡镇(街道)"),
    "note": ("备注",),
}

# The official column order of a roster, used by the export too (field, header).
OFFICIAL_COLUMNS = [
    ("serial", "序号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_month", "出生年月"),
    ("native_place", "籍贯"),
    ("political_affiliation", "政治面貌"),
    ("education", "学历"),
    ("workplace", "工作单位及职务"),
    ("sector", "行业"),
    ("constituency", "选区"),
    ("delegation", "代表团"),
    ("township", "所在乡镇（街道）"),
    ("id_number", "公民身份号码"),
    ("phone", "联系电话"),
]
HEADER_LABELS = dict(OFFICIAL_COLUMNS)
HEADER_LABELS["note"] = "备注"

# Rows that are not deputies: totals and signatures under the table.
_FOOTER = re.compile(r"^(合计|总计|小计|共计|填表|制表|审核人|负责人|注[:：]|说明[:：])")


def _norm_header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)  # "身份证号码(18位)" -> "身份证号码"
    return re.sub(r"[\s*＊:：]", "", text)


_SYNONYMS = {_norm_header(s): f for f, spellings in COLUMNS.items() for s in spellings}
# "乡镇(街道)" loses its brackets in _norm_header; keep the bare forms recognised too.
_SYNONYMS.update({"乡镇": "township", "所在乡镇": "township"})


def text(value) -> str:
    """A cell as clean text: invisible and control characters removed, spaces collapsed; full-width
    characters kept (（中心） is how the office writes it). Codes and numbers go through `code_text`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isprintable():
        # clean_name's result for text with no Cf, control or separator character but the ASCII
        # space, found without walking the characters one by one (most cells; a roster has 20,000).
        return " ".join(value.split())
    # The core name policy: no invisible (Cf) or control characters, spaces collapsed, no NFKC.
    return clean_name(value)


def code_text(value) -> str:
    """A cell holding a code or a number typed as text (phone, gender, 出生年月): `text` folded with
    NFKC, so that １９８０．０５ reads as 1980.05."""
    return unicodedata.normalize("NFKC", text(value))


# --- reading the workbook ---


@dataclass
class Sheet:
    title: str
    header_row: int
    columns: dict[str, int]  # field -> 0-based column
    rows: list[tuple[int, tuple]]  # (Excel row number, values)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # header cells not read (unknown, or a second copy)
    title_text: str = ""  # the rows above the header (大方县黄泥塘镇第十七届人民代表大会代表名册)


def _file_error(message: str) -> DomainError:
    return DomainError(message, field="file")


def _UNREADABLE() -> str:
    return _("无法读取该表格（文件内容已损坏或格式异常），请在 Excel 或 WPS 中另存后重新上传")


def read_roster(data: bytes) -> Sheet:
    """The first roster table of a workbook (see read_roster_sheets for all of them)."""
    return read_roster_sheets(data)[0]


def read_roster_sheets(data: bytes) -> list[Sheet]:
    """Every sheet of a workbook that holds a roster table (one sheet per township is common), or one
    clear DomainError saying what is wrong.

    WPS and some generators write a sheet dimension record of `A1` whatever the sheet holds; openpyxl's
    read-only mode trusts it and would see one cell, so the dimensions are reset and the rows counted.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not data:
        raise _file_error(_("文件是空的，请选择填好的代表名册（.xlsx）"))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _file_error(_("这是旧版 Excel 文件（.xls），请在 Excel 或 WPS 中“另存为 .xlsx”后再上传"))
    if not data.startswith(b"PK"):
        raise _file_error(_("文件不是有效的 Excel 表格（.xlsx），请检查后重新上传"))
    # Size, compression ratio and XML entities, before openpyxl unpacks anything.
    office_file_check(data, field="file", label=_("代表名册文件"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _file_error(_("文件不是有效的 Excel 表格（.xlsx），请检查后重新上传")) from None
    except Exception:  # an XML parser's own refusal (SyntaxError, ParseError) or worse
        raise _file_error(_UNREADABLE()) from None
    try:
        return _read_tables(workbook)
    except DomainError:
        raise
    except Exception:  # rows are parsed lazily in read-only mode: same refusals, later
        raise _file_error(_UNREADABLE()) from None
    finally:
        workbook.close()


def _read_tables(workbook) -> list[Sheet]:
    read: list[list[tuple[int, tuple]]] = []
    sheets: list[Sheet] = []
    for worksheet in workbook.worksheets:
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # a stale `A1` dimension would hide every row
        rows = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            rows.append((number, tuple(values)))
            if number > settings.RENDA_ROSTER_MAX_ROWS + 20:
                raise _file_error(_("表格超过 %(n)d 行，请分批导入") % {"n": settings.RENDA_ROSTER_MAX_ROWS})
        read.append(rows)
        sheet = _find_table(worksheet.title, rows)
        if sheet is not None:
            sheets.append(sheet)
    if sheets:
        return sheets
    if not any(text(v) for rows in read for _n, values in rows for v in values):
        raise _file_error(_("表格是空的，没有找到任何内容"))
    raise _file_error(_("没有找到可以识别的表头：表格中须有“姓名”和“身份证号码”（或“公民身份号码”）两列"))


def _find_table(title: str, rows: list[tuple[int, tuple]]) -> Sheet | None:
    for index, (number, values) in enumerate(rows[:20]):
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for col, value in enumerate(values):
            found = _SYNONYMS.get(_norm_header(value))
            if found and found not in columns:
                columns[found] = col
            elif text(value):
                ignored.append(text(value))
        if "name" in columns and "id_number" in columns:
            above = " ".join(text(v) for _n, vals in rows[:index] for v in vals if text(v))
            return Sheet(
                title=title,
                header_row=number,
                columns=columns,
                rows=rows[index + 1 :],
                ignored=ignored,
                title_text=above,
            )
    return None


# --- cleaning cells ---


class CellError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@functools.cache
def _labels(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    """{label: code} of a choices class in one language (translating each label per cell cost more
    than the rest of a row's checks together)."""
    return {str(label): code for code, label in choices.choices}


def _choice(value: str, column: str, table: dict[str, str], choices: type[models.TextChoices]) -> str:
    if not value:
        return ""
    key = value.replace(" ", "")
    if key in table:
        return table[key]
    labels = _labels(choices, get_language())
    if key in labels:
        return labels[key]
    raise CellError(column, _("无法识别“%(v)s”，可填：%(all)s") % {"v": value, "all": "、".join(labels)})


_AFFILIATIONS = {
    "党员": "cpc",
    "中共": "cpc",
    "中国共产党党员": "cpc",
    "共产党员": "cpc",
    "预备党员": "cpc_probationary",
    "团员": "cyl",
    "民革": "rcck",
    "民盟": "cdl",
    "民建": "cdnca",
    "民进": "capd",
    "农工党": "cpwdp",
    "致公党": "czgp",
    "九三学社": "jiusan",
    "台盟": "tdsl",
    "无党派": "independent",
    "无": "masses",
}
_EDUCATIONS = {
    "硕士": "postgraduate",
    "博士": "postgraduate",
    "硕士研究生": "postgraduate",
    "博士研究生": "postgraduate",
    "在职研究生": "postgraduate",
    "本科": "bachelor",
    "大学": "bachelor",
    "大本": "bachelor",
    "大专": "associate",
    "专科": "associate",
    "中职": "secondary_vocational",
    "中技": "secondary_vocational",
    "技校": "secondary_vocational",
    "中专(高中)": "secondary_vocational",
    "职高": "high_school",
}
_SECTORS = {
    "农业农村": "agriculture",
    "农村": "agriculture",
    "医疗": "health",
    "卫生": "health",
    "卫生健康": "health",
    "党政": "government",
    "机关": "government",
    "工业": "industry",
    "企业": "industry",
    "商贸": "commerce",
    "服务业": "commerce",
    "交通": "transport",
    "文化": "culture",
    "旅游": "culture",
    "村居": "village",
    "社区": "village",
    "村(社区)": "village",
}


@functools.cache
def _field_labels(language: str | None) -> dict[str, str]:
    return {f.name: str(f.verbose_name) for f in Deputy._meta.fields}


def clean_birth_month(value, id_number: str = "") -> datetime.date | None:
    """1975.03, 1975.3, 1975年3月, 197503, 1975-03-15, an Excel date, or its serial number."""
    column = HEADER_LABELS["birth_month"]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    id_born = id_birth_date(id_number) if id_number else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 10000 <= value <= 60000:
            # An Excel date serial shown without a date format.
            return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))).replace(day=1)
        raw = repr(float(value)) if not float(value).is_integer() else str(int(value))
        if (
            re.fullmatch(r"\d{4}\.1", raw)
            and id_born
            and id_born.month == 10
            and str(id_born.year) == raw[:4]
        ):
            # A number cell turns 1975.10 into 1975.1; the ID number says which month was meant.
            return datetime.date(id_born.year, 10, 1)
    else:
        raw = code_text(value)
    raw = raw.replace(" ", "")
    match = re.fullmatch(r"(\d{4})[.\-/年](\d{1,2})(?:[.\-/月](\d{1,2})日?|月)?", raw) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})?", raw
    )
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= timezone.localdate().year and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    raise CellError(
        column, _("出生年月“%(v)s”无法识别，可写作 1975.03、1975年3月 或 197503") % {"v": text(value)}
    )


def clean_id_number(value) -> str:
    column = HEADER_LABELS["id_number"]
    if value is None or text(value) == "":
        raise CellError(column, _("身份证号码为空：导入以身份证号码识别代表，必须填写"))
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, float):
        # Excel keeps 15 significant digits of a number: an 18-digit ID number in a number cell has
        # already lost its last digits, whatever they now look like.
        shown = mask_id_number(str(int(Decimal(f"{value:.15g}"))))
        raise CellError(
            column,
            _("身份证号码被 Excel 存成了数字，末几位已丢失（读到 %(v)s）；请把该列设为“文本”格式后重新填写")
            % {"v": shown},
        )
    raw = str(value)
    try:
        return validate_id_number(raw)
    except Exception as exc:  # ValidationError
        if numeric:
            raise CellError(
                column,
                _(
                    "身份证号码被 Excel 存成了数字，末几位已丢失（读到 %(v)s）；"
                    "请把该列设为“文本”格式后重新填写"
                )
                % {"v": raw},
            ) from None
        messages = getattr(exc, "messages", [str(exc)])
        raise CellError(column, messages[0]) from None


@dataclass
class Planned:
    """One row of the sheet: what it says, cleaned, and what importing it would do."""

    row: int
    sheet: str = ""
    name: str = ""
    id_number: str = ""
    data: dict = field(default_factory=dict)
    constituency: object = None
    delegation: str = ""
    deputy: Deputy | None = None
    mandate: Mandate | None = None
    outcome: str = "new"
    errors: list[dict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    index: str = ""  # the ID number's blind index
    region: Region | None = None  # where the row puts the deputy (None: the row does not say)
    region_column: str = ""  # the column to name when neither the row nor its deputy gives a region
    # A new deputy's fields as services.deputy_prepare made them (cleaned, validated, sort keys):
    # the dry run keeps them in the import's sealed plan, so the confirm step need not do it again.
    prepared: dict | None = None

    @property
    def wanted(self) -> dict:
        """What the row says of the mandate: cells left empty change nothing."""
        wanted = {}
        if self.constituency is not None:
            wanted["constituency"] = self.constituency
        if self.delegation:
            wanted["delegation"] = self.delegation
        return wanted

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})
        self.outcome = "error"

    def preview(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "name": self.name,
            "id_number": mask_id_number(self.id_number),
            "constituency": str(self.constituency or ""),
            "outcome": self.outcome,
            "errors": self.errors,
            "changes": self.changes,
        }


class Planner:
    """Checks rows of one sheet against one congress, for one user."""

    def __init__(self, *, congress: Congress, user):
        self.congress, self.user = congress, user
        self.constituencies = {c.name: c for c in congress.constituencies.select_related("region")}
        self.by_number = {c.number: c for c in self.constituencies.values() if c.number}
        # Townships are named within the county (names repeat across counties).
        base = (
            congress.region
            if congress.region.level in ("county", "township")
            else (user.region or congress.region)
        )
        scope_path = base.path
        if base.level in ("township", "village"):
            scope_path = "/".join(base.path.split("/")[:3]) + "/"
        self.townships = {
            r.name: r for r in Region.objects.filter(level=Region.Level.TOWNSHIP, path__startswith=scope_path)
        }
        self.townships_by_path = {r.path: r for r in self.townships.values()}
        # Where a row's deputy may be put: a township of the county, or a township congress's own.
        self.regions_by_pk = {r.pk: r for r in (*self.townships.values(), congress.region)}
        self.user_path = user.region.path if user.region_id else None
        self.seen: dict[str, tuple[str, int]] = {}
        self.sheet: Sheet = Sheet(title="", header_row=0, columns={}, rows=[])
        self.sheet_region: Region | None = None

    def _constituency(self, value: str):
        name = value.replace(" ", "")
        if name in self.constituencies:
            return self.constituencies[name]
        digits = re.fullmatch(r"第?(\d+)(?:选区)?", name)
        if digits and int(digits.group(1)) in self.by_number:
            return self.by_number[int(digits.group(1))]
        raise CellError(
            HEADER_LABELS["constituency"],
            _("“%(v)s”不是%(c)s的选区") % {"v": value, "c": self.congress.name},
        )

    def _township_of(self, region: Region) -> Region | None:
        for path, township in self.townships_by_path.items():
            if region.path.startswith(path):
                return township
        return None

    def sheet_township(self, sheet: Sheet) -> Region | None:
        """The township a sheet is about, from its tab name or its title rows, when that names exactly one
        township of the county (黄泥塘镇, or 黄泥塘 without its 镇/乡/街道)."""
        for source in (sheet.title, sheet.title_text):
            name = source.replace(" ", "")
            found = {r.pk: r for n, r in self.townships.items() if n in name}
            if not found:
                found = {
                    r.pk: r
                    for n, r in self.townships.items()
                    if len(short := re.sub(r"(街道|镇|乡)$", "", n)) >= 2 and short in name
                }
            if len(found) == 1:
                return next(iter(found.values()))
        return None

    def plan_sheets(self, sheets: list[Sheet], report=None) -> tuple[list[Planned], list[tuple[int, str]]]:
        """plan_rows over every sheet; each Planned says which sheet it came from."""
        planned, skipped = [], []
        total, done = sum(len(sheet.rows) for sheet in sheets), 0
        for sheet in sheets:
            rows, left = self.plan_rows(sheet, report, done=done, total=total)
            planned += rows
            skipped += left
            done += len(sheet.rows)
        return planned, skipped

    def plan_rows(
        self, sheet: Sheet, report=None, *, done: int = 0, total: int | None = None
    ) -> tuple[list[Planned], list[tuple[int, str]]]:
        """Every row of `sheet`, checked against the database in two queries (deputies by the blind
        index of each ID number, their mandates in this congress). `report(percent, message)` is
        called about twenty times over `total` rows (all sheets), `done` of them before this sheet."""
        self.sheet, self.sheet_region = sheet, self.sheet_township(sheet)
        planned, skipped = [], []
        cells = []
        for number, values in sheet.rows:
            get = {f: (values[c] if c < len(values) else None) for f, c in sheet.columns.items()}
            first = next((text(v) for v in values if text(v)), "")
            if _FOOTER.match(first.replace(" ", "")) or _FOOTER.match(text(get.get("name")).replace(" ", "")):
                skipped.append((number, first[:30]))  # 合计 and signature lines under the table
                continue
            if not any(text(v) for f, v in get.items() if f not in ("serial", "note")):
                continue  # a blank row (perhaps with only its 序号)
            cells.append((number, get))
        total = max(total or len(sheet.rows), 1)
        step = max(50, total // 20)
        for position, (number, get) in enumerate(cells, start=1):
            planned.append(self._read_row(number, get))
            if report and position % step == 0:
                report(
                    min(95, 5 + int(90 * (done + position) / total)),
                    _("已检查 %(n)d/%(t)d 行") % {"n": done + position, "t": total},
                )
        return self.decide(planned), skipped

    def decide(self, planned: list[Planned]) -> list[Planned]:
        """What each row does to the database as it is now (new, update with its changes, unchanged,
        or an error): two queries, existing deputies by the blind index of each ID number and their
        mandates in this congress. The dry run decides its rows so; the confirm step decides the dry
        run's sealed rows again, against the data of the moment it writes."""
        indexes = {plan.index for plan in planned if plan.index}
        existing = {
            d.id_number_index: d
            for d in Deputy.objects.filter(id_number_index__in=indexes).select_related("region")
        }
        mandates = {
            m.deputy_id: m
            for m in Mandate.objects.filter(
                congress=self.congress, deputy__in=existing.values()
            ).select_related("constituency")
        }
        for plan in planned:
            self._decide_row(plan, existing, mandates)
        return planned

    def _read_row(self, number: int, get: dict) -> Planned:
        """One row's cells, cleaned and checked on their own and against the congress's constituencies
        and the county's townships; nothing of the deputies yet (see `decide`)."""
        plan = Planned(row=number, sheet=self.sheet.title)
        data: dict = {}
        plan.name = strokes.clean_name(text(get.get("name")))
        if not plan.name:
            plan.error(HEADER_LABELS["name"], _("姓名为空"))
        elif not is_person_name(plan.name):
            plan.error(HEADER_LABELS["name"], _("姓名“%(v)s”含有不应出现的字符") % {"v": plan.name})
        else:
            data["name"] = plan.name
        try:
            plan.id_number = clean_id_number(get.get("id_number"))
            data["id_number"] = plan.id_number
            plan.index = blind_index(plan.id_number)
        except CellError as exc:
            plan.error(exc.column, exc.message)
        if plan.id_number:
            first_sheet, first = self.seen.setdefault(plan.id_number, (self.sheet.title, number))
            if (first_sheet, first) != (self.sheet.title, number):
                where = "" if first_sheet == self.sheet.title else _("工作表“%(s)s”") % {"s": first_sheet}
                plan.error(
                    HEADER_LABELS["id_number"],
                    _("与%(w)s第 %(n)d 行的身份证号码重复") % {"w": where, "n": first},
                )
        gender = code_text(get.get("gender"))
        if gender:
            if gender not in ("男", "女"):
                plan.error(HEADER_LABELS["gender"], _("性别应填“男”或“女”"))
            else:
                data["gender"] = "male" if gender == "男" else "female"
                if plan.id_number and id_gender(plan.id_number) != data["gender"]:
                    plan.error(HEADER_LABELS["gender"], _("性别与身份证号码不符"))
        elif plan.id_number:
            data["gender"] = id_gender(plan.id_number)
        try:
            born = clean_birth_month(get.get("birth_month"), plan.id_number)
        except CellError as exc:
            plan.error(exc.column, exc.message)
        else:
            if born is not None:
                data["birth_month"] = born
                if plan.id_number:
                    id_born = id_birth_date(plan.id_number)
                    if (id_born.year, id_born.month) != (born.year, born.month):
                        plan.error(
                            HEADER_LABELS["birth_month"],
                            _("出生年月 %(b)s 与身份证号码中的 %(i)s 不符")
                            % {"b": f"{born:%Y.%m}", "i": f"{id_born:%Y.%m}"},
                        )
        phone = code_text(get.get("phone"))
        if phone:
            try:
                data["phone"] = validate_phone(phone)
            except Exception as exc:
                plan.error(HEADER_LABELS["phone"], getattr(exc, "messages", [str(exc)])[0])
        for name in ("ethnicity", "native_place", "workplace"):
            value = text(get.get(name))
            if value:
                data[name] = value
        if (
            data.get("ethnicity")
            and not data["ethnicity"].endswith(("族", "人"))
            and len(data["ethnicity"]) <= 3
        ):
            data["ethnicity"] += "族"
        for name, table, choices in (
            ("political_affiliation", _AFFILIATIONS, Deputy.Affiliation),
            ("education", _EDUCATIONS, Deputy.Education),
            ("sector", _SECTORS, Deputy.Sector),
        ):
            try:
                value = _choice(code_text(get.get(name)), HEADER_LABELS[name], table, choices)
            except CellError as exc:
                plan.error(exc.column, exc.message)
            else:
                if value:
                    data[name] = value
        region = None
        constituency_text = code_text(get.get("constituency"))
        if constituency_text:
            try:
                plan.constituency = self._constituency(constituency_text)
                region = self._township_of(plan.constituency.region)
            except CellError as exc:
                plan.error(exc.column, exc.message)
        township_text = text(get.get("township")).replace(" ", "")
        if township_text:
            township = self.townships.get(township_text)
            if township is None:
                plan.error(
                    HEADER_LABELS["township"], _("没有名为“%(v)s”的乡镇（街道）") % {"v": township_text}
                )
            else:
                region = township
        if region is None and self.congress.level == "township":
            region = self.congress.region
        if region is None and not constituency_text and not township_text:
            region = self.sheet_region  # one sheet per township: the tab or title names it
        plan.delegation = text(get.get("delegation"))
        # Named under a column the sheet has: 选区 only when it has a 选区 column and no 乡镇 one.
        has = self.sheet.columns
        column = "constituency" if "constituency" in has and "township" not in has else "township"
        plan.data, plan.region, plan.region_column = data, region, HEADER_LABELS[column]
        return plan

    def _decide_row(self, plan: Planned, existing: dict, mandates: dict) -> Planned:
        deputy = existing.get(plan.index) if plan.index else None
        if deputy is not None and self.user_path and not deputy.region.path.startswith(self.user_path):
            plan.error(
                HEADER_LABELS["id_number"], _("该身份证号码已登记为其他辖区的代表，请联系县人大工作人员")
            )
            return plan
        region, data = plan.region, plan.data
        if region is None and deputy is None and not plan.errors:
            plan.error(
                plan.region_column,
                _(
                    "无法确定所在乡镇（街道）：请填写选区或所在乡镇，或把工作表“%(s)s”命名为本县的乡镇（街道）名称"
                )
                % {"s": plan.sheet},
            )
        if region is not None:
            if self.user_path and not region.path.startswith(self.user_path):
                plan.error(HEADER_LABELS["township"], _("%(r)s不在您的管辖范围内") % {"r": region.name})
            data["region"] = region
        plan.deputy = deputy
        if plan.errors:
            return plan
        if deputy is None:
            if plan.prepared is None:
                # Cleaned and validated as deputy_create would (a value too long, say, is this row's
                # error in the dry run, not the confirm step's).
                try:
                    plan.prepared = deputy_prepared_values(data=data)
                except DomainError as exc:
                    plan.error(HEADER_LABELS.get(exc.field or "", exc.field or ""), exc.message)
                    return plan
            plan.outcome = "new"
            return plan
        # Cells left empty never blank what is already recorded.
        try:
            changed = deputy_changes(deputy=deputy, data=data)
        except DomainError as exc:
            plan.error(HEADER_LABELS.get(exc.field or "", exc.field or ""), exc.message)
            return plan
        labels = _field_labels(get_language())
        plan.changes = [labels.get(f, f) for f in changed]
        plan.mandate = mandates.get(deputy.pk)
        if plan.mandate is None:
            plan.changes.append(_("新增%(c)s代表资格") % {"c": self.congress.name})
        else:
            mandate_labels = {"constituency": _("选区"), "delegation": _("代表团")}
            plan.changes += [
                mandate_labels[f] for f in mandate_changes(mandate=plan.mandate, data=plan.wanted)
            ]
        plan.outcome = "update" if plan.changes else "unchanged"
        return plan


# --- the sealed plan: what the dry run found, kept for the confirm step ---
#
# The dry run reads the workbook, cleans and checks every row and prepares each new deputy (the
# slow part of a roster, issue 15 §4). It keeps that work in the import's `plan` (JSON, SM4-GCM
# encrypted like the file itself: a changed byte fails to decrypt), and the confirm step starts
# from it instead of reading and checking the file again; it still decides every row against the
# database as it is when it writes (Planner.decide). A plan it cannot use (none, an older format,
# a township or constituency gone since) sends it back to the file.

PLAN_VERSION = 1


def _plain_values(values: dict) -> dict:
    return {
        k: (v.pk if isinstance(v, Region) else v.isoformat() if isinstance(v, datetime.date) else v)
        for k, v in values.items()
        if not (k == "region" and v is None)
    }


def _typed_values(values: dict, regions: dict) -> dict:
    typed = dict(values)
    if "region" in typed:
        typed["region"] = regions[typed["region"]]
    if typed.get("birth_month"):
        typed["birth_month"] = datetime.date.fromisoformat(typed["birth_month"])
    return typed


def plan_seal(planned: list[Planned], skipped: list, congress: Congress) -> str:
    """The plan of a dry run with no error row, as the JSON text the import keeps (encrypted)."""
    rows = [
        {
            "sheet": p.sheet,
            "row": p.row,
            "name": p.name,
            "id_number": p.id_number,
            "index": p.index,
            "data": _plain_values({k: v for k, v in p.data.items() if k != "region"}),
            "region": p.region.pk if p.region is not None else None,
            "region_column": p.region_column,
            "constituency": p.constituency.pk if p.constituency is not None else None,
            "delegation": p.delegation,
            "prepared": _plain_values(p.prepared) if p.prepared is not None else None,
        }
        for p in planned
    ]
    return json.dumps(
        {"version": PLAN_VERSION, "congress": congress.pk, "rows": rows, "skipped": skipped},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def plan_unseal(sealed: str, planner: "Planner") -> tuple[list[Planned], list] | None:
    """The rows (undecided: Planner.decide) and skipped lines of `plan_seal`'s text, or None when it
    cannot be used."""
    try:
        plan = json.loads(sealed) if sealed else None
        if not plan or plan.get("version") != PLAN_VERSION or plan.get("congress") != planner.congress.pk:
            return None
        regions = planner.regions_by_pk
        constituencies = {c.pk: c for c in planner.constituencies.values()}
        planned = []
        for row in plan["rows"]:
            region, constituency = row["region"], row["constituency"]
            prepared = row["prepared"]
            planned.append(
                Planned(
                    row=row["row"],
                    sheet=row["sheet"],
                    name=row["name"],
                    id_number=row["id_number"],
                    index=row["index"],
                    data=_typed_values(row["data"], regions),
                    region=regions[region] if region is not None else None,
                    region_column=row["region_column"],
                    constituency=constituency and constituencies[constituency],
                    delegation=row["delegation"],
                    prepared=_typed_values(prepared, regions) if prepared is not None else None,
                )
            )
        skipped = [tuple(line) for line in plan["skipped"]]
    except (ValueError, KeyError, TypeError):
        return None
    return planned, skipped


def summarize(planned: list[Planned], skipped) -> dict:
    counts = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    for plan in planned:
        counts[plan.outcome] += 1
    counts["rows"] = len(planned)
    counts["skipped"] = len(skipped)
    return counts


# --- the two jobs ---


def _load(batch: RosterImport) -> bytes:
    return base64.b64decode(batch.content or "")


def roster_check_run(job_id: str) -> None:
    def work(job, report):
        batch = RosterImport.objects.select_related("congress", "congress__region", "owner").get(
            pk=job.params["import_id"]
        )
        report(2, _("正在读取文件"))
        try:
            sheets = read_roster_sheets(_load(batch))
        except DomainError as exc:
            batch.state, batch.message = RosterImport.State.REJECTED, exc.message
            batch.content = ""  # nothing to keep from a file that is not a roster
            batch.save(update_fields=["state", "message", "content"])
            job_fail(job=job, message=exc.message)
            return
        summary = roster_check(batch, sheets, report)
        job_succeed(job=job, message=batch.message, result={"import_id": str(batch.pk), **summary})

    job_run(job_id, work)


def roster_check(batch: RosterImport, sheets: list[Sheet], report) -> dict:
    """The dry run of `batch` whose file reads as `sheets`: each row's outcome (masked) and the
    summary kept on the import, its plan sealed for the confirm step (none when a row has an error);
    returns the summary."""
    planner = Planner(congress=batch.congress, user=batch.owner)
    planned, skipped = planner.plan_sheets(sheets, report)
    summary = summarize(planned, skipped)
    sheet = sheets[0]
    summary["header_row"], summary["sheet"] = sheet.header_row, sheet.title
    summary["columns"] = [HEADER_LABELS.get(f, f) for f in sheet.columns if f not in ("serial", "note")]
    summary["ignored"] = sorted({c for s in sheets for c in s.ignored})
    summary["sheets"] = [
        {
            "title": s.title,
            "header_row": s.header_row,
            "rows": sum(1 for p in planned if p.sheet == s.title),
            "township": (planner.sheet_township(s).name if planner.sheet_township(s) else ""),
            "ignored": s.ignored,
        }
        for s in sheets
    ]
    batch.rows = [p.preview() for p in planned]
    batch.summary = summary
    # A file with an error row is never imported: no plan to keep.
    batch.plan = "" if summary["error"] else plan_seal(planned, skipped, batch.congress)
    batch.state = RosterImport.State.CHECKED
    batch.message = (
        _("共 %(rows)d 行：新增 %(new)d，更新 %(update)d，不变 %(unchanged)d，错误 %(error)d") % summary
    )
    batch.save(update_fields=["rows", "summary", "plan", "state", "message"])
    audit_record(action="roster_import.check", actor=batch.owner, obj=batch, detail=batch.message)
    return summary


def roster_import_run(job_id: str) -> None:
    def work(job, report):
        batch = RosterImport.objects.select_related("congress", "congress__region", "owner").get(
            pk=job.params["import_id"]
        )
        if batch.state != RosterImport.State.IMPORTING or batch.import_job_id != job.pk:
            # A job that is not this import's current one (a repeated delivery) must not touch it.
            job_succeed(job=job, message=_("该名册已导入"), result={"import_id": str(batch.pk)})
            return
        try:
            counts = _apply(batch, report)
        except Exception as exc:
            message = exc.message if isinstance(exc, DomainError) else _("导入出错，未导入任何数据")
            batch.state, batch.message = RosterImport.State.FAILED, message[:300]
            batch.save(update_fields=["state", "message"])
            raise
        batch.state, batch.imported_at = RosterImport.State.IMPORTED, timezone.now()
        batch.content = batch.plan = ""  # both held ID numbers; once imported they are not kept
        batch.message = _("已导入：新增 %(new)d，更新 %(update)d，不变 %(unchanged)d") % counts
        batch.save(update_fields=["state", "imported_at", "content", "plan", "message"])
        job_succeed(job=job, message=batch.message, result={"import_id": str(batch.pk), **counts})

    job_run(job_id, work)


def _apply(batch: RosterImport, report) -> dict:
    """Decide the dry run's rows again against today's data (or, with no plan it can use, read and
    check the file again), then write every row in one transaction, or none."""
    actor, congress = batch.owner, batch.congress
    report(5, _("正在复核名册"))
    planner = Planner(congress=congress, user=actor)
    sealed = plan_unseal(batch.plan, planner)
    if sealed is not None:
        planned, skipped = planner.decide(sealed[0]), sealed[1]
    else:
        planned, skipped = planner.plan_sheets(
            read_roster_sheets(_load(batch)),
            lambda percent, message: report(5 + percent * 35 // 100, message),
        )
    counts = summarize(planned, skipped)
    if counts["error"]:
        raise DomainError(
            _("复核时发现 %(n)d 行错误（数据可能已被他人修改），未导入任何数据，请重新上传检查")
            % {"n": counts["error"]}
        )
    report(40, _("正在写入 %(n)d 行") % {"n": counts["new"] + counts["update"]})
    with transaction.atomic():
        _write(planned, actor=actor, congress=congress)
        audit_record(action="roster_import.apply", actor=actor, obj=batch, detail=str(counts))
    return counts


def _row_error(plan: Planned, exc: DomainError) -> DomainError:
    """A write refused for one row, named as the dry run names its errors (sheet, row, column)."""
    column = HEADER_LABELS.get(exc.field or "", exc.field or "")
    where = _("工作表“%(s)s”第 %(n)d 行") % {"s": plan.sheet, "n": plan.row}
    return DomainError(
        _("%(w)s%(c)s：%(m)s，未导入任何数据")
        % {"w": where, "c": f"（{column}）" if column else "", "m": exc.message},
        field="file",
    )


def _write(planned: list[Planned], *, actor, congress: Congress) -> None:
    """Every row's changes, set-based: new deputies as they were prepared when their rows were
    decided, changed ones cleaned and validated in Python, then deputies and mandates are written a
    batch per statement (their personal fields encrypted on the way) with one audit entry each
    (services: deputy_create_many, deputy_update_many, mandate_write_many). The caller holds the one
    transaction."""
    new_deputies: list[tuple[Deputy, dict]] = []
    changed_deputies: list[tuple[Deputy, dict]] = []
    seats: list[tuple[Planned, Deputy]] = []  # rows whose deputy needs a mandate in this congress
    changed_mandates: list[tuple[Mandate, dict]] = []
    for plan in planned:
        if plan.outcome == "unchanged":
            continue
        try:
            if plan.deputy is None:
                # Prepared (cleaned, validated) when the row was decided; not done again here.
                deputy, changes = deputy_from_prepared(values=plan.prepared)
                new_deputies.append((deputy, changes))
            else:
                deputy = plan.deputy
                changed_deputies.append((deputy, deputy_update_prepare(deputy=deputy, data=plan.data)))
            if plan.mandate is None:
                seats.append((plan, deputy))
            else:
                mandate = plan.mandate
                mandate.deputy, mandate.congress = deputy, congress  # known: no query to check them
                changed_mandates.append((mandate, mandate_update_prepare(mandate=mandate, data=plan.wanted)))
        except DomainError as exc:
            raise _row_error(plan, exc) from exc
    deputy_create_many(actor=actor, prepared=new_deputies)
    deputy_update_many(actor=actor, updated=changed_deputies)
    created = []
    for plan, deputy in seats:
        try:
            created.append(
                mandate_prepare(
                    deputy=deputy,
                    congress=congress,
                    constituency=plan.constituency,
                    delegation=plan.delegation,
                )
            )
        except DomainError as exc:
            raise _row_error(plan, exc) from exc
    mandate_write_many(actor=actor, congress=congress, created=created, updated=changed_mandates)


def roster_import_prune(*, older_than_hours: int, actor=None) -> int:
    """Delete imports checked but never confirmed (or rejected, or failed) within `older_than_hours`,
    with their encrypted files (kept in the row itself), one audit entry each. Returns how many."""
    cutoff = timezone.now() - datetime.timedelta(hours=older_than_hours)
    removed = 0
    unfinished = (RosterImport.State.CHECKED, RosterImport.State.REJECTED, RosterImport.State.FAILED)
    stale = RosterImport.objects.filter(state__in=unfinished, created_at__lt=cutoff)
    for batch in stale.select_related("congress").order_by("created_at").iterator():
        with transaction.atomic():
            audit_record(
                action="roster_import.prune",
                actor=actor,
                obj=batch,
                detail=f"{batch.filename} {batch.state} {batch.created_at:%Y-%m-%d %H:%M}, not imported",
            )
            batch.delete()
        removed += 1
    return removed
