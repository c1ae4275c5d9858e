"""Generate the demo township 青石镇: four fictional villages, 2024 and 2025.

    python -m scripts.demo [--out DIR] [--examples DIR] [--seed N]

writes the spreadsheets the villages hand in to ``examples/青石镇`` and builds the books
``DIR/青石镇/{东山村,西河村,南岭村,北坡村}`` (``DIR`` defaults to the repository's ``ledgers/``)
by importing them, deleting and recreating those two ``青石镇`` folders and nothing else.
The same seed gives byte-identical files.

How the township is built:

1. A ``Book`` replays each village's two years month by month, in date order:
   - the rows of the shared sample spreadsheets of 2024 Q1 (东山村's bank journal,
     西河村's voucher list, 南岭村's bank statement), transcribed below as text tables;
   - the village's projects as planned: money received (专项应付款, 一事一议资金), payments
     into 在建工程, completion (在建工程 → 固定资产, the project's funds → 公积公益金);
   - the recurring activity of the village's profile: sales by season, other income,
     wages accrued and paid, expenses from the bank or petty cash, interest, bank fees,
     depreciation, cost of sales;
   - the year end: 损益 → 本年收益 → 未分配收益 and the distribution the members' meeting
     approved (公积公益金, a whole-元 share per member), paid to members the next January.
   The book refuses any entry that does not balance or that takes cash or a bank account
   below zero.
2. The book's entries become the village's monthly spreadsheets (``papers``): a 银行存款日记账
   for each bank account and a 现金日记账 (every movement of money, one counter-account a
   row; a transfer between two of them is a row of both, which the import counts once),
   南岭村's 银行对账单 for 2024 Q1, and a 凭证列表 of everything else; the 2023 year-end
   科目余额表 in the 2004 chart the books open from, and each year's 收益分配方案; plus the
   township's 帮扶资金台账 per year, from the first secretaries' claims.
3. As a township accountant would: ``scripts.village.new_village`` creates each ledger; the
   sub-accounts the book used (each code extends its parent's), the declarations
   (README, 声明语法) and the rules for the statement are written; the books are opened
   from the trial balance (``cunzhang open-books --chart 2004``, answering the mapping file
   it asks for); then, year by year, the register and the spreadsheets are imported with
   :func:`importers.run.import_files` (what ``cunzhang import`` does), which writes the
   entries with their source, the balance assertions and the archived copies under
   ``documents/``; a month is reconciled with the bank statement (``cunzhang reconcile``),
   and the year is closed and distributed (``cunzhang close-year``, ``cunzhang distribute``):
   the commands' functions in :mod:`scripts.books`, so every written entry is theirs.

A village *profile* (``Village``) is plain data: products and their seasons, wage levels,
recurring receipts and payments, fixed assets, projects, the posted first secretary and
the funds the secretary's unit pledged. Every name in the demo is fictional.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime
import io
import random
import shutil
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import openpyxl
from beancount.core import account as bc_account
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from importers.classify import RULES_FILE
from importers.run import import_files
from importers.sheet import ImportRefused
from importers.trial_balance import MAPPING_COLUMNS, mapping_path, mapping_text
from projects import chart
from projects.layout import EMBEDDED_LEDGERS
from scripts.books import close_books, distribute_plan, open_books, reconcile_month
from scripts.village import new_village

Date = datetime.date

TOWNSHIP = "青石镇"
START = Date(2024, 1, 1)
END = Date(2025, 12, 31)
DEFAULT_SEED = 2024
#: The spreadsheets the villages hand in, committed as examples (``examples/青石镇/<村>/``).
EXAMPLES = EMBEDDED_LEDGERS.parent / "examples"

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# Accounts every village uses, by name path (名称路径: the names without codes, joined by "-").
RETAINED = "收益分配-未分配收益"
RESERVE = "收益分配-各项分配-提取公积公益金"
MEMBER_SHARE = "收益分配-各项分配-成员分配"
MEMBERS_PAYABLE = "应付款-应付成员分配"
YEAR_PROFIT = "本年收益"
PUBLIC_FUND = "公积公益金"
DEPRECIATION = "累计折旧"
INTEREST = "其他收入-利息收入"
BANK_FEES = "管理费用-银行手续费"
WAGES = "应付工资"
LABOUR = "应付劳务费"
BANK_NAME = "青石农商行"
BANK_TITLE = "青石农村商业银行"  # as its statements are headed
TOWN = "青石镇人民政府"
VILLAGERS = "本村村民"

#: Sub-account codes every village shares (收益分配's two levels).
SHARED_CODES = (
    ("32201", "收益分配-各项分配"),
    ("32202", RETAINED),
    ("3220101", RESERVE),
    ("3220102", MEMBER_SHARE),
)

#: The kinds of spreadsheet a village hands in (the importers recognise them by content).
BANK_JOURNAL = "银行存款日记账"
CASH_JOURNAL = "现金日记账"
VOUCHERS = "凭证列表"
STATEMENT = "银行对账单"
REGISTER = "帮扶资金台账"
TRIAL_BALANCE = "科目余额表"
PLAN = "收益分配方案"

#: Decision steps before any spending (四议一审两公开), then the result disclosure.
STEPS = ("提议", "商议", "审议", "决议", "乡镇审核", "决议公开")
RESULT_STEP = "实施结果公开"


def yuan(value: int | str | Decimal) -> Decimal:
    """An amount in 元, to the cent."""
    return Decimal(str(value).replace(",", "")).quantize(CENT)


def day(text: str) -> Date:
    return Date.fromisoformat(text)


def days(*texts: str) -> tuple[Date, ...]:
    return tuple(day(t) for t in texts)


def month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year, month + 1) if month < 12 else (year + 1, 1)


def months(start: Date, end: Date) -> Iterator[tuple[int, int]]:
    """(year, month) from ``start``'s month to ``end``'s month."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = next_month(year, month)


def per_month(amounts: dict[int, int]) -> tuple[int, ...]:
    """Twelve monthly base amounts from ``{month: amount}``; other months have none."""
    return tuple(amounts.get(m, 0) for m in range(1, 13))


def every_month(amount: int) -> tuple[int, ...]:
    return (amount,) * 12


def quarterly(amount: int) -> tuple[int, ...]:
    return per_month(dict.fromkeys((3, 6, 9, 12), amount))


# --- village profiles -----------------------------------------------------------------


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


def got(date: str, payer: str, amount: int, narration: str, fund: str = "专项应付款") -> Receipt:
    """A project receipt, written compactly in the profiles below."""
    return Receipt(day(date), payer, yuan(amount), narration, fund)


def pay(date: str, payee: str, amount: int, narration: str) -> Payment:
    """A project payment, written compactly in the profiles below."""
    return Payment(day(date), payee, yuan(amount), narration)


@dataclass(frozen=True)
class Project:
    """A project decided by 四议一审两公开, its money as planned and what it becomes."""

    id: str
    name: str
    kind: str
    budget: Decimal
    expected_income: Decimal
    declared: Date
    steps: tuple[Date, ...]  # dates of STEPS
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
    project: str | None = None


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
    staff: str = "本村务工人员"  # payee of the wages
    stock: Stock | None = None
    sample: tuple[Entry, ...] = ()  # fixed entries of 2024 Q1
    sample_kind: str = BANK_JOURNAL  # the spreadsheet the sample's bank rows come from
    rules: tuple[tuple[str, str, str, str], ...] = ()  # import-rules.csv: 户名 摘要 方向 科目
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


# --- the sample spreadsheets (2024 Q1), transcribed ------------------------------------


