"""The charts of accounts and the account naming convention.

The charts are data (``projects/data/chart-2023.csv`` and ``chart-2004.csv``); this
module reads them once and turns codes and names into Beancount accounts:

    >>> account_for("50101", "香菇销售")
    'Income:501-经营收入:50101-香菇销售'
    >>> name_path("Assets:401-生产劳务成本:40101-粮油加工")
    '生产劳务成本-粮油加工'

Every component of an account below its root is ``<code>-<name>``; a sub-account's code
extends its parent's code (``50101`` under ``501``). Names drop the characters an account
cannot hold (``生产(劳务)成本`` becomes ``生产劳务成本``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from beancount.core import account as bc_account

CHART_VERSIONS = ("2023", "2004")


@dataclass(frozen=True)
class StandardAccount:
    """A first-level account of a chart of accounts (一级科目)."""

    code: str
    name: str
    category: str
    root: str
    normal_side: str
    note: str = ""
    code_2023: str = ""
    name_2023: str = ""

    @property
    def account(self) -> str:
        """The Beancount account, e.g. ``Assets:102-银行存款``."""
        return f"{self.root}:{component(self.code, self.name)}"


@cache
def chart(version: str = "2023") -> dict[str, StandardAccount]:
    """The first-level accounts of the given chart, by code, in the chart's order."""
    if version not in CHART_VERSIONS:
        raise ValueError(f"未知的科目表版本 unknown chart version: {version}")
    text = resources.files("projects").joinpath(f"data/chart-{version}.csv").read_text("utf-8")
    accounts = {}
    for row in csv.DictReader(text.splitlines()):
        fields = {key: value or "" for key, value in row.items()}
        fields["root"] = fields.pop("beancount_root")
        accounts[row["code"]] = StandardAccount(**fields)
    return accounts


def clean_name(name: str) -> str:
    """The name as an account component can hold it: letters and digits only."""
    return "".join(ch for ch in name.strip() if ch.isalnum())


def component(code: str, name: str) -> str:
    """One account component, ``<code>-<name>``."""
    return f"{code}-{clean_name(name)}"


def split_component(comp: str) -> tuple[str, str]:
    """``"50101-香菇销售"`` → ``("50101", "香菇销售")``; ``("", comp)`` without a code."""
    code, sep, name = comp.partition("-")
    if sep and code.isdigit():
        return code, name
    return "", comp


def standard_for(code: str, version: str = "2023") -> StandardAccount:
    """The first-level account a (sub-)account code belongs to, e.g. ``50101`` → 501."""
    top = chart(version).get(code[:3])
    if top is None:
        raise KeyError(f"科目编码 {code} 不属于 {version} 年科目表 (unknown first-level code)")
    return top


def account_for(code: str, name: str, version: str = "2023") -> str:
    """The Beancount account of a first-level or sub-account code.

    A three-level code (``1020101``) needs its middle level named in the ledger; this
    function builds only first- and second-level accounts.
    """
    top = standard_for(code, version)
    if code == top.code:
        return top.account
    return f"{top.account}:{component(code, name)}"


def code_of(account: str) -> str:
    """The code of an account's last component, or ``""`` if it has none."""
    return split_component(bc_account.leaf(account))[0]


def name_path(account: str) -> str:
    """The names of an account without root and codes, joined with ``-``."""
    return "-".join(split_component(c)[1] for c in bc_account.split(account)[1:])


def is_valid(account: str) -> bool:
    """Whether Beancount accepts the account in every tool (not only the parser)."""
    return bc_account.is_valid(account)


def open_text(date: str, account: str, name: str | None = None) -> str:
    """The ``open`` directive of an account, with its code and full name as metadata."""
    code = code_of(account)
    name = name or split_component(bc_account.leaf(account))[1]
    return f'{date} open {account} CNY\n  code: "{code}"\n  name: "{name}"\n'
