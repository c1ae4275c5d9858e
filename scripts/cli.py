"""The ``cunzhang`` command line: exit status 0 done, 1 refused input or errors found, 2 usage."""

from __future__ import annotations

import datetime
from pathlib import Path

import click
from beancount.core import data
from beancount.loader import LoadError

from importers.sheet import ImportRefused
from projects import layout, publications, year_end
from projects.engine import map_villages
from projects.files import unfinished
from projects.ledger import Refused, confine_fava, format_error, load
from scripts import bookkeeping
from scripts import village as village_mod
from scripts.bookkeeping import refused
from scripts.context import Context
from scripts.county import county
from scripts.disclose import disclose
from scripts.engines import engine_options, village_progress
from scripts.export import export
from scripts.importing import import_command
from scripts.report import report
from scripts.users import user


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--ledgers",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CUNZHANG_LEDGERS",
    default=None,
    help=(
        "账套根目录 ledgers folder; 也可用环境变量 CUNZHANG_LEDGERS "
        "(默认 ./ledgers, 否则只读的内置演示乡镇 the read-only demo)."
    ),
)
@click.pass_context
def main(ctx: click.Context, ledgers: Path | None) -> None:
    """村账 cunzhang — 村集体经济组织账务、项目与帮扶资金 (village books on Beancount).

    退出码 exit status: 0 完成 done, 1 拒绝或发现问题 refused or findings, 2 用法错误 usage.
    """
    ctx.obj = Context(ledgers)


@main.group()
def village() -> None:
    """村账套管理 (village ledgers)."""


@village.command("new")
@click.argument("target", metavar="乡镇/村")
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="建账日期 start date (默认今年1月1日).",
)
@click.pass_obj
def village_new(obj: Context, target: str, start: datetime.datetime | None) -> None:
    """新建村账套 (2023年科目表): create a village ledger."""
    start_date = start.date() if start else datetime.date(datetime.date.today().year, 1, 1)
    try:
        folder = village_mod.new_village(obj.root(write=True), target, start_date)
    except village_mod.VillageError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"已新建村账套 created: {folder / layout.MAIN}")
    click.echo(
        f"建账日期 books start {start_date}: 更早的账要先 cunzhang village set-start "
        f"{layout.village_label(folder)} <日期>"
    )


@village.command("set-start")
@click.argument("target", metavar="VILLAGE")
@click.argument("start", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.pass_obj
def village_set_start(obj: Context, target: str, start: datetime.datetime) -> None:
    """提前建账日期 (科目在该日开设): move the books' start earlier, to import older sheets."""
    folder = obj.village(target)
    try:
        old = village_mod.set_start(folder, start.date())
    except ImportRefused as error:
        refused(error)
    if old is None:
        click.echo(f"建账日期已是 {start.date()}, 未做改动 (unchanged)")
    else:
        click.echo(f"建账日期 books start: {old} → {start.date()} ({layout.village_label(folder)})")


def village_errors(folder: Path) -> tuple[list, int, list[str]]:
    """One village's errors, number of entries and, if it has no errors, its warnings
    (run by the engine, maybe on a worker)."""
    try:
        loaded = load(folder)
    except Refused as refused:
        return refused.breaches, 0, []
    half_written = [
        LoadError(
            data.new_metadata(str(staging), 0),
            "导入写到一半中断, 账套不完整 (an interrupted import is half-published): "
            "下次导入或写账时自动补完 (the next import or write finishes it)",
            None,
        )
        for staging in unfinished(folder)
    ]
    errors = [*loaded.errors, *half_written]
    return errors, len(loaded.entries), [] if errors else warnings(folder, loaded.entries)


def warnings(folder: Path, entries: data.Directives) -> list[str]:
    """``check``'s warnings about a clean village: overdue disclosures, a distribution that
    shares out subsidies (``projects.year_end.subsidy_warnings``). The exit status stays
    the errors'."""
    overdue = publications.overdue_warning(folder, datetime.date.today())
    label = layout.village_label(folder)
    subsidies = year_end.subsidy_warnings(entries)
    return [*([overdue] if overdue else []), *(f"⚠ {label}: {w}" for w in subsidies)]


@main.command()
@click.argument("path", required=False)
@engine_options
@click.pass_obj
def check(
    obj: Context, path: str | None, engine: str, scheduler: str | None, jobs: int | None
) -> None:
    """检查账套 (Beancount + 本项目规则): check one village or a township.

    发现的错误和每个村一行小结都写到标准输出; 有错误时退出码 1 (findings on stdout, exit 1).
    """
    folders = obj.villages(path)
    with village_progress(len(folders), "检查 checking") as progress:
        results = map_villages(
            village_errors,
            folders,
            engine=engine,
            scheduler=scheduler,
            jobs=jobs,
            progress=progress,
        )
    failed = 0
    for folder, (errors, entries, found) in zip(folders, results, strict=True):
        for error in errors:
            click.echo(format_error(error))
        label = layout.village_label(folder)
        if errors:
            failed += 1
            click.echo(f"✗ {label}: {len(errors)} 个错误 errors")
        else:
            click.echo(f"✓ {label}: 无错误 clean ({entries} 条记录 entries)")
            for warning in found:
                click.echo(warning)
    if failed:
        raise SystemExit(1)


@main.command()
@click.argument("path", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 address.")
@click.option("--port", default=5000, show_default=True, type=int, help="端口 port.")
@click.option(
    "--auth",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="用户文件 (cunzhang user add): 基本认证, 每个用户只看到授权的乡镇或村.",
)
@click.option(
    "--writable",
    is_flag=True,
    help="允许在 Fava 里修改账套 (accountant's own machine only; default read-only).",
)
@click.option(
    "--allowed-host",
    "allowed",
    multiple=True,
    metavar="NAME",
    help="反向代理等使用的主机名 (Host header), 可重复; 本机名总是允许 (extra served host names).",
)
@click.option(
    "--max-loaded",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="最多同时加载的村账套数 (villages kept loaded; least recently used dropped).",
)
@click.pass_obj
def serve(
    obj: Context,
    path: str | None,
    host: str,
    port: int,
    auth: Path | None,
    writable: bool,
    allowed: tuple[str, ...],
    max_loaded: int,
) -> None:
    """用 Fava 浏览账套 (只读): serve every village under PATH in Fava, read-only."""
    from scripts import serve as serve_mod

    serve_mod.check_host(host, auth)
    villages = obj.villages(path)
    confine_fava(villages)
    mode = "可写 writable" if writable else "只读 read-only"
    login = f", 认证 auth: {auth}" if auth else ""
    click.echo(f"Fava: http://{host}:{port}/  ({len(villages)} 个村 villages, {mode}{login})")
    serve_mod.run(serve_mod.server(villages, host, port, auth, writable, allowed, max_loaded))


# Commands that live in modules of their own.

main.add_command(report)
main.add_command(disclose)
main.add_command(user)
main.add_command(import_command)
main.add_command(export)
main.add_command(bookkeeping.open_books_command)
main.add_command(bookkeeping.reconcile_command)
main.add_command(bookkeeping.close_year_command)
main.add_command(bookkeeping.distribute_command)
main.add_command(county)
