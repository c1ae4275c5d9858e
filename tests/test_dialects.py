"""The dialect corpus (tests/dialects): every layout imports exactly what its declaration says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dialects.corpus import corpus_village, expected, outcome
from tests.dialects.layouts import KINDS, LAYOUTS


def test_the_corpus_is_wide():
    assert len(LAYOUTS) >= 25
    assert len({layout.name for layout in LAYOUTS}) == len(LAYOUTS)
    assert {layout.kind for layout in LAYOUTS} == set(KINDS)
    readme = (Path(__file__).parent / "dialects" / "README.md").read_text("utf-8")
    assert all(f"`{layout.name}` — " in readme for layout in LAYOUTS)


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_each_dialect_imports_exactly(layout, ledgers, tmp_path):
    village = corpus_village(ledgers)
    assert outcome(layout, tmp_path, village) == expected(layout)
