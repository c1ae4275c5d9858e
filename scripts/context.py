"""What every command shares: the ledgers folder and how PATH arguments resolve.

The ledgers folder is the one chosen (``--ledgers DIR`` or ``$CUNZHANG_LEDGERS``), else
``./ledgers``, else the demo township embedded in this checkout. A PATH (``VILLAGE``) is a
folder relative to the working directory first, then ``乡镇/村`` under the ledgers folder.

The demo is never written by accident: a command that writes into the ledgers folder
refuses when that folder is the demo and was not chosen; a command that only reads it says
so on stderr (使用演示账套 …). A PATH naming no village is refused with one line (exit 1).
"""

from __future__ import annotations

from pathlib import Path

import click

from projects import layout

CHOOSE = "用 --ledgers DIR、环境变量 CUNZHANG_LEDGERS 或当前目录下的 ledgers 文件夹选定账套根目录"


class Context:
    """The command line's state: the ledgers folder, and whether it was chosen."""

    def __init__(self, ledgers: Path | None) -> None:
        self.chosen = ledgers is not None
        self.ledgers = ledgers if ledgers is not None else layout.default_ledgers()
        self._noted = False

    def root(self, write: bool) -> Path:
        """The ledgers folder for a command that writes into it or reads from it."""
        if self.chosen or not layout.is_demo(self.ledgers):
            return self.ledgers
        if write:
            raise click.ClickException(
                f"没有选定账套根目录, 不写入内置的演示账套 {layout.EMBEDDED_LEDGERS} "
                f"(no ledgers folder chosen; the demo is read-only here): {CHOOSE}"
            )
        if not self._noted:
            self._noted = True
            click.echo(
                f"使用演示账套 {layout.EMBEDDED_LEDGERS} (using the demo ledgers): {CHOOSE}",
                err=True,
            )
        return self.ledgers

    def folder(self, target: str | None, write: bool = False) -> Path:
        """The village or township folder ``target`` names (the ledgers folder if none);
        refused (one line, exit 1) when no village ledger is there."""
        looked = target or ""
        path = Path(looked)
        if not target or not (path.exists() or path.is_absolute()):
            root = self.root(write)
            path = root / looked
            looked = f"{target} (当前目录和 {root} 下)" if target else str(root)
        if not layout.villages_under(path):
            raise click.ClickException(
                f"{looked}: 没有村账套 (no village ledger: no {layout.MAIN} found)"
            )
        return path

    def village(self, target: str) -> Path:
        """The one village a writing command changes; refused when it names none or a
        township."""
        folder = self.folder(target, write=True)
        if not layout.is_village(folder):
            raise click.ClickException(
                f"{target}: 是乡镇, 不是一个村 (a township; name one village: 乡镇/村)"
            )
        return folder

    def villages(self, target: str | None) -> list[Path]:
        """The villages a PATH argument names (read-only commands)."""
        return layout.villages_under(self.folder(target))
