"""The arithmetic of a points scheme, free of database writes: which records a rule matches, how
many units a record is worth, and how open ledger lines become yearly totals, grades and periods.

Everything here is deterministic: the same rules and the same lines give the same totals whatever
order the lines were written in (caps take the earliest records first, by date then record id).
Source of the shapes: 《大方县人大代表履职积分管理办法》 (2024) and the other published schemes
quoted in issue 10 (+3 per suggestion; a base of 60 plus additions; a 100-point scale with bands).
"""

import bisect
import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import PERIOD_COUNT, Band, Category, Period, Rule, Scheme

ZERO = Decimal("0")
CENT = Decimal("0.01")


def q(value) -> Decimal:
    """Round to hundredths of a point, half up (as the offices round by hand)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """An open ledger line as the arithmetic needs it (kind: award, base or adjustment)."""

    kind: str
    category_id: int
    occurred_on: datetime.date
    points: Decimal
    units: Decimal = ZERO
    rule_id: int | None = None
    record_id: int | None = None


@dataclass
class Compiled:
    """A scheme loaded once: its categories, rules and bands, in order."""

    scheme: Scheme
    categories: list[Category]
    rules: list[Rule]
    bands: list[Band]
    rules_by_kind: dict[str, list[Rule]] = field(default_factory=dict)

    @classmethod
    def load(cls, scheme: Scheme) -> "Compiled":
        rules = list(scheme.rules.all())
        by_kind: dict[str, list[Rule]] = {}
        for rule in rules:
            for kind in rule.kinds:
                by_kind.setdefault(kind, []).append(rule)
        return cls(scheme, list(scheme.categories.all()), rules, list(scheme.bands.all()), by_kind)


# --- matching ---------------------------------------------------------------------------------

_UNIT_WORDS = {
    Rule.Unit.HOUR: {"小时", "学时", "hour", "hours"},
    Rule.Unit.DAY: {"天", "日", "day", "days"},
    Rule.Unit.HALF_DAY: {"半天", "half_day"},
}
_ATTRIBUTE = {Rule.Unit.HOUR: "hours", Rule.Unit.DAY: "days", Rule.Unit.HALF_DAY: "half_days"}


def record_units(rule: Rule, *, quantity: Decimal, unit: str, attributes: dict) -> Decimal | None:
    """The record's measure in the rule's unit, or None when the record does not say.

    Record-counting rules count 1. Otherwise the record's attributes (`hours`, `days`, `half_days`)
    are read first, then its quantity when its unit word is the rule's (小时/学时, 天/日, 半天);
    days and half days convert into each other (1 day = 2 half days).
    """
    if rule.unit == Rule.Unit.RECORD:
        return Decimal("1")
    value = attributes.get(_ATTRIBUTE[rule.unit])
    if value is None and unit in _UNIT_WORDS[rule.unit]:
        value = quantity
    if value is None and rule.unit == Rule.Unit.HALF_DAY:
        days = attributes.get("days", quantity if unit in _UNIT_WORDS[Rule.Unit.DAY] else None)
        value = None if days is None else Decimal(str(days)) * 2
    if value is None and rule.unit == Rule.Unit.DAY:
        halves = attributes.get("half_days", quantity if unit in _UNIT_WORDS[Rule.Unit.HALF_DAY] else None)
        value = None if halves is None else Decimal(str(halves)) / 2
    if value is None:
        return None
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        return None
    return value if value > 0 else None


def attributes_match(match: dict, attributes: dict) -> bool:
    """Every condition holds: {key: value} equals, {key: [values]} is one of them (compared as text,
    so 7 and "7" agree, and true matches the JSON true)."""
    for key, wanted in (match or {}).items():
        have = attributes.get(key)
        options = wanted if isinstance(wanted, list) else [wanted]
        if str(have).lower() not in {str(option).lower() for option in options}:
            return False
    return True


def record_lines(
    compiled: Compiled, *, record_id: int, kind: str, occurred_on, quantity, unit: str, attributes: dict
) -> list[tuple[Rule, Decimal, Decimal]]:
    """(rule, units, raw points) for each rule of the scheme the record matches.

    Per-record and per-unit rules price the record (points × units); target and once rules price
    the year, so their lines carry units and zero points.
    """
    scheme = compiled.scheme
    if not (scheme.starts_on <= occurred_on <= scheme.ends_on):
        return []
    out = []
    for rule in compiled.rules_by_kind.get(kind, ()):
        if not attributes_match(rule.match, attributes or {}):
            continue
        units = record_units(rule, quantity=Decimal(str(quantity)), unit=unit, attributes=attributes or {})
        if units is None:
            continue
        priced = rule.mode in (Rule.Mode.PER_RECORD, Rule.Mode.PER_UNIT)
        out.append((rule, units, q(rule.points * units) if priced else ZERO))
    return out


# --- base -------------------------------------------------------------------------------------


def served_fraction(
    scheme: Scheme, spans: list[tuple[datetime.date | None, datetime.date | None]]
) -> Decimal:
    """Share of the scheme's days the deputy served (mandate spans, None = open), 0..1."""
    days = (scheme.ends_on - scheme.starts_on).days + 1
    covered: set[int] = set()
    for start, end in spans:
        lo = max(start or scheme.starts_on, scheme.starts_on)
        hi = min(end or scheme.ends_on, scheme.ends_on)
        if hi >= lo:
            covered.update(range((lo - scheme.starts_on).days, (hi - scheme.starts_on).days + 1))
    return Decimal(len(covered)) / Decimal(days)


