"""Generate a synthetic county for scale tests: ``cunzhang county generate OUT``.

    cunzhang county generate /tmp/county --villages 300 --years 3 --seed 1
    python -m scripts.county generate /tmp/county --villages 300 --years 3 --seed 1

writes ``OUT/<乡镇>/<村>/`` for N villages, grouped into townships of ``--per-township``
(15) villages, with Y years of books ending in ``--last-year`` (2025). Each village is
created by ``scripts.village.new_village`` (the real ``main.beancount`` and first-level
accounts), then gets its sub-accounts, its declarations (``projects.beancount``: first
secretaries, projects with their funding and decision steps, fund pledges and landing
claims) and one journal a year of about 1 500 transactions:

- sales of the village's products into the bank or the cash box (501), a yearly dividend
  (502), quarterly operating subsidies from the township (503), bank interest (504);
- materials, utilities, transport, office costs, travel, meetings, public works (401, 511,
  513, 514), wages accrued at each month end and paid on the 10th (212), cash withdrawn
  from and deposited into the bank, bank fees, quarterly depreciation and cost of sales;
- one or two projects a year: money from the secretary's unit and the county's 衔接资金
  received into 专项应付款 (241) with the project's link ``^P…``, paid into 在建工程 after the
  resolution is public, then turned into a fixed asset and 公积公益金 on completion;
- a ``balance`` assertion of the bank and the cash box on the first of every month, and the
  year end: 损益 → 本年收益 → 未分配收益 (``#closing``), 提取公积公益金 (``#distribution``),
  the entries ``close-year`` and ``distribute`` make (:mod:`projects.closing`).

The entries and declarations are Beancount directives, written as imports write them
(:func:`importers.render.block`). Every village is clean under ``bean-check`` with the
``projects.checks`` plugin. Money is
``Decimal``; each village draws from its own ``random.Random`` seeded by the seed and the
village's name, so the same seed gives byte-identical files. Names are fictional.
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import click
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from importers.render import block
from projects import chart, closing
from projects.model import DECISION_STEPS, RESULT_STEP
from projects.transaction_facts import root
from scripts.village import JOURNAL_TEMPLATE, VillageError, new_village

Date = datetime.date
ZERO = Decimal("0.00")
#: The ``filename`` of the generated entries' metadata (Beancount's own key, never written).
SOURCE = "<cunzhang county>"

TOWN_FIRST = "青白红金石云松柏桃李梅兰竹枫杨柳桂荷清丰"
TOWN_SECOND = "山河湖溪岭坪桥川塘林"
VILLAGE_FIRST = "东西南北上下前后大小新老高中长马龙凤黄白"
VILLAGE_SECOND = "庄岗湾坡沟坝岭寨堡店营屯集桥铺"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("立新", "建国", "海燕", "文华", "志强", "晓东", "丽萍", "卫东", "春梅", "国庆")
PRODUCTS = ("香菇", "粮油", "中药材", "花卉", "茶叶", "水果", "蔬菜", "生猪", "蜂蜜", "竹笋")
UNITS = (
    "市金融发展局",
    "市交通运输局",
    "县农业农村局",
    "市供电公司",
    "县人民医院",
    "市税务局",
    "省农业科学院",
    "县教育局",
    "市自然资源局",
    "县水利局",
)
COUNTY_FUND = "县乡村振兴局"
PROJECT_NAMES = (
    "冷链仓库",
    "村道硬化",
    "灌溉渠改造",
    "加工车间",
    "光伏电站",
    "农产品展销中心",
    "文化广场",
    "饮水安全工程",
    "育苗大棚",
    "村部修缮",
)
PROJECT_KINDS = ("产业项目", "基础设施", "公益事业")
#: A village's mean sale in 元: its operating income is about 800 times this, so the
#: county spreads over the income bands (below 5万, 5万–10万, above 10万).
SCALES = (40, 55, 75, 95, 120, 160, 220, 300)


def to_cents(value: Decimal | float | int) -> Decimal:
    """An amount in 元 to the cent (``value`` is a Decimal or a whole number)."""
    return Decimal(value).quantize(Decimal("0.01"))


def random_cents(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    """A random amount between ``low`` and ``high`` 元, to the cent."""
    return Decimal(rng.randrange(int(low * 100), int(high * 100) + 1)).scaleb(-2)


def month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def cny(amount: Decimal) -> Amount:
    return Amount(amount, "CNY")


def custom(date: Date, type_: str, /, *values: str | Decimal, **meta: object) -> data.Custom:
    """A declaration (README, 声明语法): text values, and amounts as CNY."""
    typed = [
        ValueType(cny(v), Amount) if isinstance(v, Decimal) else ValueType(v, str) for v in values
    ]
    return data.Custom(data.new_metadata(SOURCE, 0, meta), date, type_, typed)


def names(count: int, per_township: int) -> Iterator[tuple[str, str]]:
    """``(乡镇, 村)`` for ``count`` villages, ``per_township`` to a township; no two villages
    of the county share a name (disclosures are written to ``OUT/<村>/``)."""
    combos = len(VILLAGE_FIRST) * len(VILLAGE_SECOND)
    for index in range(count):
        t = index // per_township
        town = TOWN_FIRST[t % len(TOWN_FIRST)] + TOWN_SECOND[t // len(TOWN_FIRST) % 10] + "镇"
        second, first = divmod(index % combos, len(VILLAGE_FIRST))
        number = index // combos or ""
        yield town, f"{VILLAGE_FIRST[first]}{VILLAGE_SECOND[second]}{number}村"


# --- one village ------------------------------------------------------------------------


@dataclass
class Project:
    """A project's plan: who pays what, when it is decided, paid and completed."""

    id: str
    name: str
    serial: int
    budget: Decimal
    from_unit: Decimal
    from_county: Decimal
    declared: Date

    def day(self, offset: int) -> Date:
        return self.declared + datetime.timedelta(days=offset)

    @property
    def received(self) -> Decimal:
        return self.from_unit + self.from_county

    def account(self, parent: str, code: int) -> str:
        """The project's own sub-account of ``parent`` (``Assets:153-在建工程``), coded
        ``<parent code><code:02d>``."""
        return f"{parent}:{parent.split(':')[1][:3]}{code:02d}-{self.name}"

    @property
    def work(self) -> str:
        return self.account("Assets:153-在建工程", self.serial)

    @property
    def fund(self) -> str:
        return self.account("Liabilities:241-专项应付款", self.serial)

    @property
    def asset(self) -> str:  # 15101 and 15102 are the village's own buildings
        return self.account("Assets:151-固定资产", self.serial + 2)


