"""The 三资 registers are declared completely: assets, resources and contracts.

    2024-01-01 custom "asset" "A009" "仓库"
      account: "Assets:151-固定资产:15109-仓库"

is reported (no ``cost``, no ``life``), as are a contract with no ``start``/``end`` or no
rent, a contract whose ``subject`` is on neither register, a ``contract-due`` or
``contract-step`` line of an undeclared contract, and an id declared twice. The syntax:
README.md, 三资台账.
"""

from __future__ import annotations

from beancount.core import data

from projects import registers


def check(entries: data.Directives, options_map: dict) -> list:
    """Malformed register declarations."""
    return list(registers.read(entries).errors)
