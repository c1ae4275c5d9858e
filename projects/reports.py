"""The report tables: projects, funds, income, secretaries.

One computation per table, over one village's entries; the CLI report, the Fava pages and
the disclosures all call these functions. A row is a dataclass whose fields are the
table's stable English keys, in the order of its JSON; money is ``Decimal``; ``COLUMNS``
gives each table's Chinese headers for display. Per-project sums come from
``projects.project_totals``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from projects import model, options, register_reports, transaction_facts
from projects.project_totals import ProjectTotals, project_totals
from projects.transaction_facts import ZERO

WAN = Decimal("10000")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, money, int, pct


COLUMNS: dict[str, list[Column]] = {
    "projects": [
        Column("village", "村"),
        Column("project", "项目编号"),
        Column("name", "项目名称"),
        Column("kind", "类别"),
        Column("budget", "预算", "money"),
        Column("received", "到位资金", "money"),
        Column("received_by_source", "到位资金来源"),
        Column("spent", "已支出", "money"),
        Column("capitalised", "已形成资产", "money"),
        Column("remaining", "预算余额", "money"),
        Column("steps_done", "决策程序"),
        Column("steps_missing", "未完成步骤"),
        Column("income", "已产生收益", "money"),
        Column("payback", "收益/支出", "pct"),
    ],
    "funds": [
        Column("village", "村"),
        Column("unit", "派出单位"),
        Column("secretary", "第一书记"),
        Column("pledged", "协调金额", "money"),
        Column("claimed", "声称到位", "money"),
        Column("found", "账上到位", "money"),
        Column("spent", "已使用", "money"),
        Column("unverified", "未核实", "money"),
        Column("findings", "发现"),
    ],
    "income": [
        Column("village", "村"),
        Column("year", "年度"),
        Column("operating", "集体经营性收入", "money"),
        Column("subsidy", "补助收入", "money"),
        Column("total", "总收入", "money"),
        Column("band", "收入档次"),
        Column("change", "比上年增减", "money"),
    ],
    "secretaries": [
        Column("village", "村"),
        Column("secretary", "第一书记"),
        Column("unit", "派出单位"),
        Column("term", "任期"),
        Column("landed", "到位资金", "money"),
        Column("spent", "已使用", "money"),
        Column("projects", "引进项目"),
        Column("base_year", "任前年度"),
        Column("income_before", "任前经营性收入", "money"),
        Column("latest_year", "最近年度"),
        Column("income_latest", "最近经营性收入", "money"),
    ],
}

COLUMNS.update(
    {name: [Column(*spec) for spec in specs] for name, specs in register_reports.COLUMNS.items()}
)

BAND_NAMES = ("无收益", "5万元以下", "5万至10万元", "10万元以上")


@dataclass
class VillageBooks:
    """A village's books as every report reads them: its entries, with its declarations
    (:mod:`projects.model`) and options (:mod:`projects.options`) read once."""

    village: str
    entries: data.Directives
    declarations: model.Declarations
    options: options.LedgerOptions
    township: str = ""

    @classmethod
    def of(cls, village: str, entries: data.Directives, township: str = "") -> VillageBooks:
        return cls(village, entries, model.read(entries), options.read(entries), township)

    def transactions(self, until: datetime.date | None = None) -> list[data.Transaction]:
        """Real transactions (no closing entries), up to ``until`` inclusive."""
        return [
            t
            for t in transaction_facts.transactions(self.entries)
            if until is None or t.date <= until
        ]


def year_end(year: int | None) -> datetime.date | None:
    return datetime.date(year, 12, 31) if year else None


def band(amount: Decimal, bands: tuple[Decimal, Decimal]) -> str:
    """The official band of a year's collective operating income."""
    low, high = bands
    if amount <= 0:
        return BAND_NAMES[0]
    if amount < low:
        return BAND_NAMES[1]
    if amount <= high:
        return BAND_NAMES[2]
    return BAND_NAMES[3]


# --- projects -------------------------------------------------------------------------


@dataclass
class ProjectRow:
    """One project: its budget, the money received by source, spent, capitalised and
    earned, and its decision steps (``steps``: the recorded ones, ISO dates by name)."""

    village: str
    project: str
    name: str
    kind: str
    budget: Decimal | None
    received: Decimal
    received_by_source: dict[str, Decimal]
    spent: Decimal
    capitalised: Decimal
    remaining: Decimal | None
    steps_done: str
    steps_missing: list[str]
    steps: dict[str, str]
    income: Decimal
    payback: Decimal | None

    def step_list(self) -> list[tuple[str, str | None]]:
        """The required and the recorded steps in order, each with its date (or none)."""
        return [
            (step, self.steps.get(step))
            for step in model.STEPS
            if step in self.steps or step in self.steps_missing
        ]


