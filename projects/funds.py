"""Funds that posted first secretaries bring in, counted once and as aid only where it is aid.

One computation (:func:`compute`) over a village's books feeds ``cunzhang report funds`` and
``report secretaries`` (:mod:`projects.reports`), the Fava 帮扶资金 page and the disclosure's
资金来源及使用 section:

- **Whose money, who sent it.** A receipt's ``funder`` metadata names whose money it is, its
  payee who remitted it (the township passing on a unit's money); without ``funder`` the
  payee's own money (``transaction_facts.funder``).
- **Aid** (:class:`Receipt`) is money or assets from a funder credited to a fund account —
  231 一事一议资金, 241 专项应付款, 311 公积公益金 (捐赠), 503 补助收入, and the codes of the
  ledger's ``aid_accounts`` option (``transaction_facts.aid``). Money a unit pays for the
  village's produce or services (credited to 501/502) is 消费帮扶 / 经营往来
  (:class:`Purchase`), never landed aid; loans are neither.
- **Claims** (``fund-landed``) are matched against a unit's aid cumulatively: claims in date
  order each take the aid received from that unit up to the claim's date plus the ledger's
  ``claim_window_days`` that earlier claims have not taken, so instalments in any split and
  any order verify a claim, each yuan verifies at most one claim, and a partly landed claim
  shows what is missing. When every earlier claim is verified, a claim is verified exactly
  when the unit's aid to its date plus the window covers all its claims so far. A claim
  marked ``in_kind: TRUE`` is matched only by aid in kind, the others only by money.
- **Secretaries.** Each yuan of a unit's aid goes to one of the unit's secretaries: the one
  its claim names, else the one whose term covers the receipt date (the nearest term when
  none does, counted as ``outside_term``); so a unit's secretaries sum to the unit.
- **Spending** of a project is attributed to its fund sources only
  (``ProjectTotals.spent_by_source``); a unit's share goes to its secretaries in proportion
  to the unit's 241 money each brought to the project. Its share of each spending posting
  (:func:`spending_shares`) is its part of the project split over the project's spending
  postings by amount, to the cent, so the shares sum to its part.

    2024-01-20 custom "fund-landed" "市农业农村局" "产业项目资金" 60000.00 CNY
    2024-01-03 * "青石镇人民政府" "收到镇财政转拨资金" ^P2024-03
      funder: "市农业农村局"
      Assets:102-银行存款:10201-青石农商行        60000.00 CNY
      Liabilities:241-专项应付款:24101-中药材种苗

is aid of 市农业农村局 remitted by 青石镇人民政府, and verifies the claim.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from beancount.core import data

from projects import model, options, transaction_facts
from projects.project_totals import CENT, apportion, project_totals
from projects.transaction_facts import ZERO


@dataclass(frozen=True)
class Receipt:
    """Aid found in the books: money or assets a funder brought in to a fund account."""

    entry: data.Transaction
    funder: str
    #: Who remitted it (the payee), where that is not the funder.
    remitted_by: str | None
    amount: Decimal
    in_kind: bool
    #: Of ``amount``, what was credited to 241 专项应付款 (a project's fund source).
    earmarked: Decimal

    @property
    def date(self) -> datetime.date:
        return self.entry.date

    @property
    def projects(self) -> list[str]:
        return sorted(transaction_facts.project_ids(self.entry))


@dataclass(frozen=True)
class Purchase:
    """Money a buyer paid for the village's produce or services (501/502): 消费帮扶."""

    entry: data.Transaction
    buyer: str
    amount: Decimal


@dataclass
class ClaimCheck:
    """A landed claim and the aid that verifies it."""

    claim: model.FundClaim
    found: Decimal = ZERO

    @property
    def missing(self) -> Decimal:
        return self.claim.amount - self.found

    @property
    def verified(self) -> bool:
        return self.missing == 0


@dataclass
class Finding:
    """A claim about the books that the books do not bear out (not a ledger error)."""

    kind: str  # "unverified" (claimed landed, not all found) or "undeclared" (found, not claimed)
    unit: str
    date: datetime.date
    amount: Decimal
    message: str
    meta: dict


@dataclass
class SecretaryShare:
    """What one secretary's term brought in and what of it was spent."""

    landed: Decimal = ZERO
    spent: Decimal = ZERO
    #: Of ``landed``, what came outside the term (attributed to the nearest term).
    outside_term: Decimal = ZERO


@dataclass
class Funds:
    """A village's aid, purchases, claims and their attribution, up to a date."""

    receipts: list[Receipt]
    purchases: list[Purchase]
    claims: list[ClaimCheck]
    findings: list[Finding]
    #: Project spending by fund source (funder, or ``project_totals.SELF_FUNDED``).
    spent: dict[str, Decimal]
    #: By index into ``Declarations.secretaries``.
    secretaries: dict[int, SecretaryShare]
    #: The dispatching units: the secretaries' and those that claims name.
    units: list[str]
    #: The aid left unclaimed, by receipt (index into ``receipts``).
    unclaimed: dict[int, Decimal] = field(default_factory=dict)


