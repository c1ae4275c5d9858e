"""The one sheet reader every importer shares.

A *dialect* declares the columns of a kind of spreadsheet, each with the header words
offices use for it, like beangulp's ``csvbase`` declares a CSV file's columns::

    class JournalColumns(Dialect):
        date = Date("日期", "记账日期", "凭证日期")
        summary = Text("摘要", "内容摘要", required=True)
        inflow = Amount("借方金额", "借方", "收入", required=True)

The reader then does the same work for every dialect:

- finds the header row by its words (one row, or two rows where a merged group header such
  as ``凭证`` stands above ``字`` and ``号``), never by position;
- reads the title and note rows above it (``单位:万元``, ``账号:…``, the year);
- skips total and carried rows (期初余额, 承前页, 本月合计, 合计 …), blank rows and signature
  rows, keeping opening balances for the balance check;
- parses dates (Excel dates, ``2024年1月5日``, ``2024.01.05``, ``20240105``, or 月 and 日
  columns under a year) and amounts (numbers, ``38,600.00``, ``￥``, ``元``, full-width digits,
  ``-`` for zero, 万元) into ``datetime.date`` and ``Decimal``;
- reports every unreadable cell as a :class:`Problem` naming file, sheet, row and column.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from pathlib import Path

import python_calamine
from beangulp.exceptions import Error as BeangulpError

from importers.bounds import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    Refusal,
    column_letter,
    damaged,
    file_too_large,
    survey,
)

CENT = Decimal("0.01")
#: Larger amounts are typing errors (and would overflow the cent arithmetic).
MAX_AMOUNT = Decimal(10) ** 15
TEN_THOUSAND = Decimal(10000)

#: Rows that carry or total earlier rows: never transactions (a text cell starts with one).
TOTAL_WORDS = (
    "合计", "小计", "累计", "总计", "本月合计", "本月累计", "本年累计", "本期合计", "本日合计",
    "本季合计", "本季累计", "本年合计", "本页合计", "本页小计", "本月发生额", "本期发生额",
    "过次页", "转次页", "过下页", "结转下年", "结转下页",
)  # fmt: skip
DATED_TOTAL_WORDS = tuple(w for w in TOTAL_WORDS if w not in ("累计", "总计"))
#: Totals that cover the rows of one month: their 借方 and 贷方 are checked against those rows.
MONTH_TOTAL_WORDS = ("本月合计", "本月发生额", "本月小计", "本期合计", "本期发生额")
#: Rows that state the balance brought forward: not transactions, but the balance check's start.
OPENING_WORDS = (
    "期初余额", "上年结转", "上年结余", "上年结存", "上年余额", "承上年", "承前页", "承上页",
    "接上页", "上月结转", "上期结转", "年初余额", "期初结存", "期初",
)  # fmt: skip
#: Words of the lines a bank or package prints after the last row (counts, totals, print
#: time, disclaimers, stamps): such a line is skipped when it has no date and amount.
FOOTER_WORDS = (
    "笔数", "合计", "小计", "总计", "累计", "打印", "仅供参考", "经办", "复核", "审核", "制表",
    "制单", "主管", "负责人", "记账", "出纳", "会计", "盖章", "签章", "签字", "页", "注:",
    "备注", "发生额", "期末余额", "账户余额", "可用余额", "以上", "柜员",
)  # fmt: skip
#: The village's own header words (:func:`importers.columns.load_columns`).
COLUMNS_FILE = "import-columns.csv"
#: How many rows from the top of a sheet the header may be found in.
HEADER_SEARCH_ROWS = 30

EXCEL_EPOCH = datetime.date(1899, 12, 30)
#: A time of day after a date (bank exports write ``2024-01-05 10:22:31``): ignored.
TIME_OF_DAY = r"(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
DATE_TEXT = re.compile(
    r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*" + TIME_OF_DAY
)
DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})" + TIME_OF_DAY)
YEAR_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
UNIT_TEXT = re.compile(r"单位\s*[:：]?\s*(万元|元)")
HEADER_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
ZERO_DASHES = {"-", "--", "—", "——", "–", "/"}
ONE = Decimal(1)
#: Joins a row's squeezed text cells: neither white space nor changed by NFKC.
CELL_SEPARATOR = "\x00"


def _starting(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern finding a cell of a joined row (:func:`row_text`) that starts with a word."""
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(f"(?:^|{CELL_SEPARATOR})(?:{alternatives})")


