"""Cash and bank journals and bank statements: one row per movement of one account.

Both kinds read the same way — each row moves money into (收) or out of (支) the file's
own account, a running balance follows from the previous row — and differ only in their
columns: a journal (现金日记账, 银行存款日记账) names the counter-account, written from the
village's side (借方 = in); a bank statement (银行对账单) names the other party instead,
written from the bank's side (借方发生额 = out, 贷方发生额 = in), so its rows are classified
(:mod:`importers.classify`).

The own account is ``--account``, else the account whose ``open`` has the file's 账号 as
``account_number``, else (journals) 库存现金 for a cash journal or 银行存款-<开户行>.

``cunzhang reconcile`` reads a bank statement whole, with the same columns and balance
checks (:func:`read_statement`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from beancount.core import data
from beancount.core.amount import Amount as BeanAmount

from importers.accounts import AccountBook
from importers.base import Provenance, SheetImporter, merge_repeats
from importers.classify import Classifier, History
from importers.project_link import row_links
from importers.sheet import (
    Amount,
    Date,
    Dialect,
    Header,
    ImportRefused,
    Problem,
    Record,
    Text,
    Workbook,
    column_label,
    open_workbook,
    records,
    squeeze,
)
from projects import chart, options, transaction_facts

ZERO = Decimal("0.00")
ONE_DAY = datetime.timedelta(days=1)


class JournalColumns(Dialect):
    """现金日记账 / 银行存款日记账, including a hand ledger page typed into Excel (三栏式)."""

    kind = "日记账"
    running_balance = True
    date = Date("日期", "记账日期", "凭证日期", "业务日期", required=True)
    voucher = Text("凭证号", "凭证字号", "凭证编号", "凭证号数", "号数", "号")
    voucher_word = Text("凭证字", "字")
    summary = Text("摘要", "内容摘要", "摘要说明", required=True)
    counter = Text("对方科目", "对应科目", "会计科目", "科目", "科目名称", required=True)
    detail = Text("明细科目", "对方明细科目", "明细", "子目", "二级科目")
    inflow = Amount("借方金额", "借方", "收入金额", "收入", "借方发生额", required=True)
    outflow = Amount("贷方金额", "贷方", "支出金额", "支出", "贷方发生额", required=True)
    side = Text("借或贷", "借贷方向", "方向")
    balance = Amount("余额", "结余", "账户余额", "结存", "余额金额")
    project = Text("项目编号", "项目代码", "项目号")
    contract = Text("合同编号", "合同号")
    payee = Text("对方单位", "往来单位", "对方户名", "收付款单位")
    funder = Text("出资方", "出资单位", "资金来源")


class StatementColumns(Dialect):
    """银行对账单 / 账户交易明细: the bank's sides, no counter-account."""

    kind = "银行对账单"
    markers = ("对账单", "交易明细", "账户明细", "流水", "对方户名", "对方账号", "交易日期")
    excluded = ("日记账",)
    running_balance = True
    #: 借方发生额 and 贷方发生额, or one 交易金额 signed or with a 借贷标志 (the bank's side).
    one_of = (("outflow", "amount"), ("inflow", "amount"))
    date = Date("交易日期", "记账日期", "入账日期", "交易时间", "日期", required=True)
    summary = Text("摘要", "交易摘要", "用途", "附言", "备注")
    payee = Text("对方户名", "对方账户名称", "对方名称", "对方单位", "交易对手名称")
    outflow = Amount("借方发生额", "支出金额", "支出", "付款金额", "借方金额", "借方", "支取金额")
    inflow = Amount("贷方发生额", "收入金额", "收入", "存入金额", "贷方金额", "贷方", "存入")
    amount = Amount("交易金额", "发生额", "金额")
    direction = Text(
        "借贷标志", "借贷方向", "收支标志", "收支方向", "借/贷", "收/支", "借贷", "方向"
    )
    balance = Amount("余额", "账户余额", "联机余额")
    serial = Text("流水号", "交易流水号", "交易序号", "凭证号")
    project = Text("项目编号", "项目代码", "项目号")  # a column the village adds for its projects
    contract = Text("合同编号", "合同号")  # and for its contracts' receipts
    funder = Text("出资方", "出资单位", "资金来源")  # whose money, where another remitted it


