"""Links from a figure into Fava's journal, filtered to exactly the entries behind it.

Fava's filter syntax (``fava/core/filters.py``): ``^P2024-01`` is a link, ``-#closing``
excludes a tag, ``key:"regex"`` matches an attribute or a metadata value by regular
expression (``funder:"^市金融发展局$"``, ``date:"^2024-"``, ``type:"^project$"``), a space
is *and*, a comma *or*. The account filter (``?account=``) is a regular expression that any
posting's account must match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from projects import statements, transaction_facts

#: Year-end closing, distribution and opening entries: never income or spending of a year.
NOT_CLOSING = " ".join(f"-#{tag}" for tag in sorted(transaction_facts.CLOSING_TAGS))
#: Transactions are the only entries with a flag (opens, balances, customs have none).
IS_TRANSACTION = 'flag:"."'

#: Where a project's money goes (``transaction_facts.is_spend``): every expense, and the
#: spend assets.
SPEND_ACCOUNTS = f"^(Expenses:|Assets:({'|'.join(sorted(transaction_facts.SPEND))})-)"
#: Cash and bank (``transaction_facts.money_in``): money received.
MONEY_ACCOUNTS = f"^Assets:({'|'.join(sorted(transaction_facts.MONEY))})-"
#: The assets a finished project leaves behind (``transaction_facts.capitalised``).
CAPITAL_ACCOUNTS = f"^Assets:({'|'.join(sorted(transaction_facts.CAPITAL))})-"
#: 集体经营性收入: 501 经营收入 and 502 投资收益.
OPERATING_ACCOUNTS = f"^Income:({'|'.join(sorted(transaction_facts.OPERATING_INCOME))})-"
SUBSIDY_ACCOUNTS = f"^Income:{transaction_facts.SUBSIDY_INCOME}-"
#: 经营收益: 501, 502, 511, 512 and 513, the lines of the 收益及收益分配表 above it.
EARNINGS_ACCOUNTS = f"^(Income|Expenses):({'|'.join(sorted(statements.OPERATING_CODES))})-"
#: Fava's filter that leaves the year-end closing out, so that its 损益表 shows a closed
#: year's income and expenses (the ``#closing`` entries zero them on the year's last day).
NOT_YEAR_END = "-#closing"


def fund_accounts(codes: Iterable[str]) -> str:
    """The accounts of outside money: ``funds.fund_accounts`` (231, 241, 311, 503 and the
    county's ``aid_accounts``), as Fava's account filter."""
    return f"^[A-Za-z]+:({'|'.join(sorted(codes))})-"


INCOME_ACCOUNTS = "^Income:"


def quoted(pattern: str) -> str:
    """A regular expression as a quoted filter string (a double quote cannot be quoted)."""
    return '"' + pattern.replace('"', ".") + '"'


def equals(key: str, value: str) -> str:
    """Entries whose attribute or metadata ``key`` is exactly ``value``."""
    return f"{key}:{quoted('^' + re.escape(value) + '$')}"


def any_of(terms: Iterable[str]) -> str:
    """Entries matching any of the terms (Fava's ``,``)."""
    found = sorted(set(terms))
    return found[0] if len(found) == 1 else "(" + ", ".join(found) + ")"


def linked(project_ids: Iterable[str]) -> str:
    """Transactions linked to any of the projects."""
    return any_of(f"^{pid}" for pid in project_ids)


def declared(kind: str, first_value: str) -> str:
    """The ``custom "<kind>" "<first_value>" …`` declarations."""
    value = re.escape(f"'{first_value}'")
    return f"{equals('type', kind)} values:{quoted(value)}"


def in_years(years: Iterable[int]) -> str:
    """Entries dated in one of the years."""
    return f"date:{quoted('^(' + '|'.join(str(y) for y in sorted(years)) + ')-')}"


def transactions(*terms: str | None, years: Iterable[int] | None = None) -> str:
    """Real transactions (no closing entries) matching every term, in ``years`` if given."""
    parts = [t for t in terms if t]
    if years is not None:
        parts.append(in_years(years))
    return " ".join([IS_TRANSACTION, *parts, NOT_CLOSING])
