"""Registers of funds coordinated by first secretaries (帮扶资金台账), all villages in one sheet.

A register row is a claim, not a movement of money: the pledged (协调) and landed (实际到账)
amounts become declarations in the named village's ``projects.beancount``, in the syntax
of README.md's 声明语法 section, which the projects model reconciles with the receipts the
books actually show (a secretary's report often counts policy money as the unit's own) —
never transactions, which would count the money twice::

    2024-01-01 custom "fund-pledge" "市金融发展局" "帮扶资金" 300000.00 CNY
      secretary: "王立新"
      project: "P2024-01"
    2024-01-20 custom "fund-landed" "市金融发展局" "帮扶资金" 300000.00 CNY
      ...

A pledge is dated by a 协调日期 column if the register has one, else 1 January of the
register's year (its title or sheet name: ``2024年``); a landed claim by its 到账日期.

A register lists every village (:attr:`RegisterImporter.township`), and a village's users
may open what its ledger cites (Fava serves each village's ``documents``): so a village
archives only :func:`importers.base.village_extract`, its own rows at their original sheets
and row numbers, and each declaration carries the full register's ``register_sha256``; the
full register is archived at township level, outside every village (``importers.run``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount as BeanAmount
from beancount.parser.grammar import ValueType

from importers.accounts import AccountBook
from importers.base import VILLAGE_KEY, Provenance, SheetImporter
from importers.project_link import project_link
from importers.sheet import (
    Amount,
    Date,
    Dialect,
    Header,
    Problem,
    Text,
    Workbook,
    column_label,
    records,
    squeeze,
)


class RegisterColumns(Dialect):
    """帮扶资金台账: one row per fund a dispatching unit coordinated for a village."""

    kind = "帮扶资金台账"
    village = Text("村", "村名", "所在村", "帮扶村", "村别", required=True)
    secretary = Text("第一书记", "驻村第一书记", "书记", "第一书记姓名")
    unit = Text("派出单位", "帮扶单位", "后盾单位", "选派单位", required=True)
    fund = Text("资金名称", "资金类别", "资金类型", "资金来源")
    pledged = Amount("协调金额", "协调资金", "争取资金", "承诺金额", "协调资金金额", required=True)
    landed = Amount(
        "实际到账金额", "到账金额", "到位金额", "实际落地资金", "落地金额", required=True
    )
    landed_date = Date("到账日期", "到位日期", "落地日期")
    pledge_date = Date("协调日期", "签约日期", "承诺日期")
    project = Text("项目编号", "项目代码", "项目号")


class RegisterImporter(SheetImporter):
    """Fund registers: declarations, dispatched to villages by the 村 column."""

    dialect = RegisterColumns
    #: Funds coordinated for projects are earmarked money, a liability until the project's
    #: asset is formed (241 专项应付款, not 503 补助收入):
    #: the register is archived there, where Fava lists it with the village's documents.
    default_account = "Liabilities:241-专项应付款"
    township = True

    def read(
        self,
        workbook: Workbook,
        headers: list[Header],
        book: AccountBook,
        existing: data.Entries,
        problems: list[Problem],
    ) -> data.Entries:
        label = workbook.label
        provenance = Provenance(workbook)
        wanted = squeeze(self.options.village) if self.options.village else None
        entries = []
        for header in headers:
            for record in records(header, label, problems):
                if record.opening or record.broken:
                    continue
                values = record.values
                where = (label, record.sheet, record.row)
                village = squeeze(values.get("village") or "")
                unit = values.get("unit") or ""
                if not village or not unit:
                    field = "village" if not village else "unit"
                    problems.append(Problem(*where, f"{column_label(header, field)}: 为空"))
                    continue
                if project_link(values, where, problems) is None:
                    continue
                for kind, amount_field in (("fund-pledge", "pledged"), ("fund-landed", "landed")):
                    amount = values.get(amount_field)
                    if not amount:
                        continue
                    date = self.claim_date(header, values, kind)
                    if date is None:
                        date_field = "landed_date" if kind == "fund-landed" else "pledge_date"
                        problems.append(
                            Problem(*where, f"{column_label(header, date_field)}: 缺少日期")
                        )
                        continue
                    if wanted is None or village == wanted:
                        entries.append(
                            self.declaration(
                                kind, date, village, amount, values, record, provenance
                            )
                        )
        return entries

    def claim_date(self, header: Header, values: dict, kind: str) -> datetime.date | None:
        """A landed claim's 到账日期; a pledge's 协调日期, else 1 January of the register's year."""
        if kind == "fund-landed":
            return values.get("landed_date")
        if values.get("pledge_date"):
            return values["pledge_date"]
        year = header.year or (values.get("landed_date") or datetime.date.min).year
        return datetime.date(year, 1, 1) if year > 1 else None

    def declaration(
        self,
        kind: str,
        date: datetime.date,
        village: str,
        amount: Decimal,
        values: dict,
        record,
        provenance: Provenance,
    ) -> data.Custom:
        """One ``fund-pledge`` or ``fund-landed`` directive (README.md, 声明语法)."""
        unit, fund = values.get("unit") or "", values.get("fund") or ""
        secretary, project = values.get("secretary") or "", values.get("project") or ""
        content = (kind, village, date.isoformat(), unit, fund, str(amount), secretary, project)
        meta = provenance.meta(record.sheet, record.row, content)
        meta[VILLAGE_KEY] = village
        if secretary:
            meta["secretary"] = secretary
        if project:
            meta["project"] = project
        meta["register_sha256"] = provenance.workbook.sha256
        values_ = [
            ValueType(unit, str),
            ValueType(fund, str),
            ValueType(BeanAmount(amount, "CNY"), BeanAmount),
        ]
        return data.Custom(meta, date, kind, values_)
