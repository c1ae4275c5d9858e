"""Create a village ledger (``cunzhang village new 乡镇/村``) and move its start earlier
(``cunzhang village set-start 乡镇/村 DATE``).

A new village is a folder that Beancount and ``cunzhang check`` accept as it is::

    <乡镇>/<村>/main.beancount        options, the project's plugin, includes
    <乡镇>/<村>/accounts.beancount    the 42 first-level accounts of the 2023 chart
    <乡镇>/<村>/projects.beancount    project, secretary and fund declarations
    <乡镇>/<村>/journal/<年>.beancount one journal file per year
    <乡镇>/<村>/documents/            archived source documents

Its accounts open on the start date (``--start``, by default the first day of this year),
so nothing dated earlier can be booked; ``set-start`` moves every directive dated the start
to an earlier day, written like an import (locked, checked on a staged copy, one commit).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path

from importers import writing
from projects import chart
from projects.files import Commit
from projects.layout import MAIN

FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}

MAIN_TEMPLATE = """\
; {township} {village} — 村集体经济组织账套 (cunzhang)
; 科目: 农村集体经济组织会计制度 (财会〔2023〕14号)
option "title" "{township} {village}"
option "operating_currency" "CNY"
option "documents" "documents"
option "booking_method" "STRICT"

plugin "projects.checks"
plugin "fava.plugins.link_documents"

{start} custom "fava-option" "language" "zh"
{start} custom "fava-option" "locale" "zh_CN"
{start} custom "fava-option" "default-page" "balance_sheet/"
{start} custom "fava-extension" "projects.fava_ext"

{start} commodity CNY
  name: "人民币"

include "accounts.beancount"
include "projects.beancount"
include "journal/*.beancount"
"""

PROJECTS_TEMPLATE = """\
; {township} {village}: 项目、驻村第一书记与帮扶资金声明 (declarations)
; 语法见 README.md「声明语法」一节 (syntax: see README, section 声明语法)
"""

JOURNAL_TEMPLATE = """\
; {township} {village} {year}年 日记账 (journal)
"""


class VillageError(ValueError):
    """A village that cannot be created; the message says why."""


def check_name(name: str, what: str) -> None:
    """Refuse a name that cannot be a folder on every system."""
    if not name.strip() or name in {".", ".."} or name != name.strip():
        raise VillageError(f"{what}名称 “{name}” 不能用作文件夹名 (empty or padded name)")
    bad = sorted(set(name) & FORBIDDEN)
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise VillageError(f"{what}名称 “{name}” 含有不能用于文件夹名的字符 {shown}")
    if len(name.encode("utf-8")) > 200:
        raise VillageError(f"{what}名称 “{name}” 太长 (name too long)")


def split_target(target: str) -> tuple[str, str]:
    """``"青石镇/新村"`` → ``("青石镇", "新村")``, refusing anything else."""
    parts = target.strip("/").split("/")
    if len(parts) != 2:
        raise VillageError(f"“{target}” 应写成 乡镇/村, 如 青石镇/新村 (expected TOWNSHIP/VILLAGE)")
    check_name(parts[0], "乡镇")
    check_name(parts[1], "村")
    return parts[0], parts[1]


def accounts_text(start: datetime.date) -> str:
    """The ``open`` directives of every first-level account of the 2023 chart."""
    header = "; 一级科目 (2023年科目表); 明细科目写在其下, 编码延续上级编码\n\n"
    return header + "\n".join(
        chart.open_text(start.isoformat(), standard.account, standard.name)
        for standard in chart.chart("2023").values()
    )


def new_village(ledgers: Path, target: str, start: datetime.date) -> Path:
    """Create the village ledger ``ledgers/乡镇/村`` atomically and return its folder."""
    township, village = split_target(target)
    folder = ledgers / township / village
    if folder.exists():
        raise VillageError(f"村账套已存在, 未做任何改动: {folder} (village already exists)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    names = {"township": township, "village": village, "start": start.isoformat()}
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a ledger folder is shared
        (staging / MAIN).write_text(MAIN_TEMPLATE.format(**names), "utf-8")
        (staging / "accounts.beancount").write_text(accounts_text(start), "utf-8")
        (staging / "projects.beancount").write_text(PROJECTS_TEMPLATE.format(**names), "utf-8")
        (staging / "journal").mkdir()
        journal = staging / "journal" / f"{start.year}.beancount"
        journal.write_text(JOURNAL_TEMPLATE.format(year=start.year, **names), "utf-8")
        (staging / "documents").mkdir()
        (staging / "documents" / ".keep").write_text("", "utf-8")
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def set_start(folder: Path, start: datetime.date) -> datetime.date | None:
    """Move the village's start (its first ``open``) back to ``start``: every directive of
    ``main.beancount`` and ``accounts.beancount`` dated the old start is redated. Returns
    the old start, or ``None`` when the books already start on ``start``."""
    with writing.village(folder) as one:
        old = writing.start_of(one.entries)
        if old is None or old == start:
            return None
        if start > old:
            raise writing.refusal(one.folder, f"建账日期 {old} 只能提前 (only earlier than {old})")
        dated = re.compile(rf"^{old.isoformat()}(?= )", re.M)
        changes = {}
        for name in (MAIN, writing.ACCOUNTS):
            path = one.folder / name
            changes[path] = dated.sub(start.isoformat(), writing.read_text(path))
        with Commit([one.folder]) as commit:
            writing.check(writing.stage([one], changes, {}, commit), {})
            commit.publish()
    return old
