"""What the books say of each project: money in by payer, funds by funder, spent,
capitalised, earned.

One pass over a village's real transactions, summing every transaction linked to a
project (``^P2024-01``) into that project's totals; the budget check, the project and
fund reports, the disclosure and the Fava pages all read these totals.

    2024-03-20 * "青石镇人民政府" "衔接资金" ^P2024-01
      funder: "县财政局"
      Assets:102-银行存款:10201-青石农商行   150000.00 CNY
      Liabilities:241-专项应付款:24101-香菇基地扩建

adds 150000.00 to ``brought_in["县财政局"]`` and to ``funded["县财政局"]`` of P2024-01:
the project's fund sources are its 241 专项应付款 credits by funder, and what it spends
beyond them is 村集体自筹 (``spent_by_source``). A customer's payment linked to the
project is income, never a source of its spending.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from projects import transaction_facts
from projects.transaction_facts import ZERO

EARMARKED = frozenset({transaction_facts.EARMARKED})

#: The payer of money brought in that names neither a ``funder`` nor a payee.
UNNAMED = "未注明"
#: What a project spends beyond its earmarked funds: the village's own money.
SELF_FUNDED = "村集体自筹"
CENT = Decimal("0.01")


def apportion(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` split in proportion to the (positive) weights, to the cent, the parts
    summing exactly to ``amount`` (the rounding left goes to the largest weight)."""
    weights = {k: w for k, w in weights.items() if w > 0}
    whole = sum(weights.values(), ZERO)
    if not weights:
        return {}
    parts = {k: (amount * w / whole).quantize(CENT) for k, w in weights.items()}
    largest = max(weights, key=lambda k: weights[k])
    parts[largest] += amount - sum(parts.values(), ZERO)
    return parts


@dataclass
class ProjectTotals:
    """One project's sums over the transactions linked to it."""

    #: Money brought in (not earned) by payer: the ``funder`` metadata, else the payee,
    #: else ``UNNAMED``; in the order the payers first appear.
    brought_in: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    #: The field that names each payer of ``brought_in`` ("funder" or "payee"), to find
    #: their transactions again (the last one wins where a name is both).
    named_by: dict[str, str] = field(default_factory=dict)
    #: The project's 241 专项应付款 credits by funder (``transaction_facts.aid``): its
    #: fund sources, in money or in kind.
    funded: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
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

    def spent_by_source(self) -> dict[str, Decimal]:
        """The spending attributed to the fund sources: in proportion to each funder's
        241 credits while they cover it, and ``SELF_FUNDED`` for what is spent beyond them
        (the parts sum to ``spent``)."""
        if self.spent <= 0:
            return {}
        funds = sum(self.funded.values(), ZERO)
        own = max(self.spent - funds, ZERO)
        return apportion(self.spent, {**self.funded, SELF_FUNDED: own})


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
        payer = transaction_facts.funder(entry)
        aid, _ = transaction_facts.aid(entry, EARMARKED)
        for pid in sorted(linked):
            totals = found.setdefault(pid, ProjectTotals())
            if received > 0 and earned == 0:  # money brought in, not earned
                totals.brought_in[payer or UNNAMED] += received
                if payer:
                    totals.named_by[payer] = "funder" if entry.meta.get("funder") else "payee"
            if payer and aid > 0:
                totals.funded[payer] += aid
            totals.spent += spent
            totals.capitalised += capitalised
            totals.income += earned
            if spent:
                totals.spending.append((entry, spent))
    return found
