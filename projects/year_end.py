"""年终结账与收益分配 (``cunzhang close-year``, ``cunzhang distribute``), written into a village.

The entries are :mod:`projects.closing`'s (pure functions); this module finds the standard's
accounts in the village's ledger (opening those it lacks), refuses what the year end does
not allow (a year closed before the one before it, a plan booked twice, a plan that
distributes more than the 可分配收益 of the 收益及收益分配表, a 成员分配 line naming no
member of the 成员名册, ``projects.registers``), and writes as every ledger
write does (:mod:`importers.writing`): locked, checked, all or nothing.

A distribution paid out (成员分配 and 其他分配; 提取公积公益金 stays with the collective)
larger than the village's own earnings — 经营收益 (经营收入 + 投资收益 − 经营支出 − 税金及
附加 − 管理费用) plus 年初未分配收益 — shares out subsidies (补助收入, mostly 村级组织运转
经费) or other non-operating money: allowed, but ``distribute``, ``check`` and the
disclosure say so (:func:`subsidy_warnings`), a warning and not an error.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers import writing
from importers.accounts import AccountBook
from importers.distribution_plan import Plan, read_plan
from importers.sheet import ImportRefused, Problem
from importers.writing import Outcome, archive_path
from projects import closing, layout, registers, statements
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
        shares = plan_shares(plan, book, accounts, end, registers.read(entries))
        meta = {"plan_key": key}
        if plan.approved:
            meta["approved"] = plan.approved
        added = closing.distribute(shares, year, accounts["retained"], meta)
        outcome = Outcome(entries=[*book.opens(), *added], opened=[o.account for o in book.opens()])
        payout = sum((line.amount for line in plan.lines if line.kind != "reserve"), closing.ZERO)
        outcome.note = subsidy_warning(entries, year, payout) or ""
        archive = archive_path(village.folder, accounts["allocated"], end, plan.workbook)
        outcome.written = village.append(
            outcome.entries,
            f"收益分配 distribute: {label}",
            {archive: plan.workbook.path},
            (plan.workbook,),
        )
    return outcome


def own_earnings(entries: data.Directives, year: int) -> Decimal:
    """经营收益 of the year plus 年初未分配收益 (the 收益及收益分配表's, ``statements.
    year_earnings``): what a distribution may share out without sharing out subsidies."""
    earnings = statements.year_earnings(entries, parse_period(str(year)))
    return earnings.lines[statements.OPERATING_EARNINGS] + earnings.opening


def subsidy_warning(entries: data.Directives, year: int, payout: Decimal) -> str | None:
    """The warning for a year's payout (成员分配 and 其他分配) larger than its own earnings,
    or ``None``."""
    own = own_earnings(entries, year)
    if payout <= own:
        return None
    return (
        f"提示 (warning): {year}年成员分配及其他分配 {payout:,.2f} 超过经营收益与年初未分配收益"
        f"之和 {own:,.2f}, 超出的 {payout - own:,.2f} 来自补助收入等非经营性收益 "
        "(the distribution shares out subsidies, not only the village's own earnings)"
    )


def subsidy_warnings(entries: data.Directives, years: Iterable[int] | None = None) -> list[str]:
    """The warning of every year (of ``years``, else all) whose booked distribution
    (``#distribution``) pays out more than its own earnings."""
    booked = {
        e.date.year for e in entries if isinstance(e, data.Transaction) and is_distribution(e)
    }
    found = []
    for year in sorted(booked if years is None else booked & set(years)):
        shares = statements.shares(entries, parse_period(str(year)))
        kept = shares[statements.SHARE_OUT[closing.RESERVE[0]]]  # 提取公积公益金
        warning = subsidy_warning(entries, year, sum(shares.values(), closing.ZERO) - kept)
        if warning:
            found.append(warning)
    return found


def is_distribution(entry: data.Transaction) -> bool:
    return "distribution" in (entry.tags or ())


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
    plan: Plan,
    book: AccountBook,
    accounts: dict[str, str],
    end: datetime.date,
    found: registers.Registers,
) -> list[closing.Share]:
    """Each plan line as a share: 公积公益金, a member's payable (the member on the 成员名册
    the line names, by id or 户主姓名, its id in ``member``), or the line's account."""
    shares, problems = [], []
    for line in plan.lines:
        meta: dict[str, object] = {"sheet": line.sheet, "row": Decimal(line.row)}
        at = (plan.workbook.label, line.sheet, line.row)
        if line.kind == "reserve":
            credit = accounts["fund"]
        elif line.kind == "member":
            member, reason = found.member(line.name, end)
            if member is None:
                problems.append(Problem(*at, f"成员分配: {reason}"))
                continue
            credit = accounts["payable"]
            meta["member"] = member.id
            if line.shares is not None:  # 3, not 3.00
                whole = line.shares == line.shares.to_integral_value()
                meta["shares"] = line.shares.quantize(Decimal(1)) if whole else line.shares
        else:
            credit, reason = book.resolve("", line.account, end, True)
            if credit is None and book.exists(line.account):
                credit = line.account
            if credit is None:
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
