"""The simulation: a village's two years replayed month by month, in date order."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from projects import closing
from projects.registers import monthly_charge
from projects.transaction_facts import root
from scripts.demo.book import Book, Distribution, Txn, payment, receipt
from scripts.demo.common import (
    BANK_FEES,
    BANK_NAME,
    CENT,
    DEPRECIATION,
    END,
    INTEREST,
    LABOUR,
    MEMBER_SHARE,
    MEMBERS_PAYABLE,
    PUBLIC_FUND,
    RESERVE,
    RETAINED,
    START,
    WAGES,
    ZERO,
    Date,
    month_end,
    months,
    next_month,
)
from scripts.demo.members import households
from scripts.demo.profile import Entry, Flow, Project, Village

#: Same-day order: fixed entries and receipts, then payments, accruals, month-end work.
FIXED, RECEIVE, PAY, ACCRUE, MONTH_END, COSTING, CLOSING = 10, 20, 30, 60, 70, 75, 90

Builder = Callable[[Book], list[Txn]]


@dataclass
class Event:
    date: Date
    order: int
    build: Builder


def once(txn: Txn) -> Builder:
    return lambda book: [txn]


def vary(rng: random.Random, base: int, step: int = 10, spread: int = 10) -> Decimal:
    """``base`` 元 give or take ``spread`` percent, rounded down to ``step`` 元 (0: cents)."""
    if base <= 0:
        return ZERO
    cents = base * rng.randint(100 - spread, 100 + spread)
    if step:
        cents -= cents % (step * 100)
    else:
        cents += rng.randint(0, 99)
    return Decimal(cents) / 100


def split(rng: random.Random, total: Decimal, parts: int, step: int) -> list[Decimal]:
    """``total`` in up to ``parts`` random pieces, each a multiple of ``step`` 元."""
    count = rng.randint(1, parts)
    if count == 1:
        return [total]
    weights = [rng.randint(5, 10) for _ in range(count)]
    unit = Decimal(step) if step else CENT
    pieces = [
        (total * w / sum(weights) / unit).to_integral_value(ROUND_DOWN) * unit for w in weights[:-1]
    ]
    return [*pieces, total - sum(pieces)]


def random_days(rng: random.Random, year: int, month: int, count: int) -> list[Date]:
    return sorted(Date(year, month, rng.randint(3, 28)) for _ in range(count))


def flow_events(book: Book, flow: Flow, year: int, month: int, income: bool) -> list[Event]:
    """The receipts or payments of one recurring flow in one month."""
    first = Date(year, month, 1)
    total = vary(book.rng, flow.monthly[month - 1], flow.step, flow.spread)
    if not total or month_end(year, month) < flow.start:
        return []
    pieces = split(book.rng, total, flow.parts, flow.step)
    events = []
    for date, amount in zip(random_days(book.rng, year, month, len(pieces)), pieces, strict=True):
        party = book.rng.choice(flow.parties) if flow.parties else None
        narration = flow.narration.format(year=year, month=month)
        date = max(date, flow.start, first)
        if income:
            txn = receipt(
                date,
                narration,
                party or "",
                book.village.main_bank,
                flow.account,
                amount,
                flow.link,
            )
            events.append(Event(date, RECEIVE, once(txn)))
        elif flow.via == "cash":
            events.append(
                Event(date, PAY, cash_payment(date, narration, party, flow.account, amount))
            )
        else:
            txn = payment(date, narration, party, book.village.main_bank, flow.account, amount)
            events.append(Event(date, PAY, once(txn)))
    return events


def cash_payment(
    date: Date, narration: str, payee: str | None, to: str, amount: Decimal
) -> Builder:
    """A payment from petty cash, with 提取备用金 from the bank first when cash is short."""

    def build(book: Book) -> list[Txn]:
        village = book.village
        pay = Txn(date, narration, [(to, amount), (village.cash, -amount)], payee=payee)
        short = amount - book.bal(village.cash)
        if short <= 0:
            return [pay]
        if date < village.bank_from:
            return []  # no cash to spare in a sample month: the expense waits
        top_up = max(Decimal(3000), (short / 1000).to_integral_value(ROUND_DOWN) * 1000 + 2000)
        withdraw = payment(date, "提取备用金", None, village.main_bank, village.cash, top_up)
        return [withdraw, pay]

    return build


def payroll_events(book: Book, year: int, month: int) -> list[Event]:
    """Wages accrued to 应付工资/应付劳务费 for the month, and payday for what is owed."""
    village = book.village
    accrual_date = (
        Date(year, month, village.accrual_day) if village.accrual_day else month_end(year, month)
    )
    costs: dict[str, Decimal] = defaultdict(Decimal)
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for crew in village.crews:
        if crew.start <= accrual_date:
            amount = vary(book.rng, crew.monthly[month - 1], step=100, spread=8)
            costs[crew.cost_account] += amount
            owed[crew.payable] += amount
    events = []
    if sum(costs.values()):
        what = "工资及劳务费" if owed.get(LABOUR) else "工资"
        postings = [*costs.items(), *((p, -a) for p, a in owed.items())]
        accrual = Txn(accrual_date, f"计提{month}月{what}", postings, accrues=f"{month}月")
        events.append(Event(accrual_date, ACCRUE, once(accrual)))
    payday = Date(year, month, village.payday)

    def pay(book: Book) -> list[Txn]:
        """One payment per payable, as a journal row names one counter-account."""
        months_ = "、".join(book.unpaid_wages) or f"{month}月"
        return [
            payment(payday, f"发放{months_}{kind}", payee, village.main_bank, p, owed)
            for p, kind, payee in (
                (WAGES, "工资", village.staff),
                (LABOUR, "劳务费", village.labourers),
            )
            if (owed := -book.bal(p))
        ]

    events.append(Event(payday, PAY, pay))
    return events


def routine_events(book: Book, year: int, month: int) -> list[Event]:
    """Interest, bank fees, suppliers paid, debts collected, materials bought and used."""
    village = book.village
    events = []
    if month in (3, 6, 9, 12):
        events.append(Event(Date(year, month, 21), RECEIVE, interest))
    if month in (2, 5, 8, 11):
        fee = vary(book.rng, 90, step=1, spread=40)
        txn = payment(
            Date(year, month, 27),
            "银行账户管理费及转账手续费",
            BANK_NAME,
            village.main_bank,
            BANK_FEES,
            fee,
        )
        events.append(Event(txn.date, PAY, once(txn)))
    events.append(Event(Date(year, month, 8), PAY, settle_payables))
    events.append(Event(Date(year, month, 20), RECEIVE, collect_receivables))
    if village.stock:
        order = vary(book.rng, village.stock.order, step=100, spread=20)
        events.append(Event(Date(year, month, 5), PAY, restock(order)))
        events.append(Event(month_end(year, month), MONTH_END, use_stock))
    if (year, month) > (START.year, START.month) and month == 1:
        events.append(Event(Date(year, month, 18), PAY, pay_members))
    return events


def interest(book: Book) -> list[Txn]:
    """Quarterly interest on every bank account (结息, the 21st of the quarter's last month)."""
    date = book.pending_date
    txns = []
    for bank in book.village.banks:
        amount = (book.bal(bank.path) * book.village.interest_rate).quantize(CENT)
        if amount > 0:
            txns.append(receipt(date, "银行结息", BANK_NAME, bank.path, INTEREST, amount))
    return txns


def settle_payables(book: Book) -> list[Txn]:
    """Pay suppliers what was bought on credit (应付款, but not members' distributions)."""
    date = book.pending_date
    txns = []
    for path, account in sorted(book.accounts.paths.items()):
        owed = -book.balance.get(account, ZERO)
        if path.startswith("应付款-") and path != MEMBERS_PAYABLE and owed > 0:
            supplier = path.split("-", 1)[1]
            txns.append(
                payment(date, f"支付{supplier}欠款", supplier, book.village.main_bank, path, owed)
            )
    return txns


def collect_receivables(book: Book) -> list[Txn]:
    date = book.pending_date
    txns = []
    for path, account in sorted(book.accounts.paths.items()):
        due = book.balance.get(account, ZERO)
        if path.startswith("应收款-") and due > 0:
            debtor = path.split("-", 1)[1]
            txns.append(
                receipt(date, f"收回{debtor}欠款", debtor, book.village.main_bank, path, due)
            )
    return txns


def restock(order: Decimal) -> Builder:
    """Buy materials when the stock runs low, part on credit."""

    def build(book: Book) -> list[Txn]:
        stock = book.village.stock
        if stock is None or book.bal(stock.account) >= stock.reorder_below:
            return []
        credit = (order * stock.on_credit / 1000).to_integral_value(ROUND_DOWN) * 1000
        name = stock.account.split("-")[-1]
        date, bank = book.pending_date, book.village.main_bank
        paid = payment(date, f"购进{name}", stock.supplier, bank, stock.account, order - credit)
        owed = f"应付款-{stock.supplier}"
        bought = payment(date, f"购进{name}(赊购)", stock.supplier, owed, stock.account, credit)
        return [paid, bought] if credit else [paid]

    return build


def use_stock(book: Book) -> list[Txn]:
    """Materials used in the month, as a share of the month's sales."""
    stock = book.village.stock
    date = book.pending_date
    if stock is None:
        return []
    used = min(book.sold_in[date.year, date.month] * stock.use_ratio, book.bal(stock.account))
    used = used.quantize(CENT, ROUND_DOWN)
    if used <= 0:
        return []
    name = stock.account.split("-")[-1]
    return [
        Txn(
            date,
            f"领用{name}投入加工({date.month}月)",
            [(stock.into, used), (stock.account, -used)],
        )
    ]


def pay_members(book: Book) -> list[Txn]:
    """Pay last year's members' distribution (approved in December) from the bank."""
    owed = -book.bal(MEMBERS_PAYABLE)
    if owed <= 0:
        return []
    year = book.pending_date.year - 1
    narration = f"发放{year}年度成员收益分配款({book.village.members}人)"
    return [
        payment(
            book.pending_date,
            narration,
            "本社成员(代发)",
            book.village.main_bank,
            MEMBERS_PAYABLE,
            owed,
        )
    ]


def period(since: Date, until: Date) -> str:
    """``2024年第2季度`` or ``2024年1-6月``."""
    if since.month % 3 == 1 and until.month == since.month + 2:
        return f"{until.year}年第{until.month // 3}季度"
    return f"{until.year}年{since.month}-{until.month}月"


def depreciate(book: Book) -> list[Txn]:
    """Straight-line depreciation since the last quarter end, one entry per quarter: each
    asset's monthly charge, as the asset register computes it (``projects.registers``)."""
    until = book.pending_date
    since = book.depreciated_from
    by_expense: dict[str, Decimal] = defaultdict(Decimal)
    for asset in book.assets:
        first = max(since, asset.since)
        active = (until.year - first.year) * 12 + until.month - first.month + 1
        if active > 0:
            by_expense[asset.expense] += monthly_charge(asset.cost, asset.years) * active
    book.depreciated_from = until + datetime.timedelta(days=1)
    total = sum(by_expense.values())
    if not total:
        return []
    postings = [*sorted(by_expense.items()), (DEPRECIATION, -total)]
    return [Txn(until, f"计提{period(since, until)}固定资产折旧", postings)]


def cost_of_sales(book: Book) -> list[Txn]:
    """Move the cost of what was sold out of 生产(劳务)成本 into 经营支出."""
    until = book.pending_date
    since = book.costed_from
    book.costed_from = until + datetime.timedelta(days=1)
    postings: list[tuple[str, Decimal]] = []
    left: dict[str, Decimal] = {}
    for product in book.village.products:
        sold = book.sold.pop(book.account(product.sales.account), ZERO)
        available = left.setdefault(product.cost_account, book.bal(product.cost_account))
        cost = min(sold * product.cost_ratio, available).quantize(CENT, ROUND_DOWN)
        if cost > 0:
            left[product.cost_account] -= cost
            postings += [(product.cost_of_sales, cost), (product.cost_account, -cost)]
    if not postings:
        return []
    return [Txn(until, f"结转{period(since, until)}产品销售成本", postings)]


def quarter_events(year: int, month: int) -> list[Event]:
    if month not in (3, 6, 9, 12):
        return []
    end = month_end(year, month)
    return [Event(end, MONTH_END, depreciate), Event(end, COSTING, cost_of_sales)]


# --- projects and the year end --------------------------------------------------------


def project_events(village: Village, project: Project) -> list[Event]:
    """A project's planned receipts, own share, payments and completion."""
    bank = project.bank or village.main_bank
    link = project.id
    events = []
    for r in project.receipts:
        fund = f"{r.fund}-{project.name}"
        txn = receipt(r.date, r.narration, r.payer, bank, fund, r.amount, link)
        events.append(Event(r.date, FIXED, once(replace(txn, generated=False))))
    if project.own_share:
        date, amount = project.own_share
        txn = payment(
            date, "划转村集体自筹资金至项目专户", None, village.main_bank, bank, amount, link
        )
        events.append(Event(date, FIXED, once(replace(txn, generated=False))))
    for p in project.payments:
        txn = payment(p.date, p.narration, p.payee, bank, project.work, p.amount, link)
        events.append(Event(p.date, FIXED, once(replace(txn, generated=False))))
    if project.completed:
        events.append(Event(project.completed, FIXED + 1, complete(project)))
    return events


def complete(project: Project) -> Builder:
    """在建工程 → 固定资产; the project's earmarked and 一事一议 money → 公积公益金."""

    def build(book: Book) -> list[Txn]:
        date = project.completed
        assert date is not None
        postings: list[tuple[str, Decimal]] = []
        done = f"{project.name}完成验收"
        if project.asset:
            cost = book.bal(project.work)
            postings += [(project.asset.account, cost), (project.work, -cost)]
            next_month_ = Date(*next_month(date.year, date.month), 1)
            book.assets.append(replace(project.asset, cost=cost, since=next_month_))
            done = f"{project.name}竣工验收, 在建工程转入固定资产"
        for fund in ("专项应付款", "一事一议资金"):
            held = -book.bal(f"{fund}-{project.name}")
            if held > 0:
                postings += [(f"{fund}-{project.name}", held), (PUBLIC_FUND, -held)]
        if any(path == PUBLIC_FUND for path, _ in postings):
            done += ", 项目资金转入公积公益金"
        return [Txn(date, done, postings, links=(project.id,), generated=False)]

    return build


def year_end_events(year: int) -> list[Event]:
    """The year end as ``close-year`` and ``distribute`` book it (:mod:`projects.closing`)."""
    end = Date(year, 12, 31)
    return [Event(end, CLOSING, close_income), Event(end, CLOSING + 1, distribute)]


def close_income(book: Book) -> list[Txn]:
    """损益 → 本年收益 → 未分配收益, from the book's balances."""
    year = book.pending_date.year
    results = {
        account: amount
        for account, amount in sorted(book.balance.items())
        if amount and root(account) in closing.RESULT_ROOTS
    }
    book.profit[year] = -sum(results.values(), ZERO)
    year_profit = book.bal(closing.YEAR_PROFIT)
    entries = closing.close_balances(results, year_profit, year, book.account(RETAINED))
    return [Txn.of(entry) for entry in entries]


def distribute(book: Book) -> list[Txn]:
    """The members' meeting's plan: 公积公益金 and a whole-元 share per member, never
    more than the year's surplus or the undistributed balance; then 各项分配 → 未分配收益."""
    village = book.village
    year = book.pending_date.year
    profit = book.profit[year]
    available = -book.bal(RETAINED)
    if profit <= 0 or available <= 0:
        return []
    reserve = (min(profit, available) * village.reserve_share).quantize(Decimal(1), ROUND_DOWN)
    share = min(profit * village.member_share, available - reserve)
    per_member = (share / village.members).to_integral_value(ROUND_DOWN)
    book.distributions[year] = Distribution(reserve, per_member)
    fund, payable = book.account(PUBLIC_FUND), book.account(MEMBERS_PAYABLE)
    shares = [closing.Share(book.account(RESERVE), fund, reserve)]
    shares += [  # one line per household, as the plan lists them
        closing.Share(book.account(MEMBER_SHARE), payable, per_member * member.shares)
        for member in book.members
    ]
    entries = closing.distribute(shares, year, book.account(RETAINED), {})
    return [Txn.of(entry) for entry in entries]


# --- replaying a village --------------------------------------------------------------


def opening_entry(village: Village) -> Txn:
    """期初余额 on 2024-01-01, balanced by 未分配收益."""
    postings = [(b.path, b.opening) for b in village.banks if b.opening]
    postings.append((village.cash, village.cash_opening))
    postings += [(a.account, a.cost) for a in village.assets]
    postings.append((DEPRECIATION, -village.depreciated))
    postings += list(village.opening)
    postings.append((RETAINED, -sum(amount for _, amount in postings)))
    return Txn(START, "期初余额", postings, tags=("opening",), generated=False)


def sample_txn(village: Village, entry: Entry) -> Txn:
    """A sample row as a transaction."""
    return Txn(
        entry.date,
        entry.narration,
        list(entry.postings),
        payee=entry.payee,
        links=(entry.link,) if entry.link else (),
        generated=False,
        sample=village.sample_kind,
    )


def replay(village: Village, seed: int) -> Book:
    """The village's two years of books."""
    book = Book(village, random.Random(f"{seed}-{village.name}"), households(village, seed))
    book.post(opening_entry(village))
    planned: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for entry in village.sample:
        txn = sample_txn(village, entry)
        planned[entry.date.year, entry.date.month].append(Event(entry.date, FIXED, once(txn)))
    for project in village.projects:
        for event in project_events(village, project):
            planned[event.date.year, event.date.month].append(event)
    for year, month in months(START, END):
        events = list(planned[year, month])
        if (year, month) >= (village.generated_from.year, village.generated_from.month):
            events += month_events(book, year, month)
        if month == 12:
            events += year_end_events(year)
        for event in sorted(events, key=lambda e: (e.date, e.order)):
            book.pending_date = event.date
            for txn in event.build(book):
                book.post(txn)
    return book


def month_events(book: Book, year: int, month: int) -> list[Event]:
    """The recurring activity of one month."""
    village = book.village
    events = []
    for product in village.products:
        events += flow_events(book, product.sales, year, month, income=True)
    for flow in village.incomes:
        events += flow_events(book, flow, year, month, income=True)
    for flow in village.expenses:
        events += flow_events(book, flow, year, month, income=False)
    events += payroll_events(book, year, month)
    events += routine_events(book, year, month)
    events += quarter_events(year, month)
    return events
