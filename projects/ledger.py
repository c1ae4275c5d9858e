"""Loading a village ledger and reporting its errors as ``file:line: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data
from fava.beans.load import load_uncached

from projects.layout import MAIN


@dataclass
class Village:
    """A loaded village ledger: its entries, errors and options."""

    folder: Path
    entries: data.Directives
    errors: list
    options: dict

    @property
    def title(self) -> str:
        return self.options.get("title") or self.folder.name


def read(main: Path) -> tuple[data.Directives, list, dict]:
    """Load a ledger file with its plugins, as Fava does: without Beancount's pickle cache.

    The cache would write ``.main.beancount.picklecache`` into the village folder (a read must
    not change it), and a folder copied with its cache would load the original's entries.
    """
    return load_uncached(str(main.resolve()), is_encrypted=False)


def load(folder: Path) -> Village:
    """Load ``folder/main.beancount`` with every plugin it names."""
    entries, errors, options = read(folder / MAIN)
    return Village(folder, entries, errors, options)


def where(source: dict | None) -> str:
    """``file:line`` of an error's source, the file relative to the working folder."""
    if not source:
        return "<ledger>:0"
    filename = str(source.get("filename") or "<ledger>")
    relative = os.path.relpath(filename) if filename.startswith("/") else filename
    if not relative.startswith(".."):
        filename = relative
    return f"{filename}:{source.get('lineno') or 0}"


def format_error(error: object) -> str:
    """One error as ``file:line: message`` on a single line."""
    message = " ".join(str(getattr(error, "message", error)).split())
    return f"{where(getattr(error, 'source', None))}: {message}"
