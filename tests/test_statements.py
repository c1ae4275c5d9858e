"""The annual statements (``projects.statements``) on generated years, and the disclosure's
texts read through ``projects.options``.

Each generated year has opening earnings, income and spending, and by chance the year-end
closing, a distribution (提取公积公益金, 成员分配, 其他分配), another transfer into
未分配收益 and entries after the year: 可分配收益 from ``distributable`` must be the
statement's row, and the statement must add up and agree with the balance sheet.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest

from projects import disclosure, options, statements
from projects.balances import balances
from projects.disclosure_render import render_html, xlsx_sections
from projects.periods import parse_period
from projects.reports import VillageBooks
from tests.ledgertext import load

BANK = "Assets:102-银行存款:10201-农商行"
UNDISTRIBUTED = "Equity:322-收益分配:32202-未分配收益"
SHARES = {
    "提取公积公益金": (
        "Equity:322-收益分配:32201-各项分配:3220101-提取公积公益金",
        "Equity:311-公积公益金",
    ),
    "成员分配": (
        "Equity:322-收益分配:32201-各项分配:3220102-成员分配",
        "Liabilities:211-应付款:21102-成员分红",
    ),
    "其他分配": ("Equity:322-收益分配:32201-各项分配:3220103-其他分配", BANK),
}
INCOME = ("Income:501-经营收入:50101-香菇销售", "Income:502-投资收益", "Income:503-补助收入")
SPENDING = ("Expenses:511-经营支出", "Expenses:513-管理费用", "Expenses:515-其他支出")


def random_amount(rng: random.Random, high: int = 50000) -> Decimal:
    return Decimal(rng.randint(1, high * 100)) / 100


def entry(date: str, narration: str, postings: list[tuple[str, Decimal]], tag: str = "") -> str:
    lines = [f'{date} * "{narration}"{" #" + tag if tag else ""}']
    lines += [f"  {account}  {amount:.2f} CNY" for account, amount in postings]
    return "\n".join(lines) + "\n"


def generated_year(seed: int) -> str:
    """A village's 2024 as text: what varies is listed in the module doc."""
    rng = random.Random(seed)
    opening = random_amount(rng)
    text = [entry("2024-01-01", "期初", [(BANK, opening), (UNDISTRIBUTED, -opening)], "opening")]
    results: dict[str, Decimal] = {}
    for day in range(rng.randint(1, 12)):
        date = f"2024-{day % 12 + 1:02d}-{rng.randint(1, 28):02d}"
        account = rng.choice(INCOME + SPENDING)
        amount = random_amount(rng, 20000) * (-1 if account.startswith("Income") else 1)
        results[account] = results.get(account, Decimal(0)) + amount
        text.append(entry(date, "收支", [(account, amount), (BANK, -amount)]))
    if rng.random() < 0.4:  # e.g. 公积公益金 making good a loss
        moved = random_amount(rng, 5000)
        postings = [("Equity:311-公积公益金", moved), (UNDISTRIBUTED, -moved)]
        text.append(entry("2024-06-30", "转入", postings))
    if rng.random() < 0.7:
        profit = -sum(results.values(), Decimal(0))
        closing = [(a, -v) for a, v in results.items()] + [("Equity:321-本年收益", -profit)]
        text.append(entry("2024-12-31", "结转", closing, "closing"))
        postings = [("Equity:321-本年收益", profit), (UNDISTRIBUTED, -profit)]
        text.append(entry("2024-12-31", "转入未分配收益", postings, "closing"))
        chosen = [k for k in SHARES if rng.random() < 0.6]
        if chosen:
            amounts = {k: random_amount(rng, 3000) for k in chosen}
            postings = [(SHARES[k][0], v) for k, v in amounts.items()]
            postings += [(SHARES[k][1], -v) for k, v in amounts.items()]
            text.append(entry("2024-12-31", "分配", postings, "distribution"))
            back = [(SHARES[k][0], -v) for k, v in amounts.items()]
            back.append((UNDISTRIBUTED, sum(amounts.values(), Decimal(0))))
            text.append(entry("2024-12-31", "各项分配转入未分配收益", back, "closing"))
    for who in ("11301-张三", "11302-李四", "11303-第一村民小组"):
        if rng.random() < 0.7:  # a 内部往来 detail account, owed either way
            amount = random_amount(rng, 8000) * rng.choice((1, -1))
            postings = [(f"Assets:113-内部往来:{who}", amount), (BANK, -amount)]
            text.append(entry("2024-09-01", "内部往来", postings))
    later = random_amount(rng)
    text.append(entry("2025-01-05", "下一年", [(BANK, later), (INCOME[0], -later)]))
    return "\n".join(text)


