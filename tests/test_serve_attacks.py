"""cunzhang serve under attack: beanquery commands that write or read files, DNS rebinding,
cross-origin writes, a cache filled by distinct requests, garbage parameters and slow clients.

Most tests drive the WSGI gate directly (``werkzeug.test.Client``); the host allow-list
(through ``--allowed-host``) and the slow clients are tried on a real ``cunzhang serve``.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from werkzeug.test import Client, TestResponse

from projects.fava_ext import page
from projects.layout import villages_under
from scripts import serve
from scripts.serve import Gate, allowed_hosts, make_app
from tests.conftest import serving
from tests.test_fava_serve import digest, mutating_requests

JIA = quote("测试镇-甲村")
#: Queries the ledger of 甲村 defines (``run NAME``): one reads, one would read a file.
LEDGER_QUERIES = """
2025-01-01 query "现金余额" "SELECT account, sum(position) WHERE account ~ '银行' GROUP BY account"
2025-01-01 query "偷看" "CREATE TABLE t USING 'csv:/etc/passwd'"
"""


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """测试镇 of our own (the attacks try to write into it), 甲村 with two queries."""
    from tests.favatown import write_township

    folder = write_township(tmp_path_factory.mktemp("attacks") / "ledgers")
    with (folder / "甲村" / "journal" / "2025.beancount").open("a", encoding="utf-8") as out:
        out.write(LEDGER_QUERIES)
    return folder


@pytest.fixture(scope="module")
def villages(township: Path) -> list[Path]:
    return villages_under(township)


@pytest.fixture(scope="module")
def client(villages: list[Path]) -> Client:
    """The default ``serve``: no login, read-only, loopback."""
    return Client(Gate(villages))


def message(response: TestResponse) -> str:
    """The refusal's text: Fava's API answers JSON (``error``), pages plain text."""
    if response.mimetype == "application/json":
        return response.json["error"]
    return response.get_data(as_text=True)


# --- 1. only queries that read the ledger reach beanquery --------------------------------


def attack_queries(target: Path) -> list[str]:
    """Dot-commands writing ``target`` in every spelling, table statements reading files,
    and statements with something after (or before) them."""
    dots = [
        f"{lead}{command}{space}{target}{tail}"
        for lead in ("", " ", "\t", "\n ")
        for command in (".output", ".OUTPUT", ".Output", "output")
        for space in (" ", "\t", "  ")
        for tail in ("", ";", " ; SELECT 1", " /* x */")
    ]
    files = ("/etc/passwd", "/dev/zero", str(target))
    tables = [
        statement.format(file=file)
        for file in files
        for statement in (
            "CREATE TABLE t USING 'csv:{file}'",
            "create table t (a str) using 'csv:{file}'",
            "  Create Table t Using 'csv:{file}';",
            "CREATE TABLE t USING 'csv:{file}' AS SELECT 1",
            "INSERT INTO t VALUES ('{file}')",
        )
    ]
    trailing = [
        f"{first}{separator}{second}"
        for first in ("SELECT 1", "BALANCES", "PRINT", "run 现金余额")
        for separator in (";", "; ", ";\n", " ;\t")
        for second in (f".output {target}", f"CREATE TABLE t USING 'csv:{target}'", "SELECT 2")
    ]
    other = [
        f"/* x */ .output {target}",
        f"/* x */ SELECT 1; .output {target}",
        'SELECT * FROM "t"',
        "SELECT * FROM #t",
        "SELECT * FROM t",
        "SELECT * FROM (SELECT * FROM #csv)",
        "SELECT account FROM #postings WHERE account IN (SELECT name FROM #evil)",
        "run 偷看",
        "run 不存在",
        "run 现金余额 偷看",
        "run '现金余额",
        ".run 偷看",
        ".tables",
        ".describe postings",
        ".set format csv",
        ".format csv",
        ".explain SELECT 1",
        ".parse SELECT 1",
        ".errors",
        ".history",
        ".help",
        "help",
        "? output",
        "!cat /etc/passwd",
        "",
        " ",
        "\x00",
        "SELECT (",
        "SELECT " + "1 + " * 5000 + "1",
    ]
    return dots + tables + trailing + other


def query_urls(query: str) -> list[tuple[str, dict[str, str]]]:
    """(URL, arguments) of every route that hands ``query_string`` to beanquery."""
    return [
        (f"/{JIA}/api/query", {"query_string": query}),
        (f"/{JIA}/download-query/query_result.csv", {"query_string": query}),
        (f"/{JIA}/download-query/query_result.xlsx", {"query_string": query}),
        (f"/{JIA}/query/", {"query_string": query}),
    ]


def test_queries_that_do_more_than_read_are_refused(
    client: Client, township: Path, tmp_path: Path
) -> None:
    journal = township / "乙村" / "journal" / "2024.beancount"
    new_file = tmp_path / "run.sh"
    before = digest(township)
    attacks = attack_queries(journal) + attack_queries(new_file)
    for query in attacks:
        for url, args in query_urls(query):
            response = client.get(url, query_string=args)
            text = message(response)
            assert response.status_code == 403, (url, query, response.status_code)
            assert text.startswith("查询被拒绝: ") and text.strip().count("\n") == 0, text
    # the same attack hidden as the second of two query_string arguments
    twice = client.get(
        f"/{JIA}/api/query",
        query_string=[("query_string", "SELECT 1"), ("query_string", attacks[0])],
    )
    assert twice.status_code == 403
    assert digest(township) == before
    assert journal.stat().st_size > 0
    assert not new_file.exists()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT date, narration, position WHERE account ~ '银行'",
        "select account, sum(position) from #postings group by account;",
        "SELECT * FROM year = 2024",
        "SELECT account FROM #accounts",
        "BALANCES",
        "BALANCES FROM year = 2025",
        'JOURNAL "Assets:102-银行存款:10201-青石农商行"',
        "PRINT FROM year = 2025",
        "run 现金余额",
        '.run "现金余额"',
    ],
)
def test_queries_that_read_still_run(client: Client, query: str) -> None:
    response = client.get(f"/{JIA}/api/query", query_string={"query_string": query})
    assert response.status_code == 200, message(response)
    data = response.json["data"]
    if query.startswith("PRINT"):  # text (empty: Fava 1.30 drops beanquery 0.2's PRINT)
        assert data["t"] == "string"
    else:
        assert data["rows"], data
        download = client.get(
            f"/{JIA}/download-query/query_result.csv", query_string={"query_string": query}
        )
        assert download.status_code == 200
        assert download.data.count(b"\n") >= 2


# --- 2. the host allow-list and cross-origin writes ---------------------------------------

FOREIGN_HOSTS = [
    "attacker.example",
    "attacker.example:5000",
    "127.0.0.1.attacker.example",
    "localhost.attacker.example:5000",
    "localhost@attacker.example",
    "attacker.example/localhost",
    "[::2]:5000",
    "127.0.0.2",
    "0.0.0.0",
    "localhost:port",
    "localhost:",
    "",
]
OWN_HOSTS = ["127.0.0.1", "127.0.0.1:5000", "localhost", "LOCALHOST:8080", "[::1]", "[::1]:5000"]


def test_only_this_servers_names_are_served(villages: list[Path]) -> None:
    gate = Gate(villages, hosts=allowed_hosts("127.0.0.1", ["ledger.example.org"]))
    client = Client(gate)
    url = f"/{JIA}/api/journal"
    for host in FOREIGN_HOSTS:
        response = client.get(url, environ_overrides={"HTTP_HOST": host})
        assert response.status_code == 400, host
        assert "--allowed-host" in response.get_data(as_text=True)
        assert b"10201" not in response.data
    for host in [*OWN_HOSTS, "ledger.example.org", "Ledger.Example.Org:443"]:
        response = client.get(url, environ_overrides={"HTTP_HOST": host})
        assert response.status_code == 200, host


def test_allowed_hosts_follow_the_listening_address() -> None:
    assert allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts("0.0.0.0") == {"127.0.0.1", "localhost", "::1"}
    assert "192.168.1.5" in allowed_hosts("192.168.1.5")
    assert "cz.example.org" in allowed_hosts("0.0.0.0", ["CZ.example.org"])


@pytest.fixture(scope="module")
def server_url(township: Path) -> Iterator[str]:
    """``cunzhang serve 测试镇 --allowed-host ledger.example.org`` on a loopback port."""
    allowed = ("--allowed-host", "ledger.example.org")
    with serving("测试镇", *allowed, ledgers=township.parent) as url:
        yield url


def get(url: str, path: str, host: str | None = None) -> http.client.HTTPResponse:
    """GET ``path`` from the server at ``url``, sending ``host`` as the Host header."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    return connection.getresponse()


