"""End to end: each shared sample imported into a fresh village gives what expected.json says."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers.accounts import UNIDENTIFIED
from importers.run import import_files
from projects import chart
from projects.ledger import read
from tests.conftest import run_cli
from tests.importkit import BANK, SAMPLES, declare_project, sample, snapshot, village

EXPECTED = json.loads(sample("expected.json").read_text("utf-8"))
JOURNAL = "东山村_2024Q1_银行存款日记账.xlsx"
VOUCHERS = "西河村_2024Q1_凭证列表.xlsx"
STATEMENT = "南岭村_2024Q1_农商银行对账单.xlsx"
REGISTER = "青石镇_2024_帮扶资金台账.xlsx"


def imported(folder: Path) -> list:
    entries, errors, _ = read(folder / "main.beancount")
    assert errors == [], [e.message for e in errors]
    return [e for e in entries if "import_key" in e.meta]


def bank_rows_as_expected(entries: list, expected: dict) -> list[data.Transaction]:
    """The transactions, checked against expected.json's row count and money in and out."""
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(transactions) == expected["rows"]
    bank = [p.units.number for t in transactions for p in t.postings if p.account == BANK]
    assert sum(n for n in bank if n > 0) == Decimal(expected["inflow"])
    assert -sum(n for n in bank if n < 0) == Decimal(expected["outflow"])
    return transactions


def test_bank_journal(ledgers):
    expected = EXPECTED[JOURNAL]
    folder = village(ledgers, opening=expected["opening"])
    declare_project(folder)
    result = run_cli(
        "import", "青石镇/东山村", str(sample(JOURNAL)), "--create-accounts", ledgers=ledgers
    )
    assert result.exit_code == 0, result.stderr
    assert "新增 (added) 19 条" in result.stdout and "重复跳过 0 条" in result.stdout
    entries = imported(folder)
    transactions = bank_rows_as_expected(entries, expected)
    counters: dict[str, Decimal] = defaultdict(Decimal)
    for t in transactions:
        for p in t.postings:
            if p.account != BANK:
                counters[chart.name_path(p.account)] += p.units.number
    # spreadsheets keep parentheses (生产(劳务)成本); account names cannot
    wanted = {
        "-".join(chart.clean_name(n) for n in path.split("-")): total
        for path, total in expected["counter_totals"].items()
    }
    assert {k: str(v) for k, v in counters.items()} == wanted
    balances = [e for e in entries if isinstance(e, data.Balance)]
    assert balances[0].amount.number == Decimal(expected["opening"])
    assert balances[-1].amount.number == Decimal(expected["closing"])
    assert len(balances) == 4  # opening + three month ends
    projects = [link for t in transactions for link in t.links if link.startswith("P")]
    assert projects == ["P2024-01"] * 3
    # Fava's link_documents plugin found the archived copy of every transaction's source
    assert all(any(link.startswith("dok-") for link in t.links) for t in transactions)
    # provenance: the archived copy exists where the document metadata points
    for entry in entries:
        document = Path(entry.meta["filename"]).parent / entry.meta["document"]
        assert document.resolve().read_bytes() == sample(JOURNAL).read_bytes()
        assert entry.meta["sheet"] in {"1月", "2月", "3月"} and entry.meta["row"] >= 4
    archived = list((folder / "documents").rglob("*.xlsx"))
    assert [a.name.split(".", 1)[0] for a in archived] == ["2024-03-31"]
    assert (
        archived[0].parent == folder / "documents" / "Assets" / "102-银行存款" / "10201-青石农商行"
    )


def test_bank_journal_again_adds_nothing(ledgers):
    folder = village(ledgers, opening=EXPECTED[JOURNAL]["opening"])
    declare_project(folder)
    args = ("import", "青石镇/东山村", str(sample(JOURNAL)), "--create-accounts")
    assert run_cli(*args, ledgers=ledgers).exit_code == 0
    before = (folder / "journal" / "2024.beancount").read_bytes()
    again = run_cli(*args, ledgers=ledgers)
    assert again.exit_code == 0
    assert "新增 (added) 0 条 · 重复跳过 19 条" in again.stdout
    assert (folder / "journal" / "2024.beancount").read_bytes() == before


def test_voucher_list(ledgers):
    expected = EXPECTED[VOUCHERS]
    folder = village(ledgers, "青石镇/西河村")
    (folder / "journal" / "2024.beancount").write_text("", "utf-8")  # no opening balance here
    report = import_files(folder, [sample(VOUCHERS)], create_accounts=True)
    assert report.added == expected["vouchers"]
    transactions = [e for e in imported(folder) if isinstance(e, data.Transaction)]
    assert len(transactions) == expected["vouchers"]
    assert sum(len(t.postings) for t in transactions) == expected["lines"]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for t in transactions:
        for p in t.postings:
            totals[chart.code_of(p.account)] += p.units.number
    assert {k: str(v) for k, v in totals.items()} == expected["totals_by_code"]
    assert all("row" in p.meta for t in transactions for p in t.postings)


