"""Opening the books from a trial balance (2023 and 2004 charts), bank reconciliation,
year-end closing and the members' distribution — against hand-computed figures."""

from __future__ import annotations

import csv
import datetime
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from projects import chart_move, disclosure
from projects.balances import balances as balances_at
from projects.chart import chart
from projects.layout import MAIN
from projects.ledger import read
from projects.opening import open_books
from projects.periods import parse_period
from projects.reports import VillageBooks
from projects.year_end import close_books
from scripts.village import new_village
from tests.conftest import run_cli
from tests.importkit import BANK, snapshot, workbook
from tests.importkit import village as bank_village
from tests.ledgertext import opens

BEAN_CHECK = Path(sys.executable).with_name("bean-check")
TARGET = "青石镇/新村"
HEADER = ["科目编码", "科目名称", "期末借方", "期末贷方"]

#: A 2023-chart trial balance: debits 137,620.50 = credits 137,620.50.
TRIAL_2023 = [
    ["101", "库存现金", 1200, None],
    ["102", "银行存款", 86420.50, None],
    ["10201", "青石农商行", 86420.50, None],
    ["151", "固定资产", 50000, None],
    ["152", "累计折旧", None, 12000],
    ["211", "应付款", None, 8000],
    ["21101", "张三", None, 8000],
    ["301", "资本", None, 100000],
    ["322", "收益分配", None, 17620.50],
    ["32202", "未分配收益", None, 17620.50],
]


def trial_balance(path: Path, rows: list[list], header: list | None = None) -> Path:
    """A one-sheet 科目余额表 under a title, with a 合计 row."""
    body = [["新村科目余额表 2023年12月31日"], header or HEADER, *rows, ["合计", None, None, None]]
    return workbook(path, {"余额表": body})


