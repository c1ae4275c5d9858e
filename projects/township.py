"""Reports over many villages: loaded in parallel, cached by the ledgers' contents.

Each village's result is stored under the cache folder (``$CUNZHANG_CACHE``, else
``~/.cache/cunzhang``) as ``<village>/<report>.<year>.<key>.pickle``: ``<village>`` a digest
of the village folder's path, ``<key>`` a digest of every ``.beancount`` file of the village
and of everything that computes the report (:func:`code_digest`: this project's code and
data, the Python, Beancount, Fava, beanquery and beangulp versions). A second run after
one village changed reloads only that village.

Entries that can never be hit again are removed: writing a village's report deletes the
same report's entries of that village under other keys, and after each run the cache is
cut to :data:`CACHE_LIMIT` bytes, least recently used first (with any file of an older
layout).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from projects import layout
from projects.engine import map_villages
from projects.files import replace
from projects.ledger import load
from projects.reports import REPORTS, VillageBooks

ROOT = Path(__file__).resolve().parent.parent
#: The packages whose code and data compute a report (loading runs ``projects.checks``).
PACKAGES = ("projects", "importers")
#: The distributions whose versions compute a report.
DISTRIBUTIONS = ("beancount", "fava", "beanquery", "beangulp")
#: The most the cache folder holds, in bytes; the least recently used entries go first.
CACHE_LIMIT = 512 * 2**20
#: A cache file of the layout before ``<village>/…``: ``<sha256>.pickle``.
OLD_LAYOUT = re.compile("[0-9a-f]{64}")


def cache_dir() -> Path:
    env = os.environ.get("CUNZHANG_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "cunzhang"


@cache
def code_digest() -> str:
    """A digest of everything that computes a report, so that changing or upgrading any of
    it (this project's files, Python, Beancount, Fava, beanquery, beangulp) misses the cache."""
    digest = hashlib.sha256(sys.version.encode())
    for name in DISTRIBUTIONS:
        digest.update(f"|{name}={importlib.metadata.version(name)}".encode())
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ledger_digest(folder: Path) -> str:
    """A digest of every Beancount file of a village, by path and content."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.beancount")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def village_report(folder: Path, report: str, year: int | None, code: str) -> list:
    """One village's rows of one report, from the cache when its files are unchanged."""
    return village_reports(folder, (report,), year, code)[report]


def village_reports(
    folder: Path, names: tuple[str, ...], year: int | None, code: str
) -> dict[str, list]:
    """One village's rows of several reports, each from the cache when the village's files
    and the code are unchanged; the village is loaded at most once for those that are not.
    A fresh result replaces the village's older results of the same report and year."""
    place = cache_dir() / hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    key = hashlib.sha256(f"{code}|{ledger_digest(folder)}".encode()).hexdigest()[:40]
    prefixes = {name: f"{name}.{year or 'all'}." for name in names}
    paths = {name: place / f"{prefixes[name]}{key}.pickle" for name in names}
    found = {}
    for name, cached in paths.items():
        try:
            with cached.open("rb") as handle:
                found[name] = pickle.load(handle)
            os.utime(cached)  # recently used: the last to be pruned
        except (OSError, EOFError, pickle.UnpicklingError):
            pass  # not cached (or pruned meanwhile): compute
    missing = [name for name in names if name not in found]
    if missing:
        loaded = load(folder)
        if loaded.errors:
            raise LedgerErrors(folder, len(loaded.errors))
        books = VillageBooks.of(folder.name, loaded.entries, folder.parent.name)
        place.mkdir(parents=True, exist_ok=True)
        for name in missing:
            found[name] = REPORTS[name](books, year)
            replace(paths[name], pickle.dumps(found[name]))
            for stale in place.glob(f"{prefixes[name]}*.pickle"):
                if stale != paths[name]:
                    stale.unlink(missing_ok=True)  # the village's books or the code changed
    return found


def prune(folder: Path, limit: int) -> None:
    """Cut the cache ``folder`` to ``limit`` bytes, least recently used first; files of an
    older layout (directly in ``folder``) can never be hit and go first."""
    entries = []
    for path in folder.glob("*.pickle"):
        if OLD_LAYOUT.fullmatch(path.stem):
            path.unlink(missing_ok=True)
    for path in folder.glob("*/*.pickle"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # pruned by another run
        entries.append((stat.st_mtime_ns, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size
        with contextlib.suppress(OSError):  # only an empty folder is removed
            path.parent.rmdir()


class LedgerErrors(Exception):
    """A village whose ledger has errors: reports are computed from clean books only."""

    def __init__(self, folder: Path, count: int) -> None:
        super().__init__(
            f"{layout.village_label(folder)} 有 {count} 个错误, 先运行 cunzhang check 改正"
        )
        self.folder, self.count = folder, count

    def __reduce__(self) -> tuple:
        """Rebuilt from its arguments when it comes back from a worker process."""
        return LedgerErrors, (self.folder, self.count)


def report(
    villages: list[Path],
    name: str,
    year: int | None = None,
    jobs: int | None = None,
    progress: Callable[[Path], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> list:
    """Rows of report ``name`` for every village, in the villages' order.

    The villages run on ``engine`` (``projects.engine``: local processes or dask); each
    worker reads and writes the cache folder it sees (``$CUNZHANG_CACHE`` on the worker).
    Afterwards this machine's cache folder is pruned to :data:`CACHE_LIMIT`.
    """
    results = map_villages(
        village_report,
        villages,
        name,
        year,
        code_digest(),
        engine=engine,
        scheduler=scheduler,
        jobs=jobs,
        progress=progress,
    )
    if cache_dir().is_dir():
        prune(cache_dir(), CACHE_LIMIT)
    return [row for rows in results for row in rows]
