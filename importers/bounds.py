"""What a spreadsheet file holds, found before it is read: its extent and what it hides.

The reader (calamine) holds each sheet as a dense range from its first to its last cell with a
value, 32 bytes a cell, so one cell at ``ALL300000`` costs 9.6 GB, whatever the file's size
(5 KB). :func:`survey` streams the file's parts with bounded memory, without trusting any
size or dimension the file declares, and refuses it (:class:`Refusal`) when reading it would
not be bounded:

- the file is larger than :data:`MAX_FILE_BYTES`;
- the parts of an .xlsx/.ods (a zip) unpack to more than :data:`MAX_UNPACKED_BYTES`
  together, as declared or as actually inflated (a zip bomb);
- the ranges of its sheets, from the first to the last cell with a value, hold more than
  :data:`MAX_CELLS` cells together (:data:`MAX_CELLS` × 40 bytes is what the reader then
  needs, in calamine and in Python);
- it is an .xlsb (binary workbook), which is not surveyed.

On the way it notes each sheet's hidden rows that hold values and its hidden columns.
Formats: .xlsx/.xlsm (worksheet XML), .ods (``content.xml``) and .xls (BIFF8 records in an
OLE2 compound file); anything else is left to the reader, which opens only those.
"""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from posixpath import join, normpath
from xml.parsers import expat

#: Larger files are refused unread: a year of a county's vouchers is a few MB.
MAX_FILE_BYTES = 50 * 2**20
#: What the parts of a zipped workbook may unpack to together.
MAX_UNPACKED_BYTES = 256 * 2**20
#: Cells in the dense ranges of all sheets together (each from its first to its last cell
#: with a value): 100 000 rows of 20 columns; about 80 MB for the reader.
MAX_CELLS = 2_000_000
#: How much of a part is inflated and parsed at a time.
CHUNK = 2**20
#: The small XML parts read whole (the workbook's sheet list and its relationships).
MAX_INDEX_BYTES = 4 * 2**20

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class Refusal(Exception):
    """The file is refused before it is read: ``sheet`` ("" for the whole file) and why."""

    def __init__(self, sheet: str, message: str) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.message = message


@dataclass
class Extent:
    """A sheet's cells with a value: their bounding range (0-based, inclusive), hidden rows
    (1-based) holding a value, and hidden column ranges (0-based, inclusive)."""

    name: str
    top: int = 2**62
    left: int = 2**62
    bottom: int = -1
    right: int = -1
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        """The cells of the dense range the reader allocates."""
        if self.bottom < 0:
            return 0
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)

    def add(self, row: int, col: int, rows: int = 1, cols: int = 1, hidden: bool = False) -> None:
        """A value at ``row``, ``col`` (0-based), repeated over ``rows`` × ``cols`` cells;
        refuses as soon as the sheet alone is larger than :data:`MAX_CELLS`."""
        bottom, right = row + rows - 1, col + cols - 1
        if row < self.top or col < self.left or bottom > self.bottom or right > self.right:
            self.top, self.left = min(self.top, row), min(self.left, col)
            self.bottom, self.right = max(self.bottom, bottom), max(self.right, right)
            if self.cells > MAX_CELLS:
                raise Refusal(self.name, too_large(self))
        if hidden:
            self.hidden_rows.update(range(row + 1, row + rows + 1))

    def hide_columns(self, first: int, last: int) -> None:
        if first <= last:
            self.hidden_columns.append((first, last))


def file_too_large(size: int) -> str:
    return (
        f"文件过大 ({size / 2**20:.1f} MB), 最多 {MAX_FILE_BYTES // 2**20} MB (file too large): "
        "请分成几个文件"
    )


def too_large(extent: Extent) -> str:
    height, width = extent.bottom - extent.top + 1, extent.right - extent.left + 1
    first = f"{column_letter(extent.left)}{extent.top + 1}"
    last = f"{column_letter(extent.right)}{extent.bottom + 1}"
    return (
        f"表格范围 {first}:{last} 过大 ({height} 行 × {width} 列 = {extent.cells} 格), "
        f"最多 {MAX_CELLS} 格 (sheet too large): 请删去表外的内容, 或分成几个文件"
    )