def table(text: str) -> list[list[str | None]]:
    """The rows of a text table under its header line; cells split on spaces, "-" is empty."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return [[None if c == "-" else c for c in line.split()] for line in lines[1:]]


def bank_journal(year: int, bank: str, text: str) -> tuple[Entry, ...]:
    """Entries from a bank journal: 日期 金额 (+ in, − out) 摘要 对方科目 项目 收付款人."""
    entries = []
    for date, amount, narration, counter, project, payee in table(text):
        money = yuan(amount)
        postings = (
            ((bank, money), (counter, -money)) if money > 0 else ((counter, -money), (bank, money))
        )
        entries.append(Entry(day(f"{year}-{date}"), narration, payee, postings, project))
    return tuple(entries)


def voucher_list(year: int, text: str) -> tuple[tuple[Entry, ...], tuple[tuple[str, str], ...]]:
    """Entries from a voucher list (凭证列表), one line per posting, and the codes it uses.

    Columns: 日期 凭证号 摘要 科目编码 科目名称 金额 (借 +, 贷 −) 项目 收付款人; the project and
    payee are read from a voucher's first line.
    """
    vouchers: dict[str, list[list[str | None]]] = {}
    for row in table(text):
        vouchers.setdefault(row[1], []).append(row)
    entries, codes = [], {}
    for lines in vouchers.values():
        date, _, narration, *_, project, payee = lines[0]
        postings = tuple((path, yuan(amount)) for _, _, _, _, path, amount, _, _ in lines)
        entries.append(Entry(day(f"{year}-{date}"), narration, payee, postings, project))
        codes.update({path: code for _, _, _, code, path, *_ in lines if len(code) > 3})
    return tuple(entries), tuple((code, path) for path, code in codes.items())


# 东山村_2024Q1_银行存款日记账.xlsx, account 6230****0001, opening balance 186,420.50.
DONGSHAN_JOURNAL = """
日期  金额    摘要                               对方科目                项目     收付款人
01-05 38600   收到香菇销售款(青石商贸)           经营收入-香菇销售       -        青石商贸有限公司
01-08 -42000  支付周边7村冷棚租金                经营支出-冷棚租金       -        周边7村
01-15 -56800  发放12月务工工资                   应付工资                -        本村务工人员
01-20 300000  收到市金融发展局帮扶资金           专项应付款-香菇基地扩建 P2024-01 市金融发展局
01-25 -1280   购办公用品                         管理费用-办公费         -        青石文具店
01-31 86.42   银行结息                           其他收入-利息收入       -        青石农商行
02-03 52340   收到香菇销售款(鲜菇批发)           经营收入-香菇销售       -        县鲜菇批发市场
02-10 -96500  支付菌棒采购款                     生产(劳务)成本-香菇种植 -        县食用菌菌种场
02-18 -120000 支付冷棚改造工程进度款             在建工程-冷棚改造       P2024-01 青石建筑工程队
02-28 -5000   提取备用金                         库存现金                -        -
03-05 61250   收到香菇销售款(电商订单)           经营收入-香菇销售       -        青石电商服务站
03-12 -58300  发放2月务工工资                    应付工资                -        本村务工人员
03-20 150000  收到镇财政衔接推进乡村振兴补助资金 专项应付款-香菇基地扩建 P2024-01 青石镇人民政府
03-25 -23400  支付村内道路维修款                 公益支出-道路维修       -        青石路桥工程队
03-31 102.15  银行结息                           其他收入-利息收入       -        青石农商行
"""

# 西河村_2024Q1_凭证列表.xlsx. The sheet names 10101 just 库存现金; here it is 库存现金-现金.
XIHE_VOUCHERS = """
日期  凭证号 摘要                     编码  科目名称                金额   项目     收付款人
01-06 记-001 粮油加工厂产品销售收入   10201 银行存款-青石农商行     45000  -        县粮油经销部
01-06 记-001 粮油加工厂产品销售收入   50102 经营收入-粮油销售       -45000 -        -
01-10 记-002 计提1月工资              40101 生产(劳务)成本-粮油加工 18000  -        -
01-10 记-002 计提1月工资              51301 管理费用-管理人员工资   6000   -        -
01-10 记-002 计提1月工资              212   应付工资                -24000 -        -
01-15 记-003 发放1月工资              212   应付工资                24000  -        本厂职工
01-15 记-003 发放1月工资              10201 银行存款-青石农商行     -24000 -        -
01-20 记-004 收到村级组织运转经费补助 10201 银行存款-青石农商行     80000  -        青石镇人民政府
01-20 记-004 收到村级组织运转经费补助 50301 补助收入-运转经费       -80000 -        -
02-05 记-005 购进原粮                 12101 库存物资-原粮           62000  -        青石粮站
02-05 记-005 购进原粮                 10201 银行存款-青石农商行     -50000 -        -
02-05 记-005 购进原粮                 21101 应付款-青石粮站         -12000 -        -
02-20 记-006 收到2024年度土地发包费   10201 银行存款-青石农商行     36000  -        西河种粮合作社
02-20 记-006 收到2024年度土地发包费   50103 经营收入-发包收入       -36000 -        -
03-02 记-007 一事一议道路硬化工程款   51401 公益支出-道路硬化       28000  P2024-05 青石路桥工程队
03-02 记-007 一事一议道路硬化工程款   10201 银行存款-青石农商行     -28000 -        -
03-15 记-008 收到入股企业分红         10201 银行存款-青石农商行     15000  -        县粮食储备公司
03-15 记-008 收到入股企业分红         50201 投资收益-股金分红       -15000 -        -
03-28 记-009 报销差旅费               51302 管理费用-差旅费         1460   -        -
03-28 记-009 报销差旅费               10101 库存现金-现金           -1460  -        -
"""

# 南岭村_2024Q1_农商银行对账单.xlsx, account 6230 5800 1234 5678, opening 52,310.08. The
# statement has no counter-accounts; these are the village's. The 60,000 of 2024-01-03
# came from 青石镇人民政府 although 市农业农村局 reports it as its own landed funds.
NANLING_STATEMENT = """
日期  金额   摘要                     对方科目                  项目     对方户名
01-03 60000  收到镇财政衔接资金(种苗) 专项应付款-中药材种苗     P2024-03 青石镇人民政府
01-09 -18450 支付黄芪种苗款           消耗性生物资产-中药材种苗 P2024-03 青石中药材种植专业合作社
01-22 73600  收到中药材销售款         经营收入-中药材销售       -        县中药饮片有限公司
02-06 -21380 代发1月工资              应付工资                  -        本村务工人员
02-27 -120   银行手续费               管理费用-银行手续费       -        青石农商行
03-11 -9860  支付化肥农药款           生产(劳务)成本-中药材种植 -        县农资公司
03-21 35.77  银行结息                 其他收入-利息收入         -        青石农商行
"""

XIHE_SAMPLE, XIHE_CODES = voucher_list(2024, XIHE_VOUCHERS)


# --- the four villages ----------------------------------------------------------------

OFFICE = "管理费用-办公费"
TRAVEL = "管理费用-差旅费"
MANAGERS = "管理费用-管理人员工资"
CLEANING = "公益支出-环境卫生"
HARDSHIP = "公益支出-困难户慰问"
ADMIN_DEPRECIATION = "管理费用-折旧费"
PLANT_DEPRECIATION = "经营支出-折旧费"
SUBSIDY = "补助收入-运转经费"
LAND = "经营收入-发包收入"
LEASE = "经营收入-出租收入"
DIVIDEND = "投资收益-股金分红"


def upkeep(
    office: int, travel: dict[int, int], cleaning: int, hardship: int, lights: int
) -> tuple[Flow, ...]:
    """The running costs every village has: the office, travel, meetings, cleaning, street
    lights and the Spring Festival visits to families in hardship."""
    return (
        Flow(
            OFFICE, "购办公用品", ("青石文具店",), every_month(office), step=0, parts=3, via="cash"
        ),
        Flow(OFFICE, "订阅{year}年度报刊", ("青石镇邮政所",), per_month({11: 680}), spread=0),
        Flow(
            "管理费用-通讯费", "支付村部电话宽带费", ("青石电信营业厅",), every_month(199), spread=0
        ),
        Flow(TRAVEL, "报销赴县办事差旅费", (), per_month(travel), step=0, via="cash"),
        Flow(
            "管理费用-会议费",
            "村民代表会议误餐费",
            ("青石农家饭店",),
            per_month({1: 600, 4: 450, 7: 450, 10: 450, 12: 600}),
            via="cash",
        ),
        Flow(CLEANING, "支付村内保洁费", ("青石保洁服务队",), quarterly(cleaning), spread=0),
        Flow(
            "公益支出-文化活动",
            "村文化广场活动用品",
            ("青石文体用品店",),
            per_month({2: 800, 6: 500, 10: 600}),
            via="cash",
        ),
        Flow(
            "公益支出-路灯电费", "支付村内路灯电费", ("青石镇供电所",), every_month(lights), step=0
        ),
        Flow(HARDSHIP, "春节走访慰问困难户", (), per_month({1: hardship}), spread=0, via="cash"),
    )


def subsidy(month: int, amount: int) -> Flow:
    """村级组织运转经费: a general subsidy (503), the only government money that is income."""
    return Flow(SUBSIDY, "收到村级组织运转经费补助", (TOWN,), per_month({month: amount}), spread=0)


DONGSHAN_BANK = "银行存款-青石农商行"
MUSHROOMS = "生产劳务成本-香菇种植"
DONGSHAN = Village(
    name="东山村",
    industry="香菇种植基地",
    groups=(72, 68, 81, 64, 59, 68),
    banks=(Bank(DONGSHAN_BANK, "6230****0001", yuan("186420.50")),),
    cash="库存现金",
    cash_opening=yuan("1260.00"),
    opening=(
        ("应收款-县食用菌合作联社", yuan(8600)),
        ("应付款-县食用菌菌种场", yuan(-15000)),
        (WAGES, yuan(-56800)),
        ("资本", yuan(-380000)),
        (PUBLIC_FUND, yuan(-120000)),
    ),
    assets=(
        Asset("固定资产-村部办公楼", yuan(360000), 40, ADMIN_DEPRECIATION),
        Asset("固定资产-香菇冷棚", yuan(200000), 15, PLANT_DEPRECIATION),
        Asset("固定资产-烘干设备", yuan(64000), 10, PLANT_DEPRECIATION),
    ),
    depreciated=yuan(176000),
    products=(
        Product(
            Flow(
                "经营收入-香菇销售",
                "收到香菇销售款",
                ("青石商贸有限公司", "县鲜菇批发市场", "青石电商服务站", "县城农贸市场"),
                (34000, 42000, 46000, 20000, 6000, 0, 0, 0, 5000, 12000, 18000, 24000),
                parts=4,
            ),
            MUSHROOMS,
            Decimal("0.72"),
        ),
        Product(
            Flow(
                "经营收入-冷棚香菇销售",
                "收到反季节冷棚香菇销售款",
                ("青石电商服务站", "县鲜菇批发市场"),
                per_month({5: 6000, 6: 9000, 7: 10000, 8: 10000, 9: 7000}),
                parts=2,
                start=day("2025-01-01"),
                link="P2024-01",
            ),
            MUSHROOMS,
            Decimal("0.70"),
        ),
    ),
    incomes=(
        Flow(LAND, "收到{year}年度土地发包费", ("东山家庭农场",), per_month({12: 12000})),
        Flow(
            LEASE, "收到村部门面房租金", ("青石便民超市",), per_month({6: 4800, 12: 4800}), spread=0
        ),
        Flow(DIVIDEND, "收到入股企业分红", ("县食用菌产业联合体有限公司",), per_month({6: 5000})),
        subsidy(5, 100000),
    ),
    expenses=(
        Flow(MUSHROOMS, "支付菌棒采购款", ("县食用菌菌种场",), per_month({2: 35000, 9: 20000})),
        Flow(
            "经营支出-冷棚租金",
            "支付周边7村冷棚租金",
            ("周边7村",),
            per_month({1: 42000}),
            spread=0,
        ),
        Flow("经营支出-水电费", "支付基地水电费", ("青石镇供电所",), every_month(900), step=0),
        Flow(
            "经营支出-运输费",
            "支付香菇运输费",
            ("青石物流",),
            (800, 900, 900, 600, 300, 0, 0, 0, 200, 500, 600, 700),
        ),
        Flow(
            "经营支出-维修费",
            "冷棚及烘干设备维修",
            ("青石农机修理部",),
            per_month({4: 1200, 8: 900, 10: 1500}),
        ),
        *upkeep(420, {3: 600, 5: 500, 8: 700, 11: 600}, cleaning=2400, hardship=3000, lights=320),
    ),
    crews=(
        Crew(
            MUSHROOMS,
            WAGES,
            (16000, 18000, 14000, 8000, 3000, 1500, 1500, 2000, 5000, 7000, 9000, 11000),
        ),
        Crew(MANAGERS, WAGES, every_month(2200)),
    ),
    projects=(
        Project(
            id="P2024-01",
            name="香菇基地扩建",
            kind="产业项目",
            budget=yuan(600000),
            expected_income=yuan(80000),
            declared=day("2024-01-02"),
            steps=days(
                "2024-01-03", "2024-01-06", "2024-01-09", "2024-01-12", "2024-01-15", "2024-01-18"
            ),
            funding=(
                ("派出单位帮扶", yuan(300000), "市金融发展局"),
                ("衔接资金", yuan(150000), TOWN),
                ("村集体自筹", yuan(150000), None),
            ),
            work="在建工程-冷棚改造",
            # The two receipts and the first payment are rows of the sample bank journal.
            payments=(
                pay("2024-04-16", "青石建筑工程队", 150000, "支付冷棚改造工程进度款"),
                pay("2024-05-22", "县农业设施工程有限公司", 98000, "支付冷棚喷淋温控设备款"),
                pay("2024-06-25", "青石建筑工程队", 76000, "支付冷棚改造工程进度款"),
                pay("2024-07-30", "青石建筑工程队", 31500, "支付冷棚改造工程结算尾款"),
            ),
            completed=day("2024-08-15"),
            asset=Asset("固定资产-扩建冷棚", ZERO, 20, PLANT_DEPRECIATION),
            result_public=day("2024-08-26"),
            secretary="王立新",
        ),
        Project(
            id="P2025-01",
            name="村部修缮",
            kind="公益事业",
            budget=yuan(150000),
            expected_income=ZERO,
            declared=day("2025-02-17"),
            steps=days(
                "2025-02-18", "2025-02-24", "2025-02-28", "2025-03-04", "2025-03-07", "2025-03-10"
            ),
            funding=(
                ("结对共建资金", yuan(100000), "市金融发展局"),
                ("村集体自筹", yuan(50000), None),
            ),
            work="在建工程-村部修缮",
            receipts=(got("2025-03-18", "市金融发展局", 100000, "收到市金融发展局结对共建资金"),),
            payments=(
                pay("2025-04-15", "青石建筑工程队", 60000, "支付村部修缮工程进度款"),
                pay("2025-05-20", "青石建筑工程队", 48000, "支付村部修缮工程进度款"),
                pay("2025-06-24", "青石建筑工程队", 21500, "支付村部修缮工程结算尾款"),
            ),
            completed=day("2025-07-08"),
            asset=Asset("固定资产-村部办公楼", ZERO, 20, ADMIN_DEPRECIATION),
            result_public=day("2025-07-18"),
            secretary="王立新",
        ),
    ),
    secretary=Secretary("王立新", "市金融发展局", day("2023-09-01"), day("2025-08-31")),
    claims=(
        Claim("pledge", day("2024-01-10"), "市金融发展局", "帮扶资金", yuan(300000), "P2024-01"),
        Claim("landed", day("2024-01-20"), "市金融发展局", "帮扶资金", yuan(300000), "P2024-01"),
        Claim("pledge", day("2024-03-01"), "市金融发展局", "结对共建资金", yuan(100000)),
        Claim(
            "landed", day("2025-03-18"), "市金融发展局", "结对共建资金", yuan(100000), "P2025-01"
        ),
    ),
    payday=12,
    sample=(
        *bank_journal(2024, DONGSHAN_BANK, DONGSHAN_JOURNAL),
        Entry(
            day("2024-02-29"),
            "计提2月务工工资",
            None,
            ((MUSHROOMS, yuan(58300)), (WAGES, yuan(-58300))),
        ),
    ),
    generated_from=day("2024-03-01"),
    bank_from=day("2024-04-01"),
    # The 2004 chart's 应付福利费 (gone in 2023): the accountant carries it into 应付工资.
    chart_2004=(OldBalance(WAGES, "212", yuan(-6800), "2023年制度取消应付福利费, 并入应付工资"),),
)

XIHE_BANK = "银行存款-青石农商行"
XIHE_PROJECTS = "银行存款-青石农商行专户"
OIL = "生产劳务成本-粮油加工"
XIHE = Village(
    name="西河村",
    industry="粮油加工厂",
    groups=(96, 88, 104, 79, 91, 80),
    banks=(Bank(XIHE_BANK, "6230****0002", yuan("68350.60")), Bank(XIHE_PROJECTS, "6230****0102")),
    cash="库存现金-现金",
    cash_opening=yuan("3200.00"),
    opening=(
        ("库存物资-原粮", yuan(16000)),
        ("应收款-县粮油经销部", yuan(6500)),
        ("资本", yuan(-400000)),
        (PUBLIC_FUND, yuan(-120000)),
    ),
    assets=(
        Asset("固定资产-加工厂房", yuan(420000), 30, PLANT_DEPRECIATION),
        Asset("固定资产-榨油设备", yuan(90000), 10, PLANT_DEPRECIATION),
        Asset("固定资产-村部办公楼", yuan(200000), 40, ADMIN_DEPRECIATION),
    ),
    depreciated=yuan(208000),
    products=(
        Product(
            Flow(
                "经营收入-粮油销售",
                "收到粮油销售款",
                ("县粮油经销部", "青石便民超市", "县城连锁超市", "青石镇中心学校食堂"),
                (
                    22000,
                    16000,
                    12000,
                    12000,
                    12000,
                    13000,
                    10000,
                    12000,
                    15000,
                    18000,
                    17000,
                    20000,
                ),
                parts=3,
            ),
            OIL,
            Decimal("0.76"),
        ),
        Product(
            Flow(
                "经营收入-小包装油销售",
                "收到小包装菜籽油销售款",
                ("县城连锁超市", "青石电商服务站"),
                every_month(3000),
                start=day("2024-07-01"),
                link="P2024-02",
            ),
            OIL,
            Decimal("0.76"),
        ),
    ),
    incomes=(
        Flow(
            LAND, "收到{year}年度土地发包费", ("西河种粮合作社",), per_month({2: 36000}), spread=0
        ),
        Flow(DIVIDEND, "收到入股企业分红", ("县粮食储备公司",), per_month({3: 15000})),
        Flow(LEASE, "收到仓库租金", ("青石物流",), per_month({7: 6000}), spread=0),
        subsidy(1, 80000),
    ),
    expenses=(
        Flow("经营支出-水电费", "支付加工厂电费", ("青石镇供电所",), every_month(2200), step=0),
        Flow("经营支出-包装费", "购买包装桶袋", ("县包装材料厂",), every_month(1000)),
        Flow("经营支出-运输费", "支付粮油配送运费", ("青石物流",), every_month(600)),
        Flow(
            "经营支出-维修费",
            "加工设备维修保养",
            ("青石农机修理部",),
            per_month({5: 1500, 9: 1800, 12: 1200}),
        ),
        *upkeep(380, {6: 800, 10: 900}, cleaning=1800, hardship=3000, lights=360),
    ),
    crews=(
        Crew(OIL, WAGES, (12000, 5000, 5000, 6000, 6000, 6000, 4000, 4000, 7000, 8000, 8000, 9000)),
        Crew(
            MANAGERS,
            WAGES,
            (6000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000),
        ),
    ),
    stock=Stock(
        account="库存物资-原粮",
        into=OIL,
        use_ratio=Decimal("0.50"),
        reorder_below=25000,
        order=50000,
        supplier="青石粮站",
        on_credit=Decimal("0.2"),
    ),
    projects=(
        Project(
            id="P2024-02",
            name="粮油加工厂设备",
            kind="产业项目",
            budget=yuan(200000),
            expected_income=yuan(30000),
            declared=day("2024-01-12"),
            steps=days(
                "2024-01-15", "2024-01-19", "2024-01-24", "2024-01-29", "2024-02-02", "2024-02-06"
            ),
            funding=(
                ("派出单位帮扶", yuan(80000), "市税务局"),
                ("衔接资金", yuan(100000), TOWN),
                ("村集体自筹", yuan(20000), None),
            ),
            work="在建工程-粮油加工设备",
            receipts=(
                got("2024-02-12", "市税务局", 80000, "收到市税务局帮扶资金"),
                got("2024-04-10", TOWN, 100000, "收到镇财政衔接资金(粮油加工厂设备)"),
            ),
            own_share=(day("2024-04-12"), yuan(20000)),
            payments=(
                pay("2024-04-22", "县粮机设备有限公司", 150000, "支付榨油及精炼设备款"),
                pay("2024-05-18", "县粮机设备有限公司", 28000, "支付设备安装调试费"),
                pay("2024-06-05", "县电力安装公司", 18000, "支付配套电力改造费"),
            ),
            completed=day("2024-06-28"),
            asset=Asset("固定资产-粮油加工设备", ZERO, 10, PLANT_DEPRECIATION),
            result_public=day("2024-07-10"),
            secretary="李晓红",
            bank=XIHE_PROJECTS,
        ),
        Project(
            id="P2024-05",
            name="一事一议道路硬化",
            kind="一事一议",
            budget=yuan(30000),
            expected_income=ZERO,
            declared=day("2023-10-16"),
            steps=days(
                "2023-10-18", "2023-10-25", "2023-11-01", "2023-11-08", "2023-11-15", "2023-11-20"
            ),
            funding=(("村集体自筹", yuan(28000), None),),
            work="公益支出-道路硬化",
            # Paid by voucher 记-007 of the sample; villagers gave their labour (筹劳).
            result_public=day("2024-04-10"),
        ),
        Project(
            id="P2025-02",
            name="一事一议路灯安装",
            kind="一事一议",
            budget=yuan(86000),
            expected_income=ZERO,
            declared=day("2025-03-03"),
            steps=days(
                "2025-03-05", "2025-03-12", "2025-03-18", "2025-03-24", "2025-03-28", "2025-04-02"
            ),
            funding=(
                ("村民筹资", yuan(26000), VILLAGERS),
                ("一事一议财政奖补", yuan(40000), TOWN),
                ("村集体自筹", yuan(20000), None),
            ),
            work="在建工程-路灯安装",
            receipts=(
                got("2025-04-15", VILLAGERS, 26000, "收到村民一事一议筹资款", "一事一议资金"),
                got("2025-05-12", TOWN, 40000, "收到一事一议财政奖补资金"),
            ),
            own_share=(day("2025-05-14"), yuan(20000)),
            payments=(
                pay("2025-05-26", "县照明工程有限公司", 52000, "支付太阳能路灯采购安装款"),
                pay("2025-06-30", "县照明工程有限公司", 31600, "支付路灯安装工程结算尾款"),
            ),
            completed=day("2025-07-15"),
            asset=Asset("固定资产-太阳能路灯", ZERO, 10, ADMIN_DEPRECIATION),
            result_public=day("2025-07-28"),
            bank=XIHE_PROJECTS,
        ),
    ),
    secretary=Secretary("李晓红", "市税务局", day("2023-09-01"), day("2025-08-31")),
    claims=(
        Claim("pledge", day("2024-01-15"), "市税务局", "帮扶资金", yuan(80000), "P2024-02"),
        Claim("landed", day("2024-02-12"), "市税务局", "帮扶资金", yuan(80000), "P2024-02"),
    ),
    accrual_day=10,
    payday=15,
    staff="本厂职工",
    sample=XIHE_SAMPLE,
    sample_kind=VOUCHERS,
    codes=XIHE_CODES,
    generated_from=day("2024-04-01"),
    bank_from=day("2024-04-01"),
)

NANLING_BANK = "银行存款-青石农商行"
HERBS = "生产劳务成本-中药材种植"
SEEDLINGS = "消耗性生物资产-中药材种苗"
NANLING = Village(
    name="南岭村",
    industry="中药材合作社",
    groups=(62, 57, 70, 48, 59),
    banks=(Bank(NANLING_BANK, "6230 5800 1234 5678", yuan("52310.08")),),
    cash="库存现金",
    cash_opening=yuan("2400.00"),
    opening=(
        (HERBS, yuan(50000)),
        ("应收款-青石药材收购站", yuan(4200)),
        ("资本", yuan(-200000)),
        (PUBLIC_FUND, yuan(-40000)),
    ),
    assets=(
        Asset("固定资产-村部办公楼", yuan(180000), 40, ADMIN_DEPRECIATION),
        Asset("固定资产-晾晒加工棚", yuan(80000), 10, PLANT_DEPRECIATION),
    ),
    depreciated=yuan(96000),
    products=(
        Product(
            Flow(
                "经营收入-中药材销售",
                "收到中药材销售款",
                ("县中药饮片有限公司", "青石药材收购站", "邻县中药材市场"),
                (60000, 0, 0, 8000, 0, 6000, 0, 0, 10000, 35000, 45000, 30000),
                parts=3,
            ),
            HERBS,
            Decimal("0.62"),
        ),
        Product(
            Flow(
                "经营收入-党参销售",
                "收到种苗基地党参销售款",
                ("县中药饮片有限公司",),
                per_month({10: 12000, 11: 10000}),
                start=day("2025-01-01"),
                link="P2024-03",
            ),
            SEEDLINGS,
            Decimal("0.45"),
        ),
    ),
    incomes=(
        Flow(LAND, "收到{year}年度土地发包费", ("南岭家庭农场",), per_month({11: 18000}), spread=0),
        Flow(LEASE, "收到晾晒场租金", ("青石药材收购站",), per_month({8: 3000}), spread=0),
        Flow(DIVIDEND, "收到入股企业分红", ("县中药材产业发展有限公司",), per_month({12: 6000})),
        subsidy(6, 60000),
    ),
    expenses=(
        Flow(
            HERBS,
            "支付化肥农药款",
            ("县农资公司",),
            per_month({3: 9000, 4: 8000, 6: 5000, 8: 4000}),
        ),
        Flow(
            "经营支出-运输费",
            "支付药材运输费",
            ("青石物流",),
            per_month({1: 1500, 4: 300, 6: 300, 9: 400, 10: 900, 11: 1200, 12: 800}),
        ),
        Flow("经营支出-水电费", "支付晾晒加工棚电费", ("青石镇供电所",), every_month(600), step=0),
        Flow(
            "经营支出-包装费",
            "购买药材包装袋",
            ("县包装材料厂",),
            per_month({1: 800, 9: 300, 10: 600, 11: 800, 12: 500}),
        ),
        Flow(HERBS, "支付机耕作业费", ("青石农机服务队",), per_month({3: 3000, 4: 2500, 10: 2000})),
        *upkeep(350, {4: 500, 9: 600, 12: 500}, cleaning=1500, hardship=2500, lights=260),
    ),
    crews=(
        Crew(HERBS, WAGES, (12000, 0, 3000, 7000, 6000, 5000, 4000, 4000, 6000, 8000, 8000, 6000)),
        Crew(HERBS, LABOUR, per_month({4: 4000, 10: 6000, 11: 6000})),
        Crew(MANAGERS, WAGES, every_month(2500)),
    ),
    projects=(
        Project(
            id="P2024-03",
            name="中药材种苗",
            kind="产业项目",
            budget=yuan(150000),
            expected_income=yuan(40000),
            declared=day("2023-12-04"),
            steps=days(
                "2023-12-06", "2023-12-11", "2023-12-15", "2023-12-20", "2023-12-26", "2023-12-29"
            ),
            funding=(
                ("派出单位帮扶", yuan(120000), "市农业农村局"),
                ("村集体自筹", yuan(30000), None),
            ),
            work=SEEDLINGS,
            # The receipt of 2024-01-03 and the first payment are rows of the bank statement.
            payments=(
                pay("2024-04-10", "县中药材种苗繁育基地", 35000, "支付黄芪种苗款"),
                pay("2024-05-08", "县中药材种苗繁育基地", 15000, "支付党参种苗款"),
            ),
            completed=day("2024-06-28"),
            result_public=day("2024-07-05"),
            secretary="陈思远",
        ),
        Project(
            id="P2025-03",
            name="中药材烘干房",
            kind="产业项目",
            budget=yuan(180000),
            expected_income=yuan(25000),
            declared=day("2025-02-24"),
            steps=days(
                "2025-02-26", "2025-03-04", "2025-03-10", "2025-03-14", "2025-03-19", "2025-03-24"
            ),
            funding=(("衔接资金", yuan(120000), TOWN), ("村集体自筹", yuan(60000), None)),
            work="在建工程-中药材烘干房",
            receipts=(got("2025-04-15", TOWN, 120000, "收到镇财政衔接资金(中药材烘干房)"),),
            payments=(
                pay("2025-05-12", "青石建筑工程队", 70000, "支付烘干房土建工程款"),
                pay("2025-06-18", "县农机设备有限公司", 65000, "支付烘干设备款"),
                pay("2025-08-20", "青石建筑工程队", 36800, "支付烘干房工程结算尾款"),
            ),
            completed=day("2025-09-10"),
            asset=Asset("固定资产-中药材烘干房", ZERO, 15, PLANT_DEPRECIATION),
            result_public=day("2025-09-22"),
            secretary="陈思远",
        ),
    ),
    secretary=Secretary("陈思远", "市农业农村局", day("2023-06-01"), day("2025-05-31")),
    claims=(
        Claim(
            "pledge", day("2023-12-10"), "市农业农村局", "产业项目资金", yuan(120000), "P2024-03"
        ),
        Claim("landed", day("2024-01-03"), "市农业农村局", "产业项目资金", yuan(60000), "P2024-03"),
    ),
    payday=6,
    sample=(
        *bank_journal(2024, NANLING_BANK, NANLING_STATEMENT),
        Entry(
            day("2024-01-31"),
            "计提1月工资",
            None,
            ((HERBS, yuan(15380)), (MANAGERS, yuan(6000)), (WAGES, yuan(-21380))),
        ),
    ),
    # The statement names no counter-account: the village's rules classify its rows. The
    # accountant adds a 项目编号 column for the rows of a project.
    sample_kind=STATEMENT,
    rules=(
        ("", "衔接资金", "收", "专项应付款-中药材种苗"),
        ("", "种苗", "支", SEEDLINGS),
        ("", "中药材销售", "收", "经营收入-中药材销售"),
        ("", "工资", "支", WAGES),
        ("", "手续费", "支", BANK_FEES),
        ("", "化肥农药", "支", HERBS),
        ("", "结息", "收", INTEREST),
    ),
    generated_from=day("2024-02-01"),
    bank_from=day("2024-04-01"),
    reconciled=("2024-03",),
)

FLOWERS = "生产劳务成本-花卉种植"
GREENHOUSE_OPENS = day("2024-08-01")
BEIPO = Village(
    name="北坡村",
    industry="花卉大棚",
    groups=(66, 71, 58, 49, 61),
    banks=(Bank("银行存款-青石农商行", "6230****0004", yuan("91580.40")),),
    cash="库存现金",
    cash_opening=yuan("1500.00"),
    opening=(
        ("应付款-青石建材店", yuan(-3200)),
        ("资本", yuan(-150000)),
        (PUBLIC_FUND, yuan(-40000)),
    ),
    assets=(
        Asset("固定资产-村部办公楼", yuan(150000), 40, ADMIN_DEPRECIATION),
        Asset("固定资产-集体仓库", yuan(60000), 20, PLANT_DEPRECIATION),
    ),
    depreciated=yuan(62000),
    products=(
        Product(
            Flow(
                "经营收入-花卉销售",
                "收到花卉销售款",
                ("县花卉市场", "青石花木经营部", "县城婚庆礼仪公司", "青石电商服务站"),
                (16000, 18000, 8000, 9000, 14000, 6000, 4000, 5000, 9000, 12000, 7000, 10000),
                parts=4,
                start=day("2024-11-01"),
                link="P2024-04",
            ),
            FLOWERS,
            Decimal("0.65"),
        ),
    ),
    incomes=(
        Flow(LAND, "收到{year}年度土地发包费", ("北坡家庭农场",), per_month({1: 18000}), spread=0),
        Flow(LEASE, "收到集体仓库租金", ("青石物流",), per_month({1: 3000, 7: 3000}), spread=0),
        Flow(DIVIDEND, "收到入股企业分红", ("县农业发展投资有限公司",), per_month({12: 2400})),
        subsidy(6, 60000),
    ),
    expenses=(
        Flow(
            FLOWERS,
            "购买花卉种苗基质",
            ("县花卉种苗场",),
            (3000, 2500, 3000, 3000, 2500, 2000, 2000, 20000, 5000, 3000, 3000, 3000),
            start=GREENHOUSE_OPENS,
        ),
        Flow(
            "经营支出-水电费",
            "支付花卉大棚电费",
            ("青石镇供电所",),
            (3000, 2800, 1500, 900, 800, 800, 900, 900, 800, 900, 2000, 2800),
            step=0,
            start=GREENHOUSE_OPENS,
        ),
        *upkeep(300, {3: 500, 7: 600, 11: 500}, cleaning=1200, hardship=2000, lights=240),
    ),
    crews=(
        Crew(MANAGERS, WAGES, every_month(2000)),
        Crew(
            FLOWERS,
            LABOUR,
            (4000, 4000, 3500, 3500, 3500, 3000, 3000, 6000, 4000, 3500, 3500, 3500),
            start=GREENHOUSE_OPENS,
        ),
    ),
    projects=(
        Project(
            id="P2024-04",
            name="花卉大棚",
            kind="产业项目",
            budget=yuan(500000),
            expected_income=yuan(120000),
            declared=day("2024-01-12"),
            steps=days(
                "2024-01-15", "2024-01-19", "2024-01-24", "2024-01-30", "2024-02-05", "2024-02-08"
            ),
            funding=(
                ("派出单位帮扶", yuan(200000), "市城投集团"),
                ("衔接资金", yuan(250000), TOWN),
                ("村集体自筹", yuan(50000), None),
            ),
            work="在建工程-花卉大棚",
            receipts=(
                got("2024-02-15", "市城投集团", 200000, "收到市城投集团帮扶资金"),
                got("2024-03-20", TOWN, 250000, "收到镇财政衔接资金(花卉大棚)"),
            ),
            payments=(
                pay("2024-03-08", "县温室工程有限公司", 180000, "支付花卉大棚钢架主体工程款"),
                pay("2024-04-18", "县温室工程有限公司", 120000, "支付大棚覆膜及内保温工程款"),
                pay("2024-05-21", "县农业设施工程有限公司", 98000, "支付滴灌及温控系统款"),
                pay("2024-06-26", "县温室工程有限公司", 78000, "支付花卉大棚工程结算尾款"),
            ),
            completed=day("2024-07-19"),
            asset=Asset("固定资产-花卉大棚", ZERO, 15, PLANT_DEPRECIATION),
            result_public=day("2024-07-31"),
            secretary="刘文博",
        ),
        Project(
            id="P2025-04",
            name="一事一议灌溉渠",
            kind="一事一议",
            budget=yuan(80000),
            expected_income=ZERO,
            declared=day("2025-03-10"),
            steps=days(
                "2025-03-12", "2025-03-18", "2025-03-24", "2025-03-31", "2025-04-07", "2025-04-11"
            ),
            funding=(
                ("村民筹资", yuan(24000), VILLAGERS),
                ("一事一议财政奖补", yuan(40000), TOWN),
                ("村集体自筹", yuan(16000), None),
            ),
            work="在建工程-灌溉渠",
            receipts=(
                got("2025-04-22", VILLAGERS, 24000, "收到村民一事一议筹资款", "一事一议资金"),
                got("2025-05-16", TOWN, 40000, "收到一事一议财政奖补资金"),
            ),
            payments=(
                pay("2025-05-06", "青石水利工程队", 30000, "支付灌溉渠开挖衬砌工程款"),
                pay("2025-06-12", "青石水利工程队", 28000, "支付灌溉渠工程进度款"),
                pay("2025-07-08", "青石水利工程队", 19200, "支付灌溉渠工程结算尾款"),
            ),
            completed=day("2025-07-25"),
            asset=Asset("固定资产-灌溉渠", ZERO, 20, ADMIN_DEPRECIATION),
            result_public=day("2025-08-06"),
        ),
    ),
    secretary=Secretary("刘文博", "市城投集团", day("2023-09-01"), day("2025-08-31")),
    claims=(
        Claim("pledge", day("2024-01-18"), "市城投集团", "帮扶资金", yuan(200000), "P2024-04"),
        Claim("landed", day("2024-02-15"), "市城投集团", "帮扶资金", yuan(200000), "P2024-04"),
    ),
    payday=10,
)

VILLAGES = (DONGSHAN, XIHE, NANLING, BEIPO)


# --- the books ------------------------------------------------------------------------


class Accounts:
    """A village's accounts: name paths become Beancount accounts with codes.

    A sub-account gets the first free two-digit code under its parent (``50101`` under
    ``501``, ``3220101`` under ``32201``) unless a sample fixed it.
    """

    def __init__(self, fixed: tuple[tuple[str, str], ...]) -> None:
        self.standard = {chart.clean_name(s.name): s for s in chart.chart("2023").values()}
        self.codes: dict[tuple[str, str], str] = {}  # (parent code, name) → code
        self.names: dict[str, tuple[str, str]] = {}  # sub-account → (code, name)
        self.meta: dict[str, dict[str, str]] = defaultdict(dict)  # extra open metadata
        self.paths: dict[str, str] = {}
        for code, path in SHARED_CODES + fixed:
            self.account(path, code)

    def account(self, path: str, code: str | None = None) -> str:
        """The account of a name path (or of an account, unchanged)."""
        if ":" in path:
            return path
        if path in self.paths and code is None:
            return self.paths[path]
        top_name, *subs = path.split("-")
        top = self.standard[chart.clean_name(top_name)]
        account, parent = top.account, top.code
        for i, name in enumerate(subs):
            key = (parent, chart.clean_name(name))
            if key not in self.codes:
                fixed = code if code and i == len(subs) - 1 else None
                self.codes[key] = fixed or self.free_code(parent)
            parent = self.codes[key]
            account = f"{account}:{chart.component(parent, name)}"
            self.names.setdefault(account, (parent, name))
        self.paths[path] = account
        return account

    def free_code(self, parent: str) -> str:
        used = set(self.codes.values())
        return next(f"{parent}{n:02d}" for n in range(1, 100) if f"{parent}{n:02d}" not in used)


@dataclass
class Txn:
    """One transaction; postings name accounts or name paths until the book posts it."""

    date: Date
    narration: str
    postings: list[tuple[str, Decimal]]
    payee: str | None = None
    tags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    generated: bool = True  # recurring activity (kept off the bank in sample months)
    accrues: str | None = None  # the month whose wages it accrues
    sample: str | None = None  # the kind of sample spreadsheet it was transcribed from
    voucher: str = ""  # 凭证号, numbered per month when the spreadsheets are written


def receipt(
    date: Date,
    narration: str,
    payer: str,
    into: str,
    source: str,
    amount: Decimal,
    link: str | None = None,
) -> Txn:
    """Money received from outside (the import records the payer as ``funder``)."""
    return Txn(
        date,
        narration,
        [(into, amount), (source, -amount)],
        payee=payer,
        links=(link,) if link else (),
    )


def payment(
    date: Date,
    narration: str,
    payee: str | None,
    out_of: str,
    to: str,
    amount: Decimal,
    link: str | None = None,
) -> Txn:
    return Txn(
        date,
        narration,
        [(to, amount), (out_of, -amount)],
        payee=payee,
        links=(link,) if link else (),
    )


@dataclass(frozen=True)
class Distribution:
    """The members' meeting's plan for a year: 公积公益金, and a whole-元 share per member."""

    reserve: Decimal
    per_member: Decimal


class MoneyError(ValueError):
    """An entry that would take cash or a bank account below zero: fix the profile."""


class Book:
    """A village's books as they are replayed: balances and entries."""

    def __init__(self, village: Village, rng: random.Random) -> None:
        self.village = village
        self.rng = rng
        self.accounts = Accounts(village.codes)
        self.balance: dict[str, Decimal] = defaultdict(Decimal)
        self.opened: dict[str, Date] = {}
        self.entries: list[Txn] = []
        self.sold: dict[str, Decimal] = defaultdict(Decimal)  # sales since the last costing
        self.sold_in: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        self.unpaid_wages: list[str] = []
        self.depreciated_from = START
        self.costed_from = START
        self.assets = list(village.assets)
        self.profit: dict[int, Decimal] = {}
        self.distributions: dict[int, Distribution] = {}  # the plans approved, by year
        self.pending_date = START  # the date of the event being built
        for bank in village.banks:
            self.accounts.meta[self.account(bank.path)]["account_number"] = bank.number
        self.money = [self.account(b.path) for b in village.banks] + [self.account(village.cash)]
        self.product_sales = {self.account(p.sales.account) for p in village.products}

    def account(self, path: str) -> str:
        return self.accounts.account(path)

    def bal(self, path: str) -> Decimal:
        """The balance of an account or name path (zero, and no code taken, if unused)."""
        account = path if ":" in path else self.accounts.paths.get(path)
        return self.balance.get(account, ZERO) if account else ZERO

    def touches_bank(self, txn: Txn) -> bool:
        return any(self.account(a) in self.money[:-1] for a, _ in txn.postings)

    def post(self, txn: Txn) -> None:
        """Enter a transaction; recurring bank activity of the sample months is left out."""
        if txn.generated and txn.date < self.village.bank_from and self.touches_bank(txn):
            return
        if self.entries and txn.date < self.entries[-1].date:
            raise ValueError(f"{self.village.name}: {txn.date} {txn.narration} is out of order")
        postings = [(self.account(a), yuan(amount)) for a, amount in txn.postings if amount]
        if sum(amount for _, amount in postings) != 0:
            raise ValueError(f"{self.village.name}: {txn.date} {txn.narration} does not balance")
        txn.postings = postings
        for account, amount in postings:
            self.balance[account] += amount
            self.opened.setdefault(account, txn.date)
            if account in self.product_sales and not txn.tags:
                self.sold[account] -= amount
                self.sold_in[txn.date.year, txn.date.month] -= amount
            is_fund = bc_account.split(account)[1][:3] in ("241", "231")
            if is_fund and len(txn.links) == 1:
                self.accounts.meta[account].setdefault("project", txn.links[0])
        for account in self.money:
            if self.balance[account] < 0:
                raise MoneyError(
                    f"{self.village.name}: {txn.date} “{txn.narration}” 使 {account} "
                    f"余额为 {self.balance[account]}"
                )
        if txn.accrues:
            self.unpaid_wages.append(txn.accrues)
        elif not self.bal(WAGES) and not self.bal(LABOUR):
            self.unpaid_wages.clear()
        self.entries.append(txn)


