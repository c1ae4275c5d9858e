"""``cunzhang disclose PATH --period P --out DIR``: publish financial disclosures (财务公开).

The figures come from ``projects.disclosure.compute``; this module only renders them:

- HTML for the 公开栏 (print-ready A4, readable on a phone), from ``scripts/templates``;
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
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import click
import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from projects import disclosure as model
from projects import layout
from projects.ledger import load
from projects.reports import Books
from scripts.context import Context
from scripts.village import VillageError, check_name

FORMATS = ("html", "xlsx", "pdf", "json")
WATERMARK = "未审核"
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


# --- rendering --------------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    """``1234.5`` → ``1,234.50``; ``—`` for no value."""
    return "—" if value is None else f"{value:,.2f}"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of ``scripts/templates``, escaping HTML."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scripts", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["capital"] = model.capital
    return env


def verification(d: model.Disclosure) -> dict:
    """What ``--verify`` needs from a posted sheet: whose books, which period, the code."""
    return {"township": d.township, "village": d.village, "period": d.period.code, "code": d.code}


def render_html(d: model.Disclosure) -> str:
    """The notice-board page; the 「未审核」 watermark when the period has blockers."""
    template = environment().get_template("disclosure.html")
    return template.render(d=d, reviewed=not d.blockers, verification=verification(d))


def render_json(d: model.Disclosure) -> str:
    """The disclosure as a JSON document: money as exact strings."""
    return json.dumps({**d.to_json(), "reviewed": not d.blockers}, ensure_ascii=False, indent=2)


#: Text that a spreadsheet would read as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
THIN = Side(style="thin", color="444444")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY_FORMAT = "#,##0.00"
WIDTHS = (12, 28, 16, 16, 15, 15, 15, 28)


def put(ws: Worksheet, row: int, column: int, value: object, bold: bool = False) -> None:
    """Write one bordered cell; text that starts like a formula stays text (quote prefix)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


Rows = list[tuple[bool, list]]  # (bold?, cells)

FUND_HEADERS = ["出资方", "资金来源", "本期到位", "累计到位", "已使用", "用于"]
PROJECT_HEADERS = ["项目", "类别", "预算", "累计到位", "累计支出", "已形成资产", "进度", "决策程序"]


def _item_rows(groups: list[model.Group], total: Decimal, what: str) -> Rows:
    rows: Rows = []
    for g in groups:
        rows.append((True, [f"{g.code} {g.name}"]))
        rows += [(False, [i.date, i.narration, i.payee, i.account, i.amount]) for i in g.items]
        rows.append((True, [f"{g.name} 小计", "", "", "", g.subtotal]))
    rows.append((True, [f"本期{what}合计", f"大写: {model.capital(total)}", "", "", total]))
    return rows


def _balance_rows(lines: list[model.Line]) -> Rows:
    rows: Rows = []
    for line in lines:
        rows.append((True, [line.label, "", line.amount]))
        rows += [(False, ["", name, value]) for name, value in line.details]
    return rows


def _fund_row(f: dict) -> list:
    money = [f[k] for k in ("received", "received_to_date", "used")]
    return [f["funder"], "、".join(f["sources"]), *money, "; ".join(f["for"])]


def _fund_rows(d: model.Disclosure) -> Rows:
    totals = [d.funds_total[k] for k in ("received", "received_to_date", "used")]
    return [(False, _fund_row(f)) for f in d.funds] + [(True, ["合计", "", *totals])]


def _project_row(p: dict) -> list:
    steps = [f"{step} {day}" for step, day in p["steps"]]
    if p["steps_missing"]:
        steps.append(f"未完成: {'、'.join(p['steps_missing'])}")
    progress = "—" if p["progress"] is None else f"{p['progress']}%"
    money = [p[k] for k in ("budget", "received", "spent", "capitalised")]
    return [f"{p['project']} {p['name']}", p["kind"], *money, progress, "\n".join(steps)]


def xlsx_sections(d: model.Disclosure) -> list[tuple[str, list[str], Rows]]:
    """The sheet's sections (title, headers, rows) in the order the HTML shows them."""
    assets_total = (True, ["资产合计", f"大写: {model.capital(d.assets_total)}", d.assets_total])
    sections = [
        (
            "一、各项收入",
            ["日期", "摘要", "付款方", "明细科目", "金额"],
            _item_rows(d.income, d.income_total, "收入"),
        ),
        (
            "二、各项支出",
            ["日期", "摘要", "收款方", "明细科目", "金额"],
            _item_rows(d.expenses, d.expense_total, "支出"),
        ),
        (
            "三、各项资产 (期末余额)",
            ["项目", "明细", "期末余额"],
            [*_balance_rows(d.assets), assets_total],
        ),
        ("四、债权债务 (期末余额)", ["项目", "明细", "期末余额"], _balance_rows(d.debts)),
        ("五、资金来源及使用", FUND_HEADERS, _fund_rows(d)),
        ("六、项目 (截至期末)", PROJECT_HEADERS, [(False, _project_row(p)) for p in d.projects]),
    ]
    statements = (
        ("七、收益及收益分配表", ["项目", "本年数"], d.income_statement),
        ("八、资产负债表", ["项目", "年初数", "年末数"], d.balance_sheet),
    )
    for title, headers, lines in statements:
        if lines:
            rows = [(line.total, [line.label, *line.amounts]) for line in lines]
            sections.append((title, headers, rows))
    return sections


