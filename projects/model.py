"""The declarations of a village ledger: posted secretaries, projects, fund claims.

They are Beancount ``custom`` directives (syntax: README.md, 声明语法), read here into
plain dataclasses. Nothing is stored anywhere else: the model is versioned with the books.

    2024-01-05 custom "project" "P2024-01" "香菇基地扩建"
      kind: "产业项目"
      budget: 600000.00 CNY
    2024-01-18 custom "project-step" "P2024-01" "决议"

reads as ``Project(id="P2024-01", name="香菇基地扩建", kind="产业项目",
budget=Decimal("600000.00"), steps={"决议": date(2024, 1, 18)}, ...)``.
"""

from __future__ import annotations

import datetime
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

ZERO = Decimal("0.00")

#: The step that resolves a project (④): spending waits for it and for the decision
#: steps after it (乡镇审核 where required, 决议公开).
RESOLUTION = "决议"
#: 一审: required only where the county says so (option ``township_review``).
TOWNSHIP_REVIEW = "乡镇审核"
#: The steps that decide a project (四议一审 and the resolution made public), in order.
DECISION_STEPS = ("提议", "商议", "审议", RESOLUTION, TOWNSHIP_REVIEW, "决议公开")
#: The last step: the project's result made public.
RESULT_STEP = "实施结果公开"
#: The steps of 四议一审两公开, in order: the one home of their names.
STEPS = (*DECISION_STEPS, RESULT_STEP)

DeclarationError = namedtuple("DeclarationError", "source message entry")


def required_steps(township_review: bool) -> tuple[str, ...]:
    """The steps a project must go through, in order: all of ``STEPS``, but 乡镇审核 only
    where the county requires it (option ``township_review``)."""
    return tuple(s for s in STEPS if township_review or s != TOWNSHIP_REVIEW)


def steps_before_spending(township_review: bool) -> tuple[str, ...]:
    """The required steps that must precede any spending on a project: 决议 and the
    decision steps after it."""
    required = required_steps(township_review)
    return required[required.index(RESOLUTION) : required.index(DECISION_STEPS[-1]) + 1]


@dataclass
class Secretary:
    """A posted first secretary (驻村第一书记) and the unit that sent them (派出单位)."""

    name: str
    unit: str
    start: datetime.date
    until: datetime.date | None
    meta: dict


@dataclass
class Funding:
    """One planned source of a project's money (计划资金来源)."""

    source: str
    amount: Decimal
    funder: str | None


@dataclass
class Project:
    """A project decided through 四议两公开, identified by an ASCII id used as a link."""

    id: str
    name: str
    date: datetime.date
    kind: str | None
    budget: Decimal | None
    expected_income: Decimal | None
    secretary: str | None
    meta: dict
    funding: list[Funding] = field(default_factory=list)
    steps: dict[str, datetime.date] = field(default_factory=dict)


@dataclass
class FundClaim:
    """A fund a dispatching unit pledged (协调) or a claim that it landed (实际到位)."""

    kind: str  # "pledge" or "landed"
    date: datetime.date
    unit: str
    fund: str
    amount: Decimal
    secretary: str | None
    project: str | None
    meta: dict
    #: A landed claim of goods, equipment or work paid for by the unit (``in_kind: TRUE``),
    #: not money.
    in_kind: bool = False


@dataclass
class Declarations:
    """Everything a village ledger declares, by kind."""

    secretaries: list[Secretary] = field(default_factory=list)
    projects: dict[str, Project] = field(default_factory=dict)
    claims: list[FundClaim] = field(default_factory=list)
    errors: list[DeclarationError] = field(default_factory=list)

    @property
    def units(self) -> set[str]:
        """The dispatching units of the posted secretaries."""
        return {s.unit for s in self.secretaries}


def _money(value: object) -> Decimal | None:
    if isinstance(value, Amount):
        return value.number
    if isinstance(value, Decimal | int):
        return Decimal(value)
    return None


def _values(entry: data.Custom) -> list:
    return [v.value for v in entry.values]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def read(entries: data.Directives) -> Declarations:
    """Read the declarations from a ledger's entries, with an error for each malformed one."""
    found = Declarations()
    steps: list[data.Custom] = []
    funding: list[data.Custom] = []

    def error(entry: data.Custom, message: str) -> None:
        found.errors.append(DeclarationError(entry.meta, message, entry))

    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        values = _values(entry)
        if entry.type == "secretary":
            if len(values) < 2 or not all(_text(v) for v in values[:2]):
                error(entry, '第一书记声明应写成 custom "secretary" "姓名" "派出单位"')
                continue
            until = entry.meta.get("until")
            found.secretaries.append(Secretary(values[0], values[1], entry.date, until, entry.meta))
        elif entry.type == "project":
            if len(values) < 2 or not all(_text(v) for v in values[:2]):
                error(entry, '项目声明应写成 custom "project" "项目编号" "项目名称"')
                continue
            project = Project(
                id=values[0],
                name=values[1],
                date=entry.date,
                kind=_text(entry.meta.get("kind")),
                budget=_money(entry.meta.get("budget")),
                expected_income=_money(entry.meta.get("expected_income")),
                secretary=_text(entry.meta.get("secretary")),
                meta=entry.meta,
            )
            if project.id in found.projects:
                error(entry, f"项目 {project.id} 重复声明 (declared twice)")
                continue
            missing = [
                label
                for label, value in (("kind 类别", project.kind), ("budget 预算", project.budget))
                if value is None
            ]
            if missing:
                error(
                    entry,
                    f"项目 {project.id} {project.name} 的声明缺少 {'、'.join(missing)}: "
                    '请补上, 如 kind: "产业项目" 和 budget: 600000.00 CNY',
                )
            found.projects[project.id] = project
        elif entry.type == "project-step":
            steps.append(entry)
        elif entry.type == "project-funding":
            funding.append(entry)
        elif entry.type in ("fund-pledge", "fund-landed"):
            amount = _money(values[2]) if len(values) > 2 else None
            if len(values) < 3 or not _text(values[0]) or amount is None:
                error(entry, f'应写成 custom "{entry.type}" "派出单位" "资金名称" 金额 CNY')
                continue
            found.claims.append(
                FundClaim(
                    kind=entry.type.removeprefix("fund-"),
                    date=entry.date,
                    unit=values[0],
                    fund=_text(values[1]) or "",
                    amount=amount,
                    secretary=_text(entry.meta.get("secretary")),
                    project=_text(entry.meta.get("project")),
                    meta=entry.meta,
                    in_kind=entry.meta.get("in_kind") is True,
                )
            )

    for entry in steps:
        values = _values(entry)
        project = found.projects.get(values[0]) if values else None
        step = values[1] if len(values) > 1 else None
        if project is None:
            error(entry, f"决策步骤所属项目 {values[0] if values else ''} 未声明: 先声明项目")
        elif step not in STEPS:
            error(entry, f"项目 {project.id} 的步骤 “{step}” 不是 {' '.join(STEPS)} 之一")
        else:
            project.steps[step] = entry.date
    for entry in funding:
        values = _values(entry)
        project = found.projects.get(values[0]) if values else None
        amount = _money(values[2]) if len(values) > 2 else None
        if project is None:
            error(entry, f"资金来源所属项目 {values[0] if values else ''} 未声明")
        elif not _text(values[1]) or amount is None:
            error(entry, f'项目 {project.id} 的资金来源应写成 "来源" 金额 CNY')
        else:
            funder = _text(entry.meta.get("funder"))
            project.funding.append(Funding(values[1], amount, funder))
    return found