def column_letter(index: int) -> str:
    """0 → ``A``, 27 → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` → 0, ``AB`` → 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def survey(content: bytes) -> dict[str, Extent]:
    """Each sheet's extent by sheet name; :class:`Refusal` when reading the file would not be
    bounded (see the module doc). Formats the reader cannot open give ``{}``."""
    if len(content) > MAX_FILE_BYTES:
        raise Refusal("", file_too_large(len(content)))
    try:
        if content.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                extents = Unpacker(archive).survey()
        elif content.startswith(OLE2_MAGIC):
            extents = survey_xls(content)
        else:
            return {}
    except DAMAGED as error:
        raise Refusal("", damaged(error)) from None
    total = sum(e.cells for e in extents.values())
    if total > MAX_CELLS:
        raise Refusal(
            "",
            f"各工作表的表格范围共 {total} 格, 最多 {MAX_CELLS} 格 (workbook too large): "
            "请删去表外的内容, 或分成几个文件",
        )
    return extents


# -- zipped workbooks (.xlsx, .ods) ---------------------------------------------------------


class Unpacker:
    """The parts of a zipped workbook, inflated within one budget of :data:`MAX_UNPACKED_BYTES`."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_UNPACKED_BYTES:
            raise Refusal("", unpacked_too_large(declared))
        self.archive = archive
        self.names = archive.namelist()
        self.left = MAX_UNPACKED_BYTES

    def survey(self) -> dict[str, Extent]:
        """Inflate every part (the reader may read any); scan the worksheets and content."""
        if "xl/workbook.bin" in self.names:
            raise Refusal("", "不支持 .xlsb 二进制工作簿 (.xlsb is not supported): 请另存为 .xlsx")
        sheets = self.worksheet_names() if "xl/workbook.xml" in self.names else {}
        extents: dict[str, Extent] = {}
        for name in self.names:
            if name in sheets or (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                extent = Extent(sheets.get(name, name))
                self.inflate(name, WorksheetScan(extent).parser())
                extents[extent.name] = extent
            elif name == "content.xml":
                scan = OdsScan()
                self.inflate(name, scan.parser())
                extents.update({e.name: e for e in scan.sheets})
            else:
                self.inflate(name, None)
        return extents

    def inflate(self, name: str, parser: expat.XMLParserType | None) -> bytes:
        """A part's bytes as actually inflated (never trusting its declared size), fed to
        ``parser`` chunk by chunk; kept only without a parser and when small."""
        info = self.archive.getinfo(name)
        # read what the data inflates to, not what it says: past the budget by a chunk, so
        # that the budget runs out before zipfile stops at the size and checks the CRC
        info.file_size = self.left + CHUNK + 1
        kept = []
        with self.archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                self.left -= len(chunk)
                if self.left < 0:
                    raise Refusal("", unpacked_too_large(MAX_UNPACKED_BYTES - self.left))
                if parser is not None:
                    parser.Parse(chunk, False)
                elif sum(map(len, kept)) < MAX_INDEX_BYTES:
                    kept.append(chunk)
        if parser is not None:
            parser.Parse(b"", True)
        return b"".join(kept)

    def worksheet_names(self) -> dict[str, str]:
        """Each worksheet part's sheet name, from the workbook and its relationships."""
        targets = {}
        rels = "xl/_rels/workbook.xml.rels"
        if rels in self.names:
            for rel in ET.fromstring(self.inflate(rels, None)).iter(
                f"{{{PACKAGE_REL_NS}}}Relationship"
            ):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else join("xl", target)
                targets[rel.get("Id")] = normpath(path)
        book = ET.fromstring(self.inflate("xl/workbook.xml", None))
        return {
            targets[s.get(f"{{{REL_NS}}}id")]: s.get("name", "")
            for s in book.iter(f"{{{MAIN_NS}}}sheet")
            if s.get(f"{{{REL_NS}}}id") in targets
        }


#: What reading a damaged zip, XML part or OLE2 file raises.
DAMAGED = (
    zipfile.BadZipFile,
    ET.ParseError,
    expat.ExpatError,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    IndexError,
    NotImplementedError,
    zlib.error,
)


def damaged(error: Exception, kind: str = "损坏或不是 Excel 表格") -> str:
    """The one line for a file that is no readable spreadsheet."""
    return (
        f"无法打开: {kind} (not a readable .xlsx/.xls file: {error}); "
        "请从原软件重新导出为 Excel 表格"
    )


def unpacked_too_large(size: int) -> str:
    return (
        f"文件解压后超过 {MAX_UNPACKED_BYTES // 2**20} MB ({size // 2**20} MB 以上), "
        "不像是导出的表格 (unpacks too large: a zip bomb?)"
    )


def xml_parser(start: Callable[[str, dict[str, str]], None]) -> expat.XMLParserType:
    """A streaming parser calling ``start`` with each element's local name and attributes
    (attribute names local too)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def handler(name: str, attributes: dict[str, str]) -> None:
        start(name.rpartition(" ")[2], {k.rpartition(" ")[2]: v for k, v in attributes.items()})

    parser.StartElementHandler = handler
    return parser


def flag(value: str | None) -> bool:
    return value in ("1", "true")


class WorksheetScan:
    """An .xlsx worksheet's cells with a value (``<c>`` holding ``<v>``, ``<is>`` or ``<f>``;
    positions from ``r`` or, without it, following the previous cell or row, as the reader
    places them), its hidden rows (``<row hidden="1">``) and hidden columns (``<col>``).

    Millions of cells pass through :meth:`start`: elements are told apart by their name as
    written (a prefix taken off once per name), and column letters are parsed once each.
    """

    def __init__(self, extent: Extent) -> None:
        self.extent = extent
        self.row, self.col = -1, -1
        self.cell: tuple[int, int] | None = None
        self.hidden = False
        self.names: dict[str, str] = {}  # element name as written → local name
        self.columns: dict[str, int] = {}  # column letters → index

    def parser(self) -> expat.XMLParserType:
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        return parser

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = self.names.get(name)
        if local is None:
            local = self.names[name] = name.rpartition(":")[2]
        if local == "c":
            ref = attributes.get("r")
            if ref is None:
                self.col += 1
            else:
                letters = ref.rstrip("0123456789")
                digits = ref[len(letters) :]
                col = self.columns.get(letters)
                if col is None:
                    col = self.column(letters, ref)
                if not digits or not digits.isascii():
                    raise Refusal(self.extent.name, f"单元格地址 “{ref[:20]}” 无法识别 (bad cell)")
                self.col, self.row = col, int(digits) - 1
            self.cell = (self.row, self.col)
        elif local in ("v", "is", "f") and self.cell is not None:
            self.extent.add(*self.cell, hidden=self.hidden)
            self.cell = None  # counted once
        elif local == "row":
            ref = attributes.get("r")
            self.row = int(ref) - 1 if ref and ref.isascii() and ref.isdigit() else self.row + 1
            self.col, self.cell = -1, None
            self.hidden = flag(attributes.get("hidden"))
        elif local == "col" and flag(attributes.get("hidden")):
            first, last = attributes.get("min", ""), attributes.get("max", "")
            if first.isdigit() and last.isdigit():
                self.extent.hide_columns(int(first) - 1, int(last) - 1)

    def column(self, letters: str, ref: str) -> int:
        """The index of a cell reference's column letters (at most ``XFD``: three letters)."""
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isupper()):
            raise Refusal(self.extent.name, f"单元格地址 “{ref[:20]}” 无法识别 (bad cell)")
        self.columns[letters] = column_index(letters)
        return self.columns[letters]


