"""Which beanquery statements ``cunzhang serve`` lets Fava run: only those that read the ledger.

Fava hands its query box (``api/query``, ``download-query``) to beanquery's shell, which
also runs dot-commands (``.output FILE`` opens any file for writing, and keeps writing
to it) and table statements (``CREATE TABLE t USING 'csv:/etc/passwd'`` reads any file,
``INSERT`` writes to tables). ``refusal`` is an allow-list, parsed with beanquery's own
parser rather than matched by pattern::

    SELECT date, narration FROM #postings WHERE account ~ '银行'   passes
    BALANCES FROM year = 2024;                                      passes
    JOURNAL "Assets:101-库存现金"                                     passes
    PRINT FROM year = 2024                                          passes
    run 月报        (a ``query`` directive of the ledger, itself checked)     passes
    .output /tmp/x               (any dot-command, any case or spacing)   refused
    CREATE TABLE t USING 'csv:/etc/passwd' / INSERT INTO ...            refused
    SELECT 1; .output /tmp/x     (anything after the statement)           refused
    SELECT * FROM "t" / FROM #t  (a table the ledger does not have)       refused
    /* comment */ SELECT 1, help, .tables, an empty query, bad syntax     refused
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

import beanquery
from beancount.parser.options import OPTIONS_DEFAULTS
from beanquery.parser import ast, parse

#: Statements that only read: beanquery's SELECT and its shorthands.
READING = (ast.Select, ast.Balances, ast.Journal, ast.Print)
#: The longest query accepted, in characters (Fava's query box holds a few lines).
MAX_LENGTH = 10_000


def ledger_schema() -> tuple[frozenset[str], frozenset[str]]:
    """The tables beanquery's ``beancount:`` source gives a ledger (``postings``, ``entries``,
    ... and ``""``, the empty table of ``FROM #``), and all their columns."""
    connection = beanquery.connect("beancount:", entries=[], errors=[], options=OPTIONS_DEFAULTS)
    tables = {name: table for name, table in connection.tables.items() if name is not None}
    return frozenset(tables), frozenset(c for table in tables.values() for c in table.columns)


#: The only tables a query may name, and the names ``FROM name`` reads as a column.
TABLES, COLUMNS = ledger_schema()


def refusal(text: str, queries: Mapping[str, str]) -> str | None:
    """Why the shell must not run ``text`` (one line in Chinese), or none if it only reads
    the ledger. ``queries`` are the ledger's ``query`` directives, by name, for ``run``."""
    if len(text) > MAX_LENGTH:
        return f"查询太长 (longer than {MAX_LENGTH} characters)"
    words = text.split(None, 1)
    if words and words[0].lower() in ("run", ".run"):
        return run_refusal(words[1] if len(words) > 1 else "", queries)
    if text.lstrip().startswith("."):
        return "不允许点命令 (dot-commands such as .output are refused)"
    return statement_refusal(text)


def run_refusal(argument: str, queries: Mapping[str, str]) -> str | None:
    """``run NAME``: only a query the ledger defines, and only if it reads."""
    try:
        names = shlex.split(argument.rstrip("; \t"))
    except ValueError:
        names = []
    if len(names) != 1:
        return "run 只能跟一个账套里定义的查询名 (run takes one query name)"
    if names[0] not in queries:
        return f"账套里没有名为 {names[0]} 的查询 (no such query in the ledger)"
    return statement_refusal(queries[names[0]])


def statement_refusal(text: str) -> str | None:
    """One SELECT, BALANCES, JOURNAL or PRINT over the ledger's own tables, nothing more."""
    try:
        statement = parse(text)
    except Exception:  # ParseError, or the parser's own failure (IndexError on "")
        return "不是可执行的查询语句 (not a SELECT, BALANCES, JOURNAL or PRINT statement)"
    if not isinstance(statement, READING):
        return "只允许读取账套的查询, 不能建表或写入 (only SELECT, BALANCES, JOURNAL, PRINT)"
    info = statement.parseinfo
    if text[: info.pos].strip() or text[info.endpos :].strip() not in ("", ";"):
        return "一次只能执行一条查询语句 (one statement, nothing before or after it)"
    for node in statement.walk():
        name = table_named(node)
        if name is not None and name not in TABLES:
            return f"只能查询账套自己的表, 没有表 {name} (only the ledger's own tables)"
    return None


def table_named(node: object) -> str | None:
    """The table a node of the statement names: ``#name`` or ``"name"``, or the bare
    ``FROM name`` that beanquery looks up as a table when it is not a column."""
    if isinstance(node, ast.Table):
        return node.name
    if isinstance(node, ast.From) and isinstance(node.expression, ast.Column):
        name = node.expression.name
        return None if name in COLUMNS else name
    return None
