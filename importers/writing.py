"""Writing into village ledgers, all or nothing: lock, stage, check, publish.

Every command that changes a ledger (``cunzhang import``, ``open-books``, ``reconcile``,
``close-year``, ``distribute``) writes through here:

1. the villages are locked (:func:`locked`: ``flock`` on each village folder's own
   descriptor, so concurrent writers wait for each other and no lock file is left behind),
   and a write a crash interrupted there is finished or undone
   (:func:`projects.files.recover`); the ledger is read inside the lock (:func:`village`);
2. the new text is planned file by file (:func:`append`, :func:`add_entries`: declarations
   into ``projects.beancount``, new accounts into ``accounts.beancount``, the rest into
   ``journal/<year>.beancount``), with the archived copies of the source files;
3. every changed file and archive is staged in a hidden folder inside its village
   (:class:`projects.files.Commit`, :func:`stage`), and the staged copy of each changed
   ledger is loaded with Beancount and its plugins (:func:`check`): any error the change
   would add refuses it (:class:`~importers.sheet.ImportRefused`) — the real ledger has not
   been touched;
4. only then the staged files are published together, in one commit: killed at any moment,
   the villages are left as before or as after the change, never in between.

:meth:`LockedVillage.append` is the whole of 2–4 for a command that appends entries to one
village; ``cunzhang import`` (:func:`importers.run.import_files`) plans several villages'
text itself and calls :func:`stage` and :func:`check` in its own commit.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from importers.base import archive_name
from importers.render import block
from importers.sheet import ImportRefused, Problem, Workbook
from projects import layout
from projects.files import Commit, recover, write
from projects.ledger import read, where

ACCOUNTS = "accounts.beancount"
PROJECTS = "projects.beancount"
DOCUMENTS = "documents"


@dataclass
class Outcome:
    """What a bookkeeping command wrote (``written`` empty: nothing to do, ``note`` says
    why); ``table``: for ``open-books``, each line moved (old label, account, amount)."""

    entries: list[data.Directive] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    note: str = ""
    table: list[tuple[str, str, Decimal]] = field(default_factory=list)


@dataclass
class LockedVillage:
    """A locked village: its ledger as loaded inside the lock (``errors``: the ones it has,
    which a change is not refused for)."""

    folder: Path
    entries: data.Directives
    errors: list

    def append(
        self,
        added: list[data.Directive],
        title: str,
        archives: dict[Path, Path] | None = None,
        workbooks: tuple[Workbook, ...] = (),
    ) -> list[Path]:
        """Append ``added`` under one ``title`` comment (opens to ``accounts.beancount``),
        citing the first of ``archives`` (archive → source file; ``workbooks``: the sources
        read, for messages); refused if the staged ledger has an error it did not have
        before. Returns the files written."""
        archives = archives or {}
        changes: dict[Path, str] = {}
        opens = [e for e in added if isinstance(e, data.Open)]
        if opens:
            append(changes, self.folder / ACCOUNTS, block(opens, f"{title}: 开设的明细科目"))
        others = [e for e in added if not isinstance(e, data.Open)]
        add_entries(changes, self.folder, others, title, next(iter(archives), None))
        new: dict[Path, bytes | Path] = {a: s for a, s in archives.items() if not a.exists()}
        with Commit(folders_of([*changes, *new])) as commit:
            copies = stage([self], changes, new, commit)
            check(copies, {archive_name(w): w.label for w in workbooks})
            commit.publish()
        return sorted(changes) + sorted(new)


@contextlib.contextmanager
def village(folder: Path) -> Iterator[LockedVillage]:
    """The village at ``folder`` locked, with its ledger as loaded inside the lock."""
    folder = Path(folder).resolve()
    if not layout.is_village(folder):
        raise ImportRefused([Problem(str(folder), "", 0, "这里没有村账套 (no village ledger)")])
    with locked([folder]):
        entries, errors, _ = read(folder / layout.MAIN)
        yield LockedVillage(folder, entries, errors)


@contextlib.contextmanager
def locked(villages: list[Path]) -> Iterator[None]:
    """Exclusive ``flock`` on each village folder (in a fixed order, so two writers never
    deadlock); the lock is on the folder's own descriptor, leaving no file behind. Inside
    the locks, a write a crash interrupted is first finished or undone
    (:func:`projects.files.recover`), so the ledger read is never half-written."""
    descriptors = []
    try:
        for folder in sorted(villages):
            descriptor = os.open(folder, os.O_RDONLY)
            descriptors.append(descriptor)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        recover(sorted(villages))
        yield
    finally:
        for descriptor in reversed(descriptors):
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)


def archive_path(folder: Path, account: str, date: datetime.date, workbook: Workbook) -> Path:
    """``documents/<account>/<date>.<sha256>.<name>``: where a source file is archived."""
    return folder / DOCUMENTS / Path(*account.split(":")) / f"{date}.{archive_name(workbook)}"


def refusal(folder: Path, message: str) -> ImportRefused:
    """A refusal about the village as a whole (no file or row to point at)."""
    return ImportRefused([Problem(layout.village_label(folder), "", 0, message)])


# -- planning the text ---------------------------------------------------------------------


def read_text(path: Path) -> str:
    return path.read_text("utf-8") if path.exists() else ""


def append(changes: dict[Path, str], path: Path, text: str, header: str = "") -> None:
    """Plan ``text`` at the end of ``path`` (its current text, else ``header``, first)."""
    current = changes.get(path)
    if current is None:
        current = read_text(path) or header
    changes[path] = current + text


def add_entries(
    changes: dict[Path, str],
    folder: Path,
    entries: list[data.Directive],
    title: str,
    archive: Path | None = None,
) -> None:
    """Plan entries into the village's files under one ``title`` comment: declarations into
    ``projects.beancount``, the rest into ``journal/<year>.beancount``; each entry cites the
    archived source (``document``) relative to its file, as Fava resolves it."""
    by_file: dict[Path, list] = defaultdict(list)
    targets: dict[int | None, tuple[Path, str]] = {}  # year (None: projects) → file, document
    for entry in sorted(entries, key=data.entry_sortkey):
        year = None if isinstance(entry, data.Custom) else entry.date.year
        if year not in targets:
            target = folder / (PROJECTS if year is None else f"journal/{year}.beancount")
            document = os.path.relpath(archive, target.parent) if archive is not None else ""
            targets[year] = target, document
        target, document = targets[year]
        if document:
            entry.meta["document"] = document
        by_file[target].append(entry)
    for target, part in by_file.items():
        append(changes, target, block(part, title), journal_header(folder, target))


def journal_header(folder: Path, target: Path) -> str:
    """The first line of a new journal file (as ``village new`` writes it)."""
    return f"; {folder.parent.name} {folder.name} {target.stem}年 日记账 (journal)\n"


# -- staging and checking ------------------------------------------------------------------


def village_of(path: Path) -> Path | None:
    """The village folder holding ``path``, if any."""
    return next((parent for parent in path.parents if layout.is_village(parent)), None)


def folders_of(paths: list[Path], township: Path | None = None) -> set[Path]:
    """The folders a commit writes: the village of each path, else (a register's full copy)
    the township."""
    folders = {village_of(path) or township for path in paths}
    if None in folders:
        raise ValueError(f"not in a village: {sorted(p for p in paths if not village_of(p))}")
    return folders


def stage(
    villages: list[LockedVillage],
    changes: dict[Path, str],
    archives: dict[Path, bytes | Path],
    commit: Commit,
) -> list[tuple[LockedVillage, Path]]:
    """Stage every change and archive in ``commit``: for each changed village, a copy of its
    ledger with the changes, in its staging folder (to be checked, then its changed files
    published); archives outside the villages (a township's register) as they are."""
    copies = []
    paths = [*changes, *archives]
    for one in villages:
        mine = [path for path in paths if path.is_relative_to(one.folder)]
        if not mine:
            continue
        staged = copy(one.folder, commit.staging(one.folder) / one.folder.name, changes, archives)
        for path in mine:
            commit.add(path, staged / path.relative_to(one.folder))
        copies.append((one, staged))
    for archive, content in archives.items():
        if village_of(archive) is None:
            commit.put(archive, content)
    return copies


def copy(
    folder: Path, staged: Path, changes: dict[Path, str], archives: dict[Path, bytes | Path]
) -> Path:
    """A copy of the village's text files with the changes applied; its documents as
    symlinks, the new archives as files (to be published)."""
    shutil.copytree(folder, staged, ignore=shutil.ignore_patterns(DOCUMENTS, ".*"))
    for path, text in changes.items():
        if path.is_relative_to(folder):
            target = staged / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    documents = folder / DOCUMENTS
    for path in documents.rglob("*") if documents.is_dir() else []:
        if path.is_file():
            target = staged / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path.resolve())
    for archive, content in archives.items():
        if archive.is_relative_to(folder):
            write(staged / archive.relative_to(folder), content)
    return staged


def check(
    copies: list[tuple[LockedVillage, Path]], sources: dict[str, str]
) -> list[data.Directives]:
    """Load each staged copy with its plugins: its entries; :class:`ImportRefused` on any error
    the change adds (``sources``: the archive names of the files read → their labels)."""
    problems: list[Problem] = []
    loaded = []
    for one, staged in copies:
        entries, errors, _ = read(staged / layout.MAIN)
        before = Counter(message(e) for e in one.errors)
        for error in errors:
            text = message(error)
            if before[text]:
                before[text] -= 1
                continue
            problems.append(problem_of(error, text, sources, staged, one.folder))
        loaded.append(entries)
    if problems:
        raise ImportRefused(problems)
    return loaded


def message(error: object) -> str:
    return " ".join(str(getattr(error, "message", error)).split())


def problem_of(error, text: str, sources: dict[str, str], staged: Path, folder: Path) -> Problem:
    """An error of the staged ledger as a problem: at its source row when the change made it."""
    entry = getattr(error, "entry", None)
    meta = getattr(entry, "meta", None) or {}
    document = Path(str(meta.get("document", ""))).name.split(".", 1)[-1]
    if "import_key" in meta and document in sources:
        if isinstance(entry, data.Balance):
            prefix = "余额核对失败: 表中余额与账上不符, 缺期初余额或漏记、重复记录? "
        else:
            prefix = "Beancount 检查未通过: "
        return Problem(sources[document], str(meta["sheet"]), int(meta["row"]), prefix + text)
    location = where(getattr(error, "source", None)).replace(str(staged), str(folder))
    return Problem(location, "", 0, text)
