"""Where ledgers live: ``<ledgers>/<乡镇>/<村>/main.beancount``.

A *village* is a folder holding ``main.beancount``; a *township* is a folder of villages.
Commands take either, as a path or as ``乡镇/村`` relative to the ledgers folder
(``scripts.context`` resolves them, and keeps writes out of the embedded demo).
"""

from __future__ import annotations

from pathlib import Path

MAIN = "main.beancount"

#: The ledgers shipped with the code: the demo township 青石镇.
EMBEDDED_LEDGERS = Path(__file__).resolve().parent.parent / "ledgers"


def default_ledgers() -> Path:
    """The ledgers folder when none is chosen (``--ledgers``, ``$CUNZHANG_LEDGERS``):
    ``./ledgers`` if present, else the embedded demo."""
    local = Path("ledgers")
    return local if local.is_dir() else EMBEDDED_LEDGERS


def is_demo(ledgers: Path) -> bool:
    """Whether ``ledgers`` is the embedded demo (this checkout's own ``ledgers/``)."""
    return ledgers.resolve() == EMBEDDED_LEDGERS


def is_village(path: Path) -> bool:
    return (path / MAIN).is_file()


def villages_under(path: Path) -> list[Path]:
    """The village folders at or below ``path`` (a village, township or ledgers folder)."""
    if path.is_file() and path.name == MAIN:
        return [path.parent]
    if is_village(path):
        return [path]
    if not path.is_dir():
        return []
    return sorted(p.parent for p in path.glob(f"*/{MAIN}")) or sorted(
        p.parent for p in path.glob(f"*/*/{MAIN}")
    )


def village_label(village: Path) -> str:
    """``乡镇/村`` for messages."""
    return f"{village.parent.name}/{village.name}"
