"""beangulp importers for the spreadsheets village cooperatives hand in.

The kinds are :data:`KINDS`, recognised by content (never by file name), each a declaration
of columns over one shared sheet reader (:mod:`importers.sheet`):

========================  =================================  ===========================
kind                      importer                           becomes
========================  =================================  ===========================
帮扶资金台账              :class:`RegisterImporter`           fund declarations
资产台账                  :class:`AssetRegisterImporter`      asset declarations
合同台账                  :class:`ContractRegisterImporter`   contract declarations
凭证列表                  :class:`VoucherImporter`            one transaction per voucher
现金/银行存款日记账        :class:`JournalImporter`            transactions + balances
银行对账单                :class:`StatementImporter`          classified transactions
========================  =================================  ===========================

A new kind is one module declaring its :class:`~importers.sheet.Dialect` and its
:class:`~importers.base.SheetImporter` (whose ``township`` says whether a file covers a
whole township), and one entry in :data:`KINDS`: recognition, ``cunzhang import``'s
messages and help, and :func:`beangulp_importers` follow from it.

``cunzhang import`` drives them (:mod:`importers.run`); a plain beangulp ``import.py``
can use them too::

    import beangulp
    from importers import beangulp_importers

    if __name__ == "__main__":
        beangulp.Ingest(beangulp_importers("ledgers/青石镇/东山村")).cli()

then ``python import.py extract -e ledgers/青石镇/东山村/main.beancount FILES``.
"""

from __future__ import annotations

from pathlib import Path

from importers.asset_registers import AssetRegisterImporter, ContractRegisterImporter
from importers.base import ImportOptions, SheetImporter
from importers.classify import load_rules
from importers.columns import load_columns
from importers.movements import JournalImporter, StatementImporter
from importers.register import RegisterImporter
from importers.sheet import ImportRefused, Problem
from importers.vouchers import VoucherImporter

#: Every kind ``cunzhang import`` reads, in the order a sheet's header is tried against them
#: (most specific first): the one registry of kinds.
KINDS: list[type[SheetImporter]] = [
    RegisterImporter,
    AssetRegisterImporter,
    ContractRegisterImporter,
    VoucherImporter,
    JournalImporter,
    StatementImporter,
]


def beangulp_importers(village: str | Path, **options: object) -> list[SheetImporter]:
    """One importer of each kind for a village folder, with its ``import-rules.csv`` and
    ``import-columns.csv``. A refusal is a beangulp error: ``import.py`` prints its lines.

    ``options`` are those of :class:`~importers.base.ImportOptions` (``account``,
    ``create_accounts``, ``chart``); township-wide kinds keep only the village's own rows.
    """
    folder = Path(village)
    rules, problems = load_rules(folder)
    columns, more = load_columns([folder], [kind.dialect for kind in KINDS])
    if problems or more:
        raise ImportRefused(problems + more)
    settings = ImportOptions(rules=rules, village=folder.name, columns=columns, **options)  # type: ignore[arg-type]
    return [importer(settings, KINDS) for importer in KINDS]


__all__ = [
    "KINDS",
    "AssetRegisterImporter",
    "ContractRegisterImporter",
    "ImportOptions",
    "ImportRefused",
    "JournalImporter",
    "Problem",
    "RegisterImporter",
    "StatementImporter",
    "VoucherImporter",
    "beangulp_importers",
]