# --- one month of activity ------------------------------------------------------------

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
            payment(payday, f"发放{months_}{kind}", village.staff, village.main_bank, p, owed)
            for p, kind in ((WAGES, "工资"), (LABOUR, "劳务费"))
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
    """Straight-line depreciation since the last quarter end, one entry per quarter."""
    until = book.pending_date
    since = book.depreciated_from
    by_expense: dict[str, Decimal] = defaultdict(Decimal)
    for asset in book.assets:
        first = max(since, asset.since)
        active = (until.year - first.year) * 12 + until.month - first.month + 1
        if active > 0:
            by_expense[asset.expense] += (asset.cost * active / (asset.years * 12)).quantize(CENT)
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
    """损益 → 本年收益 → 未分配收益, the members' distribution, 各项分配 → 未分配收益."""
    end = Date(year, 12, 31)
    return [
        Event(end, CLOSING, close_income),
        Event(end, CLOSING + 1, distribute),
        Event(end, CLOSING + 2, close_distribution),
    ]


def close_income(book: Book) -> list[Txn]:
    year = book.pending_date.year
    end = book.pending_date
    results = sorted(
        (account, amount)
        for account, amount in book.balance.items()
        if amount and bc_account.root(1, account) in ("Income", "Expenses")
    )
    profit = -sum(amount for _, amount in results)
    book.profit[year] = profit
    closing = ("closing",)
    return [
        Txn(
            end,
            f"结转{year}年损益至本年收益",
            [*((a, -amount) for a, amount in results), (YEAR_PROFIT, -profit)],
            tags=closing,
        ),
        Txn(
            end,
            f"{year}年本年收益转入未分配收益",
            [(YEAR_PROFIT, profit), (RETAINED, -profit)],
            tags=closing,
        ),
    ]


