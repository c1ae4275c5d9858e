"""The annual statements of the 2023 standard: 收益及收益分配表 and 资产负债表.

``income_statement`` and ``balance_sheet`` give a year's rows, as the disclosure prints
them; ``distributable`` gives 五、可分配收益 alone, the most a year's distribution may share
out (``cunzhang distribute`` checks a plan against it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import account as bc_account
from beancount.core import data

from projects import closing, reports, transaction_facts
from projects.balances import balances, opening_balances, signed, total
from projects.chart import chart, split_component
from projects.periods import Period, parse_period
from projects.transaction_facts import ZERO, top_code


@dataclass
class StatementLine:
    """A row of a standard statement: label, amounts, and how it is printed."""

    label: str
    amounts: list[Decimal]  # one per column (本年数; 年初数 and 年末数 on the 资产负债表)
    total: bool = False  # a subtotal or total row, printed bold
    indent: int = 0


# --- 收益及收益分配表 -------------------------------------------------------------------

#: The lines above 经营收益 and between it and 收益总额, each a label, a first-level code
#: and whether it adds (+1, income) or subtracts (−1, spending).
OPERATING_LINES = (
    ("一、经营收入", "501", 1),
    ("减: 经营支出", "511", -1),
    ("税金及附加", "512", -1),
    ("管理费用", "513", -1),
)
OTHER_LINES = (
    ("加: 投资收益", "502", 1),
    ("补助收入", "503", 1),
    ("其他收入", "504", 1),
    ("减: 公益支出", "514", -1),
    ("其他支出", "515", -1),
)
TAX = "521"
#: 收益分配: a ``#distribution`` entry's debits to its sub-accounts are the year's shares.
DISTRIBUTION = "322"
#: The shares the statement names, by the code of their 32201 各项分配 sub-account (or by
#: name, where a village numbered them otherwise); the others are 其他分配.
SHARE_OUT = {
    code: path.rsplit("-", 1)[-1] for code, path in (closing.RESERVE, closing.MEMBER_SHARE)
}
OTHER_SHARES = closing.OTHER_SHARE[1].rsplit("-", 1)[-1]


def undistributed(sums: dict[str, Decimal]) -> Decimal:
    """未分配收益: the balance of ``closing.EARNINGS`` with the income and expense not yet
    closed."""
    retained = (
        v
        for a, v in sums.items()
        if top_code(a) in closing.EARNINGS or transaction_facts.root(a) in closing.RESULT_ROOTS
    )
    return signed(-1, sum(retained, ZERO))


def shares(entries: Iterable[data.Directive], period: Period) -> dict[str, Decimal]:
    """The period's distribution (``#distribution``): debits to 收益分配's sub-accounts,
    by the statement's line (提取公积公益金, 成员分配, 其他分配)."""
    found = {label: ZERO for label in (*SHARE_OUT.values(), OTHER_SHARES)}
    for entry in entries:
        if (
            isinstance(entry, data.Transaction)
            and period.start <= entry.date <= period.end
            and "distribution" in (entry.tags or ())
        ):
            for posting in entry.postings:
                if top_code(posting.account) == DISTRIBUTION and posting.units.number > 0:
                    code, name = split_component(bc_account.leaf(posting.account))
                    named = name if name in SHARE_OUT.values() else OTHER_SHARES
                    found[SHARE_OUT.get(code, named)] += posting.units.number
    return found


def _available(year_end: Decimal, distributed: dict[str, Decimal]) -> Decimal:
    """可分配收益: the 未分配收益 at the year's end with the year's distribution added back,
    which is 净收益 + 年初未分配收益 + 其他转入."""
    return year_end + sum(distributed.values(), ZERO)


def distributable(entries: data.Directives, year: int) -> Decimal:
    """五、可分配收益 of the year, as the 收益及收益分配表 shows it."""
    period = parse_period(str(year))
    return _available(undistributed(balances(entries, period.end)), shares(entries, period))


def income_statement(village: reports.VillageBooks, period: Period) -> list[StatementLine]:
    """收益及收益分配表 for a year: earnings without closing entries, then the distribution.

    年末未分配收益 is the books' balance at year end; 其他转入 is whatever else moved
    undistributed earnings in the year (shown only when not zero), so the table adds up.
    """
    by_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in village.transactions(period.end):
        if entry.date >= period.start:
            for posting in entry.postings:
                by_code[top_code(posting.account)] += posting.units.number

    def block(rows: tuple, start: Decimal = ZERO) -> tuple[list[StatementLine], Decimal]:
        lines, result = [], start
        for label, code, sign in rows:
            value = signed(-1 if sign > 0 else 1, by_code[code])
            result += sign * value
            lines.append(StatementLine(label, [value], indent=0 if label[1] == "、" else 1))
        return lines, result

    lines, operating = block(OPERATING_LINES)
    lines.append(StatementLine("二、经营收益", [operating], total=True))
    others, gross = block(OTHER_LINES, operating)
    lines += others
    lines.append(StatementLine("三、收益总额", [gross], total=True))
    net = gross - by_code[TAX]
    lines.append(StatementLine("减: 所得税费用", [by_code[TAX]], indent=1))
    lines.append(StatementLine("四、净收益", [net], total=True))

    distributed = shares(village.entries, period)
    opening = undistributed(opening_balances(village.entries, period.start))
    year_end = undistributed(balances(village.entries, period.end))
    available = _available(year_end, distributed)
    other_in = available - opening - net
    lines.append(StatementLine("加: 年初未分配收益", [opening], indent=1))
    if other_in:
        lines.append(StatementLine("其他转入", [other_in], indent=1))
    lines.append(StatementLine("五、可分配收益", [available], total=True))
    lines.append(StatementLine("减: 提取公积公益金", [distributed["提取公积公益金"]], indent=1))
    lines.append(StatementLine("成员分配", [distributed["成员分配"]], indent=1))
    if distributed[OTHER_SHARES]:
        lines.append(StatementLine(OTHER_SHARES, [distributed[OTHER_SHARES]], indent=1))
    lines.append(StatementLine("六、年末未分配收益", [year_end], total=True))
    return lines


