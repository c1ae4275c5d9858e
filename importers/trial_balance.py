"""Trial balances (科目余额表) and the 2004 → 2023 mapping file, for ``cunzhang open-books``.

A trial balance is a declaration of columns like every other sheet (:mod:`importers.sheet`)::

    科目编码 | 科目名称        | 期末借方   | 期末贷方
    101      | 库存现金        |  1,200.00  |
    102      | 银行存款        | 86,420.50  |
    10201    | 青石农商行      | 86,420.50  |
    152      | 累计折旧        |            | 12,000.00

or one 余额 column with a 借/贷 direction column; the 期末 balances may stand under a merged
``期末余额`` header over ``借方`` and ``贷方``. Each row is a :class:`Line` with its signed
balance (debit +, credit −). A row whose code extends another row's code is that row's
sub-account; a parent's balance must equal its sub-accounts' sum, and debits must equal
credits. Every problem names ``FILE:SHEET:ROW``.

The mapping file (``<trial balance>.科目对照.csv``, UTF-8) answers the 2004 lines that have
no single 2023 equivalent (see :mod:`projects.chart_move`)::

    原科目编码,原科目名称,方向,金额,可选新科目,新科目编码,新明细科目,说明
    13201,林木资产-经济林,借,30000.00,131 消耗性生物资产 / 132 …,132,,split by purpose

The accountant fills 新科目编码 (a 2023 first-level code) and may rename the sub-account
(新明细科目); to split a line, copy it and divide 金额 between the copies.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from importers.accounts import PATH_SEPARATORS
from importers.classify import csv_rows
from importers.sheet import (
    Amount,
    CellError,
    Dialect,
    Header,
    ImportRefused,
    Problem,
    Text,
    Workbook,
    find_header,
    open_workbook,
    parse_amount,
    records,
    squeeze,
)
from projects.chart_move import Answer, Line

ZERO = Decimal("0.00")
MAPPING_SUFFIX = ".科目对照.csv"
MAPPING_COLUMNS = {
    "原科目编码": "code",
    "原科目名称": "name",
    "方向": "side",
    "金额": "amount",
    "可选新科目": "choices",
    "新科目编码": "new_code",
    "新明细科目": "sub_name",
    "说明": "note",
}


class TrialBalanceColumns(Dialect):
    """科目余额表: the ending balance of every account and sub-account."""

    kind = "科目余额表"
    row_key = "code"  # a row with a code is an account, even 累计折旧
    one_of = (("debit", "side"),)  # 期末借方/期末贷方, or 余额 with a direction
    code = Text("科目编码", "科目代码", "编码", "代码", "科目编号", required=True)
    name = Text("科目名称", "会计科目", "科目全称", "名称", "科目", required=True)
    debit = Amount(
        "期末借方", "期末余额借方", "期末借方余额", "借方余额", "年末借方", "年末余额借方",
        "期末数借方",
    )  # fmt: skip
    credit = Amount(
        "期末贷方", "期末余额贷方", "期末贷方余额", "贷方余额", "年末贷方", "年末余额贷方",
        "期末数贷方",
    )  # fmt: skip
    balance = Amount("期末余额", "余额", "年末余额", "期末数", "余额金额")
    side = Text("方向", "余额方向", "借贷方向", "借或贷", "期末方向", "期末余额方向")


@dataclass
class TrialBalance:
    """A read trial balance: its workbook and its lines, parents before sub-accounts."""

    workbook: Workbook
    lines: list[Line]


def read_trial_balance(path: Path) -> TrialBalance:
    """The trial balance's lines; :class:`ImportRefused` with every problem found."""
    workbook = open_workbook(path)
    label = workbook.label
    header = next(
        (h for s in workbook.sheets if (h := find_header(s, [TrialBalanceColumns])) is not None),
        None,
    )
    if header is None:
        raise ImportRefused(
            [
                Problem(
                    label,
                    "",
                    0,
                    "找不到科目余额表的表头 (no trial balance header): 应有 科目编码、科目名称 和 "
                    "期末借方/期末贷方 (或 余额 与 借/贷 方向)",
                )
            ]
        )
    problems: list[Problem] = []
    if "debit" in header.columns and "credit" not in header.columns:
        problems.append(Problem(label, header.sheet.name, header_row(header), "缺少 期末贷方 列"))
    lines: dict[str, Line] = {}
    for record in records(header, label, problems):
        if record.broken:
            continue
        where = (label, record.sheet, record.row)
        code = re.sub(r"[\s.\-]", "", str(record.values.get("code") or ""))
        names = [n for n in PATH_SEPARATORS.split(str(record.values.get("name") or "")) if n]
        if not code.isdigit() or len(code) < 3:
            problems.append(Problem(*where, f"科目编码 “{code}” 应为至少三位数字 (account code)"))
            continue
        if not names:
            problems.append(Problem(*where, f"科目 {code} 缺少科目名称"))
            continue
        if code in lines:
            problems.append(Problem(*where, f"科目编码 {code} 重复 (also row {lines[code].row})"))
            continue
        try:
            amount = signed(record.values)
        except CellError as error:
            problems.append(Problem(*where, str(error)))
            continue
        lines[code] = Line(code, names[-1], amount, record.sheet, record.row)
    ordered = [lines[code] for code in sorted(lines)]
    problems += structure_problems(label, ordered)
    if not problems:
        total = sum((line.amount for line in ordered if line.parent is None), ZERO)
        if total:
            debit = sum((x.amount for x in ordered if x.parent is None and x.amount > 0), ZERO)
            problems.append(
                Problem(
                    label,
                    header.sheet.name,
                    header_row(header),
                    f"借方合计 {debit:,.2f} 与贷方合计 {debit - total:,.2f} 不等, 相差 "
                    f"{total:,.2f} (debits and credits differ)",
                )
            )
    if problems:
        raise ImportRefused(problems)
    return TrialBalance(workbook, ordered)


