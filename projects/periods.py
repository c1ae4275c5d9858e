"""The period a disclosure or a month's reconciliation covers: a quarter, a month or a year.

``parse_period("2024Q1")`` (季度), ``parse_period("2024-03")`` (月度), ``parse_period("2024")``
(年度) give a ``Period`` with its first and last day and its Chinese label.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

PERIOD = re.compile(r"(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?")
QUARTER_NAMES = "一二三四"


@dataclass(frozen=True)
class Period:
    """The period a disclosure covers: a quarter, a month or a year."""

    code: str  # 2024Q4, 2024-03, 2024
    kind: str  # 季度, 月度, 年度
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """``2024年第四季度``, ``2024年3月``, ``2024年度``."""
        if self.kind == "季度":
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.kind == "月度":
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年度"

    @property
    def annual(self) -> bool:
        return self.kind == "年度"


def parse_period(text: str) -> Period:
    """``2024Q1`` (季度), ``2024-03`` (月度) or ``2024`` (年度); ``ValueError`` otherwise."""
    found = PERIOD.fullmatch(text.strip())
    if not found:
        raise ValueError(f"期间 “{text}” 应写成 2024Q1、2024-03 或 2024 (quarter, month or year)")
    year = int(found["year"])
    if found["quarter"]:
        first = 3 * int(found["quarter"]) - 2
        last = first + 2
        kind = "季度"
    elif found["month"]:
        first = last = int(found["month"])
        kind = "月度"
    else:
        first, last, kind = 1, 12, "年度"
    end = datetime.date(year, last, calendar.monthrange(year, last)[1])
    return Period(text.strip(), kind, datetime.date(year, first, 1), end)
