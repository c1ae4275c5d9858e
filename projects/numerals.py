"""Amounts in Chinese capital numerals (大写), as financial documents write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")


def _section(number: int) -> str:
    """Four digits in capitals: 1010 → 壹仟零壹拾, 200 → 贰佰."""
    words = ""
    zero = False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += DIGITS[digit] + PLACES[place]
    return words


def _integer(number: int) -> str:
    """A whole number of 元 in capitals, sections of four digits joined by 万 and 亿."""
    sections = []
    while number:
        number, section = divmod(number, 10000)
        sections.append(section)
    words = ""
    gap = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            gap = bool(words)
            continue
        if words and (gap or section < 1000):
            words += "零"
        words += _section(section) + SECTIONS[index]
        gap = False
    return words


def capital(amount: Decimal) -> str:
    """An amount in Chinese capital numerals (大写), as financial documents write it.

    >>> capital(Decimal("150200"))
    '壹拾伍万零贰佰元整'
    >>> capital(Decimal("1234.56")), capital(Decimal("0.5"))
    ('壹仟贰佰叁拾肆元伍角陆分', '伍角')
    """
    amount = Decimal(amount).quantize(CENT, ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    yuan, cents = divmod(int(abs(amount) * 100), 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    words = _integer(yuan) + ("元" if yuan else "")
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    if not cents:
        words += "整"
    return sign + words


SMALL_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
SMALL_PLACES = {"十": 10, "百": 100, "千": 1000}


def counting_number(text: str) -> int | None:
    """The whole number ``text`` writes in arabic digits or ordinary Chinese numerals (一二三,
    十, 百, 千; below 10000), else ``None``.

    >>> [counting_number(t) for t in ("12", "十二", "二十", "一百零五")]
    [12, 12, 20, 105]
    >>> counting_number("东"), counting_number("")
    (None, None)
    """
    if text.isdecimal():
        return int(text)
    if not text or any(c not in SMALL_DIGITS and c not in SMALL_PLACES for c in text):
        return None
    total, digit = 0, None
    for char in text:
        if char in SMALL_DIGITS:
            if digit:  # two digits in a row (一二) is not a number; 零 only fills a place
                return None
            digit = SMALL_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * SMALL_PLACES[char]
            digit = None
    return total + (digit or 0)
