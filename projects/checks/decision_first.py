"""No spending on a project before its resolution is made and made public.

Spending is any net debit to the project's 在建工程, costs, expenses or assets in a
transaction linked to it. It must come on or after the steps 决议 (④) and 决议公开 (⑤),
and after 乡镇审核 (一审) where the county requires it
(``custom "cunzhang-option" "township_review" TRUE``).

    2024-01-18 custom "project-step" "P2024-01" "决议"
    2024-01-25 custom "project-step" "P2024-01" "决议公开"
    2024-01-20 * "支付冷棚改造工程进度款" ^P2024-01
      Assets:153-在建工程:15301-冷棚改造   120000.00 CNY
      Assets:102-银行存款:10201-青石农商行

is reported: the payment came five days before the resolution was disclosed.
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import data

from projects import model, options, transaction_facts

DecisionError = namedtuple("DecisionError", "source message entry")


def check(entries: data.Directives, options_map: dict) -> list:
    """Spending dated before a required step of its project, or with the step missing."""
    projects = model.read(entries).projects
    steps = model.steps_before_spending(options.read(entries).township_review)
    errors = []
    for entry in transaction_facts.transactions(entries):
        linked = transaction_facts.project_ids(entry) & projects.keys()
        if not linked or transaction_facts.spending(entry) <= 0:
            continue
        for project in sorted(linked):
            declared = projects[project].steps
            late = [s for s in steps if s not in declared or declared[s] > entry.date]
            if not late:
                continue
            detail = "、".join(
                f"{s}({declared[s]})" if s in declared else f"{s}(未记录)" for s in late
            )
            errors.append(
                DecisionError(
                    entry.meta,
                    f"项目 {project} {projects[project].name}: {entry.date} 的支出 "
                    f"“{entry.narration}” 早于 {detail}。先完成并公开决议再付款, "
                    f'或补记 custom "project-step" "{project}" "…" 的真实日期',
                    entry,
                )
            )
    return errors