@dataclass
class Writer:
    """One village's books, written as Beancount text while its balances are kept."""

    township: str
    village: str
    first: int  # the first year of the books
    rng: random.Random
    scale: Decimal  # the village's mean sale, in 元
    costs: Decimal  # the village's cost level: materials, running and public costs × this
    products: tuple[str, ...]
    bank: str
    entries: list[data.Directive] = field(default_factory=list)  # the year's journal
    opens: list[str] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)  # blocks of text
    totals: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    reserved: Decimal = ZERO  # earmarked money not yet spent: ordinary payments leave it
    projects: list[Project] = field(default_factory=list)
    used_names: set[str] = field(default_factory=set)
    main_bank: str = field(init=False)
    production: str = field(init=False)  # 生产(劳务)成本 of every product
    facility: str = field(init=False)  # the fixed asset the products are made in

    # accounts every village uses
    CASH = "Assets:101-库存现金"
    OFFICE = "Assets:151-固定资产:15101-村部办公楼"
    DEPRECIATION = "Assets:152-累计折旧"
    WAGES = "Liabilities:212-应付工资"
    CAPITAL = "Equity:301-资本"
    PUBLIC_FUND = "Equity:311-公积公益金"
    TO_RESERVE = "Equity:322-收益分配:32201-各项分配:3220101-提取公积公益金"
    RETAINED = "Equity:322-收益分配:32202-未分配收益"
    DIVIDEND = "Income:502-投资收益:50201-入股分红"
    SUBSIDY = "Income:503-补助收入:50301-运转经费补助"
    INTEREST = "Income:504-其他收入:50401-利息收入"
    COST_OF_SALES = "Expenses:511-经营支出:51101-产品销售成本"
    UTILITIES = "Expenses:511-经营支出:51102-水电费"
    TRANSPORT = "Expenses:511-经营支出:51103-运输费"
    FACILITY_DEPRECIATION = "Expenses:511-经营支出:51104-折旧费"
    OFFICE_COSTS = "Expenses:513-管理费用:51301-办公费"
    TRAVEL = "Expenses:513-管理费用:51302-差旅费"
    MEETINGS = "Expenses:513-管理费用:51303-会议费"
    ADMIN_WAGES = "Expenses:513-管理费用:51304-管理人员工资"
    BANK_FEES = "Expenses:513-管理费用:51305-银行手续费"
    OFFICE_DEPRECIATION = "Expenses:513-管理费用:51306-折旧费"
    PUBLIC_WORKS = (
        "Expenses:514-公益支出:51401-环境卫生",
        "Expenses:514-公益支出:51402-路灯电费",
        "Expenses:514-公益支出:51403-道路维修",
    )

    def __post_init__(self) -> None:
        self.main_bank = f"Assets:102-银行存款:10201-{self.bank}"
        self.production = f"Assets:401-生产劳务成本:40101-{self.products[0]}生产"
        self.facility = f"Assets:151-固定资产:15102-{self.products[0]}设施"

    def sales(self, product: str) -> str:
        return f"Income:501-经营收入:5010{self.products.index(product) + 1}-{product}销售"

    # --- entries ------------------------------------------------------------------------

    def open(self, date: Date, account: str) -> None:
        self.opens.append(chart.open_text(date.isoformat(), account))

    def record(self, entry: data.Transaction) -> None:
        """Add a balanced transaction to the journal and keep every account's running total."""
        assert sum(p.units.number for p in entry.postings) == 0, (entry.date, entry.narration)
        for posting in entry.postings:
            self.totals[posting.account] += posting.units.number
        self.entries.append(entry)

    def txn(
        self,
        date: Date,
        narration: str,
        postings: list[tuple[str, Decimal]],
        payee: str | None = None,
        link: str | None = None,
        tag: str | None = None,
        meta: dict[str, str] | None = None,
    ) -> None:
        self.record(
            data.Transaction(
                data.new_metadata(SOURCE, 0, meta),
                date,
                "*",
                payee,
                narration,
                frozenset({tag} if tag else ()),
                frozenset({link} if link else ()),
                [closing.posting(account, amount) for account, amount in postings],
            )
        )

    def declare(self, title: str, declarations: list[data.Custom]) -> None:
        self.declarations.append(block(declarations, title))

    def balances(self, date: Date) -> None:
        """Assert the bank and the cash box on ``date`` (the first of a month)."""
        for account in (self.main_bank, self.CASH):
            meta = data.new_metadata(SOURCE, 0)
            self.entries.append(
                data.Balance(meta, date, account, cny(self.totals[account]), None, None)
            )

    # --- money moving -------------------------------------------------------------------

    def can_pay(self, amount: Decimal) -> bool:
        """Whether the bank can pay an ordinary bill and keep earmarked money and wages."""
        free = self.totals[self.main_bank] - self.reserved + self.totals[self.WAGES]
        return free - amount >= self.scale * 20

    def receive(
        self, date: Date, account: str, payer: str, narration: str, amount: Decimal
    ) -> None:
        self.txn(
            date,
            narration,
            [(self.main_bank, amount), (account, -amount)],
            payer,
            meta={"funder": payer},
        )

    def pay(self, date: Date, account: str, payee: str, narration: str, amount: Decimal) -> None:
        if self.can_pay(amount):
            self.txn(date, narration, [(account, amount), (self.main_bank, -amount)], payee)

    def pay_cash(
        self, date: Date, account: str, payee: str | None, narration: str, amount: Decimal
    ) -> None:
        if self.totals[self.CASH] < amount + 500:
            top_up = to_cents(max(amount * 2, 3000))
            if not self.can_pay(top_up):
                return
            self.txn(date, "提取备用金", [(self.CASH, top_up), (self.main_bank, -top_up)])
        self.txn(date, narration, [(account, amount), (self.CASH, -amount)], payee)

    # --- the village's story ------------------------------------------------------------

    def opening(self, date: Date) -> None:
        """Open the village's sub-accounts and write the opening balances (``#opening``)."""
        for account in (
            self.main_bank,
            self.facility,
            self.production,
            *(self.sales(p) for p in self.products),
            self.DIVIDEND,
            self.SUBSIDY,
            self.INTEREST,
            self.COST_OF_SALES,
            self.UTILITIES,
            self.TRANSPORT,
            self.FACILITY_DEPRECIATION,
            self.OFFICE_COSTS,
            self.TRAVEL,
            self.MEETINGS,
            self.ADMIN_WAGES,
            self.BANK_FEES,
            self.OFFICE_DEPRECIATION,
            *self.PUBLIC_WORKS,
            self.OFFICE,
            "Equity:322-收益分配:32201-各项分配",
            self.TO_RESERVE,
            self.RETAINED,
        ):
            self.open(date, account)
        bank = to_cents(self.scale * 400 + 50000)
        cash = to_cents(2000)
        office, facility = to_cents(self.scale * 2000), to_cents(self.scale * 600)
        used = to_cents((office + facility) * Decimal("0.2"))
        self.txn(
            date,
            "期初余额",
            [
                (self.main_bank, bank),
                (self.CASH, cash),
                (self.OFFICE, office),
                (self.facility, facility),
                (self.DEPRECIATION, -used),
                (self.CAPITAL, -(office + facility - used)),
                (self.RETAINED, -(bank + cash)),
            ],
            tag="opening",
        )

    def secretaries(self, first: int, last: int) -> list[tuple[str, str, Date, Date]]:
        """Posted first secretaries, one two-year term after another, declared."""
        terms = []
        for start in range(first - 1, last + 1, 2):
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            unit = self.rng.choice(UNITS)
            terms.append((name, unit, Date(start, 9, 1), Date(start + 2, 8, 31)))
        self.declare(
            "驻村第一书记 (posted first secretaries)",
            [
                custom(begin, "secretary", name, unit, until=until)
                for name, unit, begin, until in terms
            ],
        )
        return terms

    def plan_project(self, year: int, number: int, secretary: tuple[str, str, Date, Date]) -> None:
        """Declare a project (funding, steps, pledge) and schedule its money."""
        rng = self.rng
        base = rng.choice(PROJECT_NAMES)
        name, phase = base, 1
        while name in self.used_names:
            phase += 1
            name = f"{base}{phase}期"
        self.used_names.add(name)
        budget = to_cents(round(self.scale * rng.randint(800, 3000), -3))
        from_unit = to_cents(round(budget * Decimal(rng.randint(30, 60)) / 100, -3))
        own = to_cents(round(budget / 10, -3))
        declared = Date(year, 1, 1) + datetime.timedelta(days=rng.randint(35, 200))
        project = Project(
            f"P{year}-{number:02d}",
            name,
            len(self.projects) + 1,
            budget,
            from_unit,
            budget - from_unit - own,
            declared,
        )
        self.projects.append(project)
        who, unit, *_ = secretary
        pid = project.id
        for account in (project.fund, project.work, project.asset):
            self.open(declared, account)
        kind = rng.choice(PROJECT_KINDS)
        steps = [(project.day(3 * i + 1), step) for i, step in enumerate(DECISION_STEPS)]
        steps.append((project.day(150), RESULT_STEP))
        self.declare(
            f"项目 {pid} {name}",
            [
                custom(
                    declared, "project", pid, name, kind=kind, budget=cny(budget), secretary=who
                ),
                custom(declared, "project-funding", pid, "派出单位帮扶", from_unit, funder=unit),
                custom(
                    declared,
                    "project-funding",
                    pid,
                    "衔接资金",
                    project.from_county,
                    funder=COUNTY_FUND,
                ),
                custom(declared, "project-funding", pid, "村集体自筹", own),
                *(custom(date, "project-step", pid, step) for date, step in steps),
                custom(
                    declared, "fund-pledge", unit, "帮扶资金", from_unit, secretary=who, project=pid
                ),
                custom(
                    project.day(21),
                    "fund-landed",
                    unit,
                    "帮扶资金",
                    from_unit,
                    secretary=who,
                    project=pid,
                ),
            ],
        )

    def project_events(self, project: Project, unit: str) -> list[tuple[Date, int, tuple]]:
        """The project's receipts, payments and completion, as dated events."""
        events = [
            (project.day(20), 0, ("unit", project, unit)),
            (project.day(30), 0, ("county", project, COUNTY_FUND)),
        ]
        left = project.received
        for i, share in enumerate((Decimal("0.4"), Decimal("0.35"), None)):
            amount = left if share is None else to_cents(project.received * share)
            left -= amount
            events.append((project.day(40 + 35 * i), 0, ("pay", project, amount)))
        events.append((project.day(140), 0, ("done", project, None)))
        return events

    def project_event(self, date: Date, what: str, project: Project, arg: object) -> None:
        pid, bank = project.id, self.main_bank
        if what in ("unit", "county"):
            amount = project.from_unit if what == "unit" else project.from_county
            self.reserved += amount
            self.txn(
                date,
                f"收到{arg}{'帮扶资金' if what == 'unit' else '衔接资金'}",
                [(bank, amount), (project.fund, -amount)],
                str(arg),
                link=pid,
                meta={"funder": str(arg)},
            )
        elif what == "pay":
            assert isinstance(arg, Decimal)
            self.reserved -= arg
            self.txn(
                date,
                f"支付{project.name}工程进度款",
                [(project.work, arg), (bank, -arg)],
                f"{self.township}建筑工程队",
                link=pid,
            )
        else:
            cost = project.received
            self.txn(
                date,
                f"{project.name}竣工验收转入固定资产",
                [
                    (project.asset, cost),
                    (project.work, -cost),
                    (project.fund, cost),
                    (self.PUBLIC_FUND, -cost),
                ],
                link=pid,
            )

    def month(self, year: int, month: int) -> list[tuple[Date, int, tuple]]:
        """The ordinary activity of one month, as dated events (about 120)."""
        rng, last = self.rng, calendar.monthrange(year, month)[1]

        def on(count: int, kind: str) -> list[tuple[Date, int, tuple]]:
            return [(Date(year, month, rng.randint(1, last)), 1, (kind,)) for _ in range(count)]

        events = on(rng.randint(44, 56), "sale") + on(rng.randint(9, 15), "cash sale")
        events += on(rng.randint(12, 18), "materials") + on(rng.randint(12, 18), "operations")
        events += on(rng.randint(14, 22), "office") + on(rng.randint(4, 8), "public")
        events += [(Date(year, month, 10), 1, ("wages",)), (month_end(year, month), 2, ("end",))]
        return events

    def ordinary(self, date: Date, kind: str) -> None:
        rng, s, c = self.rng, self.scale, self.scale * self.costs
        if kind == "sale":
            product = rng.choice(self.products)
            buyer = rng.choice(("县农贸批发市场", f"{self.township}商贸公司", "县电商服务中心"))
            amount = random_cents(rng, s * Decimal("0.4"), s * Decimal("1.6"))
            self.receive(date, self.sales(product), buyer, f"收到{product}销售款", amount)
        elif kind == "cash sale":
            product = rng.choice(self.products)
            amount = random_cents(rng, s * Decimal("0.1"), s * Decimal("0.5"))
            self.txn(
                date,
                f"零售{product}收现",
                [(self.CASH, amount), (self.sales(product), -amount)],
            )
        elif kind == "materials":
            amount = random_cents(rng, c * Decimal("0.5"), c * Decimal("1.5"))
            self.pay(date, self.production, "县农资公司", "购生产材料", amount)
        elif kind == "operations":
            account, payee, what = rng.choice(
                (
                    (self.UTILITIES, "县供电公司", "支付电费"),
                    (self.TRANSPORT, "县物流公司", "支付运输费"),
                )
            )
            self.pay(
                date,
                account,
                payee,
                what,
                random_cents(rng, c * Decimal("0.3"), c * Decimal("1.3")),
            )
        elif kind == "office":
            account, payee, what = rng.choice(
                (
                    (self.OFFICE_COSTS, f"{self.township}文具店", "购办公用品"),
                    (self.TRAVEL, None, "报销赴县办事差旅费"),
                    (self.MEETINGS, f"{self.township}农家饭店", "村民代表会议误餐费"),
                )
            )
            amount = random_cents(rng, s * Decimal("0.1"), s * Decimal("0.5"))
            self.pay_cash(date, account, payee, what, amount)
        elif kind == "public":
            account = rng.choice(self.PUBLIC_WORKS)
            amount = random_cents(rng, c * Decimal("0.3"), c * Decimal("1.5"))
            self.pay(date, account, f"{self.township}保洁队", "村内公益支出", amount)
        elif kind == "wages":
            owed = -self.totals[self.WAGES]
            if owed:
                self.txn(
                    date,
                    f"发放{(date.replace(day=1) - datetime.timedelta(days=1)).month}月工资",
                    [(self.WAGES, owed), (self.main_bank, -owed)],
                    "本村务工人员",
                )
        else:
            self.month_end(date)

    def month_end(self, date: Date) -> None:
        """Wages accrued, bank fees; each quarter interest, subsidy, depreciation, cost of sales."""
        s, bank = self.scale, self.main_bank
        production, admin = to_cents(s * 8), to_cents(s * 2)
        self.txn(
            date,
            f"计提{date.month}月工资",
            [
                (self.production, production),
                (self.ADMIN_WAGES, admin),
                (self.WAGES, -production - admin),
            ],
        )
        fee = to_cents(self.rng.randint(5, 30))
        self.txn(date, "银行手续费", [(self.BANK_FEES, fee), (bank, -fee)], self.bank)
        if self.totals[self.CASH] > 6000:
            deposit = to_cents(self.totals[self.CASH] - 2000)
            self.txn(date, "现金存入银行", [(bank, deposit), (self.CASH, -deposit)])
        if date.month % 3:
            return
        quarter = date.month // 3
        interest = to_cents(self.totals[bank] * Decimal("0.0005"))
        if interest > 0:
            self.receive(date, self.INTEREST, self.bank, "银行结息", interest)
        subsidy = to_cents(round(s * 30, -2) + 3000)
        self.receive(
            date, self.SUBSIDY, f"{self.township}人民政府", "村级组织运转经费补助", subsidy
        )
        office = to_cents(self.totals[self.OFFICE] / 200)
        facility = to_cents(self.totals[self.facility] / 40)
        self.txn(
            date,
            f"计提{date.year}年第{quarter}季度固定资产折旧",
            [
                (self.OFFICE_DEPRECIATION, office),
                (self.FACILITY_DEPRECIATION, facility),
                (self.DEPRECIATION, -office - facility),
            ],
        )
        cost = to_cents(self.totals[self.production] * Decimal("0.9"))
        self.txn(
            date,
            f"结转{date.year}年第{quarter}季度产品销售成本",
            [(self.COST_OF_SALES, cost), (self.production, -cost)],
        )
        if quarter == 4:
            dividend = to_cents(round(s * 20, -2))
            self.receive(date, self.DIVIDEND, "县农业发展公司", "收到入股分红", dividend)

    def year_end(self, year: int) -> None:
        """Close the year as ``close-year`` does; then, in a year with a surplus, the
        distribution ``distribute`` books for a plan extracting 15% to 公积公益金."""
        results = {
            account: amount
            for account, amount in sorted(self.totals.items())
            if amount and root(account) in closing.RESULT_ROOTS
        }
        year_profit = self.totals[closing.YEAR_PROFIT]
        entries = closing.close_balances(results, year_profit, year, self.RETAINED)
        profit = -sum(results.values(), ZERO)
        if profit > 0:
            reserve = closing.Share(
                self.TO_RESERVE, self.PUBLIC_FUND, to_cents(profit * Decimal("0.15"))
            )
            approved = {"approved": f"{year}年12月成员代表大会决议"}
            entries += closing.distribute([reserve], year, self.RETAINED, approved)
        for entry in entries:
            self.record(entry)

    def year(self, year: int, secretary: tuple[str, str, Date, Date]) -> str:
        """The text of one year's journal."""
        rng = self.rng
        events: list[tuple[Date, int, tuple]] = []
        for number in range(1, 2 + (rng.random() < 0.4)):
            self.plan_project(year, number, secretary)
            events += self.project_events(self.projects[-1], secretary[1])
        for month in range(1, 13):
            events += self.month(year, month)
        if rng.random() < 0.1:  # a landing claim the books never bear out (未核实)
            unit, amount = secretary[1], to_cents(round(self.scale * 100, -3))
            landed = custom(
                Date(year, 11, 20),
                "fund-landed",
                unit,
                "结对共建资金",
                amount,
                secretary=secretary[0],
            )
            self.declare(f"{year}年 帮扶资金到位声明 (fund claim)", [landed])
        events.sort(key=lambda e: (e[0], e[1]))
        self.entries = []
        if year == self.first:
            self.opening(Date(year, 1, 1))
        asserted = (year, 1)
        for date, _, (kind, *args) in events:
            if (date.year, date.month) != asserted:
                self.balances(date.replace(day=1))
                asserted = (date.year, date.month)
            if args:
                self.project_event(date, kind, *args)
            else:
                self.ordinary(date, kind)
        self.year_end(year)
        self.balances(Date(year + 1, 1, 1))
        header = JOURNAL_TEMPLATE.format(township=self.township, village=self.village, year=year)
        return header + block(self.entries, "合成账目 (generated by cunzhang county generate)")


