"""Distribution to members (issue 14): plans name members of the 成员名册 (custom "member"),
postings carry the member's id, report and disclosure sum them by 村民小组; the
disclosure's 资源 and 发包租赁 tables from the registers (issue 19)."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from projects import disclosure, disclosure_render, registers
from projects.layout import MAIN
from projects.ledger import read
from projects.periods import parse_period
from projects.reports import VillageBooks
from projects.year_end import close_books
from tests.conftest import run_cli
from tests.test_bookkeeping import (
    OPENING_2024,
    TARGET,
    YEAR_2024,
    add_journal,
    bean_check,
    open_books,
    plan,
    refused_unchanged,
    trial_balance,
)
from tests.test_bookkeeping import folder as folder
from tests.test_bookkeeping import year as year


def members_text(households: list[tuple[str, str, str, int]]) -> str:
    return "".join(
        f'\n2024-01-01 custom "member" "{mid}" "{name}"\n  group: "{group}"\n  shares: {shares}\n'
        for mid, name, group, shares in households
    )


def postings(folder: Path) -> list:
    entries, errors, _ = read(folder / MAIN)
    assert errors == []
    return [
        p for e in entries if "distribution" in getattr(e, "tags", ()) for p in e.postings
    ], entries


def test_a_plan_names_members_by_id_or_name_and_the_groups_sum_them(ledgers, year, tmp_path):
    """张三 (M001, 3 shares) and 李四 (M002, 2) in 第一村民小组, 王五 (M003, 5) in
    第二村民小组 (test_bookkeeping.MEMBERS); 100.00 a share: group one 500.00, group two
    500.00, 成员分配 1,000.00."""
    close_books(year, 2024)
    path = plan(
        tmp_path / "方案.xlsx",
        [
            ["每股金额", None, None, 100],
            ["成员分配", "M001", 3, None],  # by id
            ["成员分配", "李四", 2, None],  # by 户主姓名
            ["成员分配", "王五", 5, None],
        ],
    )
    result = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    bean_check(year)
    found, entries = postings(year)
    assert [(p.meta["member"], p.units.number) for p in found if "member" in p.meta] == [
        ("M001", Decimal("-300.00")),
        ("M002", Decimal("-200.00")),
        ("M003", Decimal("-500.00")),
    ]
    report = run_cli(
        "report", "distribution", TARGET, "--year", "2024", "--format", "json", ledgers=ledgers
    )
    assert report.exit_code == 0, report.stderr
    rows = [
        (r["group"], r["households"], r["shares"], r["amount"]) for r in json.loads(report.stdout)
    ]
    assert rows == [
        ("第一村民小组", 2, "5.00", "500.00"),
        ("第二村民小组", 1, "5.00", "500.00"),
    ]
    books = VillageBooks.of("新村", entries)
    annual = disclosure.compute(books, parse_period("2024"), township="青石镇")
    statement = {line.label: line.amounts[0] for line in annual.income_statement}
    groups = [(g["group"], g["amount"]) for g in annual.distribution]
    assert groups == [("第一村民小组", Decimal("500.00")), ("第二村民小组", Decimal("500.00"))]
    assert sum(amount for _, amount in groups) == statement["成员分配"]
    html = disclosure_render.render_html(annual)
    assert "成员分配 (按村民小组汇总)" in html and "第二村民小组" in html
    assert "M001" not in html and "张三" not in html  # groups, not households


@pytest.mark.parametrize("seed", range(5))
def test_group_totals_are_the_sum_of_generated_members(ledgers, year, tmp_path, seed):
    """Generated households in generated groups: each group's total is the sum of its
    members' shares × the rate; the groups add up to the statement's 成员分配."""
    rng = random.Random(seed)
    households = [
        (f"H{i:03d}", f"户主{i}", f"第{rng.randint(1, 4)}组", rng.randint(1, 6))
        for i in range(rng.randint(3, 12))
    ]
    (year / "projects.beancount").write_text(members_text(households), "utf-8")
    close_books(year, 2024)
    rate = Decimal(rng.randint(10, 200))
    lines = [["成员分配", rng.choice([h[0], h[1]]), h[3], None] for h in households]
    path = plan(tmp_path / "方案.xlsx", [["每股金额", None, None, rate], *lines])
    result = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    _, entries = postings(year)
    books = VillageBooks.of("新村", entries)
    annual = disclosure.compute(books, parse_period("2024"))
    expected: dict[str, list] = {}
    for _, _, group, shares in households:
        row = expected.setdefault(group, [0, 0, Decimal("0.00")])
        row[0] += 1
        row[1] += shares
        row[2] += shares * rate
    assert {
        g["group"]: [g["households"], g["shares"], g["amount"]] for g in annual.distribution
    } == {group: row for group, row in expected.items()}
    statement = {line.label: line.amounts[0] for line in annual.income_statement}
    assert sum(g["amount"] for g in annual.distribution) == statement["成员分配"]


@pytest.mark.parametrize(
    ("named", "reason"),
    [
        ("赵六", "“赵六” 不在成员名册上"),
        ("M009", "“M009” 不在成员名册上"),
        ("第一村民小组", "“第一村民小组” 不在成员名册上"),  # a group is not a member
        ("张三", "成员名册上有 2 户名为 “张三” (M001、M004): 请写成员编号"),
        ("M005", "“M005” 不在成员名册上"),  # declared after the year end
    ],
)
def test_a_plan_naming_no_single_member_is_refused(ledgers, year, tmp_path, named, reason):
    with (year / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            members_text([("M004", "张三", "第二村民小组", 1)])
            + '\n2025-01-05 custom "member" "M005" "孙七"\n  group: "第一村民小组"\n  shares: 1\n'
        )
    close_books(year, 2024)
    path = plan(
        tmp_path / "方案.xlsx",
        [["成员分配", "M002", None, 100], ["成员分配", named, None, 100]],
    )
    lines = refused_unchanged(ledgers, year, "distribute", TARGET, "2024", str(path))
    assert lines[0] == f"方案.xlsx:方案:5: 成员分配: {reason}" + (
        ' (not a member: declare it with custom "member")' if "不在" in reason else ""
    )


@pytest.mark.parametrize("seed", range(5))
def test_a_village_without_a_register_refuses_member_lines(ledgers, folder, tmp_path, seed):
    """No 成员名册: every 成员分配 line (by a name, an id or a 村民小组) is refused on one
    line naming file:sheet:row and nothing is written; a plan without one still goes in."""
    open_books(folder, trial_balance(tmp_path / "期初.xlsx", OPENING_2024))
    add_journal(folder, YEAR_2024)
    close_books(folder, 2024)
    rng = random.Random(seed)
    named = [
        rng.choice([f"户主{i}", f"M{i:03d}", f"第{i}村民小组", "张三"])
        for i in range(rng.randint(1, 6))
    ]
    reserve = ["提取公积公益金", None, None, 100]
    lines = [["成员分配", name, rng.randint(1, 6), 10] for name in named]
    path = plan(tmp_path / "方案.xlsx", [reserve, *lines])
    refused = refused_unchanged(ledgers, folder, "distribute", TARGET, "2024", str(path))
    assert refused[: len(named)] == [
        f"方案.xlsx:方案:{row}: 成员分配: “{name}” 不在成员名册上 (not a member: declare it "
        'with custom "member")'
        for row, name in enumerate(named, start=5)
    ]
    assert not any("方案.xlsx:方案:" in line for line in refused[len(named) :])
    path = plan(tmp_path / "公积金.xlsx", [reserve])
    result = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "declaration",
    [
        '2024-01-01 custom "member" "M001" "张三"\n  shares: 3\n',  # no group
        '2024-01-01 custom "member" "M001" "张三"\n  group: "第一组"\n',  # no shares
        '2024-01-01 custom "member" "M001" "张三"\n  group: "第一组"\n  shares: 0\n',
        '2024-01-01 custom "member" "M001"\n  group: "第一组"\n  shares: 1\n',  # no name
    ],
)
def test_a_malformed_member_is_a_check_error(ledgers, folder, declaration):
    (folder / "projects.beancount").write_text(declaration, "utf-8")
    _, errors, _ = read(folder / MAIN)
    assert [e.message for e in errors] == [
        '成员声明应写成 custom "member" "成员编号" "户主姓名", '
        "并有 group 村民小组、shares 股数 (大于 0)"
    ]
    found = registers.read(read(folder / MAIN)[0])
    assert found.members == {}


def test_a_member_declared_twice_is_an_error(ledgers, folder):
    twice = members_text([("M001", "张三", "第一组", 1), ("M001", "李四", "第二组", 2)])
    (folder / "projects.beancount").write_text(twice, "utf-8")
    _, errors, _ = read(folder / MAIN)
    assert [e.message for e in errors] == ["成员 M001 重复声明 (declared twice)"]


# -- the registers in the disclosure ------------------------------------------------------

REGISTERS = """
2023-12-31 custom "resource" "R001" "东山坡耕地"
  kind: "耕地"
  area: 120
  status: "发包"
