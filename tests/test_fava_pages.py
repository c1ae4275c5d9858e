"""The auditors' pages in real headless Chromium against ``cunzhang serve``.

The numbers on each page are those of ``cunzhang report``; a figure's link lands on Fava's
journal showing exactly the entries behind it; an imported entry's source opens the archived
spreadsheet; writes are refused; a user limited to one village sees only that village.
Screenshots go to /tmp/cunzhang-fava/.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest
from fava.util import slugify

from projects.fava_ext.page import PAGES
from projects.text import amount_text
from tests.conftest import AUDITOR_PASSWORD, DEMO, run_cli, serving

SHOTS = Path("/tmp/cunzhang-fava")
JIA = quote(slugify("测试镇 甲村"))
YI = quote(slugify("测试镇 乙村"))
ALL_PAGES = (*PAGES, "TownshipOverview")


def shown(value: str | None) -> str:
    """A report's JSON amount as a page shows it."""
    return amount_text(None if value is None else Decimal(value))


def report(name: str, target: str, ledgers: Path | None = None) -> list[dict]:
    result = run_cli("report", name, target, "--format", "json", ledgers=ledgers)
    assert result.exit_code == 0, result.output
    return [row for row in json.loads(result.stdout) if row["village"] != "合计"]


@pytest.fixture
def auditor(browser, request):
    """A browser page logged in as ``request.param`` (default ``town``)."""
    context = browser.new_context(
        http_credentials={
            "username": getattr(request, "param", "town"),
            "password": AUDITOR_PASSWORD,
        },
        viewport={"width": 1500, "height": 1000},
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def cell(page, row: str, figure: str) -> str:
    return page.locator(f'{row} td[data-figure="{figure}"]').inner_text().strip()


def test_each_page_renders_with_the_reports_numbers(
    township_server: str, township: Path, auditor
) -> None:
    for name in ALL_PAGES:
        auditor.goto(f"{township_server}/{JIA}/extension/{name}/")
        auditor.wait_for_load_state("networkidle")
        assert "甲村" in auditor.title()
        shot(auditor, f"测试镇-{name}")
    auditor.goto(f"{township_server}/{JIA}/extension/ProjectLedger/")
    (project,) = report("projects", "测试镇/甲村", township)
    row = f'tr[data-project="{project["project"]}"]'
    for figure in ("budget", "received", "spent", "capitalised", "remaining", "income"):
        assert cell(auditor, row, figure) == shown(project[figure]), figure
    assert "✗ 缺 实施结果公开" in auditor.locator(row).inner_text()
    assert auditor.locator("svelte-component[type=charts] svg").count() >= 1

    auditor.goto(f"{township_server}/{JIA}/extension/SupportFunds/")
    (fund,) = report("funds", "测试镇/甲村", township)
    row = f'tr[data-unit="{fund["unit"]}"]'
    for figure in ("pledged", "claimed", "found", "spent", "unverified"):
        assert cell(auditor, row, figure) == shown(fund[figure]), figure
    assert "未核实" in auditor.locator(".cz-findings").inner_text()

    auditor.goto(f"{township_server}/{JIA}/extension/CollectiveIncome/")
    for year in report("income", "测试镇/甲村", township):
        row = f'tr[data-year="{year["year"]}"]'
        for figure in ("operating", "subsidy", "total"):
            assert cell(auditor, row, figure) == shown(year[figure]), figure
        assert year["band"] in auditor.locator(row).inner_text()


@pytest.mark.parametrize(
    ("page", "row", "figure", "expected"),
    [
        ("ProjectLedger", 'tr[data-project="P2024-01"]', "spent", ["冷棚改造", "购买菌棒"]),
        ("ProjectLedger", 'tr[data-project="P2024-01"]', "income", ["香菇基地首批收益"]),
        ("SupportFunds", 'tr[data-unit="市金融发展局"]', "found", ["收到市金融发展局帮扶资金"]),
        ("CollectiveIncome", 'tr[data-year="2024"]', "operating", ["收到香菇销售款"]),
        ("CollectiveIncome", 'tr[data-year="2024"]', "subsidy", ["收到村级组织运转补助"]),
    ],
)
def test_a_figure_opens_its_postings_and_their_total(
    township_server: str, auditor, page: str, row: str, figure: str, expected: list[str]
) -> None:
    auditor.goto(f"{township_server}/{JIA}/extension/{page}/")
    link = auditor.locator(f'{row} td[data-figure="{figure}"] a')
    shown = link.inner_text().strip()
    link.click()
    auditor.wait_for_url("**/postings?**")
    rows = auditor.locator(".cz-postings tbody tr")
    rows.first.wait_for()
    texts = rows.all_inner_texts()
    assert len(texts) == len(expected), texts
    for narration in expected:
        assert any(narration in text for text in texts), (narration, texts)
    amounts = auditor.locator('.cz-postings td[data-figure="amount"]').all_inner_texts()
    total = sum(Decimal(a.replace(",", "")) for a in amounts)
    assert cell(auditor, ".cz-postings tfoot", "total") == shown == amount_text(total)
    shot(auditor, f"postings-{page}-{figure}")


def test_a_source_link_opens_the_spreadsheet(township_server: str, auditor) -> None:
    auditor.goto(f"{township_server}/{JIA}/extension/SupportFunds/")
    auditor.locator('tr[data-unit="市金融发展局"] td[data-figure="found"] a').click()
    auditor.wait_for_url("**/postings?**")
    meta = auditor.locator(".cz-postings td.cz-meta").first
    assert "来源表格 2024-01-31.甲村银行日记账.xlsx" in meta.inner_text()
    assert "工作表 银行日记账" in meta.inner_text() and "行号 7" in meta.inner_text()
    source = meta.locator("a")
    shot(auditor, "postings-source")
    response = auditor.request.get(urljoin(auditor.url, source.get_attribute("href")))
    assert response.status == 200
    assert response.body()[:2] == b"PK"  # the archived xlsx itself


def test_the_context_of_an_entry_offers_no_editing(township_server: str, auditor) -> None:
    """Read-only: the entry's context shows no 保存, 删除 or Duplicate, and its location
    is relative to the ledgers' folder, not the server's path."""
    auditor.goto(f"{township_server}/{JIA}/extension/SupportFunds/")
    auditor.locator('tr[data-unit="市金融发展局"] td[data-figure="found"] a').click()
    auditor.wait_for_url("**/postings?**")
    auditor.locator(".cz-postings tbody tr a").first.click()  # the entry's date
    editor = auditor.locator("form:has(> .editor)")
    editor.wait_for()
    dialog = auditor.locator(".overlay, dialog").filter(has=editor).first
    text = dialog.inner_text()
    shot(auditor, "context-read-only")
    for word in ("删除", "保存", "Duplicate"):
        visible = [b for b in auditor.get_by_role("button", name=word).all() if b.is_visible()]
        assert visible == [], word
    assert "账套/测试镇/甲村/journal/2024.beancount" in text
    assert "/tmp" not in text and str(Path.home()) not in text


def test_a_write_from_the_browser_is_refused(township_server: str, auditor) -> None:
    auditor.goto(f"{township_server}/{JIA}/balance_sheet/")
    statuses = auditor.evaluate(
        """async (base) => Promise.all([
            ["PUT", "api/source"], ["PUT", "api/add_entries"], ["DELETE", "api/document"],
            ["PUT", "api/add_document"], ["POST", "extension/ProjectLedger/rows"],
        ].map(async ([method, path]) =>
            (await fetch(base + path, {method, body: "{}"})).status))""",
        f"{township_server}/{JIA}/",
    )
    assert statuses == [403] * 5


@pytest.mark.parametrize("auditor", ["jia"], indirect=True)
def test_a_user_without_rights_cannot_see_the_village(township_server: str, auditor) -> None:
    response = auditor.goto(f"{township_server}/{YI}/balance_sheet/")
    assert response.status == 403
    auditor.goto(f"{township_server}/{JIA}/extension/TownshipOverview/")
    auditor.wait_for_load_state("networkidle")
    assert "乙村" not in auditor.content()
    auditor.locator("header").get_by_text("测试镇 甲村").first.click()  # the ledger menu
    assert "乙村" not in auditor.content()
    shot(auditor, "limited-user-overview")


def test_the_demo_township_pages_show_the_reports_numbers(demo_server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    projects = report("projects", str(DEMO))
    funds = report("funds", str(DEMO))
    villages = sorted({row["village"] for row in projects + funds})
    assert villages, "the demo township declares no project or fund"
    tables = (
        ("ProjectLedger", projects, "project", ("budget", "received", "spent", "income")),
        ("SupportFunds", funds, "unit", ("pledged", "claimed", "found", "spent")),
    )
    for village in villages:
        slug = quote(slugify(f"青石镇 {village}"))
        for name, rows, key, figures in tables:
            page.goto(f"{demo_server}/{slug}/extension/{name}/")
            for row in (r for r in rows if r["village"] == village):
                selector = f'tr[data-{key}="{row[key]}"]'
                for figure in figures:
                    assert cell(page, selector, figure) == shown(row[figure]), (village, figure)
            shot(page, f"青石镇-{village}-{name}")
    for name in ALL_PAGES:
        page.goto(f"{demo_server}/{quote(slugify('青石镇 ' + villages[0]))}/extension/{name}/")
        page.wait_for_load_state("networkidle")
        shot(page, f"青石镇-{name}")
    page.close()


def test_a_village_not_loaded_opens_and_the_overview_adds_up(
    township: Path, browser, tmp_path: Path
) -> None:
    """With one village loaded at a time, 乙村's page loads it on demand, and the overview
    (computed in the background for villages not loaded) ends in the township's 合计."""
    users = str(township / "users.json")
    with serving("测试镇", "--auth", users, "--max-loaded", "1", ledgers=township) as url:
        context = browser.new_context(
            http_credentials={"username": "town", "password": AUDITOR_PASSWORD},
            viewport={"width": 1400, "height": 1000},
        )
        page = context.new_page()
        page.goto(f"{url}/{JIA}/extension/TownshipOverview/")
        page.wait_for_load_state("networkidle")
        total = page.locator('tr[data-village="合计"]')
        assert "合计" in total.inner_text()
        # 乙村 was never opened: computed in the background, shown once done
        deadline = time.monotonic() + 120
        while page.locator(".cz-pending").count():
            assert time.monotonic() < deadline, "乙村's line was never computed"
            time.sleep(1)
            page.reload()
        operating = [
            Decimal(cell(page, f'tr[data-village="{v}"]', "operating").replace(",", ""))
            for v in ("甲村", "乙村")
        ]
        assert cell(page, 'tr[data-village="合计"]', "operating") == amount_text(sum(operating))
        table = page.locator("table.cz-overview").bounding_box()
        assert table and table["x"] + table["width"] <= 1400  # fits at 1 400 px
        shot(page, "overview-total")
        page.goto(f"{url}/{YI}/extension/CollectiveIncome/")  # not loaded: loads now
        page.wait_for_load_state("networkidle")
        assert "乙村" in page.title()
        assert cell(page, 'tr[data-year="2024"]', "operating") == "30,000.00"
        context.close()
