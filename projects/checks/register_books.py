"""The asset register agrees with the books: cost per account, and accumulated depreciation.

At the last quarter end the books reach (depreciation may be booked quarterly), the cost of
the assets on the register in each account equals that account's balance (with its
sub-accounts, less those another asset names), every account of 132 134 141 151 161 with a
balance has an asset on the register, and the register's accumulated depreciation equals
累计折旧 (152), 生产性生物资产累计折旧 (133) and 累计摊销 (162).

    2023-12-31 custom "asset" "A001" "村部办公楼"
      account: "Assets:151-固定资产:15101-村部办公楼"
      cost: 360000.00 CNY
      life: 40
    2024-01-01 * "期初" #opening
      Assets:151-固定资产:15101-村部办公楼   380000.00 CNY
      Equity:301-资本

is reported: the register holds 360,000.00 of 15101, the books 380,000.00 (and no 累计折旧
is booked for the 750.00 a month the register charges). Only a ledger that declares assets
is checked.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data

from projects import registers
from projects.balances import opening_balances
from projects.chart import chart
from projects.registers import ASSET_CODES, CONTRA_CODES, ZERO, Asset
from projects.transaction_facts import top_code

RegisterBooksError = registers.RegisterError


def checkpoint(last: datetime.date) -> datetime.date:
    """The last quarter end on or before ``last``."""
    ends = [
        datetime.date(last.year, m, calendar.monthrange(last.year, m)[1]) for m in (3, 6, 9, 12)
    ]
    return max((d for d in ends if d <= last), default=datetime.date(last.year - 1, 12, 31))


def owner(account: str, named: Iterable[str]) -> str | None:
    """The most specific named account that is ``account`` or one of its parents."""
    found = [n for n in named if account == n or account.startswith(n + ":")]
    return max(found, key=len, default=None)


def listed(assets: list[Asset], value) -> str:
    return "; ".join(f"{a.id} {a.name} {value(a):,.2f}" for a in assets)


def check(entries: data.Directives, options_map: dict) -> list:
    """Differences between the asset register and the books, each named."""
    register = registers.read(entries)
    dates = [e.date for e in entries if isinstance(e, data.Transaction)]
    if not register.assets or not dates:
        return []
    day = checkpoint(max(dates))
    held = [a for a in register.assets.values() if a.held(day)]
    # the books at the end of ``day``, with the opening entries of the next day (the books'
    # start): an opening register dated the day before the start agrees with the opening
    sums = opening_balances(entries, day + datetime.timedelta(days=1))
    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    errors = []

    def error(meta: dict, message: str, entry: data.Directive | None) -> None:
        errors.append(RegisterBooksError(meta, f"资产台账与账面不符 ({day}): {message}", entry))

    by_account: dict[str, list[Asset]] = defaultdict(list)
    for asset in held:
        by_account[asset.account].append(asset)
    booked: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account, value in sums.items():
        if top_code(account) not in ASSET_CODES or not account.startswith("Assets:"):
            continue
        named = owner(account, by_account)
        if named is not None:
            booked[named] += value
        elif value:
            booked[account] += value
    for account in sorted(booked.keys() | by_account.keys()):
        assets = by_account.get(account, [])
        on_register = sum((a.cost for a in assets), ZERO)
        if booked[account] == on_register:
            continue
        if not assets:
            open_ = opens.get(account)
            error(
                open_.meta if open_ else data.new_metadata("<registers>", 0),
                f"{account} 账面余额 {booked[account]:,.2f} 元, 资产台账上没有这个科目的资产: "
                '登记 custom "asset" (account 写这个科目), 或改正分录',
                open_,
            )
            continue
        error(
            assets[-1].meta,
            f"{account} 账面余额 {booked[account]:,.2f} 元, 台账原值合计 {on_register:,.2f} 元 "
            f"({listed(assets, lambda a: a.cost)}), 相差 {booked[account] - on_register:+,.2f} 元: "
            "补登或注销资产, 或改正分录",
            registers.declaration(entries, assets[-1].meta),
        )
    for code, contra in sorted(CONTRA_CODES.items()):
        assets = [a for a in held if top_code(a.account) == code]
        on_register = sum((a.depreciation(day) for a in assets), ZERO)
        in_books = -sum((v for a, v in sums.items() if top_code(a) == contra), ZERO)
        if in_books == on_register:
            continue
        open_ = next((e for a, e in opens.items() if top_code(a) == contra), None)
        error(
            open_.meta if open_ else data.new_metadata("<registers>", 0),
            f"{chart()[contra].name} ({contra}) 账面 {in_books:,.2f} 元, 台账累计折旧合计 "
            f"{on_register:,.2f} 元 ({listed(assets, lambda a: a.depreciation(day)) or '无资产'}), "
            f"相差 {in_books - on_register:+,.2f} 元: "
            "按台账计提折旧, 或改正台账的 life/depreciated",
            open_,
        )
    return errors