def distribute(book: Book) -> list[Txn]:
    """The members' meeting's plan: 公积公益金 and a whole-元 share per member, never
    more than the year's surplus or the undistributed balance."""
    village = book.village
    year = book.pending_date.year
    profit = book.profit[year]
    available = -book.bal(RETAINED)
    if profit <= 0 or available <= 0:
        return []
    reserve = (min(profit, available) * village.reserve_share).quantize(Decimal(1), ROUND_DOWN)
    share = min(profit * village.member_share, available - reserve)
    per_member = (share / village.members).to_integral_value(ROUND_DOWN)
    to_members = per_member * village.members
    book.distributions[year] = Distribution(reserve, per_member)
    postings = [
        (RESERVE, reserve),
        (PUBLIC_FUND, -reserve),
        (MEMBER_SHARE, to_members),
        (MEMBERS_PAYABLE, -to_members),
    ]
    return [Txn(book.pending_date, f"{year}年度收益分配", postings, tags=("distribution",))]


def close_distribution(book: Book) -> list[Txn]:
    shares = [(path, book.bal(path)) for path in (RESERVE, MEMBER_SHARE) if book.bal(path)]
    if not shares:
        return []
    total = sum(amount for _, amount in shares)
    year = book.pending_date.year
    postings = [(RETAINED, total), *((path, -amount) for path, amount in shares)]
    return [
        Txn(book.pending_date, f"结转{year}年度各项分配至未分配收益", postings, tags=("closing",))
    ]


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
        links=(entry.project,) if entry.project else (),
        generated=False,
        sample=village.sample_kind,
    )