class OdsScan:
    """An .ods ``content.xml``: each table's cells with a value (a ``office:value-type`` or
    text), with their row and column repeats, and its collapsed or filtered rows and columns."""

    def __init__(self) -> None:
        self.sheets: list[Extent] = []
        self.row, self.col, self.rows, self.columns, self.hidden = -1, 0, 1, 0, False
        self.cell: tuple[int, int] | None = None

    def parser(self) -> expat.XMLParserType:
        return xml_parser(self.start)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == "table":
            self.sheets.append(Extent(attributes.get("name", "")))
            self.row, self.col, self.rows, self.columns = -1, 0, 1, 0
        elif not self.sheets:
            return
        elif name == "table-row":
            self.row += self.rows
            self.rows = repeats(attributes, "number-rows-repeated")
            self.col, self.cell = 0, None
            self.hidden = attributes.get("visibility", "visible") != "visible"
        elif name in ("table-cell", "covered-table-cell"):
            cols = repeats(attributes, "number-columns-repeated")
            self.cell = (self.col, cols)
            if "value-type" in attributes:
                self.value()
            self.col += cols
        elif name == "p" and self.cell is not None:
            self.value()
        elif name == "table-column":
            cols = repeats(attributes, "number-columns-repeated")
            if attributes.get("visibility", "visible") != "visible":
                self.sheets[-1].hide_columns(self.columns, self.columns + cols - 1)
            self.columns += cols

    def value(self) -> None:
        assert self.cell is not None
        col, cols = self.cell
        self.sheets[-1].add(self.row, col, self.rows, cols, self.hidden)
        self.cell = None


def repeats(attributes: dict[str, str], name: str) -> int:
    text = attributes.get(name, "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


# -- .xls (BIFF8 in an OLE2 compound file) -------------------------------------------------

#: BIFF records of one cell (row and column first), of a run of cells in a row (row, first
#: column, …, last column last), the start of a sheet, a row's and columns' formats.
XLS_CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, 0x007E}
XLS_RUNS = {0x00BD, 0x00BE}
XLS_BOUNDSHEET, XLS_BOF, XLS_ROW, XLS_COLINFO = 0x0085, 0x0809, 0x0208, 0x007D


