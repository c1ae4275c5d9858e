"""The Fava pages' results live with their ledger: one cache per ledger, shared by its
pages, replaced when Fava reloads the ledger, and nothing kept at module level."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from projects.fava_ext import page
from projects.layout import villages_under
from scripts.serve import make_app
from tests.favatown import write_township


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    folder = write_township(tmp_path_factory.mktemp("cache") / "ledgers")
    return make_app(villages_under(folder))


def test_each_ledger_has_one_cache_that_its_pages_share(app, monkeypatch) -> None:
    ledgers = [app.config["LEDGERS"].ledger(slug) for slug in app.config["LEDGERS"].slots]
    caches = [page.cache_of(ledger) for ledger in ledgers]
    assert len({id(c) for c in caches}) == len(ledgers) >= 2
    by_id = [v for v in vars(page).values() if isinstance(v, dict) and id(ledgers[0]) in v]
    assert by_id == []  # no module-level dict keyed by id(ledger)
    computed: list[str] = []
    table = page.TABLES["projects"]
    monkeypatch.setitem(
        page.TABLES, "projects", lambda books, year: computed.append(year) or table(books, year)
    )
    client = Client(app)
    for slug in app.config["LEDGERS"].slots:
        for name in (*page.PAGES, "TownshipOverview"):
            assert client.get(f"/{slug}/extension/{name}/?time=2024").status_code == 200
    assert computed == [2024] * len(ledgers)  # once per ledger, not once per page


def test_a_reload_starts_a_new_cache(app) -> None:
    ledger = app.config["LEDGERS"].ledger(next(iter(app.config["LEDGERS"].slots)))
    before = page.cache_of(ledger)
    assert len(before) > 0
    ledger.load_file()
    after = page.cache_of(ledger)
    assert after is not before and page.cache_of(ledger) is after
    assert len(after) >= len(page.TABLES)  # the tables of the new load, computed at load
