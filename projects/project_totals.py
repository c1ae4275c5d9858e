"""What the books say of each project: money in by payer, spent, capitalised, earned.

One pass over a village's real transactions, summing every transaction linked to a
project (``^P2024-01``) into that project's totals; the budget check, the project and
fund reports, the disclosure and the Fava pages all read these totals.

    2024-03-20 * "县财政局" "衔接资金" ^P2024-01
      funder: "县财政局"
      Assets:102-银行存款:10201-青石农商行   150000.00 CNY
      Liabilities:241-专项应付款:24101-香菇基地扩建

adds 150000.00 to ``brought_in["县财政局"]`` (and to ``paid["县财政局"]``) of P2024-01.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from projects import transaction_facts
from projects.transaction_facts import ZERO

#: The payer of money brought in that names neither a ``funder`` nor a payee.
UNNAMED = "未注明"


@dataclass
class ProjectTotals:
    """One project's sums over the transactions linked to it."""

    #: Money brought in (not earned) by payer: the ``funder`` metadata, else the payee,
    #: else ``UNNAMED``; in the order the payers first appear.
    brought_in: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    #: The field that names each payer of ``brought_in`` ("funder" or "payee"), to find
    #: their transactions again (the last one wins where a name is both).
    named_by: dict[str, str] = field(default_factory=dict)
    #: Every receipt by its ``funder``, earned or not: the shares of the spending.
    paid: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    spent: Decimal = ZERO
    capitalised: Decimal = ZERO
    income: Decimal = ZERO
    #: Each transaction that spends (or returns) money, with the amount, in order.
    spending: list[tuple[data.Transaction, Decimal]] = field(default_factory=list)

    @property
    def received(self) -> Decimal:
        """All the money brought in."""
        return sum(self.brought_in.values(), ZERO)

    def by_source(self, source_of: dict[str, str]) -> dict[str, Decimal]:
        """``brought_in`` by planned source (``source_of`` a payer's, else the payer)."""
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for payer, amount in self.brought_in.items():
            sums[source_of.get(payer, payer)] += amount
        return dict(sums)


def project_totals(transactions: Iterable[data.Transaction]) -> dict[str, ProjectTotals]:
    """The totals of every project some transaction links to, declared or not, in the
    order the projects first appear."""
    found: dict[str, ProjectTotals] = {}
    for entry in transactions:
        linked = transaction_facts.project_ids(entry)
        if not linked:
            continue
        received, earned = transaction_facts.money_in(entry), transaction_facts.income(entry)
        spent, capitalised = transaction_facts.spending(entry), transaction_facts.capitalised(entry)
        funder = entry.meta.get("funder")
        for pid in sorted(linked):
            totals = found.setdefault(pid, ProjectTotals())
            if received > 0 and earned == 0:  # money brought in, not earned
                payer = funder or entry.payee or UNNAMED
                totals.brought_in[payer] += received
                if funder or entry.payee:
                    totals.named_by[payer] = "funder" if funder else "payee"
            if funder and received > 0:
                totals.paid[funder] += received
            totals.spent += spent
            totals.capitalised += capitalised
            totals.income += earned
            if spent:
                totals.spending.append((entry, spent))
    return found
