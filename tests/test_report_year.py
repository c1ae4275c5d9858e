"""``cunzhang report --year`` as a user runs it (issue #17 items 3, 4, 6): every report shows
the books as they stood at the end of the year asked for, says on stderr when it has no
rows, writes plain numbers in CSV and JSON, and names the township on every row.

One village on a temporary ledgers root holds facts of 2024 and 2025: projects declared
and steps recorded in both years, secretaries posted in both, pledges and claims, project
spending and income, a contract and a resource declared in 2025. A second root holds the
same village cut at a year's end (every directive dated later left out): the report of
that year must be the same on both, for every report and year.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from projects.reports import REPORTS
from scripts.village import new_village
from tests.conftest import run_cli
from tests.ledgertext import opens

BANK = "Assets:102-银行存款:10201-农商行"
FUND = "Liabilities:241-专项应付款:24101-香菇基地"
ROAD = "Expenses:514-公益支出:51401-道路"
SALES = "Income:501-经营收入:50101-香菇销售"
SHED = "Assets:151-固定资产:15101-冷棚"

#: The village's declarations and transactions, each with its date (cut by these).
FACTS: list[tuple[str, str]] = [
    ("2024-01-01", f'2024-01-01 * "期初" #opening\n  {BANK}   500000.00 CNY\n  Equity:301-资本'),
    (
        "2024-01-05",
        '2024-01-05 custom "project" "P2024-01" "香菇基地扩建"\n'
        '  kind: "产业项目"\n  budget: 600000.00 CNY\n  secretary: "王五"',
    ),
    *(
        (f"2024-01-{day}", f'2024-01-{day} custom "project-step" "P2024-01" "{step}"')
        for day, step in (
            ("10", "提议"),
            ("11", "商议"),
            ("12", "审议"),
            ("13", "决议"),
            ("14", "决议公开"),
        )
    ),
    ("2025-11-01", '2025-11-01 custom "project-step" "P2024-01" "实施结果公开"'),
    ("2024-03-01", '2024-03-01 custom "secretary" "王五" "县农业局"'),
    ("2024-03-05", '2024-03-05 custom "fund-pledge" "县农业局" "产业资金" 50000.00 CNY'),
    (
        "2024-04-01",
        f'2024-04-01 * "县农业局" "产业资金" ^P2024-01\n  funder: "县农业局"\n'
        f"  {BANK}   100000.00 CNY\n  {FUND}",
    ),
    ("2024-05-01", f'2024-05-01 * "工程款" ^P2024-01\n  {ROAD}   40000.00 CNY\n  {BANK}'),
    ("2024-09-01", f'2024-09-01 * "香菇销售" ^P2024-01\n  {BANK}   10000.00 CNY\n  {SALES}'),
    ("2024-06-15", f'2024-06-15 * "购建冷棚"\n  {SHED}   64000.00 CNY\n  {BANK}'),
    (
        "2024-06-15",
        f'2024-06-15 custom "asset" "A001" "冷棚"\n  kind: "构筑物"\n  account: "{SHED}"\n'
        '  cost: 64000.00 CNY\n  method: "不提折旧"',
    ),
    ("2025-01-01", '2025-01-01 custom "secretary" "赵六" "县农业局"'),
    ("2025-02-01", '2025-02-01 custom "fund-pledge" "县农业局" "产业资金" 30000.00 CNY'),
    (
        "2025-02-24",
        '2025-02-24 custom "project" "P2025-03" "村道硬化"\n'
        '  kind: "公益事业"\n  budget: 90000.00 CNY',
    ),
    *(
        (f"2025-03-{day}", f'2025-03-{day} custom "project-step" "P2025-03" "{step}"')
        for day, step in (
            ("10", "提议"),
            ("11", "商议"),
            ("12", "审议"),
            ("14", "决议"),
            ("15", "决议公开"),
            ("16", "实施结果公开"),
        )
    ),
    ("2025-03-20", '2025-03-20 custom "fund-landed" "县农业局" "产业资金" 20000.00 CNY'),
    ("2025-05-01", f'2025-05-01 * "工程款" ^P2024-01\n  {ROAD}   30000.00 CNY\n  {BANK}'),
    ("2025-09-01", f'2025-09-01 * "香菇销售" ^P2024-01\n  {BANK}   5000.00 CNY\n  {SALES}'),
    (
        "2025-01-05",
        '2025-01-05 custom "resource" "R2025-01" "后山林地"\n'
        '  kind: "林地"\n  area: 200\n  status: "发包"',
    ),
    (
        "2025-01-10",
        '2025-01-10 custom "contract" "C2025-01" "李四"\n  subject: "R2025-01"\n'
        "  start: 2025-01-01\n  end: 2025-12-31\n  rent: 3000.00 CNY",
    ),
    ("2025-01-20", f'2025-01-20 * "收到租金" ^C2025-01\n  {BANK}   3000.00 CNY\n  {SALES}'),
]

NAMES = sorted(REPORTS)
#: The reports this village fills (any other, e.g. a newer one, only has to cut and be empty).
FILLED = ["assets", "contracts", "funds", "income", "projects", "resources", "secretaries"]
YEARS = (2023, 2024, 2025)


def write(ledgers: Path, until: datetime.date | None = None) -> Path:
    """The village under ``ledgers``, with the facts dated up to ``until`` (all if none)."""
    folder = new_village(ledgers, "测试镇/测试村", datetime.date(2024, 1, 1))
    kept = [text for day, text in FACTS if until is None or day <= until.isoformat()]
    custom = [t for t in kept if " custom " in t.splitlines()[0]]
    journal = [t for t in kept if t not in custom]
    every = "\n".join(text for _, text in FACTS)
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write("\n" + opens(every, "2024-01-01", first_level=False) + "\n")
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(custom) + "\n")
    (folder / "journal" / "2024.beancount").write_text("\n\n".join(journal) + "\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ledgers = tmp_path_factory.mktemp("ledgers")
    write(ledgers)
    return ledgers


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "cache"))


def report(root: Path, name: str, *args: str, fmt: str = "json"):
    result = run_cli("report", name, "测试镇/测试村", *args, "--format", fmt, ledgers=root)
    assert result.exit_code == 0, result.output
    return result


def rows(root: Path, name: str, *args: str) -> list[dict]:
    return json.loads(report(root, name, *args).stdout)


def test_the_ledger_is_clean(root: Path) -> None:
    result = run_cli("check", "测试镇/测试村", ledgers=root)
    assert result.exit_code == 0, result.output


# --- 3. --year filters everything --------------------------------------------------------


def test_projects_of_2024_know_nothing_of_2025(root: Path) -> None:
    (row,) = rows(root, "projects", "--year", "2024")  # P2025-03 (declared 2025-02-24): none
    assert (row["project"], row["steps_done"], row["steps_missing"]) == (
        "P2024-01",
        "5/6",
        ["实施结果公开"],  # recorded 2025-11-01
    )
    assert "实施结果公开" not in row["steps"]
    assert (row["spent"], row["income"], row["payback"]) == ("40000.00", "10000.00", "0.2500")
    every = {r["project"]: r for r in rows(root, "projects")}
    assert every["P2025-03"]["steps_done"] == "6/6"
    # 15000 / 70000 = 0.214285…: a ratio to four places
    assert (every["P2024-01"]["spent"], every["P2024-01"]["payback"]) == ("70000.00", "0.2143")


def test_secretaries_and_funds_of_2024(root: Path) -> None:
    (row,) = rows(root, "secretaries", "--year", "2024")  # 赵六 posted 2025-01-01: not yet
    assert (row["secretary"], row["base_year"], row["latest_year"]) == ("王五", None, 2024)
    assert row["base_note"] == "无任前数据 (2023)"
    every = rows(root, "secretaries")
    assert [(r["secretary"], r["base_year"], r["latest_year"]) for r in every] == [
        ("王五", None, 2025),
        ("赵六", 2024, 2025),
    ]
    (unit,) = rows(root, "funds", "--year", "2024")
    assert (unit["pledged"], unit["claimed"], unit["secretary"]) == ("50000.00", "0.00", "王五")
    (unit,) = rows(root, "funds")
    assert (unit["pledged"], unit["claimed"]) == ("80000.00", "20000.00")


def test_registers_of_2024_know_nothing_of_2025(root: Path) -> None:
    assert rows(root, "contracts", "--year", "2024") == []
    assert rows(root, "resources", "--year", "2024") == []
    (contract,) = rows(root, "contracts", "--year", "2025")
    assert (contract["contract"], contract["due"], contract["received"]) == (
        "C2025-01",
        "3000.00",
        "3000.00",
    )


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("name", NAMES)
def test_a_year_is_the_books_cut_at_its_end(root: Path, tmp_path: Path, name, year) -> None:
    """Every report of a year is the same whether or not the books hold anything later."""
    cut = tmp_path / "cut"
    write(cut, datetime.date(year, 12, 31))
    assert rows(root, name, "--year", str(year)) == rows(cut, name, "--year", str(year))


@pytest.mark.parametrize("name", NAMES)
def test_no_report_of_2024_names_a_fact_of_2025(root: Path, name: str) -> None:
    for fmt in ("json", "csv", "table"):
        assert "2025" not in report(root, name, "--year", "2024", fmt=fmt).stdout


# --- 4. no data is not a result ------------------------------------------------------------


@pytest.mark.parametrize("name", [*NAMES, "disclosures"])
def test_a_year_without_records_says_so(root: Path, name: str) -> None:
    for year in (2019, 2023):
        result = report(root, name, "--year", str(year))
        assert json.loads(result.stdout) == []
        assert result.stderr == f"{year} 年没有记录 (no records for {year})\n"
        table = report(root, name, "--year", str(year), fmt="table")
        assert table.stderr == result.stderr and len(table.stdout.splitlines()) == 2
    if name in FILLED:
        assert report(root, name).stderr == ""  # the whole books: rows, nothing said


# --- 6. machine formats ---------------------------------------------------------------------


def decimals(value: object) -> list[str]:
    """Every number-like string in a JSON value."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in decimals(v)]
    if isinstance(value, list):
        return [d for v in value for d in decimals(v)]
    if isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
        return [value]
    return []


