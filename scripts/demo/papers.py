"""The spreadsheets (papers) a village hands in, laid out from its replayed book."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from projects import chart
from projects.registers import CONTRACT_LINK
from projects.transaction_facts import PROJECT_LINK
from scripts.demo.book import Book, Txn
from scripts.demo.common import (
    BANK_JOURNAL,
    BANK_NAME,
    BANK_TITLE,
    CASH_JOURNAL,
    END,
    PLAN,
    REGISTER,
    START,
    STATEMENT,
    TOWNSHIP,
    TRIAL_BALANCE,
    VOUCHERS,
    ZERO,
    Date,
    month_end,
    months,
    yuan,
)
from scripts.demo.profile import Bank, Claim, Village
from scripts.demo.villages import VILLAGES

WORKBOOK_TIME = datetime.datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
MONEY_FORMAT = "#,##0.00"
#: The kind of paper a journal row goes in (银行存款日记账 or 现金日记账, by its account).
JOURNAL = "日记账"

JOURNAL_HEADER = [
    "日期", "凭证号", "摘要", "对方科目", "借方金额", "贷方金额", "余额", "项目编号", "合同编号",
    "对方单位",
]  # fmt: skip
JOURNAL_WIDTHS = (11, 8, 36, 30, 14, 14, 14, 10, 10, 24)
VOUCHER_HEADER = [
    "日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "项目编号",
    "合同编号",
]  # fmt: skip
VOUCHER_WIDTHS = (11, 9, 40, 10, 30, 14, 14, 10, 10)
STATEMENT_HEADER = [
    "交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额", "流水号", "项目编号",
    "合同编号",
]  # fmt: skip
STATEMENT_WIDTHS = (11, 30, 24, 14, 14, 14, 16, 10, 10)
REGISTER_HEADER = [
    "序号", "村", "第一书记", "派出单位", "资金名称", "协调金额", "协调日期", "实际到账金额",
    "到账日期", "项目编号",
]  # fmt: skip
REGISTER_WIDTHS = (6, 8, 10, 16, 14, 10, 11, 12, 11, 10)
#: 科目余额表 as accounting software exports it: 期末余额 merged over its 借方 and 贷方 (rows 3-4).
TRIAL_BALANCE_HEADER = [["科目编码", "科目名称", "期末余额", None], [None, None, "借方", "贷方"]]
TRIAL_BALANCE_MERGED = ("A3:A4", "B3:B4", "C3:D3")
TRIAL_BALANCE_WIDTHS = (10, 20, 16, 16)
#: The 2023 year-end trial balance the books open from (in the 2004 chart).
TRIAL_BALANCE_NAME = f"{START.year - 1}-12-{TRIAL_BALANCE}.xlsx"
PLAN_HEADER = ["分配项目", "名称", "股数", "金额"]
PLAN_WIDTHS = (16, 14, 8, 14)


@dataclass
class Paper:
    """One spreadsheet: where it goes under ``examples/``, and its sheets' rows."""

    name: str  # file name, e.g. "2024-01-银行存款日记账.xlsx"
    sheets: dict[str, list[list]]
    widths: tuple[int, ...]
    account: str | None = None  # ``--account`` its import needs (a cash sub-account)
    merged: tuple[str, ...] = ()  # merged cells of each sheet, e.g. a two-row header


@dataclass(frozen=True)
class Line:
    """A movement of a bank or cash account: a row of its journal or statement."""

    txn: Txn
    amount: Decimal  # into the account (+) or out of it (−)
    counter: str
    balance: Decimal  # after the row


def paper_of(book: Book, txn: Txn) -> str | None:
    """The spreadsheet a transaction is written in; ``None`` for the opening and year end.

    Money moving through a bank or cash account is a journal row (a statement row for the
    sample statement); everything else, and the sample voucher list, is a voucher.
    """
    if txn.tags:
        return None
    if txn.sample == VOUCHERS or not any(a in book.money for a, _ in txn.postings):
        return VOUCHERS
    if len(txn.postings) != 2:
        raise ValueError(
            f"{book.village.name}: {txn.date} {txn.narration}: 日记账一行只有一个对方科目"
        )
    return STATEMENT if txn.sample == STATEMENT else JOURNAL


