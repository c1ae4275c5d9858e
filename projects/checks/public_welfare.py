"""Depreciation of public-welfare fixed assets (公益性固定资产) is 514 公益支出, not 513 管理费用.

A fixed asset (a sub-account of 151 固定资产) is public-welfare when the asset register
says so (``projects.registers``: an asset declared with ``public_welfare: TRUE`` makes its
account public-welfare, with its sub-accounts), or its ``open`` does::

    2025-07-15 custom "asset" "A005" "太阳能路灯"
      account: "Assets:151-固定资产:15105-太阳能路灯"
      public_welfare: TRUE
    2025-07-15 open Assets:151-固定资产:15105-太阳能路灯 CNY
      public_welfare: TRUE

or when a project of kind 一事一议 formed it (the asset is debited in a transaction linked to
that project: 一事一议 builds the village's 公益事业), unless its ``open`` says
``public_welfare: FALSE``.

Depreciation is a transaction crediting 152 累计折旧. Villages book one depreciation entry for
all their assets and the ledger does not say which part is whose, so the rule is: while a
public-welfare asset is on the books (a debit balance the day before), a depreciation entry
that debits 513 管理费用 must debit 514 公益支出 too. This is reported::

    2025-09-30 * "计提2025年第3季度固定资产折旧"
      Expenses:513-管理费用:51307-折旧费     2643.33 CNY
      Assets:152-累计折旧                   -2643.33 CNY

and this is not::

    2025-09-30 * "计提2025年第3季度固定资产折旧"
      Expenses:513-管理费用:51307-折旧费     1250.00 CNY
      Expenses:514-公益支出:51402-折旧费     1393.33 CNY
      Assets:152-累计折旧                   -2643.33 CNY
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from decimal import Decimal

from beancount.core import data

from projects import registers, transaction_facts
from projects.transaction_facts import top_code

PublicWelfareError = namedtuple("PublicWelfareError", "source message entry")

FIXED_ASSETS = "151"
DEPRECIATION = "152"
MANAGEMENT = "513"
PUBLIC_WELFARE = "514"
#: Project kinds whose assets are public-welfare.
PUBLIC_KINDS = frozenset({"一事一议"})
MARKER = "public_welfare"


def marked(entries: data.Directives) -> dict[str, bool]:
    """The fixed assets' ``public_welfare`` marks, as their ``open`` directives set them,
    and the accounts of the register's public-welfare assets (marked true)."""
    marks = {
        e.account: bool(e.meta[MARKER])
        for e in entries
        if isinstance(e, data.Open) and top_code(e.account) == FIXED_ASSETS and MARKER in e.meta
    }
    for asset in registers.read(entries).assets.values():
        if asset.public_welfare and top_code(asset.account) == FIXED_ASSETS:
            marks[asset.account] = True
    return marks


def balance(balances: dict[str, Decimal], account: str) -> Decimal:
    """An account's balance with its sub-accounts'."""
    return sum(
        (v for a, v in balances.items() if a == account or a.startswith(account + ":")), Decimal(0)
    )


def check(entries: data.Directives, options_map: dict) -> list:
    """Depreciation booked to 513 while a public-welfare fixed asset is on the books."""
    marks = marked(entries)
    public_projects = {
        str(e.values[0].value)
        for e in entries
        if isinstance(e, data.Custom)
        and e.type == "project"
        and e.values
        and e.meta.get("kind") in PUBLIC_KINDS
    }
    public = {account for account, mark in marks.items() if mark}
    balances: dict[str, Decimal] = defaultdict(Decimal)
    errors = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        codes = {top_code(p.account) for p in entry.postings}
        is_depreciation = not transaction_facts.is_closing(entry) and any(
            top_code(p.account) == DEPRECIATION and p.units.number < 0 for p in entry.postings
        )
        in_service = sorted(a for a in public if balance(balances, a) > 0)
        if is_depreciation and in_service and MANAGEMENT in codes and PUBLIC_WELFARE not in codes:
            names = "、".join(in_service)
            errors.append(
                PublicWelfareError(
                    entry.meta,
                    f"公益性固定资产 {names} 的折旧应记入 514 公益支出, 本笔折旧 "
                    f"(“{entry.narration}”) 记入 513 管理费用而没有 514 公益支出: "
                    "把公益性资产的折旧额改记 514 公益支出",
                    entry,
                )
            )
        from_public_project = bool(transaction_facts.project_ids(entry) & public_projects)
        for posting in entry.postings:
            if top_code(posting.account) != FIXED_ASSETS:
                continue
            balances[posting.account] += posting.units.number
            if from_public_project and posting.units.number > 0 and posting.account not in marks:
                public.add(posting.account)
    return errors