def fund_accounts(aid_accounts: tuple[str, ...]) -> frozenset[str]:
    """The first-level codes whose credits are outside money: the standard's and the
    county's (``aid_accounts`` option)."""
    return transaction_facts.FUND_ACCOUNTS | frozenset(aid_accounts)


def found_in_books(
    transactions: list[data.Transaction], codes: frozenset[str]
) -> tuple[list[Receipt], list[Purchase]]:
    """The aid and the purchases among the transactions, in their order."""
    receipts, purchases = [], []
    for entry in transactions:
        who = transaction_facts.funder(entry)
        if not who:
            continue
        amount, in_kind = transaction_facts.aid(entry, codes)
        if amount > 0:
            earmarked, _ = transaction_facts.aid(entry, frozenset({transaction_facts.EARMARKED}))
            remitted = entry.payee if entry.payee and entry.payee != who else None
            receipts.append(Receipt(entry, who, remitted, amount, in_kind, earmarked))
        cash_aid = ZERO if in_kind else amount
        bought = min(
            transaction_facts.money_in(entry) - cash_aid,
            transaction_facts.credits(entry, transaction_facts.OPERATING_INCOME),
        )
        if bought > 0:
            purchases.append(Purchase(entry, who, bought))
    return receipts, purchases


def match(
    claims: list[model.FundClaim], receipts: list[Receipt], window: datetime.timedelta
) -> tuple[list[ClaimCheck], dict[int, list[tuple[ClaimCheck, Decimal]]]]:
    """Each landed claim with the aid that verifies it, and what each receipt (by index)
    gave to which claims. Claims take, in date order, the earliest aid of their unit and
    kind (money or in kind) dated up to the claim date plus ``window`` that earlier claims
    left; this takes as much aid as any assignment can, each yuan once."""
    left = [r.amount for r in receipts]
    pools: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for index, receipt in enumerate(receipts):
        pools[(receipt.funder, receipt.in_kind)].append(index)
    given: dict[int, list[tuple[ClaimCheck, Decimal]]] = defaultdict(list)
    checks = []
    for claim in sorted(claims, key=lambda c: c.date):
        check = ClaimCheck(claim)
        checks.append(check)
        deadline = claim.date + window
        for index in pools[(claim.unit, claim.in_kind)]:
            if check.verified or receipts[index].date > deadline:
                break
            take = min(left[index], check.missing)
            if take > 0:
                left[index] -= take
                check.found += take
                given[index].append((check, take))
    return checks, given


def compute(
    transactions: list[data.Transaction],
    declared: model.Declarations,
    settings: options.LedgerOptions,
    until: datetime.date | None = None,
) -> Funds:
    """A village's funds up to ``until``, from its real transactions, declarations and
    options."""
    transactions = [t for t in transactions if until is None or t.date <= until]
    codes = fund_accounts(settings.aid_accounts)
    receipts, purchases = found_in_books(transactions, codes)
    units = list(
        dict.fromkeys([s.unit for s in declared.secretaries] + [c.unit for c in declared.claims])
    )
    landed = [
        c for c in declared.claims if c.kind == "landed" and (until is None or c.date <= until)
    ]
    window = datetime.timedelta(days=settings.claim_window_days)
    checks, given = match(landed, receipts, window)
    unclaimed = {
        index: receipt.amount - sum((take for _, take in given.get(index, ())), ZERO)
        for index, receipt in enumerate(receipts)
        if receipt.funder in units
    }
    totals = project_totals(transactions)
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for sums in totals.values():
        for source, amount in sums.spent_by_source().items():
            spent[source] += amount
    funds = Funds(receipts, purchases, checks, [], dict(spent), {}, units, unclaimed)
    funds.findings = findings(funds, window)
    attribute(funds, declared.secretaries, given, totals)
    return funds


def attribute(
    funds: Funds,
    secretaries: list[model.Secretary],
    given: dict[int, list[tuple[ClaimCheck, Decimal]]],
    totals: dict,
) -> None:
    """Each yuan of a unit's aid to one of its secretaries, and the unit's share of each
    project's spending in proportion (``Funds.secretaries``)."""
    shares: dict[int, SecretaryShare] = {i: SecretaryShare() for i in range(len(secretaries))}
    weights: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for index, receipt in enumerate(funds.receipts):
        pieces = [(check.claim.secretary, take) for check, take in given.get(index, ())]
        pieces.append((None, funds.unclaimed.get(index, ZERO)))
        for named, amount in pieces:
            term = term_of(secretaries, receipt.funder, receipt.date, named)
            if term is None or amount <= 0:
                continue
            position, inside = term
            shares[position].landed += amount
            if not inside:
                shares[position].outside_term += amount
            for pid in receipt.projects:
                weights[(pid, receipt.funder)][position] += (
                    amount * receipt.earmarked / receipt.amount
                )
    for pid, sums in totals.items():
        for source, amount in sums.spent_by_source().items():
            for position, part in apportion(amount, weights.get((pid, source), {})).items():
                shares[position].spent += part
    funds.secretaries = shares


