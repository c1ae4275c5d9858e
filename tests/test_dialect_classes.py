"""The classes of unseen spreadsheets that were refused (issue 16), each tested as a class:
carried and summary balance rows, bank statement footers, account cells in every form, a
village's own header words (import-columns.csv), and three disagreements found alongside
(the refusal's proposed accounts, the township register's missing villages, beangulp's
"Exception in importer code")."""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path

import beangulp
import pytest
from beancount.core import data
from click.testing import CliRunner

from importers import beangulp_importers
from importers.accounts import AccountBook
from importers.run import import_files
from importers.sheet import ImportRefused
from tests.dialects.corpus import ACCOUNTS, account_cell, corpus_village
from tests.importkit import JOURNAL_HEADER, snapshot, village, workbook

TITLE = [["东山村银行存款日记账"], ["开户行:青石农商行 账号:6230****0001"]]
ROWS = [
    ["2024-01-05", "记-1", "收到香菇销售款", "经营收入-香菇销售", 500, None, 1500],
    ["2024-01-08", "记-2", "购办公用品", "管理费用-办公费", None, 200, 1300],
]


def journal(path: Path, rows: list[list]) -> Path:
    return workbook(path, {"1月": [*TITLE, JOURNAL_HEADER, *rows]})


def refusal(folder: Path, path: Path, **options) -> list[str]:
    """The refusal's lines; the ledger must be left as it was."""
    before = snapshot(folder)
    with pytest.raises(ImportRefused) as refused:
        import_files(folder, [path], **options)
    assert snapshot(folder) == before
    return [str(p) for p in refused.value.problems]


def balances(report) -> list[tuple[datetime.date, str]]:
    (file,) = report.files
    return [(e.date, str(e.amount.number)) for e in file.added if isinstance(e, data.Balance)]


# -- carried balances and summary rows -----------------------------------------------------

CARRIED = ["上年结转", "上年结余", "承上年", "期初余额", "承前页", "上月结转", "年初余额"]
SPELLINGS = [lambda w: w, lambda w: " ".join(w), lambda w: f"\u3000{w}\u00a0"]


@pytest.mark.parametrize(
    ("word", "spell", "dated"), list(itertools.product(CARRIED, SPELLINGS, [False, True]))
)
def test_a_carried_balance_row_is_the_opening_balance_check(ledgers, tmp_path, word, spell, dated):
    folder = village(ledgers)  # the ledger opens the bank account with 1 000.00
    carried = ["2024-01-01" if dated else None, None, spell(word), None, None, None, 1000]
    report = import_files(
        folder, [journal(tmp_path / "j.xlsx", [carried, *ROWS])], create_accounts=True
    )
    (file,) = report.files
    assert len([e for e in file.added if isinstance(e, data.Transaction)]) == 2
    opening = next(e for e in file.added if isinstance(e, data.Balance))
    assert (opening.date, opening.amount.number, opening.meta["row"]) == (
        datetime.date(2024, 1, 5),
        1000,
        4,
    )


SUMMARIES = ["本月合计", "本季合计", "本年累计", "过次页", "结转下年", "本 月 合 计"]


@pytest.mark.parametrize("word", SUMMARIES)
def test_a_summary_row_stating_only_a_balance_is_checked(ledgers, tmp_path, word):
    folder = village(ledgers)
    good = journal(
        tmp_path / "good.xlsx", [*ROWS, ["2024-01-31", None, word, None, None, None, 1300]]
    )
    assert import_files(folder, [good], create_accounts=True).added
    folder = village(ledgers, "青石镇/西河村")
    bad = journal(tmp_path / "bad.xlsx", [*ROWS, [None, None, word, None, None, None, 1350]])
    (line,) = refusal(folder, bad, create_accounts=True)
    assert line.startswith("bad.xlsx:1月:6: G列(余额): 本行所记余额 1,350.00 与上一行余额 1,300.00")


@pytest.mark.parametrize(
    ("inflow", "outflow", "wrong"), [(500, 200, ""), (500, 250, "F"), (400, 200, "E")]
)
def test_a_monthly_total_is_checked_against_the_months_rows(
    ledgers, tmp_path, inflow, outflow, wrong
):
    folder = village(ledgers)
    rows = [
        *ROWS,
        [None, None, "本月合计", None, inflow, outflow, 1300],
        [None, None, "本年累计", None, 1, 2, 1300],
    ]
    path = journal(tmp_path / "j.xlsx", rows)
    if not wrong:
        assert len(balances(import_files(folder, [path], create_accounts=True))) == 2
        return
    (line,) = refusal(folder, path, create_accounts=True)
    assert re.match(rf"j.xlsx:1月:6: {wrong}列\(.*\): 本月合计 .* 与本月各行合计 .* 不符", line), (
        line
    )


