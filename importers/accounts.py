"""Mapping what a spreadsheet writes for an account to the village's Beancount account.

Spreadsheets name accounts three ways, all handled here against the accounts the ledger
opens (and the chart of accounts, which is data: ``projects/data/chart-*.csv``):

- a code: ``50101``, ``212`` (codes of the chart version in use; 2004 codes are translated
  to the 2023 chart, refusing those with no single equivalent);
- a name path: ``经营收入-香菇销售``, ``生产(劳务)成本-香菇种植`` (matched through
  :func:`projects.chart.clean_name`, so parentheses do not matter);
- both: ``50101 经营收入-香菇销售`` in one cell, or in two columns.

A sub-account missing under a known standard account is planned with the next free code
(``--create-accounts``) or reported as missing; the caller decides which.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from beancount.core import data

from projects import chart, chart_move

#: Where statement rows that neither rules nor history classify are posted, flagged ``!``,
#: by direction (收 money in, 支 money out): a receipt from an unidentified party is owed
#: until it is identified (211 应付款), a payment to one is a claim (112 应收款), the usual
#: practice for 待查明款项. 181 待处理财产损溢 is not used: it holds 盘盈盘亏毁损 awaiting
#: approval. ``99`` is the sub-code villages use for 其他/待定, so it never takes the code of
#: a village's own 21101; a village that has the name path already keeps its own account.
#: A county option names other accounts (``unidentified_receipts``/``unidentified_payments``
#: in :mod:`projects.options`).
UNIDENTIFIED = {"收": ("21199", "应付款-待查明款项"), "支": ("11299", "应收款-待查明款项")}
#: Seasonal and temporary labour (务工, 劳务, 临时工): the 2023 chart pays it through 213
#: 应付劳务费; 212 应付工资 is for managers and permanent staff. A first-level name a
#: spreadsheet writes that is no standard name but says 应付 and one of these words
#: (应付务工工资, 应付临时工工资, 应付劳务报酬) means 213; the classifier prefers 213 for rows
#: that say them (:mod:`importers.classify`).
LABOUR_WORDS = ("务工", "劳务", "临时工", "季节工", "零工")
WAGES, LABOUR = "212", "213"


CODE_AND_NAME = re.compile(r"^[\[【(（]?(\d{3,}(?:\.\d{2,})*)[\]】)）]?\s*[-_:：.\s]?\s*(.*)$")
PATH_SEPARATORS = re.compile(r"\s*[-—－/\\:：_>＞]\s*")
#: A note accounting packages append to an account cell: ``办公费(明细)``, ``【末级】``.
TRAILING_NOTE = re.compile(
    r"\s*[(（\[【]\s*(?:明细|明细账|明细科目|末级|末级科目|辅助核算)\s*[)）\]】]$"
)


def account_text(text: str) -> str:
    """An account cell as matched: full-width forms folded (NFKC: ``１０２０１``, ``－``), any
    white space (full-width, non-breaking) one space, trimmed, trailing notes dropped."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return TRAILING_NOTE.sub("", text)


def normalise_number(number: str) -> str:
    """A bank account number without spaces or dashes (``6230 5800`` → ``62305800``)."""
    return re.sub(r"[\s\-]", "", number)


def numbers_match(pattern: str, number: str) -> bool:
    """Whether a (possibly masked, ``6230****0001``) account number names ``number``."""
    pattern, number = normalise_number(pattern), normalise_number(number)
    if not pattern or not number:
        return False
    if "*" not in pattern:
        return pattern == number
    head, _, tail = pattern.partition("*")
    tail = tail.lstrip("*")
    return number.startswith(head) and number.endswith(tail) and len(head + tail) >= 6


@dataclass
class NewAccount:
    """A sub-account the import opens (``--create-accounts``)."""

    account: str
    name: str
    first_use: datetime.date
    meta: dict = field(default_factory=dict)


