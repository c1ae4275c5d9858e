"""Writing files atomically: one file (:func:`replace`), or many at once (:class:`Commit`).

A reader (Fava, a second import, a web server) sees the old file or the new one, never a
part. Every writer of ledgers, archives, exports, caches and the users file goes through here.

``os.replace`` is atomic for one file only. A write that changes several files of one or
more folders (an import: journals, ``accounts.beancount``, ``projects.beancount``, archived
copies under ``documents/``) is a :class:`Commit`, a write-ahead journal:

1. *stage*: every new file is written into a hidden folder ``.import-XXXX`` inside the folder
   it belongs to (the same name in every folder of the commit), flushed to disk;
2. each staging folder gets a ``MANIFEST`` (its moves: staged file → target, and where the
   commit's *coordinator*, the first folder, is), written atomically;
3. *the commit point*: the coordinator's ``COMMITTED`` marker (naming the other folders)
   appears by one ``rename``;
4. *publish*: each staged file is moved into place (``os.replace``), then the staging folders
   are deleted, the coordinator's last.

:func:`recover` (run under the folder's lock before anything is read or written, see
``importers.writing.locked``) makes a crash at any point leave nothing or everything: a staging
folder whose coordinator has no ``COMMITTED`` marker is deleted (nothing happened); one whose
coordinator has it gets its remaining moves done (a move whose staged file is gone was done)
and is deleted. :func:`unfinished` lists the committed staging folders still to publish,
for ``cunzhang check``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

#: Prefix of the hidden staging folders of a :class:`Commit`, inside each folder it writes.
STAGING = ".import-"
MANIFEST = "MANIFEST"
COMMITTED = "COMMITTED"


def default_mode() -> int:
    """The mode a new file gets under the current umask (``0o644`` under ``022``)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def mode_of(path: Path) -> int:
    """The permissions of ``path``, or those a new file gets."""
    return path.stat().st_mode & 0o7777 if path.exists() else default_mode()


def replace(path: Path, content: bytes, mode: int | None = None) -> None:
    """Write ``content`` to ``path`` atomically, with ``mode`` or else the permissions the
    file has (new files: the umask's)."""
    descriptor, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(descriptor, mode_of(path) if mode is None else mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (names created, renamed or removed) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class Commit:
    """Files written to one or more folders together: after a crash, all or none of them.

    The caller holds each folder's lock (and :func:`recover` ran under it)::

        with Commit([village]) as commit:
            commit.put(village / "accounts.beancount", text.encode())
            staged = commit.staging(village) / "copy" / "journal" / "2024.beancount"
            ...  # written by the caller, e.g. into a staged copy of the ledger to check
            commit.add(village / "journal" / "2024.beancount", staged)
            commit.publish()

    Leaving the ``with`` block without :meth:`publish` (a refusal, an error) deletes the
    staging folders; an error after the commit point leaves them for :func:`recover`.
    """

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = sorted({Path(folder) for folder in folders})
        self.name = ""
        self.moves: dict[Path, dict[Path, Path]] = {folder: {} for folder in self.folders}
        self.committed = False

    def __enter__(self) -> Commit:
        first = Path(tempfile.mkdtemp(prefix=STAGING, dir=self.folders[0]))
        self.name = first.name
        for folder in self.folders[1:]:
            (folder / self.name).mkdir()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            for folder in self.folders:
                shutil.rmtree(self.staging(folder), ignore_errors=True)

    def staging(self, folder: Path) -> Path:
        """The staging folder of the commit inside ``folder``."""
        return Path(folder) / self.name

    def folder_of(self, target: Path) -> Path:
        """The innermost of the commit's folders holding ``target``."""
        holding = [folder for folder in self.folders if target.is_relative_to(folder)]
        if not holding:
            raise ValueError(f"{target} is in none of the commit's folders")
        return max(holding, key=lambda folder: len(folder.parts))

    def add(self, target: Path, staged: Path) -> None:
        """Publish the staged file ``staged`` (inside the target folder's staging) as ``target``."""
        folder = self.folder_of(target)
        if not staged.is_relative_to(self.staging(folder)):
            raise ValueError(f"{staged} is not staged in {self.staging(folder)}")
        self.moves[folder][target] = staged

    def put(self, target: Path, content: bytes | Path) -> Path:
        """Stage ``content`` (bytes, or a file to copy) to be published as ``target``."""
        folder = self.folder_of(target)
        staged = self.staging(folder) / "files" / target.relative_to(folder)
        write(staged, content)
        self.add(target, staged)
        return staged

    def publish(self) -> None:
        """Flush every staged file, commit (one ``rename``), then move the files into place."""
        coordinator = self.folders[0]
        for folder in self.folders:
            staging = self.staging(folder)
            moves = self.moves[folder]
            for target, staged in moves.items():
                with staged.open("rb+") as handle:
                    os.fchmod(handle.fileno(), mode_of(target))
                    os.fsync(handle.fileno())
            for parent in {staged.parent for staged in moves.values()}:
                sync_folder(parent)
            manifest = {
                "coordinator": os.path.relpath(coordinator, folder),
                "moves": [
                    [str(staged.relative_to(staging)), str(target.relative_to(folder))]
                    for target, staged in moves.items()
                ],
            }
            replace(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False).encode())
        others = [os.path.relpath(folder, coordinator) for folder in self.folders[1:]]
        marker = json.dumps({"participants": others}, ensure_ascii=False).encode()
        replace(self.staging(coordinator) / COMMITTED, marker)  # the commit point
        self.committed = True
        for folder in self.folders:
            publish_moves(folder, self.staging(folder))
        for folder in reversed(self.folders):  # the coordinator's marker last
            remove(self.staging(folder))


