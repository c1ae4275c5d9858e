"""Issue 13: the Fava 帮扶资金 page, ``cunzhang report funds`` / ``report secretaries`` and the
disclosure's 资金来源及使用 count each yuan once and agree (one computation,
projects.funds), on the demo township and on generated ledgers with a pass-through, an
instalment split and a purchase; and a unit's 已支出 opens its shares of the spending
postings, which add up to it."""

from __future__ import annotations

import html
import json
import random
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import Client

from projects import disclosure, funds, ledger
from projects.layout import villages_under
from projects.periods import parse_period
from projects.reports import VillageBooks
from projects.text import amount_text
from scripts.serve import Gate
from tests.conftest import DEMO, run_cli
from tests.favatown import BANK, add_village

#: The page's figures of a unit that the funds report has, by the report's key.
UNIT_FIGURES = ("pledged", "claimed", "found", "spent", "unverified", "missing", "purchases")
SECRETARY_FIGURES = ("landed", "outside_term", "spent")
CELL = re.compile(r'data-figure="(\w+)">(?:<a href="([^"]*)">)?([^<]*)<')


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "cache"))


def rows_of(text: str, attribute: str) -> dict[str, dict[str, tuple[str, str | None]]]:
    """Each table row carrying ``attribute`` (its data- values joined by |), with its
    figures: the shown text and the link."""
    found = {}
    pattern = rf"<tr ({attribute}[^>]*)>(.*?)</tr>"
    for head, body in re.findall(pattern, text, re.S):
        key = "|".join(html.unescape(v) for v in re.findall(r'data-\w+="([^"]*)"', head))
        found[key] = {name: (shown, href) for name, href, shown in CELL.findall(body)}
    return found


def report(name: str, target: str, year: int | None, ledgers: Path | None) -> list[dict]:
    args = ["report", name, target, "--format", "json"]
    args += ["--year", str(year)] if year else []
    result = run_cli(*args, ledgers=ledgers)
    assert result.exit_code == 0, result.output
    return [row for row in json.loads(result.stdout) if row["village"] != "合计"]


def money(value: str | None) -> str:
    return amount_text(None if value is None else Decimal(value))


def check_agreement(folder: Path, ledgers: Path | None, years: list[int | None]) -> int:
    """The page, the reports and the disclosure of every village under the township
    ``folder``, for each year; how many unit figures agreed."""
    gate = Gate(villages_under(folder))
    client = Client(gate)
    township = folder.name
    agreed = 0
    for slug in gate.ledgers.slots:
        village_folder = folder / slug.split("-", 1)[1]
        village = village_folder.name
        target = f"{township}/{village}"
        loaded = ledger.load(village_folder)
        books = VillageBooks.of(village, loaded.entries, township)
        for year in years:
            time = f"?time={year}" if year else ""
            response = client.get(f"/{quote(slug)}/extension/SupportFunds/{time}")
            assert response.status_code == 200
            text = response.get_data(as_text=True)
            units = rows_of(text, "data-unit")
            expected = report("funds", target, year, ledgers)
            assert set(units) == {row["unit"] for row in expected}, (slug, year)
            for row in expected:
                for figure in UNIT_FIGURES:
                    shown, href = units[row["unit"]][figure]
                    assert shown == money(row[figure]), (slug, year, row["unit"], figure)
                    agreed += 1
                    if figure == "spent" and href:
                        assert shares_total(client, href) == shown, (slug, year, row["unit"])
                    if figure in ("found", "purchases") and href:
                        assert postings_total(client, href) == shown, (slug, year, row, figure)
            secretaries = rows_of(text, "data-secretary")
            for row in report("secretaries", target, year, ledgers):
                cells = secretaries[f"{row['secretary']}|{row['term']}"]
                for figure in SECRETARY_FIGURES:
                    assert cells[figure][0] == money(row[figure]), (slug, year, row, figure)
            if year is not None:
                disclosed = disclosure.compute(books, parse_period(str(year)), township=township)
                by_funder = {row["funder"]: row for row in disclosed.funds}
                for row in expected:
                    if Decimal(row["found"]) == 0:
                        assert row["unit"] not in by_funder
                        continue
                    line = by_funder[row["unit"]]
                    assert line["received_to_date"] == Decimal(row["found"]), (slug, year, row)
                    assert line["used"] == Decimal(row["spent"]), (slug, year, row)
    return agreed


