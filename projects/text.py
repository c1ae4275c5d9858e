"""Text for people: amounts as a village's papers write them, lined up in a terminal or a
Beancount file (a Chinese character takes two columns), and safe in a spreadsheet (text
that would run as a formula is recognised)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import lru_cache


def amount_text(value: Decimal | None) -> str:
    """``1234.5`` → ``1,234.50``; ``—`` for no value."""
    return "—" if value is None else f"{value:,.2f}"


@lru_cache(maxsize=4096)  # an import aligns every posting: account names repeat
def display_width(text: str) -> int:
    """Columns the text takes in a terminal (East Asian wide and full-width count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """The text padded with spaces to ``width`` display columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection): ``=``, ``+``,
#: ``-``, ``@``, tab and carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could run the text as a formula: it starts with one of
    ``FORMULA_START``, also after leading whitespace (some importers trim cells first)."""
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)