def write_xlsx(d: model.Disclosure, path: Path) -> None:
    """The disclosure as one A4 sheet, sections one under another, ready to print."""
    wb = Workbook()
    ws = wb.active
    ws.title = "财务公开"
    ws.cell(row=1, column=1, value=f"{d.organisation}财务公开").font = Font(bold=True, size=16)
    subtitle = f"公开期间: {d.period.label}  公开类型: {d.period.kind}公开  公开日期: {d.posted}"
    ws.cell(row=2, column=1, value=f"{subtitle}  单位: 元")
    row = 3
    if d.blockers:
        note = f"{WATERMARK}: 以下问题尚未解决, 本表仅供核对, 不得作为正式公开"
        ws.cell(row=row, column=1, value=note).font = Font(bold=True, color="BB0000")
        for blocker in d.blockers:
            row += 1
            put(ws, row, 1, blocker)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
        row += 1
    for title, headers, rows in xlsx_sections(d):
        row += 1
        ws.cell(row=row, column=1, value=title).font = Font(bold=True, size=13)
        row += 1
        for column, header in enumerate(headers, 1):
            put(ws, row, column, header, bold=True)
            ws.cell(row=row, column=column).fill = PatternFill("solid", fgColor="EEEEEE")
        for bold, cells in rows:
            row += 1
            for column, value in enumerate(cells, 1):
                put(ws, row, column, value, bold=bold)
    row += 2
    for text in (
        "村务监督委员会审核意见: ______________________________",
        "主任 (签字): ____________  委员 (签字): ____________  委员 (签字): ____________",
        f"编制单位: {d.agency}    公开单位: {d.organisation}    公开日期: {d.posted}",
        f"核对码: {d.code} (cunzhang disclose --verify 可核对本表是否与账套一致)",
    ):
        ws.cell(row=row, column=1, value=text)
        row += 1
    for column, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[chr(64 + column)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    if d.blockers:
        ws.oddHeader.center.text = WATERMARK
        ws.oddHeader.center.size = 28
        ws.oddHeader.center.color = "BB0000"
    wb.save(path)


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

    period: model.Period
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
    income_total: Decimal = model.ZERO
    expense_total: Decimal = model.ZERO
    assets_total: Decimal = model.ZERO


def publish(folder: Path, job: Job) -> Published:
    """Compute one village's disclosure and write its files, unless refused."""
    loaded = load(folder)
    d = model.compute(
        Books.of(folder.name, loaded.entries),
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
    html = render_html(d)
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


def publish_all(villages: list[Path], job: Job, jobs: int | None) -> list[Published]:
    """Every village, in parallel with a progress bar on stderr; results in village order."""
    if len(villages) == 1:
        return [publish(villages[0], job)]
    results: dict[Path, Published] = {}
    workers = min(jobs or os.cpu_count() or 1, len(villages))
    with (
        ProcessPoolExecutor(max_workers=workers) as pool,
        click.progressbar(length=len(villages), label="发布 publishing", file=sys.stderr) as bar,
    ):
        futures = {pool.submit(publish, folder, job): folder for folder in villages}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.update(1)
    return [results[folder] for folder in villages]


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
    d = model.compute(
        Books.of(folder.name, loaded.entries),
        model.parse_period(posted["period"]),
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
@click.option("--jobs", type=int, default=None, help="并行进程数 worker processes.")
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
    jobs: int | None,
) -> None:
    """财务公开: publish each village's disclosure (HTML, XLSX, PDF, JSON) for a period."""
    if verify_file:
        raise SystemExit(0 if verify(obj, verify_file, path) else 1)
    if not path or not period or not out:
        raise click.UsageError("需要 PATH、--period 和 --out (或 --verify FILE)")
    try:
        parsed = model.parse_period(period)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--period") from error
    wanted = parse_formats(formats)
    if "pdf" in wanted:
        chromium()
    villages = obj.villages(path)
    out.mkdir(parents=True, exist_ok=True)
    job = Job(parsed, out, wanted, force, posted.date() if posted else datetime.date.today())
    results = publish_all(villages, job, jobs)
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
