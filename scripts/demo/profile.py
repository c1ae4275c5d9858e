"""A village *profile*: plain data, read from ``data/<村>.toml`` by :mod:`scripts.demo.villages`.

Products and their seasons, wage levels, recurring receipts and payments, fixed assets,
projects, the posted first secretary and the funds the secretary's unit pledged, and the
rows of the 2024 Q1 sample spreadsheet the village's books begin with. Amounts are 元.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scripts.demo.common import BANK_JOURNAL, START, ZERO, Date


@dataclass(frozen=True)
class Flow:
    """A recurring receipt or payment: a base amount per month and who pays whom.

    Each month's amount is the base ± ``spread`` percent, rounded to ``step`` 元 (0: to the
    cent), split over up to ``parts`` receipts or payments on random days.
    Income is received into the bank; expenses are paid from the bank or, with
    ``via="cash"``, from 库存现金 (topped up from the bank when short).
    """

    account: str  # name path, e.g. "经营收入-香菇销售"
    narration: str  # may use {year} and {month}
    parties: tuple[str, ...]  # payers of income, payees of expenses
    monthly: tuple[int, ...]
    step: int = 10
    parts: int = 1
    spread: int = 10
    via: str = "bank"
    start: Date = START
    link: str | None = None  # the project whose output this is


@dataclass(frozen=True)
class Product:
    """What the village sells. Cost of sales is a share of sales out of 生产(劳务)成本."""

    sales: Flow
    cost_account: str  # name path of the 401 (or 131) account the cost comes from
    cost_ratio: Decimal

    @property
    def cost_of_sales(self) -> str:
        product = self.sales.account.split("-")[-1].removesuffix("销售")
        return f"经营支出-{product}销售成本"


@dataclass(frozen=True)
class Crew:
    """People paid monthly: wages accrued to 应付工资 or 应付劳务费 and paid on payday."""

    cost_account: str
    payable: str  # WAGES (staff) or LABOUR (seasonal and temporary workers)
    monthly: tuple[int, ...]
    start: Date = START


@dataclass(frozen=True)
class Stock:
    """Materials bought into 库存物资 and used in production as a share of each month's sales."""

    account: str
    into: str
    use_ratio: Decimal
    reorder_below: int
    order: int
    supplier: str
    on_credit: Decimal  # share of each order bought on credit (应付款-<supplier>)


@dataclass(frozen=True)
class Asset:
    """A fixed asset, depreciated straight-line at each quarter end."""

    account: str  # name path, e.g. "固定资产-村部办公楼"
    cost: Decimal
    years: int
    expense: str  # "管理费用-折旧费" or "经营支出-折旧费"
    since: Date = START  # first month depreciated


@dataclass(frozen=True)
class Receipt:
    """Money brought in for a project: a liability until the project's asset is formed."""

    date: Date
    payer: str
    amount: Decimal
    narration: str
    fund: str = "专项应付款"  # or "一事一议资金" (raised from villagers)


@dataclass(frozen=True)
class Payment:
    date: Date
    payee: str
    amount: Decimal
    narration: str


@dataclass(frozen=True)
class Project:
    """A project decided by 四议一审两公开, its money as planned and what it becomes."""

    id: str
    name: str
    kind: str
    budget: Decimal
    expected_income: Decimal
    declared: Date
    steps: tuple[Date, ...]  # dates of projects.model.DECISION_STEPS
    funding: tuple[tuple[str, Decimal, str | None], ...]  # 来源, 金额, 出资方
    work: str  # where its spending goes: 在建工程-…, 消耗性生物资产-…, 公益支出-…
    receipts: tuple[Receipt, ...] = ()
    payments: tuple[Payment, ...] = ()
    own_share: tuple[Date, Decimal] | None = None  # 自筹 moved into the project account
    completed: Date | None = None
    asset: Asset | None = None  # what the work becomes (cost filled in on completion)
    result_public: Date | None = None
    secretary: str | None = None
    bank: str | None = None  # the account holding the project's money (default: main)


@dataclass(frozen=True)
class Bank:
    path: str  # "银行存款-青石农商行"
    number: str
    opening: Decimal = ZERO


@dataclass(frozen=True)
class Secretary:
    name: str
    unit: str
    start: Date
    until: Date


@dataclass(frozen=True)
class Claim:
    """Funds the secretary's unit pledged (协调) or says have landed (到位)."""

    kind: str  # "pledge" or "landed"
    date: Date
    unit: str
    fund: str
    amount: Decimal
    project: str | None = None


@dataclass(frozen=True)
class Entry:
    """A fixed transaction, e.g. a row of a sample spreadsheet: postings by name path."""

    date: Date
    narration: str
    payee: str | None
    postings: tuple[tuple[str, Decimal], ...]
    link: str | None = None  # a project (P…) or contract (C…) link


@dataclass(frozen=True)
class OldBalance:
    """Part of an opening balance the 2004 chart kept in an account with no single 2023
    equivalent: the 2023 year-end trial balance shows it there, and the accountant answers
    the mapping file ``open-books --chart 2004`` writes with the 2023 account."""

    account: str  # name path in the 2023 chart, e.g. WAGES
    code: str  # the 2004 first-level account, e.g. "212" (应付福利费)
    amount: Decimal  # signed, a part of the account's opening balance
    note: str  # the accountant's reason, in the mapping file's 说明


@dataclass(frozen=True)
class Village:
    name: str
    industry: str
    groups: tuple[int, ...]  # 集体经济组织成员 per 村民小组, sharing the year-end distribution
    banks: tuple[Bank, ...]  # the first is the main account
    cash: str  # name path of 库存现金
    cash_opening: Decimal
    opening: tuple[tuple[str, Decimal], ...]  # other opening balances, signed
    assets: tuple[Asset, ...]
    depreciated: Decimal  # 累计折旧 at the opening
    products: tuple[Product, ...]
    incomes: tuple[Flow, ...]
    expenses: tuple[Flow, ...]
    crews: tuple[Crew, ...]
    projects: tuple[Project, ...]
    secretary: Secretary
    claims: tuple[Claim, ...]
    payday: int  # wages are paid on this day of the month …
    accrual_day: int = 0  # … and accrued on this one (0: the last day of the month)
    staff: str = "村干部及管理人员"  # payee of the wages (应付工资)
    labourers: str = "本村务工人员"  # payee of seasonal and temporary labour (应付劳务费)
    stock: Stock | None = None
    sample: tuple[Entry, ...] = ()  # fixed entries of 2024 Q1
    sample_kind: str = BANK_JOURNAL  # the spreadsheet the sample's bank rows come from
    rules: tuple[tuple[str, ...], ...] = ()  # import-rules.csv: 户名 摘要 方向 科目 [出资方]
    generated_from: Date = START  # the recurring activity starts in this month …
    bank_from: Date = START  # … and touches the bank from this day (samples before it)
    codes: tuple[tuple[str, str], ...] = ()  # sub-account codes a sample fixes
    reserve_share: Decimal = Decimal("0.15")  # of the year's surplus, to 公积公益金
    member_share: Decimal = Decimal("0.40")  # of the year's surplus, to the members
    interest_rate: Decimal = Decimal("0.0005")  # a quarter's interest on the balance
    chart_2004: tuple[OldBalance, ...] = ()  # opening balances in 2004 accounts now gone
    reconciled: tuple[str, ...] = ()  # months reconciled with the bank statement (2024-03)

    @property
    def main_bank(self) -> str:
        return self.banks[0].path

    @property
    def members(self) -> int:
        return sum(self.groups)