@pytest.mark.parametrize("name", [*FILLED, "disclosures"])
def test_every_row_names_its_township(root: Path, name: str) -> None:
    found = rows(root, name)
    assert found and all(r["township"] == "测试镇" for r in found)
    table = list(csv.reader(io.StringIO(report(root, name, fmt="csv").stdout)))
    assert table[0][:2] == ["乡镇", "村"] and {r[0] for r in table[1:]} == {"测试镇"}


@pytest.mark.parametrize("name", FILLED)
def test_json_and_csv_numbers_are_plain_and_rounded(root: Path, name: str) -> None:
    for value in decimals(rows(root, name)):
        if "." in value:
            places = len(value.split(".")[1])
            assert places in (2, 4), value  # money to cents, a ratio to four places
    for row in csv.reader(io.StringIO(report(root, name, fmt="csv").stdout)):
        for text in row:
            if text.replace(",", "").removesuffix("%").replace(".", "", 1).lstrip("-").isdigit():
                Decimal(text)  # a number is a plain decimal: no separators, no percent sign


def test_a_township_csv_has_plain_money(root: Path) -> None:
    lines = report(root, "projects", fmt="csv").stdout.splitlines()
    assert lines[1].startswith("测试镇,测试村,P2024-01,香菇基地扩建,产业项目,600000.00,100000.00")
    assert lines[1].endswith(",15000.00,0.2143")
    table = report(root, "projects", fmt="table").stdout
    assert "600,000.00" in table and "21.4%" in table  # people keep separators and percents


