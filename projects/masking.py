"""Masking personal numbers (ID, bank card and mobile numbers) in text that is published.

``mask`` is applied to every text a disclosure takes from the ledger, so such numbers
never leave the books.
"""

from __future__ import annotations

import datetime
import re

#: What people write between the digit groups of a phone, ID or card number: spaces
#: (also no-break, thin and full-width) and hyphens or dashes (also full-width). Not dots
#: or commas: they belong to amounts and dates.
SEPARATORS = " \u00a0\u2009\u202f\u3000-\u2010\u2011\u2013\u2014\uff0d"
#: A written number: digit groups with one to three separators between them, and perhaps
#: an ID number's check character X at the end (on text whose digits are ASCII).
NUMBER = re.compile(rf"[0-9]+(?:[{re.escape(SEPARATORS)}]{{1,3}}[0-9]+)*[Xx]?")
GROUP = re.compile(r"[0-9]+[Xx]?")
#: A decimal digit other than ASCII 0-9: full-width ３, Arabic-Indic ٣ and the like.
OTHER_DIGIT = re.compile(r"(?![0-9])\d")
FULLWIDTH_X = str.maketrans("Ｘｘ", "Xx")
MOBILE = re.compile(r"1[3-9][0-9]{9}")
#: ``+86``/``0086``/``86`` written before a mobile number; ``+`` is not a digit and stays.
COUNTRY_CODES = ("86", "0086")
#: The digit groups each kind is written in (group lengths; a plain number is one group).
MOBILE_SHAPES = {(11,), (3, 4, 4), (3, 8)}
ID_SHAPES = {(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (15,), (6, 6, 3)}
CARD_SHAPES = {(6, 13), (4, 6, 5), (4, 6, 4)}
MAX_GROUPS = 5


def _born(number: str) -> bool:
    """Whether an 18- or 15-digit number holds a birth date (YYYYMMDD or YYMMDD) at 7-14."""
    text = number[6:14] if len(number) == 18 else "19" + number[6:12]
    try:
        return 1900 <= datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])).year < 2100
    except ValueError:
        return False


def _card_shape(shape: tuple[int, ...]) -> bool:
    """One run; four groups of four and perhaps a shorter fifth; 6-13, 4-6-5 or 4-6-4."""
    return len(shape) == 1 or shape[:4] == (4, 4, 4, 4) or shape in CARD_SHAPES


def _masked(groups: list[str]) -> str | None:
    """The masked form of a number written as these digit groups; ``None`` when it is no
    mobile (optionally after 86/0086), ID (18 digits or X, or the old 15) or bank card."""
    number = "".join(groups).upper()
    shape = tuple(map(len, groups))
    for code in ("", *COUNTRY_CODES):
        rest = number[len(code) :]
        shape_rest = (shape[0] - len(code), *shape[1:])
        if number.startswith(code) and shape_rest in MOBILE_SHAPES and MOBILE.fullmatch(rest):
            return f"{code}{rest[:3]}****{rest[-4:]}"
    check_x = len(number) == 18 and number[:17].isdigit() and number[-1] == "X"
    if shape in ID_SHAPES and (check_x or (number.isdigit() and _born(number))):
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    if number.isdigit() and 13 <= len(number) <= 19 and _card_shape(shape):
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    return None


def _personal(groups: list[re.Match]) -> list[tuple[int, int, str]]:
    """(start, end, masked) of the personal numbers among one written number's digit
    groups: from each group on, the most groups that spell one (a date before a mobile
    number, ``2024-01-05 13812345678``, is left alone)."""
    found = []
    i = 0
    while i < len(groups):
        for j in range(min(len(groups), i + MAX_GROUPS), i, -1):
            texts = [g[0] for g in groups[i:j]]
            end = groups[j - 1].end()
            masked = _masked(texts)
            if masked is None and texts[-1][-1] in "Xx":  # a letter after the number
                texts[-1] = texts[-1][:-1]
                end -= 1
                masked = _masked(texts)
            if masked is not None:
                found.append((groups[i].start(), end, masked))
                i = j
                break
        else:
            i += 1
    return found


def mask(text: str) -> str:
    """The text with personal numbers masked: ``110***********1234`` (ID; the old 15-digit
    ID ``110********1234``), ``6222********1234`` (bank card), ``138****5678`` (mobile).

    Numbers are found however they are spelt: full-width or other Unicode digits, spaces
    or hyphens between the usual groups (``138 1234 5678``, ``110105 19491231 002X``,
    ``6222-0212-3456-7890``), ``+86``/``0086`` before a mobile. The masked number is
    written in ASCII digits without separators. Amounts, dates and account codes are left
    alone: they have the wrong number of digits, or a comma or dot between groups."""
    ascii_text = OTHER_DIGIT.sub(lambda d: str(int(d[0])), text).translate(FULLWIDTH_X)
    parts = []
    done = 0
    for number in NUMBER.finditer(ascii_text):
        groups = list(GROUP.finditer(ascii_text, number.start(), number.end()))
        for start, end, masked in _personal(groups):
            parts += [text[done:start], masked]
            done = end
    return "".join(parts) + text[done:]
