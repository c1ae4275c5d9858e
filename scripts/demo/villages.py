"""The four villages of 青石镇, read from their profiles in ``data/``.

``data/<村>.toml`` is a village's profile (:class:`~scripts.demo.profile.Village`), field by
field; ``data/<村>-2024Q1-<表格>.csv`` is the shared sample spreadsheet of 2024 Q1 its books
begin with, transcribed one row a line. Amounts are 元 (TOML numbers are read as
``Decimal``); a flow's monthly base amounts are written as one of::

    monthly = [34000, 42000, …]          # twelve amounts, January to December
    every_month = 900
    in_months = { 2 = 35000, 9 = 20000 } # other months have none

Two flows every village has are written by their parameters: ``[subsidy]``, the township's
运转经费, the last of its incomes, and ``[upkeep]``, the running costs, the last of its
expenses (:func:`upkeep`).
"""

from __future__ import annotations

import csv
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

from scripts.demo.common import BANK_JOURNAL, TOWN, VOUCHERS, Date, yuan
from scripts.demo.profile import (
    Asset,
    Bank,
    Claim,
    Crew,
    Entry,
    Flow,
    OldBalance,
    Payment,
    Product,
    Project,
    Receipt,
    Secretary,
    Stock,
    Village,
)
from scripts.demo.registers import contract_links

#: The villages, in the order they are built and listed in the fund register.
NAMES = ("东山村", "西河村", "南岭村", "北坡村")

Table = dict[str, Any]


def per_month(amounts: dict[int, int]) -> tuple[int, ...]:
    """Twelve monthly base amounts from ``{month: amount}``; other months have none."""
    return tuple(amounts.get(m, 0) for m in range(1, 13))


def every_month(amount: int) -> tuple[int, ...]:
    return (amount,) * 12


def quarterly(amount: int) -> tuple[int, ...]:
    return per_month(dict.fromkeys((3, 6, 9, 12), amount))


def upkeep(
    office: int, travel: dict[int, int], cleaning: int, hardship: int, lights: int
) -> tuple[Flow, ...]:
    """The running costs every village has: the office, travel, meetings, cleaning, street
    lights and the Spring Festival visits to families in hardship."""
    office_costs = "管理费用-办公费"
    return (
        Flow(
            office_costs,
            "购办公用品",
            ("青石文具店",),
            every_month(office),
            step=0,
            parts=3,
            via="cash",
        ),
        Flow(office_costs, "订阅{year}年度报刊", ("青石镇邮政所",), per_month({11: 680}), spread=0),
        Flow(
            "管理费用-通讯费", "支付村部电话宽带费", ("青石电信营业厅",), every_month(199), spread=0
        ),
        Flow("管理费用-差旅费", "报销赴县办事差旅费", (), per_month(travel), step=0, via="cash"),
        Flow(
            "管理费用-会议费",
            "村民代表会议误餐费",
            ("青石农家饭店",),
            per_month({1: 600, 4: 450, 7: 450, 10: 450, 12: 600}),
            via="cash",
        ),
        Flow(
            "公益支出-环境卫生",
            "支付村内保洁费",
            ("青石保洁服务队",),
            quarterly(cleaning),
            spread=0,
        ),
        Flow(
            "公益支出-文化活动",
            "村文化广场活动用品",
            ("青石文体用品店",),
            per_month({2: 800, 6: 500, 10: 600}),
            via="cash",
        ),
        Flow(
            "公益支出-路灯电费", "支付村内路灯电费", ("青石镇供电所",), every_month(lights), step=0
        ),
        Flow(
            "公益支出-困难户慰问",
            "春节走访慰问困难户",
            (),
            per_month({1: hardship}),
            spread=0,
            via="cash",
        ),
    )


def subsidy(month: int, amount: int) -> Flow:
    """村级组织运转经费: a general subsidy (503), the only government money that is income."""
    return Flow(
        "补助收入-运转经费",
        "收到村级组织运转经费补助",
        (TOWN,),
        per_month({month: amount}),
        spread=0,
    )


def running_costs(table: Table) -> tuple[Flow, ...]:
    """:func:`upkeep` of a profile's ``[upkeep]`` table."""
    return upkeep(**{**table, "travel": by_month(table["travel"])})


def data_text(name: str) -> str:
    return resources.files("scripts.demo").joinpath(f"data/{name}").read_text("utf-8")


def sheet_rows(name: str) -> list[list[str | None]]:
    """The rows of a transcribed spreadsheet under its header; an empty cell is ``None``."""
    rows = list(csv.reader(data_text(name).splitlines()))
    return [[cell or None for cell in row] for row in rows[1:]]


def bank_journal(bank: str, name: str) -> tuple[Entry, ...]:
    """Entries from a bank journal or statement: 日期 金额 (+ in, − out) 摘要 对方科目 项目
    (a project or contract link) 收付款人."""
    entries = []
    for date, amount, narration, counter, link, payee in sheet_rows(name):
        money = yuan(amount)
        postings = (
            ((bank, money), (counter, -money)) if money > 0 else ((counter, -money), (bank, money))
        )
        entries.append(Entry(Date.fromisoformat(date), narration, payee, postings, link))
    return tuple(entries)


