"""Building the township as its accountant would: ledgers, imports, reconciling, the year end."""

from __future__ import annotations

import argparse
import csv
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from beancount.core import account as bc_account

from importers.classify import RULES_FILE
from importers.run import import_files
from importers.sheet import ImportRefused
from importers.trial_balance import MAPPING_COLUMNS, mapping_path, mapping_text
from projects import chart
from projects.layout import EMBEDDED_LEDGERS
from projects.model import DECISION_STEPS, RESULT_STEP
from projects.opening import open_books
from projects.reconcile import reconcile_month
from projects.year_end import close_books, distribute_plan
from scripts.demo.book import Book, Txn
from scripts.demo.common import (
    DEFAULT_SEED,
    END,
    EXAMPLES,
    START,
    STATEMENT,
    TOWNSHIP,
    ZERO,
)
from scripts.demo.papers import (
    TRIAL_BALANCE_NAME,
    Paper,
    organisation,
    papers,
    plan_name,
    plan_paper,
    register_paper,
    save_workbook,
    trial_balance_paper,
)
from scripts.demo.profile import Village
from scripts.demo.registers import registers_text
from scripts.demo.simulation import replay
from scripts.demo.villages import VILLAGES
from scripts.village import new_village


def quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def cny_text(amount: Decimal) -> str:
    """``1234.5`` → ``1234.50 CNY``, as a declaration writes an amount."""
    return f"{amount:.2f} CNY"


def accounts_text(book: Book) -> str:
    """``open`` directives of the sub-accounts in use, in code order."""
    accounts = book.accounts
    used = {a for a in accounts.names if any(o == a or o.startswith(a + ":") for o in book.opened)}
    blocks = []
    for account in sorted(used, key=lambda a: accounts.names[a][0]):
        first = min(
            d for o, d in book.opened.items() if o == account or o.startswith(account + ":")
        )
        text = chart.open_text(first.isoformat(), account, accounts.names[account][1])
        text += "".join(f"  {k}: {quote(v)}\n" for k, v in sorted(accounts.meta[account].items()))
        blocks.append(text)
    return "\n; 明细科目 (sub-accounts): 编码延续上级编码\n\n" + "\n".join(blocks)


def declarations_text(village: Village) -> str:
    """The secretary, the projects with funding and decision steps (the fund claims come
    from the register)."""
    s = village.secretary
    lines = [
        f"; 主导产业 (the village's industry): {village.industry}",
        "",
        "; 驻村第一书记 (posted first secretary)",
        f"{s.start} custom {quote('secretary')} {quote(s.name)} {quote(s.unit)}",
        f"  until: {s.until}",
    ]
    for p in village.projects:
        lines += ["", f"; 项目 {p.id} {p.name}"]
        lines.append(f"{p.declared} custom {quote('project')} {quote(p.id)} {quote(p.name)}")
        lines += [f"  kind: {quote(p.kind)}", f"  budget: {cny_text(p.budget)}"]
        if p.expected_income:
            lines.append(f"  expected_income: {cny_text(p.expected_income)}")
        if p.secretary:
            lines.append(f"  secretary: {quote(p.secretary)}")
        for source, amount, funder in p.funding:
            lines.append(
                f"{p.declared} custom {quote('project-funding')} {quote(p.id)} {quote(source)} "
                f"{cny_text(amount)}"
            )
            if funder:
                lines.append(f"  funder: {quote(funder)}")
        dated = list(zip(DECISION_STEPS, p.steps, strict=True))
        if p.result_public:
            dated.append((RESULT_STEP, p.result_public))
        lines += [
            f"{date} custom {quote('project-step')} {quote(p.id)} {quote(step)}"
            for step, date in dated
        ]
    lines += [
        "",
        "; 帮扶资金的协调与到位声明由帮扶资金台账导入 (fund claims: imported from the register)",
    ]
    return "\n".join(lines) + "\n"


def rules_text(village: Village) -> str:
    """``import-rules.csv``: how the village classifies bank statement rows and whose money
    a receipt is (出资方, optional)."""
    header = ["对方户名", "摘要", "方向", "科目", "出资方"]
    padded = [[*rule, *[""] * (len(header) - len(rule))] for rule in village.rules]
    lines = [",".join(header), *(",".join(rule) for rule in padded)]
    return "\n".join(lines) + "\n"


def organisation_text(village: Village) -> str:
    """The option naming the organisation as registered (reports, disclosures, their titles)."""
    option = f"{quote('cunzhang-option')} {quote('organisation')} {quote(organisation(village))}"
    return f"\n; 登记名称 (registered name)\n{START} custom {option}\n"


def write_village(ledgers: Path, book: Book) -> Path:
    """Create the village ledger: its registered name, sub-accounts, declarations (projects
    and the 三资 registers) and rules."""
    village = book.village
    folder = new_village(ledgers, f"{TOWNSHIP}/{village.name}", START)
    with (folder / "main.beancount").open("a", encoding="utf-8") as handle:
        handle.write(organisation_text(village))
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write(accounts_text(book))
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(declarations_text(village) + registers_text(book))
    if village.rules:
        (folder / RULES_FILE).write_text(rules_text(village), "utf-8")
    return folder


# --- building the books by importing the spreadsheets ----------------------------------


def import_papers(folder: Path, shelf: Path, batch: list[Paper]) -> None:
    """``cunzhang import`` the papers into a village (or township): those needing an
    ``--account`` separately. Anything left to classify by hand is an error in the demo."""
    by_account: dict[str | None, list[Path]] = defaultdict(list)
    for paper in batch:
        by_account[paper.account].append(shelf / paper.name)
    for account, files in by_account.items():
        report = import_files(folder, files, account=account)
        if report.flagged:
            unclassified = [f"{f.file.name}: {e.date} {e.narration}" for f, e in report.flagged]
            raise ValueError(f"{folder.name}: 待分类 {unclassified}")


