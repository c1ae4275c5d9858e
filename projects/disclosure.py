"""A village's financial disclosure (财务公开) for one period, computed from its books.

One computation: the ``cunzhang disclose`` command renders it as HTML, XLSX, PDF and JSON,
and the Fava extension previews it. ``compute(books, period)`` returns a ``Disclosure``
holding every figure of the sheet (the sections 农村集体经济组织财务公开规定 (2011) asks for):

- 各项收入 and 各项支出 item by item, grouped by first-level account with subtotals
  (year-end ``#closing``/``#distribution``/``#opening`` entries are not income or spending);
- 各项资产 and 债权债务 at period end, with counterparties, lenders and projects;
- funds received by payer and source, and what they were used for;
- projects to period end: budget, received, spent, progress, decision steps with dates;
- for a year, the 收益及收益分配表 and the 资产负债表 in the 2023 standard's layout;
- 说明: a year-end distribution that shares out subsidies (``year_end.subsidy_warnings``).

Every text that comes from the ledger is masked (``mask``): ID, bank card and mobile
numbers never leave. The verification code (``Disclosure.code``) is a digest of the
entries dated in the period plus the carried figures the sheet shows at period end
(balances, projects and funds to date); see ``verification_code``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from decimal import Decimal

from beancount.core import account as bc_account
from beancount.core import data
from beancount.parser import printer

from projects import (
    funds,
    model,
    register_reports,
    reports,
    statements,
    transaction_facts,
    year_end,
)
from projects.balances import balances, signed, total
from projects.chart import chart, split_component
from projects.disclosure_sections import Sections, review_of
from projects.disclosure_sections import compute as compute_sections
from projects.ledger import format_error, where
from projects.masking import mask
from projects.numerals import capital
from projects.periods import Period
from projects.publications import PUBLISHED
from projects.statements import StatementLine, balance_sheet, income_statement
from projects.transaction_facts import ZERO, top_code

#: The Custom types that record what was done with the books, not the books themselves.
RECORDS = ("review", PUBLISHED)


@dataclass
class Item:
    """One posting to an income or expense account (逐项逐笔)."""

    date: datetime.date
    payee: str
    narration: str
    account: str  # the detail account's names below the first level, e.g. 香菇销售
    amount: Decimal


@dataclass
class Group:
    """The items of one first-level account (e.g. 501 经营收入) and their subtotal."""

    code: str
    name: str
    items: list[Item]
    subtotal: Decimal


@dataclass
class Line:
    """A balance at period end, with its parts (counterparties, projects, accounts)."""

    label: str
    amount: Decimal
    details: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class Disclosure:
    """Every figure of one village's disclosure for one period."""

    township: str
    village: str
    organisation: str
    agency: str
    period: Period
    posted: datetime.date
    income: list[Group]
    income_total: Decimal
    expenses: list[Group]
    expense_total: Decimal
    assets: list[Line]
    assets_total: Decimal
    debts: list[Line]
    funds: list[dict]
    funds_total: dict[str, Decimal]
    projects: list[dict]
    income_statement: list[StatementLine] = field(default_factory=list)
    balance_sheet: list[StatementLine] = field(default_factory=list)
    #: 资源 and 发包租赁 (``register_reports.disclosure_sections``), empty without registers.
    registers: dict[str, list[dict]] = field(default_factory=dict)
    blockers: list[str] = field(default_factory=list)
    #: 成员分配 booked in the period by 村民小组 (``register_reports.distribution_between``).
    distribution: list[dict] = field(default_factory=list)
    #: Notes for the period's year end: a distribution that shares out subsidies
    #: (``year_end.subsidy_warnings``).
    warnings: list[str] = field(default_factory=list)
    code: str = ""
    sections: Sections | None = None
    publish_url: str | None = None

    @property
    def status(self) -> str:
        """已审核 when the ledger records the supervision committee's review of the period,
        检查通过 when only the checks passed, 未审核 when something blocks publishing."""
        if self.blockers:
            return "未审核"
        if self.sections and self.sections.review:
            return "已审核"
        return "检查通过"

    @property
    def capitals(self) -> dict[str, str]:
        """The period's totals in capital numerals."""
        return {
            "income_total": capital(self.income_total),
            "expense_total": capital(self.expense_total),
            "assets_total": capital(self.assets_total),
            "funds_received": capital(self.funds_total["received"]),
        }

    def to_json(self) -> dict:
        """The disclosure as JSON values: money as exact strings, dates as ISO text."""
        result = _jsonable(asdict(self))
        result["period"].update(label=self.period.label)
        result["capitals"] = self.capitals
        result["status"] = self.status
        return result


