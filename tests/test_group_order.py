"""村民小组 in the order people number them (第一, 第二, … 第十; 9组 before 10组), in
``report distribution`` and the disclosure's 成员分配 (按村民小组汇总) table."""

from __future__ import annotations

import json
import random

import pytest

from projects import disclosure
from projects.periods import parse_period
from projects.register_reports import UNREGISTERED, group_order
from projects.reports import VillageBooks
from projects.year_end import close_books
from tests.conftest import run_cli
from tests.test_bookkeeping import TARGET, plan
from tests.test_bookkeeping import folder as folder
from tests.test_bookkeeping import year as year
from tests.test_members import members_text, postings

CHINESE = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
CHINESE += [f"十{d}" for d in CHINESE[:9]] + ["二十", "二十一"]  # 1 … 21
STYLES = ["第{c}村民小组", "第{c}组", "{c}组", "第{a}村民小组", "{a}组", "第{a}小组"]


def numbered(number: int, style: str) -> str:
    return style.format(c=CHINESE[number - 1], a=number)


@pytest.mark.parametrize("seed", range(20))
def test_generated_groups_sort_by_their_number_then_unknown_names(seed):
    """Groups 1…21 in one numbering style each, plus names without a number, shuffled:
    the numbered ones come first by number, the others after in text order."""
    rng = random.Random(seed)
    numbers = rng.sample(range(1, 22), rng.randint(2, 15))
    named = [numbered(n, rng.choice(STYLES)) for n in sorted(numbers)]
    unknown = sorted(rng.sample(["东头组", "西头组", "山上", "河边组", UNREGISTERED], 3))
    shuffled = named + unknown
    rng.shuffle(shuffled)
    assert sorted(shuffled, key=group_order) == named + unknown


@pytest.mark.parametrize("seed", range(3))
def test_report_and_disclosure_list_groups_by_number(ledgers, year, tmp_path, seed):
    """Households in 第一 … 第十二村民小组 declared in shuffled order: ``report distribution``
    and the disclosure's 成员分配 table list 第一, 第二, … 第十二 (text order would put
    第一 before 第三 before 第二)."""
    rng = random.Random(seed)
    groups = [numbered(n, "第{c}村民小组") for n in range(1, 13)]
    households = [(f"H{i:03d}", f"户主{i}", g, 1) for i, g in enumerate(groups)]
    rng.shuffle(households)
    (year / "projects.beancount").write_text(members_text(households), "utf-8")
    close_books(year, 2024)
    lines = [["成员分配", h[0], 1, None] for h in households]
    path = plan(tmp_path / "方案.xlsx", [["每股金额", None, None, 10], *lines])
    result = run_cli("distribute", TARGET, "2024", str(path), ledgers=ledgers)
    assert result.exit_code == 0, result.stderr
    report = run_cli(
        "report", "distribution", TARGET, "--year", "2024", "--format", "json", ledgers=ledgers
    )
    assert report.exit_code == 0, report.stderr
    assert [r["group"] for r in json.loads(report.stdout)] == groups
    _, entries = postings(year)
    annual = disclosure.compute(VillageBooks.of("新村", entries), parse_period("2024"))
    assert [g["group"] for g in annual.distribution] == groups