def open_from_trial_balance(folder: Path, path: Path, book: Book) -> None:
    """开账 as ``cunzhang open-books --chart 2004`` does. A trial balance with lines the chart
    cannot carry alone is refused, the command writing the mapping file beside it; the
    accountant answers the file (here: from the profile's ``chart_2004``) and opens again."""
    try:
        open_books(folder, path, START, "2004")
    except ImportRefused:
        mapping = mapping_path(path)
        if not book.village.chart_2004 or not mapping.is_file():
            raise
        answer_mapping(mapping, book)
        open_books(folder, path, START, "2004")


def answer_mapping(path: Path, book: Book) -> None:
    """Fill in the mapping file: each asked 2004 line's 2023 account, and why."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [{MAPPING_COLUMNS[k]: v for k, v in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        old = next(o for o in book.village.chart_2004 if o.code == row["code"])
        account = book.account(old.account)
        sub_name = book.accounts.names[account][1] if account.count(":") > 1 else ""
        row.update(new_code=chart.code_of(account)[:3], sub_name=sub_name, note=old.note)
    path.write_text(mapping_text(rows), "utf-8")


def reconcile_months(folder: Path, shelf: Path, book: Book, year: int) -> None:
    """``cunzhang reconcile`` the year's months the village reconciles with its statement."""
    for month in book.village.reconciled:
        if month.startswith(f"{year}-"):
            statement = shelf / f"{month}-{STATEMENT}.xlsx"
            result, account, _ = reconcile_month(folder, month, statement)
            if not result.reconciled:
                raise ValueError(f"{folder.name} {month} {account}: 未对平 {result}")


def close_the_year(folder: Path, shelf: Path, book: Book, year: int) -> None:
    """``cunzhang close-year``, then ``cunzhang distribute`` with the year's plan."""
    close_books(folder, year)
    if year in book.distributions:
        distribute_plan(folder, year, shelf / plan_name(year))


def generate(out: Path, seed: int = DEFAULT_SEED, examples: Path = EXAMPLES) -> list[Book]:
    """Write the demo township under ``out`` and its spreadsheets under ``examples``
    (replacing ``out/青石镇`` and ``examples/青石镇``); the books written.

    Every village is replayed and its spreadsheets laid out before anything is deleted, so
    a profile the book refuses leaves the existing township as it was. Then, as a township
    accountant would: the villages are set up and opened from their 2023 trial balances;
    each year the fund register and each village's spreadsheets are imported, a month is
    reconciled where the village does, and the year is closed and distributed.
    """
    books = [replay(village, seed) for village in VILLAGES]
    by_village = {book.village.name: papers(book) for book in books}
    year_ends = {
        book.village.name: [
            trial_balance_paper(book),
            *(plan_paper(book, year) for year in sorted(book.distributions)),
        ]
        for book in books
    }
    township, shelf = out / TOWNSHIP, examples / TOWNSHIP
    for folder in (township, shelf):
        if folder.exists():
            shutil.rmtree(folder)
    for name, by_year in by_village.items():
        for paper in [*year_ends[name], *(p for batch in by_year.values() for p in batch)]:
            save_workbook(shelf / name / paper.name, paper)
    folders = {book.village.name: write_village(out, book) for book in books}
    for book in books:
        name = book.village.name
        open_from_trial_balance(folders[name], shelf / name / TRIAL_BALANCE_NAME, book)
    for year in range(START.year, END.year + 1):
        register = register_paper(year)
        if register is not None:
            save_workbook(shelf / register.name, register)
            import_papers(township, shelf, [register])
        for book in books:
            name = book.village.name
            import_papers(folders[name], shelf / name, by_village[name][year])
            reconcile_months(folders[name], shelf / name, book, year)
            close_the_year(folders[name], shelf / name, book, year)
    return books


# --- summary --------------------------------------------------------------------------


def income(txns: list[Txn], codes: tuple[str, ...]) -> Decimal:
    """Income credited to the given first-level codes, without tagged year-end entries."""
    return -sum(
        (
            amount
            for txn in txns
            if not txn.tags
            for account, amount in txn.postings
            if account.startswith("Income:") and bc_account.split(account)[1][:3] in codes
        ),
        ZERO,
    )


def summary(book: Book) -> list[str]:
    """Per year: transactions, 集体经营性收入 (501 + 502), 补助收入, the year's surplus."""
    lines = []
    for year in range(START.year, END.year + 1):
        txns = [t for t in book.entries if t.date.year == year]
        lines.append(
            f"{book.village.name} {year}: {len(txns)} 笔交易, "
            f"集体经营性收入 {income(txns, ('501', '502')):,.2f}, "
            f"补助收入 {income(txns, ('503',)):,.2f}, 本年收益 {book.profit.get(year, ZERO):,.2f}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成演示乡镇 青石镇 (generate the demo township)")
    parser.add_argument(
        "--out", type=Path, default=EMBEDDED_LEDGERS, help="账套根目录 ledgers folder"
    )
    parser.add_argument(
        "--examples", type=Path, default=EXAMPLES, help="表格示例目录 spreadsheets folder"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子 random seed")
    args = parser.parse_args(argv)
    for book in generate(args.out, args.seed, args.examples):
        print("\n".join(summary(book)))
    print(f"已生成 written: {args.examples / TOWNSHIP}, {args.out / TOWNSHIP}")
