"""The shared sheet reader: header synonyms, date and amount forms, total rows, units."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import KINDS
from importers.base import recognise
from importers.movements import JournalColumns, StatementColumns
from importers.register import RegisterColumns
from importers.sheet import (
    CellError,
    ImportRefused,
    Problem,
    find_header,
    open_workbook,
    parse_amount,
    parse_date,
    records,
)
from importers.vouchers import VoucherColumns
from tests.importkit import JOURNAL_HEADER, workbook


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2024, 1, 5),
        datetime.datetime(2024, 1, 5, 0, 0),
        "2024-01-05",
        "2024-1-5",
        "2024年1月5日",
        "2024 年 1 月 5 日",
        "2024.01.05",
        "2024/1/5",
        "20240105",
        20240105,
        45296.0,  # an Excel serial date without a date format
        "２０２４年１月５日",  # full-width digits
    ],
)
def test_every_date_form(value):
    assert parse_date(value) == datetime.date(2024, 1, 5)


@pytest.mark.parametrize("value", ["2024-13-05", "2024-02-30", "明天", "2024", "1.5", True])
def test_bad_dates_say_what_was_expected(value):
    with pytest.raises(CellError, match="日期"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (38600, "38600.00"),
        (86.42, "86.42"),
        (0.1 + 0.2, "0.30"),
        ("38,600.00", "38600.00"),
        ("￥38,600.00", "38600.00"),
        ("¥1,280", "1280.00"),
        ("1280元", "1280.00"),
        ("３８，６００．００", "38600.00"),  # full-width digits and separators
        ("-", "0.00"),
        ("—", "0.00"),
        ("(1,200.00)", "-1200.00"),
        ("-45.5", "-45.50"),
        (" 12 345.60 ", "12345.60"),
        ("3万元", "30000.00"),
    ],
)
def test_every_amount_form(value, expected):
    assert parse_amount(value) == Decimal(expected)


def test_empty_amounts_are_none():
    assert parse_amount("") is None
    assert parse_amount(None) is None


def test_wan_yuan_is_exact():
    assert parse_amount(12.3456, Decimal(10000)) == Decimal("123456.00")
    assert parse_amount("0.01", Decimal(10000)) == Decimal("100.00")


@pytest.mark.parametrize("value", ["12x", "1.2.3", "abc", "NaN", "1e30", datetime.date(2024, 1, 1)])
def test_bad_amounts_say_what_was_expected(value):
    with pytest.raises(CellError, match="金额"):
        parse_amount(value)


def rows_of(path: Path, dialect=JournalColumns):
    book = open_workbook(path)
    header = find_header(book.sheets[0], [dialect])
    assert header is not None
    problems: list[Problem] = []
    return header, list(records(header, path.name, problems)), problems


@pytest.mark.parametrize(
    "words",
    [
        JOURNAL_HEADER,
        ["记账日期", "凭证编号", "内容摘要", "会计科目", "收入金额", "支出金额", "结余", "项目"],
        ["凭证日期", "凭证号", "摘要", "科目", "借方", "贷方", "账户余额", "项目代码"],
        ["日 期", "摘  要", "对方科目", "借方金额(元)", "贷方金额(元)", "余额(元)"],
    ],
)
def test_header_found_by_synonyms_not_positions(tmp_path, words):
    path = workbook(
        tmp_path / "j.xlsx",
        {"Sheet": [["某村现金日记账"], ["注: 单位 元"], [], words]},
    )
    header, _, _ = rows_of(path)
    assert header.index == 3
    assert {"date", "summary", "counter", "inflow", "outflow"} <= header.columns.keys()


def test_total_carried_blank_and_signature_rows_are_skipped(tmp_path):
    rows = [
        ["2024年1月", None, None, None, None, None, None],
        JOURNAL_HEADER,
        [None, None, "上年结转", None, None, None, 100],
        ["2024-01-05", "记-1", "收款", "经营收入-香菇销售", 50, None, 150],
        [None, None, "过次页", None, 50, 0, 150],
        [None, None, "承前页", None, 50, 0, 150],
        [],
        ["2024-01-06", "记-2", "付款", "管理费用-办公费", None, 20, 130],
        [None, None, "本月合计", None, 50, 20, 130],
        [None, None, "小计", None, 50, 20, 130],
        [None, None, "本年累计", None, 50, 20, 130],
        [None, None, "累计", None, 50, 20, 130],
        [None, None, "合计", None, 50, 20, 130],
        [None, None, "结转下年", None, None, None, 130],
        ["会计: 赵会计", None, "出纳: 钱出纳", None, None, None, None],
    ]
    _, found, problems = rows_of(workbook(tmp_path / "j.xlsx", {"1月": rows}))
    assert problems == []
    movements = [r for r in found if not r.opening]
    assert [r.row for r in movements] == [4, 8]
    # 上年结转, 承前页 and 结转下年 (a balance and no amount) are balance checks
    balances = [r.values["balance"] for r in found if r.opening]
    assert balances == [Decimal(100), Decimal(150), Decimal(130)]


def test_a_dated_row_with_an_account_starting_like_a_total_is_kept(tmp_path):
    rows = [JOURNAL_HEADER, ["2024-01-05", "记-1", "计提折旧", "累计折旧", None, 30, 70]]
    _, found, _ = rows_of(workbook(tmp_path / "j.xlsx", {"1月": rows}))
    assert [r.values["counter"] for r in found] == ["累计折旧"]


def test_units_from_a_line_above_or_the_header_cell(tmp_path):
    register = [["序号", "村", "第一书记", "派出单位", "资金名称", "协调金额", "实际到账金额"]]
    line = workbook(
        tmp_path / "a.xlsx",
        {"s": [["单位:万元"], *register, [1, "东山村", "王", "局", "帮扶资金", 30, 1.5]]},
    )
    _, found, _ = rows_of(line, RegisterColumns)
    assert found[0].values["pledged"] == Decimal("300000.00")
    assert found[0].values["landed"] == Decimal("15000.00")
    cell = [
        ["序号", "村", "第一书记", "派出单位", "资金名称", "协调金额(万元)", "实际到账金额（元）"]
    ]
    in_header = workbook(
        tmp_path / "b.xlsx", {"s": [*cell, [1, "东山村", "王", "局", "帮扶资金", 2, 500]]}
    )
    _, found, _ = rows_of(in_header, RegisterColumns)
    assert found[0].values["pledged"] == Decimal("20000.00")
    assert found[0].values["landed"] == Decimal("500.00")


def test_hand_ledger_with_two_row_header_month_day_and_side(tmp_path):
    """三栏式: 2024年 above 月 and 日, 凭证 above 字 and 号, 借或贷 beside 余额."""
    rows = [
        ["现金日记账"],
        ["2024年", None, "凭证", None, "摘要", "对方科目", "借方", "贷方", "借或贷", "余额"],
        ["月", "日", "字", "号", None, None, None, None, None, None],
        [None, None, None, None, "上年结转", None, None, None, "借", 500],
        [1, 5, "记", 1, "收回借款", "应收款-张三", 200, None, "借", 700],
        [1, 9, "记", 2, "付办公费", "管理费用-办公费", None, 50, "借", 650],
    ]
    merged = {"1月": ["A2:B2", "C2:D2", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "I2:I3", "J2:J3"]}
    path = workbook(tmp_path / "hand.xlsx", {"1月": rows}, merged)
    header, found, problems = rows_of(path)
    assert problems == []
    assert header.year == 2024
    movements = [r for r in found if not r.opening]
    assert [r.values["date"] for r in movements] == [
        datetime.date(2024, 1, 5),
        datetime.date(2024, 1, 9),
    ]
    assert [(r.values["voucher_word"], r.values["voucher"]) for r in movements] == [
        ("记", "1"),
        ("记", "2"),
    ]


def test_cell_problems_name_file_sheet_row_and_column(tmp_path):
    rows = [JOURNAL_HEADER, ["2024-01-32", "记-1", "收款", "经营收入", "12x", None, 100]]
    _, _, problems = rows_of(workbook(tmp_path / "bad.xlsx", {"一月": rows}))
    assert [str(p) for p in problems] == [
        "bad.xlsx:一月:2: A列(日期): 日期 “2024-01-32” 不存在 (no such date)",
        "bad.xlsx:一月:2: E列(借方金额): 金额 “12x” 无法识别 (invalid amount), "
        "应为数字, 如 38,600.00",
    ]


def test_kinds_are_recognised_by_content(tmp_path):
    statement = [
        ["账户交易明细"],
        ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额"],
    ]
    vouchers = [["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"]]
    journal = [["银行存款日记账"], JOURNAL_HEADER]
    register = [["村", "派出单位", "协调金额", "实际到账金额"]]
    notes = [["填表说明"], ["本表由村报账员填写"]]
    for rows, dialect in [
        (statement, StatementColumns),
        (vouchers, VoucherColumns),
        (journal, JournalColumns),
        (register, RegisterColumns),
    ]:
        path = workbook(tmp_path / "x.xlsx", {"说明": notes, "数据": rows})
        assert recognise(open_workbook(path), KINDS).dialect is dialect
    assert recognise(open_workbook(workbook(tmp_path / "n.xlsx", {"说明": notes})), KINDS) is None


def test_a_journal_without_counter_account_is_not_read_as_a_statement(tmp_path):
    rows = [["银行存款日记账"], ["日期", "摘要", "借方金额", "贷方金额", "余额", "对方户名"]]
    assert recognise(open_workbook(workbook(tmp_path / "j.xlsx", {"s": rows})), KINDS) is None


def test_corrupt_and_renamed_csv_files_are_refused_in_one_line(tmp_path):
    csv = tmp_path / "renamed.xlsx"
    csv.write_text("日期,摘要,借方\n2024-01-05,收款,100\n", "utf-8")
    with pytest.raises(ImportRefused) as refused:
        open_workbook(csv)
    assert len(refused.value.problems) == 1
    assert "CSV" in str(refused.value)
    truncated = tmp_path / "truncated.xlsx"
    good = workbook(tmp_path / "good.xlsx", {"s": [JOURNAL_HEADER]})
    truncated.write_bytes(good.read_bytes()[:400])
    with pytest.raises(ImportRefused, match="损坏"):
        open_workbook(truncated)


cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.sampled_from(
        ["合计", "期初余额", "日期", "摘要", "借方", "贷方", "余额", "对方科目", "-", "1,000"]
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cell_values, max_size=8), max_size=12), st.booleans())
def test_random_sheets_never_crash_the_reader(tmp_path, rows, with_header):
    """Whatever a sheet holds, reading it ends in rows or problems, never in an exception."""
    clean = [
        [v if not isinstance(v, str) else "".join(ch for ch in v if ch.isprintable()) for v in row]
        for row in rows
    ]
    if with_header:
        clean.insert(len(clean) // 2, list(JOURNAL_HEADER))
    path = workbook(tmp_path / "random.xlsx", {"s": clean})
    book = open_workbook(path)
    for sheet in book.sheets:
        header = find_header(sheet, [kind.dialect for kind in KINDS])
        if header is not None:
            problems: list[Problem] = []
            for record in records(header, path.name, problems):
                assert record.row >= 1
            assert all(isinstance(p, Problem) and p.message for p in problems)
