"""A village's own header words: ``import-columns.csv``, so that a new dialect imports
without a code change.

When a spreadsheet names a column in a way no importer knows, the refusal says which
header it found and what it expected (:func:`importers.sheet.header_diagnosis`). The
accountant then adds a line to ``import-columns.csv`` in the village folder::

    表头,字段
    记帐日,日期
    收方,借方
    付方,贷方
    结余额,余额

表头 is the header cell as the file writes it (white space and full-width forms do not
matter), 字段 a header word the importers already know (日期, 摘要, 借方, 贷方, 余额,
科目, 对方户名, 凭证号, 借或贷 …): the file's word then reads as ours wherever ours is a
column's word (for every kind: 借方 is a journal's 借方 and a voucher list's 借方). It is
read like ``import-rules.csv`` (:func:`importers.classify.load_rules`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from importers.classify import csv_rows
from importers.sheet import COLUMNS_FILE, DAY, MONTH, Dialect, Problem, Synonyms, squeeze

HEADER_WORDS = {"表头": "header", "字段": "field"}


def known_words(dialects: Iterable[type[Dialect]]) -> set[str]:
    """Every header word the dialects (and a split 月/日 date) know."""
    columns = [c for d in dialects for c in d.columns().values()]
    return {w for column in [*columns, MONTH, DAY] for w in column.words}


def load_columns(
    folders: Iterable[Path], dialects: Iterable[type[Dialect]]
) -> tuple[Synonyms, list[Problem]]:
    """The header words of the folders' ``import-columns.csv`` files (none without one),
    and the problems of the files (a 字段 no dialect knows, a 表头 mapped two ways)."""
    known = known_words(dialects)
    synonyms: Synonyms = {}
    problems: list[Problem] = []
    for folder in folders:
        path = folder / COLUMNS_FILE
        if not path.is_file():
            continue
        rows, found = csv_rows(path, HEADER_WORDS, set(HEADER_WORDS.values()))
        problems += found
        for line, row in rows:
            header, ours = squeeze(row.get("header", "")), squeeze(row.get("field", ""))
            if not header or ours not in known:
                shown = "、".join(["日期", "摘要", "借方", "贷方", "余额", "科目", "对方户名"])
                message = f"表头为空, 或字段 “{ours}” 不是已知的表头 (如 {shown})"
                problems.append(Problem(COLUMNS_FILE, "", line, message))
            elif synonyms.get(header, ours) != ours:
                message = f"表头 “{header}” 已对应 {synonyms[header]}, 不能再对应 {ours}"
                problems.append(Problem(COLUMNS_FILE, "", line, message))
            else:
                synonyms[header] = ours
    return synonyms, problems