def test_a_rebound_name_gets_nothing_from_the_server(server_url: str) -> None:
    path = f"/{JIA}/api/journal"
    for host in FOREIGN_HOSTS[:6]:
        response = get(server_url, path, host)
        assert response.status == 400, host
        assert b"10201" not in response.read()
    port = urlsplit(server_url).port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "ledger.example.org"):
        response = get(server_url, path, host)
        assert response.status == 200, host
        assert b"10201" in response.read()


CROSS_ORIGIN = [
    {},  # neither Origin nor Referer
    {"Origin": "http://attacker.example"},
    {"Origin": "http://localhost.attacker.example"},
    {"Origin": "http://localhost:6666"},  # another port is another site
    {"Origin": "null"},
    {"Origin": "http://attacker.example", "Referer": "http://localhost/x/"},
    {"Referer": "http://attacker.example/localhost/"},
    {"Referer": "http://attacker.example/?http://localhost/"},
    {"Referer": "not a url"},
]


def test_writable_refuses_changes_from_other_sites(township: Path, villages: list[Path]) -> None:
    client = Client(Gate(villages, writable=True))
    before = digest(township)
    for method, url in mutating_requests(villages):
        for headers in CROSS_ORIGIN:
            response = client.open(url, method=method, headers=headers, data=b"{}")
            assert response.status_code == 403, (method, url, headers)
            assert "拒绝来自其他网页的修改" in response.get_data(as_text=True)
    assert digest(township) == before
    source = {"source": "2024-01-01 open A"}
    for headers in ({"Origin": "http://localhost"}, {"Referer": "http://localhost/x/journal/"}):
        response = client.put(f"/{JIA}/api/format_source", json=source, headers=headers)
        assert response.status_code == 200, headers


