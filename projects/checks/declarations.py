"""Projects are declared before transactions link to them, and declared completely.

    2024-01-05 custom "project" "P2024-01" "香菇基地扩建"
      kind: "产业项目"
      budget: 600000.00 CNY
    2024-02-18 * "支付冷棚改造工程进度款" ^P2024-01
      ...

is clean; a transaction linked to ``^P2024-09`` with no ``custom "project" "P2024-09"``,
a project without ``kind`` or ``budget``, a step or funding line of an undeclared project,
and a secretary or fund claim written wrongly are each reported.
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import data

from projects import model, transaction_facts

ProjectDeclarationError = namedtuple("ProjectDeclarationError", "source message entry")


def check(entries: data.Directives, options_map: dict) -> list:
    """Malformed declarations and links to undeclared projects."""
    declared = model.read(entries)
    errors: list = list(declared.errors)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for project in sorted(transaction_facts.project_ids(entry) - set(declared.projects)):
            errors.append(
                ProjectDeclarationError(
                    entry.meta,
                    f"交易 “{entry.narration}” 链接到未声明的项目 {project}: "
                    f'在 projects.beancount 声明 custom "project" "{project}" "项目名称", '
                    "或改正链接",
                    entry,
                )
            )
    return errors
