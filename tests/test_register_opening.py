"""An opening asset register (dated the day before the books start) agrees with books that
hold only their opening entries, or their opening and the first weeks.

The books' opening entries are dated the start (2024-01-01), the register's opening assets
the day before (README, 三资台账); at the last quarter end before the first transaction
(2023-12-31) the check counts the opening entries as that day's balance, so an opened
village whose register matches is clean, and one whose register does not is reported.
"""

from __future__ import annotations

import random

import pytest

from tests.ledgertext import load

BUILDING = "Assets:151-固定资产:15101-村部办公楼"
DEPRECIATION = "Assets:152-累计折旧"


def ledger(cost: int, depreciated: int, booked: int, booked_depreciation: int, last: str) -> str:
    """An asset on the register and the books' opening, then one cash entry on ``last``."""
    return f"""
2023-12-31 custom "asset" "A001" "村部办公楼"
  account: "{BUILDING}"
  cost: {cost}.00 CNY
  life: 40
  depreciated: {depreciated}.00 CNY
2024-01-01 * "期初余额" #opening
  {BUILDING}  {booked}.00 CNY
  {DEPRECIATION}  -{booked_depreciation}.00 CNY
  Equity:322-收益分配:32299-期初余额
2024-01-01 * "期初余额" #opening
  Assets:101-库存现金  500.00 CNY
  Equity:322-收益分配:32299-期初余额
{last} * "购办公用品"
  Expenses:541-管理费用  20.00 CNY
  Assets:101-库存现金
"""


def findings(text: str) -> list[str]:
    _, errors, _ = load(text)
    return [e.message for e in errors if "资产台账与账面不符" in e.message]


@pytest.mark.parametrize("seed", range(8))
def test_an_opening_register_agrees_with_the_opening_entries(seed: int) -> None:
    rng = random.Random(seed)
    cost, depreciated = rng.randrange(100, 900) * 1000, rng.randrange(0, 90) * 1000
    last = f"2024-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"  # before the first quarter end
    assert findings(ledger(cost, depreciated, cost, depreciated, last)) == []
    wrong = findings(ledger(cost, depreciated, cost + 1000, depreciated, last))
    assert [m.split(": ", 1)[0] for m in wrong] == ["资产台账与账面不符 (2023-12-31)"]
    assert f"账面余额 {cost + 1000:,.2f} 元, 台账原值合计 {cost:,.2f} 元" in wrong[0]
    short = findings(ledger(cost, depreciated, cost, depreciated + 500, last))
    assert f"账面 {depreciated + 500:,.2f} 元, 台账累计折旧合计 {depreciated:,.2f} 元" in short[0]
