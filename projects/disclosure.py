"""A village's financial disclosure (财务公开) for one period, computed from its books.

One computation: the ``cunzhang disclose`` command renders it as HTML, XLSX, PDF and JSON,
and the Fava extension previews it. ``compute(books, period)`` returns a ``Disclosure``
holding every figure of the sheet (农村集体经济组织财务公开规定, design.md §3):

- 各项收入 and 各项支出 item by item, grouped by first-level account with subtotals
  (year-end ``#closing``/``#distribution``/``#opening`` entries are not income or spending);
- 各项资产 and 债权债务 at period end, with counterparties, lenders and projects;
- funds received by payer and source, and what they were used for;
- projects to period end: budget, received, spent, progress, decision steps with dates;
- for a year, the 收益及收益分配表 and the 资产负债表 in the 2023 standard's layout.

Every text that comes from the ledger is masked (``mask``): ID, bank card and mobile
numbers never leave. The verification code (``Disclosure.code``) is a digest of the
entries dated in the period plus the carried figures the sheet shows at period end
(balances, projects and funds to date); see ``verification_code``.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from decimal import ROUND_HALF_UP, Decimal

from beancount.core import account as bc_account
from beancount.core import data
from beancount.parser import printer

from projects import books, model, reports
from projects.books import ZERO, top_code
from projects.chart import chart, split_component
from projects.ledger import format_error, where

CENT = Decimal("0.01")

# --- periods --------------------------------------------------------------------------

PERIOD = re.compile(r"(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?")
QUARTER_NAMES = "一二三四"


@dataclass(frozen=True)
class Period:
    """The period a disclosure covers: a quarter, a month or a year."""

    code: str  # 2024Q4, 2024-03, 2024
    kind: str  # 季度, 月度, 年度
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """``2024年第四季度``, ``2024年3月``, ``2024年度``."""
        if self.kind == "季度":
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.kind == "月度":
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年度"

    @property
    def annual(self) -> bool:
        return self.kind == "年度"


def parse_period(text: str) -> Period:
    """``2024Q1`` (季度), ``2024-03`` (月度) or ``2024`` (年度); ``ValueError`` otherwise."""
    found = PERIOD.fullmatch(text.strip())
    if not found:
        raise ValueError(f"期间 “{text}” 应写成 2024Q1、2024-03 或 2024 (quarter, month or year)")
    year = int(found["year"])
    if found["quarter"]:
        first = 3 * int(found["quarter"]) - 2
        last = first + 2
        kind = "季度"
    elif found["month"]:
        first = last = int(found["month"])
        kind = "月度"
    else:
        first, last, kind = 1, 12, "年度"
    end = datetime.date(year, last, calendar.monthrange(year, last)[1])
    return Period(text.strip(), kind, datetime.date(year, first, 1), end)


# --- masking and capital numerals -----------------------------------------------------

#: What people write between the digit groups of a phone, ID or card number: spaces
#: (also no-break, thin and full-width) and hyphens or dashes (also full-width). Not dots
#: or commas: they belong to amounts and dates.
SEPARATORS = " \u00a0\u2009\u202f\u3000-\u2010\u2011\u2013\u2014\uff0d"
#: A written number: digit groups with one to three separators between them, and perhaps
#: an ID number's check character X at the end (on text whose digits are ASCII).
NUMBER = re.compile(rf"[0-9]+(?:[{re.escape(SEPARATORS)}]{{1,3}}[0-9]+)*[Xx]?")
GROUP = re.compile(r"[0-9]+[Xx]?")
#: A decimal digit other than ASCII 0-9: full-width ３, Arabic-Indic ٣ and the like.
OTHER_DIGIT = re.compile(r"(?![0-9])\d")
FULLWIDTH_X = str.maketrans("Ｘｘ", "Xx")
MOBILE = re.compile(r"1[3-9][0-9]{9}")
#: ``+86``/``0086``/``86`` written before a mobile number; ``+`` is not a digit and stays.
COUNTRY_CODES = ("86", "0086")
#: The digit groups each kind is written in (group lengths; a plain number is one group).
MOBILE_SHAPES = {(11,), (3, 4, 4), (3, 8)}
ID_SHAPES = {(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (15,), (6, 6, 3)}
CARD_SHAPES = {(6, 13), (4, 6, 5), (4, 6, 4)}
MAX_GROUPS = 5


def _born(number: str) -> bool:
    """Whether an 18- or 15-digit number holds a birth date (YYYYMMDD or YYMMDD) at 7-14."""
    text = number[6:14] if len(number) == 18 else "19" + number[6:12]
    try:
        return 1900 <= datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])).year < 2100
    except ValueError:
        return False


def _card_shape(shape: tuple[int, ...]) -> bool:
    """One run; four groups of four and perhaps a shorter fifth; 6-13, 4-6-5 or 4-6-4."""
    return len(shape) == 1 or shape[:4] == (4, 4, 4, 4) or shape in CARD_SHAPES


def _masked(groups: list[str]) -> str | None:
    """The masked form of a number written as these digit groups; ``None`` when it is no
    mobile (optionally after 86/0086), ID (18 digits or X, or the old 15) or bank card."""
    number = "".join(groups).upper()
    shape = tuple(map(len, groups))
    for code in ("", *COUNTRY_CODES):
        rest = number[len(code) :]
        shape_rest = (shape[0] - len(code), *shape[1:])
        if number.startswith(code) and shape_rest in MOBILE_SHAPES and MOBILE.fullmatch(rest):
            return f"{code}{rest[:3]}****{rest[-4:]}"
    check_x = len(number) == 18 and number[:17].isdigit() and number[-1] == "X"
    if shape in ID_SHAPES and (check_x or (number.isdigit() and _born(number))):
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    if number.isdigit() and 13 <= len(number) <= 19 and _card_shape(shape):
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    return None


def _personal(groups: list[re.Match]) -> list[tuple[int, int, str]]:
    """(start, end, masked) of the personal numbers among one written number's digit
    groups: from each group on, the most groups that spell one (a date before a mobile
    number, ``2024-01-05 13812345678``, is left alone)."""
    found = []
    i = 0
    while i < len(groups):
        for j in range(min(len(groups), i + MAX_GROUPS), i, -1):
            texts = [g[0] for g in groups[i:j]]
            end = groups[j - 1].end()
            masked = _masked(texts)
            if masked is None and texts[-1][-1] in "Xx":  # a letter after the number
                texts[-1] = texts[-1][:-1]
                end -= 1
                masked = _masked(texts)
            if masked is not None:
                found.append((groups[i].start(), end, masked))
                i = j
                break
        else:
            i += 1
    return found


def mask(text: str) -> str:
    """The text with personal numbers masked: ``110***********1234`` (ID; the old 15-digit
    ID ``110********1234``), ``6222********1234`` (bank card), ``138****5678`` (mobile).

    Numbers are found however they are spelt: full-width or other Unicode digits, spaces
    or hyphens between the usual groups (``138 1234 5678``, ``110105 19491231 002X``,
    ``6222-0212-3456-7890``), ``+86``/``0086`` before a mobile. The masked number is
    written in ASCII digits without separators. Amounts, dates and account codes are left
    alone: they have the wrong number of digits, or a comma or dot between groups."""
    ascii_text = OTHER_DIGIT.sub(lambda d: str(int(d[0])), text).translate(FULLWIDTH_X)
    parts = []
    done = 0
    for number in NUMBER.finditer(ascii_text):
        groups = list(GROUP.finditer(ascii_text, number.start(), number.end()))
        for start, end, masked in _personal(groups):
            parts += [text[done:start], masked]
            done = end
    return "".join(parts) + text[done:]


DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")


def _section(number: int) -> str:
    """Four digits in capitals: 1010 → 壹仟零壹拾, 200 → 贰佰."""
    words = ""
    zero = False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += DIGITS[digit] + PLACES[place]
    return words


def _integer(number: int) -> str:
    """A whole number of 元 in capitals, sections of four digits joined by 万 and 亿."""
    sections = []
    while number:
        number, section = divmod(number, 10000)
        sections.append(section)
    words = ""
    gap = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            gap = bool(words)
            continue
        if words and (gap or section < 1000):
            words += "零"
        words += _section(section) + SECTIONS[index]
        gap = False
    return words


def capital(amount: Decimal) -> str:
    """An amount in Chinese capital numerals (大写), as financial documents write it.

    >>> capital(Decimal("150200"))
    '壹拾伍万零贰佰元整'
    >>> capital(Decimal("1234.56")), capital(Decimal("0.5"))
    ('壹仟贰佰叁拾肆元伍角陆分', '伍角')
    """
    amount = Decimal(amount).quantize(CENT, ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    yuan, cents = divmod(int(abs(amount) * 100), 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    words = _integer(yuan) + ("元" if yuan else "")
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    if not cents:
        words += "整"
    return sign + words


# --- the disclosure -------------------------------------------------------------------


@dataclass
class Item:
    """One posting to an income or expense account (逐项逐笔)."""

    date: datetime.date
    payee: str
    narration: str
    account: str  # the detail account's names below the first level, e.g. 香菇销售
    amount: Decimal


@dataclass
class Group:
    """The items of one first-level account (e.g. 501 经营收入) and their subtotal."""

    code: str
    name: str
    items: list[Item]
    subtotal: Decimal


@dataclass
class Line:
    """A balance at period end, with its parts (counterparties, projects, accounts)."""

    label: str
    amount: Decimal
    details: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class StatementLine:
    """A row of a standard statement: label, amounts, and how it is printed."""

    label: str
    amounts: list[Decimal]  # one per column (本年数; 年初数 and 年末数 on the 资产负债表)
    total: bool = False  # a subtotal or total row, printed bold
    indent: int = 0


@dataclass
class Disclosure:
    """Every figure of one village's disclosure for one period."""

    township: str
    village: str
    organisation: str
    agency: str
    period: Period
    posted: datetime.date
    income: list[Group]
    income_total: Decimal
    expenses: list[Group]
    expense_total: Decimal
    assets: list[Line]
    assets_total: Decimal
    debts: list[Line]
    funds: list[dict]
    funds_total: dict[str, Decimal]
    projects: list[dict]
    income_statement: list[StatementLine] = field(default_factory=list)
    balance_sheet: list[StatementLine] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    code: str = ""

    @property
    def capitals(self) -> dict[str, str]:
        """The period's totals in capital numerals."""
        return {
            "income_total": capital(self.income_total),
            "expense_total": capital(self.expense_total),
            "assets_total": capital(self.assets_total),
            "funds_received": capital(self.funds_total["received"]),
        }

    def to_json(self) -> dict:
        """The disclosure as JSON values: money as exact strings, dates as ISO text."""
        result = _jsonable(asdict(self))
        result["period"].update(label=self.period.label)
        result["capitals"] = self.capitals
        return result


