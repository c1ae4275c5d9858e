"""The 三资 registers: contract schedules with hand-computed due, received and arrears; the
register checks, each on a ledger that breaks it and one that does not; the report CLI."""

from __future__ import annotations

import datetime
import json
import random
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest

from projects import register_reports, registers
from scripts.village import new_village
from tests.conftest import run_cli
from tests.ledgertext import load, village_books

D = Decimal
BANK = "Assets:102-银行存款:10201-农商行"
RENT = "Income:501-经营收入:50101-发包收入"
OFFICE = "Assets:151-固定资产:15101-村部办公楼"
SHED = "Assets:151-固定资产:15102-冷棚"
DEPRECIATION = "Assets:152-累计折旧"
EXPENSES = ("Expenses:513-管理费用:51301-折旧费", "Expenses:514-公益支出:51401-折旧费")

REGISTERS = f"""
2023-12-31 custom "asset" "A001" "村部办公楼"
  kind: "房屋建筑物"
  account: "{OFFICE}"
  cost: 360000.00 CNY
  life: 40
  depreciated: 120000.00 CNY
  location: "村委会院内"
  public_welfare: TRUE
2024-06-15 custom "asset" "A002" "冷棚"
  kind: "构筑物"
  account: "{SHED}"
  cost: 64000.00 CNY
  life: 10
  use: "出租"
2023-12-31 custom "resource" "R001" "东山坡耕地"
  kind: "耕地"
  area: 100
  status: "发包"
2023-12-31 custom "resource" "R002" "河滩地"
  kind: "耕地"
  area: 30
  status: "未利用"
2023-12-31 custom "resource" "R003" "后山林地"
  kind: "林地"
  area: 200
  status: "自营"
2023-12-20 custom "contract" "C2024-01" "东山家庭农场"
  subject: "R001"
  start: 2024-01-01
  end: 2026-12-31
  rent: 12000.00 CNY
  pay: "期末"
2024-03-20 custom "contract" "C2024-02" "青石菌业合作社"
  subject: "A002"
  start: 2024-04-01
  end: 2025-06-30
  rent: 10000.00 CNY
2025-01-10 custom "contract" "C2025-01" "李四"
  subject: "R003"
  start: 2025-01-01
  end: 2025-12-31
2025-03-01 custom "contract-due" "C2025-01" 3000.00 CNY
2025-09-01 custom "contract-due" "C2025-01" 4000.00 CNY
"""


def receipt(date: str, amount: str, link: str = "C2024-01") -> str:
    return f"""
{date} * "收到租金" ^{link}
  {BANK}   {amount} CNY
  {RENT}
"""


BOOKS = f"""
2024-01-01 * "期初" #opening
  {BANK}   200000.00 CNY
  {OFFICE}   360000.00 CNY
  {DEPRECIATION}   -120000.00 CNY
  Equity:301-资本
2024-06-15 * "购建冷棚"
  {SHED}   64000.00 CNY
  {BANK}
2025-12-31 * "计提2024-2025年折旧"
  Expenses:513-管理费用:51301-折旧费   9599.94 CNY
  Expenses:514-公益支出:51401-折旧费   18000.00 CNY
  {DEPRECIATION}
"""
# 村部办公楼: 360000 / 480 = 750.00 a month, 24 months: 18000.00 (public welfare: 514);
# 冷棚: 64000 / 120 = 533.33 a month from July 2024, 18 months: 9599.94.

PAYMENTS = (
    receipt("2024-12-20", "5000.00")  # partial
    + receipt("2025-01-15", "7000.00")  # the rest of 2024's rent, after its due date
    + receipt("2025-12-31", "6000.00")  # half of 2025's
    + receipt("2024-04-10", "10000.00", "C2024-02")
    + receipt("2025-04-01", "2493.15", "C2024-02")
)

LEDGER = REGISTERS + BOOKS + PAYMENTS


def messages(text: str) -> list[str]:
    _, errors, _ = load(text)
    return [e.message for e in errors]


def test_the_example_ledger_is_clean() -> None:
    assert messages(LEDGER) == []


# --- schedules, due, received, arrears ---------------------------------------------------


def test_a_yearly_rent_paid_at_the_end_of_each_year() -> None:
    contract = registers.read(load(LEDGER)[0]).contracts["C2024-01"]
    assert [(i.due.isoformat(), i.amount) for i in contract.schedule()] == [
        ("2024-12-31", D("12000.00")),
        ("2025-12-31", D("12000.00")),
        ("2026-12-31", D("12000.00")),
    ]
    assert contract.total == D("36000.00")


