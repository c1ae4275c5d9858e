"""The fund rules of projects.checks (earmarked_income, completion, release), each on a small
ledger that breaks it and one that does not."""

from __future__ import annotations

import pytest

from tests.ledgertext import load

BANK = "Assets:102-银行存款:10201-农商行"
EARMARK = "Liabilities:241-专项应付款:24101-冷棚改造"
WORK = "Assets:153-在建工程:15301-冷棚改造"
ASSET = "Assets:151-固定资产:15101-冷棚"

PROJECT = f"""
2024-01-05 custom "project" "P1" "冷棚改造"
  kind: "产业项目"
  budget: 100000.00 CNY
2024-01-10 custom "project-step" "P1" "决议"
2024-01-12 custom "project-step" "P1" "决议公开"
2024-01-01 * "期初" #opening
  {BANK}   500000.00 CNY
  Equity:301-资本
"""


def messages(text: str) -> list[str]:
    _, errors, _ = load(PROJECT + text)
    return [e.message for e in errors]


# --- earmarked money booked as 503 ------------------------------------------------------

PLEDGE = '2024-01-10 custom "fund-pledge" "市某局" "帮扶资金" 60000.00 CNY\n  project: "P1"\n'


def income(date: str, link: str = "", funder: str = "市某局", to: str = "") -> str:
    account = to or "Income:503-补助收入:50301-帮扶资金"
    return f"""{date} * "青石镇人民政府" "收到转拨资金" {link}
  funder: "{funder}"
  {BANK}   60000.00 CNY
  {account}
"""


@pytest.mark.parametrize("link", ["", "^P1"])
def test_pledged_project_money_in_503_is_reported_with_or_without_a_link(link: str) -> None:
    [message] = messages(PLEDGE + income("2024-02-03", link))
    assert "503-补助收入" in message and "241" in message


def test_pledged_project_money_in_241_is_clean() -> None:
    assert messages(PLEDGE + income("2024-02-03", "^P1", to=EARMARK)) == []


def test_503_from_a_funder_without_a_project_pledge_is_clean() -> None:
    assert messages(PLEDGE + income("2024-02-03", funder="县民政局")) == []
    assert messages(PLEDGE + income("2024-01-09")) == []  # before the pledge


# --- completion: 在建工程 cleared within the county's days -----------------------------------


def work(date: str = "2024-03-01", amount: str = "60000.00") -> str:
    return f"""2024-02-01 * "市某局" "帮扶资金" ^P1
  {BANK}   60000.00 CNY
  {EARMARK}
{date} * "工程款" ^P1
  {WORK}   {amount} CNY
  {BANK}
"""


RESULT = '2024-06-01 custom "project-step" "P1" "实施结果公开"\n'


def later(date: str) -> str:
    return f'{date} * "结息"\n  {BANK}   1.00 CNY\n  Income:504-其他收入:50401-利息\n'


def capitalise(date: str, formed: str = "60000.00", released: str = "60000.00") -> str:
    return f"""{date} * "冷棚竣工转固" ^P1
  {ASSET}   {formed} CNY
  {WORK}   -{formed} CNY
  {EARMARK}   {released} CNY
  Equity:311-公积公益金   -{released} CNY
"""


def test_construction_still_open_past_the_deadline_is_reported() -> None:
    found = messages(work() + RESULT + later("2024-09-15"))
    assert any("在建工程仍有 60,000.00 元未转入固定资产" in m for m in found)


def test_construction_cleared_or_not_yet_due_is_clean() -> None:
    assert messages(work() + RESULT + capitalise("2024-06-20") + later("2024-09-15")) == []
    not_due = messages(work() + RESULT + later("2024-08-29"))  # 89 days after 06-01
    assert not any("在建工程" in m for m in not_due)


def test_the_county_sets_the_days() -> None:
    option = '2020-01-01 custom "cunzhang-option" "capitalise_within_days" 30\n'
    found = messages(option + work() + RESULT + later("2024-07-15"))
    assert any("在建工程仍有" in m for m in found)


# --- release: 241 released after completion, no more than capitalised ------------------


def test_241_not_released_after_completion_is_reported() -> None:
    unreleased = capitalise("2024-06-20").replace(f"  {EARMARK}   60000.00 CNY\n", "")
    unreleased = unreleased.replace("  Equity:311-公积公益金   -60000.00 CNY\n", "")
    found = messages(work() + RESULT + unreleased + later("2024-09-15"))
    assert any("专项应付款 (241) 仍有 60,000.00 元未结转" in m for m in found)


def test_release_beyond_the_capitalised_is_reported() -> None:
    text = work(amount="50000.00") + capitalise("2024-06-20", "50000.00", "60000.00")
    [message] = messages(text)
    assert "累计 60,000.00 元" in message and "50,000.00" in message


def test_release_of_the_capitalised_and_return_of_the_rest_is_clean() -> None:
    text = work(amount="50000.00") + capitalise("2024-06-20", "50000.00", "50000.00")
    text += f"""2024-06-25 * "退回结余资金" ^P1
  {EARMARK}   10000.00 CNY
  {BANK}
"""
    assert messages(text + RESULT + later("2024-12-31")) == []
