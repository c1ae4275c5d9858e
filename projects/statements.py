"""The annual statements of the 2023 standard: 收益及收益分配表 and 资产负债表.

``income_statement`` and ``balance_sheet`` give a year's rows as the disclosure, the
Fava preview and ``close-year`` print them: each row has its 行次 and its amounts
(本年金额 and 上年金额; 期末余额 and 年初余额). ``distributable`` gives 五、可分配收益
alone, the most a year's distribution may share out (``cunzhang distribute`` checks a plan
against it).

The layouts follow the 2021 cooperative format (会农社01表/02表, 财会〔2021〕37号), which the
2023 standard (财会〔2023〕14号) follows, with the village chart's lines; the README says
which lines could not be confirmed against the 2023 appendix.

其他转入 is what the entries that *are* 其他转入 moved into 未分配收益 (``other_transfer``):
公积公益金弥补亏损 (debit 311, credit 322) or an entry tagged ``#other-transfer``. Any other
change of 未分配收益 outside 净收益 and the distribution is not absorbed by the table:
``unexplained`` finds it, and the ``projects.checks.retained`` check reports it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import account as bc_account
from beancount.core import data

from projects import closing, transaction_facts
from projects.balances import balances, opening_balances, signed, total
from projects.chart import split_component
from projects.periods import Period, parse_period
from projects.transaction_facts import ZERO, top_code

if TYPE_CHECKING:
    from projects.reports import VillageBooks


@dataclass
class StatementLine:
    """A row of a standard statement: label, 行次, amounts, and how it is printed.

    A heading (流动资产：) has no 行次 and no amounts. On the 资产负债表, ``part`` 0 is the
    资产 side and 1 the 负债和所有者权益 side.
    """

    label: str
    amounts: list[
        Decimal | None
    ]  # 本年金额, 上年金额 (None: before the books); or 期末余额, 年初余额
    total: bool = False  # a subtotal or total row, printed bold
    indent: int = 0
    row: int | None = None  # 行次
    part: int = 0


#: The column names of the two statements, after 项目 and 行次.
INCOME_COLUMNS = ("本年金额", "上年金额")
BALANCE_COLUMNS = ("期末余额", "年初余额")

# --- 收益及收益分配表 -------------------------------------------------------------------

#: The lines from 经营收入 to 所得税费用: a label, a first-level code and whether it adds
#: (+1, income) or subtracts (−1, spending); ``None`` for a subtotal.
EARNING_LINES: tuple[tuple[str, str | None, int], ...] = (
    ("一、经营收入", "501", 1),
    ("减: 经营支出", "511", -1),
    ("税金及附加", "512", -1),
    ("管理费用", "513", -1),
    ("加: 投资收益", "502", 1),
    ("二、经营收益", None, 0),
    ("加: 补助收入", "503", 1),
    ("其他收入", "504", 1),
    ("减: 公益支出", "514", -1),
    ("其他支出", "515", -1),
    ("三、收益总额", None, 0),
    ("减: 所得税费用", "521", -1),
    ("四、净收益", None, 0),
)
OPERATING_EARNINGS = "二、经营收益"
#: The first-level codes of the lines above 二、经营收益.
OPERATING_CODES = tuple(
    code
    for _, code, _ in itertools.takewhile(lambda line: line[0] != OPERATING_EARNINGS, EARNING_LINES)
)
#: 收益分配: a ``#distribution`` entry's debits to its sub-accounts are the year's shares.
DISTRIBUTION = "322"
#: The shares the statement names, by the code of their 32201 各项分配 sub-account (or by
#: name, where a village numbered them otherwise); the others are 其他分配.
SHARE_OUT = {
    code: path.rsplit("-", 1)[-1] for code, path in (closing.RESERVE, closing.MEMBER_SHARE)
}
OTHER_SHARES = closing.OTHER_SHARE[1].rsplit("-", 1)[-1]
#: The tag of an entry that is 其他转入 though it is not 公积公益金弥补亏损.
OTHER_TRANSFER_TAG = "other-transfer"
PUBLIC_FUND = closing.PUBLIC_FUND[0]


def in_earnings(account: str) -> bool:
    """321, 322 and the income and expense accounts: what 未分配收益 sums."""
    return (
        top_code(account) in closing.EARNINGS
        or transaction_facts.root(account) in closing.RESULT_ROOTS
    )


def undistributed(sums: dict[str, Decimal]) -> Decimal:
    """未分配收益: the balance of ``closing.EARNINGS`` with the income and expense not yet
    closed."""
    return signed(-1, sum((v for a, v in sums.items() if in_earnings(a)), ZERO))


def moved(entry: data.Transaction) -> Decimal:
    """What the entry added to 未分配收益 (credits to ``in_earnings`` accounts)."""
    return -sum((p.units.number for p in entry.postings if in_earnings(p.account)), ZERO)


def other_transfer(entry: data.Transaction) -> bool:
    """Is the entry 其他转入? Tagged ``#other-transfer``, or 公积公益金弥补亏损: it debits
    311 公积公益金 and credits 322 收益分配 (2004 standard, 322 收益分配 说明二)."""
    if transaction_facts.is_closing(entry):
        return False
    if OTHER_TRANSFER_TAG in (entry.tags or ()):
        return True
    codes = {(top_code(p.account), p.units.number > 0) for p in entry.postings}
    return (PUBLIC_FUND, True) in codes and (DISTRIBUTION, False) in codes


def entry_shares(entry: data.Transaction) -> dict[str, Decimal]:
    """A ``#distribution`` entry's debits to 收益分配, by the statement's line."""
    found = {label: ZERO for label in (*SHARE_OUT.values(), OTHER_SHARES)}
    for posting in entry.postings:
        if top_code(posting.account) == DISTRIBUTION and posting.units.number > 0:
            code, name = split_component(bc_account.leaf(posting.account))
            named = name if name in SHARE_OUT.values() else OTHER_SHARES
            found[SHARE_OUT.get(code, named)] += posting.units.number
    return found