@pytest.mark.parametrize("seed", range(40))
def test_distributable_is_the_statements_row_and_the_statement_adds_up(seed: int) -> None:
    entries, errors, _ = load(generated_year(seed), plugin=False)
    assert errors == [], [e.message for e in errors]
    village = VillageBooks.of("测试村", entries)
    year = parse_period("2024")
    rows = {line.label: line.amounts[0] for line in statements.income_statement(village, year)}
    available = rows["五、可分配收益"]
    assert statements.distributable(entries, 2024) == available
    assert available == rows["四、净收益"] + rows["加: 年初未分配收益"] + rows["其他转入"]
    shared = rows["减: 提取公积公益金"] + rows["成员分配"] + rows["其他分配"]
    assert rows["六、年末未分配收益"] == available - shared
    sheet = {line.label: line.amounts for line in statements.balance_sheet(village, year)}
    assert sheet["未分配收益"][0] == rows["六、年末未分配收益"]  # 期末余额, then 年初余额
    assert sheet["资产总计"] == sheet["负债和所有者权益总计"]
    # 内部往来: each detail account on its side, never netted
    internal = [v for a, v in balances(entries, year.end).items() if ":113-" in a]
    receivable = sum((v for v in internal if v > 0), Decimal(0))
    payable = -sum((v for v in internal if v < 0), Decimal(0))
    assert sheet["应收款项"][0] == receivable
    assert sheet["应付款项"][0] - payable == -sum(
        (v for a, v in balances(entries, year.end).items() if ":211-" in a), Decimal(0)
    )


def test_the_disclosure_names_its_organisation_and_agency_from_the_options() -> None:
    """Set twice, the later setting counts (as for every option); a non-text is unset."""
    journal = '2024-01-01 * "期初" #opening\n  {bank}  1.00 CNY\n  {undistributed}  -1.00 CNY\n'
    journal = journal.format(bank=BANK, undistributed=UNDISTRIBUTED)
    settings = (
        '2024-01-01 custom "cunzhang-option" "organisation" "旧名"\n'
        '2024-01-02 custom "cunzhang-option" "organisation" "东山村股份经济合作社"\n'
        '2024-01-01 custom "cunzhang-option" "agency" TRUE\n'
    )
    for text, organisation, agency in (
        (journal, "测试村集体经济组织", "测试镇农村经营管理站"),
        (journal + settings, "东山村股份经济合作社", "测试镇农村经营管理站"),
    ):
        entries, errors, _ = load(text, plugin=False)
        assert errors == []
        read = options.read(entries)
        assert read.organisation == (None if text == journal else organisation)
        assert read.agency is None
        shown = disclosure.compute(
            VillageBooks.of("测试村", entries),
            parse_period("2024"),
            township="测试镇",
            posted=datetime.date(2025, 1, 5),
        )
        assert (shown.organisation, shown.agency) == (organisation, agency)


# --- a small ledger, computed by hand ---------------------------------------------------

CASH = "Assets:102-银行存款:10201-农商行"


def paid(date: str, narration: str, account: str, amount: str, tag: str = "") -> str:
    """``amount`` into ``account`` from the bank (a negative amount: into the bank)."""
    return entry(date, narration, [(account, Decimal(amount)), (CASH, -Decimal(amount))], tag)


