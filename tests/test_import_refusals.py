"""All or nothing: refused imports leave the ledger byte for byte; re-imports add only new rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from importers.run import import_files
from importers.sheet import ImportRefused
from tests.conftest import CUNZHANG, run_cli
from tests.importkit import JOURNAL_HEADER, journal, snapshot, village, workbook

GOOD = [
    ["2024-01-05", "记-1", "收到香菇销售款", "经营收入-香菇销售", 500, None, 1500],
    ["2024-01-08", "记-2", "购办公用品", "管理费用-办公费", None, 200, 1300],
]


@pytest.fixture
def folder(ledgers: Path) -> Path:
    return village(ledgers)


def refused(ledgers: Path, folder: Path, *args: str) -> list[str]:
    """Run an import that must be refused; the ledger must not change at all."""
    before = snapshot(folder)
    result = run_cli("import", "青石镇/东山村", *args, ledgers=ledgers)
    assert result.exit_code == 1, result.stdout
    assert snapshot(folder) == before
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()[:-1]  # the last line is the summary


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["2024-02-30", "记-3", "付款", "管理费用-办公费", None, 100, 1200],
            "1月:7: A列(日期): 日期 “2024-02-30” 不存在",
        ),
        (
            ["2024-01-09", "记-3", "付款", "管理费用-办公费", None, "1OO", 1200],
            "1月:7: F列(贷方金额): 金额 “1OO” 无法识别",
        ),
        (
            ["2024-01-09", "记-3", "付款", "管理费用-办公费", 100, 100, 1300],
            "1月:7: E列(借方金额)和F列(贷方金额)都有金额",
        ),
        (
            ["2024-01-09", "记-3", "付款", "管理费用-办公费", None, 100, 1250],
            "1月:7: G列(余额): 余额 1,250.00 与上一行余额 1,300.00 - 本行 100.00 = 1,200.00 不符",
        ),
        (
            ["2024-01-09", "记-3", "付款", "不存在的科目-办公费", None, 100, 1200],
            "1月:7: 对方科目 “不存在的科目-办公费”: 不存在的科目 不是一级科目",
        ),
    ],
)
def test_bad_rows_are_refused_with_file_sheet_row(ledgers, folder, tmp_path, row, message):
    path = journal(tmp_path / "bad.xlsx", [*GOOD, row])
    lines = refused(ledgers, folder, str(path), "--create-accounts")
    assert any(line.startswith(f"bad.xlsx:{message}") for line in lines), lines


def test_missing_accounts_are_listed_without_create_accounts(ledgers, folder, tmp_path):
    lines = refused(ledgers, folder, str(journal(tmp_path / "j.xlsx", GOOD)))
    assert lines == [
        "j.xlsx:1月:5: 对方科目 “经营收入-香菇销售”: 缺少科目 (missing account) "
        "Income:501-经营收入:50101-香菇销售; 加 --create-accounts 开设",
        "j.xlsx:1月:6: 对方科目 “管理费用-办公费”: 缺少科目 (missing account) "
        "Expenses:513-管理费用:51301-办公费; 加 --create-accounts 开设",
    ]


def test_unbalanced_voucher_is_refused(ledgers, folder, tmp_path):
    rows = [
        ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"],
        ["2024-01-06", "记-001", "销售", "10201", "银行存款-青石农商行", 450, None],
        [None, None, None, "501", "经营收入", None, 400],
    ]
    path = workbook(tmp_path / "v.xlsx", {"凭证列表": rows})
    lines = refused(ledgers, folder, str(path))
    assert lines == [
        "v.xlsx:凭证列表:2: 凭证 记-001 借方合计 450.00 与贷方合计 400.00 不等, "
        "差 50.00 (unbalanced voucher)"
    ]


def test_no_header_truncated_and_renamed_csv_files(ledgers, folder, tmp_path):
    notes = workbook(tmp_path / "notes.xlsx", {"说明": [["这是说明"], ["没有表头"]]})
    assert refused(ledgers, folder, str(notes))[0].startswith("notes.xlsx: 认不出这张表")
    csv = tmp_path / "csv.xlsx"
    csv.write_text(",".join(JOURNAL_HEADER) + "\n2024-01-05,1,x,y,1,,1\n", "utf-8")
    assert refused(ledgers, folder, str(csv)) == [
        next(line for line in refused(ledgers, folder, str(csv)) if "CSV" in line)
    ]
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(journal(tmp_path / "whole.xlsx", GOOD).read_bytes()[:500])
    (line,) = refused(ledgers, folder, str(truncated))
    assert line.startswith("cut.xlsx: 无法打开: 损坏或不是 Excel 表格")


def test_balance_that_disagrees_with_the_ledger_is_refused(ledgers, folder, tmp_path):
    """The sheet's opening balance 900 is not the ledger's 1000: Beancount's check refuses it."""
    path = journal(
        tmp_path / "j.xlsx",
        [["2024-01-05", "记-1", "收款", "经营收入-香菇销售", 500, None, 1400]],
        opening=900,
    )
    lines = refused(ledgers, folder, str(path), "--create-accounts")
    assert lines[0].startswith("j.xlsx:1月:4: 余额核对失败")