def _jsonable(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _option(entries: data.Directives, name: str) -> str | None:
    """A ``custom "cunzhang-option"`` text the disclosure alone reads (organisation, agency)."""
    found = None
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "cunzhang-option":
            values = [v.value for v in entry.values]
            if len(values) > 1 and values[0] == name and isinstance(values[1], str):
                found = values[1]
    return found


def balances(entries: Iterable[data.Directive], until: datetime.date) -> dict[str, Decimal]:
    """Every account's balance after the transactions dated up to ``until``, inclusive."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date <= until:
            for posting in entry.postings:
                sums[posting.account] += posting.units.number
    return dict(sums)


def opening_balances(entries: data.Directives, start: datetime.date) -> dict[str, Decimal]:
    """Balances before ``start``, with the opening (``#opening``) entries of that day."""
    before = [
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and (e.date < start or (e.date == start and "opening" in (e.tags or ())))
    ]
    return balances(before, start)


def _below_top(account: str) -> str:
    """The names of an account below its first level: ``...:11201-张三`` → ``张三``."""
    return "-".join(split_component(c)[1] for c in bc_account.split(account)[2:])


def _sum(sums: dict[str, Decimal], codes: Iterable[str], root: str | None = None) -> Decimal:
    """The summed balances of the accounts under the first-level codes (and root)."""
    wanted = set(codes)
    return sum(
        (
            v
            for a, v in sums.items()
            if top_code(a) in wanted and (root is None or books.root(a) == root)
        ),
        ZERO,
    )


def _signed(sign: int, value: Decimal) -> Decimal:
    """A balance shown on its normal side (no ``-0.00``)."""
    return sign * value + ZERO


def _line(label: str, sums: dict[str, Decimal], codes: Iterable[str], sign: int = 1) -> Line:
    """A balance line over first-level codes, with its parts: each account below the first
    level (a counterparty, lender, project), named after its first level when the line
    spans several (银行存款-农商行)."""
    codes = tuple(codes)
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for account, value in sums.items():
        if top_code(account) in codes:
            names = bc_account.split(account)
            first = chart()[top_code(account)].name
            below = split_component(names[2])[1] if len(names) > 2 else ""
            name = f"{first}-{below}" if below and len(codes) > 1 else below or first
            parts[mask(name)] += value
    details = [(name, _signed(sign, value)) for name, value in parts.items() if value]
    if len(details) == 1 and details[0][0] in (label, chart()[codes[0]].name):
        details = []
    return Line(label, _signed(sign, _sum(sums, codes)), details)


RECEIVABLES = "应收款项 (明细见债权债务)"
# The lines of 各项资产 and 债权债务 (first-level codes of the 2023 chart).
ASSET_LINES = (
    ("货币资金", ("101", "102")),
    ("短期投资", ("111",)),
    (RECEIVABLES, ("112", "113")),
    ("库存物资", ("121",)),
    ("生物资产 (净值)", ("131", "132", "133", "134")),
    ("长期投资", ("141",)),
    ("固定资产 (净值)", ("151", "152")),
    ("在建工程", ("153",)),
    ("无形资产 (净值)", ("161", "162")),
)
DEBT_LINES = (
    ("应收款", ("112",), 1),
    ("内部往来", ("113",), 1),
    ("应付款", ("211",), -1),
    ("借款", ("201", "221"), -1),
    ("专项应付款", ("241",), -1),
    ("一事一议资金", ("231",), -1),
    ("应付工资及劳务费", ("212", "213"), -1),
    ("应交税费", ("214",), -1),
)


def _asset_lines(sums: dict[str, Decimal]) -> list[Line]:
    """货币资金, 库存物资, 固定资产 net, 在建工程 …, the rest as 其他资产; zero lines left out.

    The lines add up to ``assets_total``; receivables are itemised under 债权债务 only.
    """
    covered = {code for _, codes in ASSET_LINES for code in codes}
    lines = [_line(label, sums, codes) for label, codes in ASSET_LINES]
    others = sorted({top_code(a) for a in sums if books.root(a) == "Assets"} - covered)
    lines.append(_line("其他资产", sums, others))
    for line in lines:
        if line.label == RECEIVABLES:
            line.details = []
    return [line for line in lines if line.amount]


def _debt_lines(sums: dict[str, Decimal]) -> list[Line]:
    """Receivables and payables by counterparty, loans, earmarked payables by project."""
    lines = [_line(label, sums, codes, sign) for label, codes, sign in DEBT_LINES]
    return [line for line in lines if line.amount or line.label in ("应收款", "应付款")]


def _groups(transactions: list[data.Transaction], root: str) -> tuple[list[Group], Decimal]:
    """Income (``Income``, shown positive) or spending (``Expenses``) item by item."""
    sign = -1 if root == "Income" else 1
    grouped: dict[str, list[Item]] = defaultdict(list)
    for entry in transactions:
        for posting in entry.postings:
            if books.root(posting.account) == root:
                grouped[top_code(posting.account)].append(
                    Item(
                        entry.date,
                        mask(entry.payee or ""),
                        mask(entry.narration or ""),
                        mask(_below_top(posting.account)),
                        sign * posting.units.number,
                    )
                )
    standard = chart()
    groups = [
        Group(code, standard[code].name, items, sum((i.amount for i in items), ZERO))
        for code, items in sorted(grouped.items())
    ]
    return groups, sum((g.subtotal for g in groups), ZERO)


def _source_of(receipt: data.Transaction, village: reports.Books) -> str:
    """Where received money comes from: the project's declared source, 派出单位帮扶 for a
    posted secretary's unit, else the name of the account credited (专项应付款, 补助收入 …)."""
    funder = receipt.meta["funder"]
    for pid in books.project_ids(receipt):
        project = village.declarations.projects.get(pid)
        for funding in project.funding if project else ():
            if funding.funder == funder:
                return funding.source
    if funder in village.declarations.units:
        return "派出单位帮扶"
    for pid in books.project_ids(receipt):
        project = village.declarations.projects.get(pid)
        unnamed = [f.source for f in project.funding if not f.funder] if project else []
        if len(unnamed) == 1:  # the project's one source without a declared payer
            return unnamed[0]
    credited = [top_code(p.account) for p in receipt.postings if p.units.number < 0]
    standard = chart().get(credited[0]) if credited else None
    return standard.name if standard else "其他"


def _fund_rows(at_end: reports.Books, period: Period) -> list[dict]:
    """Per payer: source, received in the period and to date, used on projects, for what."""
    used = reports.unit_spending(at_end, None)
    projects = at_end.declarations.projects
    rows: dict[str, dict] = {}
    for receipt in reports.receipts(at_end):
        funder = receipt.meta["funder"]
        row = rows.setdefault(
            funder,
            {
                "funder": mask(funder),
                "sources": [],
                "received": ZERO,
                "received_to_date": ZERO,
                "used": used.get(funder, ZERO),
                "for": [],
            },
        )
        amount = books.money_in(receipt)
        row["received_to_date"] += amount
        if receipt.date >= period.start:
            row["received"] += amount
        source = _source_of(receipt, at_end)
        if source not in row["sources"]:
            row["sources"].append(source)
        linked = [
            f"{p} {projects[p].name}" for p in sorted(books.project_ids(receipt)) if p in projects
        ]
        purposes = linked or [
            mask(_below_top(p.account) or chart()[top_code(p.account)].name)
            for p in receipt.postings
            if p.units.number < 0
        ]
        row["for"].extend(x for x in purposes if x not in row["for"])
    return [
        row for row in rows.values() if row["received"] or row["used"] or row["received_to_date"]
    ]


def _project_rows(at_end: reports.Books) -> list[dict]:
    """The projects report to period end, with progress and dated decision steps."""
    rows = []
    for row in reports.project_rows(at_end):
        budget = row["budget"]
        rows.append(
            {
                "project": row["project"],
                "name": mask(row["name"]),
                "kind": row["kind"],
                "budget": budget,
                "received": row["received"],
                "received_by_source": {mask(k): v for k, v in row["received_by_source"].items()},
                "spent": row["spent"],
                "capitalised": row["capitalised"],
                "progress": (row["spent"] / budget * 100).quantize(Decimal("0.1"))
                if budget
                else None,
                "steps": [(s, row["steps"][s]) for s in model.STEPS if s in row["steps"]],
                "steps_missing": row["steps_missing"],
                "income": row["income"],
            }
        )
    return rows


# --- the annual statements ------------------------------------------------------------

#: 收益及收益分配表 (2023): the lines above 经营收益 and between it and 收益总额, each a
#: label, a first-level code and whether it adds (+1, income) or subtracts (−1, spending).
OPERATING_LINES = (
    ("一、经营收入", "501", 1),
    ("减: 经营支出", "511", -1),
    ("税金及附加", "512", -1),
    ("管理费用", "513", -1),
)
OTHER_LINES = (
    ("加: 投资收益", "502", 1),
    ("补助收入", "503", 1),
    ("其他收入", "504", 1),
    ("减: 公益支出", "514", -1),
    ("其他支出", "515", -1),
)
TAX = "521"
DISTRIBUTION = "322"
#: The sub-accounts of 32201 各项分配 the statement names (by code, or by name where a
#: village numbered them otherwise); others are 其他分配.
SHARE_OUT = {"3220101": "提取公积公益金", "3220102": "成员分配"}
RETAINED = ("321", "322")


def _undistributed(sums: dict[str, Decimal]) -> Decimal:
    """未分配收益: 本年收益 and 收益分配 with the income and expense not yet closed."""
    retained = (
        v
        for a, v in sums.items()
        if top_code(a) in RETAINED or books.root(a) in ("Income", "Expenses")
    )
    return _signed(-1, sum(retained, ZERO))


def _shares(village: reports.Books, period: Period) -> dict[str, Decimal]:
    """The year's distribution (``#distribution``): debits to 32201's sub-accounts."""
    shares = {label: ZERO for label in (*SHARE_OUT.values(), "其他分配")}
    for entry in village.entries:
        if (
            isinstance(entry, data.Transaction)
            and period.start <= entry.date <= period.end
            and "distribution" in (entry.tags or ())
        ):
            for posting in entry.postings:
                if top_code(posting.account) == DISTRIBUTION and posting.units.number > 0:
                    code, name = split_component(bc_account.leaf(posting.account))
                    named = name if name in SHARE_OUT.values() else "其他分配"
                    shares[SHARE_OUT.get(code, named)] += posting.units.number
    return shares


def _income_statement(village: reports.Books, period: Period) -> list[StatementLine]:
    """收益及收益分配表 for a year: earnings without closing entries, then the distribution.

    年末未分配收益 is the books' balance at year end; 其他转入 is whatever else moved
    undistributed earnings in the year (shown only when not zero), so the table adds up.
    """
    by_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in village.transactions(period.end):
        if entry.date >= period.start:
            for posting in entry.postings:
                by_code[top_code(posting.account)] += posting.units.number

    def block(rows: tuple, start: Decimal = ZERO) -> tuple[list[StatementLine], Decimal]:
        lines, result = [], start
        for label, code, sign in rows:
            value = _signed(-1 if sign > 0 else 1, by_code[code])
            result += sign * value
            lines.append(StatementLine(label, [value], indent=0 if label[1] == "、" else 1))
        return lines, result

    lines, operating = block(OPERATING_LINES)
    lines.append(StatementLine("二、经营收益", [operating], total=True))
    others, gross = block(OTHER_LINES, operating)
    lines += others
    lines.append(StatementLine("三、收益总额", [gross], total=True))
    net = gross - by_code[TAX]
    lines.append(StatementLine("减: 所得税费用", [by_code[TAX]], indent=1))
    lines.append(StatementLine("四、净收益", [net], total=True))

    shares = _shares(village, period)
    opening = _undistributed(opening_balances(village.entries, period.start))
    closing = _undistributed(balances(village.entries, period.end))
    other_in = closing - opening - net + sum(shares.values(), ZERO)
    lines.append(StatementLine("加: 年初未分配收益", [opening], indent=1))
    if other_in:
        lines.append(StatementLine("其他转入", [other_in], indent=1))
    lines.append(StatementLine("五、可分配收益", [net + opening + other_in], total=True))
    lines.append(StatementLine("减: 提取公积公益金", [shares["提取公积公益金"]], indent=1))
    lines.append(StatementLine("成员分配", [shares["成员分配"]], indent=1))
    if shares["其他分配"]:
        lines.append(StatementLine("其他分配", [shares["其他分配"]], indent=1))
    lines.append(StatementLine("六、年末未分配收益", [closing], total=True))
    return lines


#: 资产负债表 (2023 layout): a line is a label with first-level codes and the sign that
#: shows its normal balance positive, or a label with the key of a computed total.
BALANCE_SHEET: tuple[tuple[str, tuple[str, ...] | str, int], ...] = (
    ("货币资金", ("101", "102"), 1),
    ("短期投资", ("111",), 1),
    ("应收款项", ("112", "113"), 1),
    ("存货", ("121", "401"), 1),
    ("消耗性生物资产", ("131",), 1),
    ("流动资产合计", "current_assets", 1),
    ("长期投资", ("141",), 1),
    ("生产性生物资产净值", ("132", "133"), 1),
    ("公益性生物资产", ("134",), 1),
    ("固定资产原值", ("151",), 1),
    ("减: 累计折旧", ("152",), -1),
    ("固定资产净值", ("151", "152"), 1),
    ("固定资产清理", ("154",), 1),
    ("在建工程", ("153",), 1),
    ("无形资产净值", ("161", "162"), 1),
    ("长期待摊费用", ("171",), 1),
    ("待处理财产损溢", ("181",), 1),
    ("非流动资产合计", "noncurrent_assets", 1),
    ("资产总计", "assets", 1),
    ("短期借款", ("201",), -1),
    ("应付款项", ("211",), -1),
    ("应付工资", ("212",), -1),
    ("应付劳务费", ("213",), -1),
    ("应交税费", ("214",), -1),
    ("流动负债合计", "current_liabilities", -1),
    ("长期借款及应付款", ("221",), -1),
    ("一事一议资金", ("231",), -1),
    ("专项应付款", ("241",), -1),
    ("非流动负债合计", "noncurrent_liabilities", -1),
    ("负债合计", "liabilities", -1),
    ("资本", ("301",), -1),
    ("公积公益金", ("311",), -1),
    ("未分配收益", ("321", "322"), -1),
    ("所有者权益合计", "equity", -1),
    ("负债和所有者权益总计", "liabilities_equity", -1),
)
CURRENT_ASSETS = ("101", "102", "111", "112", "113", "121", "401", "131")
CURRENT_LIABILITIES = ("201", "211", "212", "213", "214")
ALL_CODES = tuple(chart())


def _sheet_totals(sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """The 资产负债表's totals from balances."""
    assets = _sum(sums, ALL_CODES, "Assets")
    current = _sum(sums, CURRENT_ASSETS, "Assets")
    liabilities = _signed(-1, _sum(sums, ALL_CODES, "Liabilities"))
    current_liabilities = _signed(-1, _sum(sums, CURRENT_LIABILITIES))
    equity = _signed(-1, _sum(sums, ("301", "311"))) + _undistributed(sums)
    return {
        "current_assets": current,
        "noncurrent_assets": assets - current,
        "assets": assets,
        "current_liabilities": current_liabilities,
        "noncurrent_liabilities": liabilities - current_liabilities,
        "liabilities": liabilities,
        "equity": equity,
        "liabilities_equity": liabilities + equity,
    }


def _balance_sheet(village: reports.Books, period: Period) -> list[StatementLine]:
    """资产负债表: 年初数 and 年末数 of each line of the standard's layout.

    未分配收益 includes the income and expense of a year not yet closed, so the sheet
    balances before the year-end closing too.
    """
    columns = [
        opening_balances(village.entries, period.start),
        balances(village.entries, period.end),
    ]
    totals = [_sheet_totals(sums) for sums in columns]
    lines = []
    for label, codes, sign in BALANCE_SHEET:
        if isinstance(codes, str):
            lines.append(StatementLine(label, [t[codes] for t in totals], total=True))
        elif codes == RETAINED:
            lines.append(StatementLine(label, [_undistributed(sums) for sums in columns]))
        else:
            amounts = [_signed(sign, _sum(sums, codes)) for sums in columns]
            lines.append(StatementLine(label, amounts, indent=1 if label.startswith("减") else 0))
    return lines


# --- blockers and the verification code -----------------------------------------------


def blockers(village: reports.Books, period: Period, errors: Iterable = ()) -> list[str]:
    """What stops publishing: ledger errors and ``!`` entries dated up to the period's end.

    ``errors`` are the loader's errors (Beancount's and the ``projects.checks`` plugin's);
    an error about an entry dated after the period does not block it.
    """
    found = []
    for error in errors:
        entry = getattr(error, "entry", None)
        if entry is None or getattr(entry, "date", period.end) <= period.end:
            found.append(mask(format_error(error)))
    for entry in village.entries:
        if isinstance(entry, data.Transaction) and entry.flag == "!" and entry.date <= period.end:
            found.append(
                f"{where(entry.meta)}: {entry.date} “{mask(entry.narration or '')}” "
                "仍标记为待分类 (flagged !), 请先分类"
            )
    return found


def verification_code(village: reports.Books, period: Period, figures: dict) -> str:
    """The first 12 hex digits of SHA-256 over the period's entries and carried figures.

    The digest covers (1) every transaction and declaration dated in the period, printed
    canonically by Beancount (so any change to one of them changes the code), and (2) the
    figures the sheet shows that earlier entries determine: balances, projects and funds
    to the period's end. A change after the period never changes the code; a change before
    it does exactly when it changes a figure on the sheet.
    """
    digest = hashlib.sha256(f"{village.village}|{period.code}\n".encode())
    canonical = printer.EntryPrinter()  # what printer.format_entry uses, built once
    inside = [
        canonical(e)
        for e in village.entries
        if isinstance(e, data.Transaction | data.Custom) and period.start <= e.date <= period.end
    ]
    for text in sorted(inside):
        digest.update(text.encode())
    digest.update(json.dumps(_jsonable(figures), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()[:12]


def compute(
    village: reports.Books,
    period: Period,
    *,
    township: str = "",
    posted: datetime.date | None = None,
    errors: Iterable = (),
) -> Disclosure:
    """The disclosure of one village for one period, from its books (a pure function)."""
    at_end = reports.Books.of(village.village, [e for e in village.entries if e.date <= period.end])
    inside = [t for t in at_end.transactions() if t.date >= period.start]
    income, income_total = _groups(inside, "Income")
    expenses, expense_total = _groups(inside, "Expenses")
    sums = balances(at_end.entries, period.end)
    funds = _fund_rows(at_end, period)
    disclosure = Disclosure(
        township=township,
        village=village.village,
        organisation=_option(village.entries, "organisation") or f"{village.village}集体经济组织",
        agency=_option(village.entries, "agency") or f"{township}农村经营管理站",
        period=period,
        posted=posted or datetime.date.today(),
        income=income,
        income_total=income_total,
        expenses=expenses,
        expense_total=expense_total,
        assets=_asset_lines(sums),
        assets_total=_sum(sums, ALL_CODES, "Assets"),
        debts=_debt_lines(sums),
        funds=funds,
        funds_total={
            key: sum((row[key] for row in funds), ZERO)
            for key in ("received", "received_to_date", "used")
        },
        projects=_project_rows(at_end),
        blockers=blockers(village, period, errors),
    )
    if period.annual:
        disclosure.income_statement = _income_statement(at_end, period)
        disclosure.balance_sheet = _balance_sheet(at_end, period)
    carried = {
        key: getattr(disclosure, key)
        for key in ("assets", "debts", "funds", "projects", "income_statement", "balance_sheet")
    }
    disclosure.code = verification_code(village, period, carried)
    return disclosure