@dataclass
class Movement:
    """A row read and checked: what moved, when, and against what."""

    record: Record
    date: datetime.date
    amount: Decimal  # + into the own account, - out of it
    balance: Decimal | None


class MovementsImporter(SheetImporter):
    """Rows moving money into and out of one account (journal or statement)."""

    #: Whether the file names counter-accounts (journals) or leaves them to classification.
    has_counter = True
    #: The first-level codes whose receipts name their payer as funder by default.
    fund_codes: frozenset[str] = transaction_facts.FUND_ACCOUNTS

    def read(
        self,
        workbook: Workbook,
        headers: list[Header],
        book: AccountBook,
        existing: data.Entries,
        problems: list[Problem],
    ) -> data.Entries:
        label = workbook.label
        own = self.own_account(workbook, headers[0], book, problems)
        if own is None:
            return []
        self.remember_account(workbook, own)
        settings = options.read(existing)
        waiting = {"收": settings.unidentified_receipts, "支": settings.unidentified_payments}
        classifier = Classifier(self.options.rules, History(existing, own), waiting)
        self.fund_codes = transaction_facts.FUND_ACCOUNTS | frozenset(settings.aid_accounts)
        provenance = Provenance(workbook)
        entries: list = []
        previous: Decimal | None = None
        for header in headers:
            movements, previous, opening_row = self.movements(header, label, previous, problems)
            for movement in movements:
                entry = self.transaction(movement, own, book, classifier, provenance, problems)
                if entry is not None:
                    entries.append(entry)
            first = header is headers[0]
            entries.extend(self.assertions(movements, own, provenance, first, opening_row))
        return entries

    # -- the own account -----------------------------------------------------------------

    def own_account(
        self, workbook: Workbook, header: Header, book: AccountBook, problems: list[Problem]
    ) -> str | None:
        """The file's own account (see the module doc), or ``None`` with a problem."""
        where = (workbook.label, header.sheet.name, header.sheet.first_row + header.index)
        first = _first_date(header)
        text = self.options.account or ""
        number = "" if text else header.note("账号", "账户", "卡号")
        account, reason = own_account(book, text, number, first, self.options.create_accounts)
        if account is None and not reason:
            account = self.fallback_account(header, book, first, number)
            shown = f"账号 {number} 不是任何 open 的 account_number" if number else "表中没有账号"
            reason = (
                f"无法确定本表的账户 ({shown}): 在该账户的 open 下写 "
                'account_number: "账号", 或用 --account 指定, 如 --account 银行存款-青石农商行'
            )
        if account is None:
            problems.append(Problem(*where, reason))
        return account

    def fallback_account(
        self, header: Header, book: AccountBook, first: datetime.date, number: str
    ) -> str | None:
        """The account when no number matched; statements have none."""
        return None

    # -- rows ----------------------------------------------------------------------------

    def movements(
        self, header: Header, label: str, previous: Decimal | None, problems: list[Problem]
    ) -> tuple[list[Movement], Decimal | None, Record | None]:
        """The sheet's movements, each balance checked against the previous one; carried and
        stated balances (上年结转, 过次页 …) are checked the same way, and a 本月合计 row's
        amounts against the month's rows.

        Also returns the last balance, and the sheet's opening-balance row if it has one.
        """
        found = []
        opening_row = None
        has_balance = "balance" in header.columns
        month = MonthTotals()
        for record in records(header, label, problems, totals=True):
            values = record.values
            where = (label, record.sheet, record.row)
            balance = self.signed_balance(values)
            if record.opening or record.total:
                if previous is not None and balance is not None and balance != previous:
                    problems.append(
                        Problem(
                            *where,
                            f"{column_label(header, 'balance')}: 本行所记余额 {balance:,.2f} 与"
                            f"上一行余额 {previous:,.2f} 不符 (stated balance does not follow)",
                        )
                    )
                previous = balance if balance is not None else previous
                if record.total:
                    problems.extend(month.check(header, record, where))
                elif not found:
                    opening_row = record
                flows = any(values.get(f) for f in ("inflow", "outflow", "amount"))
                month.carried |= flows and not month.months  # the month began on a page before
                continue
            if record.broken:
                previous = None
                continue
            amount = self.amount(header, record, label, problems)
            if values.get("date") is None:
                problems.append(Problem(*where, f"{column_label(header, 'date')}: 缺少日期"))
                previous = None
                continue
            if amount is None:
                previous = None
                continue
            if has_balance and balance is None:
                problems.append(Problem(*where, f"{column_label(header, 'balance')}: 缺少余额"))
            elif has_balance and previous is not None and balance != previous + amount:
                problems.append(
                    Problem(
                        *where,
                        f"{column_label(header, 'balance')}: 余额 {balance:,.2f} 与上一行余额 "
                        f"{previous:,.2f} {'+' if amount >= 0 else '-'} 本行 {abs(amount):,.2f} = "
                        f"{previous + amount:,.2f} 不符 (running balance does not follow)",
                    )
                )
            month.add(values["date"], amount)
            found.append(Movement(record, values["date"], amount, balance))
            previous = balance
        return found, previous, opening_row

    def signed_balance(self, values: dict) -> Decimal | None:
        """The row's balance, negative when 借或贷 says 贷 (and zero for 平)."""
        balance = values.get("balance")
        side = values.get("side") or ""
        if side == "平":
            return ZERO
        if balance is not None and side == "贷":
            return -balance
        return balance

    #: A one-column amount's direction (借贷标志): + into the own account, - out of it. A
    #: statement is written from the bank's side (借 = out); a journal from the village's.
    directions: ClassVar[dict[str, int]] = {
        "借": 1,
        "借方": 1,
        "收": 1,
        "收入": 1,
        "贷": -1,
        "贷方": -1,
        "支": -1,
        "支出": -1,
    }

    def amount(
        self, header: Header, record: Record, label: str, problems: list[Problem]
    ) -> Decimal | None:
        """Money into the own account (+) or out of it (-); one side only, or one signed
        amount (its sign, or its 借贷标志, says the side)."""
        values = record.values
        if "amount" in header.columns and values.get("amount"):
            amount = values["amount"]
            side = squeeze(str(values.get("direction") or ""))
            if not side:
                return amount
            sign = self.directions.get(side)
            if sign is None or (amount < 0 and sign > 0):
                shown = ", ".join(self.directions)
                message = f"{column_label(header, 'direction')}: “{side}” 应为 {shown} 之一"
                problems.append(Problem(label, record.sheet, record.row, message))
                return None
            return sign * abs(amount)
        inflow = values.get("inflow") or ZERO
        outflow = values.get("outflow") or ZERO
        if bool(inflow) != bool(outflow):
            return inflow - outflow
        if "amount" in header.columns and "inflow" not in header.columns:
            labels = column_label(header, "amount")
            message = f"{labels}为空或为零 (no amount)"
        else:
            in_label, out_label = column_label(header, "inflow"), column_label(header, "outflow")
            if inflow:
                message = f"{in_label}和{out_label}都有金额: 一行只应填一方 (both sides filled)"
            else:
                message = f"{in_label}和{out_label}都为空或为零 (no amount)"
        problems.append(Problem(label, record.sheet, record.row, message))
        return None

    def transaction(
        self,
        movement: Movement,
        own: str,
        book: AccountBook,
        classifier: Classifier,
        provenance: Provenance,
        problems: list[Problem],
    ) -> data.Transaction | None:
        """The movement as a two-posting transaction (flagged ``!`` when left unclassified)."""
        record = movement.record
        values = record.values
        where = (provenance.workbook.label, record.sheet, record.row)
        summary = values.get("summary") or ""
        payee = values.get("payee") or ""
        word, number = values.get("voucher_word"), values.get("voucher")
        voucher = f"{word}-{number}" if word and number else word or number or ""
        counter_text = "-".join(filter(None, [values.get("counter"), values.get("detail")]))
        direction = "收" if movement.amount > 0 else "支"
        flag, classified = "*", ""
        if not counter_text:
            guess = classifier.classify(payee, summary, direction)
            if guess is not None:
                counter_text, classified = guess
        counter = None
        if counter_text:
            create = self.options.create_accounts
            if book.exists(counter_text):
                counter = counter_text
            else:
                counter, reason = book.resolve("", counter_text, movement.date, create)
                if counter is None:
                    problems.append(Problem(*where, f"对方科目 “{counter_text}”: {reason}"))
                    return None
        if counter is None:
            counter, reason = book.unidentified(
                direction, movement.date, classifier.waiting.get(direction)
            )
            if counter is None:
                problems.append(Problem(*where, f"待查明款项科目: {reason}"))
                return None
            flag = "!"
        links = frozenset(row_links(values, where, problems))
        amount = movement.amount
        own_posting = (own, str(amount))
        serial = values.get("serial") or ""
        content = (
            movement.date.isoformat(),
            voucher,
            squeeze(summary),
            squeeze(payee),
            serial,
            tuple(sorted(links)),
            tuple(sorted([own_posting, (counter, str(-amount))]))
            if self.has_counter
            else own_posting,
        )
        meta = provenance.meta(record.sheet, record.row, content)
        if voucher:
            meta["voucher"] = voucher
        if serial:
            meta["serial"] = serial
        funder = self.funder_of(values, classifier, counter, direction)
        if funder:
            meta["funder"] = funder
        if classified:
            meta["classified"] = classified
        postings = [
            data.Posting(own, BeanAmount(amount, "CNY"), None, None, None, None),
            data.Posting(counter, BeanAmount(-amount, "CNY"), None, None, None, None),
        ]
        return data.Transaction(
            meta, movement.date, flag, payee or None, summary, data.EMPTY_SET, links, postings
        )

    def funder_of(self, values: dict, classifier: Classifier, counter: str, direction: str) -> str:
        """Whose money a receipt is: the 出资方 column, else a rule's 出资方, else — for
        money credited to a fund account (``transaction_facts.FUND_ACCOUNTS`` and the
        ledger's ``aid_accounts``) — the payee who remitted it. A sale or any other receipt
        names no funder unless the sheet or a rule does; payments never do."""
        if direction != "收":
            return ""
        payee, summary = values.get("payee") or "", values.get("summary") or ""
        named = values.get("funder") or classifier.funder(payee, summary, direction)
        if named:
            return named
        return payee if transaction_facts.top_code(counter) in self.fund_codes else ""

    # -- balance assertions ----------------------------------------------------------------

    def assertions(
        self,
        movements: list[Movement],
        own: str,
        provenance: Provenance,
        first_sheet: bool,
        opening_row: Record | None,
    ) -> list[data.Balance]:
        """``balance`` entries: before the file's first row, and after each month's last row.

        The opening balance (first sheet only) is cited at the sheet's 期初余额 row if it has
        one; without one it follows from the first row's balance and amount.

        Beancount checks a balance at the start of its day, so a closing balance is dated the
        day after the last row; it is left out when a later row falls on that same day.
        """
        known = [m for m in movements if m.balance is not None]
        if not known:
            return []
        found = []
        first = known[0]
        points = []
        if first_sheet:
            points.append((first.date, first.balance - first.amount, opening_row or first.record))
        for i, movement in enumerate(known):
            following = known[i + 1] if i + 1 < len(known) else None
            month_ends = following is None or (following.date.year, following.date.month) != (
                movement.date.year,
                movement.date.month,
            )
            if month_ends and (following is None or following.date > movement.date):
                points.append((movement.date + ONE_DAY, movement.balance, movement.record))
        for date, balance, record in points:
            content = ("balance", own, date.isoformat(), str(balance))
            meta = provenance.meta(record.sheet, record.row, content)
            units = BeanAmount(balance, "CNY")
            found.append(data.Balance(meta, date, own, units, None, None))
        return found