TOTAL_START = _starting(TOTAL_WORDS)
DATED_TOTAL_START = _starting(DATED_TOTAL_WORDS)
MONTH_TOTAL_START = _starting(MONTH_TOTAL_WORDS)
OPENING_START = _starting(OPENING_WORDS)
FOOTER_WORDS_RE = re.compile("|".join(re.escape(w) for w in FOOTER_WORDS))


@dataclass(frozen=True)
class Problem:
    """One reason an import is refused, printed as ``FILE:SHEET:ROW: message``."""

    file: str
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        if not self.sheet and not self.row:
            return f"{self.file}: {self.message}"
        if not self.row:
            return f"{self.file}:{self.sheet}: {self.message}"
        return f"{self.file}:{self.sheet}:{self.row}: {self.message}"


class ImportRefused(BeangulpError):
    """The input was refused; ``problems`` says why, one line each.

    A beangulp error, so that beangulp's own commands (``import.py extract``) print the
    lines as they are, not as "Exception in importer code" with a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


# -- values -------------------------------------------------------------------------------


def text_of(value: object) -> str:
    """A cell as stripped text (numbers without a trailing ``.0``)."""
    if type(value) is str:  # the usual cell, first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def squeeze(text: str) -> str:
    """Text without any white space, full-width forms folded (NFKC): for matching words."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def parse_date(value: object) -> datetime.date | None:
    """A date cell as ``datetime.date``; ``None`` when empty, :class:`CellError` when unreadable."""
    if type(value) is datetime.date:  # the usual cell, first
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"日期 “{value}” 无法识别")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise CellError(f"日期 “{value}” 无法识别")
        number = int(value)
        if number == value and 19000101 <= number <= 21001231:
            return parse_date(str(number))
        if number == value and 1 <= number <= 80000:
            return EXCEL_EPOCH + datetime.timedelta(days=number)
        raise CellError(f"日期 “{text_of(value)}” 无法识别")
    text = squeeze(text_of(value))
    if not text:
        return None
    match = DATE_TEXT.fullmatch(text) or DATE_DIGITS.fullmatch(text)
    if match is None:
        raise CellError(
            f"日期 “{text}” 无法识别 (invalid date), 应写成 2024-01-05、2024年1月5日、"
            "2024.01.05 或 20240105"
        )
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"日期 “{text}” 不存在 (no such date)") from None


def parse_amount(value: object, unit: Decimal = ONE) -> Decimal | None:
    """An amount cell in 元 as ``Decimal`` to the cent; ``None`` when empty.

    ``unit`` is 10000 for a sheet in 万元. An amount with more than two decimals in 元 is
    refused (``12.340`` is 12.34; ``12.345`` is a typing or formula error, never rounded).
    Numbers from the spreadsheet are floats: they go through their shortest ``repr`` so that
    86.42 stays 86.42, and a formula's float artefact (0.1 + 0.2 = 0.30000000000000004) is
    taken to the cent only when it is within :func:`float_slack` of it.
    """
    if value is None or value == "":
        return None
    slack = Decimal(0)
    if type(value) is float:  # the usual cell, first
        number = Decimal(repr(value))
        slack = float_slack(value) * unit
    elif type(value) is int:
        number = Decimal(value)
    elif not isinstance(value, str):
        raise CellError(f"金额 “{value}” 不是数字 (expected an amount)")
    else:
        parsed = _amount_text(str(value))
        if parsed is None:
            return None
        number, in_wan = parsed
        unit = TEN_THOUSAND if in_wan else unit
    scaled = number * unit
    if not scaled.is_finite() or abs(scaled) >= MAX_AMOUNT:
        raise CellError(f"金额 “{text_of(value)}” 无法识别或过大 (invalid amount)")
    cents = scaled.quantize(CENT, ROUND_HALF_UP)
    if abs(scaled - cents) > slack:
        raise CellError(
            f"金额 “{text_of(value)}” 多于两位小数 (more than two decimals): "
            "金额记到分, 请改正表中数字"
        )
    return cents