def test_a_contract_ending_mid_year_pays_its_share_of_the_last_period() -> None:
    contract = registers.read(load(LEDGER)[0]).contracts["C2024-02"]
    # in advance: 2024-04-01 a full year; 2025-04-01 for the 91 days to 2025-06-30 of 365.
    assert [(i.due.isoformat(), i.amount) for i in contract.schedule()] == [
        ("2024-04-01", D("10000.00")),
        ("2025-04-01", D("2493.15")),
    ]


def rows(year: int) -> dict[str, register_reports.ContractRow]:
    books = village_books(LEDGER)
    return {row.contract: row for row in register_reports.contract_rows(books, year)}


def figures(row: register_reports.ContractRow) -> tuple:
    return row.due, row.received, row.arrears, row.expires_in_days


def test_partial_and_late_payments_by_year() -> None:
    first, second = rows(2024), rows(2025)
    # 2024: 12000 due on 12-31, 5000 paid on 12-20 → 7000 in arrears; 730 days left.
    assert figures(first["C2024-01"]) == (D("12000.00"), D("5000.00"), D("7000.00"), 730)
    # 2025: 7000 more on 01-15 (late) and 6000 on 12-31: 24000 due, 18000 paid.
    assert figures(second["C2024-01"]) == (D("24000.00"), D("18000.00"), D("6000.00"), 365)
    # mid-year end: 10000 paid in 2024, the 2493.15 share on time; ended 184 days ago.
    assert figures(first["C2024-02"]) == (D("10000.00"), D("10000.00"), D("0.00"), 181)
    assert figures(second["C2024-02"]) == (D("12493.15"), D("12493.15"), D("0.00"), -184)
    # declared instalments, none paid; not yet signed in 2024.
    assert figures(second["C2025-01"]) == (D("7000.00"), D("0.00"), D("7000.00"), 0)
    assert "C2025-01" not in first


def test_without_a_year_the_report_stands_at_the_last_transaction() -> None:
    books = village_books(LEDGER)
    assert register_reports.as_of(books, None) == datetime.date(2025, 12, 31)


@pytest.mark.parametrize("seed", range(40))
def test_generated_schedules_add_up(seed: int) -> None:
    """Any term, period and timing: one instalment per period begun, inside the term, the
    full rent for full periods and a share by days for a short last one."""
    rng = random.Random(seed)
    start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    end = start + datetime.timedelta(days=rng.randrange(30, 2000))
    every = rng.choice(list(registers.PERIODS.values()))
    contract = registers.Contract(
        "C1", "甲", start, "R1", start, end, D("1200.00"), every, rng.choice(["期初", "期末"]), {}
    )
    schedule = contract.schedule()
    assert all(start <= i.due <= end for i in schedule)
    assert [i.due for i in schedule] == sorted(i.due for i in schedule)
    full = [i for i in schedule if i.amount == D("1200.00")]
    assert len(full) >= len(schedule) - 1
    assert all(D("0") < i.amount <= D("1200.00") for i in schedule)
    after_last_full = registers.add_months(start, every * len(full))
    assert (len(schedule) > len(full)) == (after_last_full <= end)


# --- the checks ------------------------------------------------------------------------


def test_cost_in_the_books_but_not_on_the_register() -> None:
    tractor = """
2025-03-01 * "购买拖拉机"
  Assets:151-固定资产:15103-拖拉机   50000.00 CNY
  Assets:102-银行存款:10201-农商行
"""
    [message] = messages(LEDGER + tractor)
    assert "15103-拖拉机 账面余额 50,000.00 元" in message and "资产台账上没有" in message


def test_cost_on_the_register_differs_from_the_books() -> None:
    text = LEDGER.replace("cost: 360000.00 CNY", "cost: 380000.00 CNY")
    found = messages(text)
    assert any(
        "15101-村部办公楼 账面余额 360,000.00 元, 台账原值合计 380,000.00 元" in m
        and "相差 -20,000.00 元" in m
        for m in found
    ), found


def test_accumulated_depreciation_differs_from_the_books() -> None:
    text = LEDGER.replace("9599.94 CNY", "9499.94 CNY")
    [message] = messages(text)
    assert "累计折旧 (152) 账面 147,499.94 元, 台账累计折旧合计 147,599.94 元" in message
    assert "A001 村部办公楼 138,000.00" in message and "A002 冷棚 9,599.94" in message
    assert "相差 -100.00 元" in message