def base_lines(compiled: Compiled, spans) -> list[tuple[Category, Decimal, datetime.date]]:
    """(category, points, date) of the base each category gives a deputy with these mandate spans.

    full: the whole base to anyone serving on any day of the scheme; pro_rata: base × days served /
    days of the scheme, to hundredths; none: nothing."""
    scheme = compiled.scheme
    if scheme.base_mode == Scheme.BaseMode.NONE:
        return []
    fraction = served_fraction(scheme, spans)
    if fraction == 0:
        return []
    if scheme.base_mode == Scheme.BaseMode.FULL:
        fraction = Decimal("1")
    starts = [
        max(s or scheme.starts_on, scheme.starts_on)
        for s, e in spans
        if (e or scheme.ends_on) >= scheme.starts_on
    ]
    on = min(starts) if starts else scheme.starts_on
    return [(c, q(c.base * fraction), on) for c in compiled.categories if c.base]


# --- totals -----------------------------------------------------------------------------------


def _capped(rule: Rule, lines: list[Line], *, closing: bool, ordered: bool = False) -> Decimal:
    if not ordered:
        lines = sorted(lines, key=_line_order)
    if rule.max_count is not None:
        lines = lines[: rule.max_count]
    if rule.mode == Rule.Mode.TARGET:
        units = sum((line.units for line in lines), ZERO)
        target = rule.target or ZERO
        if units >= target:
            value = rule.points + (units - target) * rule.above
        else:
            # A shortfall is only known when the year closes: year-to-date periods do not charge it.
            value = (target - units) * rule.below if closing else ZERO
    elif rule.mode == Rule.Mode.ONCE:
        value = rule.points if lines else ZERO
    else:
        value = sum((line.points for line in lines), ZERO)
    if rule.max_points is not None and abs(value) > rule.max_points:
        value = rule.max_points if value > 0 else -rule.max_points
    return q(value)


def _line_order(line: Line):
    return (line.occurred_on, line.record_id or 0)


def _bounded(compiled: Compiled, sums: dict[int, Decimal]) -> dict[str, Decimal]:
    out = {}
    for category in compiled.categories:
        value = sums.get(category.pk, ZERO)
        if category.cap is not None:
            value = min(value, category.cap)
        if category.floor is not None:
            value = max(value, category.floor)
        out[category.code] = q(value)
    return out