2023-12-31 custom "resource" "R002" "后山林地"
  kind: "林地"
  area: 300
  status: "未利用"
2023-12-20 custom "contract" "C2024-01" "东山家庭农场"
  subject: "R001"
  start: 2024-01-01
  end: 2028-12-31
  rent: 12000.00 CNY
  pay: "期初"
"""


def xlsx_cells(d: disclosure.Disclosure, path: Path) -> list[list]:
    disclosure_render.write_xlsx(d, path)
    sheet = openpyxl.load_workbook(path).active
    return [[c.value for c in row if c.value is not None] for row in sheet.iter_rows()]


def section(d: disclosure.Disclosure, cells: list[list], title: str) -> list[list]:
    """The rows under a section title, below its header, up to the next title or blank."""
    titles = [[t] for t, _, _ in disclosure_render.xlsx_sections(d)]
    start = cells.index([title])
    end = next(i for i in range(start + 1, len(cells)) if not cells[i] or cells[i] in titles)
    return cells[start + 2 : end]


def test_the_disclosure_shows_the_contracts_and_resources(ledgers, folder, tmp_path):
    """C2024-01 leases R001 for 12,000.00 a year in advance, nothing received by 30 June:
    12,000.00 due and in arrears; 耕地 120 亩 all under contract, 林地 300 亩 unused."""
    (folder / "projects.beancount").write_text(REGISTERS, "utf-8")
    entries, errors, _ = read(folder / MAIN)
    assert errors == []
    d = disclosure.compute(VillageBooks.of("新村", entries), parse_period("2024Q2"))
    html = disclosure_render.render_html(d)
    assert "合同台账 (合同期限、标的、价款) 将随" not in html
    assert "C2024-01" in html and "2024-01-01 至 2028-12-31" in html
    cells = xlsx_cells(d, tmp_path / "公开.xlsx")
    assert section(d, cells, "专项公开: 发包、租赁合同 (截至期末)") == [
        [
            "C2024-01",
            "东山家庭农场",
            "R001 东山坡耕地",
            "2024-01-01 至 2028-12-31",
            12000,
            0,
            12000,
        ]
    ]
    assert section(d, cells, "专项公开: 各类资源 (截至期末)") == [
        ["耕地", "发包", 1, 120, 120, "亩"],
        ["林地", "未利用", 1, 300, 0, "亩"],
    ]


def test_without_registers_the_sections_say_none(ledgers, folder, tmp_path):
    entries, _, _ = read(folder / MAIN)
    d = disclosure.compute(VillageBooks.of("新村", entries), parse_period("2024"))
    html = disclosure_render.render_html(d)
    for empty in ("本期无发包、租赁合同", "本期无资源登记", "本期无成员分配"):
        assert empty in html
    cells = xlsx_cells(d, tmp_path / "公开.xlsx")
    assert section(d, cells, "专项公开: 发包、租赁合同 (截至期末)") == [["本期无发包、租赁合同"]]
    assert section(d, cells, "专项公开: 各类资源 (截至期末)") == [["本期无资源登记"]]
    assert section(d, cells, "成员分配 (按村民小组汇总)") == [["本期无成员分配"]]
