"""The year's points scheme (renda.points) in plain words for the handbook: what each kind of work
earns or costs, the caps, the base and the grades, as a deputy would read them in a booklet.

Imported only when the points app is installed (selectors.handbook_scheme checks it).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from renda.deputies.models import Mandate
from renda.points.models import Rule, Scheme


def _n(value: Decimal) -> str:
    """12.50 → "12.5", 3.00 → "3": points as a booklet writes them."""
    text = format(Decimal(value).normalize(), "f")
    return text


def _signed(points: Decimal) -> str:
    points = Decimal(points)
    return (_("加%(n)s分") if points >= 0 else _("扣%(n)s分")) % {"n": _n(abs(points))}


def rule_words(rule: Rule) -> str:
    """One rule as a sentence, e.g. "提出建议：每次加3分，每年最多计10次"."""
    unit = rule.get_unit_display()
    if rule.mode == Rule.Mode.PER_UNIT:
        text = _("每%(u)s%(p)s") % {"u": unit, "p": _signed(rule.points)}
    elif rule.mode == Rule.Mode.TARGET:
        text = _("全年达到%(t)s%(u)s得%(p)s分") % {"t": _n(rule.target or 0), "u": unit, "p": _n(rule.points)}
        if rule.above:
            text += _("，每超出1%(u)s%(p)s") % {"u": unit, "p": _signed(rule.above)}
        if rule.below:
            text += _("，每不足1%(u)s%(p)s") % {"u": unit, "p": _signed(rule.below)}
    elif rule.mode == Rule.Mode.ONCE:
        text = _("全年有一次即%(p)s（只计一次）") % {"p": _signed(rule.points)}
    else:
        text = _("每次%(p)s") % {"p": _signed(rule.points)}
    if rule.max_count:
        text += _("，每年最多计%(n)d次") % {"n": rule.max_count}
    if rule.max_points is not None:
        text += _("，每年最多%(n)s分") % {"n": _n(rule.max_points)}
    return f"{rule.name}：{text}"


def band_words(band) -> str:
    """ "好：80分以上（含80分）", "差：不足60分" — the bounds exactly as the scheme stores them."""
    parts = []
    if band.lower is not None:
        parts.append(
            (_("%(n)s分以上（含%(n)s分）") if band.lower_inclusive else _("高于%(n)s分"))
            % {"n": _n(band.lower)}
        )
    if band.upper is not None:
        parts.append(
            (_("不超过%(n)s分") if band.upper_inclusive else _("不足%(n)s分")) % {"n": _n(band.upper)}
        )
    return f"{band.name}：{'、'.join(parts) or _('不限')}"


def scheme_plain_words(*, deputy, year: int) -> list[str] | None:
    """Lines for each published scheme of `year` of a congress the deputy sits in; None when there
    is none (the handbook then leaves the section out). A handful of queries."""
    congress_ids = Mandate.objects.filter(deputy=deputy).values("congress_id")
    schemes = list(
        Scheme.objects.filter(congress_id__in=congress_ids, year=year, state=Scheme.State.PUBLISHED)
        .select_related("congress")
        .prefetch_related("categories__rules", "bands")
    )
    if not schemes:
        return None
    lines: list[str] = []
    numerals = "一二三四五六七八九十"
    for scheme in schemes:
        lines.append(
            _("《%(n)s》（%(c)s，第%(v)d版，%(s)s至%(e)s）")
            % {
                "n": scheme.name,
                "c": scheme.congress.name,
                "v": scheme.version,
                "s": scheme.starts_on,
                "e": scheme.ends_on,
            }
        )
        lines.append(_("基础分：%(m)s") % {"m": scheme.get_base_mode_display()})
        for number, category in enumerate(scheme.categories.all()):
            head = f"{numerals[number] if number < 10 else number + 1}、{category.name}"
            limits = []
            if category.base:
                limits.append(_("基础分%(n)s分") % {"n": _n(category.base)})
            if category.cap is not None:
                limits.append(_("最高%(n)s分") % {"n": _n(category.cap)})
            if category.floor is not None:
                limits.append(_("最低%(n)s分") % {"n": _n(category.floor)})
            lines.append(head + (f"（{'，'.join(limits)}）" if limits else ""))
            lines.extend(f"　　{rule_words(rule)}" for rule in category.rules.all())
        bands = list(scheme.bands.all())
        if bands:
            lines.append(_("等次：") + "；".join(band_words(b) for b in bands))
    return lines