#: 2023: opened with 资本 100 000, earned 12 000, spent 2 000, closed. 2024: every line of
#: the 收益及收益分配表, 公积公益金弥补亏损 3 000, two 内部往来 details (张三 owes 4 000,
#: the village owes 第一村民小组 2 500), 生产性生物资产 and 无形资产 with depreciation and
#: amortisation, 存货 in 121 and 401, then the year end and a distribution.
SMALL = "".join(
    [
        entry(
            "2023-01-01",
            "期初",
            [(CASH, Decimal(100000)), ("Equity:301-资本", Decimal(-100000))],
            "opening",
        ),
        paid("2023-05-01", "香菇", "Income:501-经营收入:50101-香菇销售", "-12000"),
        paid("2023-06-01", "办公", "Expenses:513-管理费用:51301-办公费", "2000"),
        entry(
            "2023-12-31",
            "结转",
            [
                ("Income:501-经营收入:50101-香菇销售", Decimal(12000)),
                ("Expenses:513-管理费用:51301-办公费", Decimal(-2000)),
                ("Equity:321-本年收益", Decimal(-10000)),
            ],
            "closing",
        ),
        entry(
            "2023-12-31",
            "转入",
            [("Equity:321-本年收益", Decimal(10000)), (UNDISTRIBUTED, Decimal(-10000))],
            "closing",
        ),
        paid("2024-02-01", "受赠", "Equity:311-公积公益金", "-10000"),
        paid("2024-03-01", "香菇", "Income:501-经营收入:50101-香菇销售", "-80000"),
        paid("2024-03-02", "香菇成本", "Expenses:511-经营支出:51101-香菇", "27000"),
        entry(
            "2024-03-03",
            "板栗林折旧",
            [
                ("Expenses:511-经营支出:51101-香菇", Decimal(3000)),
                ("Assets:133-生产性生物资产累计折旧", Decimal(-3000)),
            ],
        ),
        paid("2024-03-04", "印花税", "Expenses:512-税金及附加", "1000"),
        paid("2024-03-05", "办公", "Expenses:513-管理费用:51301-办公费", "4000"),
        entry(
            "2024-03-06",
            "摊销",
            [
                ("Expenses:513-管理费用:51301-办公费", Decimal(1000)),
                ("Assets:162-累计摊销", Decimal(-1000)),
            ],
        ),
        paid("2024-03-07", "分红", "Income:502-投资收益", "-6000"),
        paid("2024-03-08", "运转经费", "Income:503-补助收入", "-20000"),
        paid("2024-03-09", "利息", "Income:504-其他收入", "-500"),
        paid("2024-03-10", "路灯电费", "Expenses:514-公益支出", "8000"),
        paid("2024-03-11", "罚款", "Expenses:515-其他支出", "1500"),
        paid("2024-03-12", "所得税", "Expenses:521-所得税费用", "2000"),
        entry(
            "2024-06-30",
            "公积公益金弥补亏损",
            [("Equity:311-公积公益金", Decimal(3000)), (UNDISTRIBUTED, Decimal(-3000))],
        ),
        paid("2024-07-01", "借给张三", "Assets:113-内部往来:11301-张三", "4000"),
        paid("2024-07-02", "小组暂存", "Assets:113-内部往来:11302-第一村民小组", "-2500"),
        paid("2024-07-03", "押金", "Assets:112-应收款:11201-某公司", "1000"),
        paid("2024-07-04", "暂收", "Liabilities:211-应付款:21101-某供应商", "-3000"),
        paid("2024-07-05", "板栗林", "Assets:132-生产性生物资产:13201-板栗林", "30000"),
        paid("2024-07-06", "土地经营权", "Assets:161-无形资产", "10000"),
        paid("2024-07-07", "化肥", "Assets:121-库存物资", "1500"),
        paid("2024-07-08", "育苗", "Assets:401-生产劳务成本", "2000"),
        entry(
            "2024-12-31",
            "结转",
            [
                ("Income:501-经营收入:50101-香菇销售", Decimal(80000)),
                ("Income:502-投资收益", Decimal(6000)),
                ("Income:503-补助收入", Decimal(20000)),
                ("Income:504-其他收入", Decimal(500)),
                ("Expenses:511-经营支出:51101-香菇", Decimal(-30000)),
                ("Expenses:512-税金及附加", Decimal(-1000)),
                ("Expenses:513-管理费用:51301-办公费", Decimal(-5000)),
                ("Expenses:514-公益支出", Decimal(-8000)),
                ("Expenses:515-其他支出", Decimal(-1500)),
                ("Expenses:521-所得税费用", Decimal(-2000)),
                ("Equity:321-本年收益", Decimal(-59000)),
            ],
            "closing",
        ),
        entry(
            "2024-12-31",
            "转入",
            [("Equity:321-本年收益", Decimal(59000)), (UNDISTRIBUTED, Decimal(-59000))],
            "closing",
        ),
        entry(
            "2024-12-31",
            "分配",
            [
                (SHARES["提取公积公益金"][0], Decimal(5000)),
                (SHARES["成员分配"][0], Decimal(20000)),
                ("Equity:311-公积公益金", Decimal(-5000)),
                ("Liabilities:211-应付款:21102-成员分红", Decimal(-20000)),
            ],
            "distribution",
        ),
        entry(
            "2024-12-31",
            "各项分配转入",
            [
                (SHARES["提取公积公益金"][0], Decimal(-5000)),
                (SHARES["成员分配"][0], Decimal(-20000)),
                (UNDISTRIBUTED, Decimal(25000)),
            ],
            "closing",
        ),
    ]
)

