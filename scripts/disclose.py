"""``cunzhang disclose PATH --period P --out DIR``: publish financial disclosures (财务公开).

The figures come from ``projects.disclosure.compute`` and are laid out by
``projects.disclosure_render`` (which the Fava page 财务公开 uses too); this module writes:

- HTML for the 公开栏 (print-ready A4, readable on a phone), from ``projects/templates``;
- XLSX formatted for printing, with formula-like text neutralised;
- PDF printed from the HTML by Debian's headless ``chromium``;
- JSON for open-data portals.

A township is published village by village in parallel, with an index page. A village
whose period has ledger errors or entries still flagged ``!`` is refused unless
``--force``, which publishes it with a 「未审核」 watermark on every page. ``--verify FILE``
recomputes a posted sheet's verification code from the books.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import click

from projects import disclosure, layout
from projects.disclosure_render import WATERMARK, environment, render_html, render_json, write_xlsx
from projects.engine import map_villages
from projects.ledger import load
from projects.periods import Period, parse_period
from projects.reports import VillageBooks
from projects.transaction_facts import ZERO
from scripts.context import Context
from scripts.engines import engine_options
from scripts.village import VillageError, check_name

FORMATS = ("html", "xlsx", "pdf", "json")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class PublishError(click.ClickException):
    """A disclosure that cannot be written (a bad name, no Chromium for the PDF)."""


def chromium() -> str:
    """Debian's Chromium (or ``$CHROMIUM``); an error saying how to install it."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        raise PublishError(
            "生成 PDF 需要 Debian 的 chromium: apt-get install -y chromium fonts-noto-cjk "
            "(或不要 pdf: --format html,xlsx,json)"
        )
    return found


def print_pdf(html: str, pdf: Path) -> None:
    """Print an HTML page to an A4 PDF with headless Chromium (a throwaway profile)."""
    with tempfile.TemporaryDirectory(prefix="cunzhang-chromium-") as scratch:
        page = Path(scratch) / "page.html"
        page.write_text(html, "utf-8")
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(scratch) / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise PublishError(f"chromium 未能生成 {pdf.name}: {done.stderr.strip()[-500:]}")


# --- publishing -------------------------------------------------------------------------


def confined(out: Path, *names: str) -> Path:
    """``out/names…``, refusing a name that is not a plain file name or leaves ``out``."""
    for name in names:
        try:
            check_name(name, "文件")
        except VillageError as error:
            raise PublishError(str(error)) from error
    path = out.joinpath(*names).resolve()
    if not path.is_relative_to(out.resolve()):
        raise PublishError(f"输出路径 {path} 不在 --out {out} 之内")
    return path


@dataclass(frozen=True)
class Job:
    """What to publish, the same for every village of a run."""

    period: Period
    out: Path
    formats: tuple[str, ...]
    force: bool
    posted: datetime.date


@dataclass
class Published:
    """One village's result: the files written, or the blockers that refused it."""

    village: str
    code: str
    reviewed: bool
    files: list[tuple[str, str]] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    income_total: Decimal = ZERO
    expense_total: Decimal = ZERO
    assets_total: Decimal = ZERO


def publish(folder: Path, job: Job) -> Published:
    """Compute one village's disclosure and write its files, unless refused."""
    loaded = load(folder)
    d = disclosure.compute(
        VillageBooks.of(folder.name, loaded.entries),
        job.period,
        township=folder.parent.name,
        posted=job.posted,
        errors=loaded.errors,
    )
    result = Published(
        folder.name,
        d.code,
        not d.blockers,
        blockers=d.blockers,
        income_total=d.income_total,
        expense_total=d.expense_total,
        assets_total=d.assets_total,
    )
    if d.blockers and not job.force:
        return result
    confined(job.out, folder.name).mkdir(parents=True, exist_ok=True)
    html = render_html(d) if {"html", "pdf"} & set(job.formats) else ""
    for kind in job.formats:
        path = confined(job.out, folder.name, f"{folder.name}-{job.period.code}.{kind}")
        if kind == "html":
            path.write_text(html, "utf-8")
        elif kind == "xlsx":
            write_xlsx(d, path)
        elif kind == "pdf":
            print_pdf(html, path)
        else:
            path.write_text(render_json(d), "utf-8")
        result.files.append((kind, path.name))
    return result


def publish_all(
    villages: list[Path],
    job: Job,
    jobs: int | None,
    engine: str = "local",
    scheduler: str | None = None,
) -> list[Published]:
    """Every village on ``engine``, with a progress bar on stderr; results in village order."""
    if len(villages) == 1:
        return [publish(villages[0], job)]
    with click.progressbar(length=len(villages), label="发布 publishing", file=sys.stderr) as bar:
        return map_villages(
            publish,
            villages,
            job,
            engine=engine,
            scheduler=scheduler,
            jobs=jobs,
            progress=lambda _: bar.update(1),
        )