# --- the Fava pages, by Fava's time filter ------------------------------------------------


def test_the_pages_of_2024_know_nothing_of_2025(root: Path) -> None:
    from fava.util import slugify

    from scripts.serve import make_app

    client = make_app([root / "测试镇" / "测试村"]).test_client()
    slug = slugify("测试镇 测试村")
    later = {
        "ProjectLedger": "P2025-03",
        "SupportFunds": "赵六",
        "Registers": "C2025-01",
    }

    def page(name: str, query: str = "") -> str:
        """The page without Fava's scripts (its ledger data names every link)."""
        html = client.get(f"/{slug}/extension/{name}/{query}").get_data(as_text=True)
        return re.sub(r"<script.*?</script>", "", html, flags=re.S)

    for name, fact in later.items():
        assert fact not in page(name, "?time=2024"), name
        assert fact in page(name), name


def test_the_overview_is_computed_at_the_selected_year(root: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "cache"))
    from fava.core import FavaLedger

    from projects.fava_ext import overview, page
    from projects.township import code_digest

    folder = root / "测试镇" / "测试村"
    ledger = FavaLedger(str(folder / "main.beancount"))

    def line(year: int | None) -> dict:
        """The overview line of a loaded village, which equals the cached one of the others."""
        loaded = overview.line_of(*(page.table(ledger, n, year) for n in overview.REPORTS))
        assert overview.compute_line(folder, year, code_digest()) == loaded
        return loaded

    year, whole = line(2024), line(None)
    assert (year["year"], year["projects"], year["pledged"]) == (2024, 1, Decimal("50000.00"))
    assert (whole["year"], whole["projects"], whole["pledged"]) == (2025, 2, Decimal("80000.00"))
