"""开账 (``cunzhang open-books``): a trial balance's closing balances as the opening entries.

:func:`open_books` reads a trial balance in the 2023 or the 2004 chart
(:mod:`importers.trial_balance`), carries its lines into the 2023 chart
(:func:`projects.chart_move.move`; a 2004 line without a single 2023 equivalent is answered
in a mapping file, which is written with the lines to answer when missing), and writes one
``#opening`` entry per first-level account, dated the opening day. Each entry posts its
lines against 收益分配-期初余额, which the entries together net to zero (asserted the next
day). It writes as every ledger write does (:mod:`importers.writing`): locked, checked,
all or nothing; a second run with the same file writes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers import writing
from importers.accounts import AccountBook
from importers.sheet import ImportRefused, Problem, Workbook
from importers.trial_balance import (
    TrialBalance,
    mapping_path,
    mapping_text,
    read_mapping,
    read_trial_balance,
)
from importers.writing import Outcome, archive_path
from projects import chart_move, closing
from projects.chart import chart
from projects.ledger import where
from projects.reconcile import assertion

#: The opening balances' counter-account: every opening entry posts its first-level
#: account's total here, and the entries together net it to zero (asserted the next day).
OPENING = ("32299", "收益分配-期初余额")


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
    with writing.village(folder) as village:
        entries = village.entries
        done = [e for e in entries if e.meta and e.meta.get("opening_key") == key]
        if done:
            note = f"已用此表开账 (already opened from this file: {where(done[0].meta)})"
            return Outcome(note=note)
        earlier = [e for e in entries if isinstance(e, data.Transaction) and e.date <= date]
        if earlier:
            raise writing.refusal(
                village.folder,
                f"账上 {date} 及以前已有 {len(earlier)} 笔交易 (first: {where(earlier[0].meta)}): "
                "只能在该日期以前没有交易的账上开账 (the books are not empty)",
            )
        book = AccountBook(entries, "2023")
        outcome = Outcome()
        postings = opening_postings(book, move, date, label, outcome.table)
        new_chart = chart("2023")
        opening, reason = book.standard(*OPENING, date)
        if opening is None:
            raise ImportRefused([Problem(OPENING[1], "", 0, reason)])
        added: list[data.Directive] = []
        for top, group in sorted(postings.items()):
            total = sum((p.units.number for p in group), closing.ZERO)
            if total:
                group.append(closing.posting(opening, -total))
            narration = f"期初余额: {top} {new_chart[top].name}"
            added.append(
                closing.transaction(date, narration, group, "opening", {"opening_key": key})
            )
        added.append(assertion(opening, date, closing.ZERO, {"opening_key": key}))
        source = archive_path(village.folder, opening, date, trial.workbook)
        archives = {source: trial.workbook.path}
        if version == "2004" and mapping.is_file():
            sheet = open_mapping(mapping)
            archives[archive_path(village.folder, opening, date, sheet)] = mapping
        outcome.opened = [o.account for o in book.opens()]
        outcome.entries = [*book.opens(), *added]
        title = f"开账 open-books: {label} ({version}年科目表)"
        outcome.written = village.append(outcome.entries, title, archives, (trial.workbook,))
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
