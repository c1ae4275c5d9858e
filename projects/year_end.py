"""年终结账与收益分配 (``cunzhang close-year``, ``cunzhang distribute``), written into a village.

The entries are :mod:`projects.closing`'s (pure functions); this module finds the standard's
accounts in the village's ledger (opening those it lacks), refuses what the year end does
not allow (a year closed before the one before it, a plan booked twice, a plan that
distributes more than the 可分配收益 of the 收益及收益分配表), and writes as every ledger
write does (:mod:`importers.writing`): locked, checked, all or nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers import writing
from importers.accounts import AccountBook
from importers.distribution_plan import Plan, read_plan
from importers.sheet import ImportRefused, Problem
from importers.writing import Outcome, archive_path
from projects import closing, layout, statements
from projects.ledger import where
from projects.periods import parse_period
from projects.reports import VillageBooks


def close_books(folder: Path, year: int) -> Outcome:
    """Close the year: income and expenses → 本年收益 → 未分配收益 (``#closing``)."""
    end = closing.year_end(year)
    with writing.village(folder) as village:
        entries = village.entries
        earlier = closing.results(entries, closing.year_end(year - 1))
        if earlier:
            raise writing.refusal(
                village.folder,
                f"{year - 1}年的损益尚未结转 ({len(earlier)} 个科目有余额): "
                f"先 cunzhang close-year {layout.village_label(village.folder)} {year - 1}",
            )
        book = AccountBook(entries)
        retained = standard_accounts(book, {"retained": closing.RETAINED}, end)["retained"]
        added = closing.close_year(entries, year, retained)
        if not added:
            return Outcome(note=f"{year}年已结账, 没有需要结转的余额 (already closed)")
        outcome = Outcome(entries=[*book.opens(), *added], opened=[o.account for o in book.opens()])
        outcome.written = village.append(outcome.entries, f"年终结账 close-year: {year}")
    return outcome


def distribute_plan(folder: Path, year: int, plan_file: Path) -> Outcome:
    """Book the members' meeting's distribution plan for the year (``#distribution``)."""
    plan = read_plan(Path(plan_file))
    label = plan.workbook.label
    key = plan.workbook.sha256[:20]
    end = closing.year_end(year)
    with writing.village(folder) as village:
        entries = village.entries
        booked = [
            e
            for e in entries
            if isinstance(e, data.Transaction)
            and e.date.year == year
            and "distribution" in (e.tags or ())
        ]
        if any(e.meta.get("plan_key") == key for e in booked):
            return Outcome(note=f"已按此方案分配 (already booked: {where(booked[0].meta)})")
        if booked:
            raise writing.refusal(
                village.folder,
                f"{year}年已有收益分配 ({where(booked[0].meta)}): 如需更改, 先删除原分录",
            )
        if closing.results(entries, end):
            raise writing.refusal(
                village.folder,
                f"{year}年尚未结账: 先 cunzhang close-year "
                f"{layout.village_label(village.folder)} {year}",
            )
        available = statements.distributable(entries, year)
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
        specs = {
            "retained": closing.RETAINED,
            "allocated": closing.ALLOCATED,
            "reserve": closing.RESERVE,
            "member": closing.MEMBER_SHARE,
            "other": closing.OTHER_SHARE,
            "fund": closing.PUBLIC_FUND,
            "payable": closing.MEMBERS_PAYABLE,
        }
        if not any(line.kind == "other" for line in plan.lines):
            del specs["other"]
        accounts = standard_accounts(book, specs, end)
        shares = plan_shares(plan, book, accounts, end)
        meta = {"plan_key": key}
        if plan.approved:
            meta["approved"] = plan.approved
        added = closing.distribute(shares, year, accounts["retained"], meta)
        outcome = Outcome(entries=[*book.opens(), *added], opened=[o.account for o in book.opens()])
        archive = archive_path(village.folder, accounts["allocated"], end, plan.workbook)
        outcome.written = village.append(
            outcome.entries,
            f"收益分配 distribute: {label}",
            {archive: plan.workbook.path},
            (plan.workbook,),
        )
    return outcome


def standard_accounts(
    book: AccountBook, specs: dict[str, tuple[str, str]], when: datetime.date
) -> dict[str, str]:
    """Each standard account (name → code and name path) in the ledger, opened if it lacks
    it (:meth:`importers.accounts.AccountBook.standard`)."""
    accounts = {}
    for name, (code, path) in specs.items():
        account, reason = book.standard(code, path, when)
        if account is None:
            raise ImportRefused([Problem(path, "", 0, reason)])
        accounts[name] = account
    return accounts


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
) -> list[statements.StatementLine]:
    """The 收益及收益分配表 of the year, as the disclosure shows it."""
    village = VillageBooks.of(folder.name, entries)
    return statements.income_statement(village, parse_period(str(year)))