def number_vouchers(book: Book) -> None:
    """凭证号 记-001, 记-002 … in date order, starting again each month."""
    count: dict[tuple[int, int], int] = defaultdict(int)
    for txn in book.entries:
        if not txn.tags:
            count[txn.date.year, txn.date.month] += 1
            txn.voucher = f"记-{count[txn.date.year, txn.date.month]:03d}"


def movements(book: Book) -> dict[str, list[Line]]:
    """The rows of each bank and cash account's journals and statements, balances running."""
    balance: dict[str, Decimal] = defaultdict(Decimal)
    lines: dict[str, list[Line]] = defaultdict(list)
    for txn in book.entries:
        paper = paper_of(book, txn)
        for account, amount in txn.postings:
            if account in book.money:
                balance[account] += amount
                if paper in (JOURNAL, STATEMENT):
                    counter = next(a for a, _ in txn.postings if a != account)
                    lines[account].append(Line(txn, amount, counter, balance[account]))
    return lines


def papers(book: Book) -> dict[int, list[Paper]]:
    """The village's spreadsheets by year, month by month: the journal (or statement) of
    each bank and cash account that moved, then the voucher list."""
    number_vouchers(book)
    lines = movements(book)
    found: dict[int, list[Paper]] = defaultdict(list)
    for year, month in months(START, END):
        for account in book.money:
            this_year = [
                m for m in lines[account] if m.txn.date.year == year and m.txn.date.month <= month
            ]
            rows = [m for m in this_year if m.txn.date.month == month]
            if rows and rows[0].txn.sample == STATEMENT:
                found[year].append(statement_paper(book, account, rows))
            elif rows:
                found[year].append(journal_paper(book, account, rows, this_year))
        vouchers = [
            t
            for t in book.entries
            if (t.date.year, t.date.month) == (year, month) and paper_of(book, t) == VOUCHERS
        ]
        if vouchers:
            found[year].append(voucher_paper(book, vouchers))
    return found


def organisation(village: Village) -> str:
    return f"{village.name}股份经济合作社"


def bank_of(book: Book, account: str) -> Bank | None:
    return next((b for b in book.village.banks if book.account(b.path) == account), None)


def paper_name(book: Book, date: Date, kind: str, account: str | None = None) -> str:
    """``2024-01-银行存款日记账.xlsx``; with two bank accounts the bank's name is added."""
    suffix = ""
    if account and kind != CASH_JOURNAL and len(book.village.banks) > 1:
        suffix = "-" + chart.name_path(account).split("-")[-1]
    return f"{date:%Y-%m}-{kind}{suffix}.xlsx"


def link_cells(txn: Txn) -> tuple[str | None, str | None]:
    """The 项目编号 and 合同编号 cells of a transaction: its P-link and its C-link."""

    def first(pattern: re.Pattern) -> str | None:
        return next((link for link in txn.links if pattern.fullmatch(link)), None)

    return first(PROJECT_LINK), first(CONTRACT_LINK)