def replay(village: Village, seed: int) -> Book:
    """The village's two years of books."""
    book = Book(village, random.Random(f"{seed}-{village.name}"))
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


# --- writing --------------------------------------------------------------------------


def quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def money(amount: Decimal) -> str:
    return f"{amount:.2f} CNY"


def accounts_text(book: Book) -> str:
    """``open`` directives of the sub-accounts in use, in code order."""
    accounts = book.accounts
    used = {a for a in accounts.names if any(o == a or o.startswith(a + ":") for o in book.opened)}
    blocks = []
    for account in sorted(used, key=lambda a: accounts.names[a][0]):
        first = min(
            d for o, d in book.opened.items() if o == account or o.startswith(account + ":")
        )
        text = chart.open_text(first.isoformat(), account, accounts.names[account][1])
        text += "".join(f"  {k}: {quote(v)}\n" for k, v in sorted(accounts.meta[account].items()))
        blocks.append(text)
    return "\n; 明细科目 (sub-accounts): 编码延续上级编码\n\n" + "\n".join(blocks)


def declarations_text(village: Village) -> str:
    """The secretary, the projects with funding and decision steps (the fund claims come
    from the register)."""
    s = village.secretary
    lines = [
        f"; 主导产业 (the village's industry): {village.industry}",
        "",
        "; 驻村第一书记 (posted first secretary)",
        f"{s.start} custom {quote('secretary')} {quote(s.name)} {quote(s.unit)}",
        f"  until: {s.until}",
    ]
    for p in village.projects:
        lines += ["", f"; 项目 {p.id} {p.name}"]
        lines.append(f"{p.declared} custom {quote('project')} {quote(p.id)} {quote(p.name)}")
        lines += [f"  kind: {quote(p.kind)}", f"  budget: {money(p.budget)}"]
        if p.expected_income:
            lines.append(f"  expected_income: {money(p.expected_income)}")
        if p.secretary:
            lines.append(f"  secretary: {quote(p.secretary)}")
        for source, amount, funder in p.funding:
            lines.append(
                f"{p.declared} custom {quote('project-funding')} {quote(p.id)} {quote(source)} "
                f"{money(amount)}"
            )
            if funder:
                lines.append(f"  funder: {quote(funder)}")
        dated = list(zip(STEPS, p.steps, strict=True))
        if p.result_public:
            dated.append((RESULT_STEP, p.result_public))
        lines += [
            f"{date} custom {quote('project-step')} {quote(p.id)} {quote(step)}"
            for step, date in dated
        ]
    lines += [
        "",
        "; 帮扶资金的协调与到位声明由帮扶资金台账导入 (fund claims: imported from the register)",
    ]
    return "\n".join(lines) + "\n"