def totals(compiled: Compiled, lines, *, until: datetime.date | None = None) -> dict[str, Decimal]:
    """{category code: total} from open ledger lines up to `until` (inclusive; None: all).

    Per rule: earliest `max_count` lines, then the rule's mode, then `max_points`; per category: base
    + rules + adjustments, then clamped to [floor, cap]."""
    scheme = compiled.scheme
    until = until or scheme.ends_on
    closing = until >= scheme.ends_on
    per_rule: dict[int, list[Line]] = {}
    flat: dict[int, Decimal] = {}
    for line in lines:
        if line.occurred_on > until:
            continue
        if line.kind == "award":
            per_rule.setdefault(line.rule_id, []).append(line)
        else:
            flat[line.category_id] = flat.get(line.category_id, ZERO) + line.points
    sums = dict(flat)
    for rule in compiled.rules:
        value = _capped(rule, per_rule.get(rule.pk, []), closing=closing)
        if value:
            sums[rule.category_id] = sums.get(rule.category_id, ZERO) + value
    return _bounded(compiled, sums)


class _Running:
    """A deputy's lines sorted once (by date, then record), so that the totals at each period end
    take a prefix instead of filtering and sorting again: the same arithmetic as `totals`."""

    def __init__(self, compiled: Compiled, lines):
        self.compiled = compiled
        ordered = sorted(lines, key=_line_order)
        self.awards: dict[int, list[Line]] = {}
        self.flat = [line for line in ordered if line.kind != "award"]
        for line in ordered:
            if line.kind == "award":
                self.awards.setdefault(line.rule_id, []).append(line)
        self.award_days = {rule_id: [x.occurred_on for x in group] for rule_id, group in self.awards.items()}
        self.flat_days = [line.occurred_on for line in self.flat]

    def at(self, until: datetime.date) -> dict[str, Decimal]:
        compiled = self.compiled
        closing = until >= compiled.scheme.ends_on
        sums: dict[int, Decimal] = {}
        for line in self.flat[: bisect.bisect_right(self.flat_days, until)]:
            sums[line.category_id] = sums.get(line.category_id, ZERO) + line.points
        for rule in compiled.rules:
            group = self.awards.get(rule.pk)
            if group:
                group = group[: bisect.bisect_right(self.award_days[rule.pk], until)]
            elif rule.mode != Rule.Mode.TARGET:
                continue  # no line: per-record, per-unit and once rules give exactly 0
            value = _capped(rule, group or [], closing=closing, ordered=True)
            if value:
                sums[rule.category_id] = sums.get(rule.category_id, ZERO) + value
        return _bounded(compiled, sums)


def grade(compiled: Compiled, total: Decimal) -> str:
    """The first band (in order) that holds the total; "" when the scheme has no bands or none holds."""
    for band in compiled.bands:
        if band.holds(total):
            return band.name
    return ""


def period_end(year: int, period: str, index: int) -> datetime.date:
    """Last day of the index-th month/quarter/half/year of `year` (index from 1)."""
    months = 12 // PERIOD_COUNT[period]
    month = index * months
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_start(year: int, period: str, index: int) -> datetime.date:
    months = 12 // PERIOD_COUNT[period]
    return datetime.date(year, (index - 1) * months + 1, 1)


def all_periods():
    for period in (Period.MONTH, Period.QUARTER, Period.HALF, Period.YEAR):
        for index in range(1, PERIOD_COUNT[period] + 1):
            yield period, index


def standings_for(compiled: Compiled, lines: list[Line]) -> list[dict]:
    """One row per period of the scheme's year: {period, index, total, period_points, by_category,
    grade}; `total` is year to date at the period's end, `period_points` its change over the period
    before (the first period counts from zero)."""
    year = compiled.scheme.year
    cache: dict[datetime.date, dict[str, Decimal]] = {}
    running = _Running(compiled, lines)

    def at(day):
        if day not in cache:
            cache[day] = running.at(day)
        return cache[day]

    rows = []
    for period, index in all_periods():
        end = min(period_end(year, period, index), compiled.scheme.ends_on)
        by_category = at(end)
        total = q(sum(by_category.values(), ZERO))
        if index == 1:
            before = ZERO
        else:
            previous_end = min(period_end(year, period, index - 1), compiled.scheme.ends_on)
            before = q(sum(at(previous_end).values(), ZERO))
        rows.append(
            {
                "period": period,
                "index": index,
                "total": total,
                "period_points": q(total - before),
                "by_category": {code: str(value) for code, value in by_category.items()},
                "grade": grade(compiled, total),
            }
        )
    return rows
