"""A Fava page whose table has nothing for the year Fava's time filter selects says
「<年> 年没有记录」 in one line, instead of an empty table or 「本村账套没有声明…」 (which is
wrong for a year before the declarations). The village of ``tests.test_report_year``:
projects and an asset from 2024, a contract and a resource from 2025, income in 2024-2025.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests.test_report_year import root as root

PAGES = ("ProjectLedger", "CollectiveIncome", "Registers")


@pytest.fixture(scope="module")
def page(root: Path):
    from fava.util import slugify

    from scripts.serve import make_app

    client = make_app([root / "测试镇" / "测试村"]).test_client()
    slug = slugify("测试镇 测试村")

    def get(name: str, query: str = "") -> str:
        """The page without Fava's scripts (its ledger data names every link)."""
        response = client.get(f"/{slug}/extension/{name}/{query}")
        assert response.status_code == 200, name
        return re.sub(r"<script.*?</script>", "", response.get_data(as_text=True), flags=re.S)

    return get


def expected(year: int) -> dict[str, int]:
    """How many of each page's tables are empty at ``year``: the projects, the income
    years (every year's row, so empty for a year without income), and the contracts, assets
    and resources declared by the year's end."""
    return {
        "ProjectLedger": int(year < 2024),
        "CollectiveIncome": int(year not in (2024, 2025)),
        "Registers": 3 if year < 2024 else 2 if year == 2024 else 0,
    }


YEARS = [*sorted(random.Random(17).sample(range(2000, 2024), 4)), 2024, 2025, 2026, 2031]


@pytest.mark.parametrize("year", YEARS)
def test_an_empty_table_says_the_year_has_no_records(page, year: int) -> None:
    for name, count in expected(year).items():
        html = page(name, f"?time={year}")
        assert html.count(f"{year} 年没有记录") == count, name
        assert html.count("年没有记录") == count, name  # no other year named
        if year < 2024:  # nothing declared yet: not 「本村账套没有声明」
            assert "本村账套没有声明" not in html, name


@pytest.mark.parametrize("name", PAGES)
def test_without_a_year_no_year_is_named(page, name: str) -> None:
    assert "年没有记录" not in page(name)
