"""Figures for the roster import (issue 15 §4): openpyxl's own read of a clean roster against the
import's dry run and confirm step, in seconds and in queries per hundred rows.

Everything runs inside one transaction that is rolled back: a bench county of its own (region codes
of province 65, which no Guizhou data uses), a county congress with its constituencies, a county
clerk, and the workbook `roster_workbook(rows)` in the official column order. Nothing is kept.

Measured, each the best of `repeat` runs (each run undone before the next):
- openpyxl_read_s: `load_workbook(read_only=True, data_only=True)` and every row's values, nothing else;
- dry_run_s: what the check job does (read, recognise, clean, check and prepare every row, the
  preview, the sealed plan and the summary saved on the import);
- confirm_s: what the import job does on a first import (the plan decided again against the
  database, every row written);
- again_s: the confirm step for the same file once it is imported (no row changes: 0 writes);
- update_s: the confirm step for the same file with every row's workplace changed.
Each confirm step follows its own dry run (not measured for again and update), as in the application.
"""

import contextlib
import datetime
import io
import secrets
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from renda.core.validators import id_check_character

from .imports import OFFICIAL_COLUMNS

BENCH_PROVINCE = "65"
BENCH_COUNTY = "659901"
TOWNSHIPS = 20
CONSTITUENCIES_PER_TOWNSHIP = 4

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
_GIVEN = "明华强军芳敏英丽勇伟磊静燕平刚杰涛超秀兰桂花春梅国庆建文志红玉德云海"
_NATIONS = ("汉族", "苗族", "彝族", "布依族", "仡佬族")
_PARTIES = ("中共党员", "群众", "无党派人士", "民盟盟员", "中共预备党员")
_EDUCATIONS = ("大学本科", "大学专科", "研究生", "高中", "中专")
_SECTORS = ("农业", "医疗卫生", "党政机关", "工业企业", "村（社区）", "教育")


def _township_name(n: int) -> str:
    return f"测试{chr(0x4E00 + 17 * n)}{'镇' if n % 3 else '乡'}"


def _id_number(n: int) -> tuple[str, datetime.date]:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n * 97) % 12000)
    first17 = f"{BENCH_COUNTY}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_character(first17), born


