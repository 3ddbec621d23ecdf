"""Writes of the points app: schemes (draft → published → superseded, versions, copies, the JSON
document), reviewer adjustments and recomputation. The ledger arithmetic is in ledger.py/engine.py.
"""

import datetime
import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_review

from . import ledger
from .models import Band, Category, LedgerEntry, Period, Rule, Scheme

FORMAT = "renda.points.scheme/1"


# --- the JSON document (docs/points-schemes.md) ---------------------------------------------------


def _num(value, where: str, *, allow_none=True) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise DomainError(_("%(w)s：缺少数值") % {"w": where}, field="document")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(w)s：%(v)s 不是数字") % {"w": where, "v": value}, field="document") from None
    if not number.is_finite() or abs(number) >= Decimal("10000000"):
        raise DomainError(_("%(w)s：%(v)s 超出范围") % {"w": where, "v": value}, field="document")
    return number


def _text(value, where: str, *, limit: int, required=True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("%(w)s：不能为空") % {"w": where}, field="document")
    if len(text) > limit:
        raise DomainError(_("%(w)s：不能超过%(n)d字") % {"w": where, "n": limit}, field="document")
    return text


def _choice(value, choices, where: str, default=None) -> str:
    """`value` among `choices` ((code, label) pairs); a refusal lists them in Chinese with their codes."""
    value = default if value in (None, "") else value
    codes = [code for code, _label in choices]
    if value not in codes:
        listed = "、".join(f"{label}（{code}）" for code, label in choices)
        raise DomainError(
            _("%(w)s：%(v)s 不是可选值（%(c)s）") % {"w": where, "v": value, "c": listed},
            field="document",
        )
    return value


def _date(value, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            _("%(w)s：%(v)s 不是日期（YYYY-MM-DD）") % {"w": where, "v": value}, field="document"
        ) from None


SECTIONS = {"categories": _lazy("积分类别"), "rules": _lazy("计分规则"), "bands": _lazy("等次")}
FIELDS = {
    "code": _lazy("代码"), "name": _lazy("名称"), "category": _lazy("类别"), "kinds": _lazy("履职类别"),
    "match": _lazy("属性条件"), "mode": _lazy("计分方式"), "unit": _lazy("计量单位"), "points": _lazy("分值"),
    "target": _lazy("年度目标"), "above": _lazy("超出每单位"), "below": _lazy("不足每单位"),
    "max_count": _lazy("每年最多计次数"), "max_points": _lazy("每年最多计分"), "base": _lazy("基础分"),
    "cap": _lazy("上限"), "floor": _lazy("下限"), "lower": _lazy("下界"), "upper": _lazy("上界"),
    "year": _lazy("年度"), "starts_on": _lazy("起始日期"), "ends_on": _lazy("截止日期"),
    "base_mode": _lazy("基础分方式"), "rhythm": _lazy("公示周期"), "interview_below": _lazy("约谈线"),
}  # fmt: skip
_PATH = re.compile(r"^(?:(categories|rules|bands)\[(\d+)\](?:\.(\w+))?|(\w+))：")


def named_message(message: str, document: dict) -> str:
    """A "path：fault" message with its entry and field named in Chinese (see _named)."""
    return _named(message, document)


def _named(message: str, document: dict) -> str:
    """ "rules[2].category：…" → "第3条计分规则“视察调研”的类别（rules[2].category）：…": the entry by its
    number and name and the field in Chinese, the JSON path kept for those who edit the document."""
    found = _PATH.match(message)
    if found is None:
        return message
    section, index, field, top = found.groups()
    path = found.group(0)[:-1]
    if top is not None:
        label = FIELDS.get(top)
        return f"{label}（{path}）{message[len(path) :]}" if label else message
    entries = document.get(section) if isinstance(document.get(section), list) else []
    n = int(index)
    raw = entries[n] if n < len(entries) and isinstance(entries[n], dict) else {}
    name = str(raw.get("name") or "").strip()[:30]
    label = _("第%(n)d条%(s)s") % {"n": n + 1, "s": SECTIONS[section]}
    if name:
        label += f"“{name}”"
    if field and field in FIELDS:
        label += _("的%(f)s") % {"f": FIELDS[field]}
    return f"{label}（{path}）{message[len(path) :]}"


