"""cunzhang's own checks, loaded by every village ledger as one Beancount plugin.

    plugin "projects.checks"

Each rule lives in a module of its own with one pure function ``check(entries,
options_map) -> list of errors``; this plugin finds every module of the package and runs
them all (adding a rule is adding a module), so ``bean-check``,
``cunzhang check`` and Fava's error page show the same findings.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType

from beancount.core import data

__plugins__ = ("run",)

Rule = Callable[[data.Directives, dict], list]


def discover(package: ModuleType) -> tuple[Rule, ...]:
    """The ``check`` of every module in ``package``, in module-name order: adding a rule is
    adding a module; nothing else lists the rules."""
    modules = sorted(found.name for found in pkgutil.iter_modules(package.__path__))
    return tuple(importlib.import_module(f"{package.__name__}.{name}").check for name in modules)


RULES = discover(importlib.import_module(__name__))


def run(entries: data.Directives, options_map: dict) -> tuple[data.Directives, list]:
    """Run every rule over the entries; the entries pass through unchanged."""
    errors: list = []
    for rule in RULES:
        errors.extend(rule(entries, options_map))
    return entries, errors
