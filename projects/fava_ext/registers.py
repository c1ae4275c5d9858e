"""三资台账 in Fava: the contracts, assets and resources of ``projects.register_reports``.

Every contract's figures open the contract itself (``?contract=C2024-01``): its rent
schedule with the amount due to date after each instalment, and its receipts with their
amounts, each receipt and the contract's declarations linking into Fava's journal.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from beancount.core import data
from flask import request, url_for

from projects import register_reports, registers, transaction_facts
from projects.fava_ext import links, page
from projects.registers import ZERO


@dataclass
class ScheduleLine:
    """An instalment, and the rent due to date after it."""

    due: datetime.date
    amount: Decimal
    to_date: Decimal


@dataclass
class ReceiptLine:
    """A receipt linked to the contract, and the amount received to date after it."""

    date: datetime.date
    narration: str
    amount: Decimal
    to_date: Decimal
    journal: str


class Registers(page.Page):
    """三资台账: contracts (rent due, received, arrears, expiry), assets, resources."""

    report_title = "三资台账"

    def as_of(self) -> datetime.date:
        return register_reports.as_of(self.books, self.year)

    def contracts(self) -> list[tuple[register_reports.ContractRow, dict]]:
        """``register_reports.contract_rows``, each figure linked to the contract's page."""
        return self.cached("contracts", self._contracts)

    def _contracts(self) -> list[tuple[register_reports.ContractRow, dict]]:
        return [
            (
                row,
                {
                    "contract": self.contract_url(row.contract),
                    "received": self.journal_of_transactions(f"^{row.contract}"),
                    "declared": self.journal(declared(row.contract)),
                },
            )
            for row in self.table("contracts")
        ]

    def assets(self) -> list[tuple[register_reports.AssetRow, dict]]:
        """``register_reports.asset_rows``, the cost linked to its account's journal."""
        return [
            (row, {"cost": self.journal(links.IS_TRANSACTION, f"^{row.account}(:|$)")})
            for row in self.table("assets")
        ]

    def resources(self) -> list[register_reports.ResourceRow]:
        return self.table("resources")

    def contract_url(self, contract: str) -> str:
        """This page, opened on one contract's schedule and receipts."""
        base = url_for("extension_report", extension_name=self.name, filter=None, time=None)
        return f"{base}?{urlencode({'contract': contract})}#schedule"

    def selected(self) -> registers.Contract | None:
        """The contract ``?contract=`` asks for (400 if none is declared by that id)."""
        cid = request.args.get("contract")
        if not cid:
            return None
        contract = registers.read(self.books.entries).contracts.get(cid)
        if contract is None:
            page.bad_request(f"没有合同 {cid} (no such contract)")
        return contract

    def schedule(self, contract: registers.Contract) -> list[ScheduleLine]:
        lines, total = [], ZERO
        for instalment in contract.schedule():
            total += instalment.amount
            lines.append(ScheduleLine(instalment.due, instalment.amount, total))
        return lines

    def receipts(self, contract: registers.Contract) -> list[ReceiptLine]:
        lines, total = [], ZERO
        for entry in register_reports.receipts(self.books, contract.id, self.as_of()):
            amount = transaction_facts.money_in(entry)
            total += amount
            lines.append(
                ReceiptLine(
                    entry.date, entry.narration, amount, total, self.journal(entry_filter(entry))
                )
            )
        return lines

    def declared_url(self, contract: registers.Contract) -> str:
        return self.journal(declared(contract.id))

    def receipts_url(self, contract: registers.Contract) -> str:
        return self.journal(links.transactions(f"^{contract.id}"))


def declared(contract: str) -> str:
    """The contract's declarations: ``contract``, ``contract-due``, ``contract-step``."""
    kinds = links.quoted("^contract(-due|-step)?$")
    return f"type:{kinds} values:{links.quoted(re.escape(repr(contract)))}"


def entry_filter(entry: data.Transaction) -> str:
    """One receipt in the journal: its date, links and narration."""
    narration = links.equals("narration", entry.narration or "")
    return f"{links.IS_TRANSACTION} date:{links.quoted('^' + entry.date.isoformat())} {narration}"
