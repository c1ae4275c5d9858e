"""cunzhang serve at county scale: villages load when first opened, at most ``max_loaded`` at
once, users share each loaded village, the overview needs no village loaded, no response
shows the server's path, and every figure opens the postings that make it up.

These drive the WSGI gate directly (``werkzeug.test.Client``); the browser tests are in
test_fava_pages.py.
"""

from __future__ import annotations

import html
import re
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import simplejson
from fava.beans.funcs import hash_entry
from werkzeug.test import Client

from projects.fava_ext import overview
from projects.layout import EMBEDDED_LEDGERS, villages_under
from scripts import fava_ledgers
from scripts.read_only_view import STYLE
from scripts.serve import Gate
from tests.test_fava_serve import credentials
from tests.test_serve import ledger_data

JIA = quote("测试镇-甲村")
YI = quote("测试镇-乙村")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A report cache of the test's own (the overview's worker inherits it)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CUNZHANG_CACHE", str(folder))
    return folder


@pytest.fixture
def gate(township: Path, cache: Path) -> Gate:
    """A fresh gate over 测试镇 with its users: nothing loaded yet."""
    return Gate(villages_under(township / "测试镇"), township / "users.json")


def page(client: Client, url: str, user: str = "town") -> str:
    response = client.get(url, headers=credentials(user))
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_nothing_is_loaded_until_a_village_is_opened(gate: Gate) -> None:
    assert gate.ledgers.loads == 0
    assert set(gate.ledgers.slots) == {"测试镇-甲村", "测试镇-乙村"}
    page(Client(gate), f"/{JIA}/balance_sheet/")
    assert gate.ledgers.loaded_slugs() == ["测试镇-甲村"]


