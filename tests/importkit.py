"""Helpers for the import tests: spreadsheets made with openpyxl, villages with opening balances."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import openpyxl
import pytest

from scripts.village import new_village

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
BANK = "Assets:102-银行存款:10201-青石农商行"
JOURNAL_HEADER = ["日期", "凭证号", "摘要", "对方科目", "借方金额", "贷方金额", "余额", "项目编号"]


def sample(name: str) -> Path:
    """A shared sample spreadsheet; fails loudly when ../shared/samples is missing."""
    path = SAMPLES / name
    if not path.is_file():
        pytest.fail(f"shared sample missing: {path} (the tests need ../shared/samples)")
    return path


def workbook(path: Path, sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None):
    """Write an .xlsx with one sheet per entry (rows of cell values) and return its path."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def journal(path: Path, rows: list[list], opening: float = 1000.0, title_lines=None) -> Path:
    """A one-sheet bank journal of the given movements (date, voucher, summary, counter, in, out,
    balance, project), under a title and an 账号 line and after a 期初余额 row."""
    above = title_lines or [["东山村银行存款日记账"], ["开户行:青石农商行 账号:6230****0001"]]
    body = [*above, JOURNAL_HEADER, [None, None, "期初余额", None, None, None, opening]]
    return workbook(path, {"1月": [*body, *rows]})


def village(ledgers: Path, name: str = "青石镇/东山村", opening: str = "1000.00") -> Path:
    """A new village whose bank account (账号 6230****0001) opens with ``opening`` on 1 January."""
    folder = new_village(ledgers, name, datetime.date(2024, 1, 1))
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n2024-01-01 open {BANK} CNY\n  code: "10201"\n  name: "青石农商行"\n'
            '  account_number: "6230****0001"\n'
            '2024-01-01 open Equity:322-收益分配:32202-未分配收益 CNY\n  code: "32202"\n'
            '  name: "未分配收益"\n'
        )
    with (folder / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n2024-01-01 * "期初余额" #opening\n  {BANK}  {opening} CNY\n'
            "  Equity:322-收益分配:32202-未分配收益\n"
        )
    return folder


def declare_project(folder: Path, project: str = "P2024-01") -> None:
    """Declare a project decided and made public in January (README's example)."""
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n2024-01-05 custom "project" "{project}" "香菇基地扩建"\n  kind: "产业项目"\n'
            f'  budget: 600000.00 CNY\n2024-01-18 custom "project-step" "{project}" "决议"\n'
            f'2024-01-25 custom "project-step" "{project}" "决议公开"\n'
        )


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder (and every folder) with the sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "/"
        for p in sorted(folder.rglob("*"))
    }
