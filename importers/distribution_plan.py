"""Distribution plans (收益分配方案), for ``cunzhang distribute`` (:mod:`projects.year_end`).

A plan, approved by the members' meeting, is one sheet::

    东山村2024年度收益分配方案
    成员代表大会决议: 2024年12月26日
    分配项目         | 成员/户主 | 股数 | 金额      | 科目
    提取公积公益金   |           |      | 5,000.00  |
    每股金额         |           |      | 30.00     |
    成员分配         | 张三      | 3    |           |
    成员分配         | 李四      | 2    | 60.00     |
    其他             | 村干部奖励 |      | 2,000.00  | 应付款-应付奖励

- 提取公积公益金: the amount moved to 311 公积公益金;
- 每股金额 (optional): the amount per share; a member line without 金额 gets 股数 × 每股金额;
- 成员分配 (or 分红, 按股分配 …): one line per member or household, payable to them;
- 其他: any other distribution, credited to the account in 科目 (name path, code or account).

Header words have synonyms; 合计 rows are skipped. Every problem names ``FILE:SHEET:ROW``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from importers.sheet import (
    CENT,
    Amount,
    Dialect,
    ImportRefused,
    Problem,
    Text,
    Workbook,
    find_header,
    open_workbook,
    records,
    squeeze,
)

ZERO = Decimal("0.00")


class PlanColumns(Dialect):
    """收益分配方案: one line per item of the distribution."""

    kind = "收益分配方案"
    item = Text("分配项目", "项目", "类别", "分配类别", "分配内容", required=True)
    name = Text("成员", "成员姓名", "户主", "户主姓名", "姓名", "户名", "成员/户主", "名称", "说明")
    shares = Amount("股数", "份额", "股份", "持股数", "份数")
    amount = Amount("金额", "分配金额", "应分金额", "应分配金额", required=True)
    account = Text("科目", "贷方科目", "对方科目", "去向")


#: Plan lines by the first words of their 分配项目.
RESERVE_WORDS = ("提取公积公益金", "公积公益金", "提取公积金")
RATE_WORDS = ("每股金额", "每股分配", "每股")
MEMBER_WORDS = ("成员分配", "按股分配", "股金分红", "分红", "成员", "农户", "户")
OTHER_WORDS = ("其他",)


@dataclass
class PlanLine:
    """One line of a plan: ``kind`` is reserve, member or other."""

    kind: str
    name: str
    amount: Decimal
    shares: Decimal | None
    account: str
    sheet: str
    row: int


@dataclass
class Plan:
    """A distribution plan: its lines and the approval named above the header."""

    workbook: Workbook
    lines: list[PlanLine] = field(default_factory=list)
    approved: str = ""

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def kind_of(item: str) -> str:
    text = squeeze(item)
    for kind, words in (
        ("reserve", RESERVE_WORDS),
        ("rate", RATE_WORDS),
        ("member", MEMBER_WORDS),
        ("other", OTHER_WORDS),
    ):
        if text.startswith(words):
            return kind
    return ""


def read_plan(path: Path) -> Plan:
    """The plan's lines, member shares computed from 每股金额; refused with every problem."""
    workbook = open_workbook(path)
    label = workbook.label
    header = next(
        (h for s in workbook.sheets if (h := find_header(s, [PlanColumns])) is not None), None
    )
    if header is None:
        words = "分配项目、成员、股数、金额"
        raise ImportRefused([Problem(label, "", 0, f"找不到收益分配方案的表头: 应有 {words}")])
    problems: list[Problem] = []
    rows = [r for r in records(header, label, problems) if not r.broken and not r.opening]
    rate = next(
        (r.values.get("amount") for r in rows if kind_of(r.values.get("item") or "") == "rate"),
        None,
    )
    plan = Plan(workbook, approved=header.note("决议", "批准", "大会", "通过"))
    for record in rows:
        values = record.values
        where = (label, record.sheet, record.row)
        kind = kind_of(values.get("item") or "")
        name = str(values.get("name") or "")
        amount, shares = values.get("amount"), values.get("shares")
        if kind == "rate":
            continue
        if not kind:
            problems.append(
                Problem(
                    *where,
                    f"分配项目 “{values.get('item')}” 应为 "
                    "提取公积公益金、每股金额、成员分配 或 其他",
                )
            )
            continue
        if kind == "member":
            if not name:
                problems.append(Problem(*where, "成员分配须写成员或户主姓名"))
                continue
            if shares is not None and rate is not None:
                computed = (shares * rate).quantize(CENT, ROUND_HALF_UP)
                if amount is not None and amount != computed:
                    problems.append(
                        Problem(
                            *where,
                            f"金额 {amount:,.2f} 与 股数 {shares} × 每股 {rate:,.2f} = "
                            f"{computed:,.2f} 不符",
                        )
                    )
                    continue
                amount = computed
        if not amount or amount < 0:
            problems.append(Problem(*where, "缺少金额 (no amount, or negative)"))
            continue
        if kind == "other" and not values.get("account"):
            problems.append(Problem(*where, "其他分配须在 科目 列写明贷方科目, 如 应付款-应付奖励"))
            continue
        account = str(values.get("account") or "")
        plan.lines.append(PlanLine(kind, name, amount, shares, account, record.sheet, record.row))
    if not plan.lines and not problems:
        problems.append(
            Problem(label, header.sheet.name, 0, "方案中没有分配的行 (nothing to distribute)")
        )
    if problems:
        raise ImportRefused(problems)
    return plan
