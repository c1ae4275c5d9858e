"""Postings an inspector would send back (issue 14): unidentified bank rows, 2004 accounts split
by substance, public-welfare depreciation, temporary labour, distributions funded by subsidies."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path

import markupsafe
import openpyxl
import pytest
from beancount import loader
from beancount.core import data

from projects import chart, disclosure, disclosure_render, reports, year_end
from projects.ledger import read
from projects.periods import parse_period
from scripts.village import new_village
from tests import ledgertext
from tests import test_bookkeeping as bookkeeping
from tests.conftest import run_cli
from tests.importkit import village, workbook

TARGET = "青石镇/东山村"
STATEMENT_COLUMNS = ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额"]


def statement(path: Path, movements: list[tuple[str, str, str, Decimal]], opening: Decimal) -> Path:
    """A bank statement (银行对账单) of signed movements (+ in), balances running from
    ``opening``: the bank's sides, 借方发生额 = out, 贷方发生额 = in."""
    rows, balance = [], opening
    for date, summary, payee, amount in movements:
        balance += amount
        out, into = (-amount, None) if amount < 0 else (None, amount)
        rows.append([date, summary, payee, out, into, balance])
    head = [["青石农商行 账户交易明细 (对账单)"], ["账号:6230****0001"]]
    return workbook(path, {"交易明细": [*head, STATEMENT_COLUMNS, *rows]})


def generated(seed: int) -> list[tuple[str, str, str, Decimal]]:
    """Unidentified receipts and payments, at least one of each, on random days."""
    rng = random.Random(seed)
    count = rng.randint(2, 8)
    signs = [1, -1] + [rng.choice([1, -1]) for _ in range(count - 2)]
    rng.shuffle(signs)
    return [
        (
            f"2024-03-{rng.randint(1, 28):02d}",
            rng.choice(["转账", "汇款", "往来款", "待查"]),
            rng.choice(["", "某某公司", "个人转账"]) + str(i),
            sign * Decimal(rng.randint(100, 900000)) / 100,
        )
        for i, sign in enumerate(signs)
    ]


