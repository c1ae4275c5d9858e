"""Earmarked money is never 503 补助收入: it is a project's 241 专项应付款.

Money booked as 503 inflates the village's collective income, and the project's money
then shows nowhere. Two cases are reported. A 503 credit in a transaction linked to a
project:

    2024-03-20 * "收到衔接资金" ^P2024-01
      Assets:102-银行存款:10201-青石农商行   150000.00 CNY
      Income:503-补助收入:50301-衔接资金    -150000.00 CNY

and, with or without a link, money from a funder (``funder``, else the payee) whose
``fund-pledge`` names a project, received on or after that pledge and credited to 503:

    2024-01-10 custom "fund-pledge" "市农业农村局" "产业项目资金" 120000.00 CNY
      project: "P2024-03"
    2024-02-03 * "青石镇人民政府" "收到转拨资金"
      funder: "市农业农村局"
      Assets:102-银行存款:10201-青石农商行   60000.00 CNY
      Income:503-补助收入:50301-其他补助    -60000.00 CNY

The same receipt credited to the project's 241 account is clean:

    2024-02-03 * "青石镇人民政府" "收到转拨资金" ^P2024-03
      funder: "市农业农村局"
      Assets:102-银行存款:10201-青石农商行         60000.00 CNY
      Liabilities:241-专项应付款:24101-中药材种苗  -60000.00 CNY
"""

from __future__ import annotations

import datetime
from collections import defaultdict, namedtuple

from beancount.core import data

from projects import model, transaction_facts

EarmarkedIncomeError = namedtuple("EarmarkedIncomeError", "source message entry")

SUBSIDY = frozenset({transaction_facts.SUBSIDY_INCOME})


def pledged_projects(entries: data.Directives) -> dict[str, list[tuple[datetime.date, str]]]:
    """Per funder, the projects its pledges name, with the pledge dates."""
    pledged: dict[str, list[tuple[datetime.date, str]]] = defaultdict(list)
    for claim in model.read(entries).claims:
        if claim.kind == "pledge" and claim.project:
            pledged[claim.unit].append((claim.date, claim.project))
    return pledged


def check(entries: data.Directives, options_map: dict) -> list:
    """503 credits that are a project's earmarked money."""
    pledged = pledged_projects(entries)
    errors = []
    for entry in transaction_facts.transactions(entries):
        income = transaction_facts.credits(entry, SUBSIDY)
        if income <= 0:
            continue
        linked = sorted(transaction_facts.project_ids(entry))
        funder = transaction_facts.funder(entry) or ""
        named = sorted({p for d, p in pledged.get(funder, ()) if d <= entry.date})
        if linked:
            text = f"项目 {'、'.join(linked)} 的专项资金"
        elif named and transaction_facts.money_in(entry) > 0:
            text = f"{funder} 协调给项目 {'、'.join(named)} 的资金 (fund-pledge)"
        else:
            continue
        account = next(
            p.account
            for p in entry.postings
            if p.units.number < 0 and transaction_facts.top_code(p.account) in SUBSIDY
        )
        errors.append(
            EarmarkedIncomeError(
                entry.meta,
                f"{text}记入了 {account} {income:,.2f} 元 (“{entry.narration}”), "
                "虚增了村集体收入: 应记入该项目的 241 专项应付款 (并加项目链接), "
                "资产形成后转入 311 公积公益金",
                entry,
            )
        )
    return errors
