"""Account balances at a date, and their sums by first-level code of the 2023 chart.

The statements, the disclosure's 各项资产 and 债权债务, and the year-end closing all read
balances here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data

from projects import transaction_facts
from projects.transaction_facts import ZERO, top_code


def balances(entries: Iterable[data.Directive], until: datetime.date) -> dict[str, Decimal]:
    """Every account's balance after the transactions dated up to ``until``, inclusive, in
    the order the accounts are first posted to (zero balances included)."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date <= until:
            for posting in entry.postings:
                sums[posting.account] += posting.units.number
    return dict(sums)


def opening_balances(entries: data.Directives, start: datetime.date) -> dict[str, Decimal]:
    """Balances before ``start``, with the opening (``#opening``) entries of that day."""
    before = [
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and (e.date < start or (e.date == start and "opening" in (e.tags or ())))
    ]
    return balances(before, start)


def total(sums: dict[str, Decimal], codes: Iterable[str], root: str | None = None) -> Decimal:
    """The summed balances of the accounts under the first-level codes (and root)."""
    wanted = set(codes)
    return sum(
        (
            v
            for a, v in sums.items()
            if top_code(a) in wanted and (root is None or transaction_facts.root(a) == root)
        ),
        ZERO,
    )


def signed(sign: int, value: Decimal) -> Decimal:
    """A balance shown on its normal side: ``sign`` −1 for a credit balance (no ``-0.00``)."""
    return sign * value + ZERO