@pytest.mark.parametrize("seed", range(6))
def test_unidentified_rows_wait_in_payables_and_receivables_not_181(ledgers, tmp_path, seed):
    folder = village(ledgers, TARGET, opening="10000000.00")
    movements = sorted(generated(seed))
    path = statement(tmp_path / "对账单.xlsx", movements, Decimal("10000000.00"))
    result = run_cli("import", TARGET, str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    assert f"待分类 {len(movements)} 条 (flagged for classification)" in result.stdout
    entries, errors, _ = read(folder / "main.beancount")
    assert errors == []
    flagged = [e for e in entries if isinstance(e, data.Transaction) and e.flag == "!"]
    assert len(flagged) == len(movements)
    expected = {
        True: "Liabilities:211-应付款:21199-待查明款项",  # money in: owed until identified
        False: "Assets:112-应收款:11299-待查明款项",  # money out: a claim until identified
    }
    for entry in flagged:
        own, counter = entry.postings
        assert counter.account == expected[own.units.number > 0], entry
        assert counter.units.number == -own.units.number
        line = f"{entry.date} {'收' if own.units.number > 0 else '支'} {abs(own.units.number):,.2f}"
        assert line in result.stdout and counter.account in result.stdout
    used = {p.account for e in entries if isinstance(e, data.Transaction) for p in e.postings}
    assert not any(chart.code_of(a).startswith("181") for a in used)
    opened = {e.account: e for e in entries if isinstance(e, data.Open)}
    for account in {expected[m[3] > 0] for m in movements}:
        assert opened[account].meta["code"] == chart.code_of(account)
    # the disclosure still refuses while any remain
    books = reports.VillageBooks.of("东山村", entries)
    blockers = disclosure.blockers(books, parse_period("2024Q1"))
    assert len(blockers) == len(movements) and all("flagged !" in b for b in blockers)


def test_a_county_option_names_other_accounts(ledgers, tmp_path):
    folder = village(ledgers, TARGET)
    with (folder / "main.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2024-01-01 custom "cunzhang-option" "unidentified_receipts" "应付款-暂收款"\n'
            '2024-01-01 custom "cunzhang-option" "unidentified_payments" "应收款-暂付款"\n'
        )
    movements = [
        ("2024-03-02", "转账", "甲", Decimal("500.00")),
        ("2024-03-03", "转账", "乙", Decimal("-200.00")),
    ]
    path = statement(tmp_path / "对账单.xlsx", movements, Decimal("1000.00"))
    result = run_cli("import", TARGET, str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    entries, errors, _ = read(folder / "main.beancount")
    assert errors == []
    counters = [e.postings[1].account for e in entries if getattr(e, "flag", "") == "!"]
    assert counters == ["Liabilities:211-应付款:21101-暂收款", "Assets:112-应收款:11201-暂付款"]


def test_a_village_keeps_its_own_account_of_that_name(ledgers, tmp_path):
    """A village that already has 应收款-待查明款项 under another code keeps it."""
    folder = village(ledgers, TARGET)
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write(chart.open_text("2024-01-01", "Assets:112-应收款:11205-待查明款项"))
    movements = [("2024-03-03", "转账", "乙", Decimal("-200.00"))]
    path = statement(tmp_path / "对账单.xlsx", movements, Decimal("1000.00"))
    assert run_cli("import", TARGET, str(path), ledgers=ledgers).exit_code == 0
    entries, _, _ = read(folder / "main.beancount")
    [entry] = [e for e in entries if getattr(e, "flag", "") == "!"]
    assert entry.postings[1].account == "Assets:112-应收款:11205-待查明款项"


# -- 2004 accounts that split by substance -----------------------------------------------------

VOUCHER_HEADER = ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"]


def voucher(tmp_path: Path, code: str, name: str, side: str) -> Path:
    """One voucher (凭证列表) of 300.00 between the bank (10201) and ``code name``."""
    line = [None, None, None, code, name, None, None]
    bank = [None, None, None, "10201", "银行存款-青石农商行", None, None]
    first, second = (line, bank) if side == "借" else (bank, line)
    first[5], second[6] = 300, 300
    first[:3] = ["2024-01-06", "记-001", "摘要"]
    return workbook(tmp_path / "v.xlsx", {"凭证列表": [VOUCHER_HEADER, first, second]})


@pytest.mark.parametrize(
    ("code", "name", "side", "choices"),
    [
        ("51101", "发包及上交收入-土地承包", "贷", "501 经营收入 / 502 投资收益"),
        ("51102", "发包及上交收入-企业上交利润", "贷", "501 经营收入 / 502 投资收益"),
        ("55101", "其他支出-慰问", "借", "514 公益支出 / 515 其他支出"),
        ("", "其他支出-慰问", "借", "514 公益支出 / 515 其他支出"),  # by name: 2023 kept it
        ("", "发包及上交收入-土地承包", "贷", "501 经营收入 / 502 投资收益"),
        ("21201", "应付福利费-困难补助", "贷", "311 公积公益金 / 211 应付款"),
    ],
)
def test_2004_accounts_split_by_substance_ask_instead_of_mapping(
    ledgers, tmp_path, code, name, side, choices
):
    folder = village(ledgers, TARGET)
    path = voucher(tmp_path, code, name, side)
    result = run_cli(
        "import", TARGET, str(path), "--chart", "2004", "--create-accounts", ledgers=ledgers
    )
    assert result.exit_code == 1, result.stdout
    assert "没有唯一对应科目" in result.stderr and choices in result.stderr
    assert "请按实质在表中改用 2023 年科目编码" in result.stderr
    # answered with a 2023 code, the same line imports
    answered = voucher(tmp_path, choices[:3] + "01", name.split("-")[-1], side)
    result = run_cli(
        "import", TARGET, str(answered), "--chart", "2023", "--create-accounts", ledgers=ledgers
    )
    assert result.exit_code == 0, result.stderr
    _, errors, _ = read(folder / "main.beancount")
    assert errors == []


# -- public-welfare fixed assets -------------------------------------------------------------

LIGHTS = "Assets:151-固定资产:15105-太阳能路灯"
OFFICE = "Assets:151-固定资产:15101-村部办公楼"
WORKS = "Assets:153-在建工程:15301-路灯安装"


STEPS = "\n".join(
    f'2025-03-{day:02d} custom "project-step" "P1" "{step}"'
    for day, step in zip(range(5, 10), ["提议", "商议", "审议", "决议", "决议公开"], strict=True)
)


def welfare_ledger(mark: str, lights_depreciation: str, lights_via: str = "产业项目") -> str:
    """A village with an office (management) and solar street lights built by project P1
    (``lights_via`` the project's kind); one quarter's depreciation of both."""
    return f"""
2025-03-03 custom "project" "P1" "路灯安装"
  kind: "{lights_via}"
  budget: 90000.00 CNY
{STEPS}
2025-01-01 open {LIGHTS} CNY
  code: "15105"
  {mark}
2025-01-01 * "期初" #opening
  {OFFICE}   200000.00 CNY
  Assets:102-银行存款:10201-农商行   100000.00 CNY
  Equity:301-资本
2025-06-30 * "支付路灯工程款" ^P1
  {WORKS}   83600.00 CNY
  Assets:102-银行存款:10201-农商行
2025-07-15 * "路灯完工转入固定资产" ^P1
  {LIGHTS}   83600.00 CNY
  {WORKS}
2025-09-30 * "计提2025年第3季度固定资产折旧"
  Expenses:513-管理费用:51307-折旧费   1250.00 CNY
{lights_depreciation}  Assets:152-累计折旧
"""


TO_513 = "  Expenses:513-管理费用:51307-折旧费   1393.33 CNY\n"
TO_514 = "  Expenses:514-公益支出:51402-折旧费   1393.33 CNY\n"


def welfare_errors(text: str) -> list[str]:
    """The ledger's errors (with every check), its own ``open`` of the lights kept."""
    automatic = ledgertext.opens(text).split("\n\n")
    opens = "\n\n".join(block for block in automatic if f" open {LIGHTS} " not in block)
    head = 'option "operating_currency" "CNY"\nplugin "projects.checks"\n'
    _, errors, _ = loader.load_string(head + opens + "\n" + text)
    return [e.message for e in errors]


@pytest.mark.parametrize(
    ("mark", "kind"),
    [
        ("public_welfare: TRUE", "产业项目"),  # marked on its open
        ('name: "太阳能路灯"', "一事一议"),  # formed by an 一事一议 project
        ("public_welfare: TRUE", "产业项目"),
    ],
)
def test_public_welfare_depreciation_in_513_is_reported(mark, kind):
    [message] = welfare_errors(welfare_ledger(mark, TO_513, kind))
    assert "公益性固定资产 " + LIGHTS in message and "514 公益支出" in message
    assert "计提2025年第3季度固定资产折旧" in message
    assert welfare_errors(welfare_ledger(mark, TO_514, kind)) == []


@pytest.mark.parametrize(
    ("mark", "kind"),
    [
        ('name: "太阳能路灯"', "公益事业"),  # not marked, not 一事一议
        ('name: "太阳能路灯"', "产业项目"),  # a project that is not 一事一议
        ("public_welfare: FALSE", "一事一议"),  # the open says otherwise
    ],
)
def test_assets_not_public_welfare_may_depreciate_to_513(mark, kind):
    assert welfare_errors(welfare_ledger(mark, TO_513, kind)) == []


def registered(mark: bool) -> str:
    """The lights on the asset register (README, 三资台账), public-welfare or not."""
    welfare = "\n  public_welfare: TRUE" if mark else ""
    return f"""
2025-07-15 custom "asset" "A002" "太阳能路灯"
  account: "{LIGHTS}"
  cost: 83600.00 CNY
  life: 20{welfare}
"""


@pytest.mark.parametrize("kind", ["产业项目", "公益事业"])
@pytest.mark.parametrize("on_register", [True, False])
def test_the_asset_register_marks_public_welfare_assets_too(kind, on_register):
    """One notion of a public-welfare asset: the register's ``public_welfare`` counts like
    the ``open``'s (the lights' open here says nothing)."""
    for depreciation, reported in ((TO_513, on_register), (TO_514, False)):
        text = welfare_ledger('name: "太阳能路灯"', depreciation, kind) + registered(on_register)
        found = [m for m in welfare_errors(text) if "514 公益支出" in m]
        assert len(found) == reported, found
        assert all("公益性固定资产 " + LIGHTS in m for m in found)


def test_depreciation_before_the_asset_is_on_the_books_is_not_reported():
    text = welfare_ledger("public_welfare: TRUE", TO_513).replace("2025-09-30 *", "2025-07-14 *")
    assert welfare_errors(text) == []


# -- seasonal and temporary labour: 213 应付劳务费 ----------------------------------------------


@pytest.mark.parametrize(
    ("rule", "payee", "summary", "expected"),
    [
        ("应付工资", "本村务工人员", "发放1月工资", "Liabilities:213-应付劳务费"),
        ("212", "", "支付临时工工资", "Liabilities:213-应付劳务费"),
        ("应付工资-采收", "", "劳务费", "Liabilities:213-应付劳务费:21301-采收"),
        ("Liabilities:212-应付工资", "季节工", "代发工资", "Liabilities:213-应付劳务费"),
        ("应付工资", "村干部", "发放1月工资", "Liabilities:212-应付工资"),  # staff: 212
        ("应付劳务费", "本村务工人员", "发放1月劳务费", "Liabilities:213-应付劳务费"),
    ],
)
def test_labour_rows_prefer_213(ledgers, tmp_path, rule, payee, summary, expected):
    folder = village(ledgers, TARGET)
    (folder / "import-rules.csv").write_text(
        f"对方户名,摘要,方向,科目\n,工资,支,{rule}\n,劳务,支,{rule}\n", "utf-8"
    )
    movements = [("2024-03-02", summary, payee, Decimal("-800.00"))]
    path = statement(tmp_path / "对账单.xlsx", movements, Decimal("1000.00"))
    result = run_cli("import", TARGET, str(path), "--create-accounts", ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    entries, errors, _ = read(folder / "main.beancount")
    assert errors == []
    [entry] = [
        e
        for e in entries
        if isinstance(e, data.Transaction) and e.flag == "*" and e.date.month == 3
    ]
    assert entry.postings[1].account == expected
    if "212" not in expected and "劳务费" not in summary:
        assert "务工/劳务/临时工 记入 213 应付劳务费" in entry.meta["classified"]


@pytest.mark.parametrize("name", ["应付务工工资", "应付临时工工资", "应付劳务报酬", "应付劳务费"])
def test_labour_payable_names_mean_213(ledgers, tmp_path, name):
    folder = village(ledgers, TARGET)
    path = voucher(tmp_path, "", f"{name}-张三", "借")
    result = run_cli("import", TARGET, str(path), "--create-accounts", ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    assert "Liabilities:213-应付劳务费:21301-张三" in (
        folder / "journal" / "2024.beancount"
    ).read_text("utf-8")


# -- a distribution funded by subsidies -----------------------------------------------------


@pytest.mark.parametrize(
    ("payout", "reserve", "warned"),
    [
        ("51000.00", "9000.00", None),  # exactly 经营收益 45,000 + 年初未分配收益 6,000
        ("51000.01", "0", "0.01"),
        ("52000.00", "8000.00", "1,000.00"),  # 提取公积公益金 stays with the collective
        ("60000.00", "0", "9,000.00"),  # all of 可分配收益 60,000: 9,000 is the subsidy
    ],
)
def test_a_distribution_larger_than_own_earnings_warns(ledgers, tmp_path, payout, reserve, warned):
    """经营收益 = 80,000 − 30,000 − 5,000 = 45,000; 年初未分配收益 6,000; the 10,000 补助收入
    and the 1,000 其他支出 are not the village's own earnings (test_bookkeeping's year)."""
    target = bookkeeping.TARGET
    folder = new_village(ledgers, target, datetime.date(2024, 1, 1))
    opening = bookkeeping.trial_balance(tmp_path / "期初.xlsx", bookkeeping.OPENING_2024)
    bookkeeping.open_books(folder, opening)
    bookkeeping.add_journal(folder, bookkeeping.YEAR_2024)
    bookkeeping.register_members(folder)
    assert run_cli("close-year", target, "2024", ledgers=ledgers).exit_code == 0
    rows = [["成员分配", "张三", None, Decimal(payout)]]
    if Decimal(reserve):
        rows.insert(0, ["提取公积公益金", None, None, Decimal(reserve)])
    path = bookkeeping.plan(tmp_path / "方案.xlsx", rows)
    result = run_cli("distribute", target, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    entries, errors, _ = read(folder / "main.beancount")
    assert errors == []  # a warning, not an error
    warnings = year_end.subsidy_warnings(entries)
    checked = run_cli("check", target, ledgers=ledgers)
    assert checked.exit_code == 0, checked.stdout  # a warning keeps exit status 0
    books = reports.VillageBooks.of(folder.name, entries)
    annual = disclosure.compute(books, parse_period("2024"), township="青石镇")
    quarter = disclosure.compute(books, parse_period("2024Q3"), township="青石镇")
    assert quarter.warnings == []  # the distribution is dated 12-31
    html = disclosure_render.render_html(annual)
    cells = [c.value for row in xlsx_rows(annual, tmp_path) for c in row]
    if warned is None:
        assert "提示 (warning)" not in result.stdout and warnings == []
        assert "超过经营收益" not in checked.stdout and annual.warnings == []
        assert "超过经营收益" not in html and not any("超过经营收益" in str(c) for c in cells)
    else:
        [warning] = warnings
        assert f"超出的 {warned} 来自补助收入" in warning and warning in result.stdout
        assert "之和 51,000.00" in warning
        assert f"⚠ {target}: {warning}" in checked.stdout.splitlines()
        assert annual.warnings == [warning]
        assert str(markupsafe.escape(warning)) in html and warning in cells


def xlsx_rows(d: disclosure.Disclosure, tmp_path: Path) -> list:
    path = tmp_path / "公开.xlsx"
    disclosure_render.write_xlsx(d, path)
    return list(openpyxl.load_workbook(path).active.iter_rows())
