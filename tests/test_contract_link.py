"""One rule for a row's 合同编号 in the journal, the bank statement and the voucher list.

A rent receipt carries its contract's link (``^C2024-01``), which ties it to the 合同台账
(projects.registers); the three sheets accept and refuse the same numbers with the same
message at the same row, and a row may name a project and a contract at once.
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
from projects.registers import CONTRACT_LINK
from tests.importkit import declare_project, village, workbook

BAD = ["2024-01", "c2024-01", "CX-1", "C", "合同1", "P2024-01", "C 2024", "C2024/01", "第C1"]
GOOD = ["C2024-01", "C1", "C2024.3", "C2024_a"]
RENT = "经营收入-出租收入"
BANK_NAME = "银行存款-青石农商行"
CONTRACT = """
2023-12-31 custom "resource" "R001" "门面房"
  kind: "建设用地"
  area: 0.1
2023-12-25 custom "contract" "C2024-02" "青石便民超市"
  subject: "R001"
  start: 2024-01-01
  end: 2028-12-31
  rent: 2400.00 CNY
  every: "半年"
  pay: "期末"
"""


def numbers(seed: int) -> list[str]:
    """The fixed cases and random texts, each a contract link or not."""
    rng = random.Random(seed)
    alphabet = "C0123456789-._/ cP合"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(6)]
    return [n for n in [*BAD, *GOOD, *made] if n.strip()]


def journal_sheet(path: Path, contract: str, project: str = "") -> tuple[Path, str]:
    header = ["日期", "凭证号", "摘要", "对方科目", "借方金额", "贷方金额", "余额", "项目编号"]
    rows = [
        ["东山村银行存款日记账"],
        ["开户行:青石农商行 账号:6230****0001"],
        [*header, "合同编号"],
        [None, None, "期初余额", None, None, None, 1000],
        ["2024-06-28", "记-1", "收到门面房租金", RENT, 2400, None, 3400, project, contract],
    ]
    return workbook(path, {"6月": rows}), "6月:5"


def statement_sheet(path: Path, contract: str, project: str = "") -> tuple[Path, str]:
    header = ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额", "项目编号"]
    rows = [
        ["青石农商行 账户交易明细 (对账单)"],
        ["账号:6230****0001"],
        [*header, "合同编号"],
        ["2024-06-28", "收到门面房租金", "青石便民超市", None, 2400, 3400, project, contract],
    ]
    return workbook(path, {"6月": rows}), "6月:4"


def voucher_sheet(path: Path, contract: str, project: str = "") -> tuple[Path, str]:
    header = ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"]
    rows = [
        [*header, "项目编号", "合同编号"],
        ["2024-06-28", "记-001", "收租", "10201", BANK_NAME, 2400, None, project, contract],
        [None, None, None, "50102", RENT, None, 2400, None, None],
    ]
    return workbook(path, {"凭证列表": rows}), "凭证列表:2"


SHEETS: dict[str, Callable[..., tuple[Path, str]]] = {
    "journal": journal_sheet,
    "statement": statement_sheet,
    "vouchers": voucher_sheet,
}


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("kind", sorted(SHEETS))
def test_every_kind_reads_the_contract_number_alike(ledgers, tmp_path, kind, seed) -> None:
    folder = village(ledgers)
    for index, number in enumerate(numbers(seed)):
        path, where = SHEETS[kind](tmp_path / f"{kind}-{index}.xlsx", number)
        if CONTRACT_LINK.fullmatch(number.strip()):
            import_files(folder, [path], create_accounts=True, dry_run=True)
            continue
        with pytest.raises(ImportRefused) as refusal:
            import_files(folder, [path], create_accounts=True, dry_run=True)
        message = f"{path.name}:{where}: 合同编号 “{number.strip()}” 应为 C 加数字, 如 C2024-01"
        assert message in str(refusal.value).splitlines(), str(refusal.value)


@pytest.mark.parametrize("kind", sorted(SHEETS))
@pytest.mark.parametrize("project", ["", "P2024-07"])
def test_the_contract_link_reaches_the_ledger_beside_the_project(
    ledgers, tmp_path, kind, project
) -> None:
    folder = village(ledgers)
    declare_project(folder, "P2024-07")
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(CONTRACT)
    path, _ = SHEETS[kind](tmp_path / f"{kind}.xlsx", " C2024-02 ", project)
    import_files(folder, [path], create_accounts=True)
    entries = [e for e in load(folder).entries if isinstance(e, data.Transaction)]
    linked = [{x for x in e.links if x[0] in "CP"} for e in entries if e.links]
    assert linked == [{"C2024-02", *filter(None, [project])}]
