"""One rule for a row's 项目编号 in every kind of sheet that has the column.

A bank journal, a voucher list and a fund register with the same project number are
accepted or refused alike, with the same message at the same row.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from beancount.core import data

from importers.run import import_files
from importers.sheet import ImportRefused
from projects.ledger import load
from projects.transaction_facts import PROJECT_LINK, project_ids
from tests.importkit import declare_project, journal, village, workbook

BAD = ["2024-01", "p2024-01", "PX-1", "P", "项目1", "Q2024-01", "P 2024", "P2024/01", "第P1"]
GOOD = ["P2024-01", "P1", "P2024.3", "P2024_a"]


def numbers(seed: int) -> list[str]:
    """The fixed cases and random texts, each a project link or not."""
    rng = random.Random(seed)
    alphabet = "P0123456789-._/ pQ项"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(6)]
    return [n for n in [*BAD, *GOOD, *made] if n.strip()]


def journal_sheet(path: Path, project: str) -> tuple[Path, str]:
    row = ["2024-01-29", "记-1", "付工程款", "在建工程-冷棚改造", None, 100, 900, project]
    return journal(path, [row]), "1月:5"


def voucher_sheet(path: Path, project: str) -> tuple[Path, str]:
    rows = [
        ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "项目编号"],
        ["2024-01-29", "记-001", "付工程款", "15301", "在建工程-冷棚改造", 100, None, project],
        [None, None, None, "10201", "银行存款-青石农商行", None, 100, None],
    ]
    return workbook(path, {"凭证列表": rows}), "凭证列表:2"


def register_sheet(path: Path, project: str) -> tuple[Path, str]:
    header = ["序号", "村", "第一书记", "派出单位", "资金名称", "协调金额", "实际到账金额"]
    rows = [
        ["青石镇驻村第一书记帮扶资金台账(2024年)"],
        [*header, "到账日期", "项目编号"],
        [1, "东山村", "王", "市某局", "帮扶资金", 1000, 1000, "2024-03-01", project],
    ]
    return workbook(path, {"2024年": rows}), "2024年:3"


SHEETS: dict[str, Callable[[Path, str], tuple[Path, str]]] = {
    "journal": journal_sheet,
    "vouchers": voucher_sheet,
    "register": register_sheet,
}


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("kind", sorted(SHEETS))
def test_every_kind_reads_the_project_number_alike(ledgers, tmp_path, kind, seed) -> None:
    folder = village(ledgers)
    declare_project(folder)
    for index, number in enumerate(numbers(seed)):
        path, where = SHEETS[kind](tmp_path / f"{kind}-{index}.xlsx", number)
        if PROJECT_LINK.fullmatch(number.strip()):
            import_files(folder, [path], create_accounts=True, dry_run=True)
            continue
        with pytest.raises(ImportRefused) as refusal:
            import_files(folder, [path], create_accounts=True, dry_run=True)
        message = f"{path.name}:{where}: 项目编号 “{number.strip()}” 应为 P 加数字, 如 P2024-01"
        assert message in str(refusal.value).splitlines(), str(refusal.value)


@pytest.mark.parametrize("kind", sorted(SHEETS))
def test_a_valid_number_reaches_the_ledger(ledgers, tmp_path, kind) -> None:
    folder = village(ledgers)
    declare_project(folder, "P2024-07")
    path, _ = SHEETS[kind](tmp_path / f"{kind}.xlsx", " P2024-07 ")
    import_files(folder, [path], create_accounts=True)
    entries = load(folder).entries
    if kind == "register":  # a register declares the claims of the project
        claims = [e for e in entries if getattr(e, "type", "") == "fund-landed"]
        assert [c.meta["project"] for c in claims] == ["P2024-07"]
    else:
        linked = [project_ids(e) for e in entries if isinstance(e, data.Transaction)]
        assert [ids for ids in linked if ids] == [{"P2024-07"}]
