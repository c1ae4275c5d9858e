"""Funds that posted secretaries bring in (projects.funds): one small ledger per case, with
figures computed by hand, and generated splits and orders for the matching rule."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects import disclosure, funds, model, options, reports
from projects.disclosure_render import render_html
from projects.periods import parse_period
from tests.ledgertext import village_books

BANK = "Assets:102-银行存款:10201-农商行"
EARMARK = "Liabilities:241-专项应付款:24101-冷棚改造"
UNIT = "市某局"

HEAD = f"""
2023-09-01 custom "secretary" "甲书记" "{UNIT}"
  until: 2025-08-31
2023-01-01 * "期初" #opening
  {BANK}   10.00 CNY
  Equity:301-资本
"""


def D(text: str | int) -> Decimal:
    return Decimal(text)


def landed(date: str, amount: str, *meta: str, unit: str = UNIT) -> str:
    lines = "".join(f"\n  {m}" for m in meta)
    return f'{date} custom "fund-landed" "{unit}" "帮扶资金" {amount} CNY{lines}\n'


def receipt(
    date: str, amount: str, payee: str = UNIT, funder: str | None = None, to: str = EARMARK
) -> str:
    meta = f'\n  funder: "{funder}"' if funder else ""
    return f'{date} * "{payee}" "收款"{meta}\n  {BANK}   {amount} CNY\n  {to}\n'


def row(text: str) -> reports.FundRow:
    [found] = [r for r in reports.fund_rows(village_books(HEAD + text)) if r.unit == UNIT]
    return found


# --- instalments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instalments",
    [
        [("2024-03-01", "150000.00"), ("2024-03-20", "150000.00")],
        [("2024-02-10", "100000.00"), ("2024-02-20", "100000.00"), ("2024-03-25", "100000.00")],
        [("2024-03-30", "299999.99"), ("2024-01-02", "0.01")],
    ],
)
def test_a_claim_landed_in_instalments_is_verified(instalments) -> None:
    text = landed("2024-03-01", "300000.00")
    text += "".join(receipt(d, a) for d, a in sorted(instalments))
    found = row(text)
    assert (found.claimed, found.found, found.unverified, found.missing) == (
        D(300000),
        D(300000),
        0,
        0,
    )
    assert found.findings == []


def test_a_partly_landed_claim_shows_what_is_missing() -> None:
    found = row(landed("2024-03-01", "300000.00") + receipt("2024-03-05", "200000.00"))
    assert (found.found, found.unverified, found.missing) == (D(200000), D(300000), D(100000))
    [finding] = reports.match_claims(
        village_books(HEAD + landed("2024-03-01", "300000.00") + receipt("2024-03-05", "200000"))
    )
    assert (finding.kind, finding.amount) == ("unverified", D(100000))
    assert "还差 100,000.00 元" in finding.message


def test_two_claims_and_receipts_in_another_split_and_order() -> None:
    # 100000 claimed 03-01 and 200000 claimed 06-01; 250000 came 02-20, 50000 on 06-10.
    text = landed("2024-03-01", "100000.00") + landed("2024-06-01", "200000.00")
    text += receipt("2024-02-20", "250000.00") + receipt("2024-06-10", "50000.00")
    found = row(text)
    assert (found.claimed, found.found, found.unverified, found.missing) == (
        D(300000),
        D(300000),
        0,
        0,
    )


def test_aid_after_the_window_does_not_verify_and_is_undeclared() -> None:
    text = landed("2024-03-01", "100000.00") + receipt("2024-04-01", "100000.00")
    found = row(text)  # 31 days after the claim: outside the 30-day window
    assert (found.unverified, found.missing, found.found) == (D(100000), D(100000), D(100000))
    kinds = [f.kind for f in reports.match_claims(village_books(HEAD + text))]
    assert kinds == ["unverified", "undeclared"]


def test_each_yuan_verifies_one_claim() -> None:
    text = landed("2024-03-01", "100000.00") + landed("2024-03-02", "100000.00")
    found = row(text + receipt("2024-03-01", "100000.00"))
    assert (found.found, found.unverified, found.missing) == (D(100000), D(100000), D(100000))


# --- whose money, who remitted it --------------------------------------------------------


def test_money_passed_on_by_the_township_is_the_units() -> None:
    text = landed("2024-01-03", "60000.00")
    passed_on = row(text + receipt("2024-01-03", "60000.00", "青石镇人民政府", funder=UNIT))
    assert (passed_on.found, passed_on.unverified) == (D(60000), 0)
    assert passed_on.remitted_by == ["青石镇人民政府"]
    unnamed = row(text + receipt("2024-01-03", "60000.00", "青石镇人民政府"))
    assert (unnamed.found, unnamed.unverified, unnamed.remitted_by) == (0, D(60000), [])


def test_a_unit_remitting_anothers_money_is_not_its_aid() -> None:
    found = row(receipt("2024-01-03", "60000.00", UNIT, funder="县财政局"))
    assert found.found == 0 and found.findings == []


# --- what is aid -----------------------------------------------------------------------


def test_a_purchase_by_the_unit_is_not_aid() -> None:
    sale = receipt("2024-03-10", "350000.00", to="Income:501-经营收入:50101-香菇销售")
    found = row(landed("2024-03-01", "300000.00") + sale)
    assert (found.found, found.purchases, found.unverified) == (0, D(350000), D(300000))
    [finding] = found.findings
    assert "消费帮扶" in finding and "350,000.00" in finding


def test_a_purchase_with_old_funder_metadata_is_still_a_purchase() -> None:
    sale = receipt("2024-03-10", "50000.00", funder=UNIT, to="Income:501-经营收入:50101-香菇销售")
    found = row(landed("2024-03-01", "300000.00") + receipt("2024-03-02", "300000.00") + sale)
    assert (found.found, found.purchases, found.unverified) == (D(300000), D(50000), 0)


@pytest.mark.parametrize(
    "account",
    [
        "Income:503-补助收入:50301-帮扶资金",
        "Equity:311-公积公益金",
        "Liabilities:231-一事一议资金",
        EARMARK,
    ],
)
def test_fund_accounts_are_aid(account: str) -> None:
    found = row(landed("2024-03-01", "1000.00") + receipt("2024-03-01", "1000.00", to=account))
    assert (found.found, found.unverified) == (D(1000), 0)


def test_loans_and_other_receipts_are_not_aid_unless_the_county_says_so() -> None:
    loan = receipt("2024-03-01", "1000.00", to="Liabilities:201-短期借款:20101-借款")
    assert row(landed("2024-03-01", "1000.00") + loan).found == 0
    other = receipt("2024-03-01", "1000.00", to="Income:504-其他收入:50401-捐赠")
    assert row(other).found == 0
    county = '2020-01-01 custom "cunzhang-option" "aid_accounts" "504"\n'
    assert row(county + other).found == D(1000)


# --- in kind ---------------------------------------------------------------------------


def in_kind(date: str, amount: str, asset: str = "Assets:151-固定资产:15101-农机") -> str:
    return f"""{date} * "{UNIT}" "捐赠农机"
  funder: "{UNIT}"
  {asset}   {amount} CNY
  Equity:311-公积公益金