def bean_check(folder: Path) -> None:
    """Beancount's own checker (with the project's plugin) finds nothing."""
    done = subprocess.run(
        [str(BEAN_CHECK), str(folder / MAIN)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def balances(folder: Path, until: str = "2024-01-01") -> dict[str, Decimal]:
    entries, errors, _ = read(folder / MAIN)
    assert errors == []
    sums = balances_at(entries, datetime.date.fromisoformat(until))
    return {account: amount for account, amount in sums.items() if amount}


@pytest.fixture
def folder(ledgers: Path) -> Path:
    return new_village(ledgers, TARGET, datetime.date(2024, 1, 1))


def refused_unchanged(ledgers: Path, folder: Path, *args: str) -> list[str]:
    """Run a command that must refuse: exit 1, the ledger byte for byte as before."""
    before = snapshot(folder)
    result = run_cli(*args, ledgers=ledgers)
    assert result.exit_code == 1, result.stdout
    assert snapshot(folder) == before
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


# -- opening in the 2023 chart ----------------------------------------------------------------


def test_open_books_from_a_2023_trial_balance(ledgers: Path, folder: Path, tmp_path: Path):
    path = trial_balance(tmp_path / "余额表.xlsx", TRIAL_2023)
    result = run_cli("open-books", TARGET, str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    assert "借方合计 debits 137,620.50 · 贷方合计 credits 137,620.50" in result.stdout
    bean_check(folder)
    assert balances(folder) == {
        "Assets:101-库存现金": Decimal("1200.00"),
        BANK: Decimal("86420.50"),
        "Assets:151-固定资产": Decimal("50000.00"),
        "Assets:152-累计折旧": Decimal("-12000.00"),
        "Liabilities:211-应付款:21101-张三": Decimal("-8000.00"),
        "Equity:301-资本": Decimal("-100000.00"),
        "Equity:322-收益分配:32202-未分配收益": Decimal("-17620.50"),
    }  # the 期初余额 account nets to zero (and a balance assertion says so)
    journal = (folder / "journal" / "2024.beancount").read_text("utf-8")
    assert "2024-01-02 balance Equity:322-收益分配:32299-期初余额" in journal
    assert journal.count("#opening") == 7  # one entry per first-level account
    # the 资产负债表's 年初数 (hand-computed): assets 125,620.50 = 8,000 + 117,620.50
    books = VillageBooks.of("新村", read(folder / MAIN)[0])
    sheet = disclosure.compute(books, parse_period("2024")).balance_sheet
    first = {line.label: line.amounts[1] for line in sheet if line.row}  # 年初余额
    assert first["资产总计"] == Decimal("125620.50")
    assert first["负债合计"] == Decimal("8000.00")
    assert first["所有者权益合计"] == Decimal("117620.50")
    archived = list((folder / "documents").rglob("*.余额表.xlsx"))
    assert len(archived) == 1 and "32299-期初余额" in str(archived[0])

    again = run_cli("open-books", TARGET, str(path), ledgers=ledgers)
    assert again.exit_code == 0 and "已用此表开账" in again.stdout


def test_open_books_with_balance_and_direction_columns(folder: Path, tmp_path: Path):
    header = ["科目代码", "科目名称", "期末余额", "方向"]
    good = [
        ["102", "银行存款", 5000, "借"],
        ["301", "资本", 5000, "贷"],
        ["152", "累计折旧", 0, "平"],
    ]
    open_books(folder, trial_balance(tmp_path / "a.xlsx", good, header))
    assert balances(folder) == {
        "Assets:102-银行存款": Decimal("5000.00"),
        "Equity:301-资本": Decimal("-5000.00"),
    }
    bean_check(folder)


def test_open_books_reads_the_software_layout(folder: Path, tmp_path: Path):
    """期初余额, 本期发生额, 期末余额 merged over 借方/贷方; 累计折旧 is an account, no total."""
    groups = ["科目编码", "科目名称", "期初余额", None, "本期发生额", None, "期末余额", None]
    sides = [None, None, "借方", "贷方", "借方", "贷方", "借方", "贷方"]
    rows = [
        ["151", "固定资产", 1, None, 9, 9, 80000, None],
        ["152", "累计折旧", None, 1, 9, 9, None, 30000],
        ["161", "无形资产", None, None, None, None, 12000, None],
        ["162", "累计摊销", None, None, None, None, None, 2000],
        ["311", "公积公益金", None, None, None, None, None, 60000],
        ["合计", None, 1, 1, 36, 36, 92000, 92000],
    ]
    merged = ["A2:A3", "B2:B3", "C2:D2", "E2:F2", "G2:H2"]
    path = tmp_path / "导出.xlsx"
    workbook(path, {"科目余额表": [["科目余额表"], groups, sides, *rows]}, {"科目余额表": merged})
    open_books(folder, path)
    assert balances(folder) == {
        "Assets:151-固定资产": Decimal("80000.00"),
        "Assets:152-累计折旧": Decimal("-30000.00"),
        "Assets:161-无形资产": Decimal("12000.00"),
        "Assets:162-累计摊销": Decimal("-2000.00"),
        "Equity:311-公积公益金": Decimal("-60000.00"),
    }


def test_ambiguous_2004_accounts_come_from_the_chart_data():
    ambiguous = {code for code in chart("2004") if chart_move.is_ambiguous(code)}
    assert ambiguous == {"131", "132", "171", "212", "511", "521", "551"}
    assert chart_move.choices("132") == ("131", "132", "134")
    assert chart_move.choices("511") == ("501", "502")  # 发包 → 经营收入, 上交利润 → 投资收益
    assert chart_move.choices("551") == ("514", "515")  # 公益支出 or 其他支出, by substance
    assert chart_move.choices("212") == ("311", "211")  # 应付福利费: appropriated from 收益


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["101", "库存现金", 100, None], ["301", "资本", None, 90]],
            "余额表.xlsx:余额表:2: 借方合计 100.00 与贷方合计 90.00 不等, 相差 10.00",
        ),
        (
            [["101", "库存现金", 100, None], ["999", "不知道", None, 100]],
            "余额表.xlsx:余额表:4: 科目编码 999 不在 2023 年科目表中",
        ),
        (
            [
                ["102", "银行存款", 100, None],
                ["10201", "青石农商行", 90, None],
                ["301", "资本", None, 100],
            ],
            "余额表.xlsx:余额表:3: 科目 102 银行存款 余额 100.00 与其明细科目合计 90.00 不等",
        ),
        (
            [["101", "现金", 100, None], ["301", "资本", None, 100]],
            "余额表.xlsx:余额表:3: 科目编码 101 在账上是 库存现金, 表中写的是 现金",
        ),
        (
            [["101", "库存现金", 100, None], ["501", "经营收入", None, 100]],
            "余额表.xlsx:余额表:4: 损益类科目 501 经营收入 仍有余额 -100.00",
        ),
    ],
)
def test_open_books_refusals(ledgers, folder, tmp_path, rows, message):
    path = trial_balance(tmp_path / "余额表.xlsx", rows)
    lines = refused_unchanged(ledgers, folder, "open-books", TARGET, str(path))
    assert any(line.startswith(message) for line in lines), lines


