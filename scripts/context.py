"""What every command shares: the ledgers folder and how PATH arguments resolve."""

from __future__ import annotations

from pathlib import Path

import click

from projects import layout


class Context:
    """The command line's state: the ledgers folder (``--ledgers``)."""

    def __init__(self, ledgers: Path) -> None:
        self.ledgers = ledgers

    def villages(self, target: str | None) -> list[Path]:
        """The villages a PATH argument names; a usage error when it names none."""
        path = layout.resolve(target, self.ledgers) if target else self.ledgers
        found = layout.villages_under(path)
        if not found:
            raise click.BadParameter(
                f"{path} 下没有村账套 (no village ledger: no {layout.MAIN} found)",
                param_hint="PATH",
            )
        return found
