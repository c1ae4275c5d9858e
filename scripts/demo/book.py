"""A village's books as the demo replays them: accounts by name path, transactions, balances."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import account as bc_account
from beancount.core import data

from importers.accounts import AccountBook
from projects import chart
from scripts.demo.common import LABOUR, SHARED_CODES, START, WAGES, ZERO, Date, yuan
from scripts.demo.members import Household
from scripts.demo.profile import Village


class Accounts:
    """A village's accounts: name paths become Beancount accounts with codes, opened as an
    import opens them (:class:`importers.accounts.AccountBook`).

    A sub-account gets the first free two-digit code under its parent (``50101`` under
    ``501``) unless a sample fixed it; 收益分配's have the standard's (``3220101``).
    """

    def __init__(self, fixed: tuple[tuple[str, str], ...]) -> None:
        self.book = AccountBook([])
        self.paths: dict[str, str] = {}  # name path → account
        self.meta: dict[str, dict[str, str]] = defaultdict(dict)  # extra open metadata
        for code, path in SHARED_CODES + fixed:
            self.resolve(code, path)

    def account(self, path: str) -> str:
        """The account of a name path (or of an account, unchanged)."""
        if ":" in path:
            return path
        if path not in self.paths:
            self.resolve("", path)
        return self.paths[path]

    def resolve(self, code: str, path: str) -> None:
        account, reason = self.book.resolve(code, path, START, True)
        if account is None:
            raise ValueError(f"{path}: {reason}")
        self.paths[path] = account

    @property
    def names(self) -> dict[str, tuple[str, str]]:
        """The sub-accounts, each with its code and name."""
        return {a: (chart.code_of(a), new.name) for a, new in self.book.new.items()}


@dataclass
class Txn:
    """One transaction; postings name accounts or name paths until the book posts it."""

    date: Date
    narration: str
    postings: list[tuple[str, Decimal]]
    payee: str | None = None
    tags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    generated: bool = True  # recurring activity (kept off the bank in sample months)
    accrues: str | None = None  # the month whose wages it accrues
    sample: str | None = None  # the kind of sample spreadsheet it was transcribed from
    voucher: str = ""  # 凭证号, numbered per month when the spreadsheets are written

    @classmethod
    def of(cls, entry: data.Transaction) -> Txn:
        """An entry :mod:`projects.closing` made, as the book's transaction."""
        postings = [(p.account, p.units.number) for p in entry.postings]
        return cls(entry.date, entry.narration, postings, tags=tuple(sorted(entry.tags)))


def payment(
    date: Date,
    narration: str,
    payee: str | None,
    out_of: str,
    to: str,
    amount: Decimal,
    link: str | None = None,
) -> Txn:
    """Money paid out of ``out_of`` to ``to``."""
    return Txn(
        date,
        narration,
        [(to, amount), (out_of, -amount)],
        payee=payee,
        links=(link,) if link else (),
    )


def receipt(
    date: Date,
    narration: str,
    payer: str,
    into: str,
    source: str,
    amount: Decimal,
    link: str | None = None,
) -> Txn:
    """Money received into ``into`` from ``source``: a payment the other way round."""
    return payment(date, narration, payer, source, into, amount, link)


@dataclass(frozen=True)
class Distribution:
    """The members' meeting's plan for a year: 公积公益金, and a whole-元 share per member."""

    reserve: Decimal
    per_member: Decimal


class MoneyError(ValueError):
    """An entry that would take cash or a bank account below zero: fix the profile."""


class Book:
    """A village's books as they are replayed: balances and entries."""

    def __init__(
        self, village: Village, rng: random.Random, members: tuple[Household, ...]
    ) -> None:
        self.village = village
        self.rng = rng
        self.members = members  # the 成员名册: who the year-end distribution pays
        self.accounts = Accounts(village.codes)
        self.balance: dict[str, Decimal] = defaultdict(Decimal)
        self.opened: dict[str, Date] = {}
        self.entries: list[Txn] = []
        self.sold: dict[str, Decimal] = defaultdict(Decimal)  # sales since the last costing
        self.sold_in: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        self.unpaid_wages: list[str] = []
        self.depreciated_from = START
        self.costed_from = START
        self.assets = list(village.assets)
        self.profit: dict[int, Decimal] = {}
        self.distributions: dict[int, Distribution] = {}  # the plans approved, by year
        self.pending_date = START  # the date of the event being built
        for bank in village.banks:
            self.accounts.meta[self.account(bank.path)]["account_number"] = bank.number
        self.money = [self.account(b.path) for b in village.banks] + [self.account(village.cash)]
        self.product_sales = {self.account(p.sales.account) for p in village.products}

    def account(self, path: str) -> str:
        return self.accounts.account(path)

    def bal(self, path: str) -> Decimal:
        """The balance of an account or name path (zero, and no code taken, if unused)."""
        account = path if ":" in path else self.accounts.paths.get(path)
        return self.balance.get(account, ZERO) if account else ZERO

    def touches_bank(self, txn: Txn) -> bool:
        return any(self.account(a) in self.money[:-1] for a, _ in txn.postings)

    def post(self, txn: Txn) -> None:
        """Enter a transaction; recurring bank activity of the sample months is left out."""
        if txn.generated and txn.date < self.village.bank_from and self.touches_bank(txn):
            return
        if self.entries and txn.date < self.entries[-1].date:
            raise ValueError(f"{self.village.name}: {txn.date} {txn.narration} is out of order")
        postings = [(self.account(a), yuan(amount)) for a, amount in txn.postings if amount]
        if sum(amount for _, amount in postings) != 0:
            raise ValueError(f"{self.village.name}: {txn.date} {txn.narration} does not balance")
        txn.postings = postings
        for account, amount in postings:
            self.balance[account] += amount
            self.opened.setdefault(account, txn.date)
            if account in self.product_sales and not txn.tags:
                self.sold[account] -= amount
                self.sold_in[txn.date.year, txn.date.month] -= amount
            is_fund = bc_account.split(account)[1][:3] in ("241", "231")
            if is_fund and len(txn.links) == 1:
                self.accounts.meta[account].setdefault("project", txn.links[0])
        for account in self.money:
            if self.balance[account] < 0:
                raise MoneyError(
                    f"{self.village.name}: {txn.date} “{txn.narration}” 使 {account} "
                    f"余额为 {self.balance[account]}"
                )
        if txn.accrues:
            self.unpaid_wages.append(txn.accrues)
        elif not self.bal(WAGES) and not self.bal(LABOUR):
            self.unpaid_wages.clear()
        self.entries.append(txn)
