"""The report tables: projects, funds, income, secretaries.

One computation per table, over one village's entries; the CLI report, the Fava pages and
the disclosures all call these functions. A row is a dataclass whose fields are the
table's stable English keys, in the order of its JSON, the township and the village first;
money is ``Decimal``; ``COLUMNS`` gives each table's Chinese headers for display.
Per-project sums come from ``projects.project_totals``.

Every table of a year shows the books as they stood at the end of that year
(:func:`at_year_end`, :meth:`VillageBooks.as_of`): declarations dated later do not exist
yet, steps recorded later are not done, amounts count up to the year's end.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from projects import funds, model, options, register_reports, statements, transaction_facts
from projects.funds import Finding
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
        Column("township", "乡镇"),
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
        Column("township", "乡镇"),
        Column("village", "村"),
        Column("unit", "派出单位"),
        Column("secretary", "第一书记"),
        Column("pledged", "协调金额", "money"),
        Column("claimed", "声称到位", "money"),
        Column("found", "账上到位", "money"),
        Column("spent", "已使用", "money"),
        Column("unverified", "未核实", "money"),
        Column("missing", "待到位", "money"),
        Column("in_kind", "其中实物", "money"),
        Column("purchases", "消费帮扶", "money"),
        Column("remitted_by", "经手拨付"),
        Column("findings", "发现"),
    ],
    "income": [
        Column("township", "乡镇"),
        Column("village", "村"),
        Column("year", "年度"),
        Column("operating", "集体经营性收入", "money"),
        Column("subsidy", "补助收入", "money"),
        Column("total", "总收入", "money"),
        Column("earnings", "经营收益", "money"),
        Column("basis", "分档口径"),
        Column("band", "档次"),
        Column("change", "口径金额比上年增减", "money"),
    ],
    "secretaries": [
        Column("township", "乡镇"),
        Column("village", "村"),
        Column("secretary", "第一书记"),
        Column("unit", "派出单位"),
        Column("term", "任期"),
        Column("landed", "到位资金", "money"),
        Column("outside_term", "其中任期外", "money"),
        Column("spent", "已使用", "money"),
        Column("projects", "引进项目"),
        Column("base_year", "任前年度"),
        Column("base_note", "任前说明"),
        Column("income_before", "任前经营性收入", "money"),
        Column("latest_year", "最近年度"),
        Column("income_latest", "最近经营性收入", "money"),
    ],
}

#: The two bases a county may band villages by (ledger option ``income_basis``), each with
#: its label and the name of the band at or below zero.
INCOME_BASES = dict(
    zip(
        options.INCOME_BASES,
        (
            ("集体经营性收入 (501 经营收入 + 502 投资收益)", "无经营性收入"),
            ("经营收益 (收益及收益分配表 二、经营收益)", "无经营收益 (含亏损)"),
        ),
        strict=True,
    )
)

COLUMNS.update(
    {name: [Column(*spec) for spec in specs] for name, specs in register_reports.COLUMNS.items()}
)


@dataclass
class VillageBooks:
    """A village's books as every report reads them: its entries, with its declarations
    (:mod:`projects.model`) and options (:mod:`projects.options`) read once."""

    village: str
    entries: data.Directives
    declarations: model.Declarations
    options: options.LedgerOptions
    township: str = ""
    #: ``funds_of`` by ``until``: computed once per books, however many tables ask.
    _funds: dict[datetime.date | None, funds.Funds] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def of(cls, village: str, entries: data.Directives, township: str = "") -> VillageBooks:
        return cls(village, entries, model.read(entries), options.read(entries), township)

    def as_of(self, day: datetime.date | None) -> VillageBooks:
        """The books as they stood at the end of ``day``: the entries dated up to it, and
        the declarations and options they make (a project declared later does not exist
        yet, a step recorded later is not done). These books when ``day`` is none or no
        entry is dated after it."""
        if day is None or all(entry.date <= day for entry in self.entries):
            return self
        kept = [entry for entry in self.entries if entry.date <= day]
        return VillageBooks.of(self.village, kept, self.township)

    def transactions(self, until: datetime.date | None = None) -> list[data.Transaction]:
        """Real transactions (no closing entries), up to ``until`` inclusive."""
        return [
            t
            for t in transaction_facts.transactions(self.entries)
            if until is None or t.date <= until
        ]


def year_end(year: int | None) -> datetime.date | None:
    return datetime.date(year, 12, 31) if year else None


#: A report table: its rows for a village's books and a year (none: all years).
Report = Callable[[VillageBooks, int | None], list]


def at_year_end(report: Report) -> Report:
    """``report`` over the books as they stood at the end of the year asked for
    (:meth:`VillageBooks.as_of`): every table shows the state at that date, and nothing
    dated later."""

    @functools.wraps(report)
    def cut(village: VillageBooks, year: int | None = None, **options: object) -> list:
        return report(village.as_of(year_end(year)), year, **options)

    return cut


def wan(amount: Decimal) -> str:
    """``50000`` → ``5万``, ``12500`` → ``1.25万``."""
    return f"{(amount / WAN).normalize():f}万"


def band_names(bands: tuple[Decimal, Decimal], basis: str) -> tuple[str, str, str, str]:
    """The bands in order: none (zero or less), below the low edge, from the low edge to
    below the high edge, the high edge and more."""
    low, high = (wan(edge) for edge in bands)
    return (INCOME_BASES[basis][1], f"{low}元以下", f"{low}至{high}元", f"{high}元以上")


def band(amount: Decimal, bands: tuple[Decimal, Decimal], basis: str) -> str:
    """The band of a year's amount on ``basis``. An edge belongs to the band above it, as
    statistical grouping counts the lower limit in and the upper limit out (上限不在内):
    exactly 50 000 is 5万至10万元, exactly 100 000 is 10万元以上."""
    low, high = bands
    names = band_names(bands, basis)
    if amount <= 0:
        return names[0]
    if amount < low:
        return names[1]
    if amount < high:
        return names[2]
    return names[3]


# --- projects -------------------------------------------------------------------------


@dataclass
class ProjectRow:
    """One project: its budget, the money received by source, spent, capitalised and
    earned, and its decision steps (``steps``: the recorded ones, ISO dates by name)."""

    township: str
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


@at_year_end
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
                township=village.township,
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


def funds_of(village: VillageBooks, until: datetime.date | None = None) -> funds.Funds:
    """``projects.funds.compute`` over the village's books up to ``until``, once per books
    and ``until``: the fund, secretary and finding tables share it, so callers must not
    change it."""
    if until not in village._funds:
        village._funds[until] = funds.compute(
            village.transactions(), village.declarations, village.options, until
        )
    return village._funds[until]


def match_claims(village: VillageBooks, until: datetime.date | None = None) -> list[Finding]:
    """Landing claims the unit's aid does not (all) bear out, and unit aid never claimed
    (:mod:`projects.funds`)."""
    return funds_of(village, until).findings


@dataclass
class FundRow:
    """One dispatching unit and its secretaries: funds pledged, claimed landed, aid found in
    the books (in kind included) and spent, the claims not verified and what they still
    miss, the unit's purchases (消费帮扶, not aid), who remitted its aid, and the findings."""

    township: str
    village: str
    unit: str
    secretary: str
    pledged: Decimal = ZERO
    claimed: Decimal = ZERO
    found: Decimal = ZERO
    spent: Decimal = ZERO
    unverified: Decimal = ZERO
    findings: list[str] = field(default_factory=list)
    missing: Decimal = ZERO
    in_kind: Decimal = ZERO
    purchases: Decimal = ZERO
    remitted_by: list[str] = field(default_factory=list)


