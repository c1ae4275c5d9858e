"""What a transaction says by its accounts, links and tags: what it spends, receives and
earns, which projects it names, whether it is a year-end entry.

Accounts are classified by their first-level code of the 2023 chart (the first component
after the root), so sub-accounts a village opens are classified without configuration.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from beancount.core import account as bc_account
from beancount.core import data

from projects.chart import split_component

ZERO = Decimal("0.00")

#: 库存现金, 银行存款: money.
MONEY = frozenset({"101", "102"})
#: Where a project's money goes: 生物资产, 固定资产, 在建工程, 无形资产, 长期待摊费用,
#: 生产(劳务)成本 and every expense account.
SPEND = frozenset({"131", "132", "134", "151", "153", "161", "171", "401"})
#: Assets a finished project leaves behind (资本化).
CAPITAL = frozenset({"131", "132", "134", "151", "161"})
#: 集体经营性收入 = 经营收入 + 投资收益 (2023 chart).
OPERATING_INCOME = frozenset({"501", "502"})
SUBSIDY_INCOME = "503"
EARMARKED = "241"

#: Tags of the year-end entries, which are not income or spending of the year.
CLOSING_TAGS = frozenset({"closing", "distribution", "opening"})

#: A link that names a project: P, then a digit (P2024-01).
PROJECT_LINK = re.compile(r"P\d[\w.-]*")


# A ledger has a few dozen accounts and tens of thousands of postings: each account is
# classified once (``@cache``), which keeps the checks plugin cheap next to Beancount.


@cache
def top_code(account: str) -> str:
    """The first-level code of an account: ``Income:501-经营收入:50101-x`` → ``501``."""
    parts = bc_account.split(account)
    return split_component(parts[1])[0] if len(parts) > 1 else ""


@cache
def root(account: str) -> str:
    return bc_account.root(1, account)


@cache
def is_spend(account: str) -> bool:
    return root(account) == "Expenses" or top_code(account) in SPEND


def is_closing(entry: data.Directive) -> bool:
    """Year-end closing, distribution and opening entries (tagged)."""
    return bool(getattr(entry, "tags", None) and entry.tags & CLOSING_TAGS)


def project_ids(entry: data.Transaction) -> set[str]:
    """The projects a transaction is linked to."""
    if not entry.links:  # most transactions: no set comprehension to build
        return set()
    return {link for link in entry.links if PROJECT_LINK.fullmatch(link)}


def total(postings: list[data.Posting], keep) -> Decimal:
    """The sum of the postings whose account ``keep`` accepts."""
    return sum((p.units.number for p in postings if keep(p.account)), ZERO)


def spending(entry: data.Transaction) -> Decimal:
    """Net debit to spend accounts; moving 在建工程 into 固定资产 spends nothing."""
    return total(entry.postings, is_spend)


def capitalised(entry: data.Transaction) -> Decimal:
    """Debits to the assets a project leaves behind."""
    return total(entry.postings, lambda a: top_code(a) in CAPITAL and root(a) == "Assets")


def money_in(entry: data.Transaction) -> Decimal:
    """Net increase of cash and bank."""
    return total(entry.postings, lambda a: top_code(a) in MONEY)


def income(entry: data.Transaction, codes: frozenset[str] | None = None) -> Decimal:
    """Income the entry earns (positive), of the given first-level codes or all."""
    return -total(
        entry.postings,
        lambda a: root(a) == "Income" and (codes is None or top_code(a) in codes),
    )


def transactions(entries: data.Directives) -> list[data.Transaction]:
    """The real transactions: no closing, distribution or opening entries."""
    return [e for e in entries if isinstance(e, data.Transaction) and not is_closing(e)]
