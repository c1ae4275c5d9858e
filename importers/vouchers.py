"""Voucher lists (凭证列表) exported from accounting software: one transaction per voucher.

A voucher spans several lines sharing its 凭证字号; later lines may leave the date, number
and summary blank (they carry on from the line above). Each line names an account by code
and/or name and has a debit or a credit. A voucher whose debits and credits differ is
refused: it is not a transaction.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount as BeanAmount

from importers.accounts import AccountBook
from importers.base import Provenance, SheetImporter
from importers.project_link import row_links
from importers.sheet import (
    Amount,
    Date,
    Dialect,
    Header,
    Problem,
    Record,
    Text,
    Workbook,
    column_label,
    records,
    squeeze,
)

ZERO = Decimal("0.00")


class VoucherColumns(Dialect):
    """凭证列表 / 记账凭证列表 / 凭证汇总 exported line by line."""

    kind = "凭证列表"
    excluded = ("余额", "日记账")  # a journal with a 凭证号 column is still a journal
    one_of = (("code", "name"), ("debit", "amount"), ("credit", "amount"))
    date = Date("日期", "凭证日期", "记账日期", "制单日期", required=True)
    voucher = Text("凭证字号", "凭证号", "凭证编号", "凭证字", required=True)
    summary = Text("摘要", "内容摘要", "分录摘要")
    code = Text("科目编码", "科目代码", "会计科目编码", "科目编号")
    name = Text("科目名称", "会计科目", "科目全称", "科目", "一级科目")
    detail = Text("明细科目", "明细", "子目", "二级科目", "辅助核算")
    debit = Amount("借方金额", "借方", "借方发生额", "借方本币")
    credit = Amount("贷方金额", "贷方", "贷方发生额", "贷方本币")
    amount = Amount("金额", "发生额", "本币金额")  # with a 方向, or signed (+ debit)
    direction = Text("方向", "借贷方向", "借贷", "借/贷", "借贷标志")
    project = Text("项目编号", "项目代码", "项目号")
    contract = Text("合同编号", "合同号")


@dataclass
class Voucher:
    """The lines of one voucher, with the date, number and summary they share."""

    date: datetime.date
    number: str
    summary: str
    sheet: str
    row: int
    lines: list[tuple[Record, str, Decimal]] = field(
        default_factory=list
    )  # record, account, amount
    broken: bool = False  # a line was refused (and reported): do not report the imbalance too


#: A one-column amount's 方向: debit +, credit -.
DIRECTIONS = {"借": 1, "借方": 1, "贷": -1, "贷方": -1}


def line_amount(values: dict) -> tuple[Decimal | None, str]:
    """A voucher line's amount, debit + and credit -, from 借方/贷方 or one 金额 (with a
    方向, or signed); ``(None, reason)`` when it cannot be told."""
    if values.get("amount") is not None:
        amount = values["amount"]
        side = squeeze(str(values.get("direction") or ""))
        sign = DIRECTIONS.get(side, 0) if side else 1
        if not sign or (side and amount < 0):
            return None, f"方向 “{side}” 应为 借 或 贷, 金额应为正数"
        return sign * amount, ""
    debit = values.get("debit") or ZERO
    credit = values.get("credit") or ZERO
    if debit and credit:
        return None, "借方和贷方都有金额: 一行只应填一方"
    return debit - credit, ""


class VoucherImporter(SheetImporter):
    """Voucher lists: each voucher becomes one balanced transaction."""

    dialect = VoucherColumns

    def read(
        self,
        workbook: Workbook,
        headers: list[Header],
        book: AccountBook,
        existing: data.Entries,
        problems: list[Problem],
    ) -> data.Entries:
        label = workbook.label
        provenance = Provenance(workbook)
        entries = []
        used: Counter[str] = Counter()
        for header in headers:
            for voucher in self.vouchers(header, label, book, problems):
                entry = self.transaction(voucher, header, provenance, problems)
                if entry is not None:
                    entries.append(entry)
                    used.update(p.account for p in entry.postings)
        if used:
            self.remember_account(workbook, min(used, key=lambda a: (-used[a], a)))
        return entries

    def vouchers(
        self, header: Header, label: str, book: AccountBook, problems: list[Problem]
    ) -> list[Voucher]:
        """The sheet's lines grouped into vouchers (blank date, number, summary carry on)."""
        found: list[Voucher] = []
        current: Voucher | None = None
        for record in records(header, label, problems):
            if record.opening:
                continue
            if record.broken:
                if current is not None:
                    current.broken = True
                continue
            values = record.values
            where = (label, record.sheet, record.row)
            number = values.get("voucher") or (current.number if current else "")
            date = values.get("date") or (current.date if current else None)
            if date is None or not number:
                missing = column_label(header, "date" if date is None else "voucher")
                problems.append(Problem(*where, f"{missing}: 缺少日期或凭证号"))
                continue
            if current is None or (number, date) != (current.number, current.date):
                summary = values.get("summary") or ""
                current = Voucher(date, number, summary, record.sheet, record.row)
                found.append(current)
            amount, message = line_amount(values)
            if amount is None:
                problems.append(Problem(*where, message))
                current.broken = True
                continue
            code = values.get("code") or ""
            name = "-".join(filter(None, [values.get("name"), values.get("detail")]))
            create = self.options.create_accounts
            account, reason = book.resolve(code, name, date, create)
            if account is None:
                problems.append(Problem(*where, f"科目 “{code} {name}”: {reason}"))
                current.broken = True
                continue
            current.lines.append((record, account, amount))
        return found

    def transaction(
        self, voucher: Voucher, header: Header, provenance: Provenance, problems: list[Problem]
    ) -> data.Transaction | None:
        """The voucher as a transaction; ``None`` (with a problem) if it does not balance."""
        if voucher.broken:
            return None
        where = (provenance.workbook.label, voucher.sheet, voucher.row)
        debits = sum((a for _, _, a in voucher.lines if a > 0), ZERO)
        credits = -sum((a for _, _, a in voucher.lines if a < 0), ZERO)
        if debits != credits:
            problems.append(
                Problem(
                    *where,
                    f"凭证 {voucher.number} 借方合计 {debits:,.2f} 与贷方合计 {credits:,.2f} 不等,"
                    f" 差 {debits - credits:,.2f} (unbalanced voucher)",
                )
            )
            return None
        links = set()
        for record, _, _ in voucher.lines:
            row_where = (provenance.workbook.label, record.sheet, record.row)
            links.update(row_links(record.values, row_where, problems))
        lines = [(account, str(amount)) for _, account, amount in voucher.lines]
        content = (
            voucher.date.isoformat(),
            voucher.number,
            squeeze(voucher.summary),
            tuple(sorted(links)),
            tuple(sorted(lines)),
        )
        meta = provenance.meta(voucher.sheet, voucher.row, content)
        meta["voucher"] = voucher.number
        postings = [
            data.Posting(
                account, BeanAmount(amount, "CNY"), None, None, None, {"row": Decimal(record.row)}
            )
            for record, account, amount in voucher.lines
        ]
        return data.Transaction(
            meta, voucher.date, "*", None, voucher.summary, frozenset(), frozenset(links), postings
        )
