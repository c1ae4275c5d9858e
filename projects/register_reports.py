"""The 三资 report tables: contracts, assets, resources (``cunzhang report``, the Fava page
三资台账 and the disclosure's 资源 and 发包租赁 sections all read these), and the year's
成员分配 by 村民小组 (``report distribution`` and the disclosure).

Each table is computed at one date, ``as_of``: the end of the year asked for, else the date
of the village's last transaction. A contract's ``due`` is the rent its schedule asks for
up to then, ``received`` the money its linked receipts (``^C2024-01``) brought in up to
then, ``arrears`` what is still owed (never below zero), ``expires_in_days`` the days from
then to its end (negative: ended).

Rows are dataclasses whose fields are the tables' stable English keys; ``COLUMNS`` gives
each table's columns as ``(key, Chinese header, kind)`` for ``projects.reports.Column``.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from projects import registers, transaction_facts
from projects.masking import mask
from projects.numerals import counting_number
from projects.registers import ZERO

if TYPE_CHECKING:
    from projects.reports import VillageBooks

COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "contracts": [
        ("township", "乡镇", "text"),
        ("village", "村", "text"),
        ("contract", "合同编号", "text"),
        ("party", "承包/承租方", "text"),
        ("subject", "标的", "text"),
        ("start", "起始", "text"),
        ("end", "终止", "text"),
        ("due", "应收租金", "money"),
        ("received", "已收租金", "money"),
        ("arrears", "欠收租金", "money"),
        ("expires_in_days", "距到期(天)", "int"),
    ],
    "assets": [
        ("township", "乡镇", "text"),
        ("village", "村", "text"),
        ("asset", "资产编号", "text"),
        ("name", "资产名称", "text"),
        ("kind", "类别", "text"),
        ("account", "科目", "text"),
        ("cost", "原值", "money"),
        ("depreciation", "累计折旧", "money"),
        ("net", "净值", "money"),
        ("use", "使用情况", "text"),
        ("contract", "合同", "text"),
        ("location", "坐落位置", "text"),
        ("public_welfare", "公益性", "text"),
    ],
    "resources": [
        ("township", "乡镇", "text"),
        ("village", "村", "text"),
        ("kind", "类别", "text"),
        ("status", "状态", "text"),
        ("unit", "单位", "text"),
        ("count", "宗数", "int"),
        ("area", "面积", "money"),
        ("contracted", "在合同期内面积", "money"),
        ("share", "发包出租比例", "pct"),
    ],
    "distribution": [
        ("township", "乡镇", "text"),
        ("village", "村", "text"),
        ("year", "年度", "int"),
        ("group", "村民小组", "text"),
        ("households", "户数", "int"),
        ("shares", "股数", "money"),
        ("amount", "成员分配", "money"),
    ],
}


def as_of(village: VillageBooks, year: int | None) -> datetime.date:
    """The date a register table is computed at: the year's end, else the last
    transaction's date (else the last entry's, else today)."""
    if year is not None:
        return datetime.date(year, 12, 31)
    dates = [e.date for e in village.entries if isinstance(e, data.Transaction)]
    dates = dates or [e.date for e in village.entries]
    return max(dates, default=datetime.date.today())


def active(contract: registers.Contract, day: datetime.date) -> bool:
    return contract.date <= day and contract.start <= day <= contract.end


# --- contracts -------------------------------------------------------------------------


@dataclass
class ContractRow:
    """One contract at ``as_of``: rent due, received and in arrears, days to its end."""

    township: str
    village: str
    contract: str
    party: str
    subject: str
    start: datetime.date
    end: datetime.date
    due: Decimal
    received: Decimal
    arrears: Decimal
    expires_in_days: int


def receipts(village: VillageBooks, contract: str, day: datetime.date) -> list[data.Transaction]:
    """The transactions linked to a contract up to ``day``."""
    return [t for t in village.transactions(day) if contract in registers.contract_ids(t)]


def received(village: VillageBooks, day: datetime.date) -> dict[str, Decimal]:
    """Money received under each contract up to ``day`` (its linked receipts)."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in village.transactions(day):
        for cid in registers.contract_ids(entry):
            sums[cid] += transaction_facts.money_in(entry)
    return sums