# --- 4. bounded caches, and 400 (never 500) for garbage -----------------------------------


def test_distinct_periods_and_years_do_not_grow_the_cache(villages: list[Path]) -> None:
    app = make_app(villages)
    client = Client(app)
    ledger = app.config["LEDGERS"]["测试镇-甲村"]
    first = client.get(f"/{JIA}/extension/DisclosurePreview/html?period=2024Q1").data
    periods = [f"{year}{suffix}" for year in range(1990, 2030) for suffix in ("", "Q2", "-07")]
    for period in periods:
        response = client.get(f"/{JIA}/extension/DisclosurePreview/html?period={period}")
        assert response.status_code == 200
    for year in range(1900, 1900 + page.CACHE_SIZE):
        assert client.get(f"/{JIA}/extension/ProjectLedger/?time={year}").status_code == 200
    assert len(page.cache_of(ledger)) <= page.CACHE_SIZE
    again = client.get(f"/{JIA}/extension/DisclosurePreview/html?period=2024Q1").data
    assert again == first  # dropped from the cache, computed again the same


#: Raw query-string values: NUL, long, invalid UTF-8, bad dates, regex and filter syntax.
GARBAGE = [
    "%00",
    "2024Q1%00",
    "x" * 3000,
    "%ff%fe",
    "%c3%28",
    "%e2%82",
    "2024Q5",
    "0000",
    "2024-13",
    "9999-12",
    "(",
    "%27",
    "%5B",
    "%5C",
    "-1",
    "1e999",
    "%E2%80%AE",
    "%7B%7B7*7%7D%7D",
]
PARAMETERS = ["period", "download", "time", "filter", "account", "conversion", "interval"]
EXTENSION_URLS = [
    *(f"/{JIA}/extension/{name}/" for name in (*page.PAGES, "TownshipOverview")),
    f"/{JIA}/extension/DisclosurePreview/html",
    f"/{JIA}/extension/DisclosurePreview/xlsx",
]