@dataclass
class MonthTotals:
    """The movements since the last 本月合计 row, to check the next one's 借方 and 贷方.

    ``carried``: a carried row (承前页 with amounts) or another total came first, so the
    sheet does not hold the whole month: the next 本月合计 is not checked.
    """

    inflow: Decimal = ZERO
    outflow: Decimal = ZERO
    months: set = field(default_factory=set)
    carried: bool = False

    def add(self, date: datetime.date, amount: Decimal) -> None:
        self.months.add((date.year, date.month))
        if amount > 0:
            self.inflow += amount
        else:
            self.outflow -= amount

    def check(self, header: Header, record: Record, where: tuple) -> list[Problem]:
        """The problems of a total row (a 本月合计's amounts that are not the month's sums);
        starts the next month."""
        problems = []
        if record.total == "month" and not self.carried and len(self.months) == 1:
            values = record.values
            for name, summed in (("inflow", self.inflow), ("outflow", self.outflow)):
                stated = values.get(name)
                if name in header.columns and stated is not None and stated != summed:
                    problems.append(
                        Problem(
                            *where,
                            f"{column_label(header, name)}: 本月合计 {stated:,.2f} 与本月各行合计 "
                            f"{summed:,.2f} 不符 (monthly total does not add up)",
                        )
                    )
        if record.total == "month" or self.carried:
            self.inflow, self.outflow, self.months, self.carried = ZERO, ZERO, set(), False
        return problems