def test_a_problem_in_one_file_refuses_all_files(ledgers, folder, tmp_path):
    good = journal(tmp_path / "good.xlsx", GOOD)
    bad = journal(tmp_path / "bad.xlsx", [["2024-01-05", "记-1", "x", "经营收入", "abc", None, 1]])
    lines = refused(ledgers, folder, str(good), str(bad), "--create-accounts")
    assert all(line.startswith("bad.xlsx:") for line in lines)


def test_dry_run_prints_and_writes_nothing(ledgers, folder, tmp_path):
    before = snapshot(folder)
    path = journal(tmp_path / "j.xlsx", GOOD)
    result = run_cli(
        "import", "青石镇/东山村", str(path), "--create-accounts", "--dry-run", ledgers=ledgers
    )
    assert result.exit_code == 0
    assert '2024-01-05 * "收到香菇销售款"' in result.stdout
    assert "2024-01-01 open Income:501-经营收入:50101-香菇销售 CNY" in result.stdout
    assert "将新增 (would add) 4 条" in result.stdout  # two rows, two balance assertions
    assert snapshot(folder) == before


def test_overlapping_re_export_adds_only_new_rows(ledgers, folder, tmp_path):
    """Jan–Mar, then a Jan–Apr re-export with rows shifted: only April is added."""
    first = journal(tmp_path / "q1.xlsx", GOOD)
    import_files(folder, [first], create_accounts=True)
    later = [
        ["2024-02-01", "记-3", "收到香菇销售款", "经营收入-香菇销售", 500, None, 1800],
        [
            "2024-02-01",
            "记-4",
            "收到香菇销售款",
            "经营收入-香菇销售",
            500,
            None,
            2300,
        ],  # same amount, same day
    ]
    rows = [["备注: 重新导出"], *GOOD, *later]  # a note row shifts every row down
    second = journal(
        tmp_path / "q1q2.xlsx",
        rows[1:],
        title_lines=[
            ["东山村银行存款日记账"],
            ["重新导出"],
            ["开户行:青石农商行 账号:6230****0001"],
        ],
    )
    report = import_files(folder, [second])
    assert report.duplicates == 4  # two rows, the opening and January closing balances
    added = [e for f in report.files for e in f.added]
    assert [getattr(e, "narration", "balance") for e in added] == [
        "收到香菇销售款",
        "收到香菇销售款",
        "balance",
    ]
    again = import_files(folder, [second])
    assert again.added == 0


def test_identical_rows_in_one_file_are_both_kept(ledgers, folder, tmp_path):
    rows = [
        ["2024-01-05", "", "收到香菇销售款", "经营收入-香菇销售", 800, None, 1800],
        ["2024-01-05", "", "收到香菇销售款", "经营收入-香菇销售", 800, None, 2600],
    ]
    report = import_files(folder, [journal(tmp_path / "j.xlsx", rows)], create_accounts=True)
    assert len([e for f in report.files for e in f.added if hasattr(e, "postings")]) == 2


def test_concurrent_imports_are_serialised(ledgers, folder, tmp_path):
    """Two processes import the same file into one village at once: it lands once."""
    path = journal(tmp_path / "j.xlsx", GOOD)
    command = [
        str(CUNZHANG),
        "--ledgers",
        str(ledgers),
        "import",
        "青石镇/东山村",
        str(path),
        "--create-accounts",
    ]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    added = sorted(out.split("新增 (added) ")[1].split(" ")[0] for out, _ in outputs)
    assert added == ["0", "0", "4"]
    text = (folder / "journal" / "2024.beancount").read_text("utf-8")
    assert text.count('* "收到香菇销售款"') == 1
    assert not [p for p in folder.rglob(".*") if p.name != ".keep"]


def test_python_api_raises_with_problems(ledgers, folder, tmp_path):
    with pytest.raises(ImportRefused) as refusal:
        import_files(folder, [tmp_path / "missing.xlsx"])
    assert "文件不存在" in str(refusal.value)


def test_chart_2004_codes_are_translated(ledgers, folder, tmp_path):
    """Code 502 meant 经营支出 in 2004 (投资收益 in 2023)."""
    rows = [
        ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"],
        ["2024-01-06", "记-001", "付租金", "50201", "经营支出-冷棚租金", 300, None],
        [None, None, None, "10201", "银行存款-青石农商行", None, 300],
    ]
    path = workbook(tmp_path / "v.xlsx", {"凭证列表": rows})
    report = import_files(folder, [path], create_accounts=True, chart="2004")
    (entry,) = [e for f in report.files for e in f.added]
    assert [p.account for p in entry.postings] == [
        "Expenses:511-经营支出:51101-冷棚租金",
        "Assets:102-银行存款:10201-青石农商行",
    ]


def test_beangulp_import_py_uses_the_same_importers(ledgers, folder, tmp_path):
    """A plain beangulp import.py extracts, with duplicates marked by content key."""
    path = journal(tmp_path / "j.xlsx", GOOD)
    import_files(folder, [path], create_accounts=True)
    script = tmp_path / "import.py"
    script.write_text(
        "import beangulp, sys\nfrom importers import beangulp_importers\n"
        f"beangulp.Ingest(beangulp_importers({str(folder)!r})).cli()\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script), "extract", "-e", str(folder / "main.beancount"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '; 2024-01-05 * "收到香菇销售款"' in result.stdout  # printed as a duplicate
