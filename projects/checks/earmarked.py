"""Earmarked project money stays with its project.

An earmarked account is a sub-account of 241 专项应付款; it belongs to the project whose
linked receipts credit it (or to the ``project`` in its ``open`` metadata). Money taken out
of project A's 241 account in a transaction linked to project B is reported:

    2024-03-01 * "花卉大棚钢架" ^P2024-04
      Liabilities:241-专项应付款:24101-香菇基地扩建   50000.00 CNY
      Assets:153-在建工程:15302-花卉大棚            -50000.00 CNY

Earmarked money booked as 503 补助收入 is :mod:`projects.checks.earmarked_income`'s.
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import data

from projects import transaction_facts

EarmarkError = namedtuple("EarmarkError", "source message entry")


def owners(
    entries: data.Directives, code: str = transaction_facts.EARMARKED, sign: int = -1
) -> dict[str, str]:
    """Which project each account of first-level ``code`` belongs to: the ``project`` of
    its ``open``, else the one project linked to the first transaction that posts to it on
    the side ``sign`` (-1 credit: a 241 account its receipt credits; +1 debit: a 153
    在建工程 account its work debits)."""
    owner: dict[str, str] = {}
    for entry in entries:
        is_open = isinstance(entry, data.Open) and "project" in entry.meta
        if is_open and transaction_facts.top_code(entry.account) == code:
            owner[entry.account] = entry.meta["project"]
    for entry in transaction_facts.transactions(entries):
        projects = transaction_facts.project_ids(entry)
        if len(projects) != 1:
            continue
        for posting in entry.postings:
            if (
                transaction_facts.top_code(posting.account) == code
                and posting.units.number * sign > 0
            ):
                owner.setdefault(posting.account, next(iter(projects)))
    return owner


def check(entries: data.Directives, options_map: dict) -> list:
    """Earmarked money used for another project."""
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
    return errors
