"""cunzhang village new: a complete, clean village ledger, or a refusal that changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from beancount import loader
from beancount.core import data

from projects import chart
from tests.conftest import run_cli


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_new_village_is_complete_and_clean(ledgers: Path) -> None:
    result = run_cli("village", "new", "青石镇/新村", "--start", "2024-01-01", ledgers=ledgers)
    assert result.exit_code == 0, result.output
    village = ledgers / "青石镇" / "新村"
    assert (village / "documents").is_dir()
    assert (village / "journal" / "2024.beancount").is_file()

    entries, errors, options = loader.load_file(str(village / "main.beancount"))
    assert errors == []
    assert options["title"] == "青石镇 新村"
    assert options["operating_currency"] == ["CNY"]
    assert "projects.checks" in [name for name, _ in options["plugin"]]
    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    standard = chart.chart("2023")
    assert len(standard) == 42
    assert set(opens) == {s.account for s in standard.values()}
    assert all(opens[s.account].meta["code"] == s.code for s in standard.values())
    customs = [e for e in entries if isinstance(e, data.Custom) and e.type == "fava-option"]
    fava_options = {e.values[0].value: e.values[1].value for e in customs}
    assert fava_options["language"] == "zh"


def test_new_village_passes_bean_check(ledgers: Path) -> None:
    run_cli("village", "new", "青石镇/新村", ledgers=ledgers)
    bean_check = Path(sys.executable).with_name("bean-check")
    main = ledgers / "青石镇" / "新村" / "main.beancount"
    done = subprocess.run([str(bean_check), str(main)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_existing_village_is_refused_unchanged(ledgers: Path) -> None:
    run_cli("village", "new", "青石镇/新村", ledgers=ledgers)
    village = ledgers / "青石镇" / "新村"
    (village / "journal" / "2024.beancount").write_text("; my own work\n", "utf-8")
    before = snapshot(ledgers)
    result = run_cli("village", "new", "青石镇/新村", ledgers=ledgers)
    assert result.exit_code == 1
    assert "已存在" in result.output
    assert snapshot(ledgers) == before


def test_names_that_cannot_be_folders_are_refused(ledgers: Path) -> None:
    for target in ["青石镇/a:b", "青石镇/..", "新村", "青石镇/新村/三组", "青石镇/ ", "青石镇/a*b"]:
        result = run_cli("village", "new", target, ledgers=ledgers)
        assert result.exit_code == 1, target
        assert "Traceback" not in result.output
    assert list(ledgers.rglob("*")) == []
