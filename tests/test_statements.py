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
    assert available == rows["四、净收益"] + rows["加: 年初未分配收益"] + rows.get("其他转入", 0)
    shared = rows["减: 提取公积公益金"] + rows["成员分配"] + rows.get("其他分配", 0)
    assert rows["六、年末未分配收益"] == available - shared
    sheet = {line.label: line.amounts for line in statements.balance_sheet(village, year)}
    assert sheet["未分配收益"][1] == rows["六、年末未分配收益"]
    assert sheet["资产总计"] == sheet["负债和所有者权益总计"]


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
