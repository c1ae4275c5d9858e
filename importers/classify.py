"""Counter-accounts for rows that have none (bank statements): the village's rules, then history.

Nothing is guessed silently: a row is classified only by a rule the village wrote, or by
earlier transactions that agree; every classified entry says which (``classified``
metadata), and the rest go flagged ``!`` to 待查明款项 for the accountant (receipts to
应付款, payments to 应收款: :data:`importers.accounts.UNIDENTIFIED`, or the accounts a
county option names).

Rules live in ``import-rules.csv`` in the village folder, one rule a line, first match wins::

    对方户名,摘要,方向,科目,出资方
    县中药饮片有限公司,,收,经营收入-药材销售,
    ,手续费,支,管理费用-手续费,
    ,结息,收,其他收入-利息收入,
    青石镇人民政府,产业项目资金,收,专项应付款-中药材种苗,市农业农村局

A rule matches when every filled condition holds: 对方户名 and 摘要 are contained in the
row's (a rule's text is a substring), 方向 is 收 (money in) or 支 (money out). 科目 is a name
path, a code or a Beancount account. The optional 出资方 column names whose money a receipt
is (``funder``) when another remitted it — the township passing on a unit's funds; a rule
may give only a 出资方 (科目 left empty) and then names the funder of rows it does not
classify. The first matching rule with a 科目 classifies, the first with a 出资方 names the
funder.

Seasonal and temporary labour is paid through 213 应付劳务费, not 212 应付工资 (for managers
and permanent staff): a row whose payee or summary says 务工, 劳务 or 临时工
(:data:`importers.accounts.LABOUR_WORDS`) and that a rule or history sends to 应付工资 goes
to 应付劳务费, and its ``classified`` metadata says so.

History is learnt like smart_importer does, with the tokenizer unspaced Chinese needs
(character bigrams: smart_importer's default takes a whole phrase for one word), but as a
nearest-neighbour vote that abstains: earlier transactions of the same bank account are
compared by payee and summary, and only when the most similar ones (similarity ≥
:data:`MIN_SIMILARITY`) all used one counter-account is it taken. A classifier that always
answers (smart_importer's SVM) would post a guess as a fact.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from importers.accounts import LABOUR, LABOUR_WORDS, UNIDENTIFIED, WAGES
from importers.sheet import Problem, squeeze
from projects import chart
from projects.chart import name_path

RULES_FILE = "import-rules.csv"
MIN_SIMILARITY = 0.5
#: The name paths of the accounts unclassified rows wait in: never learnt as a classification.
WAITING = frozenset(path for _, path in UNIDENTIFIED.values())
HEADER_WORDS = {
    "对方户名": "payee",
    "摘要": "summary",
    "方向": "direction",
    "科目": "account",
    "出资方": "funder",
}
#: The columns every rules file has (出资方 is optional).
REQUIRED = {"payee", "summary", "direction", "account"}


@dataclass(frozen=True)
class Rule:
    """One line of ``import-rules.csv``."""

    line: int
    payee: str
    summary: str
    direction: str  # "收", "支" or ""
    account: str
    funder: str = ""

    def matches(self, payee: str, summary: str, direction: str) -> bool:
        return (
            (not self.payee or self.payee in payee)
            and (not self.summary or self.summary in summary)
            and (not self.direction or self.direction == direction)
        )


def load_rules(village: Path) -> tuple[list[Rule], list[Problem]]:
    """The village's rules (none when it has no rules file) and the problems of the file."""
    path = village / RULES_FILE
    if not path.is_file():
        return [], []
    rows, problems = csv_rows(path, HEADER_WORDS, REQUIRED)
    rules = []
    for line, row in rows:
        direction = row.get("direction", "")
        if direction not in ("", "收", "支"):
            problems.append(Problem(RULES_FILE, "", line, "方向应为 收、支 或留空"))
        elif not row.get("account") and not row.get("funder"):
            problems.append(Problem(RULES_FILE, "", line, "科目和出资方都为空"))
        else:
            payee, summary = row.get("payee", ""), row.get("summary", "")
            account, funder = row.get("account", ""), row.get("funder", "")
            rules.append(Rule(line, payee, summary, direction, account, funder))
    return rules, problems