def test_a_ledger_without_assets_is_not_held_to_a_register() -> None:
    assert messages(BOOKS) == []


def test_receipt_linked_to_an_undeclared_contract() -> None:
    [message] = messages(LEDGER + receipt("2025-05-01", "100.00", "C2024-09"))
    assert "未声明的合同 C2024-09" in message


def test_receipt_before_signing_and_after_the_term() -> None:
    early = receipt("2023-12-01", "100.00")
    late = receipt("2026-01-05", "5000.00", "C2024-02")
    found = messages(LEDGER + early + late)
    assert len(found) == 2, found
    assert "早于合同 C2024-01 的签订日期 2023-12-20" in found[0]
    assert "期满 (2025-06-30) 之后" in found[1] and "超过合同全部租金 12,493.15 元" in found[1]


def test_arrears_received_after_the_term_are_clean() -> None:
    short = LEDGER.replace("end: 2026-12-31", "end: 2024-12-31").replace(
        receipt("2025-12-31", "6000.00"), ""
    )
    assert messages(short) == []  # 7000.00 of 2024's rent came on 2025-01-15


SOLAR = """
2024-01-01 custom "cunzhang-option" "contract_threshold" 50000
2024-03-01 custom "contract" "C2024-03" "青石光伏科技有限公司"
  subject: "A001"
  start: 2024-03-01
  end: 2044-02-29
  rent: 8000.00 CNY
"""
STEPS = "".join(
    f'2024-02-{day:02d} custom "contract-step" "C2024-03" "{step}"\n'
    for day, step in zip(range(1, 6), ("提议", "商议", "审议", "决议", "决议公开"), strict=True)
)


def test_contract_above_the_threshold_decided_before_signing_is_clean() -> None:
    assert messages(LEDGER + SOLAR + STEPS) == []


def test_contract_above_the_threshold_without_its_steps() -> None:
    late = STEPS.replace('2024-02-04 custom "contract-step" "C2024-03" "决议"', "").replace(
        "2024-02-05", "2024-03-05"
    )
    [message] = messages(LEDGER + SOLAR + late)
    assert "C2024-03" in message and "160,000.00" in message
    assert "决议(未记录)" in message and "决议公开(2024-03-05)" in message


def test_township_review_adds_a_step_and_no_threshold_needs_none() -> None:
    review = '2024-01-01 custom "cunzhang-option" "township_review" TRUE\n'
    [message] = messages(LEDGER + SOLAR + STEPS + review)
    assert "乡镇审核(未记录)" in message
    no_threshold = SOLAR.replace('custom "cunzhang-option" "contract_threshold" 50000', "")
    assert messages(LEDGER + no_threshold.replace("2024-01-01 \n", "")) == []


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ("cost: 64000.00 CNY", "", "cost 原值"),
        ("life: 10", "", "life 使用年限"),
        ('use: "出租"', 'use: "借用"', "use 使用情况"),
        ('subject: "R003"', 'subject: "R404"', "标的 R404 不在资源台账或资产台账上"),
        ('"C2025-01" "李四"', '"合同一" "李四"', "C 加数字"),
        ("start: 2024-04-01", "start: 2025-07-01", "start/end 起止日期"),
        (
            '2025-03-01 custom "contract-due" "C2025-01"',
            '2025-03-01 custom "contract-due" "C9"',
            "C9 未声明",
        ),
    ],
)
def test_malformed_register_declarations(before: str, after: str, words: str) -> None:
    assert before in LEDGER
    found = messages(LEDGER.replace(before, after, 1))
    assert any(words in m for m in found), found


# --- reports ----------------------------------------------------------------------------


def test_assets_and_resources_tables() -> None:
    books = village_books(LEDGER)
    assets = {row.asset: row for row in register_reports.asset_rows(books, 2025)}
    assert (assets["A001"].cost, assets["A001"].depreciation, assets["A001"].net) == (
        D("360000.00"),
        D("138000.00"),
        D("222000.00"),
    )
    assert assets["A001"].public_welfare == "是"
    assert (assets["A002"].depreciation, assets["A002"].contract) == (D("9599.94"), "")
    assert register_reports.asset_rows(books, 2024)[1].contract == "C2024-02"
    resources = {(r.kind, r.status): r for r in register_reports.resource_rows(books, 2025)}
    farmland = resources["耕地", "发包"]
    assert (farmland.area, farmland.contracted, farmland.share) == (D("100"), D("100"), 1)
    assert resources["耕地", "未利用"].share == 0
    assert resources["林地", "自营"].contracted == D("200")  # C2025-01 in force