def float_slack(value: float) -> Decimal:
    """How far a float cell may be from a whole cent and still be that cent: the error a few
    additions leave (16 units in the last place), and at least 10⁻⁹."""
    return Decimal(1e-9 + 16 * math.ulp(value))


#: An amount as accountants write it (after :func:`_amount_text` took off brackets and
#: units): an optional sign and ``¥``/``RMB``, digits either plain or grouped by three with
#: commas or spaces (one kind a number), and a decimal point. No exponents, underscores,
#: ``NaN``, ``Infinity``, hexadecimal or Indian grouping (``1,23,456``).
AMOUNT_TEXT = re.compile(
    r"(?P<sign>[-+]?) ?(?:¥|RMB)? ?(?P<sign2>[-+]?) ?"
    r"(?P<digits>\d+|\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*|(?=\.\d))"
    r"(?:\.(?P<fraction>\d*))?"
)


def _amount_text(raw: str) -> tuple[Decimal, bool] | None:
    """Amount text and whether it says 万: separators, ￥, 元, full-width digits, dashes for
    zero, ``(1,200.00)`` for negatives; :class:`CellError` for anything else."""
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not text:
        return None
    if text.replace(" ", "") in ZERO_DASHES:
        return Decimal(0), False
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    in_wan = text.endswith(("万元", "万"))
    text = text.removesuffix("元").removesuffix("万").rstrip()
    match = AMOUNT_TEXT.fullmatch(text)
    if match is None or (match["sign"] and match["sign2"]) or (negative and text[0] in "+-"):
        raise CellError(f"金额 “{raw.strip()}” 无法识别 (invalid amount), 应为数字, 如 38,600.00")
    digits = match["digits"].replace(match["sep"] or ",", "") or "0"
    number = Decimal(f"{digits}.{match['fraction'] or 0}")
    if "-" in (match["sign"], match["sign2"]):
        number = -number
    return (-number if negative else number), in_wan


# -- declarations ---------------------------------------------------------------------------


class Column:
    """A column a dialect reads, found by any of its header words (synonyms)."""

    def __init__(self, *words: str, required: bool = False) -> None:
        self.words = tuple(squeeze(w) for w in words)
        self.required = required
        self.field = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    def parse(self, value: object, unit: Decimal) -> object:
        """The cell's value; :class:`CellError` when it cannot be read."""
        return text_of(value)


class Text(Column):
    """A text column (摘要, 凭证号, 对方科目 …)."""


class Date(Column):
    """A date column; may instead be split into 月 and 日 columns under a year."""

    def parse(self, value: object, unit: Decimal) -> datetime.date | None:
        return parse_date(value)


class Amount(Column):
    """An amount column in the sheet's unit (元 unless ``单位:万元`` or ``(万元)`` says so)."""

    def parse(self, value: object, unit: Decimal) -> Decimal | None:
        return parse_amount(value, unit)


class Number(Column):
    """A small whole number (the 月 and 日 of a hand ledger's date)."""

    def parse(self, value: object, unit: Decimal) -> int | None:
        text = text_of(value)
        if not text:
            return None
        if not text.isdigit():
            raise CellError(f"“{text}” 应为数字 (expected a number)")
        return int(text)


