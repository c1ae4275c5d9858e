"""Adding a check is adding a module: the plugin finds every module of its package."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from projects import checks
from tests.ledgertext import load


def test_every_module_of_the_package_is_a_rule() -> None:
    folder = Path(checks.__file__).parent
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    assert [rule.__module__.rsplit(".", 1)[1] for rule in checks.RULES] == modules


def test_a_new_module_is_run_without_touching_anything_else(tmp_path, monkeypatch) -> None:
    package = tmp_path / "county_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "no_cash_over_limit.py").write_text(
        "from beancount.core import data\n"
        "def check(entries, options_map):\n"
        "    return [data.new_metadata('<county>', 0) for e in entries\n"
        "            if isinstance(e, data.Transaction) and e.narration == '大额现金']\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = checks.discover(importlib.import_module("county_checks"))
    assert [rule.__module__ for rule in found] == ["county_checks.no_cash_over_limit"]
    entries, _, _ = load(
        """
        2024-01-05 * "村民" "大额现金"
          Assets:101-库存现金  60000.00 CNY
          Income:501-经营收入 -60000.00 CNY
        """,
        plugin=False,
    )
    assert len(found[0](entries, {})) == 1
    sys.modules.pop("county_checks.no_cash_over_limit", None)