class SchemeDocumentError(DomainError):
    """Every fault of a scheme document at once: `messages` lists them (each naming its entry and
    field in Chinese), `message` joins them for callers that show one line."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages), field="document")
        self.messages = messages


def parse_document(document: dict, *, year: int | None = None) -> dict:
    """Check a scheme document and return its cleaned parts. SchemeDocumentError lists every bad entry
    by its number, name and field in Chinese, with its JSON path ("第3条计分规则“视察调研”的类别
    （rules[2].category）：类别 study 不存在"). Shape: docs/points-schemes.md. `year` moves the dates."""
    errors: list[str] = []
    try:
        parts = _parse_document(document, errors, year=year)
    except DomainError as exc:  # the document's shape itself is wrong: nothing more can be read
        errors.append(exc.message)
        parts = None
    if errors:
        named = [_named(m, document) for m in errors] if isinstance(document, dict) else errors
        raise SchemeDocumentError(list(dict.fromkeys(named)))
    return parts


def _collect(errors: list[str], check, *args, **kwargs):
    """`check(*args, **kwargs)`, or None with its refusal noted: one bad field does not hide the next."""
    try:
        return check(*args, **kwargs)
    except DomainError as exc:
        errors.append(exc.message)
        return None


def _not_negative(errors: list[str], value: Decimal | None, where: str) -> None:
    if value is not None and value < 0:
        errors.append(_("%(w)s：不能为负数") % {"w": where})


def _rows(document: dict, key: str, errors: list[str]) -> list[dict]:
    rows = document.get(key) or []
    if not isinstance(rows, list):
        errors.append(_("%(k)s：应为列表") % {"k": key})
        return []
    good = []
    for i, raw in enumerate(rows):
        if isinstance(raw, dict):
            good.append((i, raw))
        else:
            errors.append(_("%(k)s[%(i)d]：应为对象") % {"k": key, "i": i})
    return good


def _parse_document(document: dict, errors: list[str], *, year: int | None = None) -> dict:
    """The checks, each fault appended to `errors` (a JSON path, "：", the fault) and the next field
    checked; DomainError only when the document is not a scheme document at all."""
    if not isinstance(document, dict):
        raise DomainError(_("积分办法文件应为 JSON 对象"), field="document")
    if document.get("format") != FORMAT:
        raise DomainError(_("format 应为 %(f)s") % {"f": FORMAT}, field="document")
    doc_year = _collect(errors, _num, document.get("year"), "year", allow_none=False)
    doc_year = int(doc_year) if doc_year is not None else (year or 2000)
    target = year or doc_year
    starts = _collect(errors, _date, document.get("starts_on") or f"{doc_year}-01-01", "starts_on")
    ends = _collect(errors, _date, document.get("ends_on") or f"{doc_year}-12-31", "ends_on")
    if not (1900 < target < 2101):
        errors.append(_("year：年度不正确"))
    elif starts is not None and ends is not None:
        try:
            starts, ends = (
                starts.replace(year=starts.year + target - doc_year),
                ends.replace(year=ends.year + target - doc_year),
            )
        except ValueError:  # 29 February
            starts = starts.replace(day=28, year=starts.year + target - doc_year)
            ends = ends.replace(day=28, year=ends.year + target - doc_year)
        if ends < starts:
            errors.append(_("ends_on：截止日期早于起始日期"))
    interview_below = _collect(errors, _num, document.get("interview_below"), "interview_below")
    # 约谈线 is a score a year's total falls below: a threshold under zero would never be reached.
    _not_negative(errors, interview_below, "interview_below")
    scheme = {
        "name": _collect(errors, _text, document.get("name"), "name", limit=100),
        "year": target,
        "starts_on": starts,
        "ends_on": ends,
        "text": str(document.get("text") or ""),
        "base_mode": _collect(
            errors, _choice, document.get("base_mode"), Scheme.BaseMode.choices, "base_mode", "full"
        ),
        "rhythm": _collect(errors, _choice, document.get("rhythm"), Period.choices, "rhythm", "year"),
        "interview_below": interview_below,
    }
    categories, codes = [], set()
    for i, raw in _rows(document, "categories", errors):
        where = f"categories[{i}]"
        code = _collect(errors, _text, raw.get("code"), f"{where}.code", limit=30)
        if code in codes:
            errors.append(_("%(w)s.code：代码 %(c)s 重复") % {"w": where, "c": code})
        codes.add(code)
        base = _collect(errors, _num, raw.get("base"), f"{where}.base")
        cap = _collect(errors, _num, raw.get("cap"), f"{where}.cap")
        floor = _collect(errors, _num, raw.get("floor"), f"{where}.floor")
        # Base and cap are scores a deputy holds: never below zero. A floor may be (a category of
        # deductions only: base 0, cap 0, floor −20 takes at most 20 points off the total).
        _not_negative(errors, base, f"{where}.base")
        _not_negative(errors, cap, f"{where}.cap")
        if cap is not None and floor is not None and cap < floor:
            errors.append(_("%(w)s：上限低于下限") % {"w": where})
        if base is not None and cap is not None and base > cap:
            errors.append(_("%(w)s.base：基础分高于上限") % {"w": where})
        categories.append(
            {
                "code": code,
                "name": _collect(errors, _text, raw.get("name"), f"{where}.name", limit=50),
                "order": i,
                "base": base or Decimal("0"),
                "cap": cap,
                "floor": floor,
            }
        )
    if not categories and not any(m.startswith("categories") for m in errors):
        errors.append(_("categories：至少需要一个积分类别"))
    rules, rule_codes = [], set()
    for i, raw in _rows(document, "rules", errors):
        where = f"rules[{i}]"
        code = _collect(errors, _text, raw.get("code"), f"{where}.code", limit=40)
        if code is not None and code in rule_codes:
            errors.append(_("%(w)s.code：代码 %(c)s 重复") % {"w": where, "c": code})
        rule_codes.add(code)
        category = _collect(errors, _text, raw.get("category"), f"{where}.category", limit=30)
        if category is not None and category not in codes:
            errors.append(_("%(w)s.category：类别 %(c)s 不存在") % {"w": where, "c": category})
        kinds = raw.get("kinds") or []
        if not isinstance(kinds, list) or not kinds:
            errors.append(_("%(w)s.kinds：请列出至少一种履职类别") % {"w": where})
            kinds = []
        for kind in kinds:
            if kind not in DutyRecord.Kind.values:
                errors.append(_("%(w)s.kinds：履职类别 %(k)s 不存在") % {"w": where, "k": kind})
        match = raw.get("match") or {}
        if not isinstance(match, dict):
            errors.append(_("%(w)s.match：应为对象") % {"w": where})
            match = {}
        mode = _collect(errors, _choice, raw.get("mode"), Rule.Mode.choices, f"{where}.mode", "per_record")
        target_units = _collect(errors, _num, raw.get("target"), f"{where}.target")
        if mode == Rule.Mode.TARGET and target_units is None and f"{where}.target" not in str(errors):
            errors.append(_("%(w)s.target：年度目标方式须填写目标") % {"w": where})
        if target_units is not None and target_units <= 0:
            errors.append(_("%(w)s.target：年度目标须大于0") % {"w": where})
        max_count = raw.get("max_count")
        if max_count not in (None, ""):
            max_count = _collect(errors, _num, max_count, f"{where}.max_count")
            if max_count is not None and max_count != max_count.to_integral_value():
                errors.append(_("%(w)s.max_count：应为整数") % {"w": where})
            _not_negative(errors, max_count, f"{where}.max_count")
            max_count = int(max_count) if max_count is not None else None
        else:
            max_count = None
        max_points = _collect(errors, _num, raw.get("max_points"), f"{where}.max_points")
        # A magnitude: it caps a deduction as well as an addition.
        _not_negative(errors, max_points, f"{where}.max_points")
        above = _collect(errors, _num, raw.get("above"), f"{where}.above")
        below = _collect(errors, _num, raw.get("below"), f"{where}.below")
        # Above the target earns more, short of it costs: a rule that did the opposite is a typo.
        _not_negative(errors, above, f"{where}.above")
        if below is not None and below > 0:
            errors.append(_("%(w)s.below：不足每单位应为0或负数（扣分）") % {"w": where})
        rules.append(
            {
                "code": code,
                "name": _collect(errors, _text, raw.get("name"), f"{where}.name", limit=100),
                "order": i,
                "category": category,
                "kinds": kinds,
                "match": match,
                "mode": mode,
                "unit": _collect(
                    errors, _choice, raw.get("unit"), Rule.Unit.choices, f"{where}.unit", "record"
                ),
                # Points may be negative: a deduction (−1 per half day of leave).
                "points": _collect(errors, _num, raw.get("points"), f"{where}.points") or Decimal("0"),
                "target": target_units,
                "above": above or Decimal("0"),
                "below": below or Decimal("0"),
                "max_count": max_count,
                "max_points": max_points,
            }
        )
    bands = []
    for i, raw in _rows(document, "bands", errors):
        where = f"bands[{i}]"
        lower = _collect(errors, _num, raw.get("lower"), f"{where}.lower")
        upper = _collect(errors, _num, raw.get("upper"), f"{where}.upper")
        # Bounds may be negative (a total can fall below zero where a category's floor does).
        if lower is not None and upper is not None and lower > upper:
            errors.append(_("%(w)s：下界高于上界") % {"w": where})
        bands.append(
            {
                "name": _collect(errors, _text, raw.get("name"), f"{where}.name", limit=20),
                "order": i,
                "lower": lower,
                "lower_inclusive": bool(raw.get("lower_inclusive", True)),
                "upper": upper,
                "upper_inclusive": bool(raw.get("upper_inclusive", False)),
            }
        )
    return {"scheme": scheme, "categories": categories, "rules": rules, "bands": bands}


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def scheme_export(scheme: Scheme) -> dict:
    """The scheme as its JSON document (docs/points-schemes.md)."""
    return {
        "format": FORMAT,
        "name": scheme.name,
        "year": scheme.year,
        "starts_on": scheme.starts_on.isoformat(),
        "ends_on": scheme.ends_on.isoformat(),
        "text": scheme.text,
        "base_mode": scheme.base_mode,
        "rhythm": scheme.rhythm,
        "interview_below": _plain(scheme.interview_below),
        "version": scheme.version,
        "categories": [
            {k: _plain(getattr(c, k)) for k in ("code", "name", "base", "cap", "floor")}
            for c in scheme.categories.all()
        ],
        "rules": [
            {
                "code": r.code,
                "name": r.name,
                "category": r.category.code,
                "kinds": r.kinds,
                "match": r.match,
                "mode": r.mode,
                "unit": r.unit,
                **{
                    k: _plain(getattr(r, k))
                    for k in ("points", "target", "above", "below", "max_count", "max_points")
                },
            }
            for r in scheme.rules.select_related("category")
        ],
        "bands": [
            {
                k: _plain(getattr(b, k))
                for k in ("name", "lower", "lower_inclusive", "upper", "upper_inclusive")
            }
            for b in scheme.bands.all()
        ],
    }


def _write_content(scheme: Scheme, parts: dict) -> None:
    scheme.categories.all().delete()  # drafts only: rules and bands go with them
    scheme.bands.all().delete()
    by_code = {}
    for data in parts["categories"]:
        by_code[data["code"]] = Category.objects.create(scheme=scheme, **data)
    Rule.objects.bulk_create(
        [Rule(scheme=scheme, **{**data, "category": by_code[data["category"]]}) for data in parts["rules"]]
    )
    Band.objects.bulk_create([Band(scheme=scheme, **data) for data in parts["bands"]])


def scheme_import(
    *, actor, congress, document: dict, year: int | None = None, lineage=None, version=1
) -> Scheme:
    """A new draft scheme for `congress` from a JSON document (optionally moved to `year`)."""
    parts = parse_document(document, year=year)
    with transaction.atomic():
        scheme = Scheme(congress=congress, **parts["scheme"], version=version)
        if lineage is not None:
            scheme.lineage = lineage
        scheme.save()
        _write_content(scheme, parts)
        audit_record(
            action="points.scheme.create",
            actor=actor,
            obj=scheme,
            changes={"name": scheme.name, "version": version},
        )
    return scheme


def scheme_update(*, actor, scheme: Scheme, document: dict) -> Scheme:
    """Replace a draft's settings and content with a document. A published scheme is never edited:
    InvalidTransition (make a new version)."""
    parts = parse_document(document)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if not scheme.is_draft:
            raise InvalidTransition(_("已发布的积分办法不能修改，请创建新版本"))
        for key, value in parts["scheme"].items():
            setattr(scheme, key, value)
        scheme.save()
        _write_content(scheme, parts)
        audit_record(action="points.scheme.update", actor=actor, obj=scheme, changes={"name": scheme.name})
    return scheme


def scheme_new_version(*, actor, scheme: Scheme) -> Scheme:
    """A draft copy of a published scheme with the next version number of its lineage."""
    if scheme.is_draft:
        raise InvalidTransition(_("草稿可直接修改，无需新建版本"))
    if Scheme.objects.filter(lineage=scheme.lineage, state=Scheme.State.DRAFT).exists():
        raise InvalidTransition(_("该积分办法已有未发布的新版本草稿"))
    last = (
        Scheme.objects.filter(lineage=scheme.lineage)
        .order_by("-version")
        .values_list("version", flat=True)[0]
    )
    return scheme_import(
        actor=actor,
        congress=scheme.congress,
        document=scheme_export(scheme),
        lineage=scheme.lineage,
        version=last + 1,
    )


def scheme_copy(*, actor, scheme: Scheme, year: int, congress=None) -> Scheme:
    """Start next year's scheme from this one: a new draft (new lineage) with dates moved to `year`."""
    return scheme_import(
        actor=actor, congress=congress or scheme.congress, document=scheme_export(scheme), year=year
    )


def scheme_publish(*, actor, scheme: Scheme) -> Scheme:
    """Publish a draft: the earlier published version of its lineage is superseded, and the year is
    computed with the new version (inline for a small congress, else as a background job).
    Refuses (InvalidTransition) a non-draft or a second lineage for the same congress and year."""
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if not scheme.is_draft:
            raise InvalidTransition(_("只有草稿可以发布"))
        if not scheme.categories.exists():
            raise DomainError(_("积分办法至少需要一个积分类别"), field="categories")
        current = Scheme.objects.filter(
            congress=scheme.congress, year=scheme.year, state=Scheme.State.PUBLISHED
        ).first()
        if current is not None and current.lineage != scheme.lineage:
            raise InvalidTransition(
                _("%(c)s%(y)d年度已发布积分办法《%(n)s》，请在其基础上新建版本")
                % {"c": scheme.congress.name, "y": scheme.year, "n": current.name}
            )
        if current is not None:
            current.state = Scheme.State.SUPERSEDED
            current.save(update_fields=["state", "updated_at"])
            _carry_adjustments(source=current, target=scheme)
        scheme.state = Scheme.State.PUBLISHED
        scheme.published_at, scheme.published_by = timezone.now(), ledger._actor(actor)
        scheme.save(update_fields=["state", "published_at", "published_by", "updated_at"])
        audit_record(
            action="points.scheme.publish", actor=actor, obj=scheme, changes={"version": scheme.version}
        )
        points_recompute(
            actor=actor, scheme=scheme, reason=_("发布积分办法第%(v)d版") % {"v": scheme.version}
        )
    return scheme


def _carry_adjustments(*, source: Scheme, target: Scheme) -> None:
    """A new version keeps the reviewers' adjustments of the one it supersedes (they are decisions
    about a deputy's record, not results of the rules), each in the category of the same code and
    with the same key. DomainError when the new version dropped a category that holds some."""
    lines = list(
        LedgerEntry.objects.filter(scheme=source, kind=LedgerEntry.Kind.ADJUSTMENT).select_related("category")
    )
    if not lines:
        return
    categories = {c.code: c for c in target.categories.all()}
    missing = sorted({line.category.name for line in lines if line.category.code not in categories})
    if missing:
        raise DomainError(
            _("新版本缺少类别“%(c)s”，原版本在该类别有审核调整，请保留该类别") % {"c": "、".join(missing)},
            field="categories",
        )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                scheme=target, deputy_id=line.deputy_id, kind=line.kind, record_id=line.record_id,
                category=categories[line.category.code], occurred_on=line.occurred_on, units=line.units,
                points=line.points, reason=line.reason, key=line.key, actor_id=line.actor_id,
            )
            for line in lines
        ]
    )  # fmt: skip


