"""Serving village ledgers in Fava: ``cunzhang serve``, read-only and with access control.

Fava has no authentication and its ``--read-only`` still answers some writes with 401
instead of refusing them, so every request goes through ``Gate``, a WSGI application in
front of Fava, whose rules apply in this order:

- the ``Host`` header must name this server: a loopback name (``127.0.0.1``, ``localhost``,
  ``::1``), the ``--host`` address or an ``--allowed-host`` name, with any port; else 400
  (a web page on another site cannot reach the server by rebinding its DNS name);
- any method but GET, HEAD and OPTIONS is refused with 403 unless ``--writable``; with
  ``--writable``, a change must come from one of the server's own pages: its ``Origin``
  (else its ``Referer``) must name the host the request was sent to;
- with ``--auth FILE``, HTTP basic authentication against salted scrypt hashes
  (``cunzhang user add``); any other ledger's URL than those the user's grants cover
  answers 403, and the request carries the granted villages, the only ones the ledger
  menu and the township overview show. Only Fava's static assets (``/static/``: its
  scripts, styles and icons) need no login.

Read-only, no response shows the server's path of the ledgers, and Fava's buttons for
changes are hidden (``scripts.read_only_view``).

One Fava application serves every user, and loads each village at its first request, at
most ``--max-loaded`` at once (``scripts.fava_ledgers``): users share the loaded copy.

Inside Fava (``make_app``):

- a ``query_string`` reaches beanquery only if it reads the ledger (``scripts.query_guard``:
  SELECT, BALANCES, JOURNAL, PRINT, or ``run`` of a query the ledger defines); anything else
  (``.output FILE``, ``CREATE TABLE ... USING 'csv:...'``) is refused with 403;
- documents (``/document/``, ``/statement/``) are served only from inside the ledger's
  ``documents`` folders, whatever ``document`` entries or options say;
- garbage in a request's parameters (a filter Fava cannot parse, a NUL byte in a file name,
  an unknown download format) is answered 400 with the reason, never 500.

cheroot serves with ``THREADS`` worker threads; a connection that sends nothing for
``TIMEOUT`` seconds in the middle of a request is dropped, so that slow or half-open
connections hold a thread for at most that long while the others keep serving.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import click
from cheroot.wsgi import Server
from fava.application import create_app
from fava.context import g
from fava.core.filters import FilterError
from fava.helpers import FavaAPIError
from fava.json_api import json_err
from flask import Flask, Response, abort, request

from projects.fava_ext import overview
from scripts import query_guard
from scripts.fava_ledgers import GRANTED, MAX_LOADED, Ledgers
from scripts.read_only_view import ReadOnlyView, ledgers_root
from scripts.users import User, check_password, read_users

#: Methods that cannot change anything.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: First path segments of Fava's URLs that name no ledger.
NOT_LEDGERS = frozenset({"", "static", "jump"})
#: Fava's own scripts, styles and icons, the same for everyone: served without a login.
PUBLIC = "static"
#: Fava's endpoints that send a file from disk.
FILE_ENDPOINTS = frozenset({"document", "statement"})
#: The formats Fava's ``download-query`` writes.
QUERY_FORMATS = frozenset({"csv", "xlsx", "ods"})
#: The names every server answers to: this machine's.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: A ``Host`` header or an origin's host: a name or IPv4 address, or an IPv6 address in
#: brackets, and an optional port.
HOST = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::[0-9]{1,5})?")

#: cheroot's worker threads: each request, and each connection that is sending one,
#: holds one; more connections than this wait for a thread.
THREADS = 48
#: Seconds a connection may stay silent while sending its request (or while taking in
#: the response) before it is dropped, freeing its thread.
TIMEOUT = 5
#: The longest request line and headers accepted, in bytes (longer: 414/413).
MAX_HEADER_BYTES = 64 * 1024

StartResponse = Callable[..., object]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str | None:
    """The host a ``Host`` header (or an origin's ``host:port``) names, lowercased, or
    none if it is no host at all."""
    found = HOST.fullmatch(value)
    if not found:
        return None
    return (found["ipv6"] or found["name"]).lower()


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a server listening on ``host`` answers to: the loopback names, ``host``
    itself unless it is a wildcard (``0.0.0.0``, ``::``), and the ``--allowed-host`` ones."""
    names = set(LOOPBACK_HOSTS) | {name.lower() for name in extra}
    if host not in ("0.0.0.0", "::", ""):
        names.add(host.lower())
    return frozenset(names)


def documents_folders(ledger: object) -> list[Path]:
    """The ledger's ``documents`` folders, resolved."""
    return [ledger.join_path(folder) for folder in ledger.options["documents"]]  # type: ignore[attr-defined]


def inside_documents(filename: str, ledger: object) -> bool:
    """Whether a file lies inside one of the ledger's ``documents`` folders."""
    path = Path(filename).resolve()
    return any(path.is_relative_to(folder) for folder in documents_folders(ledger))


def ledger_queries(ledger: object | None) -> dict[str, str]:
    """The ledger's ``query`` directives, by name: what ``run NAME`` runs."""
    if ledger is None:
        return {}
    return {q.name: q.query_string for q in ledger.all_entries_by_type.Query}  # type: ignore[attr-defined]


def refused(status: HTTPStatus, message: str) -> Response:
    """A refusal from inside Fava: its message as JSON for Fava's API (whose front end
    shows ``error``), as a line of text for a page."""
    if request.blueprint == "json_api":
        return json_err(message, status)
    return Response(message + "\n", status, mimetype="text/plain")


def make_app(
    villages: list[Path], *, writable: bool = False, max_loaded: int = MAX_LOADED
) -> Flask:
    """A Fava application over the villages' ledgers, each loaded when first opened (at
    most ``max_loaded`` at once, ``scripts.fava_ledgers``), whose township overview is
    computed in the background (``projects.fava_ext.overview``), that runs only queries
    that read, serves documents only from the ledgers' ``documents`` folders and answers
    garbage in a request with 400."""
    app = create_app([], read_only=not writable)
    ledgers = Ledgers(villages, max_loaded)
    app.config["BEANCOUNT_FILES"] = [slot.path for slot in ledgers.slots.values()]
    app.config["LEDGERS"] = ledgers
    app.config[overview.LINES] = overview.Lines()

    @app.before_request
    def _reading_queries_only() -> Response | None:
        ledger = getattr(g, "ledger", None)
        for text in request.args.getlist("query_string"):
            reason = query_guard.refusal(text, ledger_queries(ledger))
            if reason is not None:
                return refused(HTTPStatus.FORBIDDEN, f"查询被拒绝: {reason}")
        if request.endpoint == "download_query":
            result_format = (request.view_args or {}).get("result_format")
            if result_format not in QUERY_FORMATS:
                message = f"不支持的下载格式 {result_format} (csv, xlsx or ods)"
                return refused(HTTPStatus.BAD_REQUEST, message)
        return None

    @app.before_request
    def _parsable_filters() -> Response | None:
        """A filter Fava cannot parse is its own error, reported where it is used; a year 0
        or a broken account pattern would crash it (500): they answer 400."""
        if getattr(g, "ledger", None) is None:
            return None
        try:
            g.filtered  # noqa: B018  (parses the time, account and advanced filters)
        except FilterError:
            return None
        except (ValueError, re.error) as error:
            return refused(HTTPStatus.BAD_REQUEST, f"筛选条件有误 (invalid filter): {error}")
        return None

    @app.before_request
    def _documents_only() -> Response | None:
        if request.endpoint not in FILE_ENDPOINTS:
            return None
        if request.endpoint == "document":
            filename = request.args.get("filename", "")
            if "\0" in filename:
                return refused(HTTPStatus.BAD_REQUEST, "文件名无效 (NUL in the file name)")
        else:
            filename = g.ledger.statement_path(
                request.args.get("entry_hash", ""), request.args.get("key", "")
            )
        if not inside_documents(filename, g.ledger):
            abort(403)
        return None

    def _bad_request(error: FavaAPIError) -> Response:
        """Fava answers its errors (a filter it cannot parse, a query it cannot compile, an
        unknown statement) with 500; they come from the request: 400."""
        return refused(HTTPStatus.BAD_REQUEST, f"请求有误 (bad request): {error.message}")

    # Fava's API registers its own handler (500) on its blueprint, which Flask asks first.
    app.register_error_handler(FavaAPIError, _bad_request)
    app.error_handler_spec["json_api"][None][FavaAPIError] = _bad_request
    return app


class Refusal(NamedTuple):
    """A response the gate gives instead of Fava's."""

    status: str
    text: str
    headers: tuple[tuple[str, str], ...] = ()

    def send(self, start_response: StartResponse) -> list[bytes]:
        body = (self.text + "\n").encode("utf-8")
        start_response(
            self.status,
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                *self.headers,
            ],
        )
        return [body]


