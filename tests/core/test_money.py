"""The amount in Chinese capitals (大写金额), as Chinese purchase documents carry it."""

from decimal import Decimal

import pytest

from core.money import amount_in_chinese_capitals as capitals


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        # The examples.
        ("370", "叁佰柒拾元整"),
        ("1005.50", "壹仟零伍元伍角"),
        # The People's Bank's examples (《正确填写票据和结算凭证的基本规定》).
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # Zero, and amounts below one yuan.
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("0.5", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("0.004", "零元整"),  # rounds to nothing
        ("0.005", "壹分"),  # half up
        # Tens are 壹拾, whatever the place.
        ("10", "壹拾元整"),
        ("16", "壹拾陆元整"),
        ("110", "壹佰壹拾元整"),
        ("100000", "壹拾万元整"),
        # Runs of zeros inside a group are one 零; trailing zeros are silent.
        ("1001", "壹仟零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("1100", "壹仟壹佰元整"),
        ("101.01", "壹佰零壹元零壹分"),
        # Zeros across 万 and 亿.
        ("10001", "壹万零壹元整"),
        ("10010", "壹万零壹拾元整"),
        ("11000", "壹万壹仟元整"),
        ("101000", "壹拾万壹仟元整"),
        ("1000010", "壹佰万零壹拾元整"),
        ("10000000", "壹仟万元整"),
        ("100000000", "壹亿元整"),
        ("100000001", "壹亿零壹元整"),
        ("100005000", "壹亿零伍仟元整"),
        ("100100000", "壹亿零壹拾万元整"),
        ("110000000", "壹亿壹仟万元整"),
        ("100010005", "壹亿零壹万零伍元整"),
        ("1234567890.12", "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        # Large: 万亿, and a 万 above 亿 with a zero after it.
        ("1000000000000", "壹万亿元整"),
        ("1000100000000", "壹万零壹亿元整"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
        # Negative amounts (a net count variance) carry 负.
        ("-370", "负叁佰柒拾元整"),
        ("-0.05", "负伍分"),
        ("-0.00", "零元整"),
    ],
)
def test_amounts(amount, expected):
    assert capitals(Decimal(amount)) == expected


def test_an_int_is_an_amount_in_yuan():
    assert capitals(5) == "伍元整"


@pytest.mark.parametrize("amount", [Decimal("1E16"), Decimal("NaN"), Decimal("Infinity"), "abc"])
def test_what_cannot_be_written_is_refused(amount):
    with pytest.raises(ValueError):
        capitals(amount)


def test_a_float_is_refused():
    with pytest.raises(TypeError):
        capitals(0.1)
