"""Earmarked project money stays with its project and is never income.

An earmarked account is a sub-account of 241 专项应付款; it belongs to the project whose
linked receipts credit it (or to the ``project`` in its ``open`` metadata). Two findings:

- money taken out of project A's 241 account in a transaction linked to project B:

      2024-03-01 * "花卉大棚钢架" ^P2024-04
        Liabilities:241-专项应付款:24101-香菇基地扩建   50000.00 CNY
        Assets:153-在建工程:15302-花卉大棚            -50000.00 CNY ...

- earmarked money booked as 503 补助收入, which inflates the village's income: a 503
  posting in a transaction linked to a project.

      2024-03-20 * "收到衔接资金" ^P2024-01
        Assets:102-银行存款:10201-青石农商行   150000.00 CNY
        Income:503-补助收入:50301-衔接资金    -150000.00 CNY
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import data

from projects import transaction_facts

EarmarkError = namedtuple("EarmarkError", "source message entry")


def owners(entries: data.Directives) -> dict[str, str]:
    """Which project each earmarked (241) account belongs to."""
    owner: dict[str, str] = {}
    for entry in entries:
        is_open = isinstance(entry, data.Open)
        if (
            is_open
            and transaction_facts.top_code(entry.account) == transaction_facts.EARMARKED
            and "project" in entry.meta
        ):
            owner[entry.account] = entry.meta["project"]
    for entry in transaction_facts.transactions(entries):
        projects = transaction_facts.project_ids(entry)
        if len(projects) != 1:
            continue
        for posting in entry.postings:
            is_earmark = transaction_facts.top_code(posting.account) == transaction_facts.EARMARKED
            if is_earmark and posting.units.number < 0:
                owner.setdefault(posting.account, next(iter(projects)))
    return owner


def check(entries: data.Directives, options_map: dict) -> list:
    """Earmarked money used for another project, or booked as subsidy income."""
    owner = owners(entries)
    errors = []
    for entry in transaction_facts.transactions(entries):
        projects = transaction_facts.project_ids(entry)
        if not projects:
            continue
        for posting in entry.postings:
            code = transaction_facts.top_code(posting.account)
            belongs = owner.get(posting.account)
            used = code == transaction_facts.EARMARKED and posting.units.number > 0
            if used and belongs and belongs not in projects:
                errors.append(
                    EarmarkError(
                        entry.meta,
                        f"专项资金挪用: {posting.account} 属于项目 {belongs}, "
                        f"却用于 {'、'.join(sorted(projects))} (“{entry.narration}”)。"
                        "专款专用: 改用该项目自己的资金或改正链接",
                        entry,
                    )
                )
            if code == transaction_facts.SUBSIDY_INCOME and posting.units.number < 0:
                errors.append(
                    EarmarkError(
                        entry.meta,
                        f"项目 {'、'.join(sorted(projects))} 的专项资金记入了 {posting.account}, "
                        "虚增了村集体收入: 应记入 241 专项应付款, 资产形成后转入 311 公积公益金",
                        entry,
                    )
                )
    return errors
