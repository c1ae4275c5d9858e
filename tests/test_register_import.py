"""资产台账 and 合同台账 spreadsheets: imported as declarations, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import registers
from projects.ledger import load
from tests.conftest import run_cli
from tests.importkit import snapshot, village, workbook

SHED = "Assets:151-固定资产:15101-冷棚"
ASSET_HEADER = [
    "资产编号", "资产名称", "资产类别", "会计科目", "原值", "入账日期",
    "使用年限", "累计折旧", "坐落位置", "使用状态", "是否公益性",
]  # fmt: skip
SHED_ROW = [
    "A001", "冷棚", "构筑物", "固定资产-冷棚", "64,000.00", "2024-12-31",
    10, 6400, "一组", "出租", "否",
]  # fmt: skip
CONTRACT_HEADER = [
    "合同编号", "承租方", "标的编号", "签订日期", "起始日期", "终止日期",
    "年租金", "缴费周期", "缴费时间",
]  # fmt: skip
CONTRACT_ROW = [
    "C2025-01", "青石菌业合作社", "A001", "2024-12-20", "2025-01-01", "2027-12-31",
    "8,000.00", "半年", "期末",
]  # fmt: skip


@pytest.fixture
def folder(ledgers: Path) -> Path:
    """A village whose books hold the 冷棚 (64,000.00, 6,400.00 depreciated) on 2024-12-31."""
    folder = village(ledgers)
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write(f'2024-01-01 open {SHED} CNY\n  code: "15101"\n  name: "冷棚"\n')
    with (folder / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n2024-12-31 * "冷棚入账"\n  {SHED}   64000.00 CNY\n'
            "  Assets:152-累计折旧   -6400.00 CNY\n  Equity:301-资本\n"
        )
    return folder


def register(path: Path, header: list, *rows: list) -> Path:
    return workbook(path, {"台账": [["东山村资产台账"], header, *rows]})


def imported(ledgers: Path, *files: Path) -> None:
    result = run_cli("import", "青石镇/东山村", *map(str, files), ledgers=ledgers)
    assert result.exit_code == 0, result.stdout + result.stderr


def refused(ledgers: Path, folder: Path, path: Path) -> str:
    before = snapshot(folder)
    result = run_cli("import", "青石镇/东山村", str(path), ledgers=ledgers)
    assert result.exit_code == 1, result.stdout
    assert snapshot(folder) == before
    assert "Traceback" not in result.stderr
    return result.stderr


def test_asset_then_contract_register(ledgers: Path, folder: Path, tmp_path: Path) -> None:
    imported(ledgers, register(tmp_path / "资产.xlsx", ASSET_HEADER, SHED_ROW))
    imported(ledgers, register(tmp_path / "合同.xlsx", CONTRACT_HEADER, CONTRACT_ROW))
    text = (folder / "projects.beancount").read_text("utf-8")
    assert '2024-12-31 custom "asset" "A001" "冷棚"' in text
    assert '2024-12-20 custom "contract" "C2025-01" "青石菌业合作社"' in text
    loaded = load(folder)
    assert loaded.errors == []
    found = registers.read(loaded.entries)
    shed = found.assets["A001"]
    assert (shed.account, shed.cost, shed.life, shed.depreciated, shed.use) == (
        SHED, 64000, 10, 6400, "出租",
    )  # fmt: skip
    contract = found.contracts["C2025-01"]
    assert (contract.every, contract.pay, contract.total) == (6, "期末", 24000)
    # importing the same files again adds nothing
    imported(ledgers, register(tmp_path / "资产.xlsx", ASSET_HEADER, SHED_ROW))
    assert (folder / "projects.beancount").read_text("utf-8") == text


def replaced(row: list, index: int, value: object) -> list:
    return [*row[:index], value, *row[index + 1 :]]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([SHED_ROW, SHED_ROW], "A001 重复"),
        ([replaced(SHED_ROW, 3, "固定资产-仓库")], "D列(会计科目)"),
        ([replaced(SHED_ROW, 3, "银行存款-青石农商行")], "不是资产台账的科目"),
        ([replaced(SHED_ROW, 9, "借给邻村")], "应为 自营、出租 或 闲置"),
        ([replaced(SHED_ROW, 0, "资产一")], "应为英文字母和数字"),
        ([replaced(SHED_ROW, 4, "-5")], "E列(原值): 应为正数"),
        ([replaced(SHED_ROW, 6, "十年")], "应为年数"),
        ([replaced(SHED_ROW, 4, "70,000.00")], "台账原值合计 70,000.00 元"),  # not the books
    ],
)
def test_asset_register_refusals(
    ledgers: Path, folder: Path, tmp_path: Path, rows: list, message: str
) -> None:
    stderr = refused(ledgers, folder, register(tmp_path / "资产.xlsx", ASSET_HEADER, *rows))
    assert message in stderr, stderr


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (replaced(CONTRACT_ROW, 0, "东山-2025-01"), "应为 C 加数字"),
        (replaced(CONTRACT_ROW, 2, "R009"), "R009 不在账套的资源台账或资产台账上"),
        (replaced(CONTRACT_ROW, 5, "2024-06-30"), "早于起始日期"),
        (replaced(CONTRACT_ROW, 7, "两年"), "应为 年、半年、季 或 月"),
        (replaced(CONTRACT_ROW, 8, "随时"), "应为 期初 或 期末"),
    ],
)
def test_contract_register_refusals(
    ledgers: Path, folder: Path, tmp_path: Path, row: list, message: str
) -> None:
    imported(ledgers, register(tmp_path / "资产.xlsx", ASSET_HEADER, SHED_ROW))
    stderr = refused(ledgers, folder, register(tmp_path / "合同.xlsx", CONTRACT_HEADER, row))
    assert message in stderr, stderr


def test_a_contract_declared_already_is_refused(
    ledgers: Path, folder: Path, tmp_path: Path
) -> None:
    imported(ledgers, register(tmp_path / "资产.xlsx", ASSET_HEADER, SHED_ROW))
    imported(ledgers, register(tmp_path / "合同.xlsx", CONTRACT_HEADER, CONTRACT_ROW))
    changed = replaced(CONTRACT_ROW, 6, "9,000.00")
    stderr = refused(ledgers, folder, register(tmp_path / "合同2.xlsx", CONTRACT_HEADER, changed))
    assert "C2025-01 重复" in stderr