"""


def test_an_in_kind_claim_is_verified_by_assets_received() -> None:
    claim = landed("2024-05-01", "50000.00", "in_kind: TRUE")
    found = row(claim + in_kind("2024-05-03", "50000.00"))
    assert (found.found, found.in_kind, found.unverified) == (D(50000), D(50000), 0)
    contractor = in_kind("2024-05-03", "50000.00", "Assets:153-在建工程:15301-冷棚").replace(
        "Equity:311-公积公益金", EARMARK
    )
    assert row(claim + contractor).unverified == 0


def test_money_and_goods_do_not_verify_each_other() -> None:
    goods = row(landed("2024-05-01", "50000.00") + in_kind("2024-05-03", "50000.00"))
    assert (goods.found, goods.unverified) == (D(50000), D(50000))
    money = row(landed("2024-05-01", "50000.00", "in_kind: TRUE") + receipt("2024-05-03", "50000"))
    assert (money.found, money.unverified) == (D(50000), D(50000))


# --- secretaries -----------------------------------------------------------------------

SUCCESSION = f"""
2022-01-01 custom "secretary" "甲书记" "{UNIT}"
  until: 2023-12-31
2024-01-01 custom "secretary" "乙书记" "{UNIT}"
  until: 2025-12-31
2021-06-01 * "期初" #opening
  {BANK}   10.00 CNY
  Equity:301-资本
2021-06-01 * "香菇销售"
  {BANK}   8000.00 CNY
  Income:501-经营收入:50101-香菇销售