def contract_rows(village: VillageBooks, year: int | None = None) -> list[ContractRow]:
    """Per contract signed by ``as_of``: due, received, arrears, days to expiry."""
    return contracts_at(village, as_of(village, year))


def contracts_at(village: VillageBooks, day: datetime.date) -> list[ContractRow]:
    """Per contract signed by ``day``: due, received, arrears, days to expiry at ``day``."""
    found = registers.read(village.entries)
    paid = received(village, day)
    rows = []
    for contract in found.contracts.values():
        if contract.date > day:
            continue
        due = contract.due(day)
        rows.append(
            ContractRow(
                township=village.township,
                village=village.village,
                contract=contract.id,
                party=contract.party,
                subject=f"{contract.subject} {found.subject_name(contract.subject)}",
                start=contract.start,
                end=contract.end,
                due=due,
                received=paid[contract.id],
                arrears=max(due - paid[contract.id], ZERO),
                expires_in_days=(contract.end - day).days,
            )
        )
    return rows


# --- assets ----------------------------------------------------------------------------


@dataclass
class AssetRow:
    """One asset held at ``as_of``: cost, accumulated depreciation, net value, use."""

    township: str
    village: str
    asset: str
    name: str
    kind: str
    account: str
    cost: Decimal
    depreciation: Decimal
    net: Decimal
    use: str
    contract: str
    location: str
    public_welfare: str
    project: str


def asset_rows(village: VillageBooks, year: int | None = None) -> list[AssetRow]:
    """Per asset on the register at ``as_of``."""
    return assets_at(village, as_of(village, year))


def assets_at(village: VillageBooks, day: datetime.date) -> list[AssetRow]:
    """Per asset on the register at ``day``."""
    found = registers.read(village.entries)
    leased = {c.subject: c.id for c in found.contracts.values() if active(c, day)}
    return [
        AssetRow(
            township=village.township,
            village=village.village,
            asset=asset.id,
            name=asset.name,
            kind=asset.kind,
            account=asset.account,
            cost=asset.cost,
            depreciation=asset.depreciation(day),
            net=asset.net(day),
            use=asset.use,
            contract=leased.get(asset.id, ""),
            location=asset.location,
            public_welfare="是" if asset.public_welfare else "否",
            project=asset.project or "",
        )
        for asset in found.assets.values()
        if asset.held(day)
    ]


# --- resources -------------------------------------------------------------------------


@dataclass
class ResourceRow:
    """The resources of one kind, status and unit: how many, their area, the area under a
    contract in force at ``as_of`` and its share."""

    township: str
    village: str
    kind: str
    status: str
    unit: str
    count: int
    area: Decimal
    contracted: Decimal
    share: Decimal | None


def resource_rows(village: VillageBooks, year: int | None = None) -> list[ResourceRow]:
    """Areas by kind and status, and the share under contract, at ``as_of``."""
    return resources_at(village, as_of(village, year))


def resources_at(village: VillageBooks, day: datetime.date) -> list[ResourceRow]:
    """Areas by kind and status, and the share under a contract in force at ``day``."""
    found = registers.read(village.entries)
    leased = {c.subject for c in found.contracts.values() if active(c, day)}
    groups: dict[tuple[str, str, str], list[registers.Resource]] = defaultdict(list)
    for resource in found.resources.values():
        if resource.date <= day:
            groups[resource.kind, resource.status, resource.unit].append(resource)
    rows = []
    for (kind, status, unit), members in groups.items():
        area = sum((r.area for r in members), ZERO)
        contracted = sum((r.area for r in members if r.id in leased), ZERO)
        rows.append(
            ResourceRow(
                township=village.township,
                village=village.village,
                kind=kind,
                status=status,
                unit=unit,
                count=len(members),
                area=area,
                contracted=contracted,
                share=contracted / area if area else None,
            )
        )
    return rows


