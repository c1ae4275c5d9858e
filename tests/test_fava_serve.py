"""cunzhang serve: read-only whatever Fava accepts, basic auth with grants, documents confined.

These tests drive the WSGI gate in front of Fava directly (``werkzeug.test.Client``); the
browser tests (test_fava_pages.py) drive the same gate through a real server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from werkzeug.test import Client

from projects.layout import villages_under
from scripts.cli import main
from scripts.serve import SAFE_METHODS, Gate, make_app
from scripts.users import check_password, read_users
from tests.conftest import AUDITOR_PASSWORD, run_cli

JIA = quote("测试镇-甲村")
YI = quote("测试镇-乙村")


def credentials(user: str, password: str = AUDITOR_PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def digest(folder: Path) -> str:
    """Every file under the ledgers folder, by path and content."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path).encode() + path.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def villages(township: Path) -> list[Path]:
    return villages_under(township / "测试镇")


@pytest.fixture(scope="module")
def gate(township: Path, villages: list[Path]) -> Gate:
    return Gate(villages, township / "users.json")


def mutating_requests(villages: list[Path]) -> list[tuple[str, str]]:
    """(method, URL) for every rule of the installed Fava that accepts a change."""
    app = make_app(villages, writable=True)
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - SAFE_METHODS):
            url = rule.rule.replace("<bfile>", JIA)
            url = re.sub(r"<(?:[^>:]+:)?([^>]+)>", "x", url)
            found.append((method, url))
    return found


def test_fava_has_mutating_endpoints_and_each_is_refused(
    gate: Gate, villages: list[Path], township: Path
) -> None:
    requests = mutating_requests(villages)
    urls = {url for _, url in requests}
    # The endpoints the installed Fava accepts changes on (fava 1.30: source, entries,
    # documents, imports, moves, formatting, extension endpoints).
    for expected in ("api/source", "api/add_entries", "api/add_document", "api/document"):
        assert any(url.endswith(expected) for url in urls), expected
    before = digest(township)
    client = Client(gate)
    for method, url in requests:
        for headers in ({}, credentials("town")):
            response = client.open(url, method=method, headers=headers, data=b"{}")
            assert response.status_code == 403, (method, url, response.status_code)
            assert "只读" in response.get_data(as_text=True)
    assert digest(township) == before


def test_writable_lets_fava_answer(villages: list[Path]) -> None:
    client = Client(Gate(villages, writable=True))
    response = client.put(
        f"/{JIA}/api/format_source",
        json={"source": "2024-01-01 open A"},
        headers={"Origin": "http://localhost"},  # as a browser on the server's own page
    )
    assert response.status_code != 403


def test_login_required(gate: Gate) -> None:
    client = Client(gate)
    assert client.get(f"/{JIA}/balance_sheet/").status_code == 401
    wrong = client.get(f"/{JIA}/balance_sheet/", headers=credentials("town", "wrong-password"))
    assert wrong.status_code == 401
    assert "Basic" in wrong.headers["WWW-Authenticate"]
    assert client.get(f"/{JIA}/balance_sheet/", headers=credentials("nobody")).status_code == 401


def test_a_user_sees_only_the_granted_village(gate: Gate) -> None:
    client = Client(gate)
    jia = credentials("jia")
    page = client.get(f"/{JIA}/extension/TownshipOverview/", headers=jia)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "甲村" in html
    assert "乙村" not in html  # neither in the overview nor in the ledger menu
    assert client.get(f"/{YI}/balance_sheet/", headers=jia).status_code == 403
    assert client.get(f"/{YI}/api/journal", headers=jia).status_code == 403
    assert client.get(f"/{quote('不存在')}/", headers=jia).status_code == 403
    town = client.get(f"/{JIA}/extension/TownshipOverview/", headers=credentials("town"))
    assert "乙村" in town.get_data(as_text=True)
    assert client.get(f"/{YI}/balance_sheet/", headers=credentials("town")).status_code == 200


def test_documents_cannot_escape_the_documents_folder(
    gate: Gate, villages: list[Path], tmp_path: Path
) -> None:
    client = Client(gate)
    town = credentials("town")
    jia = next(v for v in villages if v.name == "甲村")
    sheet = next((jia / "documents").rglob("*.xlsx"))
    inside = client.get(f"/{JIA}/document/", query_string={"filename": str(sheet)}, headers=town)
    assert inside.status_code == 200
    assert inside.data[:2] == b"PK"
    for escape in (
        str(jia / "documents" / ".." / "main.beancount"),
        str(sheet.parent / ".." / ".." / ".." / ".." / "main.beancount"),
        "../../../../../../etc/passwd",
        "/etc/passwd",
    ):
        response = client.get(f"/{JIA}/document/", query_string={"filename": escape}, headers=town)
        assert response.status_code in (403, 404), escape
        assert b"root:" not in response.data and b"option" not in response.data