def _jsonable(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _below_top(account: str) -> str:
    """The names of an account below its first level: ``...:11201-张三`` → ``张三``."""
    return "-".join(split_component(c)[1] for c in bc_account.split(account)[2:])


def _line(label: str, sums: dict[str, Decimal], codes: Iterable[str], sign: int = 1) -> Line:
    """A balance line over first-level codes, with its parts: each account below the first
    level (a counterparty, lender, project), named after its first level when the line
    spans several (银行存款-农商行)."""
    codes = tuple(codes)
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for account, value in sums.items():
        if top_code(account) in codes:
            names = bc_account.split(account)
            first = chart()[top_code(account)].name
            below = split_component(names[2])[1] if len(names) > 2 else ""
            name = f"{first}-{below}" if below and len(codes) > 1 else below or first
            parts[mask(name)] += value
    details = [(name, signed(sign, value)) for name, value in parts.items() if value]
    if len(details) == 1 and details[0][0] in (label, chart()[codes[0]].name):
        details = []
    return Line(label, signed(sign, total(sums, codes)), details)


RECEIVABLES = "应收款项 (明细见债权债务)"
#: The lines of 各项资产: the 资产负债表's names for the same first-level codes of the 2023
#: chart (one asset, one name), net of their contra accounts.
ASSET_LINES = (
    ("货币资金", ("101", "102")),
    ("短期投资", ("111",)),
    (RECEIVABLES, ("112", statements.INTERNAL)),
    ("存货", ("121", "401")),
    ("消耗性生物资产", ("131",)),
    ("长期投资", ("141",)),
    ("生产性生物资产净值", ("132", "133")),
    ("固定资产净值", ("151", "152")),
    ("在建工程", ("153",)),
    ("固定资产清理", ("154",)),
    ("无形资产净值", ("161", "162")),
    ("公益性生物资产", ("134",)),
    ("长期待摊费用", ("171",)),
    ("待处理财产损溢", ("181",)),
)
DEBT_LINES = (
    ("应收款", ("112",), 1),
    ("内部往来", ("113",), 1),
    ("应付款", ("211",), -1),
    ("借款", ("201", "221"), -1),
    ("专项应付款", ("241",), -1),
    ("一事一议资金", ("231",), -1),
    ("应付工资及劳务费", ("212", "213"), -1),
    ("应交税费", ("214",), -1),
)


def asset_balances(sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """The asset accounts' balances the 资产负债表 counts as assets: a 内部往来 detail
    account with a credit balance is a payable (``statements.internal_sides``)."""
    return {
        a: v
        for a, v in sums.items()
        if transaction_facts.root(a) == "Assets"
        and not (top_code(a) == statements.INTERNAL and v < 0)
    }


def _asset_lines(sums: dict[str, Decimal]) -> list[Line]:
    """货币资金, 应收款项, 存货, 固定资产净值 …, the rest as 其他资产; zero lines left out.

    ``sums`` are ``asset_balances``; the lines add up to ``assets_total`` (the
    资产负债表's 资产总计); receivables are itemised under 债权债务 only.
    """
    covered = {code for _, codes in ASSET_LINES for code in codes}
    lines = [_line(label, sums, codes) for label, codes in ASSET_LINES]
    others = sorted({top_code(a) for a in sums} - covered)
    lines.append(_line("其他资产", sums, others))
    for line in lines:
        if line.label == RECEIVABLES:
            line.details = []
    return [line for line in lines if line.amount]


def _debt_lines(sums: dict[str, Decimal]) -> list[Line]:
    """Receivables and payables by counterparty, loans, earmarked payables by project."""
    lines = [_line(label, sums, codes, sign) for label, codes, sign in DEBT_LINES]
    return [line for line in lines if line.amount or line.label in ("应收款", "应付款")]


def _groups(transactions: list[data.Transaction], root: str) -> tuple[list[Group], Decimal]:
    """Income (``Income``, shown positive) or spending (``Expenses``) item by item."""
    sign = -1 if root == "Income" else 1
    grouped: dict[str, list[Item]] = defaultdict(list)
    for entry in transactions:
        for posting in entry.postings:
            if transaction_facts.root(posting.account) == root:
                grouped[top_code(posting.account)].append(
                    Item(
                        entry.date,
                        mask(entry.payee or ""),
                        mask(entry.narration or ""),
                        mask(_below_top(posting.account)),
                        sign * posting.units.number,
                    )
                )
    standard = chart()
    groups = [
        Group(code, standard[code].name, items, sum((i.amount for i in items), ZERO))
        for code, items in sorted(grouped.items())
    ]
    return groups, sum((g.subtotal for g in groups), ZERO)


def _source_of(receipt: funds.Receipt, village: reports.VillageBooks) -> str:
    """Where aid comes from: the project's declared source, 派出单位帮扶 for a posted
    secretary's unit, else the name of the fund account credited (专项应付款, 补助收入 …)."""
    funder = receipt.funder
    for pid in receipt.projects:
        project = village.declarations.projects.get(pid)
        for funding in project.funding if project else ():
            if funding.funder == funder:
                return funding.source
    if funder in village.declarations.units:
        return "派出单位帮扶"
    for pid in receipt.projects:
        project = village.declarations.projects.get(pid)
        unnamed = [f.source for f in project.funding if not f.funder] if project else []
        if len(unnamed) == 1:  # the project's one source without a declared payer
            return unnamed[0]
    codes = funds.fund_accounts(village.options.aid_accounts)
    credited = [top_code(p.account) for p in receipt.entry.postings if p.units.number < 0]
    standard = chart().get(next((c for c in credited if c in codes), ""))
    return standard.name if standard else "其他"


def _fund_rows(at_end: reports.VillageBooks, period: Period) -> list[dict]:
    """Per funder of outside money (``projects.funds``: 补助, 帮扶, 专项, 捐赠, 一事一议筹资;
    never a customer's payment): who remitted it where another did, its source, received
    in the period and to date, used on projects, for what."""
    found = reports.funds_of(at_end)
    projects = at_end.declarations.projects
    rows: dict[str, dict] = {}
    for receipt in found.receipts:
        row = rows.setdefault(
            receipt.funder,
            {
                "funder": mask(receipt.funder),
                "remitted_by": [],
                "sources": [],
                "received": ZERO,
                "received_to_date": ZERO,
                "used": found.spent.get(receipt.funder, ZERO),
                "for": [],
            },
        )
        row["received_to_date"] += receipt.amount
        if receipt.date >= period.start:
            row["received"] += receipt.amount
        remitted = mask(receipt.remitted_by) if receipt.remitted_by else None
        if remitted and remitted not in row["remitted_by"]:
            row["remitted_by"].append(remitted)
        source = _source_of(receipt, at_end)
        if source not in row["sources"]:
            row["sources"].append(source)
        linked = [f"{p} {projects[p].name}" for p in receipt.projects if p in projects]
        purposes = linked or [
            mask(_below_top(p.account) or chart()[top_code(p.account)].name)
            for p in receipt.entry.postings
            if p.units.number < 0
        ]
        row["for"].extend(x for x in purposes if x not in row["for"])
    return list(rows.values())


def _project_rows(at_end: reports.VillageBooks) -> list[dict]:
    """The projects report to period end, with progress and dated decision steps."""
    rows = []
    for row in reports.project_rows(at_end):
        budget = row.budget
        rows.append(
            {
                "project": row.project,
                "name": mask(row.name),
                "kind": row.kind,
                "budget": budget,
                "received": row.received,
                "received_by_source": {mask(k): v for k, v in row.received_by_source.items()},
                "spent": row.spent,
                "capitalised": row.capitalised,
                "progress": (row.spent / budget * 100).quantize(Decimal("0.1")) if budget else None,
                "steps": [(s, row.steps[s]) for s in model.STEPS if s in row.steps],
                "steps_missing": row.steps_missing,
                "income": row.income,
            }
        )
    return rows


# --- blockers and the verification code -----------------------------------------------


def blockers(village: reports.VillageBooks, period: Period, errors: Iterable = ()) -> list[str]:
    """What stops publishing: ledger errors and ``!`` entries dated up to the period's end.

    ``errors`` are the loader's errors (Beancount's and the ``projects.checks`` plugin's);
    an error about an entry dated after the period does not block it.
    """
    found = []
    for error in errors:
        entry = getattr(error, "entry", None)
        if entry is None or getattr(entry, "date", period.end) <= period.end:
            found.append(mask(format_error(error)))
    for entry in village.entries:
        if isinstance(entry, data.Transaction) and entry.flag == "!" and entry.date <= period.end:
            found.append(
                f"{where(entry.meta)}: {entry.date} “{mask(entry.narration or '')}” "
                "仍标记为待分类 (flagged !), 请先分类"
            )
    return found


def verification_code(village: reports.VillageBooks, period: Period, figures: dict) -> str:
    """The first 12 hex digits of SHA-256 over the period's entries and carried figures.

    The digest covers (1) every transaction and declaration dated in the period (not the
    records of reviews and publications, ``RECORDS``), printed
    canonically by Beancount (so any change to one of them changes the code), and (2) the
    figures the sheet shows that earlier entries determine: balances, projects and funds
    to the period's end. A change after the period never changes the code; a change before
    it does exactly when it changes a figure on the sheet.
    """
    digest = hashlib.sha256(f"{village.village}|{period.code}\n".encode())
    canonical = printer.EntryPrinter()  # what printer.format_entry uses, built once
    inside = [
        canonical(e)
        for e in village.entries
        if isinstance(e, data.Transaction | data.Custom)
        and period.start <= e.date <= period.end
        and not (isinstance(e, data.Custom) and e.type in RECORDS)
    ]
    for text in sorted(inside):
        digest.update(text.encode())
    digest.update(json.dumps(_jsonable(figures), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()[:12]


def compute(
    village: reports.VillageBooks,
    period: Period,
    *,
    township: str = "",
    posted: datetime.date | None = None,
    errors: Iterable = (),
) -> Disclosure:
    """The disclosure of one village for one period, from its books (a pure function)."""
    at_end = village.as_of(period.end)
    inside = [t for t in at_end.transactions() if t.date >= period.start]
    income, income_total = _groups(inside, "Income")
    expenses, expense_total = _groups(inside, "Expenses")
    sums = balances(at_end.entries, period.end)
    held = asset_balances(sums)
    funds = _fund_rows(at_end, period)
    disclosure = Disclosure(
        township=township,
        village=village.village,
        organisation=village.options.organisation or f"{village.village}集体经济组织",
        agency=village.options.agency or f"{township}农村经营管理站",
        period=period,
        posted=posted or datetime.date.today(),
        income=income,
        income_total=income_total,
        expenses=expenses,
        expense_total=expense_total,
        assets=_asset_lines(held),
        assets_total=total(held, chart(), "Assets"),
        debts=_debt_lines(sums),
        funds=funds,
        funds_total={
            key: sum((row[key] for row in funds), ZERO)
            for key in ("received", "received_to_date", "used")
        },
        projects=_project_rows(at_end),
        blockers=blockers(village, period, errors),
        sections=compute_sections(
            at_end.entries, inside, period, village.options.cadre_pay_accounts
        ),
        publish_url=village.options.publish_url,
    )
    if period.annual:
        disclosure.income_statement = income_statement(at_end, period)
        disclosure.balance_sheet = balance_sheet(at_end, period)
    carried = {
        key: getattr(disclosure, key)
        for key in ("assets", "debts", "funds", "projects", "income_statement", "balance_sheet")
    }
    carried["money"] = disclosure.sections.money
    disclosure.sections.review = review_of(village.entries, period)
    distributed = {
        e.date.year
        for e in at_end.entries
        if isinstance(e, data.Transaction)
        and e.date >= period.start
        and year_end.is_distribution(e)
    }
    disclosure.warnings = year_end.subsidy_warnings(at_end.entries, distributed)
    disclosure.registers = register_reports.disclosure_sections(at_end, period.end)
    if disclosure.registers:
        carried["registers"] = disclosure.registers
    disclosure.distribution = [
        {k: v for k, v in asdict(row).items() if k not in ("township", "village")}
        for row in register_reports.distribution_between(
            at_end, lambda day: period.start <= day <= period.end
        )
    ]
    if disclosure.distribution:  # the groups come from the 成员名册, declared before
        carried["distribution"] = disclosure.distribution
    disclosure.code = verification_code(village, period, carried)
    return disclosure
