"""A village's 资产台账 and 合同台账, as the provincial 三资 platforms export them.

Each row becomes a declaration in the village's ``projects.beancount`` (README.md, 三资台账),
never a transaction — the books already hold the money::

    资产编号  资产名称    资产类别    会计科目             原值        入账日期
    A001      村部办公楼  房屋建筑物  固定资产-村部办公楼  360,000.00  2023-12-31
    (and 使用年限 40, 累计折旧 120,000.00, 坐落位置, 使用状态 自用, 是否公益性 是)

becomes ``2023-12-31 custom "asset" "A001" "村部办公楼"`` with ``account``, ``cost``, ``life``,
``depreciated`` (the 累计折旧 at the 入账日期), ``location``, ``use`` and ``public_welfare``;
and a 合同台账 row (合同编号, 承包方/承租方, 标的编号, 签订日期, 起始日期, 终止日期, 每期租金
or 年租金, 缴费周期, 缴费时间) becomes ``custom "contract"``, dated by its 签订日期; a 年租金
paid 半年/季/月 is that share of it per period.

A file is imported whole or not at all: an id declared twice (in the file or already in the
ledger), an account the ledger does not open or that no asset register covers, a contract
number that is not an ASCII link (``C2024-01``), a subject on neither register, an end
before the start, and an unknown 使用状态, 缴费周期 or 缴费时间 are each refused with their
``FILE:SHEET:ROW``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount as BeanAmount
from beancount.parser.grammar import ValueType

from importers.accounts import AccountBook
from importers.base import Provenance, SheetImporter, import_keys
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
from projects import registers
from projects.transaction_facts import top_code

#: 使用状态 words, by the register's ``use``.
USE_WORDS = {
    "自营": ("自营", "自用", "在用", "使用中", "正常使用"),
    "出租": ("出租", "发包", "租赁", "出借", "承包"),
    "闲置": ("闲置", "停用", "未使用"),
}
#: 缴费周期 words, by the contract's ``every``.
PERIOD_WORDS = {
    "年": ("年", "每年", "按年", "年付"),
    "半年": ("半年", "每半年", "按半年"),
    "季": ("季", "季度", "每季", "每季度", "按季"),
    "月": ("月", "每月", "按月", "月付"),
}
PAY_WORDS = {
    registers.IN_ADVANCE: ("期初", "先交后用", "预付", "预交", "期初缴纳"),
    registers.IN_ARREARS: ("期末", "后付", "期末缴纳", "到期支付"),
}
YES = ("是", "公益性", "公益", "Y", "YES", "√")
NO = ("否", "经营性", "非公益性", "N", "NO", "")


def choose(text: str, words: dict[str, tuple[str, ...]], default: str) -> str | None:
    """The key whose words include ``text`` (``default`` for an empty cell)."""
    if not text:
        return default
    return next((key for key, synonyms in words.items() if text in synonyms), None)


class AssetColumns(Dialect):
    """资产台账: one row per asset (the 2023 standard's 资产登记 fields)."""

    kind = "资产台账"
    id = Text("资产编号", "资产编码", "卡片编号", required=True)
    name = Text("资产名称", required=True)
    category = Text("资产类别", "资产分类", "类别")
    account = Text("会计科目", "所属科目", "核算科目", required=True)
    cost = Amount("原值", "资产原值", "账面原值", "原价", required=True)
    date = Date("入账日期", "取得日期", "购建日期", "购置日期", required=True)
    life = Text("使用年限", "折旧年限", "预计使用年限")
    method = Text("折旧方法")
    residual = Text("净残值率", "残值率")
    depreciated = Amount("累计折旧", "已提折旧", "累计摊销")
    location = Text("坐落位置", "存放地点", "坐落", "位置")
    use = Text("使用状态", "使用情况", "经营方式")
    public_welfare = Text("是否公益性", "公益性", "资产性质")
    project = Text("项目编号", "项目代码", "项目号")


class ContractColumns(Dialect):
    """合同台账: one row per 发包/出租 contract."""

    kind = "合同台账"
    id = Text("合同编号", "合同号", required=True)
    party = Text("承包方", "承租方", "乙方", "承包人", "承租人", required=True)
    subject = Text("标的编号", "资产资源编号", "资源编号", "标的", required=True)
    signed = Date("签订日期", "签约日期", required=True)
    start = Date("起始日期", "开始日期", "起租日期", "合同起始日期", required=True)
    end = Date("终止日期", "结束日期", "到期日期", "合同终止日期", required=True)
    rent = Amount("每期租金", "每期金额", "租金", "承包费")
    annual = Amount("年租金", "年承包费", "每年租金")
    every = Text("缴费周期", "支付周期", "付款周期")
    pay = Text("缴费时间", "付款时间", "支付时间")


class Row(NamedTuple):
    """A row's values, the label of a field's column, and what the ledger declares."""

    values: dict
    label: Callable[[str], str]
    declared: registers.Registers


#: A declaration's date, values and metadata.
Parsed = tuple[datetime.date, list[str], dict]


class DeclarationSheet(SheetImporter):
    """A register whose rows become declarations (one village per file)."""

    default_account = "Equity:301-资本"  # the archive folder of a register
    #: The register directive a row becomes.
    directive = ""

    def read(
        self,
        workbook: Workbook,
        headers: list[Header],
        book: AccountBook,
        existing: data.Entries,
        problems: list[Problem],
    ) -> data.Entries:
        provenance = Provenance(workbook)
        declared = registers.read(existing)
        imported = import_keys(existing)
        seen: set[str] = set()
        entries = []
        for header in headers:
            for record in records(header, workbook.label, problems):
                if record.opening or record.broken:
                    continue
                where = (workbook.label, record.sheet, record.row)
                found: list[str] = []
                row = Row(record.values, partial(column_label, header), declared)
                parsed = self.parse(row, book, found)
                if found or parsed is None:
                    problems.extend(Problem(*where, message) for message in found)
                    continue
                date, values, meta = parsed
                content = (self.directive, date.isoformat(), *map(str, values), str(meta))
                entry_meta = provenance.meta(record.sheet, record.row, content)
                rid, known = values[0], getattr(declared, self.directive + "s")
                # the same row imported before is a duplicate (skipped), not a conflict
                if rid in seen or (rid in known and entry_meta["import_key"] not in imported):
                    message = f"{column_label(header, 'id')}: {rid} 重复 (declared twice)"
                    problems.append(Problem(*where, message))
                seen.add(rid)
                entry_meta.update(meta)
                values_ = [ValueType(v, str) for v in values]
                entries.append(data.Custom(entry_meta, date, self.directive, values_))
        return entries

    def parse(self, row: Row, book: AccountBook, found: list[str]) -> Parsed | None:
        """The directive's date, values and metadata; problems appended to ``found``."""
        raise NotImplementedError


class AssetRegisterImporter(DeclarationSheet):
    """资产台账 → ``custom "asset"`` declarations."""

    dialect = AssetColumns
    directive = "asset"

    def parse(self, row: Row, book: AccountBook, found: list[str]) -> Parsed | None:
        values, label, _ = row
        rid, name = squeeze(values.get("id") or ""), values.get("name") or ""
        if not rid.isascii() or not rid:
            found.append(f"{label('id')}: “{rid}” 应为英文字母和数字 (ASCII), 如 A001")
        date, cost = values.get("date"), values.get("cost")
        account, reason = book.resolve("", values.get("account") or "", date, False)
        if account is None:
            found.append(f"{label('account')}: {reason}")
        elif not account.startswith("Assets:") or top_code(account) not in registers.ASSET_CODES:
            codes = "、".join(registers.ASSET_CODES)
            found.append(f"{label('account')}: {account} 不是资产台账的科目 ({codes})")
        if not cost or cost <= 0:
            found.append(f"{label('cost')}: 应为正数")
        use = choose(squeeze(values.get("use") or ""), USE_WORDS, "自营")
        if use is None:
            found.append(f"{label('use')}: “{values.get('use')}” 应为 自营、出租 或 闲置")
        welfare = squeeze(values.get("public_welfare") or "").upper()
        if welfare not in YES + NO:
            found.append(f"{label('public_welfare')}: “{welfare}” 应为 是 或 否")
        method = values.get("method") or registers.STRAIGHT_LINE
        method = registers.STRAIGHT_LINE if method in ("直线法", "平均年限法") else method
        if method not in registers.METHODS:
            found.append(f"{label('method')}: “{method}” 应为 {' 或 '.join(registers.METHODS)}")
        life = number(values.get("life"))
        if values.get("life") and (life is None or life != life.to_integral_value() or life <= 0):
            found.append(f"{label('life')}: “{values.get('life')}” 应为年数")
        residual = rate(values.get("residual"))
        if residual is None:
            found.append(f"{label('residual')}: “{values.get('residual')}” 应为 5% 或 0.05")
        project = project_link(values, ("", "", 0), [])
        if project is None:
            found.append(f"{label('project')}: 应为 P 加数字, 如 P2024-01")
        if found or date is None or account is None:
            return None
        meta: dict = {"kind": values.get("category") or "", "account": account}
        meta["cost"] = BeanAmount(cost, "CNY")
        if method != registers.STRAIGHT_LINE:
            meta["method"] = method
        if life:
            meta["life"] = Decimal(int(life))
        if residual:
            meta["residual"] = residual
        if values.get("depreciated"):
            meta["depreciated"] = BeanAmount(values["depreciated"], "CNY")
        if values.get("location"):
            meta["location"] = values["location"]
        meta["use"] = use
        if welfare in YES:
            meta["public_welfare"] = True
        if project:
            meta["project"] = project
        return date, [rid, name], meta


class ContractRegisterImporter(DeclarationSheet):
    """合同台账 → ``custom "contract"`` declarations."""

    dialect = ContractColumns
    directive = "contract"

    def parse(self, row: Row, book: AccountBook, found: list[str]) -> Parsed | None:
        values, label, declared = row
        cid, party = squeeze(values.get("id") or ""), values.get("party") or ""
        if not registers.CONTRACT_LINK.fullmatch(cid):
            found.append(f"{label('id')}: “{cid}” 应为 C 加数字 (ASCII), 如 C2024-01")
        subject = squeeze(values.get("subject") or "")
        if subject not in declared.resources and subject not in declared.assets:
            found.append(f"{label('subject')}: {subject} 不在账套的资源台账或资产台账上, 先声明")
        start, end = values.get("start"), values.get("end")
        if start and end and end < start:
            found.append(f"{label('end')}: {end} 早于起始日期 {start}")
        every = choose(squeeze(values.get("every") or ""), PERIOD_WORDS, "年")
        if every is None:
            found.append(f"{label('every')}: “{values.get('every')}” 应为 年、半年、季 或 月")
        rent, annual = values.get("rent"), values.get("annual")
        if annual and every:  # a yearly rent paid by shorter periods
            rent = (annual * registers.PERIODS[every] / 12).quantize(registers.CENT)
        if not rent or rent <= 0:
            found.append(f"{label('annual' if annual else 'rent')}: 每期租金或年租金应为正数")
        pay = choose(squeeze(values.get("pay") or ""), PAY_WORDS, registers.IN_ADVANCE)
        if pay is None:
            found.append(f"{label('pay')}: “{values.get('pay')}” 应为 期初 或 期末")
        if found or not (values.get("signed") and start and end):
            return None
        meta = {"subject": subject, "start": start, "end": end, "rent": BeanAmount(rent, "CNY")}
        meta.update(every=every, pay=pay)
        return values["signed"], [cid, party], meta


def number(text: object) -> Decimal | None:
    try:
        return Decimal(str(text).strip()) if text else None
    except InvalidOperation:
        return None


def rate(text: object) -> Decimal | None:
    """``5%`` or ``0.05`` → ``0.05``; empty → 0."""
    raw = str(text or "").strip()
    if not raw:
        return Decimal(0)
    value = number(raw.rstrip("%％"))
    if value is None or not 0 <= value < (100 if raw[-1] in "%％" else 1):
        return None
    return value / 100 if raw[-1] in "%％" else value