def postings_total(client: Client, href: str) -> str:
    """The 合计 of a figure's 明细 (its postings with their amounts)."""
    response = client.get(html.unescape(href))
    assert response.status_code == 200
    (total,) = re.findall(r'data-figure="total">([^<]*)<', response.get_data(as_text=True))
    return total


def shares_total(client: Client, href: str) -> str:
    """The 合计 of a 已支出's 明细, after checking its 份额 column adds up to it."""
    response = client.get(html.unescape(href))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    shares = [
        Decimal(s.replace(",", "")) for s in re.findall(r'data-figure="share">([^<]*)<', text)
    ]
    (total,) = re.findall(r'data-figure="total">([^<]*)<', text)
    assert amount_text(sum(shares, Decimal(0))) == total
    assert "在日记账中查看全部支出分录" in text  # Fava's journal of the full postings
    return total


def test_the_demo_page_reports_and_disclosure_agree(cache: None) -> None:
    assert check_agreement(DEMO, None, [None, 2024, 2025]) > 50


# --- generated: an instalment split, a pass-through, a purchase, shared spending ------------

PROJECT = "P2024-01"
EARMARK = "Liabilities:241-专项应付款:24101-冷棚改造"
A, B = "市甲局", "市乙局"


def generated(seed: int) -> tuple[str, str, dict[str, Decimal]]:
    """Declarations and a 2024 journal: 市甲局's claim of 60,000 landing in 2-4 instalments
    (one after the year), 市乙局's 30,000 passed on by 青石镇财政所 (``funder``), 市甲局
    buying produce (501, not aid), and odd spending on their shared project; and the
    hand-computed funds per unit for 2024."""
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, 6_000_000), rng.randint(1, 3)))
    pieces = [Decimal(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 6_000_000], strict=True)]
    spends = [Decimal(rng.randint(1, 3_000_000)) / 100 for _ in range(rng.randint(2, 5))]
    declarations = f"""
2023-09-01 custom "secretary" "甲书记" "{A}"
2023-09-01 custom "secretary" "乙书记" "{B}"
2024-01-05 custom "project" "{PROJECT}" "冷棚改造"
  kind: "产业项目"
  budget: 600000.00 CNY
2024-01-08 custom "project-step" "{PROJECT}" "提议"
2024-01-12 custom "project-step" "{PROJECT}" "商议"
2024-01-15 custom "project-step" "{PROJECT}" "审议"
2024-01-18 custom "project-step" "{PROJECT}" "决议"
2024-01-25 custom "project-step" "{PROJECT}" "决议公开"
2024-02-01 custom "fund-landed" "{A}" "帮扶资金" 60000.00 CNY
2024-02-01 custom "fund-landed" "{B}" "帮扶资金" 30000.00 CNY
"""
    journal = ""
    for day, piece in enumerate(pieces, start=1):
        date = f"2024-02-{day:02d}" if day < len(pieces) else "2025-01-10"
        journal += (
            f'{date} * "{A}" "收到帮扶资金 {day}" ^{PROJECT}\n  funder: "{A}"\n'
            f"  {BANK}   {piece} CNY\n  {EARMARK}  -{piece} CNY\n\n"
        )
    journal += (
        f'2024-02-05 * "青石镇财政所" "转拨{B}帮扶资金" ^{PROJECT}\n  funder: "{B}"\n'
        f"  {BANK}   30000.00 CNY\n  {EARMARK}  -30000.00 CNY\n\n"
        f'2024-03-01 * "{A}" "购买香菇"\n  funder: "{A}"\n'
        f"  {BANK}   5000.00 CNY\n  Income:501-经营收入:50101-香菇销售  -5000.00 CNY\n\n"
    )
    accounts = ["Expenses:511-经营支出:51101-冷棚", "Assets:153-在建工程:15301-冷棚"]
    for day, amount in enumerate(spends, start=10):
        journal += (
            f'2024-03-{day:02d} * "工程队" "冷棚支出 {day}" ^{PROJECT}\n'
            f"  {accounts[day % 2]}   {amount} CNY\n  {BANK}  -{amount} CNY\n\n"
        )
    landed_a = sum(pieces[:-1], Decimal(0))
    spent = sum(spends, Decimal(0))
    expected = {A: landed_a, B: Decimal(30000), "spent": spent, "last": pieces[-1]}
    return declarations, journal, expected


