"""cunzhang serve: Fava over every demo village on a loopback port, in Chinese."""

from __future__ import annotations

import json
import re
import urllib.request

from fava.util import slugify
from playwright.sync_api import expect

from tests.conftest import DEMO

VILLAGES = ["东山村", "西河村", "南岭村", "北坡村"]


def slug(village: str) -> str:
    return urllib.request.quote(slugify(f"青石镇 {village}"))


def ledger_data(html: str) -> dict:
    """The JSON Fava embeds in every page for its front end (accounts, options, errors)."""
    pattern = r'<script type="application/json" id="ledger-data">(.*?)</script>'
    found = re.search(pattern, html, re.S)
    assert found, "Fava page without ledger-data"
    return json.loads(found.group(1))


def test_every_demo_village_is_served(demo_server: str) -> None:
    for village in VILLAGES:
        with urllib.request.urlopen(f"{demo_server}/{slug(village)}/balance_sheet/") as response:
            html = response.read().decode("utf-8")
        assert response.status == 200
        assert f"青石镇 {village}" in html
        data = ledger_data(html)
        assert any(":102-银行存款:" in account for account in data["accounts"])
        assert data["errors"] == []


def test_chinese_fava_in_a_browser(demo_server: str, browser, tmp_path) -> None:
    page = browser.new_page()
    page.goto(f"{demo_server}/{slug('东山村')}/balance_sheet/")
    # Fava's front end sets the report's name in the title once it has rendered the page
    expect(page).to_have_title(re.compile("资产负债表"))
    page.screenshot(path=str(tmp_path / "balance_sheet.png"))
    options = page.locator("header select option, header a").all_inner_texts()
    ledger_menu = " ".join(options) + page.content()
    for village in VILLAGES:
        assert f"青石镇 {village}" in ledger_menu
    page.close()
    assert DEMO.is_dir()