def unexplained(entry: data.Transaction) -> Decimal:
    """The part of the entry's change of 未分配收益 that is neither 净收益 (income and
    expense), 其他转入, the distribution, the year-end closing's moves inside 未分配收益,
    nor the opening: e.g. a prior-year adjustment credited straight to 322."""
    tags = entry.tags or ()
    if "opening" in tags or other_transfer(entry):
        return ZERO
    change = moved(entry)
    if "closing" in tags:
        return change
    if "distribution" in tags:
        return change + sum(entry_shares(entry).values(), ZERO)
    return -sum(
        (p.units.number for p in entry.postings if top_code(p.account) in closing.EARNINGS), ZERO
    )


def _inside(entries: Iterable[data.Directive], period: Period) -> Iterator[data.Transaction]:
    for entry in entries:
        if isinstance(entry, data.Transaction) and period.start <= entry.date <= period.end:
            yield entry


def shares(entries: Iterable[data.Directive], period: Period) -> dict[str, Decimal]:
    """The period's distribution (``#distribution``): debits to 收益分配's sub-accounts,
    by the statement's line (提取公积公益金, 成员分配, 其他分配)."""
    found = {label: ZERO for label in (*SHARE_OUT.values(), OTHER_SHARES)}
    for entry in _inside(entries, period):
        if "distribution" in (entry.tags or ()):
            for label, amount in entry_shares(entry).items():
                found[label] += amount
    return found


@dataclass
class YearEarnings:
    """One year of the 收益及收益分配表, by line."""

    lines: dict[str, Decimal]  # 一、经营收入 … 四、净收益
    opening: Decimal  # 年初未分配收益
    other_in: Decimal  # 其他转入
    shares: dict[str, Decimal]  # 提取公积公益金, 成员分配, 其他分配

    @property
    def net(self) -> Decimal:
        return self.lines["四、净收益"]

    @property
    def available(self) -> Decimal:
        """五、可分配收益 = 净收益 + 年初未分配收益 + 其他转入."""
        return self.net + self.opening + self.other_in

    @property
    def year_end(self) -> Decimal:
        """六、年末未分配收益 = 可分配收益 − the year's distribution."""
        return self.available - sum(self.shares.values(), ZERO)


def earning_entry(entry: data.Transaction) -> bool:
    """Do the entry's income and expense postings count in 净收益? Not the year end's
    (``#closing``, ``#distribution``, ``#opening``) nor a 其他转入."""
    return not transaction_facts.is_closing(entry) and not other_transfer(entry)


