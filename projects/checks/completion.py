"""A finished project's 在建工程 becomes 固定资产 soon after its result is made public.

Once a project's 实施结果公开 step is declared, its 在建工程 (the 153 accounts its linked
work debits, or whose ``open`` names it as ``project``) must be cleared — moved to 固定资产
or the asset it formed — within the county's ``capitalise_within_days`` (default 90)::

    2024-06-01 custom "project-step" "P1" "实施结果公开"
    2024-03-01 * "冷棚工程款" ^P1
      Assets:153-在建工程:15301-冷棚改造   70000.00 CNY
      Assets:102-银行存款:10201-农商行

is reported on the step when the books run past 2024-08-30 and 15301 still holds the
70000.00; it is clean once this is booked::

    2024-06-20 * "冷棚竣工转固" ^P1
      Assets:151-固定资产:15101-冷棚           70000.00 CNY
      Assets:153-在建工程:15301-冷棚改造      -70000.00 CNY

A ledger that ends before the deadline is not yet late. Only what is still open is
reported: a late transfer, once booked, is no longer an error.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, namedtuple
from decimal import Decimal

from beancount.core import data

from projects import model, options, transaction_facts
from projects.checks.earmarked import owners

CompletionError = namedtuple("CompletionError", "source message entry")

CONSTRUCTION = "153"


def results_due(entries: data.Directives) -> list[tuple[data.Custom, str, datetime.date]]:
    """The 实施结果公开 declarations whose deadline (``capitalise_within_days`` after) the
    books have passed: ``(declaration, project id, deadline)``."""
    days = datetime.timedelta(days=options.read(entries).capitalise_within_days)
    last = max((t.date for t in transaction_facts.transactions(entries)), default=None)
    due = []
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == "project-step"):
            continue
        values = [v.value for v in entry.values]
        if values[1:2] == [model.RESULT_STEP] and last and entry.date + days < last:
            due.append((entry, values[0], entry.date + days))
    return due


def balances(entries: data.Directives, code: str, sign: int) -> dict[str, Decimal]:
    """Per project, the balance of the accounts of ``code`` it owns (``owners``)."""
    owner = owners(entries, code, sign)
    found: dict[str, Decimal] = defaultdict(Decimal)
    for entry in transaction_facts.transactions(entries):
        for posting in entry.postings:
            if posting.account in owner:
                found[owner[posting.account]] += posting.units.number
    return found


def still_open(
    entries: data.Directives, code: str, sign: int
) -> list[tuple[data.Custom, str, Decimal]]:
    """The projects past their deadline (``results_due``) whose accounts of ``code`` still
    hold a balance: ``(declaration, what it says, balance)``."""
    held = balances(entries, code, sign)
    return [
        (step, f"项目 {pid} 已于 {step.date} 实施结果公开, 到 {deadline} ", held[pid])
        for step, pid, deadline in results_due(entries)
        if held.get(pid)
    ]


def check(entries: data.Directives, options_map: dict) -> list:
    """Projects whose results are public and whose 在建工程 is still open past the deadline."""
    return [
        CompletionError(
            step.meta,
            f"{done}在建工程仍有 {balance:,.2f} 元未转入固定资产: 竣工后转固 (借 151 固定资产等, "
            "贷 153 在建工程, 并加项目链接)",
            step,
        )
        for step, done, balance in still_open(entries, CONSTRUCTION, +1)
    ]
