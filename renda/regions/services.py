"""Writes to the region tree: loading a divisions CSV."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError

from .keys import keyed_models, region_keys_refresh
from .models import Region

COLUMNS = ("code", "name", "level", "parent_code")
LEVELS = {choice.value for choice in Region.Level}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_rows(stream) -> list[dict]:
    reader = csv.DictReader(stream)
    if reader.fieldnames is None or tuple(f.strip() for f in reader.fieldnames) != COLUMNS:
        raise DomainError(_("区划文件的表头应为 code,name,level,parent_code"), field="file")
    rows = []
    seen = set()
    for line, row in enumerate(reader, start=2):
        code, name, level, parent = (row[c].strip() if row[c] else "" for c in COLUMNS)
        if not code.isdigit() or len(code) > 12:
            raise DomainError(
                _("第%(line)d行：区划代码“%(code)s”无效") % {"line": line, "code": code}, field="code"
            )
        if not name:
            raise DomainError(_("第%(line)d行：名称不能为空") % {"line": line}, field="name")
        if level not in LEVELS:
            raise DomainError(
                _("第%(line)d行：层级“%(level)s”无效") % {"line": line, "level": level}, field="level"
            )
        if code in seen:
            raise DomainError(
                _("第%(line)d行：区划代码%(code)s重复") % {"line": line, "code": code}, field="code"
            )
        seen.add(code)
        rows.append({"code": code, "name": name, "level": level, "parent_code": parent, "line": line})
    return rows


def regions_load_csv(*, stream: io.TextIOBase, actor=None) -> LoadResult:
    """Create or update regions from a CSV (code,name,level,parent_code); all or nothing."""
    rows = _read_rows(stream)
    by_code = {row["code"]: row for row in rows}
    existing = {r.code: r for r in Region.objects.all()}
    paths: dict[str, str] = {}

    def path_of(code: str, depth: int = 0) -> str:
        if code in paths:
            return paths[code]
        if depth > 10:
            raise DomainError(_("区划%(code)s的上级关系成环") % {"code": code}, field="parent_code")
        row = by_code.get(code)
        if row is None:
            region = existing.get(code)
            if region is None:
                raise DomainError(_("上级区划%(code)s不存在") % {"code": code}, field="parent_code")
            paths[code] = region.path
            return region.path
        parent = row["parent_code"]
        paths[code] = (path_of(parent, depth + 1) if parent else "") + code + "/"
        return paths[code]

    for row in rows:
        path_of(row["code"])

    result = LoadResult()
    with transaction.atomic():
        to_create, to_update, old_paths = [], [], {}
        for row in rows:
            region = existing.get(row["code"])
            if region is None:
                to_create.append(
                    Region(code=row["code"], name=row["name"], level=row["level"], path=paths[row["code"]])
                )
            elif (region.name, region.level, region.path) != (row["name"], row["level"], paths[row["code"]]):
                old_paths[region.code] = region.path
                region.name, region.level, region.path = row["name"], row["level"], paths[row["code"]]
                to_update.append(region)
            else:
                result.unchanged += 1
        Region.objects.bulk_create(to_create, batch_size=2000)
        Region.objects.bulk_update(to_update, ["name", "level", "path"], batch_size=2000)
        result.created, result.updated = len(to_create), len(to_update)
        # Parents are set in a second pass, once every row has an id.
        ids = dict(Region.objects.values_list("code", "id"))
        relink = []
        for region in Region.objects.filter(code__in=by_code.keys()).only("id", "code", "parent_id"):
            parent_code = by_code[region.code]["parent_code"]
            parent_id = ids.get(parent_code) if parent_code else None
            if region.parent_id != parent_id:
                region.parent_id = parent_id
                relink.append(region)
        Region.objects.bulk_update(relink, ["parent"], batch_size=2000)
        # 区划调整: rows keyed by a region whose path changed take their new county/township codes.
        moved = [region for region in to_update if region.path != old_paths[region.code]]
        if moved:
            for model in keyed_models():
                region_keys_refresh(model, regions=moved)
        audit_record(
            action="regions.load",
            actor=actor,
            detail=f"created={result.created} updated={result.updated} unchanged={result.unchanged}",
        )
    return result