# -- bank statement footers ----------------------------------------------------------------

STATEMENT = [
    ["青石农商银行 账户交易明细"],
    ["账号: 6230****0001"],
    ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额"],
    ["20240105", "货款", "县农贸有限公司", None, 500, 1500],
    ["20240108", "办公用品", "青石镇文具店", 200, None, 1300],
]
FOOTERS = [
    ["借方笔数: 1", None, "贷方笔数: 1"],
    ["借方笔数:", 1, "贷方笔数:", 1],
    ["借方发生额合计", None, None, 200, 500],
    ["本页小计", None, None, 200, 500, 1300],
    ["打印时间: 2024-03-01 10:22:31"],
    ["打印时间:", "2024-03-01"],
    ["以上数据仅供参考, 以银行记账为准"],
    ["经办:", "张三", "复核:", "李四"],
    [None, None, "(银行业务专用章)"],
]


@pytest.mark.parametrize("count", [1, 2, len(FOOTERS)])
def test_footer_lines_after_the_last_row_are_skipped(ledgers, tmp_path, count):
    folder = village(ledgers)
    footers = [FOOTERS[(count * 3 + i) % len(FOOTERS)] for i in range(count)]
    path = workbook(tmp_path / "s.xlsx", {"明细": [*STATEMENT, *footers]})
    report = import_files(folder, [path])
    assert len(report.flagged) == 2 and report.added == 2 + len(balances(report))


def test_a_row_with_a_date_and_an_amount_is_data_wherever_it_is(ledgers, tmp_path):
    folder = village(ledgers)
    late = ["20240120", "季度结息 经办柜员", "青石农商行", None, 3.5, 1303.5]
    path = workbook(tmp_path / "s.xlsx", {"明细": [*STATEMENT, FOOTERS[0], late, FOOTERS[4]]})
    report = import_files(folder, [path])
    assert [t.narration for _, t in report.flagged] == ["货款", "办公用品", "季度结息 经办柜员"]
    unreadable = ["2024-13-20", "支付会计培训费", "县财政局", 100, None, 1200]
    path = workbook(tmp_path / "t.xlsx", {"明细": [*STATEMENT, FOOTERS[0], unreadable]})
    (line,) = refusal(village(ledgers, "青石镇/西河村"), path)
    assert line.startswith("t.xlsx:明细:7: A列(交易日期): 日期 “2024-13-20” 不存在")


# -- account cells -----------------------------------------------------------------------------

FORMS = [
    "code_path", "lead_space", "slash", "backslash", "underscore", "code_only", "path_only",
    "full_width", "note", "bracket", "dotted", "leaf", "nbsp",
]  # fmt: skip


def test_every_account_cell_form_names_the_account():
    opened = [
        data.Open({}, datetime.date(2024, 1, 1), account, ["CNY"], None)
        for _, account in ACCOUNTS.values()
    ]
    book = AccountBook(opened)
    when = datetime.date(2024, 1, 5)
    for code, (_, account) in ACCOUNTS.items():
        for form in FORMS:
            cell = account_cell(code, form)
            assert book.resolve("", cell, when, False) == (account, ""), (form, cell)
        if len(code) > 3:  # code in one column, the name path in another
            path = "-".join(ACCOUNTS[code][0])
            assert book.resolve(f" {code}\u3000", path, when, False) == (account, "")


# -- a village's own header words --------------------------------------------------------------

OWN_HEADER = ["记帐日", "凭证号", "摘要", "对方科目", "收方", "付方", "结余额"]