def test_two_users_share_one_loaded_village(gate: Gate, monkeypatch) -> None:
    built: list[str] = []
    ledger_class = fava_ledgers.FavaLedger

    def counted(path: str, **kwargs):
        built.append(path)
        return ledger_class(path, **kwargs)

    monkeypatch.setattr(fava_ledgers, "FavaLedger", counted)
    client = Client(gate)
    seen = []
    for user in ("town", "jia", "town", "jia"):
        page(client, f"/{JIA}/extension/ProjectLedger/", user)
        seen.append(id(gate.ledgers.loaded("测试镇-甲村")))
    assert len(built) == 1 and gate.ledgers.loads == 1
    assert len(set(seen)) == 1  # the same FavaLedger for both users
    # Many users at once still load it once.
    other = Gate(gate.villages, gate.auth)
    monkeypatch.setattr(fava_ledgers, "FavaLedger", counted)
    built.clear()
    threads = [
        threading.Thread(target=page, args=(Client(other), f"/{YI}/balance_sheet/", user))
        for user in ("town",) * 6
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1


def test_at_most_max_loaded_villages_stay_loaded(township: Path, cache: Path) -> None:
    gate = Gate(villages_under(township / "测试镇"), max_loaded=1)
    client = Client(gate)
    page(client, f"/{JIA}/balance_sheet/")
    threads = threading.active_count()
    for _ in range(4):
        for slug in (YI, JIA):
            page(client, f"/{slug}/balance_sheet/")
            assert len(gate.ledgers.loaded_slugs()) == 1
    assert gate.ledgers.loads == 9  # each switch loads the other village again
    # a dropped village's file watcher stops: threads do not pile up
    assert threading.active_count() <= threads + 2


def test_max_loaded_must_be_positive(township: Path) -> None:
    with pytest.raises(ValueError):
        fava_ledgers.Ledgers(villages_under(township / "测试镇"), max_loaded=0)


def line_figure(text: str, village: str, figure: str) -> str | None:
    found = re.search(
        rf'data-village="{village}".*?data-figure="{figure}">(?:<a [^>]*>)?([^<]*)<', text, re.S
    )
    return found[1] if found else None


def wait_for_lines(client: Client, url: str, user: str = "town") -> str:
    """The overview once the background worker has computed every line."""
    deadline = time.monotonic() + 120
    while True:
        text = page(client, url, user)
        if 'class="cz-pending"' not in text:
            return text
        assert time.monotonic() < deadline, "the overview's lines were never computed"
        time.sleep(0.5)


def amount(text: str | None) -> Decimal:
    assert text is not None
    return Decimal(text.replace(",", ""))


def test_the_overview_loads_no_other_village_and_adds_up(gate: Gate) -> None:
    client = Client(gate)
    first = page(client, f"/{JIA}/extension/TownshipOverview/")
    assert gate.ledgers.loaded_slugs() == ["测试镇-甲村"]  # 乙村 is not loaded for it
    assert 'data-village="乙村"' in first
    assert 'data-village="合计"' in first
    text = wait_for_lines(client, f"/{JIA}/extension/TownshipOverview/")
    assert gate.ledgers.loaded_slugs() == ["测试镇-甲村"]
    assert line_figure(text, "甲村", "operating") == "102,000.00"  # 2025, from the ledger
    assert line_figure(text, "乙村", "operating") == "30,000.00"  # 2024, from the worker
    assert amount(line_figure(text, "合计", "operating")) == Decimal("132000")
    for figure in (*overview.SUMMED, *overview.COUNTED):
        parts = [amount(line_figure(text, v, figure)) for v in ("甲村", "乙村")]
        assert amount(line_figure(text, "合计", figure)) == sum(parts), figure
    # Fava's time filter selects the year.
    text = wait_for_lines(client, f"/{JIA}/extension/TownshipOverview/?time=2024")
    assert line_figure(text, "甲村", "operating") == "38,600.00"
    assert line_figure(text, "乙村", "operating") == "30,000.00"
    assert line_figure(text, "合计", "operating") == "68,600.00"


def test_distinct_years_do_not_grow_the_overview(gate: Gate) -> None:
    client = Client(gate)
    lines = gate.app.config[overview.LINES]
    for year in range(1900, 1900 + 3 * overview.YEARS_KEPT):
        page(client, f"/{JIA}/extension/TownshipOverview/?time={year}")
    # one village not loaded (乙村), so one line per year kept or queued
    assert len(lines) <= overview.YEARS_KEPT + 1


def test_the_overview_and_menu_show_only_granted_villages(gate: Gate) -> None:
    client = Client(gate)
    text = page(client, f"/{JIA}/extension/TownshipOverview/", "jia")
    assert "乙村" not in text
    assert ledger_data(text)["other_ledgers"] == []  # the ledger menu
    assert client.get("/", headers=credentials("jia")).headers["Location"].startswith(f"/{JIA}/")
    assert client.get(f"/{YI}/balance_sheet/", headers=credentials("jia")).status_code == 403
    assert gate.ledgers.loaded("测试镇-乙村") is None
    town = ledger_data(page(client, f"/{JIA}/balance_sheet/", "town"))
    assert [title for title, _ in town["other_ledgers"]] == ["测试镇 乙村"]
    assert gate.ledgers.loaded("测试镇-乙村") is None  # listed, not loaded


def path_forms(path: Path) -> list[str]:
    """``path`` as text, JSON-escaped and URL-encoded."""
    text = str(path)
    return [text, simplejson.dumps(text)[1:-1], quote(text), quote(text, safe="")]


def served_urls(gate: Gate, slug: str) -> list[str]:
    """Fava's pages and API answers that could name a file, for one village."""
    ledger = gate.ledgers.ledger(slug)
    entry = next(e for e in ledger.all_entries if type(e).__name__ == "Transaction")
    base = f"/{quote(slug)}"
    return [
        f"{base}/balance_sheet/",
        f"{base}/journal/",
        f"{base}/errors/",
        f"{base}/editor/",
        f"{base}/documents/",
        f"{base}/options/",
        f"{base}/statistics/",
        f"{base}/api/ledger_data",
        f"{base}/api/errors",
        f"{base}/api/documents",
        f"{base}/api/events",
        f"{base}/api/statistics",
        f"{base}/api/context?entry_hash={hash_entry(entry)}",
        f"{base}/api/source_slice?entry_hash={hash_entry(entry)}",
        f"{base}/api/source?filename=",
        f"{base}/api/context?entry_hash=nothing",
        *(
            f"{base}/extension/{name}/"
            for name in ("ProjectLedger", "SupportFunds", "TownshipOverview")
        ),
    ]


@pytest.mark.parametrize("demo", [False, True], ids=["测试镇", "青石镇"])
def test_no_response_shows_the_server_path(
    tmp_path: Path, township: Path, cache: Path, demo: bool
) -> None:
    folder = EMBEDDED_LEDGERS / "青石镇" if demo else township / "测试镇"
    gate = Gate(villages_under(folder))
    client = Client(gate)
    root = folder.resolve().parent
    for slug in gate.ledgers.slots:
        for url in served_urls(gate, slug):
            response = client.get(url)
            body = response.get_data(as_text=True)
            for form in path_forms(root):
                assert form not in body, (url, response.status_code, form)
    # A writable server (the accountant's own) keeps Fava's paths: its editor needs them.
    writable = Client(Gate(villages_under(folder), writable=True))
    slug = quote(next(iter(gate.ledgers.slots)))
    assert str(root) in writable.get(f"/{slug}/api/ledger_data").get_data(as_text=True)


def test_a_relabelled_document_link_still_opens(gate: Gate) -> None:
    client = Client(gate)
    funds = page(client, f"/{JIA}/extension/SupportFunds/")
    found = re.search(r'data-figure="found"><a href="([^"]+)"', funds)
    assert found
    postings = page(client, html.unescape(found[1]))
    link = re.search(r'href="([^"]*/document/\?filename=[^"]+)"', postings)
    assert link, "no document link in the postings"
    assert "filename=账套/测试镇/甲村/documents/" in unquote(link[1])  # not the server's path
    response = client.get(html.unescape(link[1]), headers=credentials("town"))
    assert response.status_code == 200
    assert response.data[:2] == b"PK"


def test_read_only_pages_hide_the_edit_buttons(township: Path, cache: Path) -> None:
    villages = villages_under(township / "测试镇")
    read_only = page(Client(Gate(villages)), f"/{JIA}/journal/")
    assert STYLE.decode() in read_only
    writable = Client(Gate(villages, writable=True)).get(f"/{JIA}/journal/")
    assert STYLE.decode() not in writable.get_data(as_text=True)


#: A figure's link to its 明细: the postings (``postings``), or a unit's shares of its
#: projects' spending postings (``shares``, whose total is of the shares).
FIGURE_LINK = re.compile(
    r'data-figure="(\w+)"><a href="([^"]*/(?:postings|shares)\?[^"]+)">([^<]*)<'
)


@pytest.mark.parametrize("demo", [False, True], ids=["测试镇", "青石镇"])
@pytest.mark.parametrize("year", [None, 2024])
def test_every_figure_opens_postings_that_add_up_to_it(
    township: Path, cache: Path, demo: bool, year: int | None
) -> None:
    folder = EMBEDDED_LEDGERS / "青石镇" if demo else township / "测试镇"
    gate = Gate(villages_under(folder))
    client = Client(gate)
    checked = 0
    shares = 0
    time_filter = f"?time={year}" if year else ""
    for slug in gate.ledgers.slots:
        for name in ("ProjectLedger", "SupportFunds", "CollectiveIncome"):
            text = page(client, f"/{quote(slug)}/extension/{name}/{time_filter}")
            for figure, href, shown in FIGURE_LINK.findall(text):
                postings = page(client, html.unescape(href))
                key = "remaining" if figure == "remaining" else "total"
                total = re.search(rf'data-figure="{key}">([^<]*)<', postings)
                assert total and total[1] == shown, (slug, name, figure, shown, total)
                if key == "total" and shown != "0.00":
                    assert 'data-figure="amount"' in postings
                checked += 1
                shares += (name, figure) == ("SupportFunds", "spent")
    assert checked >= 10
    assert shares >= 1  # a unit's 已支出 opens its shares of the spending