def test_a_document_entry_outside_the_folder_is_not_served(tmp_path: Path) -> None:
    """Fava serves any file a ``document`` entry names; the gate does not."""
    from tests.favatown import add_village

    secret = tmp_path / "secret.txt"
    secret.write_text("secret", "utf-8")
    village = add_village(tmp_path / "ledgers", "丙村", {}, "")
    with (village / "journal" / "2024.beancount").open("a", encoding="utf-8") as journal:
        journal.write(f'2024-02-01 document Assets:101-库存现金 "{secret}"\n')
    client = Client(Gate([village]))
    slug = quote("测试镇-丙村")
    response = client.get(f"/{slug}/document/", query_string={"filename": str(secret)})
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_user_add_stores_salted_hashes(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    empty = run_cli("user", "add", str(users), "a", "--grant", "青石镇", "--password-stdin")
    assert empty.exit_code == 1  # no password on stdin: refused, nothing written
    assert not users.exists()
    for name in ("a", "b"):
        result = CliRunner().invoke(
            main,
            ["user", "add", str(users), name, "--grant", "青石镇/东山村", "--grant", "西乡"],
            input="same-password\nsame-password\n",
        )
        assert result.exit_code == 0, result.output
    text = users.read_text("utf-8")
    assert "same-password" not in text
    assert users.stat().st_mode & 0o077 == 0
    found = read_users(users)
    assert found["a"].password != found["b"].password  # salted
    assert check_password("same-password", found["a"].password)
    assert not check_password("other", found["a"].password)
    assert found["a"].grants == {"青石镇/东山村", "西乡"}
    assert json.loads(text)["users"]["b"]["grants"] == ["西乡", "青石镇/东山村"]
    bad = CliRunner().invoke(
        main, ["user", "add", str(users), "c", "--grant", "../etc"], input="x" * 9 + "\n" * 2
    )
    assert bad.exit_code != 0


def test_serving_beyond_loopback_needs_auth(ledgers: Path) -> None:
    result = run_cli("serve", "--host", "0.0.0.0", ledgers=ledgers)
    assert result.exit_code == 2
    assert "--auth" in result.output


def figure(html: str, row: str, name: str) -> str:
    """The text of a page's figure ``name`` in the table row marked ``row``."""
    found = re.search(rf'{row}.*?data-figure="{name}">(?:<a [^>]*>)?([^<]*)<', html, re.S)
    assert found, (row, name)
    return found[1]


def test_a_change_to_the_books_shows_at_the_next_request(tmp_path: Path) -> None:
    """The pages' tables are computed once per load of a ledger; when a file changes, Fava
    reloads the ledger at the village's next request and its pages (and, from then on, the
    township overview) show the new figures."""
    from tests.favatown import BANK, write_township

    township = write_township(tmp_path / "ledgers")
    client = Client(make_app(villages_under(township)))

    def page(slug: str, name: str) -> str:
        response = client.get(f"/{slug}/extension/{name}/")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    income = figure(page(JIA, "CollectiveIncome"), 'data-year="2025"', "operating")
    overview = figure(page(YI, "TownshipOverview"), 'data-village="甲村"', "operating")
    assert income == overview == "102,000.00"
    with (township / "甲村" / "journal" / "2025.beancount").open("a", encoding="utf-8") as out:
        out.write(
            f'\n2025-07-01 * "县鲜菇批发市场" "收到香菇销售款"\n  {BANK}  3000.00 CNY\n'
            "  Income:501-经营收入:50101-香菇销售  -3000.00 CNY\n"
        )
    deadline = time.monotonic() + 30  # Fava's file watcher notices the change
    while figure(page(JIA, "CollectiveIncome"), 'data-year="2025"', "operating") != "105,000.00":
        assert time.monotonic() < deadline, "the change never showed on 集体经济"
        time.sleep(0.2)
    assert figure(page(YI, "TownshipOverview"), 'data-village="甲村"', "operating") == "105,000.00"
