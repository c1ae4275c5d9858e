"""What every spreadsheet importer shares: beangulp's Importer API over the shared sheet reader.

An importer is a :class:`beangulp.Importer`, so it also runs from a plain beangulp
``import.py`` (see :func:`importers.beangulp_importers`). Each one declares its columns as a
:class:`~importers.sheet.Dialect` and turns the rows into entries; this base class
recognises files by content, names the archived copy, stamps provenance on every entry and
recognises duplicates by a deterministic content key — never beangulp's default heuristic
(±2 days, amounts within 5%, narration ignored), which takes two different receipts of the
same amount for one.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import beangulp
import openpyxl
from beancount.core import data
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.writer.excel import ExcelWriter

from importers.accounts import AccountBook
from importers.classify import Rule
from importers.sheet import (
    Dialect,
    Header,
    ImportRefused,
    Problem,
    Synonyms,
    Workbook,
    column_label,
    find_header,
    header_diagnosis,
    open_workbook,
)

#: How many hex digits of the file's sha256 the archived copy's name carries.
SHORT_HASH = 12
#: beangulp marks a duplicate by this metadata key (beangulp.extract.DUPLICATE).
DUPLICATE = "__duplicate__"
#: The key under which a township-wide kind's entries name their village (not written).
VILLAGE_KEY = "village"
#: The time stamped in a village extract (its properties and zip entries), so it is
#: reproducible.
EXTRACT_TIME = datetime.datetime(2000, 1, 1)


@dataclass
class ImportOptions:
    """How to import: the command line's options, and the village's own rules."""

    account: str | None = None  # --account: the file's own (bank or cash) account
    create_accounts: bool = False  # --create-accounts
    chart: str = "2023"  # chart version of the codes in the files
    village: str | None = None  # registers: only this village's rows (None: all, by 村)
    rules: list[Rule] = field(default_factory=list)  # import-rules.csv
    hidden: str = "refuse"  # --hidden: hidden sheets and rows are refused, included or skipped
    columns: Synonyms = field(default_factory=dict)  # import-columns.csv: their word → ours


def archive_name(workbook: Workbook) -> str:
    """The archived copy's name without its date: ``<short sha256>.<original name>``."""
    return f"{workbook.sha256[:SHORT_HASH]}.{workbook.path.name}"


def import_keys(entries: data.Directives) -> set[str]:
    """The content keys of entries imported earlier."""
    return {e.meta["import_key"] for e in entries if e.meta and "import_key" in e.meta}


class Provenance:
    """Stamps entries with where they came from and their content key.

    The key hashes what the row says (never where it is) plus how many identical rows came
    before it in the same file, so a re-export with shifted rows yields the same keys and
    two genuinely identical receipts on one day stay two.
    """

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.document = archive_name(workbook)
        self._filename = str(workbook.path)
        self._seen: Counter[str] = Counter()

    def meta(self, sheet: str, row: int, content: tuple) -> dict:
        """Metadata for an entry read from ``sheet`` at 1-based ``row``."""
        digest = hashlib.sha256(repr(content).encode()).hexdigest()
        occurrence = self._seen[digest]
        self._seen[digest] = occurrence + 1
        key = hashlib.sha256(f"{digest}:{occurrence}".encode()).hexdigest()[:20]
        return {  # data.new_metadata's two keys, then provenance
            "filename": self._filename,
            "lineno": row,
            "document": self.document,
            "sheet": sheet,
            "row": Decimal(row),
            "import_key": key,
        }