def points_recompute(*, actor, scheme: Scheme, reason: str = "", background: bool | None = None):
    """Recompute the scheme's year: inline for up to RENDA_POINTS_INLINE_DEPUTIES members (or when
    no user asks), else a background job with progress (returned). Idempotent: a second run appends
    nothing."""
    from django.conf import settings

    if scheme.state != Scheme.State.PUBLISHED:
        raise InvalidTransition(_("只有已发布的积分办法才能计算积分"))
    if not getattr(actor, "is_authenticated", False):
        background = False  # the system itself (a command, the demo): no one to own a job
    if background is None:
        limit = getattr(settings, "RENDA_POINTS_INLINE_DEPUTIES", 500)
        background = len(ledger.mandate_spans(scheme)) > limit
    if background:
        from .tasks import points_recompute_start

        return points_recompute_start(actor=actor, scheme=scheme)
    with transaction.atomic():
        ledger.sync_scheme(scheme=scheme, actor=actor, reason=reason or _("重新计算"))
        audit_record(action="points.recompute", actor=actor, obj=scheme, detail=reason)
    return None


def points_adjust(
    *, actor, scheme: Scheme, deputy, category: Category, points, reason: str, record=None, key: str = ""
) -> LedgerEntry:
    """A reviewer's adjustment (±points in a category, with a reason), a ledger line of its own.

    Idempotent: the same adjustment (deputy, record, category, points, reason — or the caller's
    `key`) twice writes one line. Raises DomainError for an empty reason, zero points, a category of
    another scheme, an unpublished scheme, or a record of another deputy."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写调整原因"), field="reason")
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise DomainError(_("调整分值不是数字"), field="points") from None
    if points == 0 or abs(points) >= 10000:
        raise DomainError(_("调整分值应为非零且小于10000的数"), field="points")
    if category.scheme_id != scheme.pk:
        raise DomainError(_("类别不属于该积分办法"), field="category")
    if scheme.state != Scheme.State.PUBLISHED:
        raise InvalidTransition(_("只能调整已发布积分办法的积分"))
    if record is not None and record.deputy_id != deputy.pk:
        raise DomainError(_("该履职记录不属于这位代表"), field="record")
    key = (
        key
        or hashlib.sha256(
            f"{deputy.pk}|{record.pk if record else ''}|{category.pk}|{points}|{reason}".encode()
        ).hexdigest()[:64]
    )
    existing = LedgerEntry.objects.filter(scheme=scheme, key=key).first()
    if existing is not None:
        return existing
    on = record.occurred_on if record is not None else min(timezone.localdate(), scheme.ends_on)
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                scheme=scheme,
                deputy=deputy,
                kind=LedgerEntry.Kind.ADJUSTMENT,
                record=record,
                category=category,
                occurred_on=max(on, scheme.starts_on),
                points=points,
                reason=reason[:200],
                key=key,
                actor=ledger._actor(actor),
            )
            ledger.refresh_standings(scheme=scheme, deputy_ids={deputy.pk})
            audit_record(
                action="points.adjust", actor=actor, obj=entry, changes={"points": str(points)}, detail=reason
            )
    except IntegrityError:  # the same key committed by a concurrent request
        return LedgerEntry.objects.get(scheme=scheme, key=key)
    return entry


def declaration_review(
    *,
    actor,
    record: DutyRecord,
    decision: str,
    note: str = "",
    category: Category | None = None,
    points=None,
) -> DutyRecord:
    """Staff review of a declared record (申报审核): `approve`, `reject` (with a note), or `adjust` —
    approve (if still pending) and add `points` (±) in `category` of a published scheme that counts
    the record, as an adjustment line whose reason is the note. One transaction: a refused
    adjustment leaves the declaration pending. DomainError names the field at fault."""
    if decision not in ("approve", "reject", "adjust"):
        raise DomainError(_("审核结论应为通过、退回或调整分值"), field="decision")
    if decision == "adjust" and record.review_state == DutyRecord.Review.REJECTED:
        raise InvalidTransition(_("已退回的申报不计分，不能调整分值"))
    with transaction.atomic():
        if decision != "adjust" or record.review_state == DutyRecord.Review.PENDING:
            record = duty_record_review(record=record, approve=decision != "reject", note=note, actor=actor)
        if decision == "adjust":
            if category is None:
                raise DomainError(_("请选择调整分值的积分类别"), field="category")
            scheme = category.scheme
            if scheme.pk not in {s.pk for s in ledger.schemes_for_record(record)}:
                raise DomainError(
                    _("积分办法《%(n)s》不计这条记录（代表不在该届或日期不在办法期间）") % {"n": scheme.name},
                    field="category",
                )
            points_adjust(
                actor=actor, scheme=scheme, deputy=record.deputy, category=category,
                points=points if points is not None else 0, reason=note, record=record,
            )  # fmt: skip
    return record