READ_ONLY = Refusal(
    "403 Forbidden",
    "只读: 审计服务不接受任何修改 (read-only: this server refuses every change; "
    "the accountant serves with --writable on their own machine)",
)
LOG_IN = Refusal(
    "401 Unauthorized",
    "请登录 (log in)",
    (("WWW-Authenticate", 'Basic realm="cunzhang", charset="UTF-8"'),),
)
NOT_GRANTED = Refusal("403 Forbidden", "无权查看这个账套 (not granted to you)")
NO_LEDGER = Refusal("403 Forbidden", "您没有可查看的账套 (no ledger granted)")


class Gate:
    """The WSGI application in front of Fava (see the module's docstring)."""

    def __init__(
        self,
        villages: list[Path],
        auth: Path | None = None,
        writable: bool = False,
        hosts: frozenset[str] = LOOPBACK_HOSTS,
        max_loaded: int = MAX_LOADED,
    ) -> None:
        self.villages = villages
        self.auth = auth
        self.writable = writable
        self.hosts = hosts
        self.app = make_app(villages, writable=writable, max_loaded=max_loaded)
        self.ledgers: Ledgers = self.app.config["LEDGERS"]
        self.view = self.app if writable else ReadOnlyView(self.app, ledgers_root(villages))
        self._users: dict[str, User] = {}
        self._users_stamp: tuple[float, int] | None = None
        self._secret = secrets.token_bytes(32)
        self._verified: dict[str, bytes] = {}
        self._granted: dict[frozenset[str], frozenset[str]] = {}

    def users(self) -> dict[str, User]:
        """The auth file's users, re-read when the file changes."""
        assert self.auth is not None
        stat = self.auth.stat()
        stamp = (stat.st_mtime, stat.st_size)
        if stamp != self._users_stamp:
            self._users = read_users(self.auth)
            self._users_stamp = stamp
            self._verified.clear()
        return self._users

    def granted(self, found: User) -> frozenset[str]:
        """The slugs of the villages the user may see (the same for the same grants)."""
        grants = frozenset(found.grants)
        if grants not in self._granted:
            self._granted[grants] = frozenset(
                slug for slug, slot in self.ledgers.slots.items() if found.may_see(slot.folder)
            )
        return self._granted[grants]

    def authenticate(self, environ: dict) -> User | None:
        """The user the request's basic credentials name, if the password is right."""
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        found = self.users().get(name)
        if found is None:
            check_password(password, "scrypt$16384$8$1$AAAA$AAAA")  # same time either way
            return None
        # A verified password is remembered as a keyed digest, so that each of the many
        # requests of a page does not pay for scrypt again.
        token = hmac.new(self._secret, f"{found.password}\0{password}".encode(), hashlib.sha256)
        remembered = self._verified.get(name)
        if remembered is not None and hmac.compare_digest(remembered, token.digest()):
            return found
        if check_password(password, found.password):
            self._verified[name] = token.digest()
            return found
        return None

    def check_host(self, environ: dict) -> Refusal | None:
        """The request must name this server in its ``Host`` header."""
        header = environ.get("HTTP_HOST", "")
        if host_name(header) in self.hosts:
            return None
        return Refusal(
            "400 Bad Request",
            f"主机名 “{header}” 不是本服务的地址; 经反向代理访问时用 --allowed-host 加上它 "
            "(Host not served: add it with --allowed-host)",
        )

    def check_method(self, environ: dict) -> Refusal | None:
        """Only reading, unless ``--writable``."""
        if environ["REQUEST_METHOD"] in SAFE_METHODS or self.writable:
            return None
        return READ_ONLY

    def check_origin(self, environ: dict) -> Refusal | None:
        """A change must come from a page of this server: its ``Origin``, else its
        ``Referer``, must name the host the request was sent to. A browser sends one of
        them with every change; a change with neither is refused too."""
        if environ["REQUEST_METHOD"] in SAFE_METHODS:
            return None
        source = environ.get("HTTP_ORIGIN") or environ.get("HTTP_REFERER") or ""
        try:
            sent_from = urlsplit(source).netloc.lower()
        except ValueError:
            sent_from = ""
        if sent_from and sent_from == environ.get("HTTP_HOST", "").lower():
            return None
        return Refusal(
            "403 Forbidden",
            f"拒绝来自其他网页的修改 (cross-origin change refused: Origin/Referer “{source}”)",
        )

    def check_grants(self, environ: dict) -> Refusal | None:
        """With ``--auth``, the user must log in, and may open only the villages granted to
        them; the request carries their slugs (``GRANTED``), the only ones Fava's ledger
        menu, its ``/`` and the township overview show."""
        if self.auth is None:
            return None
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        segment = unquote(path.lstrip("/").split("/", 1)[0])
        if segment == PUBLIC:
            return None
        found = self.authenticate(environ)
        if found is None:
            return LOG_IN
        granted = self.granted(found)
        if segment not in NOT_LEDGERS and segment not in granted:
            return NOT_GRANTED
        if not granted:
            return NO_LEDGER
        environ[GRANTED] = granted
        return None

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        environ.pop(GRANTED, None)  # only the gate says what a request may see
        for rule in (self.check_host, self.check_method, self.check_origin, self.check_grants):
            refusal = rule(environ)
            if refusal is not None:
                return refusal.send(start_response)
        return self.view(environ, start_response)


