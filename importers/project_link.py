"""The project and the contract a spreadsheet row names: its 项目编号 and 合同编号 columns,
as Beancount links.

Every kind of sheet with a 项目编号 column (日记账、对账单, 凭证列表, 帮扶资金台账) reads it
here, and every sheet with a 合同编号 column (日记账、对账单, 凭证列表) reads that here too, so
a number is accepted and refused the same way, with the same message: a project link
(``projects.transaction_facts.PROJECT_LINK``: P and digits, as in ``P2024-01``) or a
contract link (``projects.registers.CONTRACT_LINK``: C and digits, as in ``C2024-01``).
"""

from __future__ import annotations

import re

from importers.sheet import Problem
from projects.registers import CONTRACT_LINK
from projects.transaction_facts import PROJECT_LINK


def link(
    values: dict,
    where: tuple[str, str, int],
    problems: list[Problem],
    key: str,
    pattern: re.Pattern,
    rule: str,
) -> str | None:
    """The row's ``key`` cell as a link: ``""`` if empty; ``None``, with a problem at
    ``where`` (workbook, sheet, row) saying ``rule``, if it does not match ``pattern``."""
    text = (values.get(key) or "").strip()
    if text and not pattern.fullmatch(text):
        problems.append(Problem(*where, rule.format(text)))
        return None
    return text


def project_link(values: dict, where: tuple[str, str, int], problems: list[Problem]) -> str | None:
    """The row's project number (``""`` if none, ``None`` if refused)."""
    rule = "项目编号 “{}” 应为 P 加数字, 如 P2024-01"
    return link(values, where, problems, "project", PROJECT_LINK, rule)


def contract_link(values: dict, where: tuple[str, str, int], problems: list[Problem]) -> str | None:
    """The row's contract number (``""`` if none, ``None`` if refused): the link that ties a
    rent receipt to its contract in the 三资台账."""
    rule = "合同编号 “{}” 应为 C 加数字, 如 C2024-01"
    return link(values, where, problems, "contract", CONTRACT_LINK, rule)


def row_links(values: dict, where: tuple[str, str, int], problems: list[Problem]) -> list[str]:
    """The row's project and contract links that it names and that are accepted."""
    found = (project_link(values, where, problems), contract_link(values, where, problems))
    return [text for text in found if text]