def test_an_unknown_header_is_refused_helpfully_then_mapped(ledgers, tmp_path):
    folder = corpus_village(ledgers)
    rows = [
        ["2024-01-05", "记-1", "收到香菇销售款", "50101 经营收入-香菇销售", 500, None, 186920.5]
    ]
    path = workbook(tmp_path / "own.xlsx", {"1月": [*TITLE, OWN_HEADER, *rows]})
    (line,) = refusal(folder, path)
    assert line.startswith("own.xlsx: 认不出这张表")
    assert "找到的表头 (found) “记帐日|凭证号|摘要|对方科目|收方|付方|结余额”" in line
    assert "缺少 (expected) 日期、借方金额、贷方金额" in line and "import-columns.csv" in line
    (folder / "import-columns.csv").write_text(
        "表头,字段\n记帐日,日期\n收方,借方\n付方,贷方\n结余额,余额\n", "utf-8"
    )
    (file,) = import_files(folder, [path]).files
    assert file.kind == "日记账"
    assert [type(e).__name__ for e in file.added] == ["Transaction", "Balance", "Balance"]
    (folder / "import-columns.csv").write_text("表头,字段\n结余额,余款\n", "utf-8")
    (line,) = refusal(folder, path)
    assert line.startswith("import-columns.csv::2: 表头为空, 或字段 “余款” 不是已知的表头")


# -- the refusal proposes what --create-accounts opens -----------------------------------------


def test_the_refusal_proposes_exactly_the_accounts_create_accounts_opens(ledgers, tmp_path):
    names = [
        "管理费用-差旅费",
        "51303 管理费用-邮电费",
        "管理费用-会议费",
        "管理费用-通讯费",
        "管理费用-差旅费",
    ]
    rows = [
        [f"2024-01-{10 + i}", f"记-{i}", "付款", name, None, 10, 990 - 10 * i]
        for i, name in enumerate(names)
    ]
    folder = village(ledgers)
    lines = refusal(folder, journal(tmp_path / "j.xlsx", rows))
    proposed = {
        m for line in lines for m in re.findall(r"缺少科目 \(missing account\) (\S+);", line)
    }
    assert len(proposed) == 4 and len({a.rsplit(":", 1)[1][:5] for a in proposed}) == 4
    report = import_files(folder, [journal(tmp_path / "j.xlsx", rows)], create_accounts=True)
    assert set(report.opened) == proposed


# -- the township register names each missing village once -------------------------------------

REGISTER_HEADER = [
    "序号",
    "村",
    "第一书记",
    "派出单位",
    "资金名称",
    "协调金额",
    "实际到账金额",
    "到账日期",
]


def register(path: Path, names: list[str]) -> Path:
    rows = [["青石镇帮扶资金台账(2024年)"], REGISTER_HEADER]
    for number, name in enumerate(names, 1):
        rows.append([number, name, "王书记", f"单位{number}", "帮扶资金", 1000, 1000, "2024-03-01"])
    return workbook(path, {"2024年": rows})


@pytest.mark.parametrize("villages", [["东山村"], ["东山村", "南岭村"]])
def test_a_register_row_of_a_village_without_a_ledger_is_refused_once(ledgers, tmp_path, villages):
    folders = [village(ledgers, f"青石镇/{name}") for name in villages]
    path = register(tmp_path / "台账.xlsx", ["东山村", "西河村", "北坡村", "西河村"])
    lines = refusal(ledgers / "青石镇", path)
    assert [re.search("村 “(.*?)”", line)[1] for line in lines] == ["西河村", "北坡村"]
    assert lines[0].startswith("台账.xlsx:2024年:4:") and "(另有 1 行: 6)" in lines[0]
    report = import_files(folders[0], [path])  # into one village: the others' rows are counted
    assert report.other_villages == 6


# -- beangulp's own command line ---------------------------------------------------------------


def test_beangulp_extract_prints_the_refusal_not_a_traceback(ledgers, tmp_path):
    folder = village(ledgers)
    bad = journal(
        tmp_path / "bad.xlsx", [*ROWS, ["2024-02-30", "记-3", "付款", "管理费用", None, 1, 1299]]
    )
    ingest = beangulp.Ingest(beangulp_importers(folder, create_accounts=True))
    result = CliRunner().invoke(ingest.cli, ["extract", str(bad)])
    assert "Exception in importer code" not in result.output and "Traceback" not in result.output
    assert "  bad.xlsx:1月:6: A列(日期): 日期 “2024-02-30” 不存在 (no such date)" in result.output
    good = journal(tmp_path / "good.xlsx", ROWS)
    result = CliRunner().invoke(ingest.cli, ["extract", str(good)])
    assert result.exit_code == 0 and "收到香菇销售款" in result.output