def earning_lines(by_code: dict[str, Decimal]) -> dict[str, Decimal]:
    """一、经营收入 … 四、净收益 from the sums of postings by first-level code."""
    lines: dict[str, Decimal] = {}
    result = ZERO
    for label, code, sign in EARNING_LINES:
        if code is None:
            lines[label] = result
        else:
            value = signed(-sign, by_code.get(code, ZERO))
            lines[label] = value
            result += sign * value
    return lines


def year_earnings(entries: data.Directives, period: Period) -> YearEarnings:
    """The figures of one period's 收益及收益分配表 from the entries."""
    by_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    opening = undistributed(opening_balances(entries, period.start))
    other_in = ZERO
    for entry in _inside(entries, period):
        tags = entry.tags or ()
        if "opening" in tags:
            if entry.date > period.start:  # books opened during the year
                opening += moved(entry)
        elif other_transfer(entry):
            other_in += moved(entry)
        elif earning_entry(entry):
            for posting in entry.postings:
                by_code[top_code(posting.account)] += posting.units.number
    return YearEarnings(earning_lines(by_code), opening, other_in, shares(entries, period))


def distributable(entries: data.Directives, year: int) -> Decimal:
    """五、可分配收益 of the year, as the 收益及收益分配表 shows it."""
    return year_earnings(entries, parse_period(str(year))).available


def _income_rows(earnings: YearEarnings) -> list[tuple[str, Decimal, bool, int]]:
    """(label, amount, total?, indent) of each line, in the statement's order."""
    rows = [
        (label, value, code is None, 0 if label[1] == "、" else 1)
        for (label, code, _), value in zip(EARNING_LINES, earnings.lines.values(), strict=True)
    ]
    rows += [
        ("加: 年初未分配收益", earnings.opening, False, 1),
        ("其他转入", earnings.other_in, False, 1),
        ("五、可分配收益", earnings.available, True, 0),
        ("减: 提取公积公益金", earnings.shares["提取公积公益金"], False, 1),
        ("成员分配", earnings.shares["成员分配"], False, 1),
        (OTHER_SHARES, earnings.shares[OTHER_SHARES], False, 1),
        ("六、年末未分配收益", earnings.year_end, True, 0),
    ]
    return rows


def income_statement(village: VillageBooks, period: Period) -> list[StatementLine]:
    """收益及收益分配表 for a year: 本年金额 and 上年金额 of every line, with 行次; 上年金额
    is blank (``None``) when the books have nothing dated in or before the year before."""
    before = parse_period(str(period.start.year - 1))
    this = _income_rows(year_earnings(village.entries, period))
    kept = any(isinstance(e, data.Transaction) and e.date <= before.end for e in village.entries)
    last = [row[1] for row in _income_rows(year_earnings(village.entries, before))]
    return [
        StatementLine(
            label, [value, last[i] if kept else None], total=bold, indent=indent, row=i + 1
        )
        for i, (label, value, bold, indent) in enumerate(this)
    ]


# --- 资产负债表 -------------------------------------------------------------------------

