"""``cunzhang export --parquet``: every posting, exact amounts, one partition per village."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import beanquery
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from beancount.core import data

from projects.layout import MAIN, villages_under
from projects.ledger import load
from tests.conftest import DEMO, copy_demo, run_cli
from tests.importkit import journal, village

SUMS = "SELECT account, sum(number) AS total WHERE currency = 'CNY' GROUP BY account"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo township exported once for the module."""
    out = tmp_path_factory.mktemp("parquet")
    result = run_cli("export", "--parquet", str(out), str(DEMO))
    assert result.exit_code == 0, result.output
    return out


def read(out: Path) -> pd.DataFrame:
    """The dataset as an analyst reads it with pandas (hive partitions become columns)."""
    return pd.read_parquet(out)


def test_every_village_has_its_partition(exported: Path) -> None:
    names = [folder.name for folder in villages_under(DEMO)]
    for name in names:
        assert (exported / "township=青石镇" / f"village={name}" / "part-0.parquet").is_file()
    frame = read(exported)
    assert sorted(frame["village"].unique()) == sorted(names)
    assert set(frame["township"]) == {"青石镇"}


def test_totals_per_account_equal_beanquery_per_village(exported: Path) -> None:
    frame = read(exported)
    for folder in villages_under(DEMO):
        connection = beanquery.connect(f"beancount:{folder / MAIN}")
        expected = dict(connection.execute(SUMS).fetchall())
        rows = frame[frame["village"] == folder.name]
        got = {a: sum(g, Decimal(0)) for a, g in rows.groupby("account")["amount"]}
        assert got == expected, folder.name
        transactions = [e for e in load(folder).entries if isinstance(e, data.Transaction)]
        assert len(rows) == sum(len(t.postings) for t in transactions)


def test_amounts_are_exact_decimals_never_floats(exported: Path) -> None:
    schema = ds.dataset(exported, partitioning="hive").schema
    assert schema.field("amount").type == pa.decimal128(18, 2)
    assert schema.field("date").type == pa.date32()
    amounts = read(exported)["amount"]
    assert all(isinstance(a, Decimal) for a in amounts)
    assert sum(amounts, Decimal(0)) == 0  # every transaction balances, to the cent


def test_postings_carry_their_source_spreadsheet(ledgers: Path, tmp_path: Path) -> None:
    folder = village(ledgers)
    sheet = journal(
        tmp_path / "东山村日记账.xlsx",
        [
            ["2024-01-05", "记-1", "收到香菇销售款", "经营收入-香菇销售", 500, None, 1500],
            ["2024-01-08", "记-2", "购办公用品", "管理费用-办公费", None, 200, 1300],
        ],
    )
    imported = run_cli("import", "青石镇/东山村", str(sheet), "--create-accounts", ledgers=ledgers)
    assert imported.exit_code == 0, imported.output
    result = run_cli("export", "--parquet", str(tmp_path / "out"), ledgers=ledgers)
    assert result.exit_code == 0, result.output
    frame = read(tmp_path / "out")
    sale = frame[frame["account"] == "Income:501-经营收入:50101-香菇销售"].iloc[0]
    assert sale["amount"] == Decimal("-500.00") and sale["code"] == "50101"
    assert (sale["sheet"], sale["row"], sale["voucher"]) == ("1月", 5, "记-1")
    assert (folder / sale["document"]).is_file()
    assert sale["document"].endswith("东山村日记账.xlsx")
    assert sale["file"] == "journal/2024.beancount"
    assert str(sale["date"]) == "2024-01-05"
    opening = frame[frame["tags"] == "opening"]
    assert not opening.empty and opening["document"].isna().all()


def test_a_village_with_errors_is_listed_and_not_written(tmp_path: Path) -> None:
    township = copy_demo(tmp_path / "ledgers" / "青石镇")
    with (township / "西河村" / MAIN).open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2024-06-01 * "坏分录"\n  Assets:999-不存在  1.00 CNY\n  Assets:101-库存现金\n'
        )
    with (township / "北坡村" / MAIN).open("a", encoding="utf-8") as handle:
        cash = "Assets:101-库存现金"
        handle.write(f'\n2024-06-01 * "厘"\n  {cash}  0.005 CNY\n  {cash}  -0.005 CNY\n')
    out = tmp_path / "out"
    result = run_cli("export", "--parquet", str(out), str(township))
    assert result.exit_code == 1
    assert "✗ 青石镇/西河村: 未导出" in result.stderr and "个错误" in result.stderr
    assert "✗ 青石镇/北坡村: 未导出" in result.stderr
    assert f"{MAIN}:" in result.stderr and "金额 0.005 不是整分" in result.stderr
    written = sorted(p.parent.name for p in out.rglob("part-0.parquet"))
    assert written == ["village=东山村", "village=南岭村"]
    assert "导出 exported: 2 个村 villages" in result.stdout