def csv_rows(
    path: Path, words: dict[str, str], required: set[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """A small UTF-8 CSV file the accountant edits: its non-blank rows with their line
    numbers, by field (``words`` maps header words to fields); a problem if the first
    line lacks a ``required`` field."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [words.get(squeeze(h), squeeze(h)) for h in next(reader, [])]
        if required - set(header):
            return [], [Problem(path.name, "", 1, f"第一行应为 {','.join(words)}")]
        rows = []
        for line, cells in enumerate(reader, start=2):
            row = dict(zip(header, (c.strip() for c in cells), strict=False))
            if any(row.values()):
                rows.append((line, row))
    return rows, []


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams (single characters for one-character text)."""
    text = squeeze(text)
    return frozenset(text[i : i + 2] for i in range(max(1, len(text) - 1)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two bigram sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


class History:
    """Earlier transactions of one bank account: who paid or was paid, and how it was booked."""

    def __init__(self, entries: data.Directives, account: str) -> None:
        votes: dict[tuple[frozenset[str], str], set[str]] = defaultdict(set)
        for entry in entries:
            if not isinstance(entry, data.Transaction) or entry.flag != "*":
                continue
            if len(entry.postings) != 2:
                continue
            own = [p for p in entry.postings if p.account == account]
            other = [p for p in entry.postings if p.account != account]
            if len(own) != 1 or len(other) != 1 or name_path(other[0].account) in WAITING:
                continue
            direction = "收" if own[0].units.number > 0 else "支"
            grams = bigrams(f"{entry.payee or ''} {entry.narration or ''}")
            votes[(grams, direction)].add(other[0].account)
        self._votes = votes

    def predict(self, payee: str, summary: str, direction: str) -> tuple[str, float] | None:
        """The counter-account the most similar earlier rows agree on, with their similarity."""
        grams = bigrams(f"{payee} {summary}")
        best, accounts = 0.0, set()
        for (known, known_direction), used in self._votes.items():
            if known_direction != direction:
                continue
            score = similarity(grams, known)
            if score > best:
                best, accounts = score, set(used)
            elif score == best:
                accounts |= used
        if best >= MIN_SIMILARITY and len(accounts) == 1:
            return next(iter(accounts)), best
        return None


class Classifier:
    """Rules first, then history; ``None`` when neither knows.

    ``waiting`` names, by direction (收/支), the account a county option sets for the rows
    left unclassified (``None``: the standard's, :data:`importers.accounts.UNIDENTIFIED`).
    """

    def __init__(
        self, rules: list[Rule], history: History, waiting: dict[str, str | None] | None = None
    ) -> None:
        self.rules = rules
        self.history = history
        self.waiting = waiting or {}

    def classify(self, payee: str, summary: str, direction: str) -> tuple[str, str] | None:
        """``(account text, how)`` for a row, or ``None`` to leave it pending."""
        found = self._classify(payee, summary, direction)
        if found is None:
            return None
        account, how = found
        labour = labour_account(account)
        if labour is not None and any(w in f"{payee}{summary}" for w in LABOUR_WORDS):
            return labour, f"{how}; 务工/劳务/临时工 记入 {LABOUR} 应付劳务费 (not 212 应付工资)"
        return account, how

    def _classify(self, payee: str, summary: str, direction: str) -> tuple[str, str] | None:
        for rule in self.rules:
            if rule.account and rule.matches(payee, summary, direction):
                return rule.account, f"规则 {RULES_FILE}:{rule.line}"
        learnt = self.history.predict(payee, summary, direction)
        if learnt is not None:
            account, score = learnt
            return account, f"历史记录 (相似度 {score:.2f})"
        return None

    def funder(self, payee: str, summary: str, direction: str) -> str:
        """Whose money a row is, by the first matching rule with a 出资方 ("" when none)."""
        for rule in self.rules:
            if rule.funder and rule.matches(payee, summary, direction):
                return rule.funder
        return ""


def labour_account(text: str) -> str | None:
    """The 应付劳务费 name path for an account text (name path, code or Beancount account) in
    212 应付工资, keeping its sub-account names; ``None`` for any other account."""
    if ":" in text:
        parts = text.split(":")
        if len(parts) < 2 or chart.split_component(parts[1])[0] != WAGES:
            return None
        rest = [chart.split_component(p)[1] for p in parts[2:]]
    elif text.strip().isdigit():
        if not text.strip().startswith(WAGES):
            return None
        rest = []
    else:
        names = [chart.clean_name(n) for n in text.replace("—", "-").split("-")]
        if names[0] not in (chart.clean_name(chart.chart()[WAGES].name), WAGES):
            return None
        rest = names[1:]
    return "-".join([chart.chart()[LABOUR].name, *rest])