class Dialect:
    """A kind of spreadsheet: its columns, declared as class attributes (see module doc).

    ``markers``: words of which one must appear in the header, the title rows or the sheet
    name (for kinds whose columns alone would be ambiguous, such as bank statements).
    """

    kind = ""
    markers: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # words that rule the dialect out (a 日记账 is no statement)
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of fields of which one is required
    #: The field that marks a data row; a row with it is a total only by a phrase no
    #: account name starts with (a trial balance's 152 累计折旧 row has a code, no date).
    row_key = "date"
    #: Rows carry a running ``balance``: a row that states a balance and no amount (上年结转,
    #: 过次页, 1月1日 期初余额 …) is a balance check (an ``opening`` record), dated or not.
    running_balance = False

    @classmethod
    def columns(cls) -> dict[str, Column]:
        """The declared columns by field name, in declaration order."""
        found: dict[str, Column] = {}
        for klass in reversed(cls.__mro__):
            found.update({k: v for k, v in vars(klass).items() if isinstance(v, Column)})
        return found


#: Columns a hand ledger's date may be split into, under a year in the title or header.
MONTH = Number("月")
MONTH.field = "month"
DAY = Number("日")
DAY.field = "day"


# -- workbooks ------------------------------------------------------------------------------


@dataclass
class Sheet:
    """A worksheet's cells as rows of Python values; ``first_row`` is the 1-based row of rows[0].

    ``hidden`` is the sheet's state when it is not visible (``hidden``, ``veryHidden``);
    ``hidden_rows`` are the 1-based rows holding a value that the file hides, and
    ``hidden_columns`` the 0-based ranges (first, last) of columns it hides.
    """

    name: str
    rows: list[list]
    first_row: int
    first_col: int = 0
    hidden: str = ""
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: tuple[tuple[int, int], ...] = ()

    def column_hidden(self, col: int) -> bool:
        """Whether the column at index ``col`` of :attr:`rows` is hidden."""
        return any(first <= self.first_col + col <= last for first, last in self.hidden_columns)


@dataclass
class Workbook:
    """A spreadsheet file, read once: its sheets and its content hash."""

    path: Path
    sha256: str
    sheets: list[Sheet]

    @cached_property
    def label(self) -> str:
        """The file as messages name it."""
        return self.path.name


def open_workbook(path: Path) -> Workbook:
    """Read every sheet of an .xlsx/.xls/.ods file; :class:`ImportRefused` if it is not one."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImportRefused([Problem(str(path), "", 0, "文件不存在 (no such file)")]) from None
    except OSError as error:
        problem = Problem(path.name, "", 0, f"无法读取文件 (cannot read): {error}")
        raise ImportRefused([problem]) from None
    if path.is_dir():
        problem = Problem(str(path), "", 0, "是文件夹, 不是表格文件 (a folder, not a spreadsheet)")
        raise ImportRefused([problem])
    if not stat.st_size:
        problem = Problem(path.name, "", 0, "空文件 (empty file): 请从原软件重新导出为 Excel 表格")
        raise ImportRefused([problem])
    return _open_workbook(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _open_workbook(path: Path, mtime_ns: int, size: int) -> Workbook:
    if size > MAX_FILE_BYTES:  # not even read
        raise ImportRefused([Problem(path.name, "", 0, file_too_large(size))])
    content = path.read_bytes()
    try:
        extents = survey(content)  # before calamine allocates anything
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        states = {m.name: sheet_state(m.visible) for m in book.sheets_metadata}
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            rows = _fill_merged(name, rows, sheet.merged_cell_ranges or [], start)
            extent = extents.get(name)
            sheets.append(
                Sheet(
                    name,
                    rows,
                    start[0] + 1,
                    start[1],
                    states.get(name, ""),
                    frozenset(extent.hidden_rows) if extent else frozenset(),
                    tuple(extent.hidden_columns) if extent else (),
                )
            )
    except Refusal as refusal:
        raise ImportRefused([Problem(path.name, refusal.sheet, 0, refusal.message)]) from None
    except Exception as error:  # calamine raises many kinds for damaged files
        kind = "CSV 文本" if _looks_like_text(content) else "损坏或不是 Excel 表格"
        raise ImportRefused([Problem(path.name, "", 0, damaged(error, kind))]) from None
    return Workbook(path, hashlib.sha256(content).hexdigest(), sheets)


def sheet_state(visible: python_calamine.SheetVisibleEnum) -> str:
    """calamine's sheet visibility as :attr:`Sheet.hidden`."""
    if visible == python_calamine.SheetVisibleEnum.Hidden:
        return "hidden"
    if visible == python_calamine.SheetVisibleEnum.VeryHidden:
        return "veryHidden"
    return ""