# --- 资产负债表 -------------------------------------------------------------------------

#: The 2023 layout: a line is a label with first-level codes and the sign that shows its
#: normal balance positive, or a label with the key of a computed total.
BALANCE_SHEET: tuple[tuple[str, tuple[str, ...] | str, int], ...] = (
    ("货币资金", ("101", "102"), 1),
    ("短期投资", ("111",), 1),
    ("应收款项", ("112", "113"), 1),
    ("存货", ("121", "401"), 1),
    ("消耗性生物资产", ("131",), 1),
    ("流动资产合计", "current_assets", 1),
    ("长期投资", ("141",), 1),
    ("生产性生物资产净值", ("132", "133"), 1),
    ("公益性生物资产", ("134",), 1),
    ("固定资产原值", ("151",), 1),
    ("减: 累计折旧", ("152",), -1),
    ("固定资产净值", ("151", "152"), 1),
    ("固定资产清理", ("154",), 1),
    ("在建工程", ("153",), 1),
    ("无形资产净值", ("161", "162"), 1),
    ("长期待摊费用", ("171",), 1),
    ("待处理财产损溢", ("181",), 1),
    ("非流动资产合计", "noncurrent_assets", 1),
    ("资产总计", "assets", 1),
    ("短期借款", ("201",), -1),
    ("应付款项", ("211",), -1),
    ("应付工资", ("212",), -1),
    ("应付劳务费", ("213",), -1),
    ("应交税费", ("214",), -1),
    ("流动负债合计", "current_liabilities", -1),
    ("长期借款及应付款", ("221",), -1),
    ("一事一议资金", ("231",), -1),
    ("专项应付款", ("241",), -1),
    ("非流动负债合计", "noncurrent_liabilities", -1),
    ("负债合计", "liabilities", -1),
    ("资本", ("301",), -1),
    ("公积公益金", ("311",), -1),
    ("未分配收益", closing.EARNINGS, -1),
    ("所有者权益合计", "equity", -1),
    ("负债和所有者权益总计", "liabilities_equity", -1),
)
CURRENT_ASSETS = ("101", "102", "111", "112", "113", "121", "401", "131")
CURRENT_LIABILITIES = ("201", "211", "212", "213", "214")
ALL_CODES = tuple(chart())


def _sheet_totals(sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """The 资产负债表's totals from balances."""
    assets = total(sums, ALL_CODES, "Assets")
    current = total(sums, CURRENT_ASSETS, "Assets")
    liabilities = signed(-1, total(sums, ALL_CODES, "Liabilities"))
    current_liabilities = signed(-1, total(sums, CURRENT_LIABILITIES))
    equity = signed(-1, total(sums, ("301", "311"))) + undistributed(sums)
    return {
        "current_assets": current,
        "noncurrent_assets": assets - current,
        "assets": assets,
        "current_liabilities": current_liabilities,
        "noncurrent_liabilities": liabilities - current_liabilities,
        "liabilities": liabilities,
        "equity": equity,
        "liabilities_equity": liabilities + equity,
    }


def balance_sheet(village: reports.VillageBooks, period: Period) -> list[StatementLine]:
    """资产负债表: 年初数 and 年末数 of each line of the standard's layout.

    未分配收益 includes the income and expense of a year not yet closed, so the sheet
    balances before the year-end closing too.
    """
    columns = [
        opening_balances(village.entries, period.start),
        balances(village.entries, period.end),
    ]
    totals = [_sheet_totals(sums) for sums in columns]
    lines = []
    for label, codes, sign in BALANCE_SHEET:
        if isinstance(codes, str):
            lines.append(StatementLine(label, [t[codes] for t in totals], total=True))
        elif codes == closing.EARNINGS:
            lines.append(StatementLine(label, [undistributed(sums) for sums in columns]))
        else:
            amounts = [signed(sign, total(sums, codes)) for sums in columns]
            lines.append(StatementLine(label, amounts, indent=1 if label.startswith("减") else 0))
    return lines
