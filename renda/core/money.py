"""Money as offices show it — one rounding rule everywhere (pages, exports, documents): 四舍五入, half up.

Python's Decimal rounds half to even by default, both in `quantize()` and in format specs such as
f"{amount:,.2f}", so 558,650 元 would show as 55.86万元 while the statistics office's figure is 55.87.
Every place that shows an amount calls these helpers instead of formatting it itself.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_half_up(value, places: str = "0.01") -> Decimal:
    return to_decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def yuan_text(value) -> str:
    """1,234.50 — to the cent, half up, with thousands separators (no unit)."""
    return f"{round_half_up(value):,f}"


def wan_text(value) -> str:
    """55.87 — ten-thousands of yuan to two places, half up, trailing zeros of a whole number dropped."""
    wan = round_half_up(to_decimal(value) / 10000)
    return f"{wan.normalize():f}" if wan == wan.to_integral() else f"{wan:f}"


def money_display(value) -> str:
    """1,234.50元 below ten thousand, 55.87万元 from there on; '' for no value."""
    if value in (None, ""):
        return ""
    amount = to_decimal(value)
    if abs(amount) >= 10000:
        return f"{wan_text(amount)}万元"
    return f"{yuan_text(amount)}元"