def write_village(ledgers: Path, name: str) -> Path:
    """A village ledger on disk holding :data:`LEDGER`."""
    folder = new_village(ledgers, f"测试镇/{name}", datetime.date(2024, 1, 1))
    accounts = "\n".join(
        f'2024-01-01 open {account} CNY\n  code: "{account.split(":")[-1][:5]}"'
        for account in (BANK, RENT, OFFICE, SHED, *EXPENSES)
    )
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write("\n" + accounts + "\n")
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(REGISTERS)
    (folder / "journal" / "2024.beancount").write_text(BOOKS + PAYMENTS, "utf-8")
    return folder


def test_report_cli_over_a_township(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "cache"))
    ledgers = tmp_path / "ledgers"
    for name in ("甲村", "乙村"):
        write_village(ledgers, name)
    assert run_cli("check", "测试镇", ledgers=ledgers).exit_code == 0
    result = run_cli(
        "report", "contracts", "测试镇", "--year", "2025", "--format", "json", ledgers=ledgers
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert [(r["township"], r["village"], r["contract"]) for r in table[:3]] == [
        ("测试镇", "乙村", "C2024-01"),
        ("测试镇", "乙村", "C2024-02"),
        ("测试镇", "乙村", "C2025-01"),
    ]
    assert {r["village"] for r in table} == {"甲村", "乙村", "合计"}
    assert table[0]["subject"] == "R001 东山坡耕地" and table[0]["arrears"] == "6000.00"
    assert table[-1]["village"] == "合计" and table[-1]["arrears"] == "26000.00"
    text = run_cli("report", "assets", "测试镇/甲村", "--year", "2025", ledgers=ledgers).stdout
    assert "村部办公楼" in text and "222,000.00" in text
    csv_text = run_cli("report", "resources", "测试镇", "--format", "csv", ledgers=ledgers).stdout
    assert csv_text.splitlines()[0].startswith("乡镇,村,类别,状态")
    assert "合计" in csv_text.splitlines()[-1]


def test_fava_page_shows_the_registers_and_opens_a_contract(tmp_path) -> None:
    from fava.util import slugify

    from scripts.serve import make_app

    folder = write_village(tmp_path / "ledgers", "甲村")
    client = make_app([folder]).test_client()
    slug = slugify("测试镇 甲村")
    page = client.get(f"/{slug}/extension/Registers/?time=2025")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for figure in ("24,000.00", "18,000.00", "6,000.00", "222,000.00", "东山坡耕地"):
        assert figure in html, figure
    assert "?contract=C2024-01#schedule" in html
    detail = client.get(f"/{slug}/extension/Registers/?contract=C2024-01&time=2025")
    html = unquote(detail.get_data(as_text=True))
    # the schedule with the amount due to date, the receipts with the received to date
    for text in ("2025-12-31", "24,000.00", "5,000.00", "7,000.00", "12,000.00", "18,000.00"):
        assert text in html, text
    assert "^C2024-01" in html  # the receipts in the journal
    assert client.get(f"/{slug}/extension/Registers/?contract=C9").status_code == 400


def test_disclosure_sections_from_the_registers() -> None:
    from projects import disclosure
    from projects.periods import parse_period

    shown = disclosure.compute(village_books(LEDGER), parse_period("2025Q2"))
    leases = {row["contract"]: row for row in shown.registers["leases"]}
    # at 2025-06-30: 2024's 12000 paid (5000 + 7000), 2025's not yet due; C2025-01's 3000 is.
    assert (leases["C2024-01"]["due"], leases["C2024-01"]["arrears"]) == (D("12000.00"), 0)
    assert (leases["C2025-01"]["due"], leases["C2025-01"]["arrears"]) == (D("3000.00"), 3000)
    assert {(r["kind"], r["status"], r["area"]) for r in shown.registers["resources"]} == {
        ("耕地", "发包", D("100")),
        ("耕地", "未利用", D("30")),
        ("林地", "自营", D("200")),
    }
    assert shown.to_json()["registers"]["leases"][0]["due"] == "12000.00"
    plain = disclosure.compute(village_books(BOOKS), parse_period("2025Q2"))
    assert plain.registers == {}
