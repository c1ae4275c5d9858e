"""``cunzhang report {projects,funds,income,secretaries,...} [PATH]``: the report tables.

For people (``--format table``) amounts carry thousands separators and ratios are
percentages; for machines (``csv``, ``json``) every number is a plain decimal rounded to
what its column means (:func:`rounded`: cents for money, four places for a ratio). A report
without rows says so on stderr (``2019 年没有记录``) and exits 0: no data is not an error.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import asdict
from decimal import Decimal

import click

from projects import publications, township
from projects.engine import map_villages
from projects.reports import COLUMNS, INCOME_BASES, Column
from projects.text import amount_text, display_width, formula_like, pad
from scripts.context import Context
from scripts.engines import engine_options, village_progress

#: The places a machine format keeps: a ratio (``pct``) to four, any other amount to cents.
PLACES = {"pct": Decimal("0.0001")}
CENT = Decimal("0.01")


def rounded(value: object, kind: str) -> object:
    """A value for a machine format: its decimals (also inside a dict or a list) rounded
    to what a column of ``kind`` means, ``0.08841219…`` → ``0.0884`` for a ratio,
    ``1234.5`` → ``1234.50`` for money; anything else as it is."""
    if isinstance(value, Decimal):
        return value.quantize(PLACES.get(kind, CENT))
    if isinstance(value, dict):
        return {key: rounded(item, kind) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item, kind) for item in value]
    return value


def machine(record: dict, columns: list[Column]) -> dict:
    """A row for CSV or JSON: every decimal rounded by its column's kind."""
    kinds = {c.key: c.kind for c in columns}
    return {key: rounded(value, kinds.get(key, "text")) for key, value in record.items()}


def cell(value: object, column: Column, plain: bool = False) -> str:
    """A value as text for a table cell (``1,234.50``, ``8.8%``), or with ``plain`` for a
    CSV cell (``1234.50``, ``0.0884``)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        if plain:
            return f"{rounded(value, column.kind):f}"
        return f"{value * 100:.1f}%" if column.kind == "pct" else amount_text(value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {cell(v, column, plain)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def banded(row: dict) -> Decimal:
    """The amount an income row is banded by (its ``basis``)."""
    earnings = row["basis"] == INCOME_BASES["经营收益"][0]
    return row["earnings"] if earnings else row["operating"]


def totals(name: str, rows: list[dict]) -> list[dict]:
    """The total rows of a township report: money summed (per year and banding basis for
    income, with the number of villages in each band, lowest band first)."""
    money = [c.key for c in COLUMNS[name] if c.kind == "money" and c.key != "change"]
    groups: dict[object, list[dict]] = {}
    for row in rows:
        key = (row["year"], row["basis"]) if name == "income" else None
        groups.setdefault(key, []).append(row)
    result = []
    for key, group in groups.items():
        total: dict = {"township": "", "village": "合计"}
        if name == "income":
            total["year"], total["basis"] = key
            bands = [row["band"] for row in group]
            lowest = {b: min(banded(r) for r in group if r["band"] == b) for b in bands}
            order = sorted(lowest, key=lowest.__getitem__)
            total["band"] = " ".join(
                f"{b} {bands.count(b)}个({bands.count(b) / len(bands):.0%})" for b in order
            )
            total["band_counts"] = {b: bands.count(b) for b in order}
        for key_ in money:
            values = [row[key_] for row in group if row.get(key_) is not None]
            total[key_] = sum(values, Decimal("0.00"))
        result.append(total)
    return result


def render_table(rows: list[dict], columns: list[Column]) -> str:
    """An aligned table with Chinese headers; numbers right-aligned."""
    texts = [[cell(row.get(c.key), c) for c in columns] for row in rows]
    widths = [
        max([display_width(c.header)] + [display_width(t[i]) for t in texts])
        for i, c in enumerate(columns)
    ]
    right = [c.kind in ("money", "pct", "int") for c in columns]
    lines = ["  ".join(pad(c.header, w, r) for c, w, r in zip(columns, widths, right, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for text in texts:
        lines.append("  ".join(pad(t, w, r) for t, w, r in zip(text, widths, right, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def csv_cell(value: object, column: Column) -> str:
    """A value as a CSV cell: a text that a spreadsheet would run as a formula
    (``=HYPERLINK(...)``, see ``formula_like``) gets a leading ``'`` (OWASP); numbers stay
    plain numbers (``-1234.50``, ``-0.1250``, ``2024``); empty for no value."""
    if value is None:
        return ""
    text = cell(value, column, plain=True)
    number = column.kind != "text" or isinstance(value, int | Decimal)
    return text if number or not formula_like(text) else "'" + text


def render_csv(rows: list[dict], columns: list[Column]) -> str:
    """The rows as CSV with Chinese headers, numbers plain, formula-like text neutralised
    (``csv_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key), c) for c in columns])
    return out.getvalue()


def to_json(value: object) -> object:
    """Decimals as strings ("1234.50", rounded first by :func:`machine`), dates as ISO
    text."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value))


@click.command("report")
@click.argument("name", type=click.Choice(sorted([*COLUMNS, "disclosures"])))
@click.argument("path", required=False)
@click.option("--year", type=int, default=None, help="年度 year (默认全部).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="输出格式 output format.",
)
@engine_options
@click.pass_obj
def report(
    obj: Context,
    name: str,
    path: str | None,
    year: int | None,
    fmt: str,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
) -> None:
    """报表: 项目 projects, 帮扶资金 funds, 集体收入 income, 第一书记 secretaries,
    财务公开 disclosures (每个村每个期间的公开期限、公开日期、是否逾期),
    合同 contracts, 资产 assets, 资源 resources (三资台账)."""
    villages = obj.villages(path)
    try:
        with village_progress(len(villages), "报表 report") as progress:
            if name == "disclosures":
                found = map_villages(
                    publications.village_rows,
                    villages,
                    year,
                    datetime.date.today(),
                    engine=engine,
                    scheduler=scheduler,
                    jobs=jobs,
                    progress=progress,
                )
            else:
                rows = township.report(
                    villages, name, year, jobs, progress, engine=engine, scheduler=scheduler
                )
    except township.LedgerErrors as error:
        raise click.ClickException(str(error)) from error
    if name == "disclosures":
        emit([asdict(row) for rows in found for row in rows], publications.COLUMNS, fmt, year)
        return
    records = [asdict(row) for row in rows]  # by column key, in the order of the JSON
    places = {(row["township"], row["village"]) for row in records}
    if records and (len(places) > 1 or len(villages) > 1):
        records += totals(name, records)
    emit(records, COLUMNS[name], fmt, year)


def emit(records: list[dict], columns: list[Column], fmt: str, year: int | None) -> None:
    """Print the rows as a table, CSV or JSON; no rows is said on stderr (the JSON stays
    an empty list, the table and the CSV their header)."""
    if not records:
        when = f"{year} 年" if year is not None else ""
        click.echo(f"{when}没有记录 (no records{f' for {year}' if year else ''})", err=True)
    if fmt == "json":
        found = [machine(record, columns) for record in records]
        click.echo(json.dumps(found, ensure_ascii=False, indent=2, default=to_json))
    elif fmt == "csv":
        click.echo(render_csv(records, columns), nl=False)
    else:
        click.echo(render_table(records, columns))