#: 收益及收益分配表 2024 by 行次: label, 本年金额, 上年金额 (2023).
INCOME_2024 = [
    ("一、经营收入", 80000, 12000),
    ("减: 经营支出", 30000, 0),  # 27 000 paid + 3 000 depreciation of the 板栗林
    ("税金及附加", 1000, 0),
    ("管理费用", 5000, 2000),  # 4 000 paid + 1 000 amortisation
    ("加: 投资收益", 6000, 0),
    ("二、经营收益", 50000, 10000),  # 80 000 − 30 000 − 1 000 − 5 000 + 6 000
    ("加: 补助收入", 20000, 0),
    ("其他收入", 500, 0),
    ("减: 公益支出", 8000, 0),
    ("其他支出", 1500, 0),
    ("三、收益总额", 61000, 10000),  # 50 000 + 20 000 + 500 − 8 000 − 1 500
    ("减: 所得税费用", 2000, 0),
    ("四、净收益", 59000, 10000),
    ("加: 年初未分配收益", 10000, 0),
    ("其他转入", 3000, 0),  # 公积公益金弥补亏损
    ("五、可分配收益", 72000, 10000),
    ("减: 提取公积公益金", 5000, 0),
    ("成员分配", 20000, 0),
    ("其他分配", 0, 0),
    ("六、年末未分配收益", 47000, 10000),
]
#: 资产负债表 at 2024-12-31 by 行次: label, 期末余额, 年初余额 (headings have no 行次).
#: Bank: 110 000 at the start of 2024, +80 000 −27 000 −1 000 −4 000 +6 000 +20 000 +500
#: −8 000 −1 500 −2 000 +10 000 −4 000 +2 500 −1 000 +3 000 −30 000 −10 000 −1 500 −2 000.
BALANCE_2024 = [
    ("货币资金", 140000, 110000),
    ("短期投资", 0, 0),
    ("应收款项", 5000, 0),  # 112 1 000 + 张三 4 000 (debit)
    ("存货", 3500, 0),  # 121 1 500 + 401 2 000
    ("消耗性生物资产", 0, 0),
    ("流动资产合计", 148500, 110000),
    ("长期投资", 0, 0),
    ("生产性生物资产原值", 30000, 0),
    ("减: 生产性生物资产累计折旧", 3000, 0),
    ("生产性生物资产净值", 27000, 0),
    ("固定资产原值", 0, 0),
    ("减: 累计折旧", 0, 0),
    ("固定资产净值", 0, 0),
    ("在建工程", 0, 0),
    ("固定资产清理", 0, 0),
    ("固定资产小计", 0, 0),
    ("无形资产原值", 10000, 0),
    ("减: 累计摊销", 1000, 0),
    ("无形资产净值", 9000, 0),
    ("公益性生物资产", 0, 0),
    ("长期待摊费用", 0, 0),
    ("待处理财产损溢", 0, 0),
    ("非流动资产合计", 36000, 0),
    ("资产总计", 184500, 110000),
    ("短期借款", 0, 0),
    ("应付款项", 25500, 0),  # 211: 3 000 + 成员分红 20 000; 第一村民小组 2 500 (credit)
    ("应付工资", 0, 0),
    ("应付劳务费", 0, 0),
    ("应交税费", 0, 0),
    ("流动负债合计", 25500, 0),
    ("长期借款及应付款", 0, 0),
    ("一事一议资金", 0, 0),
    ("专项应付款", 0, 0),
    ("非流动负债合计", 0, 0),
    ("负债合计", 25500, 0),
    ("资本", 100000, 100000),
    ("公积公益金", 12000, 0),  # 10 000 − 3 000 + 5 000
    ("未分配收益", 47000, 10000),
    ("所有者权益合计", 159000, 110000),
    ("负债和所有者权益总计", 184500, 110000),
]


def test_the_statements_of_a_small_ledger_are_the_hand_computed_ones() -> None:
    entries, errors, _ = load(SMALL)  # with the checks: 311 → 322 is 其他转入, no error
    assert errors == [], [e.message for e in errors]
    village = VillageBooks.of("测试村", entries)
    year = parse_period("2024")
    income = statements.income_statement(village, year)
    assert [(line.row, line.label, *line.amounts) for line in income] == [
        (row, label, Decimal(this), Decimal(last))
        for row, (label, this, last) in enumerate(INCOME_2024, 1)
    ]
    sheet = [line for line in statements.balance_sheet(village, year) if line.row]
    assert [(line.row, line.label, *line.amounts) for line in sheet] == [
        (row, label, Decimal(end), Decimal(start))
        for row, (label, end, start) in enumerate(BALANCE_2024, 1)
    ]
    assert {line.part for line in sheet if line.row <= 24} == {0}
    assert {line.part for line in sheet if line.row > 24} == {1}
    assert statements.distributable(entries, 2024) == Decimal(72000)