# --- 成员分配 by 村民小组 ---------------------------------------------------------------

#: The 村民小组 of a posting whose member is not on the 成员名册 (``check`` reports it).
UNREGISTERED = "不在成员名册"

#: A 村民小组 named by its number: 第一村民小组, 第3组, 十二组, 2小组.
NUMBERED_GROUP = re.compile(r"第?(?P<number>\w+?)(?:村民小组|村民组|小组|组)")


def group_order(group: str) -> tuple[int, int, str]:
    """The key that lists 村民小组 the way people number them (第二 before 第十, 9组 before
    10组); a name without a number, and ``UNREGISTERED``, after them, in text order."""
    matched = NUMBERED_GROUP.fullmatch(group)
    number = counting_number(matched["number"]) if matched else None
    return (0, number, group) if number is not None else (1, 0, group)


@dataclass
class DistributionRow:
    """A year's 成员分配 to the members of one 村民小组: households, shares, amount."""

    township: str
    village: str
    year: int
    group: str
    households: int
    shares: Decimal
    amount: Decimal


def distribution_rows(village: VillageBooks, year: int | None = None) -> list[DistributionRow]:
    """The booked 成员分配 (``#distribution`` postings with a ``member``) of the year, else
    of every year, summed by the members' 村民小组 on the 成员名册."""
    return distribution_between(village, lambda day: year is None or day.year == year)


def distribution_between(
    village: VillageBooks, inside: Callable[[datetime.date], bool]
) -> list[DistributionRow]:
    """The 成员分配 booked on the days ``inside`` accepts, by year and 村民小组."""
    members = registers.read(village.entries).members
    sums: dict[tuple[int, str], tuple[set[str], list[Decimal]]] = {}
    for entry in village.entries:
        if not (
            isinstance(entry, data.Transaction)
            and "distribution" in (entry.tags or ())
            and inside(entry.date)
        ):
            continue
        for posting in entry.postings:
            member = (posting.meta or {}).get("member")
            if not member:
                continue
            found = members.get(member)
            group = found.group if found else UNREGISTERED
            shares = posting.meta.get("shares", found.shares if found else ZERO)
            ids, money = sums.setdefault((entry.date.year, group), (set(), [Decimal(0), ZERO]))
            ids.add(member)
            money[0] += Decimal(shares)
            money[1] -= posting.units.number
    return [
        DistributionRow(village.township, village.village, year, group, len(ids), *money)
        for (year, group), (ids, money) in sorted(
            sums.items(), key=lambda item: (item[0][0], group_order(item[0][1]))
        )
    ]


#: The register tables by name (merged into ``projects.reports.REPORTS``).
REPORTS: dict[str, Callable[[VillageBooks, int | None], list]] = {
    "contracts": contract_rows,
    "assets": asset_rows,
    "resources": resource_rows,
    "distribution": distribution_rows,
}


# --- the disclosure's 资源 and 发包租赁 sections ----------------------------------------


def disclosure_sections(village: VillageBooks, end: datetime.date) -> dict[str, list[dict]]:
    """The 2011 rules' 资源 (resources by kind and status, and each resource's use) and
    发包租赁 (each contract: party, subject, term, rent due, received, arrears) sections
    at the period's ``end``; party names masked. Empty for a ledger without registers."""
    resources = [
        {
            "kind": row.kind,
            "status": row.status,
            "unit": row.unit,
            "count": row.count,
            "area": row.area,
            "contracted": row.contracted,
        }
        for row in resources_at(village, end)
    ]
    leases = [
        {
            "contract": row.contract,
            "party": mask(row.party),
            "subject": mask(row.subject),
            "start": row.start,
            "end": row.end,
            "due": row.due,
            "received": row.received,
            "arrears": row.arrears,
        }
        for row in contracts_at(village, end)
    ]
    return {"resources": resources, "leases": leases} if resources or leases else {}
