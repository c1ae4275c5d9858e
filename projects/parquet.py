"""Every posting of a village as an Arrow table, written as a Parquet partition.

One row per posting, one file per village, in hive-style partitions that DuckDB, pandas,
Spark and pyarrow read as the columns ``township`` and ``village``::

    DIR/township=青石镇/village=东山村/part-0.parquet

For the ledger text::

    2024-01-20 * "市金融发展局" "收到市金融发展局帮扶资金" ^P2024-01
      funder: "市金融发展局"
      Assets:102-银行存款:10201-青石农商行            300000.00 CNY
      Liabilities:241-专项应付款:24101-香菇基地扩建  -300000.00 CNY

the file holds two rows: ``2024-01-20, Assets:102-银行存款:10201-青石农商行, 10201,
300000.00, CNY, P2024-01, 市金融发展局, 市金融发展局, 收到…, …`` and its opposite. Amounts
are ``decimal128(18, 2)`` (exact, never float); a ledger amount finer than a cent refuses
its village. Year-end entries are kept, with their tags (``closing``, ``distribution``,
``opening``), so an analyst can leave them out.

``export_village`` is the per-village function of ``cunzhang export`` (run by
``projects.engine``, so by a dask worker too): it writes atomically (``projects.files.replace``:
a temporary file beside it, then a rename) and writes nothing for a village with ledger
errors.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from beancount.core import data

from projects import layout
from projects.chart import split_component
from projects.files import replace
from projects.ledger import load
from projects.transaction_facts import project_ids

CENT = Decimal("0.01")
MONEY = pa.decimal128(18, 2)
PART = "part-0.parquet"


@dataclass(frozen=True)
class Column:
    """One column of the export: its name, its Arrow type and how a posting fills it."""

    name: str
    type: pa.DataType
    value: Callable[[data.Transaction, data.Posting, Path], object]


def meta(key: str) -> Callable[[data.Transaction, data.Posting, Path], object]:
    """A metadata value, the posting's own before its transaction's (voucher rows)."""
    return lambda t, p, _: (p.meta or {}).get(key, t.meta.get(key))


def text(values: object) -> str | None:
    """Several values (tags, projects) as one comma-separated text; none as null."""
    return ",".join(sorted(values)) or None


@functools.lru_cache(maxsize=4096)
def in_village(path: str | Path, folder: Path) -> str:
    """A path relative to the village folder (``journal/2024.beancount``) when inside it
    (remembered: every posting of a file asks the same)."""
    path = Path(os.path.normpath(path))
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


def source(t: data.Transaction, _: data.Posting, folder: Path) -> str | None:
    """The archived spreadsheet a transaction came from (its ``document``, which is
    relative to the journal file)."""
    document = t.meta.get("document")
    return in_village(Path(t.meta["filename"]).parent / document, folder) if document else None


def code(account: str) -> str | None:
    """The account's own code: ``Income:501-经营收入:50101-香菇销售`` → ``50101``."""
    return split_component(account.rsplit(":", 1)[-1])[0] or None


def row_number(t: data.Transaction, p: data.Posting, folder: Path) -> int | None:
    row = meta("row")(t, p, folder)
    return None if row is None else int(row)


#: The columns of every file, in order (``township`` and ``village`` are the partitions).
COLUMNS = (
    Column("date", pa.date32(), lambda t, p, _: t.date),
    Column("account", pa.string(), lambda t, p, _: p.account),
    Column("code", pa.string(), lambda t, p, _: code(p.account)),
    Column("amount", MONEY, lambda t, p, _: p.units.number),
    Column("currency", pa.string(), lambda t, p, _: p.units.currency),
    Column("project", pa.string(), lambda t, p, _: text(project_ids(t))),
    Column("payee", pa.string(), lambda t, p, _: t.payee),
    Column("funder", pa.string(), meta("funder")),
    Column("narration", pa.string(), lambda t, p, _: t.narration),
    Column("tags", pa.string(), lambda t, p, _: text(t.tags or ())),
    Column("flag", pa.string(), lambda t, p, _: p.flag or t.flag),
    Column("document", pa.string(), source),
    Column("sheet", pa.string(), meta("sheet")),
    Column("row", pa.int32(), row_number),
    Column("voucher", pa.string(), meta("voucher")),
    Column("file", pa.string(), lambda t, p, folder: in_village(t.meta["filename"], folder)),
    Column("line", pa.int32(), lambda t, p, _: t.meta["lineno"]),
)
SCHEMA = pa.schema([(c.name, c.type) for c in COLUMNS])


@dataclass
class Exported:
    """One village's result: its partition file and posting count, or why it was refused."""

    label: str
    postings: int = 0
    file: str = ""
    problems: list[str] = field(default_factory=list)


def postings_table(folder: Path, entries: data.Directives) -> tuple[pa.Table, list[str]]:
    """The village's postings as a table, and the amounts that do not fit in cents."""
    folder = folder.absolute()
    rows: dict[str, list] = {c.name: [] for c in COLUMNS}
    problems = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            number = posting.units.number
            if number != number.quantize(CENT):
                where = f"{in_village(entry.meta['filename'], folder)}:{entry.meta['lineno']}"
                problems.append(
                    f"{where}: 金额 {number} 不是整分 "
                    f"(amount finer than a cent; parquet amounts are decimal(18,2))"
                )
                continue
            for column in COLUMNS:
                rows[column.name].append(column.value(entry, posting, folder))
    return pa.table(rows, schema=SCHEMA), problems


def export_village(folder: Path, out: Path) -> Exported:
    """Write one village's postings to ``out/township=…/village=…/part-0.parquet``."""
    result = Exported(layout.village_label(folder))
    loaded = load(folder)
    if loaded.errors:
        result.problems.append(f"有 {len(loaded.errors)} 个错误, 先运行 cunzhang check 改正")
        return result
    table, result.problems = postings_table(folder, loaded.entries)
    if result.problems:
        return result
    partition = out / f"township={folder.parent.name}" / f"village={folder.name}"
    partition.mkdir(parents=True, exist_ok=True)
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    replace(partition / PART, buffer.getvalue().to_pybytes())
    result.postings = table.num_rows
    result.file = str((partition / PART).relative_to(out))
    return result