"""


def secretaries(text: str) -> dict[str, reports.SecretaryRow]:
    books = village_books(SUCCESSION + text)
    return {r.secretary: r for r in reports.secretary_rows(books)}


def test_successive_secretaries_of_one_unit_share_its_aid_once() -> None:
    text = receipt("2023-06-01", "200000.00") + receipt("2024-06-01", "220000.00")
    rows = secretaries(text)
    assert (rows["甲书记"].landed, rows["乙书记"].landed) == (D(200000), D(220000))
    [unit] = reports.fund_rows(village_books(SUCCESSION + text))
    assert rows["甲书记"].landed + rows["乙书记"].landed == unit.found == D(420000)
    assert unit.secretary == "甲书记、乙书记"


def test_aid_goes_to_the_secretary_the_claim_names() -> None:
    text = landed("2023-12-20", "50000.00", 'secretary: "乙书记"') + receipt("2023-12-20", "50000")
    rows = secretaries(text)
    assert (rows["甲书记"].landed, rows["乙书记"].landed) == (0, D(50000))
    assert rows["乙书记"].outside_term == D(50000)


def test_aid_outside_every_term_goes_to_the_nearest_term() -> None:
    rows = secretaries(receipt("2026-02-01", "1000.00") + receipt("2021-07-01", "500.00"))
    assert (rows["甲书记"].landed, rows["甲书记"].outside_term) == (D(500), D(500))
    assert (rows["乙书记"].landed, rows["乙书记"].outside_term) == (D(1000), D(1000))


def test_base_year_is_the_last_full_year_before_the_term() -> None:
    rows = secretaries("")
    # 甲书记 starts 2022-01-01: 2021 has a sale of 8000; 乙书记 starts 2024-01-01: no 2023 data.
    assert (rows["甲书记"].base_year, rows["甲书记"].income_before) == (2021, D(8000))
    assert rows["甲书记"].base_note == ""
    assert (rows["乙书记"].base_year, rows["乙书记"].income_before) == (None, None)
    assert rows["乙书记"].base_note == "无任前数据 (2023)"


def test_base_year_never_falls_inside_the_term() -> None:
    [row_] = reports.secretary_rows(village_books(HEAD + receipt("2024-03-01", "10.00")))
    assert row_.base_year is None and row_.base_note == "无任前数据 (2022)"  # not 2024


# --- spending by source ----------------------------------------------------------------

PROJECT = f"""
2024-01-05 custom "project" "P1" "冷棚改造"
  kind: "产业项目"
  budget: 600000.00 CNY
2024-01-10 custom "project-step" "P1" "决议"
2024-01-12 custom "project-step" "P1" "决议公开"
2024-01-20 * "{UNIT}" "帮扶资金" ^P1
  {BANK}   300000.00 CNY
  {EARMARK}
2024-02-01 * "青石镇人民政府" "衔接资金" ^P1
  funder: "县财政局"
  {BANK}   100000.00 CNY
  {EARMARK}
2024-02-05 * "青石电商服务站" "冷棚产品销售" ^P1
  funder: "青石电商服务站"
  {BANK}   28000.00 CNY
  Income:501-经营收入:50101-香菇销售
"""


def spend(amount: str) -> str:
    return f"""2024-03-01 * "工程款" ^P1
  Assets:153-在建工程:15301-冷棚   {amount} CNY
  {BANK}
