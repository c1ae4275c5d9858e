"""The dialect corpus: spreadsheets as township offices and banks export them, declared.

Each :class:`Layout` declares one real source's layout (its title, header and footer
rows, date and number formats, account cell form, merged cells, hidden columns). From one
declaration, :func:`render` writes the file and :func:`expected` computes what importing it
must give (transactions and totals by account, or a trial balance's lines) — from the same
business data (:data:`MOVES`, :data:`TRIAL_BALANCE`), never by running the importer.

The files are generated at test time (``tests/test_dialects.py``) and by the bench
(``python -m benchmarks.bench_dialects``); README.md lists the layouts, one line each.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

D = Decimal
YEAR = 2024
#: The village's bank account, its number, and its balance brought forward from 2023.
BANK = ("10201", ("银行存款", "青石农商行"), "Assets:102-银行存款:10201-青石农商行")
CASH = ("101", ("库存现金",), "Assets:101-库存现金")
NUMBER = "6230****0001"
OPENING = D("186420.50")
#: Sub-accounts the corpus village opens (code, name path, Beancount account).
SUB_ACCOUNTS = [
    ("50101", ("经营收入", "香菇销售"), "Income:501-经营收入:50101-香菇销售"),
    ("51301", ("管理费用", "办公费"), "Expenses:513-管理费用:51301-办公费"),
    ("51302", ("管理费用", "差旅费"), "Expenses:513-管理费用:51302-差旅费"),
]
ACCOUNTS = {code: (path, account) for code, path, account in SUB_ACCOUNTS}
ACCOUNTS.update(
    {
        "503": (("补助收入",), "Income:503-补助收入"),
        "212": (("应付工资",), "Liabilities:212-应付工资"),
        BANK[0]: (BANK[1], BANK[2]),
        CASH[0]: (CASH[1], CASH[2]),
    }
)
#: ``import-rules.csv`` of the corpus village: how statement rows are classified.
RULES = (
    "对方户名,摘要,方向,科目\n,香菇,收,经营收入-香菇销售\n,办公,支,管理费用-办公费\n"
    ",差旅,支,管理费用-差旅费\n,补助,收,补助收入\n,工资,支,应付工资\n"
)


@dataclass(frozen=True)
class Move:
    """One movement of the bank (or cash) account: + in, − out, against ``code``."""

    date: datetime.date
    summary: str
    amount: Decimal
    code: str
    payee: str


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


MOVES = [
    Move(_d(1, 5), "收到香菇销售款", D("12800.00"), "50101", "县农贸有限公司"),
    Move(_d(1, 9), "购办公用品", D("-356.40"), "51301", "青石镇文具店"),
    Move(_d(1, 15), "报销差旅费", D("-1280.00"), "51302", "李会计"),
    Move(_d(1, 20), "收到上级补助资金", D("50000.00"), "503", "县农业农村局"),
    Move(_d(1, 25), "发放村干部工资", D("-9600.00"), "212", "村干部工资专户"),
    Move(_d(2, 3), "收到香菇销售款", D("3450.50"), "50101", "县农贸有限公司"),
    Move(_d(2, 18), "购办公用品", D("-120.00"), "51301", "青石镇文具店"),
]
#: A cash journal's movements (its balance brought forward is 0).
CASH_MOVES = [
    Move(_d(1, 6), "提取备用金", D("2000.00"), "10201", ""),
    Move(_d(1, 9), "购办公用品", D("-356.40"), "51301", ""),
    Move(_d(1, 16), "报销差旅费", D("-1280.00"), "51302", ""),
]
#: A year-end trial balance: code, name, balance (debit +); parents are their sub-accounts' sum.
TRIAL_BALANCE = [
    ("101", "库存现金", D("1200.00")),
    ("102", "银行存款", D("186420.50")),
    ("10201", "青石农商行", D("150000.00")),
    ("10202", "县农行", D("36420.50")),
    ("151", "固定资产", D("520000.00")),
    ("152", "累计折旧", D("-32000.00")),
    ("211", "应付款", D("-8600.00")),
    ("301", "资本", D("-500000.00")),
    ("311", "公积公益金", D("-167020.50")),
]


@dataclass(frozen=True)
class Layout:
    """One source's layout. ``columns``: (header text, field) in order; fields are

    ``date`` ``month`` ``day`` ``voucher`` ``word`` ``number`` ``summary`` ``account``
    (in ``form``) ``top``/``detail`` (first-level name, the rest) ``code`` ``name``
    ``in`` ``out`` (the own account's side) ``debit`` ``credit`` (a voucher line's)
    ``signed`` (+ in or debit) ``abs`` and ``dir`` (with ``directions``) ``balance``
    ``side`` (借/贷/平 of the balance) ``payee`` ``seq`` ``serial`` and ``blank``;
    trial balances: ``tb_code`` ``tb_name`` ``tb_debit`` ``tb_credit`` ``tb_balance``
    ``tb_side`` ``tb_blank``.
    """

    name: str
    kind: str  # 日记账, 凭证列表, 银行对账单, 科目余额表
    source: str  # one line for README.md
    columns: tuple[tuple[str, str], ...]
    title: tuple[tuple, ...] = ()
    group: tuple = ()  # a group header row above the header, merged over equal neighbours
    dates: str = "iso"  # iso slash cn dot digits int serial date datetime
    numbers: str = "float"  # float text yen paren zero
    form: str = "code_path"  # see account_cell
    opening: str = ""  # a carried-balance row's summary (上年结转 …), "" for none
    opening_dated: bool = False
    page_break: int = 0  # 过次页 / 承前页 after this many rows
    month_totals: bool = False  # 本月合计 (and 本年累计) after each month
    footer: tuple[tuple, ...] = ()
    hidden: tuple[int, ...] = ()  # 0-based columns hidden (and empty)
    directions: tuple[str, str] = ("借", "贷")  # dir words: (in or debit, out or credit)
    continuation: bool = False  # a voucher's later lines leave date and number blank
    merge_dates: bool = False  # a voucher's date merged over its lines
    cash: bool = False  # a cash journal (its own movements, balance from 0)
    sheet: str = "Sheet1"


# -- cell forms -------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789- ", "０１２３４５６７８９－\u3000")


def account_cell(code: str, form: str) -> str:
    """The account as a package writes it in one cell."""
    path, _ = ACCOUNTS[code]
    joined = "-".join(path)
    return {
        "code_path": f"{code} {joined}",
        "lead_space": f" {code} {joined}",
        "slash": f"{code} {'/'.join(path)}",
        "backslash": code + "\\" + "\\".join(path),
        "underscore": f"{code}_{'_'.join(path)}",
        "code_only": code,
        "path_only": joined,
        "full_width": f"{code} {joined}".translate(FULL_WIDTH),
        "note": f"{joined}(明细)" if len(path) > 1 else joined,
        "bracket": f"[{code}]{joined}",
        "dotted": f"{code[:3]}.{code[3:]} {joined}" if len(code) > 3 else f"{code} {joined}",
        "leaf": f"{code} {path[-1]}",
        "nbsp": f"{code}\u00a0{joined}\u3000",
    }[form]


def date_cell(date: datetime.date, style: str) -> object:
    if style == "date":
        return date
    if style == "serial":
        return (date - datetime.date(1899, 12, 30)).days
    if style == "int":
        return int(date.strftime("%Y%m%d"))
    return {
        "iso": date.isoformat(),
        "slash": f"{date.year}/{date.month}/{date.day}",
        "cn": f"{date.year}年{date.month}月{date.day}日",
        "dot": date.strftime("%Y.%m.%d"),
        "digits": date.strftime("%Y%m%d"),
        "datetime": f"{date.isoformat()} 10:{date.day:02d}:31",
    }[style]


def number_cell(amount: Decimal | None, style: str, blank_zero: bool = True) -> object:
    """An amount as the layout writes it; ``None`` (or ``zero``'s 0.00) for no amount."""
    if amount is None or (amount == 0 and blank_zero):
        return "0.00" if style == "zero" else None
    if style in ("float", "zero"):
        return float(amount)
    text = f"{abs(amount):,.2f}"
    if style == "yen":
        return f"¥{'-' if amount < 0 else ''}{text}"
    if style == "paren" and amount < 0:
        return f"({text})"
    return f"{'-' if amount < 0 else ''}{text}"


# -- rows -------------------------------------------------------------------------------------


@dataclass
class Line:
    """One row to write: its fields by name."""

    values: dict


def _movement_lines(layout: Layout) -> list[Line]:
    """Journal or statement rows: the moves, carried rows, page breaks, monthly totals."""
    moves = CASH_MOVES if layout.cash else MOVES
    balance = D(0) if layout.cash else OPENING
    lines = []
    if layout.opening:
        date = _d(1, 1) if layout.opening_dated else None
        lines.append(Line({"summary": layout.opening, "balance": balance, "date": date}))
    month_in = month_out = year_in = year_out = D(0)
    for index, move in enumerate(moves):
        if layout.page_break and index == layout.page_break:
            carried = {"balance": balance, "in": year_in, "out": year_out}
            lines.append(Line({"summary": "过次页", **carried}))
            lines.append(Line({"summary": "承前页", **carried}))
        balance += move.amount
        inflow, outflow = max(move.amount, D(0)), max(-move.amount, D(0))
        month_in, month_out = month_in + inflow, month_out + outflow
        year_in, year_out = year_in + inflow, year_out + outflow
        lines.append(
            Line(
                {
                    "date": move.date,
                    "voucher": f"记-{index + 1:03d}",
                    "summary": move.summary,
                    "account": move.code,
                    "in": inflow,
                    "out": outflow,
                    "amount": move.amount,
                    "balance": balance,
                    "payee": move.payee,
                    "seq": index + 1,
                    "serial": f"{YEAR}{index + 1:06d}",
                }
            )
        )
        following = moves[index + 1] if index + 1 < len(moves) else None
        if layout.month_totals and (following is None or following.date.month != move.date.month):
            end = {"balance": balance, "date": move.date}
            lines.append(Line({"summary": "本月合计", "in": month_in, "out": month_out, **end}))
            lines.append(Line({"summary": "本年累计", "in": year_in, "out": year_out, **end}))
            month_in = month_out = D(0)
    return lines


def _voucher_lines(layout: Layout) -> list[Line]:
    """Voucher list rows: each move is a voucher of two lines, the bank's and the other."""
    lines = []
    for index, move in enumerate(MOVES):
        number = f"{index + 1:04d}"
        for position, (code, amount) in enumerate(
            [(BANK[0], move.amount), (move.code, -move.amount)]
        ):
            first = position == 0 or not layout.continuation
            lines.append(
                Line(
                    {
                        "date": move.date if first or layout.merge_dates else None,
                        "voucher": f"记-{number}" if first else None,
                        "word": "记" if first else None,
                        "number": number if first else None,
                        "summary": move.summary if first else None,
                        "account": code,
                        "debit": max(amount, D(0)),
                        "credit": max(-amount, D(0)),
                        "amount": amount,
                        "group": index,
                    }
                )
            )
    return lines


def _trial_balance_lines() -> list[Line]:
    return [
        Line({"code": code, "name": name, "tb": amount}) for code, name, amount in TRIAL_BALANCE
    ]


def _cell(layout: Layout, field: str, values: dict) -> object:
    """The cell of ``field`` in a row."""
    if field in ("blank", "tb_blank"):
        return None
    style = layout.numbers
    summary = values.get("summary")
    code = values.get("account")
    if field == "date":
        date = values.get("date")
        return date_cell(date, layout.dates) if date else None
    if field in ("month", "day"):
        date = values.get("date")
        return (date.month if field == "month" else date.day) if date else None
    if field in ("voucher", "word", "number", "summary", "payee", "seq", "serial"):
        return values.get(field)
    if field == "account":
        return account_cell(code, layout.form) if code else None
    if field in ("top", "detail"):
        if not code:
            return None
        path = ACCOUNTS[code][0]
        return path[0] if field == "top" else "-".join(path[1:]) or None
    if field == "code":
        return code
    if field == "name":
        return "-".join(ACCOUNTS[code][0]) if code else None
    if field in ("in", "out", "debit", "credit"):
        return number_cell(values.get(field), style)
    if field == "signed":
        return number_cell(values.get("amount"), style)
    if field == "abs":
        amount = values.get("amount")
        return number_cell(abs(amount), style) if amount is not None else None
    if field == "dir":
        amount = values.get("amount")
        if amount is None:
            return None
        return layout.directions[0] if amount > 0 else layout.directions[1]
    if field == "balance":
        balance = values.get("balance")
        if balance is None:
            return None
        sided = any(f == "side" for _, f in layout.columns)
        return number_cell(abs(balance) if sided else balance, style, blank_zero=False)
    if field == "side":
        balance = values.get("balance")
        return None if balance is None else "借" if balance > 0 else "贷" if balance < 0 else "平"
    if field == "tb_code":
        return values["code"]
    if field == "tb_name":
        return values["name"]
    if field in ("tb_debit", "tb_credit"):
        amount = values["tb"]
        wanted = amount > 0 if field == "tb_debit" else amount < 0
        return number_cell(abs(amount), style) if wanted else None
    if field == "tb_balance":
        return number_cell(abs(values["tb"]), style, blank_zero=False)
    if field == "tb_side":
        return "借" if values["tb"] > 0 else "贷" if values["tb"] < 0 else "平"
    raise KeyError(f"{field} in {summary}")


def render(layout: Layout, folder: Path) -> Path:
    """Write the layout's file into ``folder`` (``<name>.xlsx``) and return its path."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = layout.sheet
    width = len(layout.columns)
    for row in layout.title:
        sheet.append(list(row))
        if len(row) == 1 and width > 1:  # a title over the whole table, merged
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
            )
    if layout.group:
        sheet.append(list(layout.group))
        _merge_runs(sheet, sheet.max_row, layout.group)
    sheet.append([header for header, _ in layout.columns])
    if layout.kind == "科目余额表":
        lines = _trial_balance_lines()
    elif layout.kind == "凭证列表":
        lines = _voucher_lines(layout)
    else:
        lines = _movement_lines(layout)
    first_data = sheet.max_row + 1
    groups: dict[int, list[int]] = {}
    for line in lines:
        sheet.append([_cell(layout, field, line.values) for _, field in layout.columns])
        if "group" in line.values:
            groups.setdefault(line.values["group"], []).append(sheet.max_row)
    if layout.merge_dates:
        column = 1 + next(i for i, (_, f) in enumerate(layout.columns) if f == "date")
        for rows in groups.values():
            for row in rows[1:]:
                sheet.cell(row, column).value = None
            sheet.merge_cells(
                start_row=rows[0], start_column=column, end_row=rows[-1], end_column=column
            )
    for row in layout.footer:
        sheet.append(list(row))
    for column in layout.hidden:
        sheet.column_dimensions[get_column_letter(column + 1)].hidden = True
    if first_data > sheet.max_row:
        raise ValueError(f"{layout.name}: no data rows")
    path = folder / f"{layout.name}.xlsx"
    book.save(path)
    return path


def _merge_runs(sheet, row: int, cells: tuple) -> None:
    """Merge each run of equal non-empty neighbours (a group header over its columns)."""
    start = 0
    for index in range(1, len(cells) + 1):
        if index == len(cells) or cells[index] != cells[start]:
            if cells[start] and index - start > 1:
                for column in range(start + 2, index + 1):
                    sheet.cell(row, column).value = None
                sheet.merge_cells(
                    start_row=row, start_column=start + 1, end_row=row, end_column=index
                )
            start = index


# -- what importing must give -----------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What a layout's file must import as: transactions and totals by account (journals,
    vouchers, statements), or lines by code (trial balances)."""

    transactions: int
    totals: dict[str, Decimal]


def expected(layout: Layout) -> Expected:
    """The result the declaration implies (computed from the business data, not imported)."""
    if layout.kind == "科目余额表":
        return Expected(len(TRIAL_BALANCE), {code: amount for code, name, amount in TRIAL_BALANCE})
    moves = CASH_MOVES if layout.cash else MOVES
    own = CASH[2] if layout.cash else BANK[2]
    totals: Counter[str] = Counter()
    for move in moves:
        totals[own] += move.amount
        totals[ACCOUNTS[move.code][1]] -= move.amount
    return Expected(len(moves), {a: D(v).quantize(D("0.01")) for a, v in totals.items() if v})


# -- importing a layout's file -----------------------------------------------------------------


def corpus_village(ledgers: Path) -> Path:
    """A village as the corpus expects: the bank account (账号 6230****0001) with 2023's
    balance, the sub-accounts of :data:`SUB_ACCOUNTS`, and the statement rules."""
    from tests.importkit import village

    folder = village(ledgers, opening=f"{OPENING}")
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        for code, path, account in SUB_ACCOUNTS:
            handle.write(
                f'\n2024-01-01 open {account} CNY\n  code: "{code}"\n  name: "{path[-1]}"\n'
            )
    (folder / "import-rules.csv").write_text(RULES, "utf-8")
    return folder


def outcome(layout: Layout, folder: Path, village: Path) -> Expected:
    """Import the layout's file (written into ``folder``) into ``village`` and return what it
    gave; a refusal raises :class:`importers.sheet.ImportRefused`. Trial balances are read
    (``cunzhang open-books`` reads them), not imported."""
    from beancount.core import data

    from importers.run import import_files
    from importers.trial_balance import read_trial_balance

    path = render(layout, folder)
    if layout.kind == "科目余额表":
        lines = read_trial_balance(path).lines
        return Expected(len(lines), {line.code: line.amount for line in lines})
    (report,) = import_files(village, [path]).files
    if report.kind != layout.kind:
        raise AssertionError(f"{layout.name} was read as a {report.kind}")
    transactions = [e for e in report.added if isinstance(e, data.Transaction) and e.flag == "*"]
    totals: Counter[str] = Counter()
    for entry in transactions:
        for posting in entry.postings:
            totals[posting.account] += posting.units.number
    return Expected(len(transactions), {a: v for a, v in totals.items() if v})