def survey_xls(content: bytes) -> dict[str, Extent]:
    """Each sheet's cells (blank but formatted ones too: counted as the reader may), its
    hidden rows (``ROW`` flag ``fDyZero``) and hidden columns (``COLINFO``)."""
    stream = ole_stream(content, ("Workbook", "Book"))
    names: dict[int, str] = {}  # sheet BOF offset → name
    extents: dict[str, Extent] = {}
    extent: Extent | None = None
    hidden: set[int] = set()
    position = 0
    while position + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + size]
        if kind == XLS_BOUNDSHEET and len(body) >= 8:
            names[struct.unpack_from("<I", body)[0]] = boundsheet_name(body)
        elif kind == XLS_BOF and position in names:
            extent = extents.setdefault(names[position], Extent(names[position]))
            hidden = set()
        elif extent is not None and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            if kind in XLS_CELLS:
                extent.add(row, col, hidden=row + 1 in hidden)
            elif kind in XLS_RUNS and len(body) >= 6:
                last = struct.unpack_from("<H", body, len(body) - 2)[0]
                extent.add(row, col, cols=max(1, last - col + 1), hidden=row + 1 in hidden)
            elif kind == XLS_ROW and len(body) >= 14 and body[12] & 0x20:
                hidden.add(row + 1)
            elif kind == XLS_COLINFO and len(body) >= 10 and body[8] & 0x01:
                extent.hide_columns(row, col)  # COLINFO: first and last column
        position += 4 + size
    return extents


def boundsheet_name(body: bytes) -> str:
    """A BIFF8 ``BOUNDSHEET`` record's sheet name (UTF-16 or compressed Latin-1)."""
    count, flags = body[6], body[7] if len(body) > 7 else 0
    if flags & 1:
        return body[8 : 8 + 2 * count].decode("utf-16-le", "replace")
    return body[8 : 8 + count].decode("latin-1")


def ole_stream(content: bytes, names: tuple[str, ...]) -> bytes:
    """The first of the named streams of an OLE2 compound file (``b""`` when none); every
    sector chain is followed at most once around, so a looping file ends."""
    if len(content) < 512:
        return b""
    size = 1 << struct.unpack_from("<H", content, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", content, 0x20)[0]
    fat_count, first_dir = struct.unpack_from("<II", content, 0x2C)
    cutoff, first_minifat, _, first_difat, _ = struct.unpack_from("<IIIII", content, 0x38)
    if size not in (512, 4096) or mini > size:
        return b""
    count = max(0, len(content) - size) // size

    def sector(index: int) -> bytes:
        return content[(index + 1) * size : (index + 2) * size]

    difat = list(struct.unpack_from("<109I", content, 0x4C))
    link, steps = first_difat, 0
    while link < count and steps < count:
        entries = struct.unpack(f"<{size // 4}I", sector(link))
        difat.extend(entries[:-1])
        link, steps = entries[-1], steps + 1
    fat = b"".join(sector(s) for s in difat[:fat_count] if s < count)
    links = struct.unpack(f"<{len(fat) // 4}I", fat[: len(fat) // 4 * 4])

    def chain(start: int, table: tuple[int, ...], limit: int) -> list[int]:
        found: list[int] = []
        while start < min(len(table), limit) and len(found) < limit:
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(s) for s in chain(first_dir, links, count))
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        length = min(64, struct.unpack_from("<H", directory, offset + 64)[0])
        name = directory[offset : offset + max(0, length - 2)].decode("utf-16-le", "replace")
        start, stream_size = struct.unpack_from("<II", directory, offset + 116)
        entries.append((name, directory[offset + 66], start, stream_size))
    if not entries:
        return b""
    for wanted in names:
        for name, kind, start, stream_size in entries:
            if kind != 2 or name != wanted:
                continue
            if stream_size >= cutoff:
                data = b"".join(sector(s) for s in chain(start, links, count))
                return data[:stream_size]
            ministream = b"".join(sector(s) for s in chain(entries[0][2], links, count))
            minifat = b"".join(sector(s) for s in chain(first_minifat, links, count))
            minilinks = struct.unpack(f"<{len(minifat) // 4}I", minifat)
            parts = chain(start, minilinks, len(ministream) // mini)
            return b"".join(ministream[p * mini : (p + 1) * mini] for p in parts)[:stream_size]
    return b""
