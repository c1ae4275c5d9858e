"""开账、对账、结账与分配: the books' start, month ends and year end, on the command line.

``cunzhang open-books``, ``reconcile``, ``close-year`` and ``distribute``: each command parses
its arguments, calls its function (:func:`projects.opening.open_books`,
:func:`projects.reconcile.reconcile_month`, :func:`projects.year_end.close_books`,
:func:`projects.year_end.distribute_plan`) and prints what it did. A refusal
(:class:`~importers.sheet.ImportRefused`, one ``FILE:SHEET:ROW: message`` per problem) is
printed on stderr; the ledger is then byte for byte as it was.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from importers.sheet import ImportRefused, parse_amount
from importers.writing import Outcome
from projects import layout
from projects.chart import CHART_VERSIONS
from projects.ledger import read
from projects.opening import open_books
from projects.reconcile import reconcile_month
from projects.text import amount_text, display_width, pad
from projects.year_end import close_books, distribute_plan, income_statement
from scripts.context import Context


def refused(error: ImportRefused) -> None:
    """Print a refusal's problems on stderr and exit 1."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"✗ 未写入, 账套没有任何改动 (refused: {len(error.problems)} 个问题 problems)", err=True
    )
    raise SystemExit(1)


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
        click.echo(f"  {pad(label, 24)}{amount_text(line.amounts[0]):>16}")


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
            click.echo(f"{pad(old, width)}  {pad(account, wide)}{amount_text(amount):>16}")
        debit = sum((a for _, _, a in outcome.table if a > 0), Decimal(0))
        credit = -sum((a for _, _, a in outcome.table if a < 0), Decimal(0))
        click.echo(f"借方合计 debits {amount_text(debit)} · 贷方合计 credits {amount_text(credit)}")
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
    click.echo(f"  账面余额 books:         {amount_text(result.books_balance):>16}")
    click.echo(f"  对账单余额 statement:   {amount_text(result.statement_balance):>16}")
    click.echo(f"  差额 difference:        {amount_text(result.difference):>16}")
    sections = (
        ("账上有、对账单上没有 (in the books, not on the statement)", result.books_only),
        ("对账单上有、账上没有 (on the statement, not in the books)", result.statement_only),
    )
    for title, found in sections:
        if found:
            click.echo(title + ":")
            for item in found:
                click.echo(
                    f"  {item.date} {amount_text(item.amount):>14} {item.text}  [{item.where}]"
                )
    if result.other_date:
        click.echo("金额相同、日期不同 (same amount, different dates):")
        for books_item, bank_item in result.other_date:
            amount = amount_text(books_item.amount)
            click.echo(
                f"  账 {books_item.date} / 单 {bank_item.date} {amount:>14} "
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