#: The layout, side by side: a heading (``None``), a line summing first-level codes on
#: their normal side (``(codes, sign)``), or a line computed from the lines above it
#: (a tuple of labels to add, "减: " lines subtracted).
Layout = tuple[tuple[str, object], ...]
ASSET_SIDE: Layout = (
    ("流动资产:", None),
    ("货币资金", (("101", "102"), 1)),
    ("短期投资", (("111",), 1)),
    ("应收款项", "receivables"),
    ("存货", (("121", "401"), 1)),
    ("消耗性生物资产", (("131",), 1)),
    ("流动资产合计", ("货币资金", "短期投资", "应收款项", "存货", "消耗性生物资产")),
    ("非流动资产:", None),
    ("长期投资", (("141",), 1)),
    ("生产性生物资产原值", (("132",), 1)),
    ("减: 生产性生物资产累计折旧", (("133",), -1)),
    ("生产性生物资产净值", ("生产性生物资产原值", "减: 生产性生物资产累计折旧")),
    ("固定资产原值", (("151",), 1)),
    ("减: 累计折旧", (("152",), -1)),
    ("固定资产净值", ("固定资产原值", "减: 累计折旧")),
    ("在建工程", (("153",), 1)),
    ("固定资产清理", (("154",), 1)),
    ("固定资产小计", ("固定资产净值", "在建工程", "固定资产清理")),
    ("无形资产原值", (("161",), 1)),
    ("减: 累计摊销", (("162",), -1)),
    ("无形资产净值", ("无形资产原值", "减: 累计摊销")),
    ("公益性生物资产", (("134",), 1)),
    ("长期待摊费用", (("171",), 1)),
    ("待处理财产损溢", (("181",), 1)),
    (
        "非流动资产合计",
        (
            "长期投资",
            "生产性生物资产净值",
            "固定资产小计",
            "无形资产净值",
            "公益性生物资产",
            "长期待摊费用",
            "待处理财产损溢",
        ),
    ),
    ("资产总计", ("流动资产合计", "非流动资产合计")),
)
CLAIMS_SIDE: Layout = (
    ("流动负债:", None),
    ("短期借款", (("201",), -1)),
    ("应付款项", "payables"),
    ("应付工资", (("212",), -1)),
    ("应付劳务费", (("213",), -1)),
    ("应交税费", (("214",), -1)),
    ("流动负债合计", ("短期借款", "应付款项", "应付工资", "应付劳务费", "应交税费")),
    ("非流动负债:", None),
    ("长期借款及应付款", (("221",), -1)),
    ("一事一议资金", (("231",), -1)),
    ("专项应付款", (("241",), -1)),
    ("非流动负债合计", ("长期借款及应付款", "一事一议资金", "专项应付款")),
    ("负债合计", ("流动负债合计", "非流动负债合计")),
    ("所有者权益:", None),
    ("资本", (("301",), -1)),
    ("公积公益金", (("311",), -1)),
    ("未分配收益", "undistributed"),
    ("所有者权益合计", ("资本", "公积公益金", "未分配收益")),
    ("负债和所有者权益总计", ("负债合计", "所有者权益合计")),
)
#: 113 内部往来 and the lines its detail accounts go to, by the side of their balance.
INTERNAL = "113"
RECEIVABLES = ("112",)
PAYABLES = ("211",)


def internal_sides(sums: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    """内部往来's detail accounts (each account under 113) with debit balances, summed, and
    those with credit balances, summed (shown positive): 应收款项 and 应付款项 take them
    (2004 standard, 113 内部往来 说明六)."""
    values = [v for a, v in sums.items() if top_code(a) == INTERNAL]
    return sum((v for v in values if v > 0), ZERO), -sum((v for v in values if v < 0), ZERO)


def _sheet_column(sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """Every line of the 资产负债表 from one date's balances."""
    debit, credit = internal_sides(sums)
    special = {
        "receivables": total(sums, RECEIVABLES) + debit,
        "payables": signed(-1, total(sums, PAYABLES)) + credit,
        "undistributed": undistributed(sums),
    }
    values: dict[str, Decimal] = {}
    for label, spec in ASSET_SIDE + CLAIMS_SIDE:
        if spec is None:
            continue
        if isinstance(spec, str):
            values[label] = special[spec]
        elif isinstance(spec[0], tuple):
            codes, sign = spec
            values[label] = signed(sign, total(sums, codes))
        else:
            values[label] = sum(
                (-values[p] if p.startswith("减") else values[p] for p in spec), ZERO
            )
    return values


def balance_sheet(village: VillageBooks, period: Period) -> list[StatementLine]:
    """资产负债表: 期末余额 and 年初余额 of each line, 资产 (part 0) then 负债和所有者权益
    (part 1), 行次 numbered down the 资产 side and on down the other.

    未分配收益 includes the income and expense of a year not yet closed, so the sheet
    balances before the year-end closing too.
    """
    columns = [
        _sheet_column(balances(village.entries, period.end)),
        _sheet_column(opening_balances(village.entries, period.start)),
    ]
    lines, number = [], 0
    for part, side in enumerate((ASSET_SIDE, CLAIMS_SIDE)):
        for label, spec in side:
            if spec is None:
                lines.append(StatementLine(label, [], part=part))
                continue
            number += 1
            computed = isinstance(spec, tuple) and not isinstance(spec[0], tuple)
            lines.append(
                StatementLine(
                    label,
                    [c[label] for c in columns],
                    total=computed,
                    indent=1 if label.startswith("减") else 0,
                    row=number,
                    part=part,
                )
            )
    return lines