def rules_text(village: Village) -> str:
    """``import-rules.csv``: how the village classifies bank statement rows."""
    lines = ["对方户名,摘要,方向,科目", *(",".join(rule) for rule in village.rules)]
    return "\n".join(lines) + "\n"


def write_village(ledgers: Path, book: Book) -> Path:
    """Create the village ledger: its sub-accounts, declarations and rules."""
    village = book.village
    folder = new_village(ledgers, f"{TOWNSHIP}/{village.name}", START)
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write(accounts_text(book))
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(declarations_text(village))
    if village.rules:
        (folder / RULES_FILE).write_text(rules_text(village), "utf-8")
    return folder


# --- the spreadsheets -----------------------------------------------------------------

#: The times stamped inside every workbook: the same cells give byte-identical files.
WORKBOOK_TIME = datetime.datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
MONEY_FORMAT = "#,##0.00"
#: The kind of paper a journal row goes in (银行存款日记账 or 现金日记账, by its account).
JOURNAL = "日记账"

JOURNAL_HEADER = [
    "日期", "凭证号", "摘要", "对方科目", "借方金额", "贷方金额", "余额", "项目编号", "对方单位",
]  # fmt: skip
JOURNAL_WIDTHS = (11, 8, 36, 30, 14, 14, 14, 10, 24)
VOUCHER_HEADER = [
    "日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "项目编号",
]  # fmt: skip
VOUCHER_WIDTHS = (11, 9, 40, 10, 30, 14, 14, 10)
STATEMENT_HEADER = [
    "交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额", "流水号", "项目编号",
]  # fmt: skip
STATEMENT_WIDTHS = (11, 30, 24, 14, 14, 14, 16, 10)
REGISTER_HEADER = [
    "序号", "村", "第一书记", "派出单位", "资金名称", "协调金额", "协调日期", "实际到账金额",
    "到账日期", "项目编号",
]  # fmt: skip
REGISTER_WIDTHS = (6, 8, 10, 16, 14, 10, 11, 12, 11, 10)
#: 科目余额表 as accounting software exports it: 期末余额 merged over its 借方 and 贷方 (rows 3-4).
TRIAL_BALANCE_HEADER = [["科目编码", "科目名称", "期末余额", None], [None, None, "借方", "贷方"]]
TRIAL_BALANCE_MERGED = ("A3:A4", "B3:B4", "C3:D3")
TRIAL_BALANCE_WIDTHS = (10, 20, 16, 16)
#: The 2023 year-end trial balance the books open from (in the 2004 chart).
TRIAL_BALANCE_NAME = f"{START.year - 1}-12-{TRIAL_BALANCE}.xlsx"
PLAN_HEADER = ["分配项目", "名称", "股数", "金额"]
PLAN_WIDTHS = (16, 14, 8, 14)
NUMERALS = "一二三四五六七八九十"