def project_rows(village: VillageBooks, year: int | None = None) -> list[ProjectRow]:
    """Per project: budget, money received by source, spent, capitalised, income, steps."""
    totals = project_totals(village.transactions(year_end(year)))
    required = model.required_steps(village.options.township_review)
    rows = []
    for pid, project in village.declarations.projects.items():
        sums = totals.get(pid, ProjectTotals())
        source_of = {f.funder: f.source for f in project.funding if f.funder}
        done = [s for s in required if s in project.steps]
        rows.append(
            ProjectRow(
                village=village.village,
                project=pid,
                name=project.name,
                kind=project.kind or "",
                budget=project.budget,
                received=sums.received,
                received_by_source=sums.by_source(source_of),
                spent=sums.spent,
                capitalised=sums.capitalised,
                remaining=None if project.budget is None else project.budget - sums.spent,
                steps_done=f"{len(done)}/{len(required)}",
                steps_missing=[s for s in required if s not in project.steps],
                steps={s: d.isoformat() for s, d in project.steps.items()},
                income=sums.income,
                payback=sums.income / sums.spent if sums.spent > 0 else None,
            )
        )
    return rows


# --- funds brought in by posted secretaries ------------------------------------------


@dataclass
class Finding:
    """A claim about the books that the books do not bear out (not a ledger error)."""

    kind: str  # "unverified" (claimed landed, not found) or "undeclared" (found, not claimed)
    unit: str
    date: datetime.date
    amount: Decimal
    message: str
    meta: dict


def receipts(village: VillageBooks, until: datetime.date | None = None) -> list[data.Transaction]:
    """Money received from a named payer (``funder`` metadata)."""
    return [
        t
        for t in village.transactions(until)
        if t.meta.get("funder") and transaction_facts.money_in(t) > 0
    ]


def match_claims(village: VillageBooks, until: datetime.date | None = None) -> list[Finding]:
    """Landing claims without a receipt from that payer, and unit receipts never claimed.

    A claim is matched by a receipt from the same unit of the same amount within the
    ledger's ``claim_window_days`` of the claimed date; each receipt matches one claim.
    """
    window = datetime.timedelta(days=village.options.claim_window_days)
    found = [(r, transaction_facts.money_in(r)) for r in receipts(village, until)]
    unmatched: dict[tuple[str, Decimal], list[int]] = defaultdict(list)  # by payer and amount
    for index, (receipt, amount) in enumerate(found):
        unmatched[(receipt.meta["funder"], amount)].append(index)
    units = village.declarations.units | {c.unit for c in village.declarations.claims}
    findings = []
    landed = [c for c in village.declarations.claims if c.kind == "landed"]
    for claim in sorted(landed, key=lambda c: c.date):
        if until and claim.date > until:
            continue
        candidates = unmatched[(claim.unit, claim.amount)]
        match = next((i for i in candidates if abs(found[i][0].date - claim.date) <= window), None)
        if match is not None:
            candidates.remove(match)
            continue
        findings.append(
            Finding(
                "unverified",
                claim.unit,
                claim.date,
                claim.amount,
                f"{claim.unit} 声称 {claim.date} 到位 {claim.amount:,.2f} 元 ({claim.fund}), "
                f"账上前后 {window.days} 天内没有该单位汇入的这笔钱",
                claim.meta,
            )
        )
    still_open = sorted(i for indices in unmatched.values() for i in indices)
    for receipt, amount in (found[i] for i in still_open):
        if receipt.meta["funder"] in units:
            findings.append(
                Finding(
                    "undeclared",
                    receipt.meta["funder"],
                    receipt.date,
                    amount,
                    f"{receipt.date} 收到 {receipt.meta['funder']} {amount:,.2f} 元, "
                    "没有对应的到位声明 (fund-landed)",
                    receipt.meta,
                )
            )
    return findings


@dataclass
class FundRow:
    """One dispatching unit and its secretary: funds pledged, claimed landed, found in the
    books and spent, the claimed funds not found, and the findings behind them."""

    village: str
    unit: str
    secretary: str
    pledged: Decimal = ZERO
    claimed: Decimal = ZERO
    found: Decimal = ZERO
    spent: Decimal = ZERO
    unverified: Decimal = ZERO
    findings: list[str] = field(default_factory=list)


def fund_rows(village: VillageBooks, year: int | None = None) -> list[FundRow]:
    """Per dispatching unit and secretary: pledged, claimed, found in the books, spent."""
    until = year_end(year)
    declared = village.declarations
    secretary_of = {s.unit: s.name for s in declared.secretaries}
    keys: dict[str, FundRow] = {}

    def row(unit: str) -> FundRow:
        return keys.setdefault(unit, FundRow(village.village, unit, secretary_of.get(unit, "")))

    for claim in declared.claims:
        if until is None or claim.date <= until:
            if claim.kind == "pledge":
                row(claim.unit).pledged += claim.amount
            else:
                row(claim.unit).claimed += claim.amount
    units = declared.units | {c.unit for c in declared.claims}
    spent_share = unit_spending(village, until)
    for receipt in receipts(village, until):
        unit = receipt.meta["funder"]
        if unit in units:
            row(unit).found += transaction_facts.money_in(receipt)
    for unit, amount in spent_share.items():
        if unit in units:
            row(unit).spent += amount
    for finding in match_claims(village, until):
        target = row(finding.unit)
        target.findings.append(finding.message)
        if finding.kind == "unverified":
            target.unverified += finding.amount
    for secretary in declared.secretaries:
        row(secretary.unit)
    return list(keys.values())


