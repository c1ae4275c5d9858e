"""The parts of a disclosure (财务公开) that 农村集体经济组织财务公开规定 (农经发〔2011〕13号)
asks for beyond the item-by-item income and spending, computed from the books.

- ``money``: 货币资金 上期结余 + 本期收入 − 本期支出 = 本期结余 (cash and bank, 101/102);
- ``plan``: 财务计划, the year's budget as the ledger declares it, against the year so far;
- ``cadre_pay``: 村组干部报酬 on its own (it is spending too, so it also shows there): the
  expense postings whose detail account is named in the ``cadre_pay_accounts`` option;
- the 专项公开 items: ``land_compensation`` (征地补偿), ``contracts`` (发包租赁 income by
  contractor), ``tenders`` (招投标), ``levies`` (一事一议筹资筹劳, with each household);
- ``review``: the 村务监督委员会's review of the period, when the ledger records it.

The declarations (see the README, 财务公开)::

    2025-01-10 custom "budget" "2025" "501-经营收入" 120000.00 CNY
    2025-03-20 custom "tender" "P2025-03" "烘干房土建工程" 168000.00 CNY
      winner: "某建筑公司"
      method: "公开招标"
    2025-03-02 custom "levy" "一事一议路灯安装" "张三" 200.00 CNY
      labour_days: 2
    2025-04-05 custom "review" "2025Q1" "赵监委" "钱委员" "孙委员"
      opinion: "经审核, 本期账目真实完整"

A ``budget`` item named ``<code>-<name>`` of a first-level income or expense account is
compared with that account's amount from 1 January to the period's end; other items show
the plan only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as bc_account
from beancount.core import data

from projects import transaction_facts
from projects.balances import balances, opening_balances, total
from projects.chart import split_component
from projects.masking import mask
from projects.periods import Period
from projects.transaction_facts import ZERO, root, top_code

#: 货币资金: 库存现金 and 银行存款 (2023 chart).
MONEY_CODES = ("101", "102")
CONTRACT_NAMES = ("发包", "出租", "租金", "租赁")
LAND_NAMES = ("征地", "土地补偿", "征收补偿")


@dataclass
class Money:
    """货币资金 for the period: the equation every sheet states."""

    opening: Decimal
    received: Decimal
    paid: Decimal
    closing: Decimal

    @property
    def holds(self) -> bool:
        return self.opening + self.received - self.paid == self.closing


@dataclass
class Entry:
    """One dated line of a special section: who, what, how much."""

    date: datetime.date
    payee: str
    narration: str
    amount: Decimal


@dataclass
class PlanLine:
    item: str
    planned: Decimal
    actual: Decimal | None


@dataclass
class Contract:
    """发包租赁 income of one contractor in the period."""

    payee: str
    accounts: list[str]
    count: int
    amount: Decimal


@dataclass
class Tender:
    date: datetime.date
    project: str
    name: str
    amount: Decimal | None
    winner: str
    method: str


@dataclass
class Levy:
    """一事一议: one household's money and labour for one matter."""

    date: datetime.date
    matter: str
    household: str
    amount: Decimal
    labour_days: Decimal


@dataclass
class Review:
    """The supervision committee's review of a period (``custom "review"``)."""

    date: datetime.date
    reviewers: list[str]
    opinion: str


@dataclass
class Sections:
    money: Money
    plan: list[PlanLine] = field(default_factory=list)
    cadre_pay: list[Entry] = field(default_factory=list)
    land_compensation: list[Entry] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    tenders: list[Tender] = field(default_factory=list)
    levies: list[Levy] = field(default_factory=list)
    levy_money: list[Entry] = field(default_factory=list)
    review: Review | None = None


def detail(account: str) -> str:
    """The names below the first level: ``...:51301-干部报酬`` → ``干部报酬``."""
    return "-".join(split_component(c)[1] for c in bc_account.split(account)[2:])


def money(entries: data.Directives, period: Period) -> Money:
    """货币资金 at the start and end, and what came in and went out in between: each
    transaction's net change of cash and bank (a deposit of cash nets to nothing)."""
    opening = total(opening_balances(entries, period.start), MONEY_CODES, "Assets")
    received = paid = ZERO
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not period.start <= entry.date <= period.end:
            continue
        if entry.date == period.start and "opening" in (entry.tags or ()):
            continue  # counted in the opening balance
        net = sum(
            (
                p.units.number
                for p in entry.postings
                if root(p.account) == "Assets" and top_code(p.account) in MONEY_CODES
            ),
            ZERO,
        )
        received += max(net, ZERO)
        paid += max(-net, ZERO)
    closing = total(balances(entries, period.end), MONEY_CODES, "Assets")
    return Money(opening, received, paid, closing)