def forget_workbooks() -> None:
    """Drop the workbooks read so far (kept so that recognising, extracting and archiving a
    file read it once): an import lets go of their rows before Beancount loads the ledger."""
    _open_workbook.cache_clear()


def _looks_like_text(content: bytes) -> bool:
    head = content[:2048]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head and not head.startswith(b"PK")


def _fill_merged(name: str, rows: list[list], merged: list, start: tuple[int, int]) -> list[list]:
    """Copy a merged range's text into all its cells, so a merged header or date reads everywhere.

    Numbers are left in the first cell only: a merged amount must not count twice. Merged
    ranges do not overlap: more merged cells than :data:`MAX_CELLS` are refused (the copying
    would take hours).
    """
    budget = MAX_CELLS
    for (top, left), (bottom, right) in merged:
        r0, c0 = top - start[0], left - start[1]
        if not (0 <= r0 < len(rows) and 0 <= c0 < len(rows[r0])):
            continue
        budget -= (min(bottom - start[0] + 1, len(rows)) - r0) * (right - left + 1)
        if budget < 0:
            raise Refusal(name, f"合并单元格多于 {MAX_CELLS} 格 (too many merged cells)")
        value = rows[r0][c0]
        if value == "" or isinstance(value, int | float):
            continue
        for r in range(r0, min(bottom - start[0] + 1, len(rows))):
            for c in range(c0, min(right - start[1] + 1, len(rows[r]))):
                if rows[r][c] == "":
                    rows[r][c] = value
    return rows


# -- headers --------------------------------------------------------------------------------


@dataclass
class Header:
    """Where a dialect's header was found in a sheet and what the rows above it say."""

    dialect: type[Dialect]
    sheet: Sheet
    index: int  # index in sheet.rows of the (last) header row
    columns: dict[str, int]  # field -> column index
    units: dict[str, Decimal]  # field -> unit (1 or 10000)
    above: list[str] = field(default_factory=list)  # title and note lines

    @property
    def year(self) -> int | None:
        """A year named above the header (``2024年``) or in the sheet name."""
        for text in [*self.above, self.sheet.name]:
            match = YEAR_TEXT.search(text)
            if match:
                return int(match.group(1))
        return None

    def note(self, *labels: str) -> str:
        """The value after ``label:`` in the rows above the header (``账号:6230…``)."""
        for line in self.above:
            for label in labels:
                match = re.search(rf"{label}\s*[:：]\s*([^\s:：]+(?:\s\d+)*)", line)
                if match:
                    return match.group(1).strip()
        return ""


def _cell_words(rows: list[list], index: int) -> list[tuple[str, ...]]:
    """The header words of each column at row ``index``: the cell, and above-plus-cell."""
    row = rows[index]
    above = rows[index - 1] if index > 0 else []
    words = []
    for col, value in enumerate(row):
        lower = squeeze(text_of(value))
        upper = squeeze(text_of(above[col])) if col < len(above) else ""
        options = [lower]
        if upper and upper != lower:
            options.append(upper + lower)
        words.append(tuple(HEADER_UNIT.sub("", o) for o in options if o))
    return words


#: A village's own header words (``import-columns.csv``): a word it uses → the word of ours
#: it means (``记帐日`` → ``日期``), both squeezed.
Synonyms = dict[str, str]


