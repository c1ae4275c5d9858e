"""One account lookup: ``cunzhang reconcile`` finds the bank account ``cunzhang import`` finds.

For every way of writing ``--account`` (an opened account, its name path, its code, code
and name, a Beancount account the ledger lacks, a misspelt name) and every 账号 (matching
one ``open``, several, none), reconcile's :func:`projects.reconcile.bank_account` gives the
account, or refuses with the reason, that the importers' :func:`importers.movements.own_account`
gives.
"""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

import pytest
from beancount.core import data

from importers.accounts import AccountBook
from importers.movements import own_account
from importers.sheet import ImportRefused
from projects import chart
from projects.reconcile import bank_account

OPENED = {
    "Assets:102-银行存款:10201-青石农商行": "6217 0001",
    "Assets:102-银行存款:10202-县信用社": "6217 0002",
    "Assets:102-银行存款:10203-邮储银行": "6217 0002",  # the same number twice
    "Assets:101-库存现金": "",
}


def entries() -> data.Directives:
    found = []
    for account, number in OPENED.items():
        meta = data.new_metadata("<test>", 0)
        if number:
            meta["account_number"] = number
        found.append(data.Open(meta, datetime.date(2024, 1, 1), account, ["CNY"], None))
    return found


def texts() -> list[str]:
    """``--account`` as it may be written: every opened account in each form, and wrong ones."""
    found = ["", "银行存款-没有这个行", "10299", "Assets:102-银行存款:10299-新开行"]
    for account in OPENED:
        code, path = chart.code_of(account), chart.name_path(account)
        found += [account, path, code, f"{code} {path}"]
        found.append(account.replace(path.rsplit("-", 1)[-1], "写错的名字"))  # code right
    return found


NUMBERS = ["", "6217 0001", "6217 0002", "9999 9999"]


@pytest.mark.parametrize(("text", "number"), list(itertools.product(texts(), NUMBERS)))
def test_reconcile_finds_the_account_an_import_finds(text: str, number: str) -> None:
    when = datetime.date.today()
    expected, reason = own_account(AccountBook(entries()), text, number, when)
    try:
        found = bank_account(Path("/青石镇/东山村"), entries(), text, number)
    except ImportRefused as refused:
        assert expected is None, refused.problems
        (problem,) = refused.problems
        assert reason in problem.message  # no reason: each command's own fallback refused
        return
    assert found == expected