def test_open_books_refuses_books_that_are_not_empty(ledgers, tmp_path):
    folder = bank_village(ledgers, TARGET)  # has an opening entry on 2024-01-01
    path = trial_balance(tmp_path / "余额表.xlsx", TRIAL_2023)
    lines = refused_unchanged(ledgers, folder, "open-books", TARGET, str(path))
    assert "2024-01-01 及以前已有 1 笔交易" in lines[0]
    # a later opening date is refused just the same: the books already hold that entry
    later = refused_unchanged(
        ledgers, folder, "open-books", TARGET, str(path), "--date", "2024-07-01"
    )
    assert "2024-07-01 及以前已有 1 笔交易" in later[0]


# -- the 2004 → 2023 move ---------------------------------------------------------------------

#: A 2004-chart trial balance: debits 171,000 = credits 171,000. Ambiguous lines (from
#: chart-2004.csv): 13101 牲畜(禽)资产-肉牛 (131/132) and 212 应付福利费 (311/211). The
#: zero 511 line (a year-end trial balance lists income accounts at zero) carries nothing
#: and is not asked.
TRIAL_2004 = [
    ["101", "现金", 1000, None],
    ["102", "银行存款", 100000, None],
    ["10201", "青石农商行", 100000, None],
    ["131", "牲畜(禽)资产", 30000, None],
    ["13101", "肉牛", 30000, None],
    ["154", "在建工程", 40000, None],
    ["202", "应付款", None, 6000],
    ["20201", "张三", None, 6000],
    ["212", "应付福利费", None, 2000],
    ["301", "资本", None, 150000],
    ["322", "收益分配", None, 13000],
    ["511", "发包及上交收入", None, None],
]


