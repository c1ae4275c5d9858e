"""A township's fund register archived into a village shows that village's rows only.

A register (帮扶资金台账) lists every village; a village's users may open every document its
ledger cites. Each village archives an extract of its own rows at their original sheets and
row numbers; the full register is archived once at township level, outside every village.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import openpyxl
import pytest
from beancount.core import data

from importers.run import import_files
from projects.ledger import read
from tests.importkit import snapshot, village, workbook

NAMES = ["东山村", "西河村", "南岭村"]
HEADER = ["序号", "村", "第一书记", "派出单位", "资金名称", "协调金额", "实际到账金额", "到账日期"]


def register(path: Path, seed: int) -> Path:
    """A register of rows for the three villages in random order, with blank, note and
    total rows between and below, and a second sheet of notes."""
    rng = random.Random(seed)
    rows: list[list] = [["青石镇驻村第一书记帮扶资金台账(2024年)"], ["单位:元 填报:农经站"], HEADER]
    total = 0
    for number in range(1, rng.randint(8, 20)):
        if rng.random() < 0.2:
            rows.append([])
        name = rng.choice(NAMES)
        pledged = rng.randint(1, 50) * 1000
        landed = rng.choice([0, pledged // 2, pledged])
        total += landed
        unit = f"{name[:2]}对口帮扶单位{number}"
        date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append([number, name, f"书记{number}", unit, "帮扶资金", pledged, landed, date])
    rows += [["合计", None, None, None, None, None, total], ["注: 东山村 西河村 南岭村 三村合报"]]
    return workbook(path, {"2024年": rows, "说明": [["东山村、西河村、南岭村 三村说明"]]})


def cells(path: Path) -> dict[str, dict[int, list]]:
    """An archived workbook's non-empty rows by sheet and 1-based row number."""
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: {
            row[0].row: [c.value for c in row]
            for row in sheet.iter_rows()
            if any(c.value is not None for c in row)
        }
        for sheet in book.worksheets
    }


def claims(folder: Path) -> list[data.Custom]:
    entries, errors, _ = read(folder / "main.beancount")
    assert not errors
    return [e for e in entries if isinstance(e, data.Custom) and e.type.startswith("fund-")]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_each_village_archives_only_its_own_rows(ledgers: Path, tmp_path: Path, seed: int):
    folders = {name: village(ledgers, f"青石镇/{name}") for name in NAMES}
    township = ledgers / "青石镇"
    source = register(tmp_path / "2024-帮扶资金台账.xlsx", seed)
    original = openpyxl.load_workbook(source)["2024年"]
    import_files(township, [source])
    digest = sha256(source)
    for name, folder in folders.items():
        found = claims(folder)
        documents = {Path(e.meta["filename"]).parent / e.meta["document"] for e in found}
        (archived,) = {d.resolve() for d in documents}
        assert archived.is_relative_to((folder / "documents").resolve())
        assert {e.meta["register_sha256"] for e in found} == {digest}
        extract = cells(archived)
        assert list(extract) == ["2024年", "说明"] and extract["说明"] == {}
        rows = extract["2024年"]
        assert rows[1][0] == "青石镇驻村第一书记帮扶资金台账(2024年)" and rows[3] == HEADER
        mine = {int(e.meta["row"]) for e in found}
        assert set(rows) == {1, 2, 3, *mine}  # no other village's row, no total, no note
        for row in mine:  # at its original row, as it was
            assert rows[row] == [c.value for c in original[row]][: len(rows[row])]
            assert rows[row][1] == name
        others = [n for n in NAMES if n != name]
        text = repr(rows)
        assert not any(other in text for other in others)
        assert digest not in {sha256(p) for p in files(folder)}  # the full register: nowhere
    # the full register, once, at township level outside every village
    copies = [p for p in files(township) if sha256(p) == digest]
    assert len(copies) == 1 and copies[0].relative_to(township).parts[0] == "documents"
    assert not any(copies[0].is_relative_to(f) for f in folders.values())


def test_into_one_village_and_again(ledgers: Path, tmp_path: Path):
    """Into one village: its extract and the township copy; a second import writes nothing."""
    folders = {name: village(ledgers, f"青石镇/{name}") for name in NAMES}
    township = ledgers / "青石镇"
    source = register(tmp_path / "台账.xlsx", 5)
    import_files(folders["西河村"], [source])
    found = claims(folders["西河村"])
    assert found and not claims(folders["东山村"])
    (archived,) = {Path(e.meta["filename"]).parent / e.meta["document"] for e in found}
    assert {int(e.meta["row"]) for e in found} | {1, 2, 3} == set(cells(archived)["2024年"])
    assert len([p for p in files(township) if sha256(p) == sha256(source)]) == 1
    before = snapshot(township)
    assert import_files(township, [source]).written  # the other villages' rows
    again = snapshot(township)
    assert import_files(township, [source]).written == []
    assert snapshot(township) == again != before


def test_the_extract_is_reproducible(ledgers: Path, tmp_path: Path):
    """The same register gives the same extract, byte for byte (the demo is regenerated)."""
    source = register(tmp_path / "台账.xlsx", 6)
    archived = []
    for root in ("a", "b"):
        for name in NAMES:
            village(tmp_path / root, f"青石镇/{name}")
        import_files(tmp_path / root / "青石镇", [source])
        archived.append(
            sorted(
                (str(p.relative_to(tmp_path / root)), sha256(p))
                for p in files(tmp_path / root)
                if p.suffix == ".xlsx"
            )
        )
    assert archived[0] == archived[1] and len(archived[0]) == len(NAMES) + 1
