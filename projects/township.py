"""Reports over many villages: loaded in parallel, cached by the ledgers' contents.

Each village's result is stored under the cache folder (``$CUNZHANG_CACHE``, else
``~/.cache/cunzhang``) keyed by a digest of every ``.beancount`` file of the village, the
report's arguments and this package's code. A second run after one village changed
reloads only that village.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from projects import layout
from projects.engine import map_villages
from projects.files import replace
from projects.ledger import load
from projects.reports import REPORTS, VillageBooks

CODE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    env = os.environ.get("CUNZHANG_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "cunzhang"


def code_digest() -> str:
    """A digest of the model's source, so a changed computation invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted(CODE.rglob("*.py")):
        digest.update(path.read_bytes())
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
    are unchanged; the village is loaded at most once for those that are not."""
    digest = ledger_digest(folder)
    keys = {name: f"{code}|{name}|{year}|{digest}".encode() for name in names}
    paths = {
        name: cache_dir() / f"{hashlib.sha256(key).hexdigest()}.pickle"
        for name, key in keys.items()
    }
    found = {}
    for name, cached in paths.items():
        if cached.exists():
            with cached.open("rb") as handle:
                found[name] = pickle.load(handle)
    missing = [name for name in names if name not in found]
    if missing:
        loaded = load(folder)
        if loaded.errors:
            raise LedgerErrors(folder, len(loaded.errors))
        books = VillageBooks.of(folder.name, loaded.entries)
        for name in missing:
            found[name] = REPORTS[name](books, year)
            paths[name].parent.mkdir(parents=True, exist_ok=True)
            replace(paths[name], pickle.dumps(found[name]))
    return found


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
    return [row for rows in results for row in rows]