def write_village(
    ledgers: Path, township: str, village: str, first: int, last: int, seed: int
) -> Path:
    """Create one village with ``new_village`` and write its generated books into it."""
    rng = random.Random(f"{seed}/{township}/{village}")
    products = tuple(rng.sample(PRODUCTS, rng.randint(1, 3)))
    scale = Decimal(rng.choice(SCALES) + rng.randrange(15))
    costs = Decimal(rng.randrange(90, 136)) / 100
    writer = Writer(township, village, first, rng, scale, costs, products, f"{township[:2]}农商行")
    folder = new_village(ledgers, f"{township}/{village}", Date(first, 1, 1))
    terms = writer.secretaries(first, last)
    for year in range(first, last + 1):
        term = next(t for t in terms if t[2] <= Date(year, 6, 30) <= t[3])
        (folder / "journal" / f"{year}.beancount").write_text(writer.year(year, term), "utf-8")
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as out:
        out.write("\n; 明细科目 (sub-accounts)\n\n" + "\n".join(writer.opens))
    with (folder / "projects.beancount").open("a", encoding="utf-8") as out:
        out.write("".join(writer.declarations))
    return folder


def generate(
    out: Path, villages: int, years: int, seed: int, last_year: int = 2025, per_township: int = 15
) -> list[Path]:
    """Write the county under ``out`` and return the village folders."""
    first = last_year - years + 1
    wanted = list(names(villages, per_township))
    existing = [f"{t}/{v}" for t, v in wanted if (out / t / v).exists()]
    if existing:
        raise VillageError(
            f"村账套已存在, 未做任何改动: {out} 下的 {'、'.join(existing[:5])} (villages exist)"
        )
    return [write_village(out, t, v, first, last_year, seed) for t, v in wanted]


@click.group("county")
def county() -> None:
    """合成县级账套 (synthetic county ledgers for scale tests)."""


@county.command("generate")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--villages", type=int, default=300, show_default=True, help="村数 villages.")
@click.option("--years", type=int, default=3, show_default=True, help="年数 years of books.")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子 seed.")
@click.option("--last-year", type=int, default=2025, show_default=True, help="最后一年 last year.")
@click.option("--per-township", type=int, default=15, show_default=True, help="每个乡镇的村数.")
def generate_command(
    out: Path, villages: int, years: int, seed: int, last_year: int, per_township: int
) -> None:
    """生成 N 个村 × Y 年的合成账套 (about 1 500 transactions per village-year)."""
    if villages < 1 or years < 1 or per_township < 1:
        raise click.BadParameter("--villages、--years、--per-township 须为正整数 (positive)")
    try:
        folders = generate(out, villages, years, seed, last_year, per_township)
    except VillageError as error:
        raise click.ClickException(str(error)) from error
    townships = len({folder.parent for folder in folders})
    click.echo(
        f"已生成 generated: {len(folders)} 个村 villages, {townships} 个乡镇 townships, {out}"
    )


if __name__ == "__main__":
    county()