@pytest.mark.parametrize("seed", range(4))
def test_generated_page_reports_and_disclosure_agree(
    tmp_path: Path, cache: None, seed: int
) -> None:
    declarations, journal, expected = generated(seed)
    ledgers = tmp_path / "ledgers"
    add_village(ledgers, "甲村", {2024: journal}, declarations)
    assert check_agreement(ledgers / "测试镇", ledgers, [None, 2024]) == 2 * 2 * 7
    # Hand-computed: in 2024 市甲局 landed all but its last instalment and bought 5,000 of
    # produce (not aid); 市乙局's money came through the township and counts for 市乙局.
    funds_2024 = {r["unit"]: r for r in report("funds", "测试镇/甲村", 2024, ledgers)}
    assert Decimal(funds_2024[A]["found"]) == expected[A]
    assert Decimal(funds_2024[A]["purchases"]) == Decimal(5000)
    assert Decimal(funds_2024[B]["found"]) == Decimal(30000)
    assert funds_2024[B]["remitted_by"] == ["青石镇财政所"]
    assert Decimal(funds_2024[A]["missing"]) == expected["last"]
    spent = Decimal(funds_2024[A]["spent"]) + Decimal(funds_2024[B]["spent"])
    assert spent == min(expected["spent"], expected[A] + expected[B])


# --- the shares: each spending posting's share, largest remainder to the cent ----------------


def test_shares_of_a_posting_are_hand_computed() -> None:
    # 100.00 spent as 3 × 33.33 + 0.01, a unit's part 66.67: exactly 22.221111… thrice and
    # 0.006667; rounded down 66.66, and the cent left goes to the largest remainder, 0.01's.
    parts = funds.largest_remainder(Decimal("66.67"), [Decimal("33.33")] * 3 + [Decimal("0.01")])
    assert parts == [Decimal("22.22")] * 3 + [Decimal("0.01")]
    # a returned amount (negative) takes a negative share
    assert funds.largest_remainder(Decimal("50.00"), [Decimal(150), Decimal(-50)]) == [
        Decimal("75.00"),
        Decimal("-25.00"),
    ]


@given(
    st.integers(-(10**8), 10**8),
    st.lists(st.integers(-(10**7), 10**7).filter(bool), min_size=1, max_size=12),
)
def test_largest_remainder_sums_exactly_and_stays_within_a_cent(amount: int, weights) -> None:
    if sum(weights) == 0:
        weights.append(1)
    total = Decimal(amount) / 100
    parts = funds.largest_remainder(total, [Decimal(w) for w in weights])
    assert sum(parts, Decimal(0)) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < Decimal("0.01")


def test_the_county_s_aid_accounts_count_on_the_page_and_in_its_postings(
    tmp_path: Path, cache: None
) -> None:
    declarations, journal, _ = generated(7)
    declarations += '2024-01-01 custom "cunzhang-option" "aid_accounts" "504"\n'
    journal += (
        f'2024-04-02 * "{B}" "捐赠慰问金"\n  funder: "{B}"\n'
        f"  {BANK}   1234.56 CNY\n  Income:504-其他收入:50401-捐赠  -1234.56 CNY\n\n"
    )
    ledgers = tmp_path / "ledgers"
    add_village(ledgers, "甲村", {2024: journal}, declarations)
    assert check_agreement(ledgers / "测试镇", ledgers, [2024]) == 2 * 7
    funds_2024 = {r["unit"]: r for r in report("funds", "测试镇/甲村", 2024, ledgers)}
    assert Decimal(funds_2024[B]["found"]) == Decimal("30000") + Decimal("1234.56")