def test_2004_trial_balance_refused_until_the_mapping_file_answers(ledgers, folder, tmp_path):
    path = trial_balance(tmp_path / "旧余额表.xlsx", TRIAL_2004)
    args = ("open-books", TARGET, str(path), "--chart", "2004")
    lines = refused_unchanged(ledgers, folder, *args)
    mapping = tmp_path / "旧余额表.科目对照.csv"
    assert lines[0].startswith(
        "旧余额表.xlsx:余额表:7: 2004年科目 13101 牲畜(禽)资产-肉牛 (30,000.00)"
    )
    assert "131 消耗性生物资产 / 132 生产性生物资产" in lines[0]
    assert lines[1].startswith("旧余额表.xlsx:余额表:11: 2004年科目 212 应付福利费 (-2,000.00)")
    assert "311 公积公益金 / 211 应付款" in lines[1]
    assert len(lines) == 3  # the two lines and the summary: the zero 511 line is not asked
    with mapping.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["原科目编码"], r["方向"], r["金额"], r["新科目编码"]) for r in rows] == [
        ("13101", "借", "30000.00", ""),
        ("212", "贷", "2000.00", ""),
    ]

    # answered wrongly: a code outside the choices, and a split that does not add up
    answer(mapping, [("13101", "借", "20000", "131", ""), ("13101", "借", "5000", "134", "")])
    answer(mapping, [("212", "贷", "2000", "212", "")], append=True)  # not 应付工资
    wrong = refused_unchanged(ledgers, folder, *args)
    assert any(x.startswith("旧余额表.科目对照.csv::3: 新科目编码 134 应为 131") for x in wrong)
    assert any("各行金额合计 25,000.00 与余额表 30,000.00 不等" in x for x in wrong), wrong
    assert any(x.startswith("旧余额表.科目对照.csv::4: 新科目编码 212 应为 311") for x in wrong)

    # answered: 肉牛 split 20,000 消耗性 (fattening) + 10,000 生产性 (breeding, renamed 种牛)
    answer(mapping, [("13101", "借", "20000", "131", ""), ("13101", "借", "10000", "132", "种牛")])
    answer(mapping, [("212", "贷", "2000", "311", "")], append=True)  # unspent welfare fund
    result = run_cli(*args, ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    bean_check(folder)
    assert balances(folder) == {
        "Assets:101-库存现金": Decimal("1000.00"),
        BANK: Decimal("100000.00"),
        "Assets:131-消耗性生物资产:13101-肉牛": Decimal("20000.00"),
        "Assets:132-生产性生物资产:13201-种牛": Decimal("10000.00"),
        "Assets:153-在建工程": Decimal("40000.00"),  # 2004's 154 is 2023's 153
        "Liabilities:211-应付款:21101-张三": Decimal("-6000.00"),  # 202 → 211
        "Equity:301-资本": Decimal("-150000.00"),
        "Equity:311-公积公益金": Decimal("-2000.00"),
        "Equity:322-收益分配": Decimal("-13000.00"),
    }
    out = result.stdout
    assert "借方合计 debits 171,000.00 · 贷方合计 credits 171,000.00" in out  # to the fen
    assert any(
        "154 在建工程" in line and "Assets:153-在建工程" in line and "40,000.00" in line
        for line in out.splitlines()
    )
    journal = (folder / "journal" / "2024.beancount").read_text("utf-8")
    assert 'chart_2004: "13101 牲畜(禽)资产-肉牛"' in journal


def answer(mapping: Path, rows: list[tuple], append: bool = False) -> None:
    """Fill the mapping file as the accountant would (copying a line to split it)."""
    header = ["原科目编码", "原科目名称", "方向", "金额", "可选新科目", "新科目编码", "新明细科目"]
    mode = "a" if append else "w"
    with mapping.open(mode, encoding="utf-8-sig" if not append else "utf-8", newline="") as f:
        writer = csv.writer(f)
        if not append:
            writer.writerow(header)
        for code, side, amount, new, sub in rows:
            writer.writerow([code, "", side, amount, "", new, sub])


# -- bank reconciliation ----------------------------------------------------------------------

MARCH = f"""
2024-03-05 * "收到香菇销售款"
  {BANK}   500.00 CNY
  Income:501-经营收入:50101-香菇销售
2024-03-10 * "购办公用品"
  {BANK}  -200.00 CNY
  Expenses:513-管理费用:51301-办公费
2024-03-28 * "付维修费 (支票未兑付)"
  {BANK}  -300.00 CNY
  Expenses:511-经营支出:51101-维修费
"""


def add_journal(folder: Path, text: str) -> None:
    """Append transactions, opening the sub-accounts they use (the bank is open already)."""
    new = text.replace(BANK, "Assets:102-银行存款")
    with (folder / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
        handle.write(opens(new, "2024-01-01", first_level=False) + text)


def statement(path: Path, rows: list[list]) -> Path:
    head = [["青石农商行 账户交易明细 (对账单)"], ["账号:6230****0001"]]
    columns = ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额"]
    return workbook(path, {"3月": [*head, columns, *rows]})


@pytest.fixture
def march(ledgers: Path) -> Path:
    folder = bank_village(ledgers, TARGET)  # bank 1,000.00 on 1 January
    add_journal(folder, MARCH)
    return folder


def test_reconcile_lists_each_kind_of_unmatched_item(ledgers, march, tmp_path):
    path = statement(
        tmp_path / "对账单.xlsx",
        [
            ["2024-03-05", "货款", "青石商贸", None, 500, 1500],
            ["2024-03-12", "办公用品", "县文具店", 200, None, 1300],
            ["2024-03-31", "手续费", "", 15, None, 1285],
        ],
    )
    before = snapshot(march)
    result = run_cli("reconcile", TARGET, str(path), "--month", "2024-03", ledgers=ledgers)
    assert result.exit_code == 1
    assert snapshot(march) == before
    out = result.stdout
    # books 1,000 + 500 − 200 − 300 = 1,000.00; statement 1,285.00
    difference = next(line for line in out.splitlines() if "差额 difference" in line)
    assert difference.split()[-1] == "-285.00"
    books_only = out.split("账上有、对账单上没有")[1].split("对账单上有、账上没有")[0]
    assert "2024-03-28        -300.00 付维修费" in books_only
    bank_only = out.split("对账单上有、账上没有")[1].split("金额相同、日期不同")[0]
    assert "2024-03-31         -15.00 手续费" in bank_only and "[对账单.xlsx:3月:6]" in bank_only
    assert "账 2024-03-10 / 单 2024-03-12        -200.00 购办公用品" in out
    assert "500.00" not in books_only + bank_only  # the matched receipt is in neither list


def test_reconciled_month_is_asserted_once(ledgers, march, tmp_path):
    path = statement(
        tmp_path / "对账单.xlsx",
        [
            ["2024-03-05", "货款", "青石商贸", None, 500, 1500],
            ["2024-03-10", "办公用品", "县文具店", 200, None, 1300],
            ["2024-03-28", "维修费", "", 300, None, 1000],
            ["2024-04-02", "货款", "青石商贸", None, 800, 1800],  # after the month: ignored
        ],
    )
    args = ("reconcile", TARGET, str(path), "--month", "2024-03")
    result = run_cli(*args, ledgers=ledgers)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "✓ 已对平" in result.stdout
    bean_check(march)
    journal = (march / "journal" / "2024.beancount").read_text("utf-8")
    assert f"2024-04-01 balance {BANK}  1000.00 CNY" in journal
    assert 'reconciled: "2024-03"' in journal
    before = snapshot(march)
    again = run_cli(*args, ledgers=ledgers)
    assert again.exit_code == 0 and "已对账" in again.stdout
    assert snapshot(march) == before
    # a typed balance that disagrees is not reconciled; nothing is written
    typed = run_cli(
        "reconcile", TARGET, "--month", "2024-03", "--balance", "1,010.00", ledgers=ledgers
    )
    assert typed.exit_code == 1 and "-10.00" in typed.stdout
    assert snapshot(march) == before


def test_a_statement_of_another_account_is_not_reconciled(ledgers, march, tmp_path):
    path = tmp_path / "别的账户.xlsx"
    rows = [["2024-03-05", "货款", "青石商贸", None, 500, 1500]]
    columns = ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额"]
    workbook(path, {"3月": [["对账单"], ["账号:9999 0000 1111"], columns, *rows]})
    lines = refused_unchanged(ledgers, march, "reconcile", TARGET, str(path), "--month", "2024-03")
    assert "对账单账号 9999 0000 1111 对应 0 个账户" in lines[0]
    named = run_cli(
        "reconcile", TARGET, str(path), "--month", "2024-03", "--account", "银行存款-青石农商行",
        ledgers=ledgers,
    )  # fmt: skip
    assert named.exit_code == 1 and f"{BANK} 2024-03" in named.stdout  # compared, not equal


# -- closing and distribution -----------------------------------------------------------------

OPENING_2024 = [
    ["102", "银行存款", 20000, None],
    ["10201", "青石农商行", 20000, None],
    ["301", "资本", None, 14000],
    ["322", "收益分配", None, 6000],
    ["32202", "未分配收益", None, 6000],
]

YEAR_2024 = f"""
2024-05-10 * "香菇销售"
  {BANK}   80000.00 CNY
  Income:501-经营收入:50101-香菇销售
2024-05-20 * "菌棒"
  {BANK}  -30000.00 CNY
  Expenses:511-经营支出:51101-菌棒
2024-06-01 * "办公费"
  {BANK}   -5000.00 CNY
  Expenses:513-管理费用:51301-办公费
2024-07-01 * "镇政府运转补助"
  {BANK}   10000.00 CNY
  Income:503-补助收入:50301-运转补助
2024-08-01 * "慰问困难户"
  {BANK}   -1000.00 CNY
  Expenses:515-其他支出:51501-慰问
"""

PLAN_HEADER = ["分配项目", "成员/户主", "股数", "金额", "科目"]

#: The 成员名册 the plans' 成员分配 lines name.
MEMBERS = """
2024-01-01 custom "member" "M001" "张三"
  group: "第一村民小组"
  shares: 3
2024-01-01 custom "member" "M002" "李四"
  group: "第一村民小组"
  shares: 2
2024-01-01 custom "member" "M003" "王五"
  group: "第二村民小组"
  shares: 5
"""


def register_members(folder: Path, text: str = MEMBERS) -> None:
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(text)


def plan(path: Path, rows: list[list]) -> Path:
    title = [["新村2024年度收益分配方案"], ["成员代表大会决议:2024年12月26日"]]
    return workbook(path, {"方案": [*title, PLAN_HEADER, *rows, ["合计", None, None, None]]})


@pytest.fixture
def year(ledgers: Path, folder: Path, tmp_path: Path) -> Path:
    open_books(folder, trial_balance(tmp_path / "期初.xlsx", OPENING_2024))
    add_journal(folder, YEAR_2024)
    register_members(folder)
    return folder


def test_close_and_distribute_give_the_hand_computed_statement(ledgers, year, tmp_path):
    path = plan(
        tmp_path / "分配方案.xlsx",
        [
            ["提取公积公益金", None, None, 10800],
            ["每股金额", None, None, 100],
            ["成员分配", "张三", 3, None],
            ["成员分配", "李四", 2, None],
            ["成员分配", "王五", 5, 500],
            ["其他", "村干部奖励", None, 1000, "应付款-应付奖励"],
        ],
    )
    early = refused_unchanged(ledgers, year, "distribute", TARGET, "2024", str(path))
    assert "2024年尚未结账" in early[0]

    closed = run_cli("close-year", TARGET, "2024", ledgers=ledgers)
    assert closed.exit_code == 0, closed.stderr
    bean_check(year)
    after = balances(year, "2024-12-31")
    assert not [a for a in after if a.startswith(("Income", "Expenses"))]
    # net 80,000 − 30,000 − 5,000 + 10,000 − 1,000 = 54,000, on top of 6,000 brought forward
    assert after["Equity:322-收益分配:32202-未分配收益"] == Decimal("-60000.00")
    before = snapshot(year)
    again = run_cli("close-year", TARGET, "2024", ledgers=ledgers)
    assert again.exit_code == 0 and "已结账" in again.stdout
    assert snapshot(year) == before

    result = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    bean_check(year)
    books = VillageBooks.of("新村", read(year / MAIN)[0])
    annual = disclosure.compute(books, parse_period("2024"))
    # the disclosure's item lists leave the closing entries out: the year's own figures
    assert (annual.income_total, annual.expense_total) == (Decimal("90000.00"), Decimal("36000.00"))
    lines = annual.income_statement
    table = {line.label: line.amounts[0] for line in lines}
    assert table == {
        "一、经营收入": Decimal("80000.00"),
        "减: 经营支出": Decimal("30000.00"),
        "税金及附加": Decimal("0.00"),
        "管理费用": Decimal("5000.00"),
        "二、经营收益": Decimal("45000.00"),
        "加: 投资收益": Decimal("0.00"),
        "加: 补助收入": Decimal("10000.00"),
        "其他收入": Decimal("0.00"),
        "减: 公益支出": Decimal("0.00"),
        "其他支出": Decimal("1000.00"),
        "三、收益总额": Decimal("54000.00"),
        "减: 所得税费用": Decimal("0.00"),
        "四、净收益": Decimal("54000.00"),
        "加: 年初未分配收益": Decimal("6000.00"),
        "其他转入": Decimal("0.00"),
        "五、可分配收益": Decimal("60000.00"),
        "减: 提取公积公益金": Decimal("10800.00"),
        "成员分配": Decimal("1000.00"),  # 3 × 100 + 2 × 100 + 500
        "其他分配": Decimal("1000.00"),
        "六、年末未分配收益": Decimal("47200.00"),
    }
    assert "六、年末未分配收益" in result.stdout and "47,200.00" in result.stdout
    after = balances(year, "2024-12-31")
    assert after["Equity:311-公积公益金"] == Decimal("-10800.00")
    assert after["Liabilities:211-应付款:21101-应付成员分配"] == Decimal("-1000.00")
    assert after["Liabilities:211-应付款:21102-应付奖励"] == Decimal("-1000.00")
    journal = (year / "journal" / "2024.beancount").read_text("utf-8")
    assert 'member: "M001"' in journal and 'approved: "2024年12月26日"' in journal

    # reports still show the year's income after closing
    report = run_cli(
        "report", "income", TARGET, "--year", "2024", "--format", "json", ledgers=ledgers
    )
    assert json.loads(report.stdout)[0]["operating"] == "80000.00"

    before = snapshot(year)
    again = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert again.exit_code == 0 and "已按此方案分配" in again.stdout
    assert snapshot(year) == before
    other = plan(tmp_path / "另一方案.xlsx", [["提取公积公益金", None, None, 100]])
    second = refused_unchanged(ledgers, year, "distribute", TARGET, "2024", str(other))
    assert "2024年已有收益分配" in second[0]


def test_a_plan_distributing_more_than_available_is_refused(ledgers, year, tmp_path):
    close_books(year, 2024)
    path = plan(
        tmp_path / "方案.xlsx",
        [["提取公积公益金", None, None, 50000], ["成员分配", "张三", None, 10000.01]],
    )
    lines = refused_unchanged(ledgers, year, "distribute", TARGET, "2024", str(path))
    assert lines[0] == (
        "方案.xlsx:方案:5: 分配合计 60,000.01 超过可分配收益 60,000.00 "
        "(the plan distributes more than is available)"
    )


def test_close_year_refuses_an_unclosed_earlier_year(ledgers, year):
    lines = refused_unchanged(ledgers, year, "close-year", TARGET, "2025")
    assert "2024年的损益尚未结转" in lines[0]


def test_a_village_numbering_undistributed_earnings_32201(ledgers, tmp_path):
    """A village that numbers 未分配收益 32201: 各项分配 takes the next code, and the statement
    still names each share."""
    folder = bank_village(ledgers, TARGET)  # bank 1,000.00 against 未分配收益, renumbered:
    for ledger in folder.rglob("*.beancount"):
        text = ledger.read_text("utf-8").replace("32202", "32201")
        ledger.write_text(text, "utf-8")
    add_journal(folder, f'2024-05-10 * "香菇销售"\n  {BANK}  500.00 CNY\n  Income:501-经营收入\n')
    register_members(folder)
    close_books(folder, 2024)
    path = plan(
        tmp_path / "方案.xlsx",
        [["提取公积公益金", None, None, 100], ["成员分配", "张三", None, 200]],
    )
    result = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    bean_check(folder)
    after = balances(folder, "2024-12-31")
    assert after["Equity:322-收益分配:32201-未分配收益"] == Decimal("-1200.00")
    accounts = (folder / "accounts.beancount").read_text("utf-8")
    assert "Equity:322-收益分配:32202-各项分配:3220201-提取公积公益金" in accounts
    books = VillageBooks.of("新村", read(folder / MAIN)[0])
    lines = disclosure.compute(books, parse_period("2024")).income_statement
    table = {line.label: line.amounts[0] for line in lines}
    assert (table["减: 提取公积公益金"], table["成员分配"]) == (
        Decimal("100.00"),
        Decimal("200.00"),
    )
    assert table["六、年末未分配收益"] == Decimal("1200.00")


def test_a_plan_with_bad_lines_is_refused_with_each_row(ledgers, year, tmp_path):
    close_books(year, 2024)
    path = plan(
        tmp_path / "方案.xlsx",
        [
            ["每股金额", None, None, 100],
            ["奖金", "张三", None, 100],
            ["成员分配", None, 1, None],
            ["成员分配", "李四", 2, 150],
            ["其他", "修路", None, 300],
            ["其他", "修桥", None, 300, "不存在-修桥"],
        ],
    )
    lines = refused_unchanged(ledgers, year, "distribute", TARGET, "2024", str(path))
    assert lines[:-1] == [
        "方案.xlsx:方案:5: 分配项目 “奖金” 应为 提取公积公益金、每股金额、成员分配 或 其他",
        "方案.xlsx:方案:6: 成员分配须写成员或户主姓名",
        "方案.xlsx:方案:7: 金额 150.00 与 股数 2.00 × 每股 100.00 = 200.00 不符",
        "方案.xlsx:方案:8: 其他分配须在 科目 列写明贷方科目, 如 应付款-应付奖励",
    ]
    fixed = plan(tmp_path / "方案2.xlsx", [["其他", "修桥", None, 300, "不存在-修桥"]])
    unknown = refused_unchanged(ledgers, year, "distribute", TARGET, "2024", str(fixed))
    assert (
        unknown[0] == "方案2.xlsx:方案:4: 科目 “不存在-修桥”: 不存在 不是一级科目 (unknown account)"
    )
