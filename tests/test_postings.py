"""Postings an inspector would send back (issue 14): unidentified bank rows, distributions
funded by subsidies."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path

import markupsafe
import openpyxl
import pytest
from beancount.core import data

from projects import chart, disclosure, disclosure_render, reports, year_end
from projects.ledger import read
from projects.periods import parse_period
from scripts.village import new_village
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