def _columns_found(
    dialect: type[Dialect], rows: list[list], index: int, synonyms: Synonyms
) -> dict[str, int]:
    """The dialect's columns found at row ``index`` (月 and 日 when there is no date)."""
    words = _cell_words(rows, index)
    theirs: dict[str, list[str]] = {}
    for word, ours in synonyms.items():
        theirs.setdefault(ours, []).append(word)
    found: dict[str, int] = {}
    taken: set[int] = set()
    for name, column in [*dialect.columns().items(), ("month", MONTH), ("day", DAY)]:
        if name in ("month", "day") and ("date" not in dialect.columns() or "date" in found):
            continue
        options = [w for word in column.words for w in (word, *theirs.get(word, ()))]
        col = _find(options, words, taken)
        if col is not None:
            found[name] = col
            taken.add(col)
    return found


def _missing(dialect: type[Dialect], found: dict[str, int]) -> list[str]:
    """The required columns (a header word of each) the found ones lack."""
    has_date = "date" in found or {"month", "day"} <= found.keys()
    missing = [
        column.words[0]
        for name, column in dialect.columns().items()
        if column.required and name not in found and not (name == "date" and has_date)
    ]
    columns = dialect.columns()
    for group in dialect.one_of:
        if not set(group) & found.keys():
            missing.append("/".join(columns[name].words[0] for name in group))
    return missing


def _match(
    dialect: type[Dialect], rows: list[list], index: int, synonyms: Synonyms
) -> dict[str, int] | None:
    """The dialect's columns found at row ``index``, or ``None`` if a required one is missing."""
    found = _columns_found(dialect, rows, index, synonyms)
    return None if _missing(dialect, found) else found


def _find(options: list[str], words: list[tuple[str, ...]], taken: set[int]) -> int | None:
    for word in options:
        for col, cell in enumerate(words):
            if col not in taken and word in cell:
                return col
    return None


def find_header(
    sheet: Sheet, dialects: list[type[Dialect]], synonyms: Synonyms | None = None
) -> Header | None:
    """The first row (from the top) that is the header of one of the dialects, tried in order;
    ``synonyms`` are the village's own header words (:data:`Synonyms`)."""
    limit = min(len(sheet.rows), HEADER_SEARCH_ROWS)
    for index in range(limit):
        if not any(text_of(v) for v in sheet.rows[index]):
            continue
        for dialect in dialects:
            columns = _match(dialect, sheet.rows, index, synonyms or {})
            if columns is None:
                continue
            above = [" ".join(text_of(v) for v in row if text_of(v)) for row in sheet.rows[:index]]
            header_text = "".join(squeeze(text_of(v)) for v in sheet.rows[index])
            context = header_text + "".join(above) + sheet.name
            if dialect.markers and not any(m in context for m in dialect.markers):
                continue
            if any(word in context for word in dialect.excluded):
                continue
            return Header(dialect, sheet, index, columns, _units(sheet, index, columns), above)
    return None


def header_diagnosis(
    workbook: Workbook, dialects: list[type[Dialect]], synonyms: Synonyms | None = None
) -> str:
    """Why no header was found, for a one-line refusal: the row that came closest to one of
    the dialects' headers, the columns it lacks, and how to map a column of its own."""
    best: tuple[int, int, str, list[str], type[Dialect]] | None = None
    for sheet in workbook.sheets:
        for index in range(min(len(sheet.rows), HEADER_SEARCH_ROWS)):
            cells = [squeeze(text_of(v)) for v in sheet.rows[index]]
            if sum(1 for c in cells if c) < 2:
                continue
            for order, dialect in enumerate(dialects):
                found = _columns_found(dialect, sheet.rows, index, synonyms or {})
                missing = _missing(dialect, found)
                score = len(found) - len(missing)
                if best is None or (score, -order) > (best[0], best[1]):
                    shown = "|".join(c for c in cells if c)
                    best = (score, -order, shown, missing, dialect)
    if best is None or not best[3]:
        return "找到的表头 (found): 无; 应有 (expected) 日期、摘要、借方、贷方、余额 等列"
    _, _, shown, missing, dialect = best
    return (
        f"找到的表头 (found) “{shown[:120]}”, 按{dialect.kind}缺少 (expected) {'、'.join(missing)};"
        f" 若表中另有名称, 在村文件夹的 {COLUMNS_FILE} 中写一行 表头,字段 (如 记帐日,日期)"
    )