class JournalImporter(MovementsImporter):
    """现金日记账 and 银行存款日记账."""

    dialect = JournalColumns

    def fallback_account(
        self, header: Header, book: AccountBook, first: datetime.date, number: str
    ) -> str | None:
        """库存现金 for a cash journal; 银行存款-<开户行> for a bank journal."""
        title = "".join(header.above)
        if "现金" in title and "银行" not in title:
            return book.resolve("101", "", first, False)[0]
        bank = header.note("开户行", "开户银行", "银行")
        if not bank:
            return None
        account, _ = book.resolve("", f"银行存款-{bank}", first, self.options.create_accounts)
        if account is not None and account in book.new and number:
            book.new[account].meta["account_number"] = number
        return account


class StatementImporter(MovementsImporter):
    """银行对账单: rows are classified by the village's rules and history."""

    dialect = StatementColumns
    has_counter = False
    directions: ClassVar[dict[str, int]] = {
        "贷": 1, "贷方": 1, "收": 1, "收入": 1, "存入": 1, "来账": 1, "C": 1, "CR": 1, "+": 1,
        "借": -1, "借方": -1, "支": -1, "支出": -1, "支取": -1, "往账": -1, "D": -1, "DR": -1,
        "-": -1,
    }  # fmt: skip


@dataclass
class Statement:
    """A bank statement read whole, for ``cunzhang reconcile`` (:mod:`projects.reconcile`):
    its movements (+ into the account) and the account number it names."""

    workbook: Workbook
    number: str
    movements: list[Movement]