def header_row(header: Header) -> int:
    return header.sheet.first_row + header.index


def signed(values: dict) -> Decimal:
    """The row's balance, debit positive: 借方 − 贷方, or 余额 by its 借/贷 direction."""
    if values.get("debit") is not None or values.get("credit") is not None:
        return (values.get("debit") or ZERO) - (values.get("credit") or ZERO)
    balance = values.get("balance") or ZERO
    side = squeeze(str(values.get("side") or ""))
    if side in ("", "借", "借方"):
        return balance
    if side in ("贷", "贷方"):
        return -balance
    if side == "平":
        return ZERO
    raise CellError(f"余额方向 “{side}” 应为 借、贷 或 平")


def structure_problems(label: str, lines: list[Line]) -> list[Problem]:
    """Link each line to its parent (the longest other code it extends) and check that a
    parent's balance is its sub-accounts' sum."""
    by_code = {line.code: line for line in lines}
    for line in lines:
        for length in range(len(line.code) - 1, 2, -1):
            parent = by_code.get(line.code[:length])
            if parent is not None:
                line.parent = parent
                parent.children.append(line)
                break
    problems = []
    for line in lines:
        if line.children:
            total = sum((c.amount for c in line.children), ZERO)
            if total != line.amount:
                problems.append(
                    Problem(
                        label,
                        line.sheet,
                        line.row,
                        f"科目 {line.code} {line.name} 余额 {line.amount:,.2f} 与其明细科目合计 "
                        f"{total:,.2f} 不等 (sub-accounts do not add up)",
                    )
                )
    return problems


# -- the mapping file ------------------------------------------------------------------------


def mapping_path(trial_balance: Path) -> Path:
    """``余额表.xlsx`` → ``余额表.科目对照.csv`` beside it."""
    return trial_balance.with_name(trial_balance.stem + MAPPING_SUFFIX)


def mapping_text(rows: list[dict[str, str]]) -> str:
    """The mapping file for the lines to answer (UTF-8 with a BOM, so Excel opens it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(MAPPING_COLUMNS))
    for row in rows:
        writer.writerow([row.get(key, "") for key in MAPPING_COLUMNS.values()])
    return "\ufeff" + out.getvalue()


def read_mapping(path: Path) -> tuple[list[Answer], list[Problem]]:
    """The answered lines of a mapping file, and what is wrong with it."""
    rows, problems = csv_rows(path, MAPPING_COLUMNS, {"code", "side", "amount", "new_code"})
    answers = []
    for number, row in rows:
        try:
            amount = parse_amount(row.get("amount")) or ZERO
        except CellError as error:
            problems.append(Problem(path.name, "", number, f"金额: {error}"))
            continue
        if row.get("side") not in ("借", "贷"):
            problems.append(Problem(path.name, "", number, "方向应为 借 或 贷"))
            continue
        answers.append(
            Answer(
                code=row.get("code", ""),
                new_code=row.get("new_code", ""),
                sub_name=row.get("sub_name", ""),
                amount=amount if row["side"] == "借" else -amount,
                file=path.name,
                row=number,
            )
        )
    return answers, problems
