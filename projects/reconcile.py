"""Bank reconciliation (银行对账): the books' bank account against the bank's statement.

:func:`reconcile` is pure: the month's movements on each side in, the matches and the
unmatched items out. Items pair up first on the same day and amount, then on the same
amount at the nearest other date; what remains is in the books but not on the statement
(a cheque not yet presented, a typing error) or on the statement but not in the books (a
fee or interest not yet booked)::

    books                         statement                      result
    03-05  +38,600.00             03-05  +38,600.00              matched
    03-10   -1,200.00             03-12   -1,200.00              same amount, other date
    03-28     -800.00                                            in the books only
                                  03-31      -15.00              on the statement only

A reconciled month (books' balance = statement's) is marked in the ledger by a ``balance``
assertion on the next month's first day (:func:`assertion`), so that no later change to the
month can go unnoticed::

    2024-04-01 balance Assets:102-银行存款:10201-青石农商行  186420.50 CNY
      reconciled: "2024-03"

:func:`reconcile_month` is ``cunzhang reconcile``: the statement read
(:func:`importers.movements.read_statement`), the month compared, and the assertion written
as every ledger write is (:mod:`importers.writing`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount

from importers import writing
from importers.accounts import AccountBook
from importers.movements import Statement, own_account, read_statement
from importers.sheet import ImportRefused, Problem
from importers.writing import Outcome
from projects.ledger import where as location
from projects.periods import Period, parse_period
from projects.transaction_facts import ZERO

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Item:
    """A movement of the bank account: + in, − out; ``where`` says where it is written."""

    date: datetime.date
    amount: Decimal
    text: str
    where: str


@dataclass
class Reconciliation:
    """The month's comparison of books and statement."""

    books_balance: Decimal
    statement_balance: Decimal
    matched: list[tuple[Item, Item]] = field(default_factory=list)
    other_date: list[tuple[Item, Item]] = field(default_factory=list)  # (books, statement)
    books_only: list[Item] = field(default_factory=list)
    statement_only: list[Item] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        """Books' balance minus the statement's."""
        return self.books_balance - self.statement_balance

    @property
    def reconciled(self) -> bool:
        return self.difference == 0


def book_items(
    entries: data.Directives, account: str, start: datetime.date, end: datetime.date
) -> tuple[list[Item], Decimal]:
    """The account's movements dated ``start``–``end``, and its balance after ``end``."""
    items, balance = [], ZERO
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.date > end:
            continue
        for posting in entry.postings:
            if posting.account == account:
                balance += posting.units.number
                if entry.date >= start:
                    text = " ".join(t for t in (entry.payee, entry.narration) if t)
                    where = location(entry.meta)
                    items.append(Item(entry.date, posting.units.number, text, where))
    return items, balance


def reconcile(
    books: list[Item], statement: list[Item], books_balance: Decimal, statement_balance: Decimal
) -> Reconciliation:
    """Pair the two sides' items (module doc)."""
    result = Reconciliation(books_balance, statement_balance)
    left = list(books)
    unmatched_statement = []
    for item in statement:
        twin = next((b for b in left if (b.date, b.amount) == (item.date, item.amount)), None)
        if twin is None:
            unmatched_statement.append(item)
        else:
            left.remove(twin)
            result.matched.append((twin, item))
    for item in unmatched_statement:
        same = [b for b in left if b.amount == item.amount]
        if same:
            twin = min(same, key=lambda b: abs((b.date - item.date).days))
            left.remove(twin)
            result.other_date.append((twin, item))
        else:
            result.statement_only.append(item)
    result.books_only = left
    return result


def assertion(account: str, month_end: datetime.date, balance: Decimal, meta: dict) -> data.Balance:
    """The ``balance`` entry that marks a reconciled month (dated the next day)."""
    meta = {**data.new_metadata("<cunzhang>", 0), **meta}
    return data.Balance(
        meta, month_end + ONE_DAY, account, Amount(balance + ZERO, "CNY"), None, None
    )


# -- cunzhang reconcile --------------------------------------------------------------------


def reconcile_month(
    folder: Path,
    month: str,
    statement: Path | None = None,
    balance: Decimal | None = None,
    account: str | None = None,
) -> tuple[Reconciliation, str, Outcome]:
    """Reconcile a month; when the balances agree, mark it with a balance assertion.

    Returns the reconciliation, the bank account and what was written.
    """
    period = parse_period(month)
    if period.kind != "月度":
        raise ImportRefused([Problem(month, "", 0, "--month 应写成 2024-03 (a month)")])
    read = read_statement(Path(statement)) if statement else None
    items, closing_balance = statement_items(read, period) if read else ([], None)
    if balance is not None:
        if closing_balance is not None and closing_balance != balance:
            raise ImportRefused(
                [
                    Problem(
                        read.workbook.label,
                        "",
                        0,
                        f"对账单月末余额 {closing_balance:,.2f} 与 --balance {balance:,.2f} 不同",
                    )
                ]
            )
        closing_balance = balance
    if closing_balance is None:
        raise ImportRefused(
            [Problem(month, "", 0, "没有对账单月末余额: 给出对账单 (含余额列) 或 --balance")]
        )
    with writing.village(folder) as village:
        entries = village.entries
        own = bank_account(village.folder, entries, account, read.number if read else "")
        books_items, books_balance = book_items(entries, own, period.start, period.end)
        result = reconcile(books_items, items, books_balance, closing_balance)
        outcome = Outcome()
        if not result.reconciled:
            return result, own, outcome
        date = period.end + ONE_DAY
        done = [
            e
            for e in entries
            if isinstance(e, data.Balance)
            and (e.date, e.account) == (date, own)
            and e.meta.get("reconciled") == period.code
        ]
        if done:
            outcome.note = f"已对账 (already reconciled: {location(done[0].meta)})"
            return result, own, outcome
        meta = {"reconciled": period.code}
        meta["statement"] = read.workbook.label if read else "手工输入余额 (typed)"
        outcome.entries = [assertion(own, period.end, closing_balance, meta)]
        title = f"银行对账 reconcile: {period.code}"
        outcome.written = village.append(outcome.entries, title)
    return result, own, outcome


def statement_items(read: Statement, period: Period) -> tuple[list[Item], Decimal | None]:
    """The statement's movements in the period, and its last balance up to the period's end."""
    items, closing_balance = [], None
    for movement in read.movements:
        record = movement.record
        if period.start <= movement.date <= period.end:
            text = " ".join(str(record.values.get(k) or "") for k in ("payee", "summary"))
            source = f"{read.workbook.label}:{record.sheet}:{record.row}"
            items.append(Item(movement.date, movement.amount, text.strip(), source))
        if movement.date <= period.end and movement.balance is not None:
            closing_balance = movement.balance
    return items, closing_balance


def bank_account(folder: Path, entries: data.Directives, text: str | None, number: str) -> str:
    """The bank account: ``--account``, else the statement's 账号 (the account lookup of
    :func:`importers.movements.own_account`), else the only one."""
    book = AccountBook(entries)
    account, reason = own_account(book, text or "", number, datetime.date.today())
    if account is not None:
        return account
    if reason:
        raise writing.refusal(folder, reason)
    if number:  # a statement of another account must not be reconciled with this one
        raise writing.refusal(
            folder,
            f"对账单账号 {number} 对应 0 个账户 (open 的 account_number): "
            "请用 --account 指定银行账户",
        )
    banks = [a for a in book.opened if a.startswith("Assets:102-") and a.count(":") == 2]
    if len(banks) == 1:
        return banks[0]
    raise writing.refusal(folder, f"请用 --account 指定银行账户 (which bank account?): {banks}")
