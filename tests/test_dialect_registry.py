"""A new kind of spreadsheet is one module and one entry in ``importers.KINDS``.

Two kinds are declared here, as a new module would declare them, and registered with one
line each: a village's 捐款登记表 (donations, one village per file) and a township's
慰问物资台账 (visits, every village in one sheet, ``township = True``). Nothing else is
touched, and recognition, the refusal that lists the kinds, ``cunzhang import``'s help, the
import itself (locking, dispatching to villages, township archive and village extracts) and
beangulp's ``import.py`` all pick them up; at any place in the registry, the existing kinds
are still recognised as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from beancount.core import data
from beancount.core.amount import Amount as BeanAmount
from beancount.parser.grammar import ValueType

from importers import KINDS, beangulp_importers
from importers.accounts import AccountBook
from importers.base import VILLAGE_KEY, Provenance, SheetImporter, recognise
from importers.run import import_files
from importers.sheet import (
    Amount,
    Date,
    Dialect,
    Header,
    ImportRefused,
    Problem,
    Text,
    Workbook,
    open_workbook,
    records,
    squeeze,
)
from projects.ledger import read
from scripts.importing import help_text
from tests.importkit import JOURNAL_HEADER, village, workbook

CASH = "Assets:101-库存现金"
OTHER_INCOME = "Income:504-其他收入"


class RowImporter(SheetImporter):
    """A kind whose every row is one entry (:meth:`entry`), stamped with its provenance."""

    def read(
        self,
        workbook: Workbook,
        headers: list[Header],
        book: AccountBook,
        existing: data.Entries,
        problems: list[Problem],
    ) -> data.Entries:
        provenance = Provenance(workbook)
        entries = []
        for header in headers:
            for record in records(header, workbook.label, problems):
                content = tuple(str(v) for v in record.values.values())
                entry = self.entry(
                    record.values, provenance.meta(record.sheet, record.row, content)
                )
                if entry is not None:
                    entries.append(entry)
        return entries

    def entry(self, values: dict, meta: dict) -> data.Directive | None:
        raise NotImplementedError


class DonationColumns(Dialect):
    """捐款登记表: who gave the village how much, in cash."""

    kind = "捐款登记表"
    date = Date("捐款日期", required=True)
    donor = Text("捐款人", required=True)
    amount = Amount("捐款金额", required=True)


class DonationImporter(RowImporter):
    """Each donation becomes a cash receipt."""

    dialect = DonationColumns
    default_account = CASH

    def entry(self, values: dict, meta: dict) -> data.Transaction:
        units = BeanAmount(values["amount"], "CNY")
        postings = [
            data.Posting(CASH, units, None, None, None, None),
            data.Posting(OTHER_INCOME, -units, None, None, None, None),
        ]
        empty = frozenset[str]()
        return data.Transaction(
            meta, values["date"], "*", values["donor"], "捐款", empty, empty, postings
        )


class VisitColumns(Dialect):
    """慰问物资台账: what the township brought each village."""

    kind = "慰问物资台账"
    date = Date("慰问日期", required=True)
    village = Text("村", required=True)
    goods = Text("物资", required=True)


class VisitImporter(RowImporter):
    """Each visit becomes a ``custom "visit"`` declaration in its village (every village's,
    or only ``options.village``'s)."""

    dialect = VisitColumns
    township = True

    def entry(self, values: dict, meta: dict) -> data.Custom | None:
        name = squeeze(values["village"])
        wanted = self.options.village
        if wanted is not None and squeeze(wanted) != name:
            return None
        meta[VILLAGE_KEY] = name
        return data.Custom(meta, values["date"], "visit", [ValueType(values["goods"], str)])


NEW_KINDS = (DonationImporter, VisitImporter)


@contextmanager
def registered(position: int) -> Iterator[None]:
    """The new kinds in the registry at ``position``: the one line a new module adds."""
    KINDS[position:position] = NEW_KINDS
    try:
        yield
    finally:
        for kind in NEW_KINDS:
            KINDS.remove(kind)


def donations(path: Path) -> Path:
    rows = [["东山村捐款登记表"], ["捐款日期", "捐款人", "捐款金额"]]
    rows += [["2024-02-01", "张三", "500.00"], ["2024-02-03", "李四", "1,200.00"]]
    return workbook(path, {"捐款": rows})


def visits(path: Path) -> Path:
    rows = [["青石镇慰问物资台账"], ["慰问日期", "村", "物资"]]
    rows += [["2024-02-05", "东山村", "大米"], ["2024-02-06", "西河村", "食用油"]]
    rows += [["2024-02-07", "东山村", "棉被"]]
    return workbook(path, {"2024年": rows})


def existing_kinds(folder: Path) -> dict[type[SheetImporter], Path]:
    """One small file of each registered kind."""
    statement = [
        ["账户交易明细"],
        ["交易日期", "摘要", "对方户名", "借方发生额", "贷方发生额", "余额"],
    ]
    vouchers = [["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"]]
    register = [["村", "派出单位", "协调金额", "实际到账金额"]]
    sheets = {"StatementImporter": statement, "VoucherImporter": vouchers}
    sheets |= {"JournalImporter": [["银行存款日记账"], JOURNAL_HEADER]}
    sheets |= {"RegisterImporter": register}
    by_name = {kind.__name__: kind for kind in KINDS}
    return {by_name[n]: workbook(folder / f"{n}.xlsx", {"s": rows}) for n, rows in sheets.items()}


def refusal(folder: Path, path: Path) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_files(folder, [path])
    return [str(p) for p in refused.value.problems]


@pytest.mark.parametrize("position", range(len(KINDS) + 1))
def test_a_registered_kind_is_recognised_and_the_others_still_are(tmp_path, position):
    new = {
        DonationImporter: donations(tmp_path / "d.xlsx"),
        VisitImporter: visits(tmp_path / "v.xlsx"),
    }
    old, before = existing_kinds(tmp_path), list(KINDS)
    for path in new.values():
        assert recognise(open_workbook(path), KINDS) is None
    with registered(position):
        for kind, path in (new | old).items():
            assert recognise(open_workbook(path), KINDS) is kind
    assert before == KINDS  # the registry is as it was


def test_the_refusal_and_the_help_list_the_registered_kinds(ledgers, tmp_path):
    folder = village(ledgers)
    notes = workbook(tmp_path / "notes.xlsx", {"说明": [["本表由村报账员填写"]]})
    (before,) = refusal(folder, notes)
    assert "捐款登记表" not in before and "帮扶资金台账" in before
    with registered(0):
        (message,) = refusal(folder, notes)
        assert message.startswith(
            "notes.xlsx: 认不出这张表: 找不到捐款登记表、慰问物资台账、帮扶资金台账、资产台账、"
            "合同台账、凭证列表、日记账或银行对账单的表头"
        )
        summary, township = help_text(KINDS).split("\n\n")[:2]
        assert all(kind.dialect.kind in summary for kind in KINDS)
        assert "慰问物资台账或帮扶资金台账" in township
        assert "捐款登记表" not in township


def test_a_registered_kind_imports_into_one_village(ledgers, tmp_path):
    folder, _ = village(ledgers), village(ledgers, "青石镇/西河村")
    path = donations(tmp_path / "捐款.xlsx")
    with registered(len(KINDS)):
        report = import_files(folder, [path])
        (refused,) = refusal(folder.parent, path)
    assert "捐款登记表须导入到一个村" in refused
    (file,) = report.files
    assert (file.kind, len(file.added)) == ("捐款登记表", 2)
    assert file.archive is not None and file.archive.parts[:3] == (
        "documents",
        "Assets",
        "101-库存现金",
    )
    assert (folder / file.archive).read_bytes() == path.read_bytes()
    entries, errors, _ = read(folder / "main.beancount")
    assert errors == []
    received = [e for e in entries if isinstance(e, data.Transaction) and e.narration == "捐款"]
    assert sorted(str(e.postings[0].units) for e in received) == ["1200.00 CNY", "500.00 CNY"]


def test_a_registered_township_kind_is_dispatched_and_archived_as_extracts(ledgers, tmp_path):
    east, west = village(ledgers, "青石镇/东山村"), village(ledgers, "青石镇/西河村")
    path = visits(tmp_path / "慰问.xlsx")
    with registered(1):
        report = import_files(east.parent, [path])
    by_village = {f.village.name: f for f in report.files}
    assert {name: len(f.added) for name, f in by_village.items()} == {"东山村": 2, "西河村": 1}
    (full,) = report.registers
    assert full.is_relative_to(east.parent / "documents") and full.read_bytes() == path.read_bytes()
    for folder, goods in ((east, {"大米", "棉被"}), (west, {"食用油"})):
        entries, errors, _ = read(folder / "main.beancount")
        assert errors == []
        declared = [e for e in entries if isinstance(e, data.Custom) and e.type == "visit"]
        assert {e.values[0].value for e in declared} == goods
        assert all(VILLAGE_KEY not in e.meta for e in declared)
        extract = openpyxl.load_workbook(folder / by_village[folder.name].archive)
        rows = extract["2024年"].iter_rows(min_row=3, values_only=True)
        assert {row[2] for row in rows if any(row)} == goods


def test_beangulp_import_py_uses_the_registered_kinds(ledgers, tmp_path):
    folder = village(ledgers)
    path = donations(tmp_path / "捐款.xlsx")
    with registered(len(KINDS)):
        importers = beangulp_importers(folder)
        claimed = [i for i in importers if i.identify(str(path))]
        assert [type(i) for i in claimed] == [DonationImporter]
        entries = claimed[0].extract(str(path), [])
    assert len([e for e in entries if isinstance(e, data.Transaction)]) == 2