"""


def test_spending_is_attributed_to_fund_sources_never_to_customers() -> None:
    books = village_books(HEAD + PROJECT + spend("500000.00"))
    found = reports.funds_of(books)
    assert found.spent == {UNIT: D(300000), "县财政局": D(100000), "村集体自筹": D(100000)}
    assert row(PROJECT + spend("500000.00")).spent == D(300000)
    partly = reports.funds_of(village_books(HEAD + PROJECT + spend("200000.00"))).spent
    assert partly == {UNIT: D(150000), "县财政局": D(50000)}
    [secretary] = reports.secretary_rows(village_books(HEAD + PROJECT + spend("200000.00")))
    assert (secretary.landed, secretary.spent) == (D(300000), D(150000))


# --- generated: instalments in random splits and orders --------------------------------


def claim(date: datetime.date, amount: Decimal) -> model.FundClaim:
    return model.FundClaim("landed", date, UNIT, "帮扶资金", amount, None, None, {})


def cents(total: int, parts: list[int]) -> list[int]:
    """``total`` cents split at the (sorted, distinct) cut points."""
    cuts = sorted({p % total for p in parts} - {0})
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def instalment_plans(draw):
    """Claims, and the receipts that pay each one in random instalments and order."""
    start = datetime.date(2024, 1, 1)
    claims, receipts = [], []
    for _ in range(draw(st.integers(1, 4))):
        date = start + datetime.timedelta(days=draw(st.integers(0, 300)))
        amount = draw(st.integers(1, 10_000_000))
        claims.append(claim(date, Decimal(amount) / 100))
        for part in cents(amount, draw(st.lists(st.integers(1, 10**9), max_size=4))):
            offset = draw(st.integers(-200, 30))  # up to the claim's window
            receipts.append((date + datetime.timedelta(days=offset), Decimal(part) / 100))
    extra = draw(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 10**6)), max_size=3))
    receipts += [(start + datetime.timedelta(days=d), Decimal(c) / 100) for d, c in extra]
    return claims, draw(st.permutations(receipts))


def as_receipts(pairs) -> list[funds.Receipt]:
    from beancount.core import data

    made = []
    for date, amount in sorted(pairs, key=lambda pair: pair[0]):
        entry = data.Transaction({}, date, "*", UNIT, "", frozenset(), frozenset(), [])
        made.append(funds.Receipt(entry, UNIT, None, amount, False, amount))
    return made


@settings(max_examples=300, deadline=None)
@given(instalment_plans())
def test_instalments_in_any_split_and_order_verify_every_claim(plan) -> None:
    claims, pairs = plan
    window = datetime.timedelta(days=options.LedgerOptions().claim_window_days)
    receipts = as_receipts(pairs)
    checks, given_ = funds.match(claims, receipts, window)
    assert all(check.verified for check in checks)
    for index, parts in given_.items():  # each yuan once
        assert sum(take for _, take in parts) <= receipts[index].amount
    for index, parts in given_.items():
        assert all(receipts[index].date <= c.claim.date + window for c, _ in parts)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 10**6)), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 260), st.integers(1, 10**6)), max_size=6),
)
def test_verified_claims_never_exceed_the_aid_received(claimed, received) -> None:
    start = datetime.date(2024, 1, 1)
    claims = [claim(start + datetime.timedelta(days=d), Decimal(c) / 100) for d, c in claimed]
    receipts = as_receipts(
        [(start + datetime.timedelta(days=d), Decimal(c) / 100) for d, c in received]
    )
    window = datetime.timedelta(days=30)
    checks, _ = funds.match(claims, receipts, window)
    total = sum((r.amount for r in receipts), Decimal(0))
    assert sum((c.claim.amount for c in checks if c.verified), Decimal(0)) <= total
    assert sum((c.found for c in checks), Decimal(0)) <= total
    # The stated rule: when every earlier claim is verified, a claim is verified exactly
    # when the aid to its date plus the window covers all the claims so far.
    so_far = Decimal(0)
    ordered = sorted(checks, key=lambda c: c.claim.date)
    for i, check in enumerate(ordered):
        so_far += check.claim.amount
        if all(c.verified for c in ordered[:i]):
            deadline = check.claim.date + window
            covered = sum((r.amount for r in receipts if r.date <= deadline), Decimal(0))
            assert check.verified == (covered >= so_far)


# --- the disclosure's 资金来源及使用 ----------------------------------------------------


def test_disclosure_lists_outside_money_by_its_real_funder_never_customers() -> None:
    text = receipt("2024-01-03", "60000.00", "青石镇人民政府", funder=UNIT)
    text += receipt(
        "2024-02-01", "38600.00", "青石商贸有限公司", to="Income:501-经营收入:50101-香菇"
    )
    text += receipt("2024-06-01", "20000.00", "青石镇人民政府", to="Income:503-补助收入:50301-运转")
    books = village_books(HEAD + text)
    shown = disclosure.compute(books, parse_period("2024"), township="青石镇")
    rows = {f["funder"]: f for f in shown.funds}
    assert set(rows) == {UNIT, "青石镇人民政府"}  # the customer only in the income section
    assert (rows[UNIT]["received"], rows[UNIT]["remitted_by"]) == (D(60000), ["青石镇人民政府"])
    assert (
        rows["青石镇人民政府"]["remitted_by"] == [] and rows["青石镇人民政府"]["received"] == 20000
    )
    page = render_html(shown)
    assert f"{UNIT} (经青石镇人民政府拨付)" in page
