"""Imported entries as tidy Beancount text, aligned by display width.

A Chinese character takes two columns on screen (``unicodedata.east_asian_width`` W or F);
``bean-format`` counts code points and misaligns such accounts, so amounts here are placed
by display width::

    2024-01-05 * "收到香菇销售款(青石商贸)"
      document: "../documents/Assets/102-银行存款/10201-青石农商行/2024-03-31.1a2b….xlsx"
      sheet: "1月"
      row: 5
      import_key: "…"
      Assets:102-银行存款:10201-青石农商行     38600.00 CNY
      Income:501-经营收入:50101-香菇销售      -38600.00 CNY
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data

from projects.text import display_width

#: Metadata keys Beancount adds itself, and the dispatch key of registers: never written.
HIDDEN_META = {"filename", "lineno", "village", "__duplicate__"}
#: Provenance first, then the rest in the order set.
META_ORDER = ("document", "sheet", "row", "import_key")
NOT_AFTER = HIDDEN_META | set(META_ORDER)  # keys not written after the provenance


def quote(text: str) -> str:
    """A Beancount string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def value_text(value: object) -> str:
    """A metadata or custom value as Beancount writes it."""
    if type(value) is str:  # the usual value, first
        return quote(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, data.Amount):
        return f"{value.number} {value.currency}"
    return str(value)


def meta_lines(meta: dict | None, indent: str = "  ") -> list[str]:
    """``key: value`` lines, provenance first."""
    if not meta:
        return []
    keys = [k for k in META_ORDER if k in meta]
    keys += [k for k in meta if k not in NOT_AFTER]
    return [f"{indent}{key}: {value_text(meta[key])}" for key in keys]


class Layout:
    """Where amounts go in a block: one column after the widest posting, numbers right-aligned.

    A ``balance`` line, longer by its date and keyword, keeps two spaces when it cannot reach
    that column.
    """

    def __init__(self, entries: list[data.Directive]) -> None:
        prefixes, numbers = [], []
        for entry in entries:
            if isinstance(entry, data.Transaction):
                prefixes += [posting_prefix(p) for p in entry.postings]
                numbers += [str(p.units.number) for p in entry.postings]
            elif isinstance(entry, data.Balance):
                numbers.append(str(entry.amount.number))
        self.prefix_width = max((display_width(p) for p in prefixes), default=0)
        self.number_width = max((len(n) for n in numbers), default=0)

    def amount(self, prefix: str, number: Decimal, currency: str) -> str:
        """``prefix`` padded so that the number ends at the block's amount column."""
        text = str(number)
        pad = self.prefix_width - display_width(prefix) + 2 + self.number_width - len(text)
        return f"{prefix}{' ' * max(pad, 2)}{text} {currency}"


def posting_prefix(posting: data.Posting) -> str:
    return f"  {posting.account}"


def balance_prefix(entry: data.Balance) -> str:
    return f"{entry.date} balance {entry.account}"


def entry_text(entry: data.Directive, layout: Layout) -> str:
    """One entry as text (transaction, balance, open or custom)."""
    if isinstance(entry, data.Transaction):
        head = [entry.date.isoformat(), entry.flag]
        if entry.payee:
            head.append(quote(entry.payee))
        head.append(quote(entry.narration or ""))
        head += [f"#{t}" for t in sorted(entry.tags or ())]
        head += [f"^{link}" for link in sorted(entry.links or ())]
        lines = [" ".join(head), *meta_lines(entry.meta)]
        for posting in entry.postings:
            units = posting.units
            lines.append(layout.amount(posting_prefix(posting), units.number, units.currency))
            lines += meta_lines(posting.meta, "    ")
        return "\n".join(lines) + "\n"
    if isinstance(entry, data.Balance):
        text = layout.amount(balance_prefix(entry), entry.amount.number, entry.amount.currency)
        return "\n".join([text, *meta_lines(entry.meta)]) + "\n"
    if isinstance(entry, data.Open):
        currencies = " " + ",".join(entry.currencies) if entry.currencies else ""
        head = f"{entry.date} open {entry.account}{currencies}"
        return "\n".join([head, *meta_lines(entry.meta)]) + "\n"
    if isinstance(entry, data.Custom):
        values = " ".join(value_text(v.value) for v in entry.values)
        head = f"{entry.date} custom {quote(entry.type)} {values}"
        return "\n".join([head, *meta_lines(entry.meta)]) + "\n"
    raise TypeError(f"cannot write {type(entry).__name__}")


def block(entries: list[data.Directive], title: str) -> str:
    """Entries under a comment line naming their source, amounts aligned together."""
    layout = Layout(entries)
    return f"\n; {title}\n\n" + "\n".join(entry_text(e, layout) for e in entries)
