"""Income bands: both bases labelled, the basis a ledger option, exact edges.

An edge belongs to the band above it (统计分组 上限不在内): exactly 50 000 is 5万至10万元,
exactly 100 000 is 10万元以上; zero and less is the basis's own "none" band.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects import options, reports
from tests.ledgertext import load, village_books

BANDS = (Decimal("50000"), Decimal("100000"))
CENT = Decimal("0.01")
#: (amount, band index): each edge, a cent either side, zero and a loss.
EDGES = [
    (Decimal("-1"), 0),
    (Decimal("0"), 0),
    (CENT, 1),
    (BANDS[0] - CENT, 1),
    (BANDS[0], 2),
    (BANDS[0] + CENT, 2),
    (BANDS[1] - CENT, 2),
    (BANDS[1], 3),
    (BANDS[1] + CENT, 3),
]


@pytest.mark.parametrize("basis", options.INCOME_BASES)
@pytest.mark.parametrize(("amount", "index"), EDGES)
def test_the_edges_belong_to_the_band_above(basis: str, amount: Decimal, index: int) -> None:
    names = reports.band_names(BANDS, basis)
    assert names[1:] == ("5万元以下", "5万至10万元", "10万元以上")
    assert reports.band(amount, BANDS, basis) == names[index]


@pytest.mark.parametrize("edges", [("30000", "80000"), ("12500", "200000")])
def test_other_edges_name_their_bands(edges: tuple[str, str]) -> None:
    low, high = (Decimal(e) for e in edges)
    names = reports.band_names((low, high), "集体经营性收入")
    assert names[2] == f"{reports.wan(low)}至{reports.wan(high)}元"
    assert reports.band(high, (low, high), "集体经营性收入") == names[3]
    assert reports.band(low, (low, high), "集体经营性收入") == names[2]
    assert reports.wan(Decimal("12500")) == "1.25万"


def year(income: str, spending: str, basis: str | None) -> str:
    """A year with 501 income, 511 spending and 503 subsidies (never in either basis)."""
    option = f'2024-01-01 custom "cunzhang-option" "income_basis" "{basis}"\n' if basis else ""
    return (
        option
        + f"""
2024-03-01 * "香菇"
  Assets:102-银行存款:10201-农商行   {income} CNY
  Income:501-经营收入:50101-香菇销售  -{income} CNY
2024-04-01 * "成本"
  Expenses:511-经营支出:51101-香菇   {spending} CNY
  Assets:102-银行存款:10201-农商行   -{spending} CNY
2024-05-01 * "运转经费"
  Assets:102-银行存款:10201-农商行   300000.00 CNY
  Income:503-补助收入               -300000.00 CNY
"""
    )


@pytest.mark.parametrize(
    ("income", "spending", "basis", "band"),
    [
        ("100000.00", "0.00", None, "10万元以上"),  # the default basis: 集体经营性收入
        ("100000.00", "0.00", "集体经营性收入", "10万元以上"),
        ("160000.00", "60000.00", "经营收益", "10万元以上"),  # 经营收益 exactly 100 000
        ("160000.00", "60000.01", "经营收益", "5万至10万元"),
        ("160000.00", "110000.00", "经营收益", "5万至10万元"),  # exactly 50 000
        ("160000.00", "170000.00", "经营收益", "无经营收益 (含亏损)"),
        ("160000.00", "170000.00", "集体经营性收入", "10万元以上"),
    ],
)
def test_the_ledger_chooses_the_basis_and_every_row_says_which(
    income: str, spending: str, basis: str | None, band: str
) -> None:
    books = village_books(year(income, spending, basis))
    [row] = reports.income_rows(books)
    chosen = basis or "集体经营性收入"
    assert row.basis == reports.INCOME_BASES[chosen][0]
    assert row.band == band
    assert row.operating == Decimal(income)
    assert row.earnings == Decimal(income) - Decimal(spending)  # 补助收入 is not in it


def test_an_unknown_basis_is_refused() -> None:
    entries, _, _ = load(year("1.00", "0.00", "总收入"), plugin=False)
    with pytest.raises(ValueError, match="income_basis"):
        options.read(entries)
