"""A finished project's 241 专项应付款 is released, and no more than the assets it formed.

When a project's asset is formed, the earmarked money it used leaves 241 专项应付款 for 311
公积公益金; what formed no asset is written off and what is left over goes back (the
treatment of 专项应付款 in the accounting standards; the 2023 rural standard's text is
cited in the README). Two findings, on the project's 241 accounts (``owners``):

- still a balance ``capitalise_within_days`` (default 90) after 实施结果公开::

      2024-06-01 custom "project-step" "P1" "实施结果公开"
      2024-01-20 * "市某局" "帮扶资金" ^P1
        Assets:102-银行存款:10201-农商行            60000.00 CNY
        Liabilities:241-专项应付款:24101-冷棚改造  -60000.00 CNY

  with nothing debiting 24101 by 2024-08-30 (when the books go past it) is reported;

- released into 311 beyond what the project capitalised, on the transaction that does it::

      2024-06-20 * "冷棚竣工转固" ^P1
        Assets:151-固定资产:15101-冷棚               50000.00 CNY
        Assets:153-在建工程:15301-冷棚改造          -50000.00 CNY
        Liabilities:241-专项应付款:24101-冷棚改造    60000.00 CNY
        Equity:311-公积公益金                       -60000.00 CNY

  releases 60000.00 against 50000.00 capitalised (writing 10000.00 of liabilities into
  the village's equity); releasing 50000.00 and returning the rest is clean.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from decimal import Decimal

from beancount.core import data

from projects import transaction_facts
from projects.checks.completion import still_open
from projects.checks.earmarked import owners
from projects.transaction_facts import ZERO

ReleaseError = namedtuple("ReleaseError", "source message entry")

PUBLIC_FUND = frozenset({transaction_facts.PUBLIC_FUND})


def check(entries: data.Directives, options_map: dict) -> list:
    """241 left unreleased after completion, and releases beyond the capitalised."""
    errors = [
        ReleaseError(
            step.meta,
            f"{done}专项应付款 (241) 仍有 {-balance:,.2f} 元未结转: 形成资产的部分转入 311 "
            "公积公益金, 未形成资产的核销, 结余按规定退回",
            step,
        )
        for step, done, balance in still_open(entries, transaction_facts.EARMARKED, -1)
    ]
    return errors + over_released(entries)


def over_released(entries: data.Directives) -> list:
    """The first transaction that takes a project's 241 → 311 releases past the assets
    its linked transactions capitalised so far."""
    owner = owners(entries)
    capitalised: dict[str, Decimal] = defaultdict(Decimal)
    released: dict[str, Decimal] = defaultdict(Decimal)
    errors, reported = [], set()
    for entry in transaction_facts.transactions(entries):
        formed = transaction_facts.capitalised(entry)
        for pid in transaction_facts.project_ids(entry):
            capitalised[pid] += formed
        into_fund = transaction_facts.credits(entry, PUBLIC_FUND)
        debited: dict[str, Decimal] = defaultdict(Decimal)
        for posting in entry.postings:
            if posting.account in owner and posting.units.number > 0:
                debited[owner[posting.account]] += posting.units.number
        for pid, amount in debited.items():
            release = min(amount, max(into_fund, ZERO))
            into_fund -= release
            released[pid] += release
            if released[pid] > capitalised[pid] and pid not in reported:
                reported.add(pid)
                errors.append(
                    ReleaseError(
                        entry.meta,
                        f"项目 {pid}: 专项应付款转入公积公益金累计 {released[pid]:,.2f} 元, "
                        f"超过已形成的资产 {capitalised[pid]:,.2f} 元 (“{entry.narration}”): "
                        "只有形成资产的部分转入 311, 其余核销或退回",
                        entry,
                    )
                )
    return errors
