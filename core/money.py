"""Money as Chinese documents write it: the amount in capitals (大写金额).

Purchase orders, receipts and requisitions carry their total twice, in figures and in
capitals, so that neither can be altered alone. The rules are those of the People's Bank
of China's 《正确填写票据和结算凭证的基本规定》: capital digits 零壹贰叁肆伍陆柒捌玖 with
拾佰仟万亿; "整" after 元 when there are no 角 or 分; one 零 for any run of zeros inside
the amount (陆仟零柒元), across 万 and 亿 too (壹亿零伍仟元); a 零 before 分 when 角 is
zero (叁佰贰拾伍元零肆分); 壹拾 rather than 拾 (壹拾陆元整).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
# Each level splits the amount into a high part (written recursively) and a low part.
LEVELS = ((10**8, "亿"), (10**4, "万"))
LIMIT = 10**16  # 壹亿亿: beyond it Chinese documents have no settled word
CENT = Decimal("0.01")
NEGATIVE = "负"


def _below_ten_thousand(number: int) -> str:
    """1–9999: 壹仟零伍, 壹拾, 叁佰柒拾."""
    text, zero_pending = [], False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text.append(DIGITS[0])
            zero_pending = False
        text.append(DIGITS[digit] + UNITS[position])
    return "".join(text)


def _integer(number: int, levels=LEVELS) -> str:
    """A positive whole number in capitals, 亿 and 万 groups with their zeros."""
    for size, unit in levels:
        if number >= size:
            high, low = divmod(number, size)
            text = _integer(high, levels) + unit
            if low:
                # 壹万零伍 (low 5 < 1000), 壹亿零壹佰万 (low 1,000,000 < 10,000,000).
                text += (DIGITS[0] if low < size // 10 else "") + _integer(low, levels)
            return text
    return _below_ten_thousand(number)


def amount_in_chinese_capitals(amount) -> str:
    """``Decimal("1005.50")`` → ``"壹仟零伍元伍角"``; ``Decimal(370)`` → ``"叁佰柒拾元整"``.

    The amount is rounded to the fen (half up). A negative amount (a net variance, a
    credit) is written with 负 before it. Floats are refused (money is never a float), as
    are NaN, infinities and amounts of 壹亿亿 yuan or more (ValueError)."""
    if isinstance(amount, (float, bool)):
        raise TypeError("Money is a Decimal (or an int), never a float.")
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"Not an amount: {amount!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"Not an amount: {amount!r}")
    fen_total = int(abs(amount).quantize(CENT, rounding=ROUND_HALF_UP) * 100)
    yuan, cents = divmod(fen_total, 100)
    if yuan >= LIMIT:
        raise ValueError("The amount is too large to write in capitals.")
    jiao, fen = divmod(cents, 10)
    sign = NEGATIVE if amount < 0 and fen_total else ""
    if yuan == 0 and cents == 0:
        return "零元整"
    text = ""
    if yuan:
        text = _integer(yuan) + "元"
        if not cents:
            return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += DIGITS[0]  # 叁佰贰拾伍元零肆分: the zero 角 is said
    if fen:
        text += DIGITS[fen] + "分"
    return sign + text