def write_index(out: Path, township: str, job: Job, results: list[Published]) -> Path:
    """The township's index page linking every village's disclosure for the period."""
    page = (
        environment()
        .get_template("index.html")
        .render(township=township, period=job.period, posted=job.posted, villages=results)
    )
    path = confined(out, "index.html")
    path.write_text(page, "utf-8")
    return path


# --- verifying a posted sheet -----------------------------------------------------------

EMBEDDED = re.compile(
    r'<script type="application/json" id="cunzhang-verification">(.*?)</script>', re.S
)


def read_posted(file: Path) -> dict:
    """Township, village, period and code of a published JSON or HTML disclosure."""
    text = file.read_text("utf-8")
    if file.suffix.lower() == ".json":
        found = json.loads(text)
        return {
            "township": found["township"],
            "village": found["village"],
            "period": found["period"]["code"],
            "code": found["code"],
        }
    embedded = EMBEDDED.search(text)
    if not embedded:
        raise click.ClickException(f"{file} 不是 cunzhang 生成的公开表 (no verification data)")
    return json.loads(embedded[1])


def verify(obj: Context, file: Path, path: str | None) -> bool:
    """Recompute the code of a posted sheet from the books; print 一致 or 不一致."""
    posted = read_posted(file)
    label = f"{posted['township']}/{posted['village']}"
    folder = next((v for v in obj.villages(path or label) if v.name == posted["village"]), None)
    if folder is None:
        raise click.ClickException(f"{path or label} 下没有 {posted['village']} 的账套")
    loaded = load(folder)
    d = disclosure.compute(
        VillageBooks.of(folder.name, loaded.entries),
        parse_period(posted["period"]),
        township=folder.parent.name,
    )
    if d.code == posted["code"]:
        click.echo(f"一致 matches: {label} {posted['period']} 核对码 {d.code} 与账套相符")
        return True
    click.echo(
        f"不一致 does not match: {label} {posted['period']} 公开表核对码 {posted['code']}, "
        f"账套现在算出 {d.code}: 公开之后账目有改动"
    )
    return False


# --- the command ------------------------------------------------------------------------


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(f"{text}: 可选 {','.join(FORMATS)}", param_hint="--format")
    return wanted


@click.command("disclose")
@click.argument("path", required=False)
@click.option("--period", help="期间: 2024Q1 (季度), 2024-03 (月度), 2024 (年度).")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="输出目录 output folder."
)
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, help="输出格式.")
@click.option("--force", is_flag=True, help="有未通过的检查也发布, 每页加「未审核」水印.")
@click.option(
    "--posted",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="公开日期 date of posting (默认今天).",
)
@click.option(
    "--verify",
    "verify_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="核对已公开的 JSON 或 HTML 是否与账套一致 (exit 0 一致, 1 不一致).",
)
@engine_options
@click.pass_obj
def disclose(
    obj: Context,
    path: str | None,
    period: str | None,
    out: Path | None,
    formats: str,
    force: bool,
    posted: datetime.datetime | None,
    verify_file: Path | None,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
) -> None:
    """财务公开: publish each village's disclosure (HTML, XLSX, PDF, JSON) for a period."""
    if verify_file:
        raise SystemExit(0 if verify(obj, verify_file, path) else 1)
    if not path or not period or not out:
        raise click.UsageError("需要 PATH、--period 和 --out (或 --verify FILE)")
    try:
        parsed = parse_period(period)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--period") from error
    wanted = parse_formats(formats)
    if "pdf" in wanted:
        chromium()
    villages = obj.villages(path)
    out.mkdir(parents=True, exist_ok=True)
    day = posted.date() if posted else datetime.date.today()
    job = Job(parsed, out.absolute(), wanted, force, day)
    results = publish_all(villages, job, jobs, engine, scheduler)
    refused = 0
    for result in results:
        if result.files:
            mark = "✓" if result.reviewed else f"! {WATERMARK}"
            click.echo(f"{mark} {result.village}: {', '.join(n for _, n in result.files)}")
        else:
            refused += 1
            click.echo(
                f"✗ {result.village}: 拒绝发布 refused, {len(result.blockers)} 个问题 "
                f"(改正后重新发布, 或 --force 发布带「{WATERMARK}」水印的版本):",
                err=True,
            )
            for blocker in result.blockers:
                click.echo(f"  {blocker}", err=True)
    if not layout.is_village(layout.resolve(path, obj.ledgers)):
        township = layout.resolve(path, obj.ledgers).resolve().name
        click.echo(f"索引 index: {write_index(out, township, job, results)}")
    if refused:
        raise SystemExit(1)
