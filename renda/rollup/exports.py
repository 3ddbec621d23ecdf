"""The roll-up as .xlsx: one row per region below, then the total; the same figures as the page."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from renda.core.spreadsheets import safe_row
from renda.deputies.models import Level, Mandate
from renda.network.models import Station
from renda.suggestions import stats as suggestion_stats

from .selectors import DEPUTY_LEVELS, POINT_BAND_LABELS


def columns(grades: list[str] = ()) -> list[tuple[str, str]]:
    """(header, path into a figures row): the dotted paths read nested dicts. `grades`: the points
    grades found (result["grade_order"]), one column each."""
    levels = dict(Level.choices)
    cols = [(_("在任代表合计"), "deputies_total")]
    cols += [(_("%(l)s代表") % {"l": levels[level]}, f"deputies.{level}") for level in DEPUTY_LEVELS]
    cols += [
        (_("代表资格：%(s)s") % {"s": label}, f"statuses.{value}") for value, label in Mandate.Status.choices
    ]
    cols += [(_("站点合计"), "stations_total")]
    cols += [(str(label), f"stations.{value}") for value, label in Station.Kind.choices]
    for name in (
        "received",
        "accepted",
        "handed_over",
        "answered_on_time",
        "overdue",
        "closed",
        "closing_rate",
        "satisfaction_strict",
        "satisfaction_common",
    ):
        cols.append((str(suggestion_stats.LABELS[name]), name))
    cols += [
        (_("群众意见"), "opinions"),
        (_("群众意见（办理中）"), "opinions_open"),
        (_("代表活动"), "activities"),
    ]
    cols += [(_("积分公示人数"), "graded")]
    cols += [(_("等次：%(g)s") % {"g": grade or _("未评等次")}, f"grades.{grade}") for grade in grades]
    cols += [
        (_("积分段：%(b)s") % {"b": label}, f"points_bands.{key}") for key, label in POINT_BAND_LABELS.items()
    ]
    return cols


def value(figures: dict, path: str):
    head, _sep, tail = path.partition(".")
    found = figures.get(head)
    return found.get(tail, 0) if _sep else found


def rollup_xlsx(result: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = result["region"].name[:31]
    cols = columns(result.get("grade_order", []))
    sheet.append([_("区划"), _("区划代码"), *[header for header, _path in cols]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in result["rows"]:
        region = row["region"]
        name = region.name if region else _("本级")
        code = region.code if region else result["region"].code
        sheet.append(safe_row([name, code, *[value(row, path) for _header, path in cols]], sheet))
    sheet.append(
        safe_row([_("合计"), result["region"].code, *[value(result["total"], p) for _h, p in cols]], sheet)
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
