"""Text that lines up in a terminal: a Chinese character takes two columns."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns the text takes in a terminal (East Asian wide and full-width count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """The text padded with spaces to ``width`` display columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill
