"""The reader's limits: absurd sheets and zip bombs refused before they are read, hidden
sheets and rows refused unless asked for, amounts read exactly or refused."""

from __future__ import annotations

import re
import resource
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.base import ImportOptions
from importers.bounds import MAX_CELLS, MAX_UNPACKED_BYTES
from importers.movements import JournalColumns, JournalImporter
from importers.run import import_files
from importers.sheet import (
    CellError,
    ImportRefused,
    Problem,
    find_header,
    float_slack,
    open_workbook,
    parse_amount,
    records,
)
from projects.ledger import read
from tests.conftest import CUNZHANG, run_cli
from tests.importkit import JOURNAL_HEADER, journal, snapshot, village

#: Address space the memory-limited import may use: a normal import needs under 300 MB
#: (measured), the attack without the limits needed 9.6 GB.
ADDRESS_SPACE = 1024 * 2**20

ROWS = [
    ["2024-01-05", "记-1", "收到香菇销售款", "经营收入-香菇销售", 500, None, 1500],
    ["2024-01-08", "记-2", "购办公用品", "管理费用-办公费", None, 200, 1300],
]


@pytest.fixture
def folder(ledgers: Path) -> Path:
    return village(ledgers)


def far_cell(path: Path, row: int, col: int) -> Path:
    """A normal journal plus one cell at ``row``, ``col`` (1-based): the 5 KB attack."""
    journal(path, ROWS)
    book = openpyxl.load_workbook(path)
    book["1月"].cell(row=row, column=col, value=1)
    book.save(path)
    return path


def refusal(path: Path) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        open_workbook(path)
    return [str(p) for p in refused.value.problems]


def limited_import(ledgers: Path, path: Path) -> subprocess.CompletedProcess:
    """``cunzhang import`` in a child process that may use only :data:`ADDRESS_SPACE`."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    command = [str(CUNZHANG), "--ledgers", str(ledgers), "import", "青石镇/东山村", str(path)]
    return subprocess.run(
        [*command, "--create-accounts"],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=300,
    )


# -- item 8: absurd sheets --------------------------------------------------------------------


def test_one_far_cell_is_refused_in_one_line_under_a_memory_limit(ledgers, folder, tmp_path):
    attack = far_cell(tmp_path / "attack.xlsx", 300_000, 1000)
    assert attack.stat().st_size < 10_000
    assert refusal(attack) == [
        "attack.xlsx:1月: 表格范围 A1:ALL300000 过大 (300000 行 × 1000 列 = 300000000 格), "
        f"最多 {MAX_CELLS} 格 (sheet too large): 请删去表外的内容, 或分成几个文件"
    ]
    before = snapshot(folder)
    result = limited_import(ledgers, attack)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0].startswith("attack.xlsx:1月: 表格范围 A1:ALL300000 过大")
    assert "panicked" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before
    # the same limit leaves room for a normal import
    good = limited_import(ledgers, journal(tmp_path / "good.xlsx", ROWS))
    assert good.returncode == 0, good.stderr


@pytest.mark.parametrize(
    ("row", "col"),
    [
        (300_000, 1000),
        (1_048_576, 1),
        (300_000, 7),
        (20_000, 101),
        (2_001, 1000),
        (4_000, 501),
    ],
)
def test_sheets_whose_range_exceeds_the_cells_are_refused(tmp_path, row, col):
    width = max(col, len(JOURNAL_HEADER))  # the journal's own columns count too
    assert row * width > MAX_CELLS
    (line,) = refusal(far_cell(tmp_path / "far.xlsx", row, col))
    pattern = rf"far\.xlsx:1月: 表格范围 A1:[A-Z]+{row} 过大 \({row} 行 × {width} 列.*"
    assert re.fullmatch(pattern, line)


@pytest.mark.parametrize(("row", "col"), [(200_000, 10), (2_000, 1000), (250_000, 8)])
def test_a_range_at_the_limit_is_read(tmp_path, row, col):
    path = tmp_path / "edge.xlsx"
    journal(path, ROWS)
    book = openpyxl.load_workbook(path)
    book["1月"].cell(row=row, column=col, value=1)
    book["1月"].cell(row=row, column=col + 1).style = "Good"  # formatted, no value: no cell
    book.save(path)
    assert row * col <= MAX_CELLS
    assert open_workbook(path).sheets[0].rows[-1][-1] == 1


def test_sheets_together_are_bounded(tmp_path):
    path = tmp_path / "many.xlsx"
    book = openpyxl.Workbook()
    for index in range(3):
        sheet = book.create_sheet(f"s{index}")
        sheet["A1"] = "x"
        sheet.cell(row=MAX_CELLS // 2000, column=1000, value=1)
    book.save(path)
    (line,) = refusal(path)
    assert line.startswith(f"many.xlsx: 各工作表的表格范围共 {3 * MAX_CELLS // 2000 * 1000} 格")


def rewrite(path: Path, target: Path, change) -> Path:
    """A copy of an .xlsx with its first worksheet's XML changed by ``change``."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            out.writestr(info, data)
    return target


def test_the_declared_dimension_is_not_trusted(tmp_path):
    attack = far_cell(tmp_path / "a.xlsx", 300_000, 1000)
    lying = rewrite(attack, tmp_path / "lying.xlsx", lambda d: d.replace(b"A1:ALL300000", b"A1:G4"))
    assert "过大 (300000 行 × 1000 列" in refusal(lying)[0]


def test_cells_without_references_are_placed_as_the_reader_places_them(tmp_path):
    good = journal(tmp_path / "j.xlsx", ROWS)
    cells = b"<c><v>1</v></c>" * 3000
    row = b'<row r="1000">' + cells + b"</row></sheetData>"
    attack = rewrite(good, tmp_path / "implicit.xlsx", lambda d: d.replace(b"</sheetData>", row))
    assert "过大 (1000 行 × 2001 列" in refusal(attack)[0]  # refused on the way


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "x.bin"])
@pytest.mark.parametrize("declared", ["truthful", "lying"])
def test_zip_bombs_are_refused(tmp_path, member, declared):
    """A part that inflates beyond the limit, whether its declared size says so or not."""
    good = journal(tmp_path / "j.xlsx", ROWS)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != member:
                out.writestr(info, source.read(info))
        with out.open(member, "w") as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="x">')
            for _ in range(MAX_UNPACKED_BYTES // 2**20 + 1):
                part.write(b" " * 2**20)
            part.write(b"</sst>")
    assert bomb.stat().st_size < 2 * 2**20
    if declared == "lying":  # local header and central directory say 1 KB
        content = bytearray(bomb.read_bytes())
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            name = content.index(member.encode(), content.index(signature + b""))
            while True:  # the header right before the member's name
                header = content.rindex(signature, 0, name)
                start = header + (30 if offset == 22 else 46)
                if content[start : start + len(member)] == member.encode():
                    break
                name = content.index(member.encode(), name + 1)
            content[header + offset : header + offset + 4] = (1024).to_bytes(4, "little")
        bomb.write_bytes(bytes(content))
        with zipfile.ZipFile(bomb) as check:
            assert check.getinfo(member).file_size == 1024
    (line,) = refusal(bomb)
    assert line.startswith(f"bomb.xlsx: 文件解压后超过 {MAX_UNPACKED_BYTES // 2**20} MB")


def test_files_over_the_size_limit_are_not_read(tmp_path, monkeypatch):
    import importers.sheet

    path = journal(tmp_path / "j.xlsx", ROWS)
    monkeypatch.setattr(importers.sheet, "MAX_FILE_BYTES", path.stat().st_size - 1)
    (line,) = refusal(path)
    assert line.startswith("j.xlsx: 文件过大")


# -- item 9: hidden sheets and rows ---------------------------------------------------------

#: Rows 5–9 of :func:`hidden_book`: rows 6 and 7 cancel out, so a journal without them (or
#: without 8 and 9) still has a running balance that follows.
MONTH = [
    ["2024-01-05", "记-1", "香菇销售款", "经营收入-香菇销售", 100, None, 1100],
    ["2024-01-06", "记-2", "香菇销售款", "经营收入-香菇销售", 100, None, 1200],
    ["2024-01-07", "记-3", "退香菇销售款", "经营收入-香菇销售", None, 100, 1100],
    ["2024-01-08", "记-4", "香菇销售款", "经营收入-香菇销售", 100, None, 1200],
    ["2024-01-09", "记-5", "香菇销售款", "经营收入-香菇销售", 100, None, 1300],
]


def hidden_book(path: Path, state: str | None, rows: list[int]) -> Path:
    """A journal of five movements (rows 5–9) whose ``rows`` are hidden, and a second sheet of
    two movements in ``state`` (no second sheet when ``None``)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "1月"
    for row in [["银行存款日记账"], ["账号:6230****0001"], JOURNAL_HEADER]:
        sheet.append(row)
    sheet.append([None, None, "期初余额", None, None, None, 1000])
    for row in MONTH:
        sheet.append(row)
    for row in rows:
        sheet.row_dimensions[row].hidden = True
    if state is not None:
        other = book.create_sheet("2月")
        other.sheet_state = state
        for row in [["银行存款日记账"], ["账号:6230****0001"], JOURNAL_HEADER]:
            other.append(row)
        other.append([None, None, "期初余额", None, None, None, 1300])
        other.append(["2024-02-05", "记-6", "香菇销售款", "经营收入-香菇销售", 100, None, 1400])
        other.append(["2024-02-06", "记-7", "香菇销售款", "经营收入-香菇销售", 100, None, 1500])
    book.save(path)
    return path


def movements(folder: Path, path: Path, hidden: str) -> list:
    """The transactions the journal importer extracts with ``--hidden`` ``hidden``."""
    existing, _, _ = read(folder / "main.beancount")
    importer = JournalImporter(ImportOptions(create_accounts=True, hidden=hidden))
    return [e for e in importer.extract(str(path), existing) if hasattr(e, "postings")]


@pytest.mark.parametrize(
    ("state", "rows", "lines"),
    [
        ("hidden", [], ["h.xlsx:2月: 工作表被隐藏 (hidden)"]),
        ("veryHidden", [], ["h.xlsx:2月: 工作表被深度隐藏 (very hidden)"]),
        (None, [7, 8, 9], ["h.xlsx:1月: 第 7–9 行被隐藏 (hidden rows)"]),
        (None, [6, 8, 9], ["h.xlsx:1月: 第 6 行被隐藏", "h.xlsx:1月: 第 8–9 行被隐藏"]),
        ("hidden", [5], ["h.xlsx:1月: 第 5 行被隐藏", "h.xlsx:2月: 工作表被隐藏"]),
    ],
)
def test_hidden_sheets_and_rows_are_refused_by_default(
    ledgers, folder, tmp_path, state, rows, lines
):
    path = hidden_book(tmp_path / "h.xlsx", state, rows)
    before = snapshot(folder)
    with pytest.raises(ImportRefused) as refused:
        import_files(folder, [path], create_accounts=True)
    found = [str(p) for p in refused.value.problems]
    assert len(found) == len(lines)
    for line, expected in zip(sorted(found), lines, strict=True):
        assert line.startswith(expected), line
        assert line.endswith("用 --hidden include 一并导入, 或 --hidden skip 跳过")
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("state", "rows", "included", "skipped"),
    [
        ("hidden", [], 7, 5),
        ("veryHidden", [], 7, 5),
        ("visible", [], 7, 7),
        (None, [6, 7], 5, 3),
        (None, [8, 9], 5, 3),
        ("hidden", [9], 7, 4),
    ],
)
def test_include_or_skip_what_is_hidden(folder, tmp_path, state, rows, included, skipped):
    path = hidden_book(tmp_path / "h.xlsx", state, rows)
    assert len(movements(folder, path, "include")) == included
    kept = movements(folder, path, "skip")
    assert len(kept) == skipped
    assert not {int(e.meta["row"]) for e in kept if e.meta["sheet"] == "1月"} & set(rows)


def test_skipped_rows_keep_their_row_numbers(folder, tmp_path):
    path = hidden_book(tmp_path / "h.xlsx", None, [6, 7])
    kept = [e for e in movements(folder, path, "skip") if e.meta["sheet"] == "1月"]
    assert [int(e.meta["row"]) for e in kept] == [5, 8, 9]


def test_hidden_empty_rows_and_hidden_sheets_without_data_are_no_problem(folder, tmp_path):
    path = hidden_book(tmp_path / "h.xlsx", None, [12, 13])
    book = openpyxl.load_workbook(path)
    book.create_sheet("下拉选项").sheet_state = "hidden"
    book["下拉选项"].append(["经营收入", "管理费用"])
    book.save(path)
    assert len(movements(folder, path, "refuse")) == 5


def test_a_hidden_column_the_import_reads_is_refused(folder, tmp_path):
    path = hidden_book(tmp_path / "h.xlsx", None, [])
    book = openpyxl.load_workbook(path)
    book["1月"].column_dimensions["E"].hidden = True
    book.save(path)
    with pytest.raises(ImportRefused, match=r"h.xlsx:1月: E列\(借方金额\)被隐藏"):
        movements(folder, path, "refuse")
    assert len(movements(folder, path, "include")) == 5


# -- item 10: amounts -------------------------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def grouped(number: Decimal, separator: str = ",") -> str:
    whole, _, cents = f"{abs(number):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ("-" if number < 0 else "") + separator.join(groups) + "." + cents


def full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789,.-", "０１２３４５６７８９，．－"))


def spellings(number: Decimal) -> list[object]:
    """Ways accountants write ``number``: they all mean exactly it."""
    plain = f"{number:.2f}"
    forms = [
        plain,
        str(int(number)) if number == number.to_integral() else plain,
        grouped(number),
        grouped(number, " "),
        "￥" + grouped(number),
        plain + "元",
        full_width(grouped(number)),
        plain + "0",  # a trailing zero
        float(plain),
    ]
    if number < 0:
        forms.append(f"({grouped(-number)})")
    return forms


@settings(max_examples=300, deadline=None)
@given(amounts)
def test_every_spelling_of_an_amount_reads_exactly(number):
    for form in spellings(number):
        assert parse_amount(form) == number, form


@settings(max_examples=300, deadline=None)
@given(amounts, st.integers(1, 9), st.integers(3, 6))
def test_more_than_two_decimals_are_refused(number, digit, place):
    text = f"{number:.2f}" + "0" * (place - 3) + str(digit)
    forms: list[object] = [text, full_width(text)]
    off_cent = Decimal(repr(float(text))) - Decimal(text).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if abs(off_cent) > float_slack(float(text)):
        forms.append(float(text))  # a float cell, unless it is within its slack of a cent
    for form in forms:
        with pytest.raises(CellError, match="多于两位小数"):
            parse_amount(form)


@settings(max_examples=200, deadline=None)
@given(amounts.filter(lambda d: abs(d) >= 1000))
def test_what_is_not_an_accountants_number_is_refused(number):
    plain = f"{number:.2f}"
    whole = plain.split(".")[0].lstrip("-")
    bad = [
        plain[:2] + "_" + plain[2:],  # Python's digit separator
        f"{number:e}",
        f"{number:E}".replace("E", "E+", 1) if "E-" not in f"{number:E}" else f"{number:E}",
        plain + ".5",
        "0x" + whole,
        whole[:-2] + "," + whole[-2:] + ".00",  # separator in the wrong place
    ]
    if abs(number) >= 10**6:
        bad.append(grouped(number).replace(",", "", 1))  # a separator left out
    for form in bad:
        with pytest.raises(CellError, match="金额"):
            parse_amount(form)


@pytest.mark.parametrize(
    "text", ["inf", "-Infinity", "nan", "sNaN", "1,23,456", "1,23,4", "1.000,50", "(-5)", "+-5"]
)
def test_special_numbers_and_foreign_grouping_are_refused(text):
    with pytest.raises(CellError, match="金额"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.1 + 0.2, "0.30"), (1234567.89 + 0.01, "1234567.90"), (0.07 * 3, "0.21"), (86.42, "86.42")],
)
def test_float_artefacts_of_formulas_are_taken_to_the_cent(value, expected):
    assert parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("12.345", "金额 “12.345” 多于两位小数"),
        (12.345, "金额 “12.345” 多于两位小数"),
        ("1_00", "金额 “1_00” 无法识别"),
        ("1e2", "金额 “1e2” 无法识别"),
    ],
)
def test_amount_problems_name_file_sheet_row_and_column(tmp_path, cell, message):
    rows = [["2024-01-05", "记-1", "收款", "经营收入-香菇销售", cell, None, 1100]]
    path = journal(tmp_path / "bad.xlsx", rows)
    header = find_header(open_workbook(path).sheets[0], [JournalColumns])
    problems: list[Problem] = []
    list(records(header, path.name, problems))
    (line,) = [str(p) for p in problems]
    assert line.startswith(f"bad.xlsx:1月:5: E列(借方金额): {message}")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(amounts.filter(lambda d: d > 0), min_size=1, max_size=4))
def test_amounts_import_exactly_through_a_sheet(tmp_path, values):
    rows = [
        [f"2024-01-{i + 5:02d}", f"记-{i}", "收款", "经营收入-香菇销售", grouped(v), None, None]
        for i, v in enumerate(values)
    ]
    path = journal(tmp_path / "amounts.xlsx", rows)
    header = find_header(open_workbook(path).sheets[0], [JournalColumns])
    problems: list[Problem] = []
    found = [r.values["inflow"] for r in records(header, path.name, problems) if not r.opening]
    assert problems == []
    assert found == values


# -- other formats and damaged files ----------------------------------------------------------

ODS_CELL = (
    '<table:table-cell office:value-type="float" office:value="1">'
    "<text:p>1</text:p></table:table-cell>"
)
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_TYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods(path: Path, rows: str) -> Path:
    """An .ods file whose one table ``1月`` holds the given ``<table:table-row>`` elements."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="1月">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODS_TYPE)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def test_ods_repeats_count_and_hidden_rows_are_found(tmp_path):
    wide = '<table:table-cell table:number-columns-repeated="999"/>'
    repeated = f'<table:table-row table:number-rows-repeated="300000">{wide}{ODS_CELL}'
    first = f"<table:table-row>{ODS_CELL}</table:table-row>"
    attack = ods(tmp_path / "a.ods", f"{first}{repeated}</table:table-row>")
    assert "过大 (300001 行 × 1000 列" in refusal(attack)[0]
    hidden = f'<table:table-row table:visibility="collapse">{ODS_CELL}</table:table-row>'
    empty = (  # what LibreOffice writes below the data
        '<table:table-row table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    (sheet,) = open_workbook(ods(tmp_path / "h.ods", first + hidden + empty)).sheets
    assert (len(sheet.rows), sheet.hidden_rows) == (2, frozenset({2}))


@pytest.fixture
def xlsx_bytes(tmp_path: Path) -> bytes:
    return journal(tmp_path / "j.xlsx", ROWS).read_bytes()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_damaged_files_are_refused_in_one_line(tmp_path, xlsx_bytes, data):
    """Truncated or altered anywhere, a file is read or refused in one line, never a crash."""
    content = bytearray(xlsx_bytes)
    cut = data.draw(st.integers(0, len(content)))
    flips = data.draw(
        st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)), max_size=4)
    )
    for index, value in flips:
        content[index] = value
    path = tmp_path / f"damaged-{cut}.xlsx"
    path.write_bytes(bytes(content[:cut]) if not flips else bytes(content))
    try:
        open_workbook(path)
    except ImportRefused as refused:
        assert len(refused.problems) == 1


@pytest.mark.parametrize(("choice", "added"), [("include", 7), ("skip", 5)])
def test_the_import_command_takes_hidden(ledgers, folder, tmp_path, choice, added):
    path = hidden_book(tmp_path / "h.xlsx", "hidden", [])
    before = snapshot(folder)
    refused = run_cli("import", str(folder), str(path), "--create-accounts", ledgers=ledgers)
    assert refused.exit_code == 1
    assert "工作表被隐藏" in refused.output
    assert snapshot(folder) == before
    result = run_cli(
        "import", str(folder), str(path), "--create-accounts", "--hidden", choice, ledgers=ledgers
    )
    assert result.exit_code == 0, result.output
    entries, _, _ = read(folder / "main.beancount")
    imported = [e for e in entries if hasattr(e, "postings") and "import_key" in e.meta]
    assert len(imported) == added
