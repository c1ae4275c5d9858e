"""Carrying a trial balance into the 2023 chart (every village moved on 2024-01-01).

The equivalence is data: ``projects/data/chart-2004.csv`` gives each 2004 account's 2023
code. One code is a rename or recode and maps by itself; several codes (``131/132``: split
by purpose; ``511`` 发包及上交收入 → ``501/502`` and ``551`` 其他支出 → ``514/515``: split by
substance; ``212`` 应付福利费 → ``311/211``) or none (removed, like 521) need the accountant's
answer. So the list of ambiguous accounts comes from the chart, not from this module. A line
with no balance carries nothing and is not asked::

    2004 trial balance             answers (mapping file)         2023 lines
    202   应付款        −8,000      -                              211 应付款        −8,000
    20201 张三          −8,000      -                              211 应付款-张三   −8,000
    13201 林木资产-果园  30,000      13201 → 132, 20,000             132 …-果园        20,000
                                    13201 → 134 防护林, 10,000      134 …-防护林      10,000

:func:`move` is pure: lines in, 2023 lines and problems out; a trial balance in the 2023
chart moves to itself. Every line keeps where it came from (sheet and row) for messages and
for the table printed for the accountant's file. The moved lines add up, to the fen, to
the old ones: each old line becomes either one new line or answers that sum to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from projects.chart import chart

ZERO = Decimal("0.00")
#: Categories whose balances a year-end trial balance no longer has (closed into 本年收益).
RESULT_CATEGORY = "损益类"


@dataclass(eq=False)
class Line:
    """One row of a trial balance: code, name, signed balance (debit +) and where it is."""

    code: str
    name: str
    amount: Decimal
    sheet: str = ""
    row: int = 0
    parent: Line | None = None
    children: list[Line] = field(default_factory=list)

    def names(self) -> list[str]:
        """The names from the first level down: ``["银行存款", "青石农商行"]``."""
        chain = [self.name]
        line = self.parent
        while line is not None:
            chain.insert(0, line.name)
            line = line.parent
        return chain

    @property
    def label(self) -> str:
        return f"{self.code} {'-'.join(self.names())}"


@dataclass(frozen=True)
class Answer:
    """A filled line of the mapping file: the 2004 code, its 2023 code and an amount."""

    code: str
    new_code: str
    sub_name: str
    amount: Decimal
    file: str = ""
    row: int = 0


@dataclass
class Moved:
    """A line in the 2023 chart: its first-level code, its names below it and its balance.

    ``code`` is the full 2023 code when the trial balance had it (a 2023 sheet), else empty
    (the sub-account is found by name or opened with the next code). Lines with sub-accounts
    are kept to open the parents (``post`` false); only the others are posted.
    """

    old: Line
    top: str
    names: tuple[str, ...]
    amount: Decimal
    code: str = ""
    post: bool = True


@dataclass
class Move:
    """What :func:`move` found: the 2023 lines, the lines still to answer, the problems."""

    moved: list[Moved] = field(default_factory=list)
    unanswered: list[Line] = field(default_factory=list)
    problems: list[tuple[Line | Answer, str]] = field(default_factory=list)


def choices(code: str) -> tuple[str, ...]:
    """The 2023 first-level codes a 2004 first-level account may go to (empty: any)."""
    old = chart("2004")[code]
    return tuple(c for c in old.code_2023.split("/") if c)


def is_ambiguous(code: str) -> bool:
    """Whether a 2004 first-level account has no single 2023 equivalent."""
    return len(choices(code)) != 1


def choices_text(code: str) -> str:
    """``131 消耗性生物资产 / 132 生产性生物资产``, or what to answer when there are none."""
    new = chart("2023")
    found = choices(code)
    if not found:
        return "2023年科目表中无对应科目, 填任一 2023 年一级科目编码"
    return " / ".join(f"{c} {new[c].name}" for c in found)


def move(lines: list[Line], version: str, answers: list[Answer] = ()) -> Move:
    """The trial balance's lines in the 2023 chart (see the module doc)."""
    result = Move()
    standard = chart(version)
    by_code: dict[str, list[Answer]] = {}
    for answer in answers:
        by_code.setdefault(answer.code, []).append(answer)
    asked: set[str] = set()
    for line in lines:
        top = standard.get(line.code[:3])
        if top is None:
            result.problems.append((line, f"科目编码 {line.code} 不在 {version} 年科目表中"))
            continue
        if top.category == RESULT_CATEGORY and line.amount and not line.children:
            result.problems.append(
                (
                    line,
                    f"损益类科目 {line.label} 仍有余额 {line.amount:,.2f}: 期初只接受结账后的"
                    "余额表 (close the old year first: income and expenses carry no balance)",
                )
            )
            continue
        names = tuple(line.names()[1:])
        post = not line.children
        if version == "2023":
            result.moved.append(Moved(line, top.code, names, line.amount, line.code, post))
        elif not is_ambiguous(top.code):
            result.moved.append(Moved(line, choices(top.code)[0], names, line.amount, post=post))
        elif post and line.amount:
            asked.add(line.code)
            _answered(line, by_code.get(line.code, []), result)
    for code, unasked in by_code.items():
        if code not in asked:
            for answer in unasked:
                result.problems.append(
                    (answer, f"原科目编码 {code} 不是余额表中需要选择新科目的行 (not asked)")
                )
    return result


def _answered(line: Line, answers: list[Answer], result: Move) -> None:
    """An ambiguous line's answers checked and moved (or the line left unanswered)."""
    if not answers or any(not a.new_code for a in answers):
        result.unanswered.append(line)
        return
    allowed = choices(line.code[:3]) or tuple(chart("2023"))
    good = True
    for answer in answers:
        if answer.new_code not in allowed:
            shown = choices_text(line.code[:3])
            result.problems.append((answer, f"新科目编码 {answer.new_code} 应为 {shown}"))
            good = False
    total = sum((a.amount for a in answers), ZERO)
    if total != line.amount:
        result.problems.append(
            (
                answers[0],
                f"原科目 {line.label} 各行金额合计 {total:,.2f} 与余额表 {line.amount:,.2f} "
                "不等 (split amounts must add up)",
            )
        )
        good = False
    if good:
        own = tuple(line.names()[1:])
        for answer in answers:
            names = (answer.sub_name,) if answer.sub_name else own[-1:]
            result.moved.append(Moved(line, answer.new_code, names, answer.amount))