def write(path: Path, content: bytes | Path) -> None:
    """Write ``content`` (bytes, or a file to copy) to a new file ``path`` (not atomically:
    for staged files), making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        shutil.copyfile(content, path)
    else:
        path.write_bytes(content)


def manifest_of(staging: Path) -> dict | None:
    """A staging folder's manifest, or None if it never got one (it was not committed)."""
    try:
        return json.loads((staging / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def marker_of(folder: Path, staging: Path, manifest: dict | None) -> Path | None:
    """The ``COMMITTED`` marker of a staging folder's commit, or None if there is none."""
    if manifest is None:
        return None
    coordinator = Path(os.path.normpath(folder / manifest["coordinator"]))
    marker = coordinator / staging.name / COMMITTED
    return marker if marker.is_file() else None


def publish_moves(folder: Path, staging: Path) -> None:
    """Move a committed staging folder's staged files into place; those gone were moved."""
    moved = set()
    for staged, target in (manifest_of(staging) or {"moves": []})["moves"]:
        source, destination = staging / staged, folder / target
        if os.path.lexists(source):
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, destination)
            moved.add(destination.parent)
    for parent in moved:
        sync_folder(parent)


def remove(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        sync_folder(staging.parent)


def stagings(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob(f"{STAGING}*") if p.is_dir())


def recover(folders: Iterable[Path]) -> list[Path]:
    """Finish or undo every commit interrupted in ``folders`` (each locked by the caller):
    the staging folders whose commit was published (rolled forward)."""
    published, coordinators = [], []
    for folder in folders:
        for staging in stagings(folder):
            manifest = manifest_of(staging)
            marker = marker_of(folder, staging, manifest)
            if marker is None:
                remove(staging)
                continue
            publish_moves(folder, staging)
            published.append(staging)
            if marker.parent == staging:
                coordinators.append(staging)
            else:
                remove(staging)
    for staging in coordinators:  # removed when the other folders' parts are published
        participants = json.loads((staging / COMMITTED).read_text("utf-8"))["participants"]
        if not any((staging.parent / p / staging.name).exists() for p in participants):
            remove(staging)
    return published


def unfinished(folder: Path) -> list[Path]:
    """The committed staging folders of ``folder`` with files not yet moved into place: the
    folder is half-written until :func:`recover` (any import or write) finishes them."""
    found = []
    for staging in stagings(folder):
        manifest = manifest_of(staging)
        if marker_of(folder, staging, manifest) is None:
            continue
        if any(os.path.lexists(staging / staged) for staged, _ in manifest["moves"]):
            found.append(staging)
    return found