@dataclass
class Paper:
    """One spreadsheet: where it goes under ``examples/``, and its sheets' rows."""

    name: str  # file name, e.g. "2024-01-银行存款日记账.xlsx"
    sheets: dict[str, list[list]]
    widths: tuple[int, ...]
    account: str | None = None  # ``--account`` its import needs (a cash sub-account)
    merged: tuple[str, ...] = ()  # merged cells of each sheet, e.g. a two-row header


@dataclass(frozen=True)
class Line:
    """A movement of a bank or cash account: a row of its journal or statement."""

    txn: Txn
    amount: Decimal  # into the account (+) or out of it (−)
    counter: str
    balance: Decimal  # after the row


def paper_of(book: Book, txn: Txn) -> str | None:
    """The spreadsheet a transaction is written in; ``None`` for the opening and year end.

    Money moving through a bank or cash account is a journal row (a statement row for the
    sample statement); everything else, and the sample voucher list, is a voucher.
    """
    if txn.tags:
        return None
    if txn.sample == VOUCHERS or not any(a in book.money for a, _ in txn.postings):
        return VOUCHERS
    if len(txn.postings) != 2:
        raise ValueError(
            f"{book.village.name}: {txn.date} {txn.narration}: 日记账一行只有一个对方科目"
        )
    return STATEMENT if txn.sample == STATEMENT else JOURNAL


def number_vouchers(book: Book) -> None:
    """凭证号 记-001, 记-002 … in date order, starting again each month."""
    count: dict[tuple[int, int], int] = defaultdict(int)
    for txn in book.entries:
        if not txn.tags:
            count[txn.date.year, txn.date.month] += 1
            txn.voucher = f"记-{count[txn.date.year, txn.date.month]:03d}"


def movements(book: Book) -> dict[str, list[Line]]:
    """The rows of each bank and cash account's journals and statements, balances running."""
    balance: dict[str, Decimal] = defaultdict(Decimal)
    lines: dict[str, list[Line]] = defaultdict(list)
    for txn in book.entries:
        paper = paper_of(book, txn)
        for account, amount in txn.postings:
            if account in book.money:
                balance[account] += amount
                if paper in (JOURNAL, STATEMENT):
                    counter = next(a for a, _ in txn.postings if a != account)
                    lines[account].append(Line(txn, amount, counter, balance[account]))
    return lines


def papers(book: Book) -> dict[int, list[Paper]]:
    """The village's spreadsheets by year, month by month: the journal (or statement) of
    each bank and cash account that moved, then the voucher list."""
    number_vouchers(book)
    lines = movements(book)
    found: dict[int, list[Paper]] = defaultdict(list)
    for year, month in months(START, END):
        for account in book.money:
            this_year = [
                m for m in lines[account] if m.txn.date.year == year and m.txn.date.month <= month
            ]
            rows = [m for m in this_year if m.txn.date.month == month]
            if rows and rows[0].txn.sample == STATEMENT:
                found[year].append(statement_paper(book, account, rows))
            elif rows:
                found[year].append(journal_paper(book, account, rows, this_year))
        vouchers = [
            t
            for t in book.entries
            if (t.date.year, t.date.month) == (year, month) and paper_of(book, t) == VOUCHERS
        ]
        if vouchers:
            found[year].append(voucher_paper(book, vouchers))
    return found


def organisation(village: Village) -> str:
    return f"{village.name}股份经济合作社"


def bank_of(book: Book, account: str) -> Bank | None:
    return next((b for b in book.village.banks if book.account(b.path) == account), None)


def paper_name(book: Book, date: Date, kind: str, account: str | None = None) -> str:
    """``2024-01-银行存款日记账.xlsx``; with two bank accounts the bank's name is added."""
    suffix = ""
    if account and kind != CASH_JOURNAL and len(book.village.banks) > 1:
        suffix = "-" + chart.name_path(account).split("-")[-1]
    return f"{date:%Y-%m}-{kind}{suffix}.xlsx"


def in_out(amount: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """A movement as its 借方 (in) and 贷方 (out) cells."""
    return (amount, None) if amount > 0 else (None, -amount)


def journal_paper(book: Book, account: str, rows: list[Line], this_year: list[Line]) -> Paper:
    """现金日记账 / 银行存款日记账 of one month, as the shared sample lays it out."""
    bank = bank_of(book, account)
    kind = BANK_JOURNAL if bank else CASH_JOURNAL
    date = rows[0].txn.date
    note = f"开户行:{BANK_NAME} 账号:{bank.number}" if bank else f"{date.year}年{date.month}月"
    previous = rows[0].balance - rows[0].amount
    cells = [
        [organisation(book.village) + kind],
        [note, *[None] * 7, "单位:元"],
        JOURNAL_HEADER,
        [None, None, "期初余额", None, None, None, previous],
    ]
    for line in rows:
        if line.balance != previous + line.amount:
            raise ValueError(f"{book.village.name}: {line.txn.date} {account} 日记账余额不连续")
        txn, previous = line.txn, line.balance
        cells.append(
            [
                txn.date,
                txn.voucher,
                txn.narration,
                chart.name_path(line.counter),
                *in_out(line.amount),
                line.balance,
                txn.links[0] if txn.links else None,
                txn.payee,
            ]
        )
    for label, lines in (("本月合计", rows), ("本年累计", this_year)):
        inflow = sum((m.amount for m in lines if m.amount > 0), ZERO)
        outflow = -sum((m.amount for m in lines if m.amount < 0), ZERO)
        cells.append([None, None, label, None, inflow, outflow, previous])
    # A cash journal names no account: the import takes 库存现金 unless given its sub-account.
    sub_account = bank is None and chart.code_of(account) != "101"
    name = paper_name(book, date, kind, account)
    return Paper(name, {f"{date.month}月": cells}, JOURNAL_WIDTHS, account if sub_account else None)


def statement_paper(book: Book, account: str, rows: list[Line]) -> Paper:
    """The bank's 账户交易明细 of one month: the bank's sides, dates and amounts as text, and
    the 项目编号 column the accountant adds."""
    bank = bank_of(book, account)
    assert bank is not None
    date = rows[0].txn.date
    text = "{:,.2f}".format
    cells = [
        [f"{BANK_TITLE} 账户交易明细"],
        [f"户名:{organisation(book.village)}", None, f"账号:{bank.number}", None, "币种:人民币"],
        [f"查询期间:{date:%Y%m}01-{month_end(date.year, date.month):%Y%m%d}"],
        STATEMENT_HEADER,
    ]
    for line in rows:
        txn = line.txn
        inflow, outflow = in_out(line.amount)
        serial = f"{txn.date:%Y%m%d}{txn.voucher[-3:]}"  # 流水号: the day and a number
        cells.append(
            [
                f"{txn.date:%Y%m%d}",
                txn.narration,
                txn.payee,
                text(outflow or ZERO),
                text(inflow or ZERO),
                text(line.balance),
                serial,
                txn.links[0] if txn.links else None,
            ]
        )
    name = paper_name(book, date, STATEMENT, account)
    return Paper(name, {"交易明细": cells}, STATEMENT_WIDTHS)


def voucher_paper(book: Book, vouchers: list[Txn]) -> Paper:
    """记账凭证列表 of one month as accounting software exports it: a line per posting."""
    date = vouchers[0].date
    cells = [
        [f"{organisation(book.village)} 记账凭证列表"],
        [f"期间:{date.year}年{date.month}月"],
        VOUCHER_HEADER,
    ]
    for txn in vouchers:
        for i, (account, amount) in enumerate(txn.postings):
            link = txn.links[0] if txn.links and i == 0 else None
            code, name = chart.code_of(account), chart.name_path(account)
            cells.append([txn.date, txn.voucher, txn.narration, code, name, *in_out(amount), link])
    debits = sum((a for t in vouchers for _, a in t.postings if a > 0), ZERO)
    cells.append([None, None, "合计", None, None, debits, debits, None])
    return Paper(paper_name(book, date, VOUCHERS), {"凭证列表": cells}, VOUCHER_WIDTHS)


def in_wan(amount: Decimal | None) -> Decimal | None:
    """An amount in 万元, as registers are kept."""
    return None if amount is None else (amount / 10000).normalize()


def register_paper(year: int) -> Paper | None:
    """帮扶资金台账 of the township for a year: a row per village, unit and fund, in 万元.

    A pledge and its landing share a row when they fall in the same register year (a pledge
    before the books start is in the first year's register).
    """
    rows = []
    for village in VILLAGES:
        claims: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)
        for claim in village.claims:
            claims[claim.unit, claim.fund][claim.kind] = claim
        for (unit, fund), by_kind in claims.items():
            pledge, landed = by_kind.get("pledge"), by_kind.get("landed")
            pledge = pledge if pledge and max(pledge.date.year, START.year) == year else None
            landed = landed if landed and landed.date.year == year else None
            either = landed or pledge
            if either is None:
                continue
            rows.append(
                [
                    len(rows) + 1,
                    village.name,
                    village.secretary.name,
                    unit,
                    fund,
                    in_wan(pledge.amount if pledge else None),
                    pledge.date if pledge else None,
                    in_wan(landed.amount if landed else None),
                    landed.date if landed else None,
                    either.project,
                ]
            )
    if not rows:
        return None
    pledged, landed = (sum((r[i] or 0 for r in rows), Decimal(0)) for i in (5, 7))  # 万元
    cells = [
        [f"{TOWNSHIP}驻村第一书记帮扶资金台账({year}年)"],
        ["单位:万元"],
        REGISTER_HEADER,
        *rows,
        [None, "合计", None, None, None, pledged, None, landed, None, None],
    ]
    return Paper(f"{year}-{REGISTER}.xlsx", {f"{year}年": cells}, REGISTER_WIDTHS)