def in_out(amount: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """A movement as its 借方 (in) and 贷方 (out) cells."""
    return (amount, None) if amount > 0 else (None, -amount)


def journal_paper(book: Book, account: str, rows: list[Line], this_year: list[Line]) -> Paper:
    """现金日记账 / 银行存款日记账 of one month, as the shared sample lays it out."""
    bank = bank_of(book, account)
    kind = BANK_JOURNAL if bank else CASH_JOURNAL
    date = rows[0].txn.date
    note = f"开户行:{BANK_NAME} 账号:{bank.number}" if bank else f"{date.year}年{date.month}月"
    previous = rows[0].balance - rows[0].amount
    cells = [
        [organisation(book.village) + kind],
        [note, *[None] * 8, "单位:元"],
        JOURNAL_HEADER,
        [None, None, "期初余额", None, None, None, previous],
    ]
    for line in rows:
        if line.balance != previous + line.amount:
            raise ValueError(f"{book.village.name}: {line.txn.date} {account} 日记账余额不连续")
        txn, previous = line.txn, line.balance
        cells.append(
            [
                txn.date,
                txn.voucher,
                txn.narration,
                chart.name_path(line.counter),
                *in_out(line.amount),
                line.balance,
                *link_cells(txn),
                txn.payee,
            ]
        )
    for label, lines in (("本月合计", rows), ("本年累计", this_year)):
        inflow = sum((m.amount for m in lines if m.amount > 0), ZERO)
        outflow = -sum((m.amount for m in lines if m.amount < 0), ZERO)
        cells.append([None, None, label, None, inflow, outflow, previous])
    # A cash journal names no account: the import takes 库存现金 unless given its sub-account.
    sub_account = bank is None and chart.code_of(account) != "101"
    name = paper_name(book, date, kind, account)
    return Paper(name, {f"{date.month}月": cells}, JOURNAL_WIDTHS, account if sub_account else None)


def statement_paper(book: Book, account: str, rows: list[Line]) -> Paper:
    """The bank's 账户交易明细 of one month: the bank's sides, dates and amounts as text, and
    the 项目编号 and 合同编号 columns the accountant adds."""
    bank = bank_of(book, account)
    assert bank is not None
    date = rows[0].txn.date
    text = "{:,.2f}".format
    cells = [
        [f"{BANK_TITLE} 账户交易明细"],
        [f"户名:{organisation(book.village)}", None, f"账号:{bank.number}", None, "币种:人民币"],
        [f"查询期间:{date:%Y%m}01-{month_end(date.year, date.month):%Y%m%d}"],
        STATEMENT_HEADER,
    ]
    for line in rows:
        txn = line.txn
        inflow, outflow = in_out(line.amount)
        serial = f"{txn.date:%Y%m%d}{txn.voucher[-3:]}"  # 流水号: the day and a number
        cells.append(
            [
                f"{txn.date:%Y%m%d}",
                txn.narration,
                txn.payee,
                text(outflow or ZERO),
                text(inflow or ZERO),
                text(line.balance),
                serial,
                *link_cells(txn),
            ]
        )
    name = paper_name(book, date, STATEMENT, account)
    return Paper(name, {"交易明细": cells}, STATEMENT_WIDTHS)


def voucher_paper(book: Book, vouchers: list[Txn]) -> Paper:
    """记账凭证列表 of one month as accounting software exports it: a line per posting."""
    date = vouchers[0].date
    cells = [
        [f"{organisation(book.village)} 记账凭证列表"],
        [f"期间:{date.year}年{date.month}月"],
        VOUCHER_HEADER,
    ]
    for txn in vouchers:
        for i, (account, amount) in enumerate(txn.postings):
            links = link_cells(txn) if i == 0 else (None, None)
            code, name = chart.code_of(account), chart.name_path(account)
            debit_credit = in_out(amount)
            cells.append([txn.date, txn.voucher, txn.narration, code, name, *debit_credit, *links])
    debits = sum((a for t in vouchers for _, a in t.postings if a > 0), ZERO)
    cells.append([None, None, "合计", None, None, debits, debits, None, None])
    return Paper(paper_name(book, date, VOUCHERS), {"凭证列表": cells}, VOUCHER_WIDTHS)


def in_wan(amount: Decimal | None) -> Decimal | None:
    """An amount in 万元, as registers are kept."""
    return None if amount is None else (amount / 10000).normalize()


def register_paper(year: int) -> Paper | None:
    """帮扶资金台账 of the township for a year: a row per village, unit and fund, in 万元.

    A pledge and its landing share a row when they fall in the same register year (a pledge
    before the books start is in the first year's register).
    """
    rows = []
    for village in VILLAGES:
        claims: dict[tuple[str, str], dict[str, Claim]] = defaultdict(dict)
        for claim in village.claims:
            claims[claim.unit, claim.fund][claim.kind] = claim
        for (unit, fund), by_kind in claims.items():
            pledge, landed = by_kind.get("pledge"), by_kind.get("landed")
            pledge = pledge if pledge and max(pledge.date.year, START.year) == year else None
            landed = landed if landed and landed.date.year == year else None
            either = landed or pledge
            if either is None:
                continue
            rows.append(
                [
                    len(rows) + 1,
                    village.name,
                    village.secretary.name,
                    unit,
                    fund,
                    in_wan(pledge.amount if pledge else None),
                    pledge.date if pledge else None,
                    in_wan(landed.amount if landed else None),
                    landed.date if landed else None,
                    either.project,
                ]
            )
    if not rows:
        return None
    pledged, landed = (sum((r[i] or 0 for r in rows), Decimal(0)) for i in (5, 7))  # 万元
    cells = [
        [f"{TOWNSHIP}驻村第一书记帮扶资金台账({year}年)"],
        ["单位:万元"],
        REGISTER_HEADER,
        *rows,
        [None, "合计", None, None, None, pledged, None, landed, None, None],
    ]
    return Paper(f"{year}-{REGISTER}.xlsx", {f"{year}年": cells}, REGISTER_WIDTHS)


def old_standard(code: str) -> chart.StandardAccount:
    """The 2004 first-level account a 2023 one continues (the same, renamed or recoded)."""
    return next(old for old in chart.chart("2004").values() if old.code_2023 == code)


def trial_balance_paper(book: Book) -> Paper:
    """科目余额表 at the end of 2023, in the 2004 chart: the opening balances as the old books
    kept them. A sub-account's code continues its 2004 parent's (应付款 20201 → 2023 21101);
    a balance of an account the 2023 chart dropped (``chart_2004``) is on its own line."""
    village = book.village
    [opening] = [t for t in book.entries if "opening" in t.tags]
    balances: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for account, amount in opening.postings:
        for old in village.chart_2004:
            if book.account(old.account) == account:
                balances[old.code] += old.amount
                names[old.code] = chart.chart("2004")[old.code].name
                amount -= old.amount
        code = chart.code_of(account)
        top = old_standard(code[:3])
        lines = [(top.code, top.name)]
        if len(code) > 3:
            lines.append((top.code + code[3:], book.accounts.names[account][1]))
        for old_code, name in lines:
            balances[old_code] += amount
            names[old_code] = name
    rows = [[c, names[c], *in_out(balances[c])] for c in sorted(balances) if balances[c]]
    debits, credits = (sum((r[i] or ZERO for r in rows if len(r[0]) == 3), ZERO) for i in (2, 3))
    cells = [
        [f"{organisation(village)} {TRIAL_BALANCE}"],
        [f"{START.year - 1}年12月31日 (2004年村集体经济组织会计制度科目)", None, None, "单位:元"],
        *TRIAL_BALANCE_HEADER,
        *rows,
        ["合计", None, debits, credits],
    ]
    sheets = {TRIAL_BALANCE: cells}
    return Paper(TRIAL_BALANCE_NAME, sheets, TRIAL_BALANCE_WIDTHS, merged=TRIAL_BALANCE_MERGED)


def plan_name(year: int) -> str:
    return f"{year}-{PLAN}.xlsx"


def plan_paper(book: Book, year: int) -> Paper:
    """收益分配方案 the members' meeting approved: 公积公益金, and one line per household on
    the 成员名册 (by 户主, listed by 村民小组), its shares those of its members."""
    village = book.village
    plan = book.distributions[year]
    per_member = yuan(plan.per_member)
    households = [
        ["成员分配", member.name, member.shares, per_member * member.shares]
        for member in book.members
    ]
    total = plan.reserve + per_member * village.members
    cells = [
        [f"{organisation(village)}{year}年度{PLAN}"],
        [f"成员代表大会决议: {year}年12月26日", None, None, "单位:元"],
        PLAN_HEADER,
        ["提取公积公益金", None, None, plan.reserve],
        ["每股金额", None, None, per_member],
        *households,
        ["合计", None, village.members, total],
    ]
    return Paper(plan_name(year), {"分配方案": cells}, PLAN_WIDTHS)


def save_workbook(path: Path, paper: Paper) -> Path:
    """Write the paper as .xlsx; fixed times inside make its bytes depend on its cells only."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in paper.sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = MONEY_FORMAT
        for column, width in enumerate(paper.widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        for cells in paper.merged:
            sheet.merge_cells(cells)
    workbook.properties.created = workbook.properties.modified = WORKBOOK_TIME
    workbook.properties.creator = "cunzhang demo"
    buffer = io.BytesIO()  # openpyxl's ExcelWriter: its workbook.save would stamp the time
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            target.writestr(member, source.read(info), zipfile.ZIP_DEFLATED)
    return path
