"""Small ledgers as text, for tests: the accounts they use are opened automatically."""

from __future__ import annotations

import re
import textwrap

from beancount import loader

from projects import chart
from projects.reports import VillageBooks

ACCOUNT = re.compile(r"\b(?:Assets|Liabilities|Equity|Income|Expenses)(?::[\w-]+)+")


def opens(text: str, date: str = "2020-01-01", first_level: bool = True) -> str:
    """``open`` directives, with code metadata, for every account the text mentions
    (only the sub-accounts when ``first_level`` is false: ``village new`` opens the rest)."""
    accounts: set[str] = set()
    for account in ACCOUNT.findall(text):
        parts = account.split(":")
        first = 2 if first_level else 3
        accounts.update(":".join(parts[:i]) for i in range(first, len(parts) + 1))
    return "\n".join(chart.open_text(date, a) for a in sorted(accounts))


def load(text: str, plugin: bool = True):
    """Load a ledger written as text, with the project's checks unless told otherwise."""
    body = textwrap.dedent(text)
    header = 'option "operating_currency" "CNY"\n'
    if plugin:
        header += 'plugin "projects.checks"\n'
    return loader.load_string(header + opens(body) + "\n" + body)


def village_books(text: str, village: str = "测试村") -> VillageBooks:
    entries, errors, _ = load(text)
    assert errors == [], [e.message for e in errors]
    return VillageBooks.of(village, entries)
