"""cunzhang county generate: a synthetic county that is reproducible, clean and reportable."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data

from projects import model, transaction_facts
from projects.layout import MAIN, villages_under
from projects.ledger import load
from tests.conftest import run_cli

BEAN_CHECK = Path(sys.executable).with_name("bean-check")


def generate(out: Path, *options: str) -> None:
    result = run_cli("county", "generate", str(out), *options)
    assert result.exit_code == 0, result.output


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four villages, three to a township, two years (2024, 2025), seed 5."""
    out = tmp_path_factory.mktemp("county") / "ledgers"
    generate(out, "--villages", "4", "--years", "2", "--seed", "5", "--per-township", "3")
    return out


def test_villages_are_grouped_into_townships_with_the_real_layout(county: Path) -> None:
    villages = villages_under(county)
    assert len(villages) == 4
    assert sorted(Counter(v.parent.name for v in villages).values()) == [1, 3]
    for village in villages:
        main = (village / MAIN).read_text("utf-8")
        assert 'plugin "projects.checks"' in main
        assert sorted(p.name for p in (village / "journal").iterdir()) == [
            "2024.beancount",
            "2025.beancount",
        ]


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_books(
    county: Path, tmp_path: Path
) -> None:
    generate(
        tmp_path / "again", "--villages", "4", "--years", "2", "--seed", "5", "--per-township", "3"
    )
    assert files(tmp_path / "again") == files(county)
    generate(
        tmp_path / "other", "--villages", "4", "--years", "2", "--seed", "6", "--per-township", "3"
    )
    assert files(tmp_path / "other") != files(county)


def test_every_village_is_clean_under_bean_check_and_cunzhang_check(county: Path) -> None:
    for village in villages_under(county):
        done = subprocess.run(
            [str(BEAN_CHECK), str(village / MAIN)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
    result = run_cli("check", str(county))
    assert result.exit_code == 0, result.output


def test_each_village_year_has_the_demo_mixture_at_realistic_volume(county: Path) -> None:
    tags: set[str] = set()
    for village in villages_under(county):
        entries = load(village).entries
        real = transaction_facts.transactions(entries)
        per_year = Counter(t.date.year for t in real)
        assert set(per_year) == {2024, 2025}
        assert all(1300 <= n <= 1700 for n in per_year.values()), per_year
        codes = Counter(transaction_facts.top_code(p.account) for t in real for p in t.postings)
        for code in ("101", "102", "153", "212", "241", "401", "501", "503", "511", "513"):
            assert codes[code] > 0, (village.name, code)
        declared = model.read(entries)
        assert declared.secretaries and declared.claims
        assert len(declared.projects) >= 2
        linked = {pid for t in real for pid in transaction_facts.project_ids(t)}
        assert linked == set(declared.projects)
        assert any(isinstance(e, data.Balance) for e in entries)
        tags |= {tag for e in entries if isinstance(e, data.Transaction) for tag in e.tags}
    assert {"opening", "closing", "distribution"} <= tags  # a village at a loss distributes nothing


def test_the_county_income_report_has_a_row_per_village_and_year(
    county: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "cache"))  # inherited by the workers
    result = run_cli("report", "income", str(county), "--format", "json", "--jobs", "2")
    assert result.exit_code == 0, result.output
    rows = [row for row in json.loads(result.output) if row["village"] != "合计"]
    names = {v.name for v in villages_under(county)}
    assert Counter(row["village"] for row in rows) == dict.fromkeys(names, 2)
    for row in rows:  # money as exact strings, to the cent
        assert Decimal(row["operating"]) > 0 and row["operating"].split(".")[1].isdigit()


def test_an_existing_village_is_refused_and_nothing_changes(county: Path) -> None:
    before = files(county)
    result = run_cli("county", "generate", str(county), "--villages", "1", "--years", "1")
    assert result.exit_code != 0
    assert "已存在" in result.output
    assert files(county) == before
