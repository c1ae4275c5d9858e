"""The report tables: projects, funds, income, secretaries.

One computation per table, over one village's entries; the CLI report, the Fava pages and
the disclosures all call these functions. A row is a dict with stable English keys; money
is ``Decimal``; ``COLUMNS`` gives each table's Chinese headers for display.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from projects import books, model, options
from projects.books import ZERO

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

BAND_NAMES = ("无收益", "5万元以下", "5万至10万元", "10万元以上")


@dataclass
class Books:
    """One village's entries with its declarations and options read once."""

    village: str
    entries: data.Directives
    declarations: model.Declarations
    options: options.Options

    @classmethod
    def of(cls, village: str, entries: data.Directives) -> Books:
        return cls(village, entries, model.read(entries), options.read(entries))

    def transactions(self, until: datetime.date | None = None) -> list[data.Transaction]:
        """Real transactions (no closing entries), up to ``until`` inclusive."""
        return [t for t in books.transactions(self.entries) if until is None or t.date <= until]


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


def project_rows(village: Books, year: int | None = None) -> list[dict]:
    """Per project: budget, money received by source, spent, capitalised, income, steps."""
    projects = village.declarations.projects
    source_of = {
        (p.id, f.funder): f.source for p in projects.values() for f in p.funding if f.funder
    }
    sums: dict[str, dict] = {
        pid: {
            "received_by_source": defaultdict(Decimal),
            "spent": ZERO,
            "capitalised": ZERO,
            "income": ZERO,
        }
        for pid in projects
    }
    for entry in village.transactions(year_end(year)):
        for pid in books.project_ids(entry) & set(projects):
            row = sums[pid]
            received = books.money_in(entry)
            if received > 0 and books.income(entry) == 0:  # money brought in, not earned
                funder = entry.meta.get("funder") or entry.payee or "未注明"
                row["received_by_source"][source_of.get((pid, funder), funder)] += received
            row["spent"] += books.spending(entry)
            row["capitalised"] += books.capitalised(entry)
            row["income"] += books.income(entry)
    rows = []
    for pid, project in projects.items():
        row = sums[pid]
        received = sum(row["received_by_source"].values(), ZERO)
        required = [s for s in model.STEPS if s != "乡镇审核" or village.options.township_review]
        done = [s for s in required if s in project.steps]
        rows.append(
            {
                "village": village.village,
                "project": pid,
                "name": project.name,
                "kind": project.kind or "",
                "budget": project.budget,
                "received": received,
                "received_by_source": dict(row["received_by_source"]),
                "spent": row["spent"],
                "capitalised": row["capitalised"],
                "remaining": None if project.budget is None else project.budget - row["spent"],
                "steps_done": f"{len(done)}/{len(required)}",
                "steps_missing": [s for s in required if s not in project.steps],
                "steps": {s: d.isoformat() for s, d in project.steps.items()},
                "income": row["income"],
                "payback": row["income"] / row["spent"] if row["spent"] > 0 else None,
            }
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


def receipts(village: Books, until: datetime.date | None = None) -> list[data.Transaction]:
    """Money received from a named payer (``funder`` metadata)."""
    return [
        t for t in village.transactions(until) if t.meta.get("funder") and books.money_in(t) > 0
    ]


def match_claims(village: Books, until: datetime.date | None = None) -> list[Finding]:
    """Landing claims without a receipt from that payer, and unit receipts never claimed.

    A claim is matched by a receipt from the same unit of the same amount within the
    ledger's ``claim_window_days`` of the claimed date; each receipt matches one claim.
    """
    window = datetime.timedelta(days=village.options.claim_window_days)
    found = [(r, books.money_in(r)) for r in receipts(village, until)]
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


def fund_rows(village: Books, year: int | None = None) -> list[dict]:
    """Per dispatching unit and secretary: pledged, claimed, found in the books, spent."""
    until = year_end(year)
    declared = village.declarations
    secretary_of = {s.unit: s.name for s in declared.secretaries}
    keys: dict[str, dict] = {}

    def row(unit: str) -> dict:
        return keys.setdefault(
            unit,
            {
                "village": village.village,
                "unit": unit,
                "secretary": secretary_of.get(unit, ""),
                "pledged": ZERO,
                "claimed": ZERO,
                "found": ZERO,
                "spent": ZERO,
                "unverified": ZERO,
                "findings": [],
            },
        )

    for claim in declared.claims:
        if until is None or claim.date <= until:
            row(claim.unit)["pledged" if claim.kind == "pledge" else "claimed"] += claim.amount
    units = declared.units | {c.unit for c in declared.claims}
    spent_share = unit_spending(village, until)
    for receipt in receipts(village, until):
        unit = receipt.meta["funder"]
        if unit in units:
            row(unit)["found"] += books.money_in(receipt)
    for unit, amount in spent_share.items():
        if unit in units:
            row(unit)["spent"] += amount
    for finding in match_claims(village, until):
        target = row(finding.unit)
        target["findings"].append(finding.message)
        if finding.kind == "unverified":
            target["unverified"] += finding.amount
    for secretary in declared.secretaries:
        row(secretary.unit)
    return list(keys.values())


def unit_spending(village: Books, until: datetime.date | None) -> dict[str, Decimal]:
    """Project spending shared among payers in proportion to what each paid in."""
    paid: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for entry in village.transactions(until):
        for pid in books.project_ids(entry):
            spent[pid] += books.spending(entry)
            if entry.meta.get("funder") and books.money_in(entry) > 0:
                paid[pid][entry.meta["funder"]] += books.money_in(entry)
    share: dict[str, Decimal] = defaultdict(Decimal)
    for pid, payers in paid.items():
        total = sum(payers.values(), ZERO)
        used = min(spent[pid], total)
        for payer, amount in payers.items():
            share[payer] += (used * amount / total).quantize(Decimal("0.01"))
    return share


# --- collective income ----------------------------------------------------------------


def income_by_year(village: Books) -> dict[int, dict[str, Decimal]]:
    """Operating, subsidy and total income per year, without closing entries."""
    years: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"operating": ZERO, "subsidy": ZERO, "total": ZERO}
    )
    for entry in village.transactions():
        sums = years[entry.date.year]
        sums["operating"] += books.income(entry, books.OPERATING_INCOME)
        sums["subsidy"] += books.income(entry, frozenset({books.SUBSIDY_INCOME}))
        sums["total"] += books.income(entry)
    return dict(years)


