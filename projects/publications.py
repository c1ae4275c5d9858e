"""When each disclosure (财务公开) was due and when it was posted, from the village's ledger.

``cunzhang disclose`` records each publication in the village's ``projects.beancount``,
through the one ledger writer, versioned with the books it discloses::

    2025-04-10 custom "disclosure-published" "2025Q1" "3f9a0c21be47"
      formats: "html,xlsx,pdf,json"
      status: "检查通过"

农村集体经济组织财务公开规定 (农经发〔2011〕13号) asks for a disclosure at least every
quarter, and every month for a village with many transactions. The county sets the rest as
ledger options (``projects.options``): ``disclosure_deadline_days`` after a period's end
(default 15), and ``monthly_disclosure_threshold``, the number of transactions in a quarter
above which that quarter is disclosed month by month. ``due`` lists the periods a village
owes from its first transaction to the last period ended, ``rows`` what
``cunzhang report disclosures`` shows, ``overdue`` what ``cunzhang check`` warns about.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from projects.ledger import load
from projects.periods import Period, parse_period
from projects.reports import Column, VillageBooks

PUBLISHED = "disclosure-published"

COLUMNS = [
    Column("township", "乡镇"),
    Column("village", "村"),
    Column("period", "期间"),
    Column("deadline", "公开期限"),
    Column("posted", "公开日期"),
    Column("code", "核对码"),
    Column("overdue", "逾期"),
    Column("days_late", "逾期天数", "int"),
]


@dataclass
class DisclosureRow:
    township: str
    village: str
    period: str
    deadline: datetime.date
    posted: datetime.date | None
    code: str
    overdue: str  # 是 / 否
    days_late: int


def published(entries: data.Directives) -> dict[str, tuple[datetime.date, str]]:
    """Each period's first publication: its date and verification code."""
    found: dict[str, tuple[datetime.date, str]] = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == PUBLISHED and entry.values:
            code = str(entry.values[1].value) if len(entry.values) > 1 else ""
            period = str(entry.values[0].value)
            if period not in found or entry.date < found[period][0]:
                found[period] = (entry.date, code)
    return found


def quarter(day: datetime.date) -> Period:
    """The quarter ``day`` falls in."""
    return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def due(books: VillageBooks, today: datetime.date) -> list[Period]:
    """The periods owed from the quarter the books open (their first transaction, the
    opening balances included) to the last period ended before ``today``: quarters, or
    the months of a quarter with more transactions than ``monthly_disclosure_threshold``."""
    transactions = books.transactions()
    opened = [e.date for e in books.entries if isinstance(e, data.Transaction)]
    if not opened:
        return []
    threshold = books.options.monthly_disclosure_threshold
    periods = []
    current = quarter(min(opened))
    while current.end < today:
        count = sum(1 for t in transactions if current.start <= t.date <= current.end)
        if threshold is not None and count > threshold:
            months = range(current.start.month, current.end.month + 1)
            periods += [parse_period(f"{current.start.year}-{m:02d}") for m in months]
        else:
            periods.append(current)
        current = quarter(current.end + datetime.timedelta(days=1))
    return periods


def rows(
    books: VillageBooks, township: str, today: datetime.date, year: int | None = None
) -> list[DisclosureRow]:
    """One row per period owed (in ``year``, if given): deadline, posting date, overdue."""
    posted = published(books.entries)
    days = books.options.disclosure_deadline_days
    result = []
    for period in due(books, today):
        if year is not None and period.end.year != year:
            continue
        deadline = period.end + datetime.timedelta(days=days)
        day, code = posted.get(period.code, (None, ""))
        late = ((day or today) - deadline).days
        result.append(
            DisclosureRow(
                township,
                books.village,
                period.code,
                deadline,
                day,
                code,
                "是" if late > 0 else "否",
                max(late, 0),
            )
        )
    return result


def overdue(books: VillageBooks, township: str, today: datetime.date) -> list[DisclosureRow]:
    """The periods past their deadline and still not posted."""
    return [r for r in rows(books, township, today) if r.posted is None and r.days_late > 0]


def village_rows(folder: Path, year: int | None, today: datetime.date) -> list[DisclosureRow]:
    """``rows`` of the village at ``folder`` (run by the engine, maybe on a worker)."""
    books = VillageBooks.of(folder.name, load(folder).entries)
    return rows(books, folder.parent.name, today, year)


def overdue_warning(folder: Path, today: datetime.date) -> str | None:
    """``cunzhang check``'s warning about the periods the village at ``folder`` has not
    posted by their deadline, or none. A warning: the exit status stays the errors'."""
    books = VillageBooks.of(folder.name, load(folder).entries)
    late = overdue(books, folder.parent.name, today)
    if not late:
        return None
    periods = "、".join(f"{r.period} (期限 {r.deadline})" for r in late)
    return (
        f"⚠ {folder.parent.name}/{folder.name}: {len(late)} 个期间逾期未公开 "
        f"(overdue disclosures): {periods}"
    )
