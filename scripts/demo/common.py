"""What every part of the demo shares: the township, its two years, money and dates, the
accounts every village uses (by name path, 名称路径: names without codes, joined by "-")
and the kinds of spreadsheet a village hands in."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from decimal import Decimal

from projects import closing
from projects.layout import EMBEDDED_LEDGERS

Date = datetime.date

TOWNSHIP = "青石镇"
START = Date(2024, 1, 1)
END = Date(2025, 12, 31)
DEFAULT_SEED = 2024
#: The spreadsheets the villages hand in, committed as examples (``examples/青石镇/<村>/``).
EXAMPLES = EMBEDDED_LEDGERS.parent / "examples"

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# Accounts every village uses, by name path (名称路径: the names without codes, joined by "-").
DEPRECIATION = "累计折旧"
INTEREST = "其他收入-利息收入"
BANK_FEES = "管理费用-银行手续费"
WAGES = "应付工资"
LABOUR = "应付劳务费"
BANK_NAME = "青石农商行"
BANK_TITLE = "青石农村商业银行"  # as its statements are headed
TOWN = "青石镇人民政府"

#: The year end's accounts, as :mod:`projects.closing` names them for close-year and distribute.
RETAINED, RESERVE, MEMBER_SHARE, MEMBERS_PAYABLE, PUBLIC_FUND = (
    path
    for _, path in (
        closing.RETAINED,
        closing.RESERVE,
        closing.MEMBER_SHARE,
        closing.MEMBERS_PAYABLE,
        closing.PUBLIC_FUND,
    )
)
#: Sub-account codes every village shares: the standard's for 收益分配's two levels.
SHARED_CODES = (closing.ALLOCATED, closing.RETAINED, closing.RESERVE, closing.MEMBER_SHARE)

#: The kinds of spreadsheet a village hands in (the importers recognise them by content).
BANK_JOURNAL = "银行存款日记账"
CASH_JOURNAL = "现金日记账"
VOUCHERS = "凭证列表"
STATEMENT = "银行对账单"
REGISTER = "帮扶资金台账"
TRIAL_BALANCE = "科目余额表"
PLAN = "收益分配方案"


def yuan(value: int | str | Decimal) -> Decimal:
    """An amount in 元, to the cent."""
    return Decimal(str(value).replace(",", "")).quantize(CENT)


def month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year, month + 1) if month < 12 else (year + 1, 1)


def months(start: Date, end: Date) -> Iterator[tuple[int, int]]:
    """(year, month) from ``start``'s month to ``end``'s month."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = next_month(year, month)