def read_statement(path: Path) -> Statement:
    """The statement's movements, each balance checked; :class:`ImportRefused` otherwise."""
    workbook = open_workbook(path)
    importer = StatementImporter()
    problems: list[Problem] = []
    headers = importer.headers(workbook, problems)
    movements: list[Movement] = []
    previous = None
    for header in headers:
        found, previous, _ = importer.movements(header, workbook.label, previous, problems)
        movements += found
    if problems:
        raise ImportRefused(merge_repeats(problems))
    return Statement(workbook, headers[0].note("账号", "账户", "卡号"), movements)


def own_account(
    book: AccountBook, text: str, number: str, when: datetime.date, create: bool = False
) -> tuple[str | None, str]:
    """The account a bank or cash file is about: the one ``text`` (``--account``) names (a
    Beancount account the ledger lacks is opened by its code and name path, with ``create``),
    else the one whose ``open`` has the file's 账号 ``number`` as ``account_number``.

    ``(account, "")``; ``(None, reason)`` when ``text`` names no account or ``number``
    several; ``(None, "")`` when neither decides (the caller's fallback).
    """
    if text:
        if book.exists(text):
            return text, ""
        code, path = (chart.code_of(text), chart.name_path(text)) if ":" in text else ("", text)
        account, reason = book.resolve(code, path, when, create)
        return account, "" if account is not None else f"--account {text}: {reason}"
    matches = book.by_number(number) if number else []
    if len(matches) == 1:
        return matches[0], ""
    if len(matches) > 1:
        return None, f"账号 {number} 对应多个账户 {matches}: 用 --account"
    return None, ""


def _first_date(header: Header) -> datetime.date:
    """The first date in a sheet (for dating accounts the import opens)."""
    column = header.columns.get("date")
    for row in header.sheet.rows[header.index + 1 :]:
        if column is not None and column < len(row):
            value = row[column]
            if isinstance(value, datetime.date):
                return value if not isinstance(value, datetime.datetime) else value.date()
    return datetime.date(header.year or datetime.date.today().year, 1, 1)
