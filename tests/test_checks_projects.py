"""The project rules of projects.checks, each on a ledger that breaks it and one that does not."""

from __future__ import annotations

import random
from decimal import Decimal

from tests.ledgertext import load

DECLARED = """
2024-01-05 custom "project" "P1" "冷棚改造"
  kind: "产业项目"
  budget: 100000.00 CNY
2024-01-06 custom "project-step" "P1" "提议"
2024-01-07 custom "project-step" "P1" "商议"
2024-01-08 custom "project-step" "P1" "审议"
2024-01-10 custom "project-step" "P1" "决议"
2024-01-12 custom "project-step" "P1" "决议公开"
2024-01-01 * "期初" #opening
  Assets:102-银行存款:10201-农商行   500000.00 CNY
  Equity:301-资本
"""


def messages(text: str) -> list[str]:
    _, errors, _ = load(DECLARED + text)
    return [e.message for e in errors]


def spend(date: str, amount: str, link: str = "^P1", account: str = "15301-冷棚") -> str:
    return f"""
{date} * "工程款" {link}
  Assets:153-在建工程:{account}   {amount} CNY
  Assets:102-银行存款:10201-农商行
"""


def test_spending_after_the_resolution_is_public_is_clean() -> None:
    assert messages(spend("2024-01-12", "50000.00")) == []


def test_spending_before_the_resolution_is_public_is_reported() -> None:
    [message] = messages(spend("2024-01-11", "50000.00"))
    assert "P1" in message and "冷棚改造" in message
    assert "决议公开(2024-01-12)" in message
    assert "工程款" in message


def test_township_review_required_by_the_county() -> None:
    option = '2024-01-01 custom "cunzhang-option" "township_review" TRUE\n'
    [message] = messages(option + spend("2024-02-01", "50000.00"))
    assert "乡镇审核(未记录)" in message
    reviewed = '2024-01-11 custom "project-step" "P1" "乡镇审核"\n'
    assert messages(option + reviewed + spend("2024-02-01", "50000.00")) == []


def test_moving_construction_into_fixed_assets_is_not_spending() -> None:
    text = (
        spend("2024-02-01", "50000.00")
        + """
2024-01-11 * "竣工转固" ^P1
  Assets:151-固定资产:15101-冷棚     50000.00 CNY
  Assets:153-在建工程:15301-冷棚    -50000.00 CNY
"""
    )
    assert messages(text) == []


def test_spending_beyond_budget_is_reported_once() -> None:
    text = spend("2024-02-01", "60000.00") + spend("2024-03-01", "50000.00")
    text += spend("2024-04-01", "10000.00")
    [message] = messages(text)
    assert "110,000.00" in message and "100,000.00" in message


def test_budget_tolerance_is_configurable() -> None:
    option = '2024-01-01 custom "cunzhang-option" "budget_tolerance" 0.10\n'
    text = option + spend("2024-02-01", "60000.00") + spend("2024-03-01", "50000.00")
    assert messages(text) == []


def test_link_to_an_undeclared_project_is_reported() -> None:
    [message] = messages(spend("2024-02-01", "100.00", link="^P9"))
    assert "P9" in message and "未声明" in message


def test_project_missing_required_fields_is_reported() -> None:
    [message] = messages('2024-01-05 custom "project" "P2" "道路"\n')
    assert "P2" in message and "kind" in message and "budget" in message


EARMARKED = """
2024-01-05 custom "project" "P2" "道路硬化"
  kind: "基础设施"
  budget: 100000.00 CNY
2024-01-10 custom "project-step" "P2" "决议"
2024-01-12 custom "project-step" "P2" "决议公开"
2024-01-20 * "市某局" "帮扶资金" ^P1
  funder: "市某局"
  Assets:102-银行存款:10201-农商行          60000.00 CNY
  Liabilities:241-专项应付款:24101-冷棚改造
"""


def test_earmarked_money_used_for_another_project_is_reported() -> None:
    text = (
        EARMARKED
        + """
2024-02-01 * "道路工程款" ^P2
  Liabilities:241-专项应付款:24101-冷棚改造   30000.00 CNY
  Assets:153-在建工程:15302-道路
"""
    )
    [message] = messages(text)
    assert "P1" in message and "P2" in message and "24101-冷棚改造" in message


def test_earmarked_money_used_for_its_own_project_is_clean() -> None:
    text = (
        EARMARKED
        + """
2024-02-01 * "冷棚转固" ^P1
  Assets:151-固定资产:15101-冷棚              30000.00 CNY
  Assets:153-在建工程:15301-冷棚             -30000.00 CNY
  Liabilities:241-专项应付款:24101-冷棚改造   30000.00 CNY
  Equity:311-公积公益金
"""
    )
    assert messages(text) == []


def test_earmarked_money_booked_as_subsidy_income_is_reported() -> None:
    text = """
2024-03-20 * "收到衔接资金" ^P1
  Assets:102-银行存款:10201-农商行    150000.00 CNY
  Income:503-补助收入:50301-衔接资金
"""
    [message] = messages(text)
    assert "503-补助收入" in message and "241" in message
    general = text.replace(" ^P1", "")
    assert messages(general) == []


def test_budget_reports_each_project_at_its_first_crossing_in_ledger_order() -> None:
    """Random spending on three projects (some entries linked to two, some refunds):
    one error per project that ever exceeds its budget, at the entry where its running
    total first does, in the order of the ledger."""
    rng = random.Random(12)
    for _ in range(20):
        budgets = {pid: Decimal(rng.randint(1, 6) * 10000) for pid in ("P1", "P2", "P3")}
        text = "".join(
            f'2024-01-05 custom "project" "{pid}" "项目{pid}"\n  kind: "产业项目"\n'
            f"  budget: {budget:.2f} CNY\n"
            + "".join(
                f'2024-01-{day} custom "project-step" "{pid}" "{step}"\n'
                for day, step in (("10", "决议"), ("12", "决议公开"))
            )
            for pid, budget in budgets.items()
            if pid != "P1"  # P1 is declared by DECLARED
        )
        budgets["P1"] = Decimal("100000")
        spent = dict.fromkeys(budgets, Decimal(0))
        expected = []
        for day in range(1, 29):
            linked = rng.sample(sorted(budgets), rng.choice([1, 1, 2]))
            amount = Decimal(rng.choice([-5000, 8000, 15000, 30000]))
            text += spend(f"2024-02-{day:02d}", f"{amount:.2f}", " ".join(f"^{p}" for p in linked))
            for pid in sorted(linked):
                before, spent[pid] = spent[pid], spent[pid] + amount
                if before <= budgets[pid] < spent[pid] and all(pid not in e for e in expected):
                    expected.append(f"项目 {pid} 项目{pid}" if pid != "P1" else "项目 P1 冷棚改造")
        found = [m for m in messages(text) if "超过预算" in m]
        assert [m.split(":")[0] for m in found] == expected
