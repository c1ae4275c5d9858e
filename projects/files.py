"""Writing a file atomically: a temp file beside it, flushed, then ``os.replace``.

A reader (Fava, a second import, a web server) sees the old file or the new one, never a
part. Every writer of ledgers, archives, exports, caches and the users file goes through here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


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
