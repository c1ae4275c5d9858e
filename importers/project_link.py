"""The project a spreadsheet row names: its 项目编号 column, as a Beancount link.

Every kind of sheet with a 项目编号 column (日记账、对账单, 凭证列表, 帮扶资金台账) reads it
here, so a number is accepted and refused the same way, with the same message: it must
be a project link (``projects.transaction_facts.PROJECT_LINK``: P and digits, as in ``P2024-01``).
"""

from __future__ import annotations

from importers.sheet import Problem
from projects.transaction_facts import PROJECT_LINK


def project_link(values: dict, where: tuple[str, str, int], problems: list[Problem]) -> str | None:
    """The row's project number: ``""`` if it names none; ``None``, with a problem at
    ``where`` (workbook, sheet, row), if it is not a project link."""
    project = (values.get("project") or "").strip()
    if project and not PROJECT_LINK.fullmatch(project):
        problems.append(Problem(*where, f"项目编号 “{project}” 应为 P 加数字, 如 P2024-01"))
        return None
    return project
