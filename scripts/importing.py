"""``cunzhang import VILLAGE FILE...``: spreadsheets into a village's ledger (README, 导入表格).

The work is :func:`importers.run.import_files`; this module parses the options and prints
what was added, skipped and flagged, or the problems, one ``FILE:SHEET:ROW: message`` a
line on stderr with exit status 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from importers import KINDS
from importers.base import HIDDEN_CHOICES, SheetImporter, kind_names
from importers.run import ImportReport, import_files
from importers.sheet import ImportRefused
from projects import layout
from projects.chart import CHART_VERSIONS
from scripts.context import Context
from scripts.engines import village_progress


def help_text(kinds: Sequence[type[SheetImporter]]) -> str:
    """``cunzhang import --help``: the kinds, and those that may go into a whole township."""
    township = kind_names([k for k in kinds if k.township])
    return (
        f"导入表格 ({kind_names(kinds)}): import spreadsheets.\n\n"
        f"VILLAGE 是村 (乡镇/村 或文件夹); {township} 也可以导入整个乡镇, 按「村」列分到各村。\n"
    )


@click.command("import", help=help_text(KINDS))
@click.argument("village", metavar="VILLAGE")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--account",
    default=None,
    help="本表的账户 the file's own account: 名称路径、编码或科目 (银行存款-青石农商行, 10201).",
)
@click.option(
    "--create-accounts", is_flag=True, help="开设缺少的明细科目 open missing sub-accounts."
)
@click.option("--dry-run", is_flag=True, help="只显示将写入的内容 print, write nothing.")
@click.option(
    "--chart",
    type=click.Choice(CHART_VERSIONS),
    default="2023",
    show_default=True,
    help="表中科目编码所用的科目表 chart version of the codes.",
)
@click.option(
    "--hidden",
    type=click.Choice(HIDDEN_CHOICES),
    default="refuse",
    show_default=True,
    help="隐藏的工作表、行和列: 拒绝导入、一并导入或跳过 hidden sheets, rows and columns.",
)
@click.pass_obj
def import_command(
    obj: Context,
    village: str,
    files: tuple[Path, ...],
    account: str | None,
    create_accounts: bool,
    dry_run: bool,
    chart: str,
    hidden: str,
) -> None:
    """``cunzhang import``; its help (:func:`help_text`) names :data:`importers.KINDS`."""
    folder = obj.folder(village, write=True)
    try:
        with village_progress(len(files), "导入 importing") as progress:
            report = import_files(
                folder, list(files), account, create_accounts, dry_run, chart, hidden, progress
            )
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        click.echo(
            f"✗ 未导入, 账套没有任何改动 (refused: {len(refused.problems)} 个问题 problems)",
            err=True,
        )
        raise SystemExit(1) from None
    if dry_run:
        click.echo(report.preview)
    print_report(report, dry_run)


def print_report(report: ImportReport, dry_run: bool) -> None:
    """The counts per file, the accounts opened and the rows left to classify."""
    for file in report.files:
        click.echo(
            f"{file.file.name} → {layout.village_label(file.village)} ({file.kind}): "
            f"新增 {len(file.added)} 条, 重复跳过 {file.duplicates} 条, "
            f"待分类 {len(file.flagged)} 条"
        )
    verb = "将新增 (would add)" if dry_run else "新增 (added)"
    click.echo(
        f"{verb} {report.added} 条 · 重复跳过 {report.duplicates} 条 (skipped as duplicates) · "
        f"待分类 {len(report.flagged)} 条 (flagged for classification)"
    )
    if report.other_villages:
        others = report.other_villages
        click.echo(f"其他村的声明 {others} 条未导入 (declarations of other villages)")
    for account in report.opened:
        click.echo(f"新开科目 (opened): {account}")
    if report.flagged:
        click.echo("待分类, 记入待查明款项并标记 ! (unidentified: classify these):")
        for file, entry in report.flagged:
            amount = entry.postings[0].units.number
            direction = "收" if amount > 0 else "支"
            who = f" {entry.payee}" if entry.payee else ""
            waiting = entry.postings[1].account
            click.echo(
                f"  {file.file.name}:{entry.meta['sheet']}:{entry.meta['row']}: {entry.date} "
                f"{direction} {abs(amount):,.2f}{who} {entry.narration} → {waiting}"
            )
    if dry_run:
        click.echo("(--dry-run: 未写入任何文件 nothing written)")
