"""Loading a village ledger and reporting its errors as ``file:line: message``.

Every load goes through :mod:`projects.confine` first: a ledger that reaches outside its
village folder or names Python that is not allowed is refused (:class:`Refused`) before any of
its plugins runs or any outside file is read. :func:`confine_fava` puts Fava's own loads of
``cunzhang serve`` (at start and on every reload) behind the same check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click
import fava.core
from beancount.core import data
from fava.beans.load import load_uncached

from projects import confine
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


class Refused(click.ClickException):
    """A ledger that breaks :mod:`projects.confine`'s rule, not loaded: one ``file:line:
    message`` line per breach. Every command reports it and exits 1."""

    def __init__(self, breaches: list[confine.Breach]) -> None:
        super().__init__("\n".join(format_error(breach) for breach in breaches))
        self.breaches = breaches

    def __reduce__(self) -> tuple:
        return (Refused, (self.breaches,))


def read(main: Path) -> tuple[data.Directives, list, dict]:
    """Load a ledger file with its plugins, as Fava does: without Beancount's pickle cache;
    :class:`Refused` if it reaches outside its folder (:func:`projects.confine.scan`).

    The cache would write ``.main.beancount.picklecache`` into the village folder (a read must
    not change it), and a folder copied with its cache would load the original's entries.
    """
    breaches = confine.scan(main).breaches
    if breaches:
        raise Refused(breaches)
    return load_uncached(str(main.resolve()), is_encrypted=False)


def load(folder: Path) -> Village:
    """Load ``folder/main.beancount`` with every plugin it names."""
    entries, errors, options = read(folder / MAIN)
    return Village(folder, entries, errors, options)


def confine_fava(villages: list[Path]) -> None:
    """Before serving: :class:`Refused` naming every breach of every village; then make
    Fava's loads go through :func:`fava_load`."""
    breaches = [breach for v in villages for breach in confine.scan(v / MAIN).breaches]
    if breaches:
        raise Refused(breaches)
    fava.core.load_uncached = fava_load


def fava_load(path: str, *, is_encrypted: bool) -> tuple[data.Directives, list, dict]:
    """Fava's ``load_uncached``, confined: a ledger that changed into a breach while served
    loads as no entries, its breaches as errors (Fava's error page shows them), its main
    file's options but no documents folder; the extensions an allowed ledger names are
    imported first (:func:`projects.confine.import_extensions`)."""
    found = confine.scan(Path(path))
    breaches = found.breaches or confine.import_extensions(found)
    if not breaches:
        return load_uncached(path, is_encrypted=is_encrypted)
    return [], list(breaches), {**found.options, "include": found.files, "documents": []}


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
