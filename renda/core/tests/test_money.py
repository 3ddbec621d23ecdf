"""One rounding rule for money shown anywhere (renda/core/money.py): 四舍五入 (half up), not half to even."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from renda.core.money import money_display, round_half_up, wan_text, yuan_text
from renda.core.templatetags.renda import yuan

cents = st.integers(min_value=-(10**12), max_value=10**12)


def _half_up(numerator: int, denominator: int) -> int:
    """Integer reference: numerator / denominator rounded half away from zero."""
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    return sign * (quotient + (1 if 2 * remainder >= denominator else 0))


@given(cents)
def test_wan_rounds_half_up_like_the_statistics_office(amount_in_cents):
    amount = Decimal(amount_in_cents) / 100
    hundredths_of_wan = _half_up(amount_in_cents, 10000)  # cents → 0.01万元 is a factor of 10,000
    assert round_half_up(amount / 10000) == Decimal(hundredths_of_wan) / 100
    assert Decimal(wan_text(amount)) == Decimal(hundredths_of_wan) / 100


@given(st.integers(min_value=0, max_value=10**9), st.integers(0, 999))
def test_yuan_rounds_half_up_to_the_cent(whole, thousandths):
    amount = Decimal(whole) + Decimal(thousandths) / 1000
    expected = Decimal(_half_up(whole * 1000 + thousandths, 10)) / 100
    assert Decimal(yuan_text(amount).replace(",", "")) == expected


def test_the_cases_offices_meet():
    assert yuan(558650) == money_display("558650") == "55.87万元"  # half to even said 55.86
    assert yuan("12345") == "1.23万元" and yuan("12350") == "1.24万元" and yuan("12250") == "1.23万元"
    assert yuan("100000") == "10万元" and yuan("8000") == "8,000.00元" and yuan(None) == ""
    assert yuan_text("0.125") == "0.13" and yuan_text(Decimal("2.675")) == "2.68"


def test_the_funds_page_shows_the_statistics_office_figure(users, client, regions):
    from renda.suggestions import services

    for project, amount in [("甲", "300000"), ("乙", "258650")]:
        services.fund_create(
            actor=users["county_staff"],
            source="county",
            year=2024,
            amount=amount,
            project=project,
            region=regions["huangnitang"],
        )
    client.force_login(users["county_staff"])
    assert "55.87万元" in client.get("/suggestions/funds/").content.decode()
