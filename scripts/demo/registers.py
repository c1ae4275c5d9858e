"""The demo villages' 三资 registers and 成员名册 as declarations, agreeing with their books.

``data/registers.toml`` names each village's assets (by the account the books keep them in),
resources and contracts. :func:`registers_text` writes them in the syntax of README.md's
三资台账 section: an opening asset's cost and life come from the village profile, a
project's asset's cost and first month from the replayed book (the cost of the work it
was completed from), so the register agrees with the books by construction — the same
depreciation rule (:func:`projects.registers.monthly_charge`) books the demo's depreciation.
The member households (``scripts.demo.members``) are declared at the opening.
"""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path

from scripts.demo.book import Book
from scripts.demo.common import START, yuan

DATA = Path(__file__).with_name("data") / "registers.toml"
OPENING = START - datetime.timedelta(days=1)  # the opening assets enter the register before


def quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def registers_of(village: str) -> dict:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)[village]


def registers_text(book: Book) -> str:
    """The village's asset, resource, contract and member declarations."""
    village = book.village
    data = registers_of(village.name)
    opening = {a.account: a for a in village.assets}
    later = [a for a in book.assets if a not in village.assets]
    shares = sum((yuan(a.get("depreciated", 0)) for a in data["assets"]), Decimal(0))
    if shares != village.depreciated:
        raise ValueError(f"{village.name}: 资产台账的期初累计折旧 {shares} ≠ {village.depreciated}")
    lines = ["", "; 三资台账 (registers): 资产 assets"]
    for spec in data["assets"]:
        if "project" in spec:
            asset = next(a for a in later if a.account == spec["account"])
            later.remove(asset)
            date = asset.since - datetime.timedelta(days=1)  # charged from the next month
        else:
            asset, date = opening[spec["account"]], OPENING
        name = spec.get("name") or spec["account"].split("-")[-1]
        lines.append(f"{date} custom {quote('asset')} {quote(spec['id'])} {quote(name)}")
        lines += [
            f"  kind: {quote(spec['kind'])}",
            f"  account: {quote(book.account(asset.account))}",
            f"  cost: {asset.cost:.2f} CNY",
            f"  life: {asset.years}",
        ]
        if spec.get("depreciated"):
            lines.append(f"  depreciated: {yuan(spec['depreciated']):.2f} CNY")
        lines += [f"  location: {quote(spec['location'])}", f"  use: {quote(spec['use'])}"]
        if spec.get("public_welfare"):
            lines.append("  public_welfare: TRUE")
        if spec.get("project"):
            lines.append(f"  project: {quote(spec['project'])}")
    lines += ["", "; 资源 resources"]
    for spec in data["resources"]:
        lines.append(
            f"{OPENING} custom {quote('resource')} {quote(spec['id'])} {quote(spec['name'])}"
        )
        lines += [f"  {key}: {quote(spec[key])}" for key in ("kind", "location", "status")]
        lines.append(f"  area: {spec['area']}")
    lines += ["", "; 合同 contracts: 收款链接 ^合同编号"]
    for spec in data["contracts"]:
        head = f"{quote('contract')} {quote(spec['id'])} {quote(spec['party'])}"
        lines.append(f"{spec['signed']} custom {head}")
        lines += [
            f"  subject: {quote(spec['subject'])}",
            f"  start: {spec['start']}",
            f"  end: {spec['end']}",
            f"  rent: {yuan(spec['rent']):.2f} CNY",
            f"  every: {quote(spec.get('every', '年'))}",
            f"  pay: {quote(spec['pay'])}",
        ]
    lines += ["", "; 成员名册 members: 户主, 村民小组, 股数"]
    for member in book.members:
        head = f"{quote('member')} {quote(member.id)} {quote(member.name)}"
        lines.append(f"{OPENING} custom {head}")
        lines += [f"  group: {quote(member.group)}", f"  shares: {member.shares}"]
    return "\n".join(lines) + "\n"


def contract_links(village: str) -> dict[tuple[str, str], str]:
    """The link of each contract's receipts, by the income flow's account and party."""
    return {
        (spec["flow"], spec["party"]): spec["id"] for spec in registers_of(village)["contracts"]
    }
