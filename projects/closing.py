"""The year end of the 2023 standard: closing the year, then the members' distribution.

Pure functions over entries; ``cunzhang close-year`` and ``cunzhang distribute`` write what
they return. Closing moves every income and expense balance into 321 本年收益, then 本年收益
into 322 收益分配-未分配收益 (both ``#closing``, so reports still show the year's income)::

    ; in: the year's balances
    Income:501-经营收入:50101-香菇销售  -80000.00
    Expenses:513-管理费用               30000.00

    ; out: dated the year's last day
    2024-12-31 * "结转2024年损益至本年收益" #closing
      Income:501-经营收入:50101-香菇销售    80000.00 CNY
      Expenses:513-管理费用                -30000.00 CNY
      Equity:321-本年收益                  -50000.00 CNY
    2024-12-31 * "2024年本年收益转入未分配收益" #closing
      Equity:321-本年收益                   50000.00 CNY
      Equity:322-收益分配:32202-未分配收益  -50000.00 CNY

The distribution the members' meeting approved is one ``#distribution`` entry debiting
322's 各项分配 sub-accounts (3220101 提取公积公益金, 3220102 成员分配, others 其他分配) and
crediting 311 公积公益金, each member's share payable and the other lines' accounts; a
``#closing`` entry then carries 各项分配 into 未分配收益, as the standard's year end does.
Running either again over a closed year finds nothing left to close.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from projects.balances import balances
from projects.transaction_facts import ZERO, root

#: The standard's accounts of the year end: codes and name paths (名称路径).
YEAR_PROFIT = "Equity:321-本年收益"
#: The one sub-account the year end credits with the year's result and debits with its
#: distribution: 322 收益分配's 32202 未分配收益.
RETAINED = ("32202", "收益分配-未分配收益")
ALLOCATED = ("32201", "收益分配-各项分配")
RESERVE = ("3220101", "收益分配-各项分配-提取公积公益金")
MEMBER_SHARE = ("3220102", "收益分配-各项分配-成员分配")
OTHER_SHARE = ("3220103", "收益分配-各项分配-其他分配")
PUBLIC_FUND = ("311", "公积公益金")
MEMBERS_PAYABLE = ("", "应付款-应付成员分配")

RESULT_ROOTS = ("Income", "Expenses")
#: The first-level accounts of the year's result and its distribution, 321 本年收益 and 322
#: 收益分配: their balance, with the income and expense not yet closed, is the statements'
#: 未分配收益 whether the year is closed or not. Wider than ``RETAINED``: before the year
#: end, and in books that keep 322 without sub-accounts, earnings also stand in 321, in
#: 32201 各项分配 or in 322 itself.
EARNINGS = ("321", "322")


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def results(entries: data.Directives, until: datetime.date) -> dict[str, Decimal]:
    """Income and expense balances not yet closed at ``until``, non-zero, by account."""
    sums = balances(entries, until)
    return {a: v for a, v in sorted(sums.items()) if v and root(a) in RESULT_ROOTS}


def posting(account: str, number: Decimal, meta: dict | None = None) -> data.Posting:
    return data.Posting(account, Amount(number + ZERO, "CNY"), None, None, None, meta)


def transaction(
    date: datetime.date, narration: str, postings: list, tag: str, meta: dict | None = None
) -> data.Transaction:
    meta = {**data.new_metadata("<cunzhang>", 0), **(meta or {})}
    return data.Transaction(
        meta, date, "*", None, narration, frozenset({tag}), frozenset(), postings
    )


def close_year(entries: data.Directives, year: int, retained: str) -> list[data.Transaction]:
    """The year's closing entries (module doc); none when nothing is left to close."""
    end = year_end(year)
    year_profit = balances(entries, end).get(YEAR_PROFIT, ZERO)
    return close_balances(results(entries, end), year_profit, year, retained)


def close_balances(
    open_results: dict[str, Decimal], year_profit: Decimal, year: int, retained: str
) -> list[data.Transaction]:
    """The closing entries of a year from its balances at the year end: the income and
    expense accounts' not yet closed (``open_results``, by account in order) and 321
    本年收益's (``year_profit``)."""
    end = year_end(year)
    found = []
    profit = -sum(open_results.values(), ZERO)
    if open_results:
        postings = [posting(a, -amount) for a, amount in open_results.items()]
        postings.append(posting(YEAR_PROFIT, -profit))
        found.append(transaction(end, f"结转{year}年损益至本年收益", postings, "closing"))
    carried = year_profit - profit
    if carried:
        postings = [posting(YEAR_PROFIT, -carried), posting(retained, carried)]
        found.append(transaction(end, f"{year}年本年收益转入未分配收益", postings, "closing"))
    return found


@dataclass(frozen=True)
class Share:
    """One line of a distribution plan: what is distributed to whom, from which account."""

    debit: str  # the 各项分配 sub-account (提取公积公益金, 成员分配, 其他分配)
    credit: str  # 公积公益金, the members' payable, or the line's own account
    amount: Decimal
    meta: dict = field(default_factory=dict)  # member, shares, sheet, row


def distribute(shares: list[Share], year: int, retained: str, meta: dict) -> list[data.Transaction]:
    """The ``#distribution`` entry of a plan and the ``#closing`` of 各项分配 into 未分配收益.

    ``meta`` (the plan's provenance and approval) goes on the distribution entry.
    """
    end = year_end(year)
    by_debit: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for share in shares:
        by_debit[share.debit] += share.amount
    total = sum(by_debit.values(), ZERO)
    postings = [posting(a, amount) for a, amount in by_debit.items()]
    postings += [posting(s.credit, -s.amount, dict(s.meta) or None) for s in shares]
    parts = "、".join(f"{a.rsplit('-', 1)[-1]}{v:.2f}元" for a, v in by_debit.items())
    narration = f"{year}年度收益分配: {parts}"
    closing = [posting(retained, total), *(posting(a, -v) for a, v in by_debit.items())]
    return [
        transaction(end, narration, postings, "distribution", meta),
        transaction(end, f"结转{year}年度各项分配至未分配收益", closing, "closing"),
    ]