def test_bank_statement_with_rules(ledgers):
    expected = EXPECTED[STATEMENT]
    folder = village(ledgers, "青石镇/南岭村", opening=expected["opening"])
    text = (folder / "accounts.beancount").read_text("utf-8")
    text = text.replace('account_number: "6230****0001"', 'account_number: "6230580012345678"')
    (folder / "accounts.beancount").write_text(text, "utf-8")
    (folder / "import-rules.csv").write_text(
        "对方户名,摘要,方向,科目\n,手续费,支,管理费用-手续费\n,结息,收,其他收入-利息收入\n"
        "县中药饮片有限公司,,收,经营收入-药材销售\n",
        "utf-8",
    )
    result = run_cli(
        "import", "青石镇/南岭村", str(sample(STATEMENT)), "--create-accounts", ledgers=ledgers
    )
    assert result.exit_code == 0, result.stderr
    assert "待分类 4 条 (flagged for classification)" in result.stdout
    assert "交易明细:5: 2024-01-03 收 60,000.00 青石镇人民政府" in result.stdout
    entries = imported(folder)
    transactions = bank_rows_as_expected(entries, expected)
    flagged = [t for t in transactions if t.flag == "!"]
    assert len(flagged) == 4
    for t in flagged:  # receipts wait in 应付款, payments in 应收款; never 181
        direction = "收" if t.postings[0].units.number > 0 else "支"
        code, path = UNIDENTIFIED[direction]
        assert chart.code_of(t.postings[1].account) == code, t
        assert chart.name_path(t.postings[1].account) == path, t
    sale = next(t for t in transactions if t.payee == "县中药饮片有限公司")
    assert sale.meta["funder"] == "县中药饮片有限公司"
    assert sale.meta["classified"] == "规则 import-rules.csv:4"
    balances = [e for e in entries if isinstance(e, data.Balance)]
    assert balances[0].amount.number == Decimal(expected["opening"])
    assert balances[-1].amount.number == Decimal(expected["closing"])


def test_statement_rows_are_learnt_from_history(ledgers):
    """After the accountant classifies a payee once, the next statement classifies it."""
    folder = village(ledgers, "青石镇/南岭村", opening=EXPECTED[STATEMENT]["opening"])
    with (folder / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2023-12-20 * "县农资公司" "网银转账"\n'
            "  Assets:102-银行存款:10201-青石农商行  -1.00 CNY\n"
            "  Assets:121-库存物资  1.00 CNY\n"
            '2023-12-21 * "县农资公司" "网银转账"\n'
            "  Assets:102-银行存款:10201-青石农商行  1.00 CNY\n"
            "  Assets:121-库存物资  -1.00 CNY\n"
        )
    report = import_files(folder, [sample(STATEMENT)], account="10201")
    learnt = [e for f in report.files for e in f.added if getattr(e, "payee", "") == "县农资公司"]
    assert learnt[0].postings[1].account == "Assets:121-库存物资"
    assert learnt[0].meta["classified"].startswith("历史记录")
    assert len(report.flagged) == 6


def test_register_into_the_township(ledgers):
    expected = EXPECTED[REGISTER]
    names = ["东山村", "西河村", "南岭村", "北坡村"]
    folders = [village(ledgers, f"青石镇/{n}") for n in names]
    result = run_cli("import", "青石镇", str(sample(REGISTER)), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    claims = [e for f in folders for e in imported(f) if isinstance(e, data.Custom)]
    assert not [e for f in folders for e in imported(f) if isinstance(e, data.Transaction)]
    assert len({(e.meta["sheet"], e.meta["row"]) for e in claims}) == expected["rows"]
    pledged = sum(e.values[2].value.number for e in claims if e.type == "fund-pledge")
    landed = sum(e.values[2].value.number for e in claims if e.type == "fund-landed")
    assert pledged == Decimal(expected["pledged_yuan"])
    assert landed == Decimal(expected["landed_yuan"])
    text = (folders[0] / "projects.beancount").read_text("utf-8")
    assert '2024-01-20 custom "fund-landed" "市金融发展局" "帮扶资金" 300000.00 CNY\n' in text
    assert '  secretary: "王立新"\n  project: "P2024-01"' in text or 'project: "P2024-01"' in text
    # the projects model reads them as claims
    from projects import model

    entries, _, _ = read(folders[0] / "main.beancount")
    kinds = sorted((c.kind, c.amount) for c in model.read(entries).claims)
    assert kinds == [
        ("landed", Decimal("300000.00")),
        ("pledge", Decimal("100000.00")),
        ("pledge", Decimal("300000.00")),
    ]


def test_register_into_one_village_counts_the_others(ledgers):
    for name in ["东山村", "西河村", "南岭村", "北坡村"]:
        village(ledgers, f"青石镇/{name}")
    result = run_cli("import", "青石镇/西河村", str(sample(REGISTER)), ledgers=ledgers)
    assert result.exit_code == 0
    assert "新增 (added) 2 条" in result.stdout
    assert "其他村的声明 7 条未导入" in result.stdout


def test_register_into_the_only_village_of_a_township(ledgers):
    folder = village(ledgers, "青石镇/西河村")
    result = run_cli("import", "青石镇/西河村", str(sample(REGISTER)), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    assert "新增 (added) 2 条" in result.stdout
    assert "其他村的声明 7 条未导入" in result.stdout
    claims = [e for e in imported(folder) if isinstance(e, data.Custom)]
    assert len(claims) == 2 and all(e.type.startswith("fund-") for e in claims)


def test_register_into_a_township_missing_a_village_is_refused(ledgers):
    folders = [village(ledgers, f"青石镇/{name}") for name in ["东山村", "西河村", "南岭村"]]
    before = [snapshot(folder) for folder in folders]
    result = run_cli("import", "青石镇", str(sample(REGISTER)), ledgers=ledgers)
    assert result.exit_code == 1
    assert "村 “北坡村” 在 青石镇 下没有账套" in result.stderr
    assert [snapshot(folder) for folder in folders] == before


def test_samples_folder_is_where_the_tests_expect_it():
    assert SAMPLES.is_dir()
