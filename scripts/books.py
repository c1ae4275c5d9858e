"""开账、对账、结账与分配: the books' start, month ends and year end.

``cunzhang open-books``, ``reconcile``, ``close-year`` and ``distribute``. Each command is a
Python function too (:func:`open_books`, :func:`reconcile_month`, :func:`close_books`,
:func:`distribute_plan`), which scripts call. They write the way ``cunzhang import`` does
(:mod:`importers.run`): under the village's lock, the ledger re-read inside it, a staged copy
checked by Beancount and the project's plugin, then each file replaced atomically; a refusal
(:class:`~importers.sheet.ImportRefused`, one ``FILE:SHEET:ROW: message`` per problem)
leaves the ledger byte for byte as it was.

The computations are pure functions elsewhere: :mod:`projects.chart_move` (2004 → 2023),
:mod:`projects.reconcile`, :mod:`projects.closing`; the 收益及收益分配表 they print is the
disclosure's (:func:`projects.disclosure.compute`).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from beancount.core import data

from importers import run
from importers.accounts import AccountBook
from importers.base import Options, archive_name
from importers.books import Plan, Statement, read_plan, read_statement
from importers.render import block
from importers.sheet import ImportRefused, Problem, Workbook, parse_amount
from importers.trial_balance import (
    TrialBalance,
    mapping_path,
    mapping_text,
    read_mapping,
    read_trial_balance,
)
from projects import chart_move, closing, disclosure, layout
from projects import reconcile as matching
from projects.chart import CHART_VERSIONS, chart, code_of, component
from projects.ledger import read, where
from projects.reports import Books
from projects.text import display_width, pad
from scripts.context import Context

#: The opening balances' counter-account: every opening entry posts its first-level
#: account's total here, and the entries together net it to zero (asserted the next day).
OPENING = ("32299", "收益分配-期初余额")
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Outcome:
    """What a command wrote (``written`` empty: nothing to do, ``note`` says why)."""

    entries: list[data.Directive] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    note: str = ""
    table: list[tuple[str, str, Decimal]] = field(default_factory=list)


# -- writing, as cunzhang import does ------------------------------------------------------


@contextlib.contextmanager
def session(folder: Path) -> Iterator[tuple[Path, data.Directives, list]]:
    """The village locked, with its ledger as loaded inside the lock."""
    folder = Path(folder).resolve()
    if not layout.is_village(folder):
        raise ImportRefused([Problem(str(folder), "", 0, "这里没有村账套 (no village ledger)")])
    with run.locked([folder]):
        entries, errors, _ = read(folder / layout.MAIN)
        yield folder, entries, errors


def write(
    folder: Path,
    entries: data.Directives,
    errors: list,
    added: list[data.Directive],
    title: str,
    archives: dict[Path, Path] | None = None,
    workbooks: tuple[Workbook, ...] = (),
) -> list[Path]:
    """Append ``added`` to the village (opens to ``accounts.beancount``), citing the first
    archive; refused if the staged ledger has an error it did not have before."""
    archives = archives or {}
    changes: dict[Path, str] = {}
    opens = [e for e in added if isinstance(e, data.Open)]
    if opens:
        run.append(changes, folder / run.ACCOUNTS, block(opens, f"{title}: 开设的明细科目"))
    others = [e for e in added if not isinstance(e, data.Open)]
    run.add_entries(changes, folder, others, title, next(iter(archives), None))
    archives = {a: s for a, s in archives.items() if not a.exists()}
    state = run.VillageState(folder, entries, errors, set(), Options())
    run.check_staged([state], changes, archives, list(workbooks))
    run.commit(changes, archives)
    return sorted(changes) + sorted(archives)


def archive_path(folder: Path, account: str, date: datetime.date, workbook: Workbook) -> Path:
    """``documents/<account>/<date>.<sha256>.<name>``, like imported files."""
    return folder / run.DOCUMENTS / Path(*account.split(":")) / f"{date}.{archive_name(workbook)}"


def standard_account(book: AccountBook, code: str, path: str, when: datetime.date) -> str:
    """The account of a name path: the ledger's own, else opened with the standard's code
    (when it is free and extends the parent's), else with the next code."""
    account, _ = book.resolve("", path, when, False)
    if account is not None:
        return account
    parent_path, _, name = path.rpartition("-")
    parent = book.resolve("", parent_path, when, False)[0] if parent_path else None
    free = code and book.resolve(code, "", when, False)[0] is None
    if parent and free and code.startswith(code_of(parent)):
        account = f"{parent}:{component(code, name)}"
        book.open(account, name, when)
        return account
    account, reason = book.resolve("", path, when, True)
    if account is None:
        raise ImportRefused([Problem(path, "", 0, reason)])
    return account


def refuse(folder: Path, message: str) -> ImportRefused:
    return ImportRefused([Problem(layout.village_label(folder), "", 0, message)])


def located(entry: data.Directive) -> str:
    return where(entry.meta)


# -- open-books ----------------------------------------------------------------------------


def open_books(
    folder: Path,
    file: Path,
    date: datetime.date = datetime.date(2024, 1, 1),
    version: str = "2023",
    mapping: Path | None = None,
) -> Outcome:
    """Write the opening entries of a trial balance (in the 2023 or 2004 chart) on ``date``.

    With the 2004 chart, lines without a single 2023 equivalent are answered in the mapping
    file (``mapping``, default beside the trial balance); a missing file is written with the
    lines to answer, and the trial balance is refused until each is answered.
    """
    trial = read_trial_balance(Path(file))
    label = trial.workbook.label
    mapping = Path(mapping) if mapping else mapping_path(Path(file))
    move = carried(trial, version, mapping)
    key = trial.workbook.sha256[:20]
    with session(folder) as (folder, entries, errors):
        done = [e for e in entries if e.meta and e.meta.get("opening_key") == key]
        if done:
            return Outcome(note=f"已用此表开账 (already opened from this file: {located(done[0])})")
        earlier = [e for e in entries if isinstance(e, data.Transaction) and e.date <= date]
        if earlier:
            raise refuse(
                folder,
                f"账上 {date} 及以前已有 {len(earlier)} 笔交易 (first: {located(earlier[0])}): "
                "只能在该日期以前没有交易的账上开账 (the books are not empty)",
            )
        book = AccountBook(entries, "2023")
        outcome = Outcome()
        postings = opening_postings(book, move, date, label, outcome.table)
        new_chart = chart("2023")
        opening = standard_account(book, *OPENING, date)
        added: list[data.Directive] = []
        for top, group in sorted(postings.items()):
            total = sum((p.units.number for p in group), closing.ZERO)
            if total:
                group.append(closing.posting(opening, -total))
            narration = f"期初余额: {top} {new_chart[top].name}"
            added.append(
                closing.transaction(date, narration, group, "opening", {"opening_key": key})
            )
        added.append(matching.assertion(opening, date, closing.ZERO, {"opening_key": key}))
        archives = {archive_path(folder, opening, date, trial.workbook): trial.workbook.path}
        books = [trial.workbook]
        if version == "2004" and mapping.is_file():
            sheet = open_mapping(mapping)
            archives[archive_path(folder, opening, date, sheet)] = mapping
        outcome.opened = [o.account for o in book.opens()]
        outcome.entries = [*book.opens(), *added]
        title = f"开账 open-books: {label} ({version}年科目表)"
        outcome.written = write(folder, entries, errors, outcome.entries, title, archives, books)
    return outcome


def carried(trial: TrialBalance, version: str, mapping: Path) -> chart_move.Move:
    """The trial balance's lines in the 2023 chart; refused with every problem, and with
    each 2004 line still to answer (writing the mapping file that asks, if there is none)."""
    label = trial.workbook.label
    answers, problems = [], []
    if version == "2004" and mapping.is_file():
        answers, problems = read_mapping(mapping)
        if problems:
            raise ImportRefused(problems)
    move = chart_move.move(trial.lines, version, answers)
    for source, message in move.problems:
        if isinstance(source, chart_move.Answer):
            problems.append(Problem(source.file, "", source.row, message))
        else:
            problems.append(Problem(label, source.sheet, source.row, message))
    if move.unanswered and not mapping.exists():
        mapping.write_text(mapping_text([mapping_row(line) for line in move.unanswered]), "utf-8")
    for line in move.unanswered:
        problems.append(
            Problem(
                label,
                line.sheet,
                line.row,
                f"2004年科目 {line.label} ({line.amount:,.2f}) 在2023年科目表中没有唯一对应 "
                f"({chart_move.choices_text(line.code[:3])}): 请在 {mapping} 中填写新科目编码 "
                "(answer the mapping file)",
            )
        )
    if problems:
        raise ImportRefused(problems)
    return move


def opening_postings(
    book: AccountBook,
    move: chart_move.Move,
    date: datetime.date,
    label: str,
    table: list[tuple[str, str, Decimal]],
) -> dict[str, list[data.Posting]]:
    """The postings of the moved lines by 2023 first-level code, their accounts opened as
    needed (by code from a 2023 sheet, by name from a 2004 one); each is added to ``table``."""
    postings: dict[str, list[data.Posting]] = defaultdict(list)
    problems = []
    for moved in move.moved:
        if moved.code:
            account, reason = book.resolve(moved.code, moved.old.name, date, True)
        else:
            path = "-".join([chart("2023")[moved.top].name, *moved.names])
            account, reason = book.resolve("", path, date, True)
        if account is None:
            problems.append(Problem(label, moved.old.sheet, moved.old.row, reason))
        elif moved.post and moved.amount:
            meta = {"sheet": moved.old.sheet, "row": Decimal(moved.old.row)}
            if not moved.code:
                meta["chart_2004"] = moved.old.label
            postings[moved.top].append(closing.posting(account, moved.amount, meta))
            table.append((moved.old.label, account, moved.amount))
    if problems:
        raise ImportRefused(problems)
    return postings


def open_mapping(path: Path) -> Workbook:
    """The mapping file as a :class:`Workbook` for archiving (its hash and name)."""
    content = path.read_bytes()
    return Workbook(path, hashlib.sha256(content).hexdigest(), [])


def mapping_row(line: chart_move.Line) -> dict[str, str]:
    """A line of the mapping file for a trial balance line to answer."""
    return {
        "code": line.code,
        "name": "-".join(line.names()),
        "side": "借" if line.amount >= 0 else "贷",
        "amount": f"{abs(line.amount):.2f}",
        "choices": chart_move.choices_text(line.code[:3]),
        "note": chart("2004")[line.code[:3]].note,
    }


# -- reconcile -----------------------------------------------------------------------------


def reconcile_month(
    folder: Path,
    month: str,
    statement: Path | None = None,
    balance: Decimal | None = None,
    account: str | None = None,
) -> tuple[matching.Reconciliation, str, Outcome]:
    """Reconcile a month; when the balances agree, mark it with a balance assertion.

    Returns the reconciliation, the bank account and what was written.
    """
    period = disclosure.parse_period(month)
    if period.kind != "月度":
        raise ImportRefused([Problem(month, "", 0, "--month 应写成 2024-03 (a month)")])
    read = read_statement(Path(statement)) if statement else None
    items, closing_balance = statement_items(read, period) if read else ([], None)
    if balance is not None:
        if closing_balance is not None and closing_balance != balance:
            raise ImportRefused(
                [
                    Problem(
                        read.workbook.label,
                        "",
                        0,
                        f"对账单月末余额 {closing_balance:,.2f} 与 --balance {balance:,.2f} 不同",
                    )
                ]
            )
        closing_balance = balance
    if closing_balance is None:
        raise ImportRefused(
            [Problem(month, "", 0, "没有对账单月末余额: 给出对账单 (含余额列) 或 --balance")]
        )
    with session(folder) as (folder, entries, errors):
        own = bank_account(folder, entries, account, read.number if read else "")
        books_items, books_balance = matching.book_items(entries, own, period.start, period.end)
        result = matching.reconcile(books_items, items, books_balance, closing_balance)
        outcome = Outcome()
        if not result.reconciled:
            return result, own, outcome
        date = period.end + ONE_DAY
        done = [
            e
            for e in entries
            if isinstance(e, data.Balance)
            and (e.date, e.account) == (date, own)
            and e.meta.get("reconciled") == period.code
        ]
        if done:
            outcome.note = f"已对账 (already reconciled: {located(done[0])})"
            return result, own, outcome
        meta = {"reconciled": period.code}
        meta["statement"] = read.workbook.label if read else "手工输入余额 (typed)"
        outcome.entries = [matching.assertion(own, period.end, closing_balance, meta)]
        title = f"银行对账 reconcile: {period.code}"
        outcome.written = write(folder, entries, errors, outcome.entries, title)
    return result, own, outcome


def statement_items(
    read: Statement, period: disclosure.Period
) -> tuple[list[matching.Item], Decimal | None]:
    """The statement's movements in the period, and its last balance up to the period's end."""
    items, closing_balance = [], None
    for movement in read.movements:
        record = movement.record
        if period.start <= movement.date <= period.end:
            text = " ".join(str(record.values.get(k) or "") for k in ("payee", "summary"))
            source = f"{read.workbook.label}:{record.sheet}:{record.row}"
            items.append(matching.Item(movement.date, movement.amount, text.strip(), source))
        if movement.date <= period.end and movement.balance is not None:
            closing_balance = movement.balance
    return items, closing_balance


def bank_account(folder: Path, entries: data.Directives, text: str | None, number: str) -> str:
    """The bank account: ``--account``, else the statement's 账号, else the only one."""
    book = AccountBook(entries)
    if text:
        if book.exists(text):
            return text
        found, reason = book.resolve("", text, datetime.date.today(), False)
        if found is None:
            raise refuse(folder, f"--account {text}: {reason}")
        return found
    if number:  # a statement of another account must not be reconciled with this one
        matches = book.by_number(number)
        if len(matches) == 1:
            return matches[0]
        raise refuse(
            folder,
            f"对账单账号 {number} 对应 {len(matches)} 个账户 (open 的 account_number): "
            "请用 --account 指定银行账户",
        )
    banks = [a for a in book.opened if a.startswith("Assets:102-") and a.count(":") == 2]
    if len(banks) == 1:
        return banks[0]
    raise refuse(folder, f"请用 --account 指定银行账户 (which bank account?): {banks}")


# -- close-year and distribute -------------------------------------------------------------


def close_books(folder: Path, year: int) -> Outcome:
    """Close the year: income and expenses → 本年收益 → 未分配收益 (``#closing``)."""
    end = closing.year_end(year)
    with session(folder) as (folder, entries, errors):
        earlier = closing.results(entries, closing.year_end(year - 1))
        if earlier:
            raise refuse(
                folder,
                f"{year - 1}年的损益尚未结转 ({len(earlier)} 个科目有余额): "
                f"先 cunzhang close-year {layout.village_label(folder)} {year - 1}",
            )
        book = AccountBook(entries)
        retained = standard_account(book, *closing.RETAINED, end)
        added = closing.close_year(entries, year, retained)
        if not added:
            return Outcome(note=f"{year}年已结账, 没有需要结转的余额 (already closed)")
        outcome = Outcome(entries=[*book.opens(), *added], opened=[o.account for o in book.opens()])
        title = f"年终结账 close-year: {year}"
        outcome.written = write(folder, entries, errors, outcome.entries, title)
    return outcome


def distribute_plan(folder: Path, year: int, plan_file: Path) -> Outcome:
    """Book the members' meeting's distribution plan for the year (``#distribution``)."""
    plan = read_plan(Path(plan_file))
    label = plan.workbook.label
    key = plan.workbook.sha256[:20]
    end = closing.year_end(year)
    with session(folder) as (folder, entries, errors):
        booked = [
            e
            for e in entries
            if isinstance(e, data.Transaction)
            and e.date.year == year
            and "distribution" in (e.tags or ())
        ]
        if any(e.meta.get("plan_key") == key for e in booked):
            return Outcome(note=f"已按此方案分配 (already booked: {located(booked[0])})")
        if booked:
            raise refuse(
                folder,
                f"{year}年已有收益分配 ({located(booked[0])}): 如需更改, 先删除原分录",
            )
        if closing.results(entries, end):
            raise refuse(
                folder,
                f"{year}年尚未结账: 先 cunzhang close-year {layout.village_label(folder)} {year}",
            )
        available = statement_value(income_statement(folder, entries, year), "五、可分配收益")
        if plan.total > available:
            raise ImportRefused(
                [
                    Problem(
                        label,
                        plan.lines[-1].sheet,
                        plan.lines[-1].row,
                        f"分配合计 {plan.total:,.2f} 超过可分配收益 {available:,.2f} "
                        "(the plan distributes more than is available)",
                    )
                ]
            )
        book = AccountBook(entries)
        accounts = {
            name: standard_account(book, *spec, end)
            for name, spec in (
                ("retained", closing.RETAINED),
                ("allocated", closing.ALLOCATED),
                ("reserve", closing.RESERVE),
                ("member", closing.MEMBER_SHARE),
                ("other", closing.OTHER_SHARE),
                ("fund", closing.PUBLIC_FUND),
                ("payable", closing.MEMBERS_PAYABLE),
            )
            if name != "other" or any(line.kind == "other" for line in plan.lines)
        }
        shares = plan_shares(plan, book, accounts, end)
        meta = {"plan_key": key}
        if plan.approved:
            meta["approved"] = plan.approved
        added = closing.distribute(shares, year, accounts["retained"], meta)
        outcome = Outcome(entries=[*book.opens(), *added], opened=[o.account for o in book.opens()])
        archive = archive_path(folder, accounts["allocated"], end, plan.workbook)
        title = f"收益分配 distribute: {label}"
        outcome.written = write(
            folder,
            entries,
            errors,
            outcome.entries,
            title,
            {archive: plan.workbook.path},
            (plan.workbook,),
        )
    return outcome


def plan_shares(
    plan: Plan, book: AccountBook, accounts: dict[str, str], end: datetime.date
) -> list[closing.Share]:
    """Each plan line as a share: 公积公益金, a member's payable, or the line's account."""
    shares, problems = [], []
    for line in plan.lines:
        meta: dict[str, object] = {"sheet": line.sheet, "row": Decimal(line.row)}
        if line.kind == "reserve":
            credit = accounts["fund"]
        elif line.kind == "member":
            credit = accounts["payable"]
            meta["member"] = line.name
            if line.shares is not None:  # 3, not 3.00
                whole = line.shares == line.shares.to_integral_value()
                meta["shares"] = line.shares.quantize(Decimal(1)) if whole else line.shares
        else:
            credit, reason = book.resolve("", line.account, end, True)
            if credit is None and book.exists(line.account):
                credit = line.account
            if credit is None:
                at = (plan.workbook.label, line.sheet, line.row)
                problems.append(Problem(*at, f"科目 “{line.account}”: {reason}"))
                continue
            meta["purpose"] = line.name
        shares.append(closing.Share(accounts[line.kind], credit, line.amount, meta))
    if problems:
        raise ImportRefused(problems)
    return shares


def income_statement(
    folder: Path, entries: data.Directives, year: int
) -> list[disclosure.StatementLine]:
    """The disclosure's 收益及收益分配表 of the year."""
    books = Books.of(folder.name, entries)
    return disclosure.compute(books, disclosure.parse_period(str(year))).income_statement


def statement_value(lines: list[disclosure.StatementLine], label: str) -> Decimal:
    return next(line.amounts[0] for line in lines if line.label == label)


# -- the command line ----------------------------------------------------------------------


def refused(error: ImportRefused) -> None:
    """Print a refusal's problems on stderr and exit 1."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"✗ 未写入, 账套没有任何改动 (refused: {len(error.problems)} 个问题 problems)", err=True
    )
    raise SystemExit(1)


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def print_outcome(outcome: Outcome) -> None:
    if outcome.note:
        click.echo(outcome.note)
    for account in outcome.opened:
        click.echo(f"新开科目 (opened): {account}")
    if outcome.written:
        click.echo(f"已写入 written: {len(outcome.entries)} 条记录 entries")


def print_statement(folder: Path, year: int) -> None:
    """The 收益及收益分配表 as the disclosure computes it."""
    entries, _, _ = read(Path(folder).resolve() / layout.MAIN)
    click.echo(f"\n收益及收益分配表 {year}年度 (income and distribution statement)")
    for line in income_statement(Path(folder), entries, year):
        label = "  " * line.indent + line.label
        click.echo(f"  {pad(label, 24)}{money(line.amounts[0]):>16}")


@click.command("open-books")
@click.argument("village", metavar="VILLAGE")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default="2024-01-01",
    show_default=True,
    help="开账日期 opening date.",
)
@click.option(
    "--chart",
    type=click.Choice(CHART_VERSIONS),
    default="2023",
    show_default=True,
    help="余额表所用的科目表 chart of the trial balance.",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="2004→2023 科目对照文件 (默认: 余额表旁的 <余额表>.科目对照.csv).",
)
@click.pass_obj
def open_books_command(
    obj: Context,
    village: str,
    file: Path,
    date: datetime.datetime,
    chart: str,
    mapping: Path | None,
) -> None:
    """开账: 从科目余额表写期初余额 (opening balances from a trial balance)."""
    folder = layout.resolve(village, obj.ledgers)
    try:
        outcome = open_books(folder, file, date.date(), chart, mapping)
    except ImportRefused as error:
        refused(error)
    if outcome.table:
        width = max(display_width(old) for old, _, _ in outcome.table)
        wide = max(display_width(account) for _, account, _ in outcome.table)
        head = f"{pad('原科目 old', width)}  {pad('新科目 new (2023)', wide)}"
        click.echo(f"{head}{'借方(+)/贷方(-)':>16}")
        for old, account, amount in outcome.table:
            click.echo(f"{pad(old, width)}  {pad(account, wide)}{money(amount):>16}")
        debit = sum((a for _, _, a in outcome.table if a > 0), Decimal(0))
        credit = -sum((a for _, _, a in outcome.table if a < 0), Decimal(0))
        click.echo(f"借方合计 debits {money(debit)} · 贷方合计 credits {money(credit)}")
    print_outcome(outcome)


@click.command("reconcile")
@click.argument("village", metavar="VILLAGE")
@click.argument("statement", required=False, type=click.Path(path_type=Path))
@click.option("--month", required=True, help="月份 month, 如 2024-03.")
@click.option("--balance", default=None, help="对账单月末余额 the statement's closing balance.")
@click.option("--account", default=None, help="银行账户 bank account (银行存款-青石农商行, 10201).")
@click.pass_obj
def reconcile_command(
    obj: Context,
    village: str,
    statement: Path | None,
    month: str,
    balance: str | None,
    account: str | None,
) -> None:
    """银行对账: 账面余额与对账单余额核对, 列出未达账项; 对平后写余额断言."""
    folder = layout.resolve(village, obj.ledgers)
    try:
        typed = parse_amount(balance) if balance is not None else None
    except (ValueError, InvalidOperation) as error:
        raise click.BadParameter(str(error), param_hint="--balance") from None
    try:
        result, own, outcome = reconcile_month(folder, month, statement, typed, account)
    except ImportRefused as error:
        refused(error)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--month") from None
    click.echo(f"{own} {month}")
    click.echo(f"  账面余额 books:         {money(result.books_balance):>16}")
    click.echo(f"  对账单余额 statement:   {money(result.statement_balance):>16}")
    click.echo(f"  差额 difference:        {money(result.difference):>16}")
    sections = (
        ("账上有、对账单上没有 (in the books, not on the statement)", result.books_only),
        ("对账单上有、账上没有 (on the statement, not in the books)", result.statement_only),
    )
    for title, found in sections:
        if found:
            click.echo(title + ":")
            for item in found:
                click.echo(f"  {item.date} {money(item.amount):>14} {item.text}  [{item.where}]")
    if result.other_date:
        click.echo("金额相同、日期不同 (same amount, different dates):")
        for books_item, bank_item in result.other_date:
            click.echo(
                f"  账 {books_item.date} / 单 {bank_item.date} {money(books_item.amount):>14} "
                f"{books_item.text}  [{books_item.where} · {bank_item.where}]"
            )
    if not result.reconciled:
        click.echo("✗ 未对平 (not reconciled): 未写入任何内容", err=True)
        raise SystemExit(1)
    click.echo("✓ 已对平 (reconciled)")
    print_outcome(outcome)


@click.command("close-year")
@click.argument("village", metavar="VILLAGE")
@click.argument("year", type=int)
@click.pass_obj
def close_year_command(obj: Context, village: str, year: int) -> None:
    """年终结账: 损益 → 本年收益 → 未分配收益 (#closing)."""
    folder = layout.resolve(village, obj.ledgers)
    try:
        outcome = close_books(folder, year)
    except ImportRefused as error:
        refused(error)
    print_outcome(outcome)
    print_statement(folder, year)


@click.command("distribute")
@click.argument("village", metavar="VILLAGE")
@click.argument("year", type=int)
@click.argument("plan", type=click.Path(path_type=Path))
@click.pass_obj
def distribute_command(obj: Context, village: str, year: int, plan: Path) -> None:
    """收益分配: 按成员(代表)大会通过的方案分配 (#distribution)."""
    folder = layout.resolve(village, obj.ledgers)
    try:
        outcome = distribute_plan(folder, year, plan)
    except ImportRefused as error:
        refused(error)
    print_outcome(outcome)
    print_statement(folder, year)
