"""The village ledgers of one Fava application, each loaded when first opened.

Fava's own ``app.config["LEDGERS"]`` (``fava.application._LedgerSlugLoader``) loads every
ledger it serves before it answers, and a Fava application per user would hold a copy each.
:class:`Ledgers` takes its place in the one application ``cunzhang serve`` runs:

- the slugs (the ledger menu, the URLs) are known up front from each village's main file
  (its ``option "title"``, else its path, as Fava names them), without loading anything;
- a village is loaded (``FavaLedger``, with cunzhang's after-load hook) at its first
  request; at most ``max_loaded`` stay loaded, the least recently used dropped first (its
  file watcher stopped) and loaded again when asked for. A loaded ledger is reloaded when
  one of its files changes, as Fava does (its watcher, checked at each request);
- every user shares the one loaded copy of a village; what a request may see is the set of
  slugs the gate puts in its WSGI environment (:data:`GRANTED`): the ledger menu
  (``items``), the first ledger (``/``) and the ledgers it may open are those.

A village's title is read when the server starts: a title changed later keeps its old slug
until the server restarts.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

from fava.core import FavaLedger
from fava.core.watcher import WatchfilesWatcher
from fava.util import next_key, slugify
from flask import has_request_context, request

from projects.layout import MAIN

#: The WSGI environment key of the slugs a request may see (absent: every slug).
GRANTED = "cunzhang.granted"
#: How many villages stay loaded by default: a township's worth.
MAX_LOADED = 32
TITLE = re.compile(r'^option\s+"title"\s+"((?:[^"\\\n]|\\.)*)"', re.M)


def title_of(main: Path) -> str:
    """The ledger's ``option "title"`` as its main file writes it, else empty."""
    found = TITLE.search(main.read_text("utf-8", errors="replace"))
    return found[1] if found else ""


class Slot:
    """A village Fava may serve, loaded or not: what the ledger menu needs of it."""

    def __init__(self, slug: str, folder: Path, title: str) -> None:
        self.slug = slug
        self.folder = folder
        self.path = str((folder / MAIN).resolve())
        self.title = title
        #: What Fava's ledger menu reads of a ledger (``options["title"]``).
        self.options = {"title": title or self.path}


class Ledgers:
    """Fava's ``LEDGERS``: slug → ``FavaLedger``, loaded on demand, LRU-bounded."""

    def __init__(
        self, villages: list[Path], max_loaded: int = MAX_LOADED, poll_watcher: bool = False
    ) -> None:
        if max_loaded < 1:
            raise ValueError("max_loaded must be at least 1")
        self.max_loaded = max_loaded
        self.poll_watcher = poll_watcher
        self.slots: dict[str, Slot] = {}
        for folder in villages:
            title = title_of(folder / MAIN)
            key = slugify(title) or slugify(str((folder / MAIN).resolve()))
            slug = next_key(key, self.slots)
            self.slots[slug] = Slot(slug, folder, title)
        self.slug_of = {slot.folder: slug for slug, slot in self.slots.items()}
        #: How many times a village was loaded (a reload after a change is Fava's, not one).
        self.loads = 0
        self._loaded: OrderedDict[str, FavaLedger] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}

    @staticmethod
    def granted() -> frozenset[str] | None:
        """The slugs the gate grants the current request, or none for every slug."""
        return request.environ.get(GRANTED) if has_request_context() else None

    def visible(self) -> list[str]:
        """The slugs the current request may see, in the villages' order."""
        granted = self.granted()
        if granted is None:
            return list(self.slots)
        return [slug for slug in self.slots if slug in granted]

    def items(self) -> list[tuple[str, Slot]]:
        """The ledger menu: the visible villages, none of them loaded for it."""
        return [(slug, self.slots[slug]) for slug in self.visible()]

    def first_slug(self) -> str:
        visible = self.visible()
        if not visible:
            raise KeyError("no ledger")
        return visible[0]

    def __getitem__(self, slug: str) -> FavaLedger:
        """The loaded ledger of a visible village, loading it if need be."""
        granted = self.granted()
        if slug not in self.slots or (granted is not None and slug not in granted):
            raise KeyError(slug)
        return self.ledger(slug)

    def loaded(self, slug: str) -> FavaLedger | None:
        """The village's ledger if it is loaded (neither loading it nor marking it used)."""
        return self._loaded.get(slug)

    def loaded_slugs(self) -> list[str]:
        """The loaded villages, least recently used first."""
        with self._lock:
            return list(self._loaded)

    def ledger(self, slug: str) -> FavaLedger:
        """The village's ledger, loaded once however many requests ask at the same time."""
        with self._lock:
            if slug in self._loaded:
                self._loaded.move_to_end(slug)
                return self._loaded[slug]
            loading = self._loading.setdefault(slug, threading.Lock())
        with loading:
            with self._lock:
                if slug in self._loaded:
                    self._loaded.move_to_end(slug)
                    return self._loaded[slug]
            ledger = FavaLedger(self.slots[slug].path, poll_watcher=self.poll_watcher)
            with self._lock:
                self._loaded[slug] = ledger
                self.loads += 1
                dropped = []
                while len(self._loaded) > self.max_loaded:
                    dropped.append(self._loaded.popitem(last=False)[1])
        for old in dropped:
            if isinstance(old.watcher, WatchfilesWatcher):
                old.watcher.__exit__(None, None, None)  # stops its two watcher threads
        return ledger