class SheetImporter(beangulp.Importer):
    """A beangulp importer for one kind of spreadsheet (subclasses set ``dialect``).

    ``kinds`` are the importers a file is told apart from (:func:`recognise`): beangulp's
    :meth:`identify` claims a file only if it is recognised as this kind among them.
    """

    dialect: type[Dialect]
    #: The account a file of this kind is archived under when nothing better is known.
    default_account = "Assets:102-银行存款"
    #: A file of this kind lists the villages of a township (a fund register), each entry
    #: naming its village under :data:`VILLAGE_KEY`: it may be imported into a whole
    #: township, and a village archives only its :func:`village_extract`. Otherwise a file
    #: goes into one village.
    township = False

    def __init__(
        self, options: ImportOptions | None = None, kinds: Sequence[type[SheetImporter]] = ()
    ) -> None:
        self.options = options or ImportOptions()
        self.kinds = tuple(kinds) or (type(self),)
        self._accounts: dict[str, str] = {}
        self._dates: dict[str, datetime.date] = {}

    @property
    def name(self) -> str:
        return f"cunzhang.{self.dialect.kind}"

    # -- beangulp's Importer API -----------------------------------------------------------

    def identify(self, filepath: str) -> bool:
        """Whether the file's first recognised sheet is of this importer's kind (by content)."""
        try:
            workbook = open_workbook(Path(filepath))
        except ImportRefused:
            return False
        return recognise(workbook, self.kinds, self.options.columns) is type(self)

    def account(self, filepath: str) -> data.Account:
        """The file's own account (known after ``extract``), for the archive folder."""
        known = self._accounts.get(str(Path(filepath).resolve()))
        return known or self.options.account or self.default_account

    def date(self, filepath: str) -> datetime.date | None:
        """The last date in the file (known after ``extract``), for the archive name."""
        return self._dates.get(str(Path(filepath).resolve()))

    def filename(self, filepath: str) -> str:
        """``<short sha256>.<original name>``; beangulp's archive prefixes the date."""
        return archive_name(open_workbook(Path(filepath)))

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """The file's entries, with ``open`` directives for accounts it creates.

        Raises :class:`ImportRefused` with every problem found in the file.
        """
        workbook = open_workbook(Path(filepath))
        problems: list[Problem] = []
        if self.options.hidden == "skip":
            workbook = visible_part(workbook)
        headers = self.headers(workbook, problems)
        if self.options.hidden == "refuse":
            problems.extend(hidden_problems(workbook, headers))
        book = AccountBook(existing, self.options.chart)
        entries = self.read(workbook, headers, book, existing, problems) if headers else []
        if problems:
            raise ImportRefused(merge_repeats(problems))
        dates = [e.date for e in entries if not isinstance(e, data.Balance)]
        if dates:
            self._dates[str(workbook.path)] = max(dates)
        return [*book.opens(), *entries]

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark entries whose content key is already in the ledger (beangulp's protocol)."""
        known = import_keys(existing)
        for entry in entries:
            if entry.meta.get("import_key") in known:
                entry.meta[DUPLICATE] = True

    # -- for subclasses --------------------------------------------------------------------

    def headers(self, workbook: Workbook, problems: list[Problem]) -> list[Header]:
        """The header of each sheet holding this kind's data; sheets without one are skipped."""
        synonyms = self.options.columns
        found = [h for s in workbook.sheets if (h := find_header(s, [self.dialect], synonyms))]
        if not found:
            diagnosis = header_diagnosis(workbook, [self.dialect], synonyms)
            message = f"找不到{self.dialect.kind}的表头 (no header): {diagnosis}"
            problems.append(Problem(workbook.label, "", 0, message))
        return found

    def read(
        self,
        workbook: Workbook,
        headers: list[Header],
        book: AccountBook,
        existing: data.Entries,
        problems: list[Problem],
    ) -> data.Entries:
        """The entries of the file's rows; problems are appended, not raised."""
        raise NotImplementedError

    def remember_account(self, workbook: Workbook, account: str) -> None:
        """Record the file's own account, used by :meth:`account` for archiving."""
        self._accounts[str(workbook.path)] = account


#: What ``--hidden`` may say (``refuse`` is the default).
HIDDEN_CHOICES = ("refuse", "include", "skip")


def visible_part(workbook: Workbook) -> Workbook:
    """The workbook as it shows: without hidden sheets, hidden rows and columns blanked (so
    that the others keep their row numbers and column letters)."""
    sheets = []
    for sheet in workbook.sheets:
        if sheet.hidden:
            continue
        rows = [
            [] if number in sheet.hidden_rows else row
            for number, row in enumerate(sheet.rows, sheet.first_row)
        ]
        if sheet.hidden_columns:
            rows = [["" if sheet.column_hidden(c) else v for c, v in enumerate(r)] for r in rows]
        sheets.append(replace(sheet, rows=rows, hidden_rows=frozenset(), hidden_columns=()))
    return replace(workbook, sheets=sheets)


def hidden_problems(workbook: Workbook, headers: list[Header]) -> list[Problem]:
    """One line per hidden sheet this kind would read, per run of hidden rows holding a
    value below a header, and per hidden column it reads: what the office did not see must
    not be imported unasked."""
    problems = []
    advice = "用 --hidden include 一并导入, 或 --hidden skip 跳过"
    for header in headers:
        sheet = header.sheet
        if sheet.hidden:
            state = "深度隐藏 (very hidden)" if sheet.hidden == "veryHidden" else "隐藏 (hidden)"
            message = f"工作表被{state}, 其中的行不会显示: {advice}"
            problems.append(Problem(workbook.label, sheet.name, 0, message))
            continue
        below = sorted(r for r in sheet.hidden_rows if r > sheet.first_row + header.index)
        for first, last in runs(below):
            rows = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
            message = f"{rows}被隐藏 (hidden rows): {advice}"
            problems.append(Problem(workbook.label, sheet.name, 0, message))
        for name, col in header.columns.items():
            if sheet.column_hidden(col):
                label = column_label(header, name)
                message = f"{label}被隐藏 (hidden column): {advice}"
                problems.append(Problem(workbook.label, sheet.name, 0, message))
    return problems


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs of consecutive ones: [7, 8, 9, 12] → [(7, 9), (12, 12)]."""
    found: list[tuple[int, int]] = []
    for number in numbers:
        if found and found[-1][1] == number - 1:
            found[-1] = (found[-1][0], number)
        else:
            found.append((number, number))
    return found


def merge_repeats(problems: list[Problem]) -> list[Problem]:
    """One line per distinct message (a missing account), citing the other rows it affects."""
    first: dict[tuple[str, str], Problem] = {}
    others: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        key = (problem.file, problem.message)
        if key in first:
            others[key].append(f"{problem.sheet}:{problem.row}")
        else:
            first[key], others[key] = problem, []
    merged = []
    for key, problem in first.items():
        rest = others[key]
        if rest:
            shown = "、".join(rest[:10]) + (" …" if len(rest) > 10 else "")
            problem = Problem(
                problem.file,
                problem.sheet,
                problem.row,
                f"{problem.message} (另有 {len(rest)} 行同样: {shown})",
            )
        merged.append(problem)
    return merged


def recognise(
    workbook: Workbook, kinds: Sequence[type[SheetImporter]], synonyms: Synonyms | None = None
) -> type[SheetImporter] | None:
    """The importer of the first sheet (top to bottom) whose header one of the ``kinds``
    matches, tried in their order (:data:`importers.KINDS`), with the village's
    ``synonyms``."""
    by_dialect = {kind.dialect: kind for kind in kinds}
    for sheet in workbook.sheets:
        header = find_header(sheet, list(by_dialect), synonyms)
        if header is not None:
            return by_dialect[header.dialect]
    return None


def kind_names(kinds: Sequence[type[SheetImporter]]) -> str:
    """The kinds' names for a message: ``日记账、凭证列表或银行对账单``."""
    names = [kind.dialect.kind for kind in kinds]
    return "或".join(filter(None, ["、".join(names[:-1]), *names[-1:]]))


def village_extract(
    workbook: Workbook, dialect: type[Dialect], rows: set[tuple[str, int]]
) -> bytes:
    """What a village may see of a township-wide file: an .xlsx with its sheets, each
    keeping its title and ``dialect``'s header rows and the village's ``rows`` (sheet,
    1-based row) at their original rows and columns, every other cell empty; so the
    ``sheet`` and ``row`` of an entry point at its row in the extract. Reproducible byte
    for byte."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in workbook.sheets:
        target = book.create_sheet(sheet.name)
        header = find_header(sheet, [dialect])
        if header is None:
            continue
        for index, row in enumerate(sheet.rows):
            number = sheet.first_row + index
            if index > header.index and (sheet.name, number) not in rows:
                continue
            for column, value in enumerate(row, sheet.first_col + 1):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = target.cell(number, column, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
    book.properties.created = book.properties.modified = EXTRACT_TIME
    book.properties.creator = "cunzhang"
    written = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    stamped = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(stamped, "w") as extract:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, EXTRACT_TIME.timetuple()[:6])
            extract.writestr(member, source.read(info), zipfile.ZIP_DEFLATED)
    return stamped.getvalue()