@at_year_end
def fund_rows(village: VillageBooks, year: int | None = None) -> list[FundRow]:
    """Per dispatching unit: pledged, claimed, aid found in the books, spent, purchases."""
    until = year_end(year)
    declared = village.declarations
    found = funds_of(village, until)
    names: dict[str, list[str]] = defaultdict(list)
    for secretary in declared.secretaries:
        if secretary.name not in names[secretary.unit]:
            names[secretary.unit].append(secretary.name)
    rows = {
        unit: FundRow(village.township, village.village, unit, "、".join(names.get(unit, [])))
        for unit in found.units
    }
    for claim in declared.claims:
        if claim.kind == "pledge" and (until is None or claim.date <= until):
            rows[claim.unit].pledged += claim.amount
    for check in found.claims:
        row = rows[check.claim.unit]
        row.claimed += check.claim.amount
        if not check.verified:
            row.unverified += check.claim.amount
            row.missing += check.missing
    for receipt in found.receipts:
        row = rows.get(receipt.funder)
        if row is None:
            continue
        row.found += receipt.amount
        row.in_kind += receipt.amount if receipt.in_kind else ZERO
        if receipt.remitted_by and receipt.remitted_by not in row.remitted_by:
            row.remitted_by.append(receipt.remitted_by)
    for purchase in found.purchases:
        if purchase.buyer in rows:
            rows[purchase.buyer].purchases += purchase.amount
    for unit, row in rows.items():
        row.spent = found.spent.get(unit, ZERO)
    for finding in found.findings:
        rows[finding.unit].findings.append(finding.message)
    return list(rows.values())


# --- collective income ----------------------------------------------------------------