def roster_rows(rows: int, *, workplace_suffix: str = "") -> list[list]:
    """`rows` distinct clean deputies in the official column order (OFFICIAL_COLUMNS)."""
    out = []
    for n in range(rows):
        id_number, born = _id_number(n)
        township = n % TOWNSHIPS
        constituency = township * CONSTITUENCIES_PER_TOWNSHIP + n % CONSTITUENCIES_PER_TOWNSHIP + 1
        name = _SURNAMES[n % len(_SURNAMES)] + _GIVEN[n // len(_SURNAMES) % len(_GIVEN)]
        if n // (len(_SURNAMES) * len(_GIVEN)):
            name += _GIVEN[n % 7]
        values = {
            "serial": n + 1,
            "name": name if len(name) > 2 else f"{name[0]}　{name[1]}",  # padded as offices do
            "gender": "男" if int(id_number[16]) % 2 else "女",
            "ethnicity": _NATIONS[n % len(_NATIONS)],
            "birth_month": f"{born:%Y.%m}",
            "native_place": "新疆测试",
            "political_affiliation": _PARTIES[n % len(_PARTIES)],
            "education": _EDUCATIONS[n % len(_EDUCATIONS)],
            "workplace": f"{_township_name(township)}第{n % 40 + 1}村党支部书记{workplace_suffix}",
            "sector": _SECTORS[n % len(_SECTORS)],
            "constituency": f"第{constituency}选区",
            "delegation": f"{_township_name(township)}代表团",
            "township": _township_name(township),
            "id_number": id_number,
            "phone": f"139{n:08d}",
        }
        out.append([values[field] for field, _label in OFFICIAL_COLUMNS])
    return out


def roster_workbook(rows: int = 1500, *, workplace_suffix: str = "") -> bytes:
    """A clean roster as offices send it: a title row, the official header, `rows` deputies."""
    from openpyxl import Workbook

    from renda.core.spreadsheets import safe_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名册"
    sheet.append(["测试县第十八届人民代表大会代表名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(OFFICIAL_COLUMNS))
    sheet.append([label for _field, label in OFFICIAL_COLUMNS])
    for row in roster_rows(rows, workplace_suffix=workplace_suffix):
        sheet.append(safe_row(row))
    for cell in sheet["N"][2:]:
        cell.number_format = "@"  # the ID column as text, as the template asks
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def openpyxl_read(data: bytes) -> int:
    """openpyxl's own read of the workbook: every row's values, nothing done with them."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            for _values in sheet.iter_rows(values_only=True):
                count += 1
    finally:
        workbook.close()
    return count


def bench_county():
    """The bench's county: townships, a county congress with constituencies, a county clerk."""
    from renda.accounts.services import user_create
    from renda.core.access import Role
    from renda.regions.models import Region

    from .services import congress_create, constituency_create

    def region(code, name, level, parent=None):
        path = (parent.path if parent else "") + code + "/"
        return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)

    province = region(BENCH_PROVINCE, "测试自治区", "province")
    city = region(BENCH_COUNTY[:4], "测试市", "city", province)
    county = region(BENCH_COUNTY, "测试县", "county", city)
    congress = congress_create(level="county", region=county, term=18, starts_on=datetime.date(2021, 12, 28))
    for t in range(TOWNSHIPS):
        township = region(f"{BENCH_COUNTY}{100 + t:03d}", _township_name(t), "township", county)
        for c in range(CONSTITUENCIES_PER_TOWNSHIP):
            number = t * CONSTITUENCIES_PER_TOWNSHIP + c + 1
            constituency_create(congress=congress, name=f"第{number}选区", number=number, region=township)
    clerk = user_create(
        username="bench-roster-clerk",
        # Upper and lower case, digits and a symbol, whatever the token: the password policy's classes.
        password="Bq7#" + secrets.token_urlsafe(16),  # rolled back with everything else
        role=Role.COUNTY_STAFF,
        full_name="名册测试",
        region=county,
    )
    return congress, clerk


class _Rollback(Exception):
    """Raised to undo a measured step, so the bench leaves the database as it found it."""


@contextlib.contextmanager
def _undone():
    with contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


def _measure(work) -> tuple[float, float, int, int, object]:
    """(seconds, CPU seconds of this process, queries, writing queries, result) of one run of `work`.
    On a shared machine the CPU seconds are the steadier figure (on SQLite they include the
    database's work; on PostgreSQL the server's share is only in the wall-clock seconds)."""
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sql = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    writes = sum(1 for s in sql if s.startswith(("INSERT", "UPDATE", "DELETE")))
    return seconds, cpu, len(sql), writes, result


def roster_import_figures(*, rows: int = 1500, repeat: int = 3) -> dict:
    """{rows, openpyxl_read_s, and for each step (dry_run, confirm, again, update): _s, _cpu_s,
    _over_openpyxl, _cpu_over_openpyxl, _queries, _queries_per_100_rows, _writes, _counts} — seconds
    best of `repeat`; the database is left as it was."""
    import base64

    from .imports import _apply, read_roster_sheets, roster_check
    from .models import RosterImport

    data = roster_workbook(rows)
    changed = roster_workbook(rows, workplace_suffix="（兼）")
    figures: dict = {"rows": rows, "database": connection.vendor}
    reads = [_measure(lambda: openpyxl_read(data)) for _ in range(repeat)]
    figures["openpyxl_read_s"] = min(r[0] for r in reads)
    figures["openpyxl_read_cpu_s"] = min(r[1] for r in reads)

    def batch_of(content: bytes, congress, clerk) -> RosterImport:
        return RosterImport.objects.create(
            owner=clerk,
            congress=congress,
            filename="bench.xlsx",
            content=base64.b64encode(content).decode("ascii"),
        )

    def checked(batch: RosterImport) -> dict:
        return roster_check(batch, read_roster_sheets(_content(batch)), quiet)

    def confirmed(batch: RosterImport) -> RosterImport:
        batch.state = RosterImport.State.IMPORTING  # what roster_import_confirm does
        batch.save(update_fields=["state"])
        return batch

    def _content(batch: RosterImport) -> bytes:
        return base64.b64decode(batch.content)

    def quiet(*_args):
        return None

    runs: dict[str, list] = {"dry_run": [], "confirm": [], "again": [], "update": []}
    for _ in range(repeat):
        with _undone():
            congress, clerk = bench_county()

            batch = batch_of(data, congress, clerk)
            runs["dry_run"].append(_measure(lambda batch=batch: checked(batch)))
            confirmed(batch)
            runs["confirm"].append(_measure(lambda batch=batch: _apply(batch, quiet)))
            again = batch_of(data, congress, clerk)
            checked(again)
            confirmed(again)
            runs["again"].append(_measure(lambda again=again: _apply(again, quiet)))
            update = batch_of(changed, congress, clerk)
            checked(update)
            confirmed(update)
            runs["update"].append(_measure(lambda update=update: _apply(update, quiet)))
    for step, measured in runs.items():
        best = min(measured, key=lambda m: m[0])
        figures[f"{step}_s"] = best[0]
        figures[f"{step}_cpu_s"] = min(m[1] for m in measured)
        figures[f"{step}_queries"] = best[2]
        figures[f"{step}_queries_per_100_rows"] = round(best[2] * 100 / rows, 1)
        figures[f"{step}_writes"] = best[3]
        figures[f"{step}_counts"] = {k: best[4][k] for k in ("new", "update", "unchanged", "error")}
        figures[f"{step}_over_openpyxl"] = round(best[0] / figures["openpyxl_read_s"], 2)
        figures[f"{step}_cpu_over_openpyxl"] = round(
            figures[f"{step}_cpu_s"] / figures["openpyxl_read_cpu_s"], 2
        )
    for key, value in list(figures.items()):
        if key.endswith("_s") and isinstance(value, float):
            figures[key] = round(value, 3)
    return figures