def unit_spending(village: VillageBooks, until: datetime.date | None) -> dict[str, Decimal]:
    """Project spending shared among payers in proportion to what each paid in."""
    share: dict[str, Decimal] = defaultdict(Decimal)
    for totals in project_totals(village.transactions(until)).values():
        paid = sum(totals.paid.values(), ZERO)
        used = min(totals.spent, paid)
        for payer, amount in totals.paid.items():
            share[payer] += (used * amount / paid).quantize(Decimal("0.01"))
    return share


# --- collective income ----------------------------------------------------------------


@dataclass
class Income:
    """A year's income: 集体经营性收入 (501 + 502), 补助收入 (503) and all of it."""

    operating: Decimal = ZERO
    subsidy: Decimal = ZERO
    total: Decimal = ZERO


def income_by_year(village: VillageBooks) -> dict[int, Income]:
    """Operating, subsidy and total income per year, without closing entries."""
    years: dict[int, Income] = defaultdict(Income)
    for entry in village.transactions():
        sums = years[entry.date.year]
        sums.operating += transaction_facts.income(entry, transaction_facts.OPERATING_INCOME)
        sums.subsidy += transaction_facts.income(
            entry, frozenset({transaction_facts.SUBSIDY_INCOME})
        )
        sums.total += transaction_facts.income(entry)
    return dict(years)


@dataclass
class IncomeRow:
    """One year of collective income, its band and the change from the year before."""

    village: str
    year: int
    operating: Decimal
    subsidy: Decimal
    total: Decimal
    band: str
    change: Decimal | None


def income_rows(
    village: VillageBooks, year: int | None = None, bands: tuple[Decimal, Decimal] | None = None
) -> list[IncomeRow]:
    """Per year: 集体经营性收入 (501 + 502), 补助收入, total, band, change."""
    bands = bands or village.options.income_bands
    years = income_by_year(village)
    rows = []
    for y in sorted(years):
        if year is not None and y != year:
            continue
        sums = years[y]
        before = years.get(y - 1)
        rows.append(
            IncomeRow(
                village=village.village,
                year=y,
                operating=sums.operating,
                subsidy=sums.subsidy,
                total=sums.total,
                band=band(sums.operating, bands),
                change=sums.operating - before.operating if before else None,
            )
        )
    return rows


# --- posted secretaries ---------------------------------------------------------------


@dataclass
class SecretaryRow:
    """One secretary's term: the funds their unit landed and spent, the projects they
    brought, and the operating income before the term and in the latest year."""

    village: str
    secretary: str
    unit: str
    term: str
    landed: Decimal
    spent: Decimal
    projects: list[str]
    base_year: int | None
    income_before: Decimal | None
    latest_year: int | None
    income_latest: Decimal | None


def secretary_rows(village: VillageBooks, year: int | None = None) -> list[SecretaryRow]:
    """Per secretary and term: funds landed and spent, projects, income before and after."""
    years = income_by_year(village)
    funds = {row.unit: row for row in fund_rows(village, year)}
    latest = year if year is not None else max(years, default=None)
    rows = []
    for secretary in village.declarations.secretaries:
        known = [y for y in sorted(years) if y >= secretary.start.year - 1]
        base = known[0] if known else None
        unit = funds.get(secretary.unit)
        projects = [
            p.id for p in village.declarations.projects.values() if p.secretary == secretary.name
        ]
        until = secretary.until.isoformat() if secretary.until else "至今"
        rows.append(
            SecretaryRow(
                village=village.village,
                secretary=secretary.name,
                unit=secretary.unit,
                term=f"{secretary.start.isoformat()}—{until}",
                landed=unit.found if unit else ZERO,
                spent=unit.spent if unit else ZERO,
                projects=projects,
                base_year=base,
                income_before=years[base].operating if base else None,
                latest_year=latest,
                income_latest=years[latest].operating if latest in years else None,
            )
        )
    return rows


#: The report tables by name; each returns its rows (``COLUMNS[name]`` for display).
REPORTS: dict[str, Callable[[VillageBooks, int | None], list]] = {
    "projects": project_rows,
    "funds": fund_rows,
    "income": income_rows,
    "secretaries": secretary_rows,
    **register_reports.REPORTS,
}
