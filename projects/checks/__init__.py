"""cunzhang's own checks, loaded by every village ledger as one Beancount plugin.

    plugin "projects.checks"

Each rule lives in a module of its own with one pure function ``check(entries,
options_map) -> list of errors``; this plugin runs them all, so ``bean-check``,
``cunzhang check`` and Fava's error page show the same findings.
"""

from __future__ import annotations

from beancount.core import data

from projects.checks import (
    account_names,
    budget,
    completion,
    contract_decisions,
    contract_receipts,
    decision_first,
    declarations,
    earmarked,
    earmarked_income,
    public_welfare,
    register_books,
    registers_declared,
    release,
    retained,
)

__plugins__ = ("run",)

RULES = (
    account_names.check,
    declarations.check,
    decision_first.check,
    budget.check,
    earmarked.check,
    earmarked_income.check,
    completion.check,
    release.check,
    retained.check,
    registers_declared.check,
    register_books.check,
    contract_receipts.check,
    contract_decisions.check,
    public_welfare.check,
)


def run(entries: data.Directives, options_map: dict) -> tuple[data.Directives, list]:
    """Run every rule over the entries; the entries pass through unchanged."""
    errors: list = []
    for rule in RULES:
        errors.extend(rule(entries, options_map))
    return entries, errors