def old_standard(code: str) -> chart.StandardAccount:
    """The 2004 first-level account a 2023 one continues (the same, renamed or recoded)."""
    return next(old for old in chart.chart("2004").values() if old.code_2023 == code)


def trial_balance_paper(book: Book) -> Paper:
    """科目余额表 at the end of 2023, in the 2004 chart: the opening balances as the old books
    kept them. A sub-account's code continues its 2004 parent's (应付款 20201 → 2023 21101);
    a balance of an account the 2023 chart dropped (``chart_2004``) is on its own line."""
    village = book.village
    [opening] = [t for t in book.entries if "opening" in t.tags]
    balances: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for account, amount in opening.postings:
        for old in village.chart_2004:
            if book.account(old.account) == account:
                balances[old.code] += old.amount
                names[old.code] = chart.chart("2004")[old.code].name
                amount -= old.amount
        code = chart.code_of(account)
        top = old_standard(code[:3])
        lines = [(top.code, top.name)]
        if len(code) > 3:
            lines.append((top.code + code[3:], book.accounts.names[account][1]))
        for old_code, name in lines:
            balances[old_code] += amount
            names[old_code] = name
    rows = [[c, names[c], *in_out(balances[c])] for c in sorted(balances) if balances[c]]
    debits, credits = (sum((r[i] or ZERO for r in rows if len(r[0]) == 3), ZERO) for i in (2, 3))
    cells = [
        [f"{organisation(village)} {TRIAL_BALANCE}"],
        [f"{START.year - 1}年12月31日 (2004年村集体经济组织会计制度科目)", None, None, "单位:元"],
        *TRIAL_BALANCE_HEADER,
        *rows,
        ["合计", None, debits, credits],
    ]
    sheets = {TRIAL_BALANCE: cells}
    return Paper(TRIAL_BALANCE_NAME, sheets, TRIAL_BALANCE_WIDTHS, merged=TRIAL_BALANCE_MERGED)


def plan_name(year: int) -> str:
    return f"{year}-{PLAN}.xlsx"


def plan_paper(book: Book, year: int) -> Paper:
    """收益分配方案 the members' meeting approved: 公积公益金, and one share per member,
    listed by 村民小组."""
    village = book.village
    plan = book.distributions[year]
    per_member = yuan(plan.per_member)
    groups = [
        ["成员分配", f"第{NUMERALS[i]}村民小组", size, per_member * size]
        for i, size in enumerate(village.groups)
    ]
    total = plan.reserve + per_member * village.members
    cells = [
        [f"{organisation(village)}{year}年度{PLAN}"],
        [f"成员代表大会决议: {year}年12月26日", None, None, "单位:元"],
        PLAN_HEADER,
        ["提取公积公益金", None, None, plan.reserve],
        ["每股金额", None, None, per_member],
        *groups,
        ["合计", None, village.members, total],
    ]
    return Paper(plan_name(year), {"分配方案": cells}, PLAN_WIDTHS)


def save_workbook(path: Path, paper: Paper) -> Path:
    """Write the paper as .xlsx; fixed times inside make its bytes depend on its cells only."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in paper.sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = MONEY_FORMAT
        for column, width in enumerate(paper.widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        for cells in paper.merged:
            sheet.merge_cells(cells)
    workbook.properties.created = workbook.properties.modified = WORKBOOK_TIME
    workbook.properties.creator = "cunzhang demo"
    buffer = io.BytesIO()  # openpyxl's ExcelWriter: its workbook.save would stamp the time
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            target.writestr(member, source.read(info), zipfile.ZIP_DEFLATED)
    return path


# --- building the books by importing the spreadsheets ----------------------------------


def import_papers(folder: Path, shelf: Path, batch: list[Paper]) -> None:
    """``cunzhang import`` the papers into a village (or township): those needing an
    ``--account`` separately. Anything left to classify by hand is an error in the demo."""
    by_account: dict[str | None, list[Path]] = defaultdict(list)
    for paper in batch:
        by_account[paper.account].append(shelf / paper.name)
    for account, files in by_account.items():
        report = import_files(folder, files, account=account)
        if report.flagged:
            unclassified = [f"{f.file.name}: {e.date} {e.narration}" for f, e in report.flagged]
            raise ValueError(f"{folder.name}: 待分类 {unclassified}")


def open_from_trial_balance(folder: Path, path: Path, book: Book) -> None:
    """开账 as ``cunzhang open-books --chart 2004`` does. A trial balance with lines the chart
    cannot carry alone is refused, the command writing the mapping file beside it; the
    accountant answers the file (here: from the profile's ``chart_2004``) and opens again."""
    try:
        open_books(folder, path, START, "2004")
    except ImportRefused:
        mapping = mapping_path(path)
        if not book.village.chart_2004 or not mapping.is_file():
            raise
        answer_mapping(mapping, book)
        open_books(folder, path, START, "2004")


def answer_mapping(path: Path, book: Book) -> None:
    """Fill in the mapping file: each asked 2004 line's 2023 account, and why."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [{MAPPING_COLUMNS[k]: v for k, v in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        old = next(o for o in book.village.chart_2004 if o.code == row["code"])
        account = book.account(old.account)
        sub_name = book.accounts.names[account][1] if account.count(":") > 1 else ""
        row.update(new_code=chart.code_of(account)[:3], sub_name=sub_name, note=old.note)
    path.write_text(mapping_text(rows), "utf-8")


def reconcile_months(folder: Path, shelf: Path, book: Book, year: int) -> None:
    """``cunzhang reconcile`` the year's months the village reconciles with its statement."""
    for month in book.village.reconciled:
        if month.startswith(f"{year}-"):
            statement = shelf / f"{month}-{STATEMENT}.xlsx"
            result, account, _ = reconcile_month(folder, month, statement)
            if not result.reconciled:
                raise ValueError(f"{folder.name} {month} {account}: 未对平 {result}")


def close_the_year(folder: Path, shelf: Path, book: Book, year: int) -> None:
    """``cunzhang close-year``, then ``cunzhang distribute`` with the year's plan."""
    close_books(folder, year)
    if year in book.distributions:
        distribute_plan(folder, year, shelf / plan_name(year))


def generate(out: Path, seed: int = DEFAULT_SEED, examples: Path = EXAMPLES) -> list[Book]:
    """Write the demo township under ``out`` and its spreadsheets under ``examples``
    (replacing ``out/青石镇`` and ``examples/青石镇``); the books written.

    Every village is replayed and its spreadsheets laid out before anything is deleted, so
    a profile the book refuses leaves the existing township as it was. Then, as a township
    accountant would: the villages are set up and opened from their 2023 trial balances;
    each year the fund register and each village's spreadsheets are imported, a month is
    reconciled where the village does, and the year is closed and distributed.
    """
    books = [replay(village, seed) for village in VILLAGES]
    by_village = {book.village.name: papers(book) for book in books}
    year_ends = {
        book.village.name: [
            trial_balance_paper(book),
            *(plan_paper(book, year) for year in sorted(book.distributions)),
        ]
        for book in books
    }
    township, shelf = out / TOWNSHIP, examples / TOWNSHIP
    for folder in (township, shelf):
        if folder.exists():
            shutil.rmtree(folder)
    for name, by_year in by_village.items():
        for paper in [*year_ends[name], *(p for batch in by_year.values() for p in batch)]:
            save_workbook(shelf / name / paper.name, paper)
    folders = {book.village.name: write_village(out, book) for book in books}
    for book in books:
        name = book.village.name
        open_from_trial_balance(folders[name], shelf / name / TRIAL_BALANCE_NAME, book)
    for year in range(START.year, END.year + 1):
        register = register_paper(year)
        if register is not None:
            save_workbook(shelf / register.name, register)
            import_papers(township, shelf, [register])
        for book in books:
            name = book.village.name
            import_papers(folders[name], shelf / name, by_village[name][year])
            reconcile_months(folders[name], shelf / name, book, year)
            close_the_year(folders[name], shelf / name, book, year)
    return books


# --- summary --------------------------------------------------------------------------


def income(txns: list[Txn], codes: tuple[str, ...]) -> Decimal:
    """Income credited to the given first-level codes, without tagged year-end entries."""
    return -sum(
        (
            amount
            for txn in txns
            if not txn.tags
            for account, amount in txn.postings
            if account.startswith("Income:") and bc_account.split(account)[1][:3] in codes
        ),
        ZERO,
    )


def summary(book: Book) -> list[str]:
    """Per year: transactions, 集体经营性收入 (501 + 502), 补助收入, the year's surplus."""
    lines = []
    for year in range(START.year, END.year + 1):
        txns = [t for t in book.entries if t.date.year == year]
        lines.append(
            f"{book.village.name} {year}: {len(txns)} 笔交易, "
            f"集体经营性收入 {income(txns, ('501', '502')):,.2f}, "
            f"补助收入 {income(txns, ('503',)):,.2f}, 本年收益 {book.profit.get(year, ZERO):,.2f}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成演示乡镇 青石镇 (generate the demo township)")
    parser.add_argument(
        "--out", type=Path, default=EMBEDDED_LEDGERS, help="账套根目录 ledgers folder"
    )
    parser.add_argument(
        "--examples", type=Path, default=EXAMPLES, help="表格示例目录 spreadsheets folder"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子 random seed")
    args = parser.parse_args(argv)
    for book in generate(args.out, args.seed, args.examples):
        print("\n".join(summary(book)))
    print(f"已生成 written: {args.examples / TOWNSHIP}, {args.out / TOWNSHIP}")


if __name__ == "__main__":
    main()