def _units(sheet: Sheet, index: int, columns: dict[str, int]) -> dict[str, Decimal]:
    """Each column's unit: ``(万元)`` in its header cell, else ``单位:万元`` above, else 元."""
    sheet_unit = Decimal(1)
    for row in sheet.rows[:index]:
        for value in row:
            match = UNIT_TEXT.search(squeeze(text_of(value)))
            if match:
                sheet_unit = TEN_THOUSAND if match.group(1) == "万元" else Decimal(1)
    header_rows = sheet.rows[max(0, index - 1) : index + 1]
    units = {}
    for name, col in columns.items():
        cells = [squeeze(text_of(row[col])) for row in header_rows if col < len(row)]
        marked = [HEADER_UNIT.search(c) for c in cells]
        explicit = [m.group(1) for m in marked if m]
        units[name] = (
            (TEN_THOUSAND if explicit[-1] == "万元" else Decimal(1)) if explicit else sheet_unit
        )
    return units


# -- rows -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Record:
    """One data row: its 1-based spreadsheet row number and its parsed values by field."""

    sheet: str
    row: int
    values: dict[str, object]
    opening: bool = False  # a 期初余额/承前页 row, or one stating only a balance: a check
    broken: bool = False  # a cell could not be read (the problem is already reported)
    total: str = ""  # a summary row's kind ("month" or "other"), when asked for (``totals``)


def row_text(row: list) -> str:
    """The row's text cells, squeezed and joined by :data:`CELL_SEPARATOR`: for recognising
    total and opening rows (one normalisation a row, not one a cell)."""
    return squeeze(CELL_SEPARATOR.join([v for v in row if type(v) is str]))


def is_total(text: str, dated: bool = False) -> bool:
    """A row (:func:`row_text`) that totals or carries other rows (本月合计, 本年累计, 过次页 …).

    A dated row is a total only by a phrase no account name starts with (累计折旧 does).
    """
    return (DATED_TOTAL_START if dated else TOTAL_START).search(text) is not None


def is_opening(text: str) -> bool:
    """A row (:func:`row_text`) stating the balance brought forward (期初余额, 承前页 …)."""
    return OPENING_START.search(text) is not None


def is_footer(text: str, flows: bool) -> bool:
    """A line (:func:`row_text`) a bank or package prints below the data: one with a
    :data:`FOOTER_WORDS` word, which must lead the line if it has amounts (``借方笔数: 4``)."""
    return FOOTER_WORDS_RE.search(text.split(CELL_SEPARATOR, 1)[0] if flows else text) is not None


@dataclass(slots=True)
class _Row:
    """A row parsed, before it is told apart (data, carried balance, total, footer)."""

    number: int
    text: str
    values: dict[str, object]
    failed: list[tuple[int, str]]
    keyed: bool  # it has the dialect's row key (a date, a code)
    flows: bool  # it has an amount other than a balance, or an unreadable one
    money: bool  # it has any amount, a balance included, or an unreadable one