def income_rows(
    village: Books, year: int | None = None, bands: tuple[Decimal, Decimal] | None = None
) -> list[dict]:
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
            {
                "village": village.village,
                "year": y,
                **sums,
                "band": band(sums["operating"], bands),
                "change": sums["operating"] - before["operating"] if before else None,
            }
        )
    return rows


def band_shares(rows: list[dict]) -> list[dict]:
    """Per year: how many villages (and what share) fall in each income band."""
    by_year: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        by_year[row["year"]].append(row["band"])
    return [
        {
            "year": year,
            "villages": len(found),
            "bands": {
                name: {"count": found.count(name), "share": Decimal(found.count(name)) / len(found)}
                for name in BAND_NAMES
            },
        }
        for year, found in sorted(by_year.items())
    ]


# --- posted secretaries ---------------------------------------------------------------


def secretary_rows(village: Books, year: int | None = None) -> list[dict]:
    """Per secretary and term: funds landed and spent, projects, income before and after."""
    years = income_by_year(village)
    funds = {row["unit"]: row for row in fund_rows(village, year)}
    latest = year if year is not None else max(years, default=None)
    rows = []
    for secretary in village.declarations.secretaries:
        known = [y for y in sorted(years) if y >= secretary.start.year - 1]
        base = known[0] if known else None
        unit = funds.get(secretary.unit, {})
        projects = [
            p.id for p in village.declarations.projects.values() if p.secretary == secretary.name
        ]
        until = secretary.until.isoformat() if secretary.until else "至今"
        rows.append(
            {
                "village": village.village,
                "secretary": secretary.name,
                "unit": secretary.unit,
                "term": f"{secretary.start.isoformat()}—{until}",
                "landed": unit.get("found", ZERO),
                "spent": unit.get("spent", ZERO),
                "projects": projects,
                "base_year": base,
                "income_before": years[base]["operating"] if base else None,
                "latest_year": latest,
                "income_latest": years[latest]["operating"] if latest in years else None,
            }
        )
    return rows


REPORTS = {
    "projects": project_rows,
    "funds": fund_rows,
    "income": income_rows,
    "secretaries": secretary_rows,
}
