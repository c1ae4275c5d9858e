"""The demo villages' registers (scripts/demo/data/registers.toml) agree with their books:
per asset account the register's cost is the replayed book's balance, and the register's
accumulated depreciation is 累计折旧, at the demo's end."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from beancount import loader

from projects import registers
from scripts.demo.common import DEFAULT_SEED, DEPRECIATION, END
from scripts.demo.registers import registers_text
from scripts.demo.simulation import replay
from scripts.demo.villages import VILLAGES


@pytest.mark.parametrize("village", VILLAGES, ids=lambda v: v.name)
def test_demo_registers_agree_with_the_books(village) -> None:
    book = replay(village, DEFAULT_SEED)
    entries, errors, _ = loader.load_string(registers_text(book))
    assert errors == []
    found = registers.read(entries)
    assert found.errors == []
    cost: dict[str, Decimal] = defaultdict(Decimal)
    for asset in found.assets.values():
        cost[asset.account] += asset.cost
    paths = {book.account(a.account): a.account for a in book.assets}
    assert cost == {account: book.bal(paths[account]) for account in paths}
    depreciation = sum(a.depreciation(END) for a in found.assets.values())
    assert depreciation == -book.bal(DEPRECIATION)
    subjects = found.resources.keys() | found.assets.keys()
    assert all(c.subject in subjects for c in found.contracts.values())
