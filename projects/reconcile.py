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
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from projects.books import ZERO
from projects.ledger import where as location

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