#: glibc's ``mallopt`` parameter: the size from which a block is mapped on its own.
M_MMAP_THRESHOLD = -3


def return_freed_blocks() -> None:
    """Keep blocks of 1 MiB and more out of glibc's per-thread arenas. Its threshold rises
    to the largest block freed, after which such blocks stay in the arena of the thread
    that freed them: each password check (scrypt takes 16 MiB) would keep 16 MiB in each
    worker thread that ran one, so memory would grow with the number of users. A fixed
    threshold maps them apart and returns them to the system when freed."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return
    libc.mallopt(M_MMAP_THRESHOLD, 1 << 20)


def check_host(host: str, auth: Path | None) -> None:
    """Refuse to serve beyond this machine without authentication."""
    if auth is None and not is_loopback(host):
        raise click.UsageError(
            f"--host {host} 会让局域网或互联网上的任何人看到账套, 必须同时给出 --auth FILE "
            "(用 cunzhang user add 建立用户)。Serving on a non-loopback address needs --auth: "
            "Fava itself has no authentication."
        )


def server(
    villages: list[Path],
    host: str,
    port: int,
    auth: Path | None = None,
    writable: bool = False,
    allowed: Iterable[str] = (),
    max_loaded: int = MAX_LOADED,
) -> Server:
    """The cheroot server of the villages on ``host:port``, with its limits (``THREADS``,
    ``TIMEOUT``, ``MAX_HEADER_BYTES``)."""
    gate = Gate(villages, auth, writable, allowed_hosts(host, allowed), max_loaded)
    lines: overview.Lines = gate.app.config[overview.LINES]
    # The township overview, in the background once the server has started.
    lines.want([(v, None) for v in villages], after=overview.PREFILL_AFTER)
    return_freed_blocks()
    served = Server((host, port), gate, numthreads=THREADS, timeout=TIMEOUT)
    served.max_request_header_size = MAX_HEADER_BYTES
    return served


def run(served: Server) -> None:
    """Serve until interrupted (``server`` made it; ``check_host`` checked its host)."""
    try:
        served.start()
    except KeyboardInterrupt:
        served.stop()
    except OSError as error:
        host, port = served.bind_addr
        raise click.ClickException(f"无法在 {host}:{port} 启动 Fava: {error}") from error
