"""The 三资 registers of a village ledger: assets (资产台账), resources (资源台账) and
contracts (合同台账), and its member register (成员名册), read into plain dataclasses.

They are Beancount ``custom`` directives (syntax: README.md, 三资台账), usually in the
village's ``projects.beancount`` beside the project declarations::

    2023-12-31 custom "asset" "A001" "村部办公楼"
      kind: "房屋建筑物"
      account: "Assets:151-固定资产:15101-村部办公楼"
      cost: 360000.00 CNY
      life: 40
      depreciated: 120000.00 CNY
    2023-12-31 custom "resource" "R001" "东山坡耕地"
      kind: "耕地"
      area: 120
      status: "发包"
    2023-12-20 custom "contract" "C2024-01" "东山家庭农场"
      subject: "R001"
      start: 2024-01-01
      end: 2028-12-31
      rent: 12000.00 CNY
      pay: "期末"
    2023-12-31 custom "member" "M001" "张三"
      group: "第一村民小组"
      shares: 4

read as ``Asset(id="A001", cost=Decimal("360000.00"), life=40, ...)``, ``Resource(...)`` and
``Contract(id="C2024-01", party="东山家庭农场", ...)`` whose :meth:`Contract.schedule` is one
instalment of 12,000.00 due on each 31 December from 2024 to 2028. A member (成员户, by
its 户主) is who a distribution plan's 成员分配 pays (``projects.year_end``), and its
村民小组 what the distribution's summary adds up by.

Depreciation is straight-line (年限平均法) by month: the monthly charge is
``cost × (1 − residual) / (life × 12)`` rounded to the cent (:func:`monthly_charge`),
charged from the month after the asset's date, on top of the accumulated depreciation it
was declared with, up to its depreciable amount.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from projects.model import RESULT_STEP, STEPS, ZERO, required_steps

CENT = Decimal("0.01")

#: A link that names a contract: C, then a digit (C2024-01).
CONTRACT_LINK = re.compile(r"C\d[\w.-]*")

#: The first-level accounts an asset register covers: 生产性生物资产, 公益性生物资产,
#: 长期投资, 固定资产, 无形资产.
ASSET_CODES = ("132", "134", "141", "151", "161")
#: The contra account of each depreciated asset account: 生产性生物资产累计折旧, 累计折旧,
#: 累计摊销.
CONTRA_CODES = {"132": "133", "151": "152", "161": "162"}

STRAIGHT_LINE = "年限平均法"
NOT_DEPRECIATED = "不提折旧"
METHODS = (STRAIGHT_LINE, NOT_DEPRECIATED)
USES = ("自营", "出租", "闲置")
RESOURCE_STATUSES = ("发包", "自营", "未利用")
#: Months per rent period, by the words a contract uses.
PERIODS = {"年": 12, "半年": 6, "季": 3, "月": 1}
#: When a period's rent is due: at its start (in advance, the default) or at its end.
IN_ADVANCE, IN_ARREARS = "期初", "期末"

RegisterError = namedtuple("RegisterError", "source message entry")


def contract_steps(township_review: bool) -> tuple[str, ...]:
    """The decision steps a contract needs before signing (above the county's threshold):
    the project steps without 实施结果公开."""
    return tuple(s for s in required_steps(township_review) if s != RESULT_STEP)


def monthly_charge(cost: Decimal, life_years: int, residual: Decimal = ZERO) -> Decimal:
    """A month's straight-line depreciation, to the cent."""
    return (cost * (1 - residual) / (life_years * 12)).quantize(CENT)


def months_after(start: datetime.date, until: datetime.date) -> int:
    """Whole months from the month after ``start`` to ``until``'s month, inclusive."""
    return max(0, (until.year - start.year) * 12 + until.month - start.month)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


@dataclass
class Asset:
    """An asset on the register; ``date`` is when it entered the register (入账), and
    ``depreciated`` its accumulated depreciation then."""

    id: str
    name: str
    date: datetime.date
    kind: str
    account: str
    cost: Decimal
    life: int | None
    method: str
    residual: Decimal
    depreciated: Decimal
    location: str
    use: str
    public_welfare: bool
    project: str | None
    disposed: datetime.date | None
    meta: dict

    def held(self, day: datetime.date) -> bool:
        """On the register at ``day``: entered, not yet disposed of."""
        return self.date <= day and (self.disposed is None or day < self.disposed)

    def depreciation(self, day: datetime.date) -> Decimal:
        """Accumulated depreciation at ``day`` (its month charged in full)."""
        if self.method != STRAIGHT_LINE or not self.life:
            return self.depreciated
        limit = (self.cost * (1 - self.residual)).quantize(CENT)
        months = months_after(self.date, day)
        charged = monthly_charge(self.cost, self.life, self.residual) * months
        return min(self.depreciated + charged, limit)

    def net(self, day: datetime.date) -> Decimal:
        return self.cost - self.depreciation(day)


@dataclass
class Resource:
    """A resource on the register: land, forest, water surface …"""

    id: str
    name: str
    date: datetime.date
    kind: str
    area: Decimal
    unit: str
    location: str
    status: str
    meta: dict


@dataclass(frozen=True)
class Instalment:
    """Rent due on a date."""

    due: datetime.date
    amount: Decimal


@dataclass
class Contract:
    """A lease or 发包 contract, signed on ``date``; its rent is a regular ``rent`` per
    ``every`` months, or the instalments declared with ``contract-due``."""

    id: str
    party: str
    date: datetime.date
    subject: str
    start: datetime.date
    end: datetime.date
    rent: Decimal | None
    every: int
    pay: str
    meta: dict
    instalments: list[Instalment] = field(default_factory=list)
    steps: dict[str, datetime.date] = field(default_factory=dict)

    def schedule(self) -> list[Instalment]:
        """The rent due, in date order: the declared instalments, else one per period of
        ``every`` months from ``start``; a last period cut short by ``end`` pays its share
        of the rent by days."""
        if self.instalments:
            return sorted(self.instalments, key=lambda i: i.due)
        if self.rent is None:
            return []
        due = []
        begin, index = self.start, 0
        while begin <= self.end:
            index += 1
            full_end = add_months(self.start, self.every * index) - datetime.timedelta(days=1)
            finish = min(full_end, self.end)
            amount = self.rent
            if finish < full_end:
                days = (finish - begin).days + 1
                amount = (self.rent * days / ((full_end - begin).days + 1)).quantize(CENT)
            due.append(Instalment(begin if self.pay == IN_ADVANCE else finish, amount))
            begin = full_end + datetime.timedelta(days=1)
        return due

    def due(self, day: datetime.date) -> Decimal:
        """The rent due on or before ``day``."""
        return sum((i.amount for i in self.schedule() if i.due <= day), ZERO)

    @property
    def total(self) -> Decimal:
        """The contract's value: all its rent."""
        return sum((i.amount for i in self.schedule()), ZERO)


@dataclass
class Member:
    """A member household (成员户) on the 成员名册: its 村民小组 and its shares (股数) in
    the year-end 成员分配."""

    id: str
    name: str  # 户主姓名
    date: datetime.date
    group: str
    shares: Decimal
    meta: dict


@dataclass
class Registers:
    """The registers of a village ledger, by id, and the malformed declarations."""

    assets: dict[str, Asset] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    contracts: dict[str, Contract] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    errors: list[RegisterError] = field(default_factory=list)

    def member(self, named: str, day: datetime.date) -> tuple[Member | None, str]:
        """The member a distribution plan names (by id, else by a 户主姓名 only one
        member has), declared by ``day``; else ``None`` and why."""
        found = [m for m in self.members.values() if m.date <= day]
        by_id = [m for m in found if m.id == named]
        matches = by_id or [m for m in found if m.name == named]
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            ids = "、".join(m.id for m in matches)
            return None, f"成员名册上有 {len(matches)} 户名为 “{named}” ({ids}): 请写成员编号"
        return None, f'“{named}” 不在成员名册上 (not a member: declare it with custom "member")'

    def subject_name(self, subject: str) -> str:
        """The name of a contract's subject (a resource or an asset), else its id."""
        found = self.resources.get(subject) or self.assets.get(subject)
        return found.name if found else subject


def _money(value: object) -> Decimal | None:
    if isinstance(value, Amount):
        return value.number
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def _text(value: object, default: str = "") -> str:
    return value.strip() if isinstance(value, str) and value.strip() else default


def _date(value: object) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None


def _id_and_name(entry: data.Custom) -> tuple[str, str] | None:
    values = [v.value for v in entry.values]
    if len(values) < 2 or not all(isinstance(v, str) and v.strip() for v in values[:2]):
        return None
    return values[0], values[1]


def _choice(meta: dict, key: str, choices: tuple[str, ...], default: str) -> str | None:
    value = _text(meta.get(key), default)
    return value if value in choices else None


class _Reader:
    """Reads the register directives one by one, collecting errors."""

    def __init__(self) -> None:
        self.found = Registers()
        self.contract_entries: dict[str, data.Custom] = {}

    def error(self, entry: data.Custom, message: str) -> None:
        self.found.errors.append(RegisterError(entry.meta, message, entry))

    def asset(self, entry: data.Custom) -> None:
        named = _id_and_name(entry)
        if named is None:
            self.error(entry, '资产声明应写成 custom "asset" "资产编号" "资产名称"')
            return
        meta = entry.meta
        account, cost = _text(meta.get("account")), _money(meta.get("cost"))
        method = _choice(meta, "method", METHODS, STRAIGHT_LINE)
        use = _choice(meta, "use", USES, "自营")
        life = meta.get("life")
        life = int(life) if isinstance(life, Decimal | int) and life > 0 else None
        code = account.split(":")[1][:3] if account.startswith("Assets:") else ""
        problems = []
        if code not in ASSET_CODES:
            problems.append(f"account 科目 (应为 {'、'.join(ASSET_CODES)} 下的科目)")
        if cost is None or cost <= 0:
            problems.append("cost 原值")
        if method is None:
            problems.append(f"method 折旧方法 ({' 或 '.join(METHODS)})")
        if method == STRAIGHT_LINE and code in CONTRA_CODES and life is None:
            problems.append("life 使用年限 (年)")
        if use is None:
            problems.append(f"use 使用情况 ({' '.join(USES)})")
        if problems:
            self.error(entry, f"资产 {named[0]} {named[1]} 的声明缺少或写错 {'、'.join(problems)}")
            return
        if named[0] in self.found.assets:
            self.error(entry, f"资产 {named[0]} 重复声明 (declared twice)")
            return
        self.found.assets[named[0]] = Asset(
            id=named[0],
            name=named[1],
            date=entry.date,
            kind=_text(meta.get("kind")),
            account=account,
            cost=cost,
            life=life if method == STRAIGHT_LINE else None,
            method=method,
            residual=Decimal(meta.get("residual") or 0),
            depreciated=_money(meta.get("depreciated")) or ZERO,
            location=_text(meta.get("location")),
            use=use,
            public_welfare=meta.get("public_welfare") is True,
            project=_text(meta.get("project")) or None,
            disposed=_date(meta.get("disposed")),
            meta=meta,
        )

    def resource(self, entry: data.Custom) -> None:
        named = _id_and_name(entry)
        area = _money(entry.meta.get("area"))
        status = _choice(entry.meta, "status", RESOURCE_STATUSES, "")
        if named is None or area is None or area < 0 or not status:
            self.error(
                entry,
                '资源声明应写成 custom "resource" "资源编号" "名称", 并有 kind 类别、area 面积、'
                f"status 状态 ({' '.join(RESOURCE_STATUSES)})",
            )
            return
        if named[0] in self.found.resources:
            self.error(entry, f"资源 {named[0]} 重复声明 (declared twice)")
            return
        self.found.resources[named[0]] = Resource(
            id=named[0],
            name=named[1],
            date=entry.date,
            kind=_text(entry.meta.get("kind"), "其他"),
            area=area,
            unit=_text(entry.meta.get("unit"), "亩"),
            location=_text(entry.meta.get("location")),
            status=status,
            meta=entry.meta,
        )

    def member(self, entry: data.Custom) -> None:
        named = _id_and_name(entry)
        group = _text(entry.meta.get("group"))
        shares = _money(entry.meta.get("shares"))
        if named is None or not group or shares is None or shares <= 0:
            self.error(
                entry,
                '成员声明应写成 custom "member" "成员编号" "户主姓名", 并有 group 村民小组、'
                "shares 股数 (大于 0)",
            )
            return
        if named[0] in self.found.members:
            self.error(entry, f"成员 {named[0]} 重复声明 (declared twice)")
            return
        self.found.members[named[0]] = Member(
            named[0], named[1], entry.date, group, shares, entry.meta
        )

    def contract(self, entry: data.Custom) -> None:
        named = _id_and_name(entry)
        meta = entry.meta
        start, end = _date(meta.get("start")), _date(meta.get("end"))
        every = PERIODS.get(_text(meta.get("every"), "年"))
        pay = _choice(meta, "pay", (IN_ADVANCE, IN_ARREARS), IN_ADVANCE)
        if named is None or not CONTRACT_LINK.fullmatch(named[0]):
            self.error(
                entry, '合同声明应写成 custom "contract" "C2024-01" "对方" (编号: C 加数字, ASCII)'
            )
            return
        problems = []
        if not _text(meta.get("subject")):
            problems.append("subject 标的 (资源或资产编号)")
        if start is None or end is None or end < start:
            problems.append("start/end 起止日期")
        if every is None:
            problems.append(f"every 缴费周期 ({' '.join(PERIODS)})")
        if pay is None:
            problems.append(f"pay 缴费时间 ({IN_ADVANCE} 或 {IN_ARREARS})")
        if problems:
            self.error(entry, f"合同 {named[0]} 的声明缺少或写错 {'、'.join(problems)}")
            return
        if named[0] in self.found.contracts:
            self.error(entry, f"合同 {named[0]} 重复声明 (declared twice)")
            return
        self.contract_entries[named[0]] = entry
        self.found.contracts[named[0]] = Contract(
            id=named[0],
            party=named[1],
            date=entry.date,
            subject=_text(meta.get("subject")),
            start=start,
            end=end,
            rent=_money(meta.get("rent")),
            every=every,
            pay=pay,
            meta=meta,
        )

    def contract_line(self, entry: data.Custom) -> None:
        """A ``contract-due`` instalment or a ``contract-step`` decision step."""
        values = [v.value for v in entry.values]
        contract = self.found.contracts.get(values[0]) if values else None
        if contract is None:
            named = values[0] if values else ""
            self.error(entry, f"{entry.type} 所属合同 {named} 未声明: 先声明合同")
            return
        second = values[1] if len(values) > 1 else None
        if entry.type == "contract-step":
            if second not in STEPS:
                steps = " ".join(STEPS)
                self.error(entry, f"合同 {contract.id} 的步骤 “{second}” 不是 {steps} 之一")
            else:
                contract.steps[second] = entry.date
        elif (amount := _money(second)) is None or amount <= 0:
            self.error(entry, f'合同 {contract.id} 的应收租金应写成 "{contract.id}" 金额 CNY')
        else:
            contract.instalments.append(Instalment(entry.date, amount))


def read(entries: data.Directives) -> Registers:
    """Read the registers from a ledger's entries, with an error for each malformed one."""
    reader = _Reader()
    later = []
    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        if entry.type in ("asset", "resource", "contract", "member"):
            getattr(reader, entry.type)(entry)
        elif entry.type in ("contract-due", "contract-step"):
            later.append(entry)
    for entry in later:
        reader.contract_line(entry)
    for contract in reader.found.contracts.values():
        if contract.subject not in reader.found.resources | reader.found.assets:
            reader.error(
                reader.contract_entries[contract.id],
                f"合同 {contract.id} 的标的 {contract.subject} 不在资源台账或资产台账上",
            )
        if contract.rent is None and not contract.instalments:
            reader.error(
                reader.contract_entries[contract.id],
                f'合同 {contract.id} 没有租金: 写 rent: 金额 CNY, 或逐期 custom "contract-due"',
            )
    return reader.found


def contract_ids(entry: data.Transaction) -> set[str]:
    """The contracts a transaction is linked to."""
    if not entry.links:
        return set()
    return {link for link in entry.links if CONTRACT_LINK.fullmatch(link)}


def declaration(entries: data.Directives, meta: dict) -> data.Custom | None:
    """The directive a register item was read from (by its metadata), for an error."""
    return next((e for e in entries if isinstance(e, data.Custom) and e.meta is meta), None)