def voucher_list(name: str) -> tuple[tuple[Entry, ...], tuple[tuple[str, str], ...]]:
    """Entries from a voucher list (凭证列表), one line per posting, and the codes it uses.

    Columns: 日期 凭证号 摘要 科目编码 科目名称 金额 (借 +, 贷 −) 项目 收付款人; the link (a
    project or contract) and payee are read from a voucher's first line.
    """
    vouchers: dict[str, list[list[str | None]]] = {}
    for row in sheet_rows(name):
        vouchers.setdefault(row[1], []).append(row)
    entries, codes = [], {}
    for lines in vouchers.values():
        date, _, narration, *_, link, payee = lines[0]
        postings = tuple((path, yuan(amount)) for _, _, _, _, path, amount, _, _ in lines)
        entries.append(Entry(Date.fromisoformat(date), narration, payee, postings, link))
        codes.update({path: code for _, _, _, code, path, *_ in lines if len(code) > 3})
    return tuple(entries), tuple((code, path) for path, code in codes.items())


def by_month(table: Table) -> dict[int, int]:
    """``{ 2 = 35000 }`` (TOML keys are text) as ``{2: 35000}``."""
    return {int(month): amount for month, amount in table.items()}


def monthly(table: Table) -> tuple[int, ...]:
    """The twelve base amounts of a flow or crew (``monthly``, ``every_month``, ``in_months``)."""
    if "every_month" in table:
        return every_month(table.pop("every_month"))
    if "in_months" in table:
        return per_month(by_month(table.pop("in_months")))
    return tuple(table.pop("monthly"))


def flow(table: Table, contracts: dict[tuple[str, str], str] | None = None) -> Flow:
    """A recurring flow; an income whose party holds a contract for it (``contracts``, by
    account and party) carries the contract's link on its receipts."""
    parties = tuple(table.pop("parties"))
    links = [(contracts or {}).get((table["account"], party)) for party in parties]
    link = next(filter(None, links), table.pop("link", None))
    return Flow(monthly=monthly(table), parties=parties, link=link, **table)


def asset(table: Table) -> Asset:
    return Asset(**{**table, "cost": yuan(table.get("cost", 0))})


def project(table: Table) -> Project:
    own_share = table.pop("own_share", None)
    return Project(
        budget=yuan(table.pop("budget")),
        expected_income=yuan(table.pop("expected_income", 0)),
        steps=tuple(table.pop("steps")),
        funding=tuple(
            (f["source"], yuan(f["amount"]), f.get("funder")) for f in table.pop("funding")
        ),
        receipts=tuple(
            Receipt(**{**r, "amount": yuan(r["amount"])}) for r in table.pop("receipts", ())
        ),
        payments=tuple(
            Payment(**{**p, "amount": yuan(p["amount"])}) for p in table.pop("payments", ())
        ),
        own_share=(own_share["date"], yuan(own_share["amount"])) if own_share else None,
        asset=asset(table.pop("asset")) if "asset" in table else None,
        **table,
    )


def sample(table: Table) -> tuple[tuple[Entry, ...], tuple[tuple[str, str], ...]]:
    """The sample spreadsheet's entries (and the codes a voucher list fixes), then the
    entries the sheet does not show."""
    if table["kind"] == VOUCHERS:
        entries, codes = voucher_list(table["sheet"])
    else:
        entries, codes = bank_journal(table["bank"], table["sheet"]), ()
    more = tuple(
        Entry(
            e["date"],
            e["narration"],
            e.get("payee"),
            tuple((path, yuan(amount)) for path, amount in e["postings"].items()),
        )
        for e in table.get("entries", ())
    )
    return entries + more, codes


def village(profile: Table) -> Village:
    """A village from its profile, as ``tomllib`` reads it (consumed)."""
    contracts = contract_links(profile["name"])
    secretary = profile.pop("secretary")
    claims = secretary.pop("claims")
    sheet = profile.pop("sample", None)
    entries, codes = sample(sheet) if sheet else ((), ())
    return Village(
        groups=tuple(profile.pop("groups")),
        banks=tuple(
            Bank(b["path"], b["number"], yuan(b.get("opening", 0))) for b in profile.pop("banks")
        ),
        cash_opening=yuan(profile.pop("cash_opening")),
        opening=tuple((path, yuan(amount)) for path, amount in profile.pop("opening").items()),
        assets=tuple(asset(a) for a in profile.pop("assets")),
        depreciated=yuan(profile.pop("depreciated")),
        products=tuple(
            Product(flow(p["sales"]), p["cost_account"], p["cost_ratio"])
            for p in profile.pop("products")
        ),
        incomes=(
            *(flow(f, contracts) for f in profile.pop("incomes", ())),
            subsidy(**profile.pop("subsidy")),
        ),
        expenses=(
            *(flow(f) for f in profile.pop("expenses", ())),
            *running_costs(profile.pop("upkeep")),
        ),
        crews=tuple(Crew(monthly=monthly(c), **c) for c in profile.pop("crews")),
        projects=tuple(project(p) for p in profile.pop("projects")),
        secretary=Secretary(**secretary),
        claims=tuple(Claim(**{**c, "amount": yuan(c["amount"])}) for c in claims),
        stock=Stock(**profile.pop("stock")) if "stock" in profile else None,
        sample=entries,
        codes=codes,
        rules=tuple(tuple(rule) for rule in profile.pop("rules", ())),
        chart_2004=tuple(
            OldBalance(**{**o, "amount": yuan(o["amount"])}) for o in profile.pop("chart_2004", ())
        ),
        reconciled=tuple(profile.pop("reconciled", ())),
        sample_kind=sheet["kind"] if sheet else BANK_JOURNAL,
        **profile,
    )


def load(name: str) -> Village:
    """The village whose profile is ``data/<name>.toml``."""
    return village(tomllib.loads(data_text(f"{name}.toml"), parse_float=Decimal))


VILLAGES = tuple(load(name) for name in NAMES)
#: 北坡村, the one village whose books begin without a sample spreadsheet.
BEIPO = VILLAGES[NAMES.index("北坡村")]