@pytest.mark.parametrize("url", EXTENSION_URLS)
def test_garbage_parameters_never_crash_the_pages(client: Client, url: str) -> None:
    for name in PARAMETERS:
        for value in GARBAGE:
            response = client.get(url, query_string=f"{name}={value}")
            assert response.status_code < 500, (url, name, value, response.status_code)


@pytest.mark.parametrize("period", ["2024Q5", "x", "2024-00", "0000", "2024Q1%00", "%ff"])
def test_an_invalid_period_is_a_bad_request(client: Client, period: str) -> None:
    for endpoint in ("", "html", "xlsx"):
        url = f"/{JIA}/extension/DisclosurePreview/{endpoint}"
        response = client.get(url, query_string=f"period={period}")
        assert response.status_code == 400, (endpoint, period)
        assert "应写成 2024Q1、2024-03 或 2024" in response.get_data(as_text=True)


def test_garbage_in_files_filters_and_downloads_is_a_bad_request(client: Client) -> None:
    cases = [
        ("document/", "filename=%00", "文件名无效"),
        ("document/", "filename=documents%2F%00x.xlsx", "文件名无效"),
        ("statement/", "", "请求有误"),
        ("statement/", "entry_hash=%00&key=%ff", "请求有误"),
        ("api/journal", "time=0000", "筛选条件有误"),
        ("api/journal", "account=(", "筛选条件有误"),
        ("income_statement/", "time=9999-13", "筛选条件有误"),
        ("download-query/query_result.exe", "query_string=SELECT+1", "不支持的下载格式"),
        ("download-query/query_result.csv", "query_string=SELECT+nosuchcolumn", "请求有误"),
        ("download-query/query_result.csv", "query_string=PRINT", "请求有误"),
        ("api/query", "query_string=SELECT+nosuchcolumn", "请求有误"),
        ("api/query", "query_string=SELECT+sum(nosuchcolumn)+GROUP+BY+1", "请求有误"),
    ]
    for path, arguments, reason in cases:
        response = client.get(f"/{JIA}/{path}", query_string=arguments)
        assert response.status_code == 400, (path, arguments, response.status_code)
        assert reason in message(response), (path, arguments)


# --- 12. slow clients ---------------------------------------------------------------------


def half_open(url: str, count: int) -> list[socket.socket]:
    """``count`` connections that each send half a request line, then nothing."""
    address = urlsplit(url)
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((address.hostname, address.port), timeout=30)
        sock.sendall(b"GET /static/favicon.ico HT")
        sockets.append(sock)
    return sockets


def test_slow_clients_do_not_stall_the_others(server_url: str) -> None:
    slow = half_open(server_url, 20)
    try:
        time.sleep(0.5)  # every slow connection has been handed to a worker thread
        started = time.monotonic()
        response = get(server_url, "/static/favicon.ico")
        elapsed = time.monotonic() - started
        assert response.status == 200
        assert elapsed < serve.TIMEOUT / 2, f"a normal request waited {elapsed:.1f}s"
    finally:
        for sock in slow:
            sock.close()


def test_a_silent_connection_is_dropped_after_the_timeout(server_url: str) -> None:
    (sock,) = half_open(server_url, 1)
    with sock:
        started = time.monotonic()
        answer = sock.recv(1024)  # the server gives up: closes, or answers 408
        elapsed = time.monotonic() - started
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
    assert serve.TIMEOUT - 1 < elapsed < serve.TIMEOUT + 3, elapsed


def test_the_query_guard_is_an_allow_list() -> None:
    """The pure check behind the 403s: what its docstring says passes, passes."""
    from scripts.query_guard import refusal

    queries = {"月报": "SELECT account"}
    for passes in ("SELECT 1", "BALANCES;", "run 月报", "SELECT * FROM #", "SELECT 'a;b'"):
        assert refusal(passes, queries) is None, passes
    for refused in (".output x", "CREATE TABLE t USING 'csv:x'", "SELECT 1; SELECT 2", "/**/"):
        assert refusal(refused, queries), refused