def covers(secretary: model.Secretary, date: datetime.date) -> bool:
    return secretary.start <= date and (secretary.until is None or date <= secretary.until)


def term_of(
    secretaries: list[model.Secretary], unit: str, date: datetime.date, named: str | None
) -> tuple[int, bool] | None:
    """The secretary (index) a unit's aid of ``date`` belongs to, and whether the date is in
    their term: the one ``named`` by the claim, else the one whose term covers the date
    (the latest started), else the nearest term (the last before, else the first after)."""
    mine = [(i, s) for i, s in enumerate(secretaries) if s.unit == unit]
    if not mine:
        return None
    chosen = [(i, s) for i, s in mine if s.name == named]
    chosen = chosen or [(i, s) for i, s in mine if covers(s, date)]
    chosen = chosen or [(i, s) for i, s in mine if s.start <= date]
    if chosen:
        index, secretary = max(chosen, key=lambda pair: pair[1].start)
    else:
        index, secretary = min(mine, key=lambda pair: pair[1].start)
    return index, covers(secretary, date)


def findings(funds: Funds, window: datetime.timedelta) -> list[Finding]:
    """Claims not (all) found in the books, then units' aid no claim accounts for."""
    bought: dict[str, Decimal] = defaultdict(Decimal)
    for purchase in funds.purchases:
        bought[purchase.buyer] += purchase.amount
    found = []
    for check in funds.claims:
        if check.verified:
            continue
        claim = check.claim
        kind = "实物" if claim.in_kind else "资金"
        text = (
            f"{claim.unit} 声称 {claim.date} 到位 {claim.amount:,.2f} 元 ({claim.fund}), "
            f"账上到该日后 {window.days} 天为止该单位的{kind}帮扶 (除已核实其他声明的) "
        )
        text += f"只有 {check.found:,.2f} 元" if check.found else "没有"
        text += f", 还差 {check.missing:,.2f} 元"
        if bought.get(claim.unit):
            text += (
                f"; 该单位另有购买本村产品或服务的款项 {bought[claim.unit]:,.2f} 元 "
                "(经营收入, 消费帮扶), 不算到位资金"
            )
        found.append(Finding("unverified", claim.unit, claim.date, check.missing, text, claim.meta))
    for index, amount in funds.unclaimed.items():
        receipt = funds.receipts[index]
        if amount <= 0:
            continue
        part = "" if amount == receipt.amount else f", 其中 {amount:,.2f} 元"
        through = f" (经 {receipt.remitted_by} 拨付)" if receipt.remitted_by else ""
        found.append(
            Finding(
                "undeclared",
                receipt.funder,
                receipt.date,
                amount,
                f"{receipt.date} 收到 {receipt.funder}{through} {receipt.amount:,.2f} 元{part}"
                "没有对应的到位声明 (fund-landed)",
                receipt.entry.meta,
            )
        )
    return found


def largest_remainder(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` (in cents) split in proportion to the weights (of any sign, not summing
    to zero), to the cent: each part rounded down, and the cents left over one each to
    the parts with the largest remainders (the earlier on a tie); the parts sum exactly
    to ``amount``."""
    whole = sum(weights, ZERO)
    exact = [amount * w / whole for w in weights]
    parts = [e.quantize(CENT, rounding=ROUND_FLOOR) for e in exact]
    left = int((amount - sum(parts, ZERO)) / CENT)
    ranked = sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])
    for i in ranked[:left]:
        parts[i] += CENT
    return parts


def spending_shares(
    transactions: list[data.Transaction], unit: str
) -> list[tuple[data.Transaction, data.Posting, Decimal]]:
    """Each spending posting of the projects ``unit`` is a fund source of, with the unit's
    share of it, in date order: the unit's part of a project's spending
    (``ProjectTotals.spent_by_source``) split over the project's spending postings by
    amount (:func:`largest_remainder`), summed over the projects a posting's entry links.
    The shares sum to ``compute(transactions, ...).spent[unit]``."""
    shares: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    postings: dict[tuple[int, int], tuple[data.Transaction, data.Posting]] = {}
    for sums in project_totals(transactions).values():
        part = sums.spent_by_source().get(unit)
        if not part:
            continue
        spends = {
            (id(entry), index): (entry, posting)
            for entry, _ in sums.spending
            for index, posting in enumerate(entry.postings)
            if transaction_facts.is_spend(posting.account)
        }
        weights = [posting.units.number for _, posting in spends.values()]
        for key, share in zip(spends, largest_remainder(part, weights), strict=True):
            shares[key] += share
        postings.update(spends)
    keys = sorted(postings, key=lambda key: postings[key][0].date)
    return [(*postings[key], shares[key]) for key in keys]
