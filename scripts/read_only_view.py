"""What a read-only ``cunzhang serve`` shows: no server paths, no buttons for refused changes.

Fava shows the absolute path of each ledger file: in the options and errors every page
embeds, in an entry's context (its 位置), in document links and on its error page. On an
auditors' server the ledgers' folder is nobody's business, and Fava has no option to hide
it, so :class:`ReadOnlyView` (a WSGI middleware in front of Fava) rewrites every page, JSON
answer and error text: the ledgers' root folder (the folder holding the townships) becomes
:data:`LABEL`, in each of the forms a response can hold it (as text, JSON-escaped, and
URL-encoded). A request that sends a path back (a document link's ``?filename=``) has the
label turned back into the root first, so documents still open; the gate's own checks
(documents only from a ``documents`` folder) then apply to the real path.

Fava's front end has no read-only mode either: its entry context offers 保存 (Save),
删除 (Delete) and an untranslated Duplicate, all of which the server refuses. The view adds
a style to every page that hides that row of buttons (:data:`STYLE`). Responses that are
files (documents, downloads) pass untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

import simplejson

#: What a read-only server shows instead of the ledgers' root folder.
LABEL = "账套"
#: Hides the buttons of Fava's entry editor (context view) and source editor that change
#: the books: 保存, 删除, Duplicate and the "reload after saving" box.
STYLE = b"<style>form.flex-column:has(> .editor) > .flex-row { display: none !important; }</style>"
#: The responses rewritten: pages, JSON answers and plain-text errors.
TEXT_TYPES = ("text/html", "application/json", "text/plain")

StartResponse = Callable[..., object]


def ledgers_root(villages: list[Path]) -> Path:
    """The folder holding the villages' townships (``<root>/<乡镇>/<村>``)."""
    return Path(os.path.commonpath([v.resolve().parent.parent for v in villages]))


def encodings(text: str) -> list[bytes]:
    """The forms ``text`` takes in a response: as is, JSON-escaped, URL-encoded."""
    return [
        text.encode("utf-8"),
        simplejson.dumps(text)[1:-1].encode("ascii"),
        quote(text).encode("ascii"),
        quote(text, safe="").encode("ascii"),
    ]


class ReadOnlyView:
    """The WSGI middleware (see the module's docstring)."""

    def __init__(self, app: Callable, root: Path) -> None:
        self.app = app
        prefix = str(root).rstrip("/") + "/"
        # An ASCII path reads the same in several forms: the first (plain) label wins.
        self.hidden: list[tuple[bytes, bytes]] = []
        for path, label in zip(encodings(prefix), encodings(LABEL + "/"), strict=True):
            if path not in dict(self.hidden):
                self.hidden.append((path, label))
        # A path sent back in a query string: encoded, its slashes too or not, or raw.
        self.sent_back = [
            (quote(LABEL + "/", safe=safe).encode(), quote(prefix, safe=safe).encode())
            for safe in ("", "/")
        ] + [((LABEL + "/").encode("utf-8"), prefix.encode("utf-8"))]

    def hide(self, body: bytes) -> bytes:
        for path, label in self.hidden:
            body = body.replace(path, label)
        return body

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "").encode("latin-1")
        for label, root in self.sent_back:
            query = query.replace(label, root)
        environ["QUERY_STRING"] = query.decode("latin-1")
        started: list = []

        def capture(status: str, headers: list, exc_info: object = None) -> None:
            started[:] = [status, headers, exc_info]

        result = self.app(environ, capture)
        status, headers, exc_info = started
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if not kind.startswith(TEXT_TYPES):
            start_response(status, headers, exc_info)
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        body = self.hide(body)
        if kind.startswith("text/html"):
            body = body.replace(b"</head>", STYLE + b"</head>", 1)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(body)))], exc_info)
        return [body]