def _postings(
    transactions: list[data.Transaction], names: tuple[str, ...], want: str
) -> Iterator[tuple[data.Transaction, data.Posting]]:
    """(entry, posting) of the ``want`` root whose detail name contains one of ``names``."""
    for entry in transactions:
        for posting in entry.postings:
            if root(posting.account) == want and any(n in detail(posting.account) for n in names):
                yield entry, posting


def _entry(entry: data.Transaction, amount: Decimal) -> Entry:
    return Entry(entry.date, mask(entry.payee or ""), mask(entry.narration or ""), amount)


def plan(
    customs: list[data.Custom], transactions: list[data.Transaction], period: Period
) -> list[PlanLine]:
    """财务计划: the items declared for the period's year, with the year to date."""
    year = str(period.end.year)
    lines = []
    for c in customs:
        if c.type != "budget" or len(c.values) < 3 or str(c.values[0].value) != year:
            continue
        item, amount = str(c.values[1].value), c.values[2].value
        planned = amount.number if hasattr(amount, "number") else Decimal(str(amount))
        code = item.split("-", 1)[0]
        actual = None
        if code.isdigit():
            actual = sum(
                (
                    (-1 if root(p.account) == "Income" else 1) * p.units.number
                    for t in transactions
                    if period.end.replace(month=1, day=1) <= t.date <= period.end
                    for p in t.postings
                    if top_code(p.account) == code and root(p.account) in ("Income", "Expenses")
                ),
                ZERO,
            )
        lines.append(PlanLine(mask(item), planned, actual))
    return lines


def contracts(inside: list[data.Transaction]) -> list[Contract]:
    """发包租赁 income in the period by contractor (payee)."""
    rows: dict[str, Contract] = {}
    for entry, posting in _postings(inside, CONTRACT_NAMES, "Income"):
        payee = mask(entry.payee or entry.narration or "")
        row = rows.setdefault(payee, Contract(payee, [], 0, ZERO))
        row.count += 1
        row.amount += -posting.units.number
        name = mask(detail(posting.account))
        if name not in row.accounts:
            row.accounts.append(name)
    return sorted(rows.values(), key=lambda r: (-r.amount, r.payee))


def _meta(entry: data.Directive, key: str) -> str:
    return mask(str(entry.meta.get(key, "") or ""))


def _number(value: object) -> Decimal | None:
    number = getattr(value, "number", value)
    return number if isinstance(number, Decimal) else None


def review_of(entries: data.Directives, period: Period) -> Review | None:
    """The last ``custom "review" "<period>" reviewers…`` dated after the period ends (the
    whole ledger's entries: a review comes after its period)."""
    found = None
    for c in entries:
        reviews = (
            isinstance(c, data.Custom)
            and c.type == "review"
            and c.values
            and c.values[0].value == period.code
        )
        if reviews and c.date > period.end:
            names = [mask(str(v.value)) for v in c.values[1:]]
            found = Review(c.date, names, _meta(c, "opinion"))
    return found


def compute(
    entries: data.Directives,
    inside: list[data.Transaction],
    period: Period,
    cadre_names: tuple[str, ...],
) -> Sections:
    """Every special section of one period from the entries up to its end (``inside``: the
    period's real transactions); the review comes later, from ``review_of``."""
    customs = [e for e in entries if isinstance(e, data.Custom)]
    in_period = [c for c in customs if period.start <= c.date <= period.end]
    sections = Sections(money(entries, period))
    sections.plan = plan(customs, transaction_facts.transactions(entries), period)
    sections.cadre_pay = [
        _entry(e, p.units.number) for e, p in _postings(inside, cadre_names, "Expenses")
    ]
    sections.land_compensation = [
        _entry(e, abs(p.units.number))
        for e, p in _postings(inside, LAND_NAMES, "Liabilities")
        if p.units.number < 0
    ] + [_entry(e, -p.units.number) for e, p in _postings(inside, LAND_NAMES, "Income")]
    sections.contracts = contracts(inside)
    sections.tenders = [
        Tender(
            c.date,
            mask(str(c.values[0].value)),
            mask(str(c.values[1].value)),
            _number(c.values[2].value) if len(c.values) > 2 else None,
            _meta(c, "winner"),
            _meta(c, "method"),
        )
        for c in in_period
        if c.type == "tender" and len(c.values) >= 2
    ]
    sections.levies = [
        Levy(
            c.date,
            mask(str(c.values[0].value)),
            mask(str(c.values[1].value)),
            _number(c.values[2].value) or ZERO if len(c.values) > 2 else ZERO,
            Decimal(str(c.meta.get("labour_days", 0) or 0)),
        )
        for c in in_period
        if c.type == "levy" and len(c.values) >= 2
    ]
    sections.levy_money = [
        _entry(e, -p.units.number)
        for e in inside
        for p in e.postings
        if top_code(p.account) == "231" and root(p.account) == "Liabilities"
    ]
    return sections
