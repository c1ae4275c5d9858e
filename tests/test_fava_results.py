"""Fava's own 损益表 shows a closed year's income and expenses.

The year-end ``#closing`` entries zero every income and expense account on the year's
last day, so Fava's 损益表 of a closed year would be empty. The extension makes the default
page and a sidebar link carry the filter ``-#closing`` (``projects.fava_ext.page``); an
auditor who opens the demo's 东山村 (2024 closed) sees the year's 501 经营收入.
"""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from projects import layout, statements
from projects.fava_ext.page import RESULTS_LINK
from projects.ledger import read
from projects.periods import parse_period
from tests.conftest import DEMO
from tests.test_serve import slug


def statement_2024(village: str) -> dict[str, Decimal]:
    """The village's 2024 收益及收益分配表 lines (东山村 2024 is closed in the demo)."""
    entries, _, _ = read(DEMO / village / layout.MAIN)
    assert any("closing" in (getattr(e, "tags", None) or ()) for e in entries)
    return statements.year_earnings(entries, parse_period("2024")).lines


def amounts(page, account: str) -> list[str]:
    """The amounts Fava's tree shows on the row of ``account`` and its sub-accounts (Fava
    shows income as a credit, negative; a zero balance as a blank). The innermost list
    item holding the account's link is its row (the others are its parents')."""
    row = page.locator("li", has=page.locator(f"a:text-is('{account}')")).last
    return re.findall(r"-?[\d,]+\.\d\d", row.inner_text())


def test_the_default_page_and_the_sidebar_show_a_closed_years_income(
    demo_server: str, browser
) -> None:
    lines = statement_2024("东山村")
    operating, administration = lines["一、经营收入"], lines["管理费用"]
    assert operating and administration
    page = browser.new_page()
    page.goto(f"{demo_server}/{slug('东山村')}/")
    assert "filter=-%23closing" in page.url  # the default page carries the filter
    link = page.locator(f"aside a:text-is('{RESULTS_LINK}')")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_title(re.compile("损益表"))
    assert "/income_statement/" in page.url and "filter=-%23closing" in page.url
    page.goto(page.url + "&time=2024")
    expect(page.locator("a:text-is('501-经营收入')").first).to_be_visible()
    assert amounts(page, "501-经营收入")[0] == f"{-operating:,.2f}"
    assert amounts(page, "513-管理费用")[0] == f"{administration:,.2f}"
    # without the filter the closing entries zero the closed year: what the link is for
    page.goto(f"{demo_server}/{slug('东山村')}/income_statement/?time=2024")
    expect(page).to_have_title(re.compile("损益表"))
    expect(page.locator("a:text-is('501-经营收入')").first).to_be_visible()
    assert all(Decimal(a.replace(",", "")) == 0 for a in amounts(page, "501-经营收入"))
    page.close()


def test_the_collective_income_page_links_each_year_to_its_income_statement(
    demo_server: str, browser
) -> None:
    operating = statement_2024("东山村")["一、经营收入"]
    page = browser.new_page()
    page.goto(f"{demo_server}/{slug('东山村')}/extension/CollectiveIncome/")
    page.locator("tr[data-year='2024'] a.cz-results").click()
    expect(page).to_have_title(re.compile("损益表"))
    assert "filter=-%23closing" in page.url and "time=2024" in page.url
    expect(page.locator("a:text-is('501-经营收入')").first).to_be_visible()
    assert amounts(page, "501-经营收入")[0] == f"{-operating:,.2f}"
    page.close()
