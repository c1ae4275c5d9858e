"""A project spends no more than its budget (plus the county's tolerance).

    2024-01-05 custom "project" "P2024-01" "香菇基地扩建"
      kind: "产业项目"
      budget: 100000.00 CNY
    2024-03-01 * "工程款" ^P2024-01
      Assets:153-在建工程:15301-冷棚改造   120000.00 CNY
      Assets:102-银行存款:10201-青石农商行

is reported on the transaction that crosses the budget. The tolerance is a fraction:
``custom "cunzhang-option" "budget_tolerance" 0.05`` allows 5% more.
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import data

from projects import model, options, transaction_facts
from projects.project_totals import project_totals
from projects.transaction_facts import ZERO

BudgetError = namedtuple("BudgetError", "source message entry")


def check(entries: data.Directives, options_map: dict) -> list:
    """The first transaction that takes each project past its budget."""
    projects = model.read(entries).projects
    tolerance = options.read(entries).budget_tolerance
    transactions = transaction_facts.transactions(entries)
    crossings = []
    for project_id, totals in project_totals(transactions).items():
        project = projects.get(project_id)
        if project is None or project.budget is None:
            continue
        limit = project.budget * (1 + tolerance)
        spent = ZERO
        for entry, amount in totals.spending:
            spent += amount
            if spent > limit:
                crossings.append((entry, project, spent, limit))
                break
    position = {id(entry): index for index, entry in enumerate(transactions)}
    crossings.sort(key=lambda crossing: (position[id(crossing[0])], crossing[1].id))
    return [
        BudgetError(
            entry.meta,
            f"项目 {project.id} {project.name}: 累计支出 {spent:,.2f} 元 "
            f"超过预算 {project.budget:,.2f} 元 (允许 {limit:,.2f}): "
            "调整预算须重新履行决策程序, 或改正分录",
            entry,
        )
        for entry, project, spent, limit in crossings
    ]