def records(
    header: Header, label: str, problems: list[Problem], totals: bool = False
) -> Iterator[Record]:
    """The data rows below the header, parsed; unreadable cells are added to ``problems``.

    Blank rows, signature and note rows (no date and no amount), total rows and the
    footer lines after the last data row (:func:`is_footer`; a row with a date and an
    amount is data wherever it is) are skipped; carried-balance rows are yielded with
    ``opening=True``, and with ``totals`` the total rows that have amounts with ``total``.
    """
    sheet = header.sheet.name
    parsed = list(_parsed_rows(header))
    last = max((i for i, row in enumerate(parsed) if row.keyed and row.money), default=-1)
    stated = header.dialect.running_balance and "balance" in header.columns
    key = header.dialect.row_key  # footers only below rows keyed by a date or a code
    footers = key in header.columns or (key == "date" and "month" in header.columns)
    for index, row in enumerate(parsed):
        values, text = row.values, row.text
        balance_only = stated and not row.flows and values.get("balance") is not None
        total = is_total(text, row.keyed)
        if (is_opening(text) and (not row.keyed or balance_only)) or (balance_only and total):
            yield Record(sheet, row.number, values, opening=True)
            continue
        if total:
            if totals and row.flows and not row.failed:
                kind = "month" if MONTH_TOTAL_START.search(text) else "other"
                yield Record(sheet, row.number, values, total=kind)
            continue
        if footers and index > last and is_footer(text, row.flows):
            continue  # 借方笔数: 4, 打印时间, 经办/复核 …
        if balance_only and not row.failed:
            yield Record(sheet, row.number, values, opening=True)  # a balance stated alone
            continue
        if values.get("date") is None and not row.money:
            continue  # a blank, note or signature row
        for col, message in row.failed:
            problems.append(
                Problem(label, sheet, row.number, f"{_column_label(header, col)}: {message}")
            )
        yield Record(sheet, row.number, values, broken=bool(row.failed))


def _parsed_rows(header: Header) -> Iterator[_Row]:
    """The non-blank rows below the header, each cell parsed by its column."""
    sheet = header.sheet
    columns = header.dialect.columns()
    plan = [  # (field, column index, its parser, its unit), made once for every row
        (
            name,
            col,
            columns.get(name, MONTH if name == "month" else DAY).parse,
            header.units.get(name, ONE),
        )
        for name, col in header.columns.items()
    ]
    flow_columns = {
        col
        for name, col in header.columns.items()
        if isinstance(columns.get(name), Amount) and name != "balance"
    }
    flow_fields = [name for name, col in header.columns.items() if col in flow_columns]
    money_columns = {
        col for name, col in header.columns.items() if isinstance(columns.get(name), Amount)
    }
    year = header.year
    first = header.index + 1
    row_key = header.dialect.row_key
    for number, row in enumerate(sheet.rows[first:], sheet.first_row + first):
        if row.count("") + row.count(None) == len(row):
            continue  # a blank row
        values: dict[str, object] = {}
        failed = []
        for name, col, parse, unit in plan:
            try:
                values[name] = parse(row[col] if col < len(row) else "", unit)
            except CellError as error:
                values[name] = None
                failed.append((col, str(error)))
        if "month" in values and values.get("date") is None:
            values["date"] = _month_day(values, year, header.columns["month"], failed)
        flows = any(values[name] for name in flow_fields) or any(
            col in flow_columns for col, _ in failed
        )
        money = flows or bool(values.get("balance"))
        money = money or any(col in money_columns for col, _ in failed)
        keyed = bool(values.get(row_key))
        yield _Row(number, row_text(row), values, failed, keyed, flows, money)


def _month_day(values: dict, year: int | None, col: int, failed: list) -> datetime.date | None:
    month, day = values.get("month"), values.get("day")
    if month is None and day is None:
        return None
    if year is None:
        failed.append((col, "有 月、日 两列但表头和标题里没有年份 (no year above 月/日)"))
        return None
    try:
        return datetime.date(year, month or 0, day or 0)
    except (TypeError, ValueError):
        failed.append((col, f"日期 {year}年{month}月{day}日 不存在 (no such date)"))
        return None


def _column_label(header: Header, col: int) -> str:
    """``D列(对方科目)``: the column letter and its header word, for messages."""
    letter = column_letter(header.sheet.first_col + col)
    row = header.sheet.rows[header.index]
    word = text_of(row[col]) if col < len(row) else ""
    return f"{letter}列({word})" if word else f"{letter}列"


def column_label(header: Header, field_name: str) -> str:
    """The label of a field's column (``E列(借方金额)``), for messages about a whole row."""
    col = header.columns.get(field_name)
    return _column_label(header, col) if col is not None else field_name