@dataclass
class Income:
    """A year's income: 集体经营性收入 (501 + 502), 补助收入 (503), all of it, and the
    postings that make 经营收益 by first-level code."""

    operating: Decimal = ZERO
    subsidy: Decimal = ZERO
    total: Decimal = ZERO
    by_code: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def earnings(self) -> Decimal:
        """二、经营收益, as the 收益及收益分配表 computes it."""
        return statements.earning_lines(self.by_code)[statements.OPERATING_EARNINGS]


def income_by_year(village: VillageBooks) -> dict[int, Income]:
    """Operating, subsidy and total income per year, and 经营收益, without closing entries."""
    years: dict[int, Income] = defaultdict(Income)
    for entry in village.transactions():
        sums = years[entry.date.year]
        sums.operating += transaction_facts.income(entry, transaction_facts.OPERATING_INCOME)
        sums.subsidy += transaction_facts.income(
            entry, frozenset({transaction_facts.SUBSIDY_INCOME})
        )
        sums.total += transaction_facts.income(entry)
        if statements.earning_entry(entry):
            for posting in entry.postings:
                sums.by_code[transaction_facts.top_code(posting.account)] += posting.units.number
    return dict(years)


@dataclass
class IncomeRow:
    """One year of collective income, 经营收益, the band on the ledger's basis and the
    change of the basis amount from the year before."""

    township: str
    village: str
    year: int
    operating: Decimal
    subsidy: Decimal
    total: Decimal
    earnings: Decimal
    basis: str
    band: str
    change: Decimal | None


def basis_amount(sums: Income, basis: str) -> Decimal:
    """The amount a year is banded by: 集体经营性收入 or 经营收益."""
    return sums.earnings if basis == "经营收益" else sums.operating


@at_year_end
def income_rows(
    village: VillageBooks, year: int | None = None, bands: tuple[Decimal, Decimal] | None = None
) -> list[IncomeRow]:
    """Per year: 集体经营性收入 (501 + 502), 补助收入, total, 经营收益, the basis (ledger
    option ``income_basis``), the band and the change of the basis amount."""
    bands = bands or village.options.income_bands
    basis = village.options.income_basis
    years = income_by_year(village)
    rows = []
    for y in sorted(years):
        if year is not None and y != year:
            continue
        sums = years[y]
        before = years.get(y - 1)
        amount = basis_amount(sums, basis)
        rows.append(
            IncomeRow(
                township=village.township,
                village=village.village,
                year=y,
                operating=sums.operating,
                subsidy=sums.subsidy,
                total=sums.total,
                earnings=sums.earnings,
                basis=INCOME_BASES[basis][0],
                band=band(amount, bands, basis),
                change=amount - basis_amount(before, basis) if before else None,
            )
        )
    return rows


# --- posted secretaries ---------------------------------------------------------------


@dataclass
class SecretaryRow:
    """One secretary's term: the aid attributed to it and spent, the projects they
    brought, and the operating income of the last full year before the term
    (``base_year``; none with ``base_note`` 无任前数据 when the books do not reach it) and of
    the latest year."""

    township: str
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
    outside_term: Decimal = ZERO
    base_note: str = ""


#: ``SecretaryRow.base_note`` when the books hold nothing of the year before the term.
NO_BASE_DATA = "无任前数据"


@at_year_end
def secretary_rows(village: VillageBooks, year: int | None = None) -> list[SecretaryRow]:
    """Per secretary and term: aid landed and spent, projects, income before and after."""
    years = income_by_year(village)
    shares = funds_of(village, year_end(year)).secretaries
    latest = year if year is not None else max(years, default=None)
    rows = []
    for index, secretary in enumerate(village.declarations.secretaries):
        base = secretary.start.year - 1  # the last full calendar year before the term
        known = base in years
        share = shares[index]
        projects = [
            p.id for p in village.declarations.projects.values() if p.secretary == secretary.name
        ]
        until = secretary.until.isoformat() if secretary.until else "至今"
        rows.append(
            SecretaryRow(
                township=village.township,
                village=village.village,
                secretary=secretary.name,
                unit=secretary.unit,
                term=f"{secretary.start.isoformat()}—{until}",
                landed=share.landed,
                spent=share.spent,
                projects=projects,
                base_year=base if known else None,
                income_before=years[base].operating if known else None,
                latest_year=latest,
                income_latest=years[latest].operating if latest in years else None,
                outside_term=share.outside_term,
                base_note="" if known else f"{NO_BASE_DATA} ({base})",
            )
        )
    return rows


#: The report tables by name; each returns its rows (``COLUMNS[name]`` for display).
REPORTS: dict[str, Report] = {
    "projects": project_rows,
    "funds": fund_rows,
    "income": income_rows,
    "secretaries": secretary_rows,
    **{name: at_year_end(report) for name, report in register_reports.REPORTS.items()},
}
