"""The demo villages' registers (scripts/demo/data/registers.toml) agree with their books:
per asset account the register's cost is the replayed book's balance, and the register's
accumulated depreciation is 累计折旧, at the demo's end; and the receipts of the contracts'
income flows leave exactly one contract in arrears and one ending within 90 days."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from beancount import loader

from projects import registers
from scripts.demo.common import DEFAULT_SEED, DEPRECIATION, END
from scripts.demo.registers import contract_links, registers_text
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


def test_one_contract_in_arrears_and_one_ending_soon() -> None:
    arrears, ending = {}, []
    for village in VILLAGES:
        book = replay(village, DEFAULT_SEED)
        contracts = registers.read(loader.load_string(registers_text(book))[0]).contracts
        links = contract_links(village.name)
        received: dict[str, Decimal] = defaultdict(Decimal)
        for txn in book.entries:
            for path, cid in links.items():
                if txn.payee == contracts[cid].party and book.account(path[0]) in dict(
                    txn.postings
                ):
                    assert contracts[cid].date <= txn.date <= contracts[cid].end, (cid, txn)
                    received[cid] += -dict(txn.postings)[book.account(path[0])]
        for cid, contract in contracts.items():
            if contract.due(END) > received[cid]:
                arrears[village.name, cid] = contract.due(END) - received[cid]
            if 0 <= (contract.end - END).days <= 90:
                ending.append((village.name, cid))
    assert arrears == {("西河村", "C2024-02"): Decimal("4000.00")}
    assert ending == [("南岭村", "C2024-02")]
