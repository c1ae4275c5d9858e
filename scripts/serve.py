"""Serving village ledgers in Fava: ``cunzhang serve``, read-only and with access control.

Fava has no authentication and its ``--read-only`` still answers some writes with 401
instead of refusing them, so every request goes through ``Gate``, a WSGI application in
front of Fava:

- any method but GET, HEAD and OPTIONS is refused with 403 unless ``--writable``;
- with ``--auth FILE``, HTTP basic authentication against salted scrypt hashes
  (``cunzhang user add``); each user is served by a Fava application holding only the
  ledgers their grants cover, so the ledger menu and the township overview never show
  another village, and any other ledger's URL answers 403;
- documents (``/document/``, ``/statement/``) are served only from inside the ledger's
  ``documents`` folders, whatever ``document`` entries or options say.

Only Fava's static assets (``/static/``: its scripts, styles and icons) need no login.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

import click
from cheroot.wsgi import Server
from fava.application import create_app
from fava.context import g
from flask import Flask, abort, request

from projects.layout import MAIN
from scripts.users import User, check_password, read_users

#: Methods that cannot change anything.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: First path segments of Fava's URLs that name no ledger.
NOT_LEDGERS = frozenset({"", "static", "jump"})
#: Fava's own scripts, styles and icons, the same for everyone: served without a login.
PUBLIC = "static"
#: Fava's endpoints that send a file from disk.
FILE_ENDPOINTS = frozenset({"document", "statement"})

StartResponse = Callable[..., object]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def documents_folders(ledger: object) -> list[Path]:
    """The ledger's ``documents`` folders, resolved."""
    return [ledger.join_path(folder) for folder in ledger.options["documents"]]  # type: ignore[attr-defined]


def inside_documents(filename: str, ledger: object) -> bool:
    """Whether a file lies inside one of the ledger's ``documents`` folders."""
    path = Path(filename).resolve()
    return any(path.is_relative_to(folder) for folder in documents_folders(ledger))


def make_app(villages: list[Path], *, writable: bool = False) -> Flask:
    """A Fava application over the villages' ledgers, loaded up front, that serves
    documents only from the ledgers' ``documents`` folders."""
    app = create_app(
        [str((v / MAIN).resolve()) for v in villages], load=True, read_only=not writable
    )

    @app.before_request
    def _documents_only() -> None:
        if request.endpoint not in FILE_ENDPOINTS:
            return
        if request.endpoint == "document":
            filename = request.args.get("filename", "")
        else:
            filename = g.ledger.statement_path(
                request.args.get("entry_hash", ""), request.args.get("key", "")
            )
        if not inside_documents(filename, g.ledger):
            abort(403)

    return app


def text_response(start_response: StartResponse, status: str, text: str, *headers) -> list:
    body = text.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *headers,
        ],
    )
    return [body]


class Gate:
    """The WSGI application in front of Fava (see the module's docstring)."""

    def __init__(
        self, villages: list[Path], auth: Path | None = None, writable: bool = False
    ) -> None:
        self.villages = villages
        self.auth = auth
        self.writable = writable
        self._apps: dict[frozenset[Path], Flask] = {}
        self._lock = threading.Lock()
        self._users: dict[str, User] = {}
        self._users_stamp: tuple[float, int] | None = None
        self._secret = secrets.token_bytes(32)
        self._verified: dict[str, bytes] = {}
        if auth is None:
            self.app_for(frozenset(villages))
        else:
            for found in self.users().values():
                self.app_for(self.granted(found))

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

    def granted(self, found: User) -> frozenset[Path]:
        return frozenset(v for v in self.villages if found.may_see(v))

    def app_for(self, villages: frozenset[Path]) -> Flask:
        """The Fava application for one set of villages (built once)."""
        with self._lock:
            if villages not in self._apps:
                ordered = [v for v in self.villages if v in villages]
                self._apps[villages] = make_app(ordered, writable=self.writable)
            return self._apps[villages]

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

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in SAFE_METHODS and not self.writable:
            return text_response(
                start_response,
                "403 Forbidden",
                "只读: 审计服务不接受任何修改 (read-only: this server refuses every change; "
                "the accountant serves with --writable on their own machine)\n",
            )
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        segment = unquote(path.lstrip("/").split("/", 1)[0])
        if self.auth is None:
            return self.app_for(frozenset(self.villages))(environ, start_response)
        if segment == PUBLIC:
            return self.app_for(frozenset())(environ, start_response)
        found = self.authenticate(environ)
        if found is None:
            return text_response(
                start_response,
                "401 Unauthorized",
                "请登录 (log in)\n",
                ("WWW-Authenticate", 'Basic realm="cunzhang", charset="UTF-8"'),
            )
        app = self.app_for(self.granted(found))
        if segment not in NOT_LEDGERS and segment not in dict(app.config["LEDGERS"].items()):
            return text_response(
                start_response, "403 Forbidden", "无权查看这个账套 (not granted to you)\n"
            )
        if not app.config["BEANCOUNT_FILES"]:
            return text_response(
                start_response, "403 Forbidden", "您没有可查看的账套 (no ledger granted)\n"
            )
        return app(environ, start_response)


def check_host(host: str, auth: Path | None) -> None:
    """Refuse to serve beyond this machine without authentication."""
    if auth is None and not is_loopback(host):
        raise click.UsageError(
            f"--host {host} 会让局域网或互联网上的任何人看到账套, 必须同时给出 --auth FILE "
            "(用 cunzhang user add 建立用户)。Serving on a non-loopback address needs --auth: "
            "Fava itself has no authentication."
        )


def run(
    villages: list[Path],
    host: str,
    port: int,
    auth: Path | None = None,
    writable: bool = False,
) -> None:
    """Serve until interrupted."""
    check_host(host, auth)
    server = Server((host, port), Gate(villages, auth, writable))
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
    except OSError as error:
        raise click.ClickException(f"无法在 {host}:{port} 启动 Fava: {error}") from error