def test_the_disclosure_prints_the_statements_in_the_standards_layout() -> None:
    entries, _, _ = load(SMALL)
    d = disclosure.compute(
        VillageBooks.of("测试村", entries), parse_period("2024"), township="测试镇"
    )
    html = render_html(d)
    for text in (
        "会农经02表",
        "会农经01表",
        "编制单位: 测试村集体经济组织",
        "2024年度",
        "2024年12月31日",
        '<th class="num">行次</th><th class="num">本年金额</th><th class="num">上年金额</th>',
        "<th>负债和所有者权益</th>",
        '<th class="num">期末余额</th><th class="num">年初余额</th>',
        "减: 生产性生物资产累计折旧",
        "无形资产原值",
    ):
        assert text in html, text
    sections = {title.split(" ")[0]: (headers, rows) for title, headers, rows in xlsx_sections(d)}
    headers, rows = sections["八、资产负债表"]
    assert headers == [
        "资产",
        "行次",
        "期末余额",
        "年初余额",
        "负债和所有者权益",
        "行次",
        "期末余额",
        "年初余额",
    ]
    left = {cells[0]: cells[1:4] for _, cells in rows}
    right = {cells[4]: cells[5:8] for _, cells in rows}
    assert left["应收款项"] == [3, Decimal(5000), Decimal(0)]
    assert right["应付款项"] == [26, Decimal(25500), Decimal(0)]
    assert left["流动资产:"] == ["", "", ""] and right["所有者权益:"] == ["", "", ""]
    # one asset, one name: 401 生产劳务成本 is 存货 in 各项资产 as on the 资产负债表
    assets = {line.label: line.amount for line in d.assets}
    assert assets["存货"] == Decimal(3500) and "其他资产" not in assets
    assert d.assets_total == Decimal(184500)  # 第一村民小组's credit is a payable


# --- 其他转入 comes from the entries that are 其他转入 -------------------------------------

ADJUSTMENT = """
2024-01-01 * "期初" #opening
  Assets:102-银行存款:10201-农商行        1000.00 CNY
  Equity:322-收益分配:32202-未分配收益   -1000.00 CNY
2024-06-30 * "调整以前年度收益"{tag}
  Assets:102-银行存款:10201-农商行         {amount} CNY
  Equity:322-收益分配:32202-未分配收益    -{amount} CNY
"""


@pytest.mark.parametrize("amount", ["500.00", "0.01", "123456.78"])
def test_a_change_of_undistributed_earnings_that_is_no_transfer_is_an_error(amount: str) -> None:
    entries, errors, _ = load(ADJUSTMENT.format(tag="", amount=amount))
    found = [e for e in errors if "未分配收益变动" in e.message]
    assert len(found) == 1 and found[0].entry.narration == "调整以前年度收益"
    assert f"{Decimal(amount):,.2f}" in found[0].message
    # tagged as 其他转入 it is one, and the statement shows it
    entries, errors, _ = load(ADJUSTMENT.format(tag=" #other-transfer", amount=amount))
    assert errors == []
    rows = {
        line.label: line.amounts[0]
        for line in statements.income_statement(
            VillageBooks.of("测试村", entries), parse_period("2024")
        )
    }
    assert rows["其他转入"] == Decimal(amount)
    assert rows["六、年末未分配收益"] == Decimal(1000) + Decimal(amount)


def test_a_year_end_transfer_without_its_tag_is_an_error() -> None:
    """The closing of income and expense into 本年收益, untagged, would zero 净收益 and
    credit 本年收益 outside the statement's lines; moving 本年收益 on into 322 untagged
    changes nothing the statement shows (both are 未分配收益), so it is no error."""
    assert not [e for e in load(SMALL.replace('"转入" #closing', '"转入"'))[1]]
    text = SMALL.replace('"结转" #closing', '"结转"')
    _, errors, _ = load(text)
    found = [e for e in errors if "未分配收益变动" in e.message]
    assert sorted(e.entry.date.year for e in found) == [2023, 2024]