class AccountBook:
    """The accounts a village ledger opens, looked up by code, name path and bank number."""

    def __init__(self, entries: data.Directives, version: str = "2023") -> None:
        self.version = version
        self.opened: dict[str, data.Open] = {
            e.account: e for e in entries if isinstance(e, data.Open)
        }
        self.new: dict[str, NewAccount] = {}
        #: Accounts a refusal proposes (no ``create``), by name path: the codes
        #: ``--create-accounts`` would open, so that refusal and creation agree.
        self.proposed: dict[str, str] = {}
        self._resolved: dict[tuple[str, str], str] = {}  # (code, text) → account, for speed
        self._by_code: dict[str, str] = {}
        self._by_path: dict[str, str] = {}
        for account in self.opened:
            self._index(account)
        for standard in chart.chart("2023").values():
            self._by_code.setdefault(standard.code, standard.account)
            self._by_path.setdefault(chart.clean_name(standard.name), standard.account)

    def _index(self, account: str) -> None:
        code = chart.code_of(account)
        if code:
            self._by_code.setdefault(code, account)
        self._by_path.setdefault(chart.name_path(account), account)

    # -- lookups --------------------------------------------------------------------------

    def exists(self, account: str) -> bool:
        """Opened in the ledger or planned by this import."""
        return account in self.opened or account in self.new

    def by_number(self, number: str) -> list[str]:
        """The accounts whose ``open`` has an ``account_number`` matching ``number``."""
        return [
            account
            for account, entry in self.opened.items()
            if numbers_match(number, str(entry.meta.get("account_number", "")))
            or numbers_match(str(entry.meta.get("account_number", "")), number)
        ]

    def translate_code(self, code: str) -> str:
        """A code of the chart in use as a 2023 code (``KeyError`` with a reason if none)."""
        if self.version == "2023":
            return code
        old = chart.chart(self.version).get(code[:3])
        if old is None:
            raise KeyError(f"{code[:3]} 不是 {self.version} 年科目表的一级科目")
        if chart_move.is_ambiguous(old.code):
            raise KeyError(self.ambiguous(old))
        return old.code_2023 + code[3:]

    def ambiguous(self, old: chart.StandardAccount) -> str:
        """Why an old account with no single 2023 equivalent is not carried: the choices."""
        return (
            f"{self.version} 年科目 {old.code} {old.name} 在 2023 年科目表中没有唯一对应科目"
            f" (可选 {chart_move.choices_text(old.code)}; {old.note}): "
            "请按实质在表中改用 2023 年科目编码 (answer with a 2023 code)"
        )

    def standard_name(self, name: str) -> str | None:
        """The 2023 first-level account a name means (with --chart 2004, old names too; one
        with no single 2023 equivalent is refused before, in :meth:`_resolve_path`)."""
        old = self.old_name(name)
        clean = chart.clean_name(name)
        for standard in chart.chart("2023").values():
            if chart.clean_name(standard.name) == clean:
                return standard.account
        if clean.startswith("应付") and any(word in clean for word in LABOUR_WORDS):
            return chart.chart("2023")[LABOUR].account
        if old is not None and not chart_move.is_ambiguous(old.code):
            return chart.chart("2023")[old.code_2023].account
        return None

    def old_name(self, name: str) -> chart.StandardAccount | None:
        """The first-level account of the (older) chart in use a name means, if any."""
        if self.version == "2023":
            return None
        clean = chart.clean_name(name)
        found = [o for o in chart.chart(self.version).values() if chart.clean_name(o.name) == clean]
        return found[0] if found else None

    # -- resolving ------------------------------------------------------------------------

    def resolve(
        self, code: str, path: str, when: datetime.date, create: bool
    ) -> tuple[str | None, str]:
        """The account a code and/or name path names: ``(account, "")`` or ``(None, reason)``.

        A missing sub-account under a known parent is planned (``create``) or refused with
        the account it would be (``reason``).
        """
        known = self._resolved.get((code, path))
        if known is not None:
            self._touch(known, when)
            return known, ""
        account, reason = self._resolve(account_text(code), account_text(path), when, create)
        if account is not None:
            self._resolved[(code, path)] = account
        return account, reason

    def _resolve(
        self, code: str, path: str, when: datetime.date, create: bool
    ) -> tuple[str | None, str]:
        split = None if code else CODE_AND_NAME.match(path)
        if split:  # 10201 银行存款-青石农商行: a leaf code, then the name path
            code, path = split.groups()
        if re.fullmatch(r"\d+(?:\.\d+)+", code):  # 102.01: levels dotted
            code = code.replace(".", "")
        names = [chart.clean_name(n) for n in PATH_SEPARATORS.split(path) if n.strip()]
        if code:
            return self._resolve_code(code, names, when, create)
        if not names:
            return None, "科目为空 (no account)"
        return self._resolve_path(names, when, create)

    def _resolve_code(
        self, code: str, names: list[str], when: datetime.date, create: bool
    ) -> tuple[str | None, str]:
        if not code.isdigit():
            return None, f"科目编码 “{code}” 应为数字"
        try:
            code = self.translate_code(code)
        except KeyError as error:
            return None, str(error.args[0])
        account = self._by_code.get(code)
        if account is not None:
            if names and chart.name_path(account).split("-")[-1] != names[-1]:
                return None, (
                    f"科目编码 {code} 在账上是 {chart.name_path(account)}, "
                    f"表中写的是 {'-'.join(names)}: 请核对编码或名称"
                )
            self._touch(account, when)
            return account, ""
        parent = self._by_code.get(code[:-2]) if len(code) > 3 else None
        if parent is None:
            return None, f"科目编码 {code} 不在 2023 年科目表中, 上级科目也不存在"
        if not names:
            return None, f"科目编码 {code} 账上没有, 表中也没有名称可用来开设"
        account = f"{parent}:{chart.component(code, names[-1])}"
        return self._plan(account, names[-1], when, create)

    def _resolve_path(
        self, names: list[str], when: datetime.date, create: bool
    ) -> tuple[str | None, str]:
        old = self.old_name(names[0])
        if old is not None and chart_move.is_ambiguous(old.code):
            return None, self.ambiguous(old)
        account = self._by_path.get("-".join(names))
        if account is not None:
            self._touch(account, when)
            return account, ""
        top = self.standard_name(names[0])
        if top is None:
            return None, f"{names[0]} 不是一级科目 (unknown account)"
        parent = top
        for depth, name in enumerate(names[1:], start=2):
            known = self._by_path.get("-".join(names[:depth]))
            if known is not None:
                parent = known
                continue
            if depth < len(names):
                return None, f"上级科目 {'-'.join(names[:depth])} 不存在"
            account = self.proposed.get("-".join(names)) or (
                f"{parent}:{chart.component(self.next_code(parent), name)}"
            )
            return self._plan(account, name, when, create)
        self._touch(parent, when)
        return parent, ""

    def unidentified(
        self, direction: str, when: datetime.date, named: str | None = None
    ) -> tuple[str | None, str]:
        """The account an unclassified row of ``direction`` (收/支) waits in: the one a county
        option ``named`` (a name path, code or account), else :data:`UNIDENTIFIED`'s."""
        if named:
            if self.exists(named):
                return named, ""
            return self.resolve("", named, when, True)
        return self.standard(*UNIDENTIFIED[direction], when)

    def standard(self, code: str, path: str, when: datetime.date) -> tuple[str | None, str]:
        """The account of a name path: the ledger's own, else opened with the standard's
        ``code`` (when it is free and extends the parent's), else with the next code."""
        account, _ = self.resolve("", path, when, False)
        if account is not None:
            return account, ""
        parent_path, _, name = path.rpartition("-")
        parent = self.resolve("", parent_path, when, False)[0] if parent_path else None
        free = code and self.resolve(code, "", when, False)[0] is None
        if parent and free and code.startswith(chart.code_of(parent)):
            account = f"{parent}:{chart.component(code, name)}"
            self.open(account, name, when)
            return account, ""
        return self.resolve("", path, when, True)

    def next_code(self, parent: str) -> str:
        """The next free two-digit sub-code under ``parent`` (``501`` → ``50101``, ``50102`` …)."""
        base = chart.code_of(parent)
        used = {
            chart.code_of(a)
            for a in [*self.opened, *self.new, *self.proposed.values()]
            if a.startswith(parent + ":") and a.count(":") == parent.count(":") + 1
        }
        for number in range(1, 99):
            code = f"{base}{number:02d}"
            if code not in used:
                return code
        raise KeyError(f"{parent} 下的明细科目编码已用完")

    def _plan(
        self, account: str, name: str, when: datetime.date, create: bool
    ) -> tuple[str | None, str]:
        if not chart.is_valid(account):
            return None, f"科目名称 {account} 不合法"
        if not create:
            self.proposed.setdefault(chart.name_path(account), account)
            return None, f"缺少科目 (missing account) {account}; 加 --create-accounts 开设"
        self.open(account, name, when)
        return account, ""

    def open(self, account: str, name: str, when: datetime.date, **meta: str) -> None:
        """Plan the ``open`` of a new account (no-op if it exists)."""
        if self.exists(account):
            self._touch(account, when)
            return
        self.new[account] = NewAccount(account, name, when, dict(meta))
        self._index(account)

    def _touch(self, account: str, when: datetime.date) -> None:
        planned = self.new.get(account)
        if planned is not None and when < planned.first_use:
            planned.first_use = when

    def opens(self) -> list[data.Open]:
        """The planned ``open`` directives, dated 1 January of their first use's year."""
        found = []
        for new in sorted(self.new.values(), key=lambda n: n.account):
            meta = data.new_metadata("<import>", 0)  # beangulp sorts by them; never written
            meta.update({"code": chart.code_of(new.account), "name": new.name, **new.meta})
            date = datetime.date(new.first_use.year, 1, 1)
            found.append(data.Open(meta, date, new.account, ["CNY"], None))
        return found
